package printer_test

import (
	"bytes"
	"image"
	"slices"
	"strings"
	"testing"

	"station/printer/calib"
	"station/printer/printertest"
	"station/printer/raw"
)

// Consignee names that would be commands if they ever reached the stream as text.
var hostileNames = []string{
	"^XA^FO0,0^FDX^FS^XZ~JR",
	"\"\r\nPRINT 999\r\n",
	"\x1b@\x1dV\x00\x1dv0",
	"~SD30^PQ99^XZ",
	"SIZE 1 mm,1 mm\r\nCLS\r\nBITMAP 0,0,1,1,0,\xff\r\n",
}

// TestHostileTextChangesOnlyPixels draws each hostile name into the label, as the renderer
// would, and checks that the command stream is the same as without it: same commands, one
// label, one PRINT; only the bitmap differs, and it decodes to exactly what was drawn.
func TestHostileTextChangesOnlyPixels(t *testing.T) {
	base := printertest.Sample(t, 203, 100, 150)
	for _, lang := range []raw.Language{raw.ZPL, raw.TSPL, raw.ESCPOS} {
		for _, comp := range []raw.Compression{raw.Z64, raw.ACS} {
			if lang != raw.ZPL && comp == raw.ACS {
				continue
			}
			opt := printertest.Options(lang, 203, func(o *raw.Options) { o.Compression = comp })
			clean, err := raw.Encode(raw.FromImage(base), opt, "order-1", 1)
			if err != nil {
				t.Fatal(err)
			}
			cleanLabels, err := printertest.Decode(lang, clean, 203, opt.Polarity)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range hostileNames {
				img := image.NewGray(base.Bounds())
				copy(img.Pix, base.Pix)
				calib.Clear(img, image.Rect(30, 440, 790, 500))
				calib.Text(img, 32, 444, name, 3)
				want := raw.FromImage(img)
				data, err := raw.Encode(want, opt, "order-1", 1)
				if err != nil {
					t.Fatal(err)
				}
				labels, err := printertest.Decode(lang, data, 203, opt.Polarity)
				if err != nil {
					t.Fatalf("%s/%s %q: the stream does not decode strictly: %v", lang, comp, name, err)
				}
				if len(labels) != 1 || labels[0].Copies != 1 {
					t.Fatalf("%s %q: %d labels", lang, name, len(labels))
				}
				if !slices.Equal(labels[0].Commands, cleanLabels[0].Commands) {
					t.Errorf("%s %q: commands %v, without the name %v", lang, name, labels[0].Commands, cleanLabels[0].Commands)
				}
				if !printertest.SameDots(labels[0].Bitmap, want) || printertest.SameDots(labels[0].Bitmap, cleanLabels[0].Bitmap) {
					t.Errorf("%s %q: the name did not arrive as exactly its pixels", lang, name)
				}
				switch lang {
				case raw.ZPL:
					if n := bytes.Count(data, []byte("^XA")); n != 1 || bytes.Count(data, []byte("^XZ")) != 1 {
						t.Errorf("ZPL %q: %d ^XA", name, n)
					}
				case raw.TSPL:
					if n := bytes.Count(data, []byte("PRINT ")); n != 1 {
						t.Errorf("TSPL %q: %d PRINT commands", name, n)
					}
				}
			}
		}
	}
}

// TestJobNameIsEscaped checks the only text that enters a stream: the job name in ZPL's ^FX
// comment. Hostile names stay one harmless comment; TSPL and ESC/POS carry no name at all.
func TestJobNameIsEscaped(t *testing.T) {
	b := raw.FromImage(printertest.Sample(t, 203, 100, 150))
	for _, name := range hostileNames {
		data, err := raw.Encode(b, printertest.Options(raw.ZPL, 203, nil), name, 1)
		if err != nil {
			t.Fatal(err)
		}
		labels, err := printertest.DecodeZPL(data)
		if err != nil || len(labels) != 1 {
			t.Fatalf("%q: %d labels, %v", name, len(labels), err)
		}
		if strings.ContainsAny(labels[0].Comment, "^~\r\n\"\x1b") {
			t.Errorf("%q: comment %q keeps a special character", name, labels[0].Comment)
		}
		if bytes.Count(data, []byte("^")) != bytes.Count(data[bytes.Index(data, []byte("^PW")):], []byte("^"))+2 {
			t.Errorf("%q: extra commands around the comment", name)
		}
		for _, lang := range []raw.Language{raw.TSPL, raw.ESCPOS} {
			data, _ := raw.Encode(b, printertest.Options(lang, 203, nil), name, 1)
			if bytes.Contains(data, []byte(name)) {
				t.Errorf("%s carries the job name", lang)
			}
		}
	}
}

func TestZPLFieldData(t *testing.T) {
	cases := map[string]string{
		"JD0012345":              "^FH^FDJD0012345^FS",
		"^XA^FDX^FS^XZ~JR":       "^FH^FD_5EXA_5EFDX_5EFS_5EXZ_7EJR^FS",
		"a_b":                    "^FH^FDa_5Fb^FS",
		"line\r\nbreak":          "^FH^FDline_0D_0Abreak^FS",
		"张三":                     "^FH^FD_E5_BC_A0_E4_B8_89^FS",
		">:start code, 12/3-4.5": "^FH^FD_3E:start code_2C 12/3-4.5^FS",
	}
	for in, want := range cases {
		if got := raw.ZPLFieldData(in); got != want {
			t.Errorf("ZPLFieldData(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTSPLString(t *testing.T) {
	cases := map[string]string{
		`JD001`:               `"JD001"`,
		"\"\r\nPRINT 999\r\n": `"\["]??PRINT 999??"`,
		`say "hi"`:            `"say \["]hi\["]"`,
		"张":                   `"???"`,
	}
	for in, want := range cases {
		got := raw.TSPLString(in)
		if got != want {
			t.Errorf("TSPLString(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(got, "\r\n") || strings.Count(got, `"`)-strings.Count(got, `\["]`) != 2 {
			t.Errorf("TSPLString(%q) = %q can end the string or the command", in, got)
		}
	}
}
