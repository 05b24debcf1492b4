// Package raster draws render's label layouts as grey pixels for the thermal printers and the
// window's preview: anti-aliased text with the embedded fonts, barcode modules on whole dots.
package raster

import (
	"image"
	"math"
	"station/internal/geom"
	"station/render"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Draw draws the label at dpi as grey pixels: white paper (255), black ink (0), anti-aliased
// text and images, ready to threshold to one bit. Rules and barcode bars are whole dots; each
// barcode module is a whole number of dots, as scanners need.
func Draw(l *render.Label, dpi int) *image.Gray {
	if dpi <= 0 {
		dpi = 203
	}
	k := geom.DotsPerMM(dpi)
	img := image.NewGray(image.Rect(0, 0, int(math.Round(l.W*k)), int(math.Round(l.H*k))))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	r := rasterizer{dst: img, k: k, dpi: k * 25.4}
	for i := range l.Boxes {
		b := &l.Boxes[i]
		switch b.Kind {
		case render.KindRule:
			r.fill(r.px(b.X, b.Y, b.W, b.H), 0)
		case render.KindText:
			r.text(b)
		case render.KindBarcode:
			r.barcode(b)
		case render.KindImage:
			r.image(b)
		}
	}
	return img
}

type faceKey struct {
	f    render.Face
	size float64
}

type rasterizer struct {
	dst   *image.Gray
	k     float64 // dots per mm
	dpi   float64
	faces map[faceKey]font.Face
}

// px converts a box in mm to whole dots, rounding each edge to the nearest dot and keeping at
// least one dot of a non-empty box.
func (r *rasterizer) px(x, y, w, h float64) image.Rectangle {
	x0, y0 := int(math.Round(x*r.k)), int(math.Round(y*r.k))
	x1, y1 := int(math.Round((x+w)*r.k)), int(math.Round((y+h)*r.k))
	if w > 0 && x1 == x0 {
		x1++
	}
	if h > 0 && y1 == y0 {
		y1++
	}
	return image.Rect(x0, y0, x1, y1)
}

func (r *rasterizer) fill(rc image.Rectangle, v uint8) {
	rc = rc.Intersect(r.dst.Rect)
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		row := r.dst.Pix[r.dst.PixOffset(rc.Min.X, y):r.dst.PixOffset(rc.Max.X, y)]
		for i := range row {
			row[i] = v
		}
	}
}

func (r *rasterizer) face(f render.Face, size float64) font.Face {
	key := faceKey{f, size}
	if fc, ok := r.faces[key]; ok {
		return fc
	}
	if r.faces == nil {
		r.faces = map[faceKey]font.Face{}
	}
	fc, err := opentype.NewFace(render.SFNT(f), &opentype.FaceOptions{Size: size, DPI: r.dpi, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	r.faces[key] = fc
	return fc
}

// text draws each line's Runs at the positions the layout measured, so the raster and the PDF
// break and align lines identically. Bold CJK is emboldened by drawing it twice, a stroke apart.
func (r *rasterizer) text(b *render.Box) {
	ink := uint8(0)
	if b.Inverse {
		r.fill(r.px(b.X, b.Y, b.W, b.H), 0)
		ink = 0xFF
	}
	em := b.Size * render.PtToMM
	for i, line := range b.Lines {
		x0, y := b.LineX(line), b.Baseline(i)
		off := 0.0
		if b.Bold {
			off = render.BoldStrokeEm * em / 2
		}
		for _, rn := range render.Runs(line, b.Bold) {
			fc := r.face(rn.Face, b.Size)
			if fc == nil {
				continue
			}
			x := x0 + off + rn.X*em
			embolden := b.Bold && rn.Face == render.FaceCJK
			for _, ch := range rn.Text {
				_, adv, ok := render.Glyph(ch, b.Bold)
				if !ok {
					continue
				}
				dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(x * r.k * 64)), Y: fixed.Int26_6(math.Round(y * r.k * 64))}
				r.glyph(fc, dot, ch, ink)
				if embolden {
					shift := max(render.BoldStrokeEm*em*r.k, 0.75)
					dot.X += fixed.Int26_6(math.Round(shift * 64))
					r.glyph(fc, dot, ch, ink)
				}
				x += adv * em
			}
		}
	}
}

