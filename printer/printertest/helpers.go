package printertest

import (
	"bytes"
	"image"
	"testing"

	"station/internal/geom"
	"station/printer/raw"
)

// SampleCode is what Sample's main barcode carries.
const SampleCode = "JD0012345678901"

// Sample is SampleLabel for a test: w×h mm at dpi, its barcode carrying SampleCode.
func Sample(t testing.TB, dpi int, w, h float64) *image.Gray {
	t.Helper()
	img, err := SampleLabel(w, h, dpi, SampleCode, 1)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// BarcodeBand is where SampleLabel puts its main barcode.
func BarcodeBand(dpi int) image.Rectangle {
	d := func(mm float64) int { return geom.Dots(mm, dpi) }
	return image.Rect(0, d(21), d(100), d(39))
}

// SameDots compares bitmaps dot for dot. ESC/POS carries widths in whole bytes, so a decoded
// bitmap may be up to 7 (white) dots wider than the one sent.
func SameDots(got, want *raw.Bitmap) bool {
	return got.Stride == want.Stride && got.Height == want.Height && bytes.Equal(got.Pix, want.Pix) &&
		got.Width >= want.Width && got.Width < want.Width+8
}

// Options are the default printer options for lang at dpi, changed by mod (may be nil).
func Options(lang raw.Language, dpi int, mod func(*raw.Options)) raw.Options {
	o := raw.DefaultOptions()
	o.Lang, o.DPI = lang, dpi
	if mod != nil {
		mod(&o)
	}
	return o
}
