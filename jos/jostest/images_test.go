package jostest

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/gif"
	"image/jpeg"
	"station/jos/jostest/sample"
	"station/jos/jostest/shop"
	"strings"
	"testing"

	"github.com/boombuler/barcode/code128"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
)

func decodeB64(t *testing.T, field, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%s is not base64: %v", field, err)
	}
	return b
}

func scan(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("barcode does not scan: %v", err)
	}
	return res.GetText()
}

func TestImagesDecode(t *testing.T) {
	s, c := newSim(t, Options{})
	lbp := findOrder(t, s, func(o *order) bool { return o.Type != shop.TypeSOP && o.Pickup != 0 && o.Level != 0 })
	pd := obj(t, c.ok("360buy.order.print.data.get", "order_printdata_response", map[string]string{"order_id": lbp.ID}), "order_printdata")

	raw := decodeB64(t, "generade", str(t, pd, "generade"))
	if !strings.HasPrefix(str(t, pd, "generade"), "/9j/4AAQSkZJRg") {
		t.Fatalf("generade does not start like JD's JFIF images: %.20s", pd["generade"])
	}
	img, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("generade: %v", err)
	}
	if got := scan(t, img); got != lbp.ID {
		t.Fatalf("barcode reads %q, want %q", got, lbp.ID)
	}
	// Printable: at least two pixels a module, a ten-module quiet zone, and 60-80 px of bars.
	bc, _ := code128.Encode(lbp.ID)
	modules := bc.Bounds().Dx()
	if w := img.Bounds().Dx(); w < (modules+20)*2 {
		t.Errorf("barcode %d px wide for %d modules: less than 2 px a module with quiet zones", w, modules)
	}
	if h := img.Bounds().Dy(); h < 60 || h > 110 {
		t.Errorf("barcode image %d px high", h)
	}
	for y := 0; y < img.Bounds().Dy(); y += 8 {
		for x := 0; x < 2*sample.QuietZone-2; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0xc000 {
				t.Fatalf("ink at (%d,%d) inside the quiet zone", x, y)
			}
		}
	}

	for _, f := range []string{"pickUpSign", "orderLevelSign"} {
		raw := decodeB64(t, f, str(t, pd, f))
		g, err := gif.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if g.Bounds().Dx() != sample.BadgeSize || g.Bounds().Dy() != sample.BadgeSize {
			t.Errorf("%s is %v", f, g.Bounds())
		}
		// A drawn badge: border ink in the corner, white inside, ink in the glyph.
		ink, white := 0, 0
		for y := range sample.BadgeSize {
			for x := range sample.BadgeSize {
				if r, _, _, _ := g.At(x, y).RGBA(); r == 0xffff {
					white++
				} else {
					ink++
				}
			}
		}
		if r, _, _, _ := g.At(0, 0).RGBA(); r == 0xffff || ink < 200 || white < 600 {
			t.Errorf("%s does not look like a bordered badge: %d ink, %d white pixels", f, ink, white)
		}
	}

	// Each pickup type and level has its own badge; orders without one send "".
	signs := map[string]bool{}
	for _, o := range s.orders {
		if o.Type == shop.TypeSOP {
			continue
		}
		p, _ := s.pickupSign(o)
		l, _ := s.levelSign(o)
		if (p == "") != (o.Pickup == 0) || (l == "") != (o.Level == 0) {
			t.Fatalf("order %s: pickup %d sign %t, level %d sign %t", o.ID, o.Pickup, p != "", o.Level, l != "")
		}
		signs[p], signs[l] = true, true
	}
	delete(signs, "")
	if len(signs) != 7 {
		t.Errorf("%d distinct badges, want 3 pickup + 4 level", len(signs))
	}
}

func TestSOPBarcodeSometimes(t *testing.T) {
	s, c := newSim(t, Options{})
	with := findOrder(t, s, func(o *order) bool { return o.Type == shop.TypeSOP && o.Barcode })
	without := findOrder(t, s, func(o *order) bool { return o.Type == shop.TypeSOP && !o.Barcode })
	pd := obj(t, c.ok("360buy.order.sop.print.data.get", "order_sop_printdata_response", map[string]string{"order_id": with.ID}), "order_printdata")
	img, err := jpeg.Decode(bytes.NewReader(decodeB64(t, "generade", str(t, pd, "generade"))))
	if err != nil {
		t.Fatal(err)
	}
	if got := scan(t, img); got != with.ID {
		t.Errorf("SOP barcode reads %q, want %s", got, with.ID)
	}
	pd = obj(t, c.ok("360buy.order.sop.print.data.get", "order_sop_printdata_response", map[string]string{"order_id": without.ID}), "order_printdata")
	if pd["generade"] != "" {
		t.Errorf("generade %q, want empty as JD often sends for SOP", pd["generade"])
	}
}

// Every barcode the simulator can make scans back, for ids of both lengths.
func TestBarcodesScan(t *testing.T) {
	lengths := map[int]bool{}
	for _, seed := range []int64{1, 2, 3, 4, 5, 6} {
		s := New(Options{Orders: 5, Seed: seed, Now: fixedNow})
		for _, o := range s.orders {
			lengths[len(o.ID)] = true
			b, err := sample.BarcodeJPEG(o.ID)
			if err != nil {
				t.Fatal(err)
			}
			img, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := scan(t, img); got != o.ID {
				t.Errorf("seed %d: %q scans as %q", seed, o.ID, got)
			}
		}
	}
	if !lengths[11] || !lengths[12] {
		t.Errorf("id lengths %v: want both 11 and 12 digits among the seeds", lengths)
	}
}