// glyph composites one glyph's coverage mask in the ink colour.
func (r *rasterizer) glyph(fc font.Face, dot fixed.Point26_6, ch rune, ink uint8) {
	dr, mask, mp, _, ok := fc.Glyph(dot, ch)
	if !ok {
		return
	}
	clip := dr.Intersect(r.dst.Rect)
	if clip.Empty() {
		return
	}
	alpha, isAlpha := mask.(*image.Alpha)
	for y := clip.Min.Y; y < clip.Max.Y; y++ {
		di := r.dst.PixOffset(clip.Min.X, y)
		my := mp.Y + y - dr.Min.Y
		for x := clip.Min.X; x < clip.Max.X; x, di = x+1, di+1 {
			mx := mp.X + x - dr.Min.X
			var a uint32
			if isAlpha {
				a = uint32(alpha.Pix[alpha.PixOffset(mx, my)])
			} else {
				_, _, _, a16 := mask.At(mx, my).RGBA()
				a = a16 >> 8
			}
			if a == 0 {
				continue
			}
			d := uint32(r.dst.Pix[di])
			r.dst.Pix[di] = uint8((d*(255-a) + uint32(ink)*a + 127) / 255)
		}
	}
}

// barcode draws the bars with a whole number of dots per module, as close to the layout's module
// width as fits the box, centred in it with its quiet zones.
func (r *rasterizer) barcode(b *render.Box) {
	box := r.px(b.X, b.Y, b.W, b.H)
	n := len(b.Modules) + 2*render.QuietModules
	dots := max(1, int(math.Round(b.Module*r.k)))
	for dots > 1 && n*dots > box.Dx() {
		dots--
	}
	x0 := box.Min.X + (box.Dx()-n*dots)/2 + render.QuietModules*dots
	render.EachBar(b.Modules, func(i, j int) {
		r.fill(image.Rect(x0+i*dots, box.Min.Y, x0+j*dots, box.Max.Y), 0)
	})
}

// image scales the image into its box by area averaging (each dot takes the mean of the image
// area it covers): a barcode image keeps sharp bar edges at any scale, a downscaled sign does not
// alias. A whole-number scale is exact pixel replication.
func (r *rasterizer) image(b *render.Box) {
	box := r.px(b.X, b.Y, b.W, b.H)
	dst := box.Intersect(r.dst.Rect)
	if dst.Empty() || b.Image.Bounds().Empty() {
		return
	}
	src := toGrey(b.Image)
	xs := areaWeights(src.Rect.Dx(), box.Dx())
	ys := areaWeights(src.Rect.Dy(), box.Dy())
	// Horizontal pass into float rows, then vertical.
	tmp := make([]float32, src.Rect.Dy()*box.Dx())
	for y := 0; y < src.Rect.Dy(); y++ {
		row := src.Pix[y*src.Stride:]
		out := tmp[y*box.Dx():]
		for x, ws := range xs {
			var v float32
			for _, w := range ws {
				v += w.w * float32(row[w.i])
			}
			out[x] = v
		}
	}
	for y := dst.Min.Y; y < dst.Max.Y; y++ {
		ws := ys[y-box.Min.Y]
		for x := dst.Min.X; x < dst.Max.X; x++ {
			var v float32
			for _, w := range ws {
				v += w.w * tmp[w.i*box.Dx()+x-box.Min.X]
			}
			i := r.dst.PixOffset(x, y)
			// Ink on paper: keep whichever is darker, so the image does not erase what is under it.
			r.dst.Pix[i] = min(r.dst.Pix[i], uint8(min(max(v+0.5, 0), 255)))
		}
	}
}

type weight struct {
	i int
	w float32
}

// areaWeights gives, for each of n output cells, the source cells (of m) it covers and by how
// much, normalised to 1.
func areaWeights(m, n int) [][]weight {
	out := make([][]weight, n)
	scale := float64(m) / float64(n)
	for j := range out {
		a, b := float64(j)*scale, float64(j+1)*scale
		for i := int(math.Floor(a)); i < int(math.Ceil(b)) && i < m; i++ {
			cover := math.Min(b, float64(i+1)) - math.Max(a, float64(i))
			if cover > 1e-9 {
				out[j] = append(out[j], weight{i, float32(cover / scale)})
			}
		}
	}
	return out
}

// toGrey flattens an image onto white paper as grey levels, starting at (0, 0). A grey image
// that already starts there is returned as it is (the caller only reads it).
func toGrey(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		if m.Rect.Min == (image.Point{}) {
			return m
		}
	case *image.YCbCr:
		if g, ok := render.GreyJPEG(m); ok {
			return g
		}
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if m, ok := img.(*image.Gray); ok {
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return g
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			cr, cg, cb, ca := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			// Luma of the colour composited over white.
			l := (19595*cr + 38470*cg + 7471*cb + 1<<15) >> 16
			l += 0xFFFF - ca
			g.Pix[y*g.Stride+x] = uint8(min(l, 0xFFFF) >> 8)
		}
	}
	return g
}
