package printertest

import (
	"image"
	"math/rand"

	"station/internal/geom"
	"station/printer/calib"
)

// SampleLabel draws a label like a real waybill at dpi: frames and rule lines, a big Code 128
// barcode of code with whole-dot modules, a smaller second barcode, lines of text-like glyphs
// (strokes in character cells, as Chinese text looks to a compressor), ASCII text, a
// QR-code-like block and a dithered picture. seed varies the text.
func SampleLabel(widthMM, heightMM float64, dpi int, code string, seed int64) (*image.Gray, error) {
	mm := func(v float64) int { return geom.Dots(v, dpi) }
	W, H := mm(widthMM), mm(heightMM)
	img := calib.NewCanvas(W, H)
	rng := rand.New(rand.NewSource(seed))
	t := max(2, mm(0.3))

	// Frame and rule lines dividing the label into sections.
	calib.Frame(img, image.Rect(mm(1), mm(1), W-mm(1), H-mm(1)), t)
	for _, y := range []float64{18, 52, 80, 108, 130} {
		if y < heightMM-2 {
			calib.Fill(img, image.Rect(mm(1), mm(y), W-mm(1), mm(y)+t))
		}
	}
	calib.Fill(img, image.Rect(mm(60), mm(80), mm(60)+t, mm(108)))

	// Header: a logo-like mark and big text.
	calib.Fill(img, image.Rect(mm(4), mm(4), mm(16), mm(16)))
	calib.Clear(img, image.Rect(mm(6), mm(6), mm(14), mm(14)))
	calib.Fill(img, image.Rect(mm(8), mm(8), mm(12), mm(12)))
	glyphLine(img, rng, mm(20), mm(5), mm(7), 5)
	calib.Text(img, mm(62), mm(6), "STANDARD", max(1, mm(1.6)/7))

	// The main barcode: 3 dots per module at 203 dpi (4 at 300), 16 mm tall.
	module := max(2, mm(0.375))
	bw, err := calib.Code128Width(code, module)
	if err != nil {
		return nil, err
	}
	bx := max(mm(3), (W-bw)/2)
	if _, err := calib.Code128(img, bx, mm(22), code, module, mm(16)); err != nil {
		return nil, err
	}
	calib.Text(img, bx, mm(40), code, max(1, mm(1.4)/6))

	// Consignee and sender blocks: full lines of glyphs and ASCII digits.
	for i := 0; i < 4; i++ {
		glyphLine(img, rng, mm(4), mm(54)+i*mm(6), mm(4.5), 19)
	}
	calib.Text(img, mm(60), mm(79)-calib.TextHeight(1), "138****5678", 1)
	for i := 0; i < 4; i++ {
		glyphLine(img, rng, mm(4), mm(82)+i*mm(6.3), mm(3.5), 12)
	}

	// A QR-code-like block: 29x29 random modules of whole dots with finder squares.
	qm := max(2, mm(0.5))
	qx, qy := mm(66), mm(83)
	for r := 0; r < 29; r++ {
		for c := 0; c < 29; c++ {
			if rng.Intn(2) == 0 {
				calib.Fill(img, image.Rect(qx+c*qm, qy+r*qm, qx+(c+1)*qm, qy+(r+1)*qm))
			}
		}
	}
	for _, p := range [][2]int{{0, 0}, {22, 0}, {0, 22}} {
		o := image.Pt(qx+p[0]*qm, qy+p[1]*qm)
		calib.Clear(img, image.Rectangle{o, o.Add(image.Pt(7*qm, 7*qm))})
		calib.Frame(img, image.Rectangle{o, o.Add(image.Pt(7*qm, 7*qm))}, qm)
		calib.Fill(img, image.Rectangle{o.Add(image.Pt(2*qm, 2*qm)), o.Add(image.Pt(5*qm, 5*qm))})
	}

	// Items and remarks in smaller glyphs.
	for i := 0; i < 4; i++ {
		glyphLine(img, rng, mm(4), mm(110)+i*mm(4.8), mm(3.5), 24)
	}

	// A second barcode and a dithered picture (like the pickup sign image).
	if heightMM >= 150 {
		if _, err := calib.Code128(img, mm(4), mm(134), code[:min(len(code), 12)], 2, mm(10)); err != nil {
			return nil, err
		}
		picture(img, image.Rect(W-mm(30), mm(132), W-mm(4), H-mm(3)))
	}
	return img, nil
}

// glyphLine draws n character cells of size s starting at (x, y), each with the strokes of a
// Chinese character: several horizontal and vertical strokes and a few short ones, so that a
// compressor sees about the detail real text has.
func glyphLine(img *image.Gray, rng *rand.Rand, x, y, s, n int) {
	st := max(1, s/12)
	for i := 0; i < n; i++ {
		cx := x + i*(s+s/8)
		if cx+s > img.Bounds().Dx()-s/4 {
			return
		}
		for k := 0; k < 7+rng.Intn(6); k++ {
			a := rng.Intn(s - st)
			lo := rng.Intn(s * 2 / 3)
			hi := lo + s/6 + rng.Intn(s-lo-s/6+1)
			switch rng.Intn(5) {
			case 0, 1:
				calib.Fill(img, image.Rect(cx+lo, y+a, cx+hi, y+a+st))
			case 2, 3:
				calib.Fill(img, image.Rect(cx+a, y+lo, cx+a+st, y+hi))
			default: // a short slanted stroke, as a staircase
				for d := 0; d < s/4; d++ {
					calib.Fill(img, image.Rect(cx+a+d, y+lo+d, cx+a+d+st, y+lo+d+st))
				}
			}
		}
	}
}

// picture fills r with an ordered-dithered radial gradient.
func picture(img *image.Gray, r image.Rectangle) {
	bayer := [4][4]int{{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}}
	cx, cy := (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2
	rad := (r.Dx()*r.Dx() + r.Dy()*r.Dy()) / 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
			level := 16 * d / max(rad, 1) // 0 dark centre … 16 light edge
			if level <= bayer[y%4][x%4] {
				img.Pix[img.PixOffset(x, y)] = 0
			}
		}
	}
}
