package printertest

import (
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
)

// ScanCode128 reads the Code 128 barcode in the part r of img (the whole image when r is
// empty), as a scanner would.
func ScanCode128(img image.Image, r image.Rectangle) (string, error) {
	if !r.Empty() {
		if s, ok := img.(interface {
			SubImage(image.Rectangle) image.Image
		}); ok {
			img = s.SubImage(r)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", fmt.Errorf("no Code 128 barcode found: %w", err)
	}
	return res.GetText(), nil
}
