package raw

import (
	"image"
	"image/color"
)

// Bitmap is a 1-bit label image in the layout the printer languages share: 1 is a black (burnt)
// dot, the most significant bit of each byte is the leftmost dot, and each row is padded to a
// whole byte with white (0) bits.
type Bitmap struct {
	Width, Height int
	Stride        int // bytes per row: (Width+7)/8
	Pix           []byte
}

// NewBitmap returns an all-white bitmap.
func NewBitmap(w, h int) *Bitmap {
	if w < 0 {
		w = 0
	}
	if h < 0 {
		h = 0
	}
	s := (w + 7) / 8
	return &Bitmap{Width: w, Height: h, Stride: s, Pix: make([]byte, s*h)}
}

// Row returns row y's bytes (shared, not copied).
func (b *Bitmap) Row(y int) []byte { return b.Pix[y*b.Stride : (y+1)*b.Stride] }

// Black reports whether the dot at (x, y) is black; dots outside are white.
func (b *Bitmap) Black(x, y int) bool {
	if x < 0 || y < 0 || x >= b.Width || y >= b.Height {
		return false
	}
	return b.Pix[y*b.Stride+x>>3]&(0x80>>(x&7)) != 0
}

// Set paints the dot at (x, y); dots outside are ignored.
func (b *Bitmap) Set(x, y int, black bool) {
	if x < 0 || y < 0 || x >= b.Width || y >= b.Height {
		return
	}
	i, m := y*b.Stride+x>>3, byte(0x80>>(x&7))
	if black {
		b.Pix[i] |= m
	} else {
		b.Pix[i] &^= m
	}
}

// Equal reports whether two bitmaps have the same size and dots.
func (b *Bitmap) Equal(o *Bitmap) bool {
	if b.Width != o.Width || b.Height != o.Height || b.Stride != o.Stride {
		return false
	}
	return string(b.Pix) == string(o.Pix)
}

// Gray returns the bitmap as an 8-bit image (black 0, white 255), for viewing and for scanning
// barcodes in tests.
func (b *Bitmap) Gray() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, b.Width, b.Height))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	for y := 0; y < b.Height; y++ {
		row := b.Row(y)
		out := g.Pix[y*g.Stride:]
		for x := 0; x < b.Width; x++ {
			if row[x>>3]&(0x80>>(x&7)) != 0 {
				out[x] = 0
			}
		}
	}
	return g
}

// Threshold is the gray level (0-255) below which a pixel prints black. Labels come with
// barcodes already snapped to whole dots, so a fixed threshold keeps their bars exact; dithering
// would only blur them.
const Threshold = 128

// FromImage thresholds img into a bitmap of the same size. Transparent pixels count as white
// paper.
func FromImage(img image.Image) *Bitmap {
	r := img.Bounds()
	b := NewBitmap(r.Dx(), r.Dy())
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Height; y++ {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			packGray(b.Row(y), m.Pix[i:i+b.Width])
		}
		return b
	case *image.RGBA:
		for y := 0; y < b.Height; y++ {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			row := b.Row(y)
			for x := 0; x < b.Width; x++ {
				q := p[4*x : 4*x+4 : 4*x+4]
				if black16(uint32(q[0])*0x101, uint32(q[1])*0x101, uint32(q[2])*0x101, uint32(q[3])*0x101) {
					row[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
		return b
	case *image.NRGBA:
		for y := 0; y < b.Height; y++ {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			row := b.Row(y)
			for x := 0; x < b.Width; x++ {
				q := p[4*x : 4*x+4 : 4*x+4]
				a := uint32(q[3]) * 0x101
				// Premultiply as color.NRGBA.RGBA does, so that every path agrees.
				pm := func(c uint8) uint32 { return uint32(c) * 0x101 * a / 0xffff }
				if black16(pm(q[0]), pm(q[1]), pm(q[2]), a) {
					row[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
		return b
	case *image.Paletted:
		black := make([]bool, len(m.Palette))
		for i, c := range m.Palette {
			black[i] = isBlack(c)
		}
		for y := 0; y < b.Height; y++ {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			row := b.Row(y)
			for x := 0; x < b.Width; x++ {
				if int(p[x]) < len(black) && black[p[x]] {
					row[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
		return b
	}
	for y := 0; y < b.Height; y++ {
		row := b.Row(y)
		for x := 0; x < b.Width; x++ {
			if isBlack(img.At(r.Min.X+x, r.Min.Y+y)) {
				row[x>>3] |= 0x80 >> (x & 7)
			}
		}
	}
	return b
}

func isBlack(c color.Color) bool {
	return black16(c.RGBA())
}

// black16 tells whether a premultiplied 16-bit colour, laid on white paper, is darker than
// Threshold (ITU-R BT.601 luminance, as color.GrayModel computes it).
func black16(r, g, b, a uint32) bool {
	w := 0xffff - a
	y := (19595*(r+w) + 38470*(g+w) + 7471*(b+w) + 1<<15) >> 16
	return y < Threshold<<8
}

// packGray sets the bits of dst for the pixels of src darker than Threshold, eight at a time.
func packGray(dst, src []uint8) {
	n := len(src) &^ 7
	for x := 0; x < n; x += 8 {
		p := src[x : x+8 : x+8]
		// Bit 7 of a pixel is set when it is at least 128 (white); gather those bits and invert.
		dst[x>>3] = ^(p[0]&0x80 | p[1]>>1&0x40 | p[2]>>2&0x20 | p[3]>>3&0x10 |
			p[4]>>4&0x08 | p[5]>>5&0x04 | p[6]>>6&0x02 | p[7]>>7)
	}
	for x := n; x < len(src); x++ {
		if src[x] < Threshold {
			dst[x>>3] |= 0x80 >> (x & 7)
		}
	}
}

// Draw ORs src onto b with src's top-left corner at (dx, dy); dots that fall outside b are
// dropped.
func (b *Bitmap) Draw(src *Bitmap, dx, dy int) {
	var lastMask byte = 0xff
	if r := b.Width & 7; r != 0 {
		lastMask = byte(0xff << (8 - r))
	}
	for y := 0; y < src.Height; y++ {
		ty := y + dy
		if ty < 0 || ty >= b.Height {
			continue
		}
		out := b.Row(ty)
		for i, v := range src.Row(y) {
			if v == 0 {
				continue
			}
			tx := i*8 + dx
			bi, s := tx>>3, uint(tx&7) // floor division, also for negative tx
			if bi >= 0 && bi < len(out) {
				out[bi] |= v >> s
			}
			if s != 0 && bi+1 >= 0 && bi+1 < len(out) {
				out[bi+1] |= v << (8 - s)
			}
		}
		if len(out) > 0 {
			out[len(out)-1] &= lastMask // keep the row padding white
		}
	}
}
