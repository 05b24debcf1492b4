package calib_test

import (
	"image"
	"testing"

	"station/internal/geom"
	"station/printer/calib"
	"station/printer/printertest"
	"station/printer/raw"
)

func TestLabelBarcodesScan(t *testing.T) {
	for _, c := range []struct {
		w, h float64
		dpi  int
	}{{100, 150, 203}, {100, 150, 300}, {76, 130, 203}, {100, 100, 203}} {
		img, err := calib.Label(calib.Options{WidthMM: c.w, HeightMM: c.h, DPI: c.dpi, Lang: "zpl", Darkness: -1})
		if err != nil {
			t.Fatal(err)
		}
		if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != geom.Dots(c.w, c.dpi) || h != geom.Dots(c.h, c.dpi) {
			t.Errorf("%gx%g@%d: image %dx%d", c.w, c.h, c.dpi, w, h)
		}
		// Every barcode on the label must scan: find them band by band.
		found := 0
		b := raw.FromImage(img).Gray()
		step := geom.Dots(4, c.dpi)
		for y := 0; y+step <= img.Bounds().Dy(); y += step {
			if got, err := printertest.ScanCode128(b, image.Rect(0, y, img.Bounds().Dx(), y+step)); err == nil {
				if got != calib.Barcode {
					t.Fatalf("%gx%g@%d: a barcode reads %q", c.w, c.h, c.dpi, got)
				}
				found++
			}
		}
		if found == 0 {
			t.Errorf("%gx%g@%d: no barcode scans", c.w, c.h, c.dpi)
		}
	}
}

func TestCode128WholeDots(t *testing.T) {
	img := calib.NewCanvas(400, 40)
	w, err := calib.Code128(img, 20, 0, "AB12", 3, 40)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := calib.Code128Width("AB12", 3); w != want || w%3 != 0 {
		t.Errorf("width %d", w)
	}
	// Bars start and end on module boundaries.
	for x := 21; x < 20+w; x++ {
		if img.GrayAt(x, 5) != img.GrayAt(x-1, 5) && (x-20)%3 != 0 {
			t.Fatalf("an edge at x=%d is not on the module grid", x)
		}
	}
	if got, err := printertest.ScanCode128(img, image.Rectangle{}); err != nil || got != "AB12" {
		t.Errorf("scan: %q %v", got, err)
	}
	if _, err := calib.Code128(img, 0, 0, "张", 2, 10); err == nil {
		t.Error("a non-ASCII barcode was drawn")
	}
}
