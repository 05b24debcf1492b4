// Package calib draws the printer calibration label and the few drawing primitives it needs:
// filled rectangles, whole-dot Code 128 barcodes and scaled bitmap text, on white *image.Gray
// canvases at the printer's resolution.
package calib

import (
	"fmt"
	"image"
	"image/draw"
	"station/internal/geom"

	"github.com/boombuler/barcode/code128"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// NewCanvas returns a white w x h image.
func NewCanvas(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return img
}

// Fill paints r black.
func Fill(img *image.Gray, r image.Rectangle) { paint(img, r, 0) }

// Clear paints r white.
func Clear(img *image.Gray, r image.Rectangle) { paint(img, r, 0xff) }

func paint(img *image.Gray, r image.Rectangle, v uint8) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = v
		}
	}
}

// Frame draws the outline of r, t dots thick, inside r.
func Frame(img *image.Gray, r image.Rectangle, t int) {
	Fill(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+t))
	Fill(img, image.Rect(r.Min.X, r.Max.Y-t, r.Max.X, r.Max.Y))
	Fill(img, image.Rect(r.Min.X, r.Min.Y, r.Min.X+t, r.Max.Y))
	Fill(img, image.Rect(r.Max.X-t, r.Min.Y, r.Max.X, r.Max.Y))
}

// Code128 draws content as a Code 128 barcode with its top-left corner at (x, y): every module
// is exactly module dots wide, so that the bars sit on the printer's dot grid. It returns the
// barcode's width in dots (quiet zones not included: leave 10 modules white on each side).
func Code128(img *image.Gray, x, y int, content string, module, height int) (int, error) {
	bc, err := code128.Encode(content)
	if err != nil {
		return 0, fmt.Errorf("code 128 of %q: %w", content, err)
	}
	n := bc.Bounds().Dx()
	for i := 0; i < n; i++ {
		if r, _, _, _ := bc.At(bc.Bounds().Min.X+i, bc.Bounds().Min.Y).RGBA(); r == 0 {
			Fill(img, image.Rect(x+i*module, y, x+(i+1)*module, y+height))
		}
	}
	return n * module, nil
}

// Code128Width is the width in dots of content's barcode at module dots per module.
func Code128Width(content string, module int) (int, error) {
	bc, err := code128.Encode(content)
	if err != nil {
		return 0, err
	}
	return bc.Bounds().Dx() * module, nil
}

// Text draws s in a 7x13 bitmap font scaled by scale (whole dots per font pixel) with its
// top-left corner at (x, y), black on whatever is there. It returns the width drawn.
func Text(img *image.Gray, x, y int, s string, scale int) int {
	if scale < 1 {
		scale = 1
	}
	face := basicfont.Face7x13
	w := font.MeasureString(face, s).Ceil()
	h := face.Metrics().Height.Ceil()
	small := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: small, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Metrics().Ascent.Ceil())}
	d.DrawString(s)
	for sy := 0; sy < h; sy++ {
		for sx := 0; sx < w; sx++ {
			if small.AlphaAt(sx, sy).A >= 0x80 {
				Fill(img, image.Rect(x+sx*scale, y+sy*scale, x+(sx+1)*scale, y+(sy+1)*scale))
			}
		}
	}
	return w * scale
}

// TextHeight is the height of a line of Text at scale.
func TextHeight(scale int) int { return basicfont.Face7x13.Metrics().Height.Ceil() * max(scale, 1) }

// Options describe the printer the calibration label is for; they are printed on it.
type Options struct {
	WidthMM, HeightMM float64
	DPI               int
	Spec              string
	Lang              string
	Polarity          int
	OffsetXMM         float64
	OffsetYMM         float64
	Darkness          int // < 0: the printer's own
	Speed             int // 0: the printer's own
}

// Barcode is what the calibration label's barcodes hold.
const Barcode = "STATION-TEST-128"

