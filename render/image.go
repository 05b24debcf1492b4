package render

import "image"

// GreyJPEG returns a JPEG's brightness plane as a grey image starting at (0, 0) when it
// carries no colour (barcode JPEGs): the PDF and the raster backends draw it as it is.
func GreyJPEG(m *image.YCbCr) (*image.Gray, bool) {
	if !isGrey(m) {
		return nil, false
	}
	return luma(m), true
}

// luma copies a JPEG's brightness plane as a grey image starting at (0, 0).
func luma(m *image.YCbCr) *image.Gray {
	b := m.Rect
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		yi := m.YOffset(b.Min.X, b.Min.Y+y)
		copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], m.Y[yi:yi+b.Dx()])
	}
	return g
}

// isGrey reports whether a JPEG carries no colour (all chroma near neutral).
func isGrey(m *image.YCbCr) bool {
	for _, c := range [][]byte{m.Cb, m.Cr} {
		for _, v := range c {
			if v < 124 || v > 132 {
				return false
			}
		}
	}
	return true
}
