package raw_test

import (
	"bytes"
	"fmt"
	"image"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"station/printer/printertest"
	"station/printer/raw"
)

const code = printertest.SampleCode

func sample(t testing.TB, dpi int, w, h float64) *image.Gray { return printertest.Sample(t, dpi, w, h) }

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		lang raw.Language
		mod  func(*raw.Options)
	}{
		{"zpl-z64", raw.ZPL, nil},
		{"zpl-acs", raw.ZPL, func(o *raw.Options) { o.Compression = raw.ACS }},
		{"tspl-polarity0", raw.TSPL, nil},
		{"tspl-polarity1", raw.TSPL, func(o *raw.Options) { o.Polarity = raw.OneIsBlack }},
		{"escpos", raw.ESCPOS, nil},
	}
	for _, dpi := range []int{203, 300} {
		img := sample(t, dpi, 100, 150)
		want := raw.FromImage(img)
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s-%d", c.name, dpi), func(t *testing.T) {
				opt := printertest.Options(c.lang, dpi, c.mod)
				data, err := raw.Encode(want, opt, "order-1", 2)
				if err != nil {
					t.Fatal(err)
				}
				labels, err := printertest.Decode(c.lang, data, dpi, opt.Polarity)
				if err != nil {
					t.Fatal(err)
				}
				copies := 0
				for _, l := range labels {
					if !printertest.SameDots(l.Bitmap, want) {
						t.Fatalf("decoded bitmap %dx%d differs from the %dx%d sent", l.Bitmap.Width, l.Bitmap.Height, want.Width, want.Height)
					}
					copies += l.Copies
				}
				if copies != 2 {
					t.Errorf("copies = %d, want 2", copies)
				}
				got, err := printertest.ScanCode128(labels[0].Bitmap.Gray(), printertest.BarcodeBand(dpi))
				if err != nil || got != code {
					t.Errorf("barcode in the decoded label = %q, %v; want %q", got, err, code)
				}
			})
		}
	}
}

