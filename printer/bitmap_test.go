package printer_test

import (
	"image"
	"image/color"
	"math/rand"
	"strings"
	"testing"

	"station/internal/geom"
	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
)

// threshold is the reference: the gray level of each pixel over white paper.
func threshold(img image.Image) *raw.Bitmap {
	r := img.Bounds()
	b := raw.NewBitmap(r.Dx(), r.Dy())
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			cr, cg, cb, ca := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
			w := 0xffff - ca
			lum := (19595*(cr+w) + 38470*(cg+w) + 7471*(cb+w) + 1<<15) >> 16
			b.Set(x, y, lum < raw.Threshold<<8)
		}
	}
	return b
}

func TestFromImageAgreesAcrossImageTypes(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	r := image.Rect(3, 5, 3+61, 5+17) // odd width, offset origin
	gray := image.NewGray(r)
	rgba := image.NewRGBA(r)
	nrgba := image.NewNRGBA(r)
	pal := image.NewPaletted(r, color.Palette{color.White, color.Black, color.Gray{127}, color.Gray{128}, color.Transparent})
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := uint8(rng.Intn(256))
			gray.SetGray(x, y, color.Gray{v})
			c := color.NRGBA{uint8(rng.Intn(256)), uint8(rng.Intn(256)), uint8(rng.Intn(256)), uint8(rng.Intn(256))}
			rgba.Set(x, y, c)
			nrgba.SetNRGBA(x, y, c)
			pal.SetColorIndex(x, y, uint8(rng.Intn(5)))
		}
	}
	for name, img := range map[string]image.Image{"gray": gray, "rgba": rgba, "nrgba": nrgba, "paletted": pal, "generic": gray.SubImage(r).(*image.Gray)} {
		got, want := raw.FromImage(img), threshold(img)
		for y := 0; y < want.Height; y++ {
			for x := 0; x < want.Width; x++ {
				if got.Black(x, y) != want.Black(x, y) {
					t.Fatalf("%s: dot %d,%d = %v, want %v", name, x, y, got.Black(x, y), want.Black(x, y))
				}
			}
		}
		for y := 0; y < got.Height; y++ {
			if got.Row(y)[got.Stride-1]&0x07 != 0 { // 61 dots: the last 3 bits are padding
				t.Fatalf("%s: row %d padding is not white", name, y)
			}
		}
	}
	// 127 prints, 128 does not.
	g := image.NewGray(image.Rect(0, 0, 2, 1))
	g.Pix[0], g.Pix[1] = 127, 128
	if b := raw.FromImage(g); !b.Black(0, 0) || b.Black(1, 0) {
		t.Error("threshold is not 128")
	}
}

func TestRasterizePlacesTheLabelOnTheMedia(t *testing.T) {
	img := printertest.Sample(t, 203, 100, 150)
	label := raw.FromImage(img)
	job := printer.Job{Name: "x", WidthMM: 100, HeightMM: 150, Raster: func(int) (image.Image, error) { return img, nil }}
	for _, off := range [][2]float64{{0, 0}, {1.5, -2}, {-0.375, 3}, {-50, 50}} {
		opt := raw.DefaultOptions()
		opt.Lang = raw.ZPL
		opt.WidthMM, opt.HeightMM = 104, 150
		opt.OffsetXMM, opt.OffsetYMM = off[0], off[1]
		got, err := printer.Rasterize(job, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Width != 832 || got.Height != 1200 {
			t.Fatalf("media %dx%d, want 832x1200", got.Width, got.Height)
		}
		dx, dy := geom.Dots(off[0], 203), geom.Dots(off[1], 203)
		for y := 0; y < got.Height; y += 3 {
			for x := 0; x < got.Width; x++ {
				if got.Black(x, y) != label.Black(x-dx, y-dy) {
					t.Fatalf("offset %v: dot %d,%d wrong", off, x, y)
				}
			}
		}
	}
	// A label larger than the media, or drawn at another resolution, is refused.
	opt := raw.DefaultOptions()
	opt.WidthMM, opt.HeightMM = 76, 130
	if _, err := printer.Rasterize(job, opt); err == nil || !strings.Contains(err.Error(), "size=100x150") {
		t.Errorf("too large a label: %v", err)
	}
	opt = raw.DefaultOptions()
	opt.DPI = 300
	if _, err := printer.Rasterize(job, opt); err == nil || !strings.Contains(err.Error(), "another resolution") {
		t.Errorf("label drawn for 203 dpi sent at 300: %v", err)
	}
	if _, err := printer.Rasterize(printer.Job{}, raw.DefaultOptions()); err == nil {
		t.Error("a job without an image rasterized")
	}
}

func TestDots(t *testing.T) {
	for _, c := range []struct {
		mm   float64
		dpi  int
		want int
	}{{100, 203, 800}, {150, 203, 1200}, {101.6, 300, 1200}, {100, 300, 1181}, {100, 600, 2362}} {
		if got := geom.Dots(c.mm, c.dpi); got != c.want {
			t.Errorf("geom.Dots(%g, %d) = %d, want %d", c.mm, c.dpi, got, c.want)
		}
	}
}