// Label draws the calibration label: corner marks and a frame to see the label's edges and any
// offset, millimetre rulers to measure it, the settings in words, darkness patches (solid,
// checkerboards, lines 1-4 dots wide) and Code 128 barcodes at 2 and 3 dots per module.
func Label(o Options) (*image.Gray, error) {
	if o.DPI <= 0 || o.WidthMM <= 0 || o.HeightMM <= 0 {
		return nil, fmt.Errorf("calibration label: size and dpi are needed")
	}
	mm := func(v float64) int { return geom.Dots(v, o.DPI) }
	W, H := mm(o.WidthMM), mm(o.HeightMM)
	img := NewCanvas(W, H)
	t := max(1, mm(0.5))

	// Corner marks touching the edges: if one is cut off, the label is shifted or too small.
	arm := mm(6)
	for _, c := range []image.Point{{0, 0}, {W, 0}, {0, H}, {W, H}} {
		sx, sy := 1, 1
		if c.X > 0 {
			sx = -1
		}
		if c.Y > 0 {
			sy = -1
		}
		Fill(img, image.Rectangle{c, c.Add(image.Pt(sx*arm, sy*2*t))}.Canon())
		Fill(img, image.Rectangle{c, c.Add(image.Pt(sx*2*t, sy*arm))}.Canon())
	}
	// A frame 3 mm inside the edges.
	Frame(img, image.Rect(mm(3), mm(3), W-mm(3), H-mm(3)), t)
	// Rulers along the top and the left: a tick every mm, longer every 5 and 10 mm.
	for v := 0.0; v <= o.WidthMM; v++ {
		l := 1.5
		if int(v)%10 == 0 {
			l = 5
		} else if int(v)%5 == 0 {
			l = 3
		}
		x := mm(v)
		Fill(img, image.Rect(x, mm(3), x+1, mm(3+l)))
	}
	for v := 0.0; v <= o.HeightMM; v++ {
		l := 1.5
		if int(v)%10 == 0 {
			l = 5
		} else if int(v)%5 == 0 {
			l = 3
		}
		y := mm(v)
		Fill(img, image.Rect(mm(3), y, mm(3+l), y+1))
	}
	scale := max(1, mm(2.2)/13)
	lineH := TextHeight(scale) + mm(0.8)
	x, y := mm(10), mm(10)
	line := func(s string) {
		Text(img, x, y, s, scale)
		y += lineH
	}
	dark := "printer's own"
	if o.Darkness >= 0 {
		dark = fmt.Sprint(o.Darkness)
	}
	speed := "printer's own"
	if o.Speed > 0 {
		speed = fmt.Sprint(o.Speed)
	}
	line("STATION CALIBRATION LABEL")
	line(fmt.Sprintf("size %gx%g mm  %d dpi = %dx%d dots", o.WidthMM, o.HeightMM, o.DPI, W, H))
	line(fmt.Sprintf("lang %s  polarity %d  darkness %s  speed %s", o.Lang, o.Polarity, dark, speed))
	line(fmt.Sprintf("offset %g,%g mm", o.OffsetXMM, o.OffsetYMM))
	if len(o.Spec) <= 48 {
		line(o.Spec)
	}
	y += mm(1)
	line("White on black? Set polarity=1 (or 0).")
	line("Corner marks cut off? Set offset=X,Y mm.")
	line("Thin lines missing? Raise darkness.")
	line("Checkerboards solid? Lower darkness.")

	// Darkness patches: solid, 1-dot and 2-dot checkerboards, sparse dots, then lines 1-4 dots.
	y += mm(2)
	patch := mm(10)
	px := x
	for i, kind := range []int{0, 1, 2, 4} {
		r := image.Rect(px+i*(patch+mm(3)), y, px+i*(patch+mm(3))+patch, y+patch)
		for yy := r.Min.Y; yy < r.Max.Y; yy++ {
			for xx := r.Min.X; xx < r.Max.X; xx++ {
				on := true
				switch kind {
				case 1:
					on = (xx+yy)%2 == 0
				case 2:
					on = (xx/2+yy/2)%2 == 0
				case 4:
					on = xx%4 == 0 && yy%4 == 0
				}
				if on {
					img.Pix[img.PixOffset(xx, yy)] = 0
				}
			}
		}
	}
	lx := px + 4*(patch+mm(3))
	for wdots := 1; wdots <= 4; wdots++ {
		for k := 0; k < 3; k++ {
			Fill(img, image.Rect(lx, y, lx+wdots, y+patch))
			lx += wdots + mm(1)
		}
		lx += mm(1.5)
	}
	y += patch + mm(3)

	// Barcodes at 2 and 3 dots per module, with their quiet zones.
	for _, module := range []int{2, 3} {
		bw, _ := Code128Width(Barcode, module)
		if x+bw+10*module > W-mm(4) {
			continue
		}
		Text(img, x, y, fmt.Sprintf("Code 128, %d dots per module:", module), scale)
		y += lineH
		bh := mm(12)
		if y+bh+lineH > H-mm(4) {
			break
		}
		if _, err := Code128(img, x+10*module, y, Barcode, module, bh); err != nil {
			return nil, err
		}
		y += bh + mm(3)
	}
	// A solid block that must come out black.
	if y+mm(10) < H-mm(4) {
		Fill(img, image.Rect(x, y, x+mm(30), y+mm(10)))
		Clear(img, image.Rect(x+mm(2), y+mm(2), x+mm(28), y+mm(8)))
		Text(img, x+mm(4), y+mm(3), "BLACK FRAME", max(1, scale))
	}
	return img, nil
}

// Draw copies src onto dst at p (for composing labels in tests).
func Draw(dst *image.Gray, src image.Image, p image.Point) {
	draw.Draw(dst, src.Bounds().Sub(src.Bounds().Min).Add(p), src, src.Bounds().Min, draw.Src)
}