func TestZPLStripsStayUnderTheFieldLimit(t *testing.T) {
	// 4 in at 600 dpi, 300 mm long: 300 bytes per row, many strips.
	b := raw.FromImage(sample(t, 600, 100, 300))
	for _, comp := range []raw.Compression{raw.Z64, raw.ACS} {
		opt := printertest.Options(raw.ZPL, 600, func(o *raw.Options) { o.Compression = comp })
		data, err := raw.Encode(b, opt, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		fields := regexp.MustCompile(`\^GFA,(\d+),(\d+),(\d+),`).FindAllStringSubmatch(string(data), -1)
		if len(fields) < 2 {
			t.Fatalf("%s: %d graphic fields, want the label split into strips", comp, len(fields))
		}
		for _, f := range fields {
			c, _ := strconv.Atoi(f[2])
			if c > raw.ZPLMaxGraphicBytes {
				t.Errorf("%s: graphic field of %d bytes", comp, c)
			}
		}
		labels, err := printertest.DecodeZPL(data)
		if err != nil || len(labels) != 1 || !labels[0].Bitmap.Equal(b) {
			t.Fatalf("%s: round trip failed: %v", comp, err)
		}
	}
}

func TestZ64CRCIsXMODEM(t *testing.T) {
	if raw.Z64CRCVariant != "CRC-16/XMODEM" || raw.Z64CRCPoly != 0x1021 || raw.Z64CRCInit != 0 {
		t.Fatalf("Z64 CRC variant changed: %s poly %#x init %#x", raw.Z64CRCVariant, raw.Z64CRCPoly, raw.Z64CRCInit)
	}
	// The catalogue check value of CRC-16/XMODEM.
	if got := raw.Z64CRC([]byte("123456789")); got != 0x31C3 {
		t.Errorf("Z64CRC(123456789) = %04X, want 31C3", got)
	}
	if got := raw.Z64CRC(nil); got != 0 {
		t.Errorf("Z64CRC(empty) = %04X, want 0", got)
	}
	// The CRC in the stream is the one over the base64 text, and the decoder checks it.
	b := raw.FromImage(sample(t, 203, 100, 150))
	data, _ := raw.Encode(b, printertest.Options(raw.ZPL, 203, nil), "", 1)
	m := regexp.MustCompile(`:Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no Z64 field")
	}
	if want := fmt.Sprintf("%04X", raw.Z64CRC(m[1])); string(m[2]) != want {
		t.Errorf("field CRC %s, want %s", m[2], want)
	}
	bad := bytes.Replace(data, m[2], []byte(fmt.Sprintf("%04X", raw.Z64CRC(m[1])^1)), 1)
	if _, err := printertest.DecodeZPL(bad); err == nil || !strings.Contains(err.Error(), "CRC") {
		t.Errorf("a wrong CRC decoded without complaint: %v", err)
	}
}

func TestACSEncoding(t *testing.T) {
	// 16 dots wide: row 0 = FF 00, row 1 the same, row 2 = 00 0F, row 3 all F, row 4 all 0.
	b := raw.NewBitmap(16, 5)
	copy(b.Row(0), []byte{0xff, 0x00})
	copy(b.Row(1), []byte{0xff, 0x00})
	copy(b.Row(2), []byte{0x00, 0x0f})
	copy(b.Row(3), []byte{0xff, 0xff})
	opt := printertest.Options(raw.ZPL, 203, func(o *raw.Options) { o.Compression = raw.ACS })
	data, err := raw.Encode(b, opt, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("^GFA,10,10,2,FF,:I0F!,^FS")) {
		t.Errorf("ACS field:\n%s", data)
	}
	// Long runs need the summed counts (z = 400): a 600 dpi row of 4 inches.
	wide := raw.NewBitmap(2400, 3)
	for x := 0; x < 2000; x++ {
		wide.Set(x, 0, true)
	}
	for x := 8; x < 2400; x += 2 {
		wide.Set(x, 1, true)
	}
	wide.Set(2399, 2, true)
	data, err = raw.Encode(wide, opt, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("zkF,")) { // 500 F: 400 + 100
		t.Errorf("long run not coded as z…: %.80s", data[bytes.Index(data, []byte("^GFA")):])
	}
	labels, err := printertest.DecodeZPL(data)
	if err != nil || !labels[0].Bitmap.Equal(wide) {
		t.Fatalf("round trip: %v", err)
	}
}

func TestZPLSettings(t *testing.T) {
	b := raw.FromImage(sample(t, 203, 100, 150))
	opt := printertest.Options(raw.ZPL, 203, func(o *raw.Options) { o.Darkness, o.Speed, o.GapMM = 18, 4, 0 })
	data, _ := raw.Encode(b, opt, "", 3)
	s := string(data)
	for _, want := range []string{"~SD18\n^XA\n", "^PW800\n", "^LL1200\n", "^MNN\n", "^PR4\n", "^PQ3\n^XZ\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	plain, _ := raw.Encode(b, printertest.Options(raw.ZPL, 203, nil), "", 1)
	for _, absent := range []string{"~SD", "^PR", "^MN"} {
		if bytes.Contains(plain, []byte(absent)) {
			t.Errorf("%s sent without being set", absent)
		}
	}
}

func TestTSPLFormat(t *testing.T) {
	b := raw.FromImage(sample(t, 203, 100, 150))
	opt := printertest.Options(raw.TSPL, 203, func(o *raw.Options) { o.Darkness, o.Speed = 12, 3 })
	data, _ := raw.Encode(b, opt, "JD1", 2)
	head := string(data[:bytes.Index(data, []byte("BITMAP"))])
	want := "SIZE 100 mm,150 mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1\r\nDENSITY 12\r\nSPEED 3\r\nCLS\r\n"
	if head != want {
		t.Errorf("header\n%q\nwant\n%q", head, want)
	}
	if !bytes.HasSuffix(data, []byte("\r\nPRINT 1,2\r\n")) {
		t.Errorf("does not end with PRINT 1,2: %q", data[len(data)-20:])
	}
	// Polarity 0 (TSC): the payload is the bitmap inverted, bit 0 = black.
	bm := bytes.Index(data, []byte("BITMAP 0,0,100,1200,0,"))
	if bm < 0 {
		t.Fatalf("no BITMAP 0,0,100,1200,0, command")
	}
	payload := data[bm+len("BITMAP 0,0,100,1200,0,"):]
	payload = payload[:b.Stride*b.Height]
	for i := range b.Pix {
		if payload[i] != ^b.Pix[i] {
			t.Fatalf("byte %d = %02x, want the inverse of %02x", i, payload[i], b.Pix[i])
		}
	}
	cont, _ := raw.Encode(b, printertest.Options(raw.TSPL, 203, func(o *raw.Options) { o.GapMM = 0 }), "", 1)
	if !bytes.Contains(cont, []byte("\r\nGAP 0,0\r\n")) {
		t.Error("continuous media is not GAP 0,0")
	}
	if bytes.Contains(data, []byte("JD1")) {
		t.Error("the job name went into the TSPL stream")
	}
}

func TestESCPOSStrips(t *testing.T) {
	b := raw.FromImage(sample(t, 203, 72, 100))
	opt := printertest.Options(raw.ESCPOS, 203, func(o *raw.Options) { o.FeedLines = 5; o.Cut = raw.CutFull })
	data, _ := raw.Encode(b, opt, "", 2)
	if !bytes.HasPrefix(data, []byte{0x1b, '@'}) {
		t.Error("does not start with ESC @")
	}
	labels, err := printertest.DecodeESCPOS(data)
	if err != nil || len(labels) != 2 {
		t.Fatalf("decoded %d labels: %v", len(labels), err)
	}
	for _, l := range labels {
		if !printertest.SameDots(l.Bitmap, b) || l.Settings["feed"] != "5" || l.Settings["cut"] != "0" {
			t.Errorf("label: equal %v, settings %v", l.Bitmap.Equal(b), l.Settings)
		}
		n, _ := strconv.Atoi(l.Settings["rows"])
		if n > raw.ESCPOSStripRows {
			t.Errorf("strip of %d rows", n)
		}
	}
	strips := bytes.Count(data, []byte{0x1d, 'v', '0', 0})
	if want := 2 * ((b.Height + raw.ESCPOSStripRows - 1) / raw.ESCPOSStripRows); strips != want {
		t.Errorf("%d raster commands, want %d", strips, want)
	}
}
