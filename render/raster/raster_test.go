package raster

import (
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"station/internal/geom"
	"station/printdata"
	"station/render"
	"station/render/rendertest"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
)

// decodeCode128 reads a Code 128 symbol from the region of a raster.
func decodeCode128(t *testing.T, img *image.Gray, region image.Rectangle) (string, error) {
	t.Helper()
	src := gozxing.NewLuminanceSourceFromImage(img.SubImage(region))
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return "", err
	}
	res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

func TestRasterBarcodesDecodeAt203And300DPI(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, size := range render.Sizes {
			for _, dpi := range []int{203, 300} {
				t.Run(fx.name+"-"+size.Name+"-"+strconv.Itoa(dpi), func(t *testing.T) {
					opt := fx.opt
					opt.Size = size
					l := mustLayout(t, fx.wb, opt)
					img := Draw(l, dpi)
					k := geom.DotsPerMM(dpi)
					if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != int(math.Round(size.W*k)) || h != int(math.Round(size.H*k)) {
						t.Fatalf("raster is %dx%d dots", w, h)
					}
					bc := l.Field("order-barcode")[0]
					r := image.Rect(int(bc.X*k), int(bc.Y*k), int(math.Ceil((bc.X+bc.W)*k)), int(math.Ceil((bc.Y+bc.H)*k)))
					got, err := decodeCode128(t, img, r)
					if err != nil || got != fx.wb.OrderID {
						t.Fatalf("order barcode decodes as %q, %v; want %q", got, err, fx.wb.OrderID)
					}
					checkWholeDotModules(t, img, r, len(bc.Modules), bc.Module*k)
				})
			}
		}
	}
}

// checkWholeDotModules scans the middle row of the barcode: every bar and space must be a whole
// multiple of one module width in dots (pure black and white, no grey edges), and that module
// must be close to the layout's.
func checkWholeDotModules(t *testing.T, img *image.Gray, r image.Rectangle, modules int, wantDots float64) {
	t.Helper()
	y := (r.Min.Y + r.Max.Y) / 2
	var Runs []int
	first, last := -1, -1
	for x := r.Min.X; x < r.Max.X; x++ {
		v := img.GrayAt(x, y).Y
		if v != 0 && v != 255 {
			t.Fatalf("grey dot %d at x=%d in the bars", v, x)
		}
		if v == 0 {
			if first < 0 {
				first = x
			}
			last = x
		}
	}
	prev := uint8(0)
	n := 0
	for x := first; x <= last; x++ {
		v := img.GrayAt(x, y).Y
		if x > first && v != prev {
			Runs = append(Runs, n)
			n = 0
		}
		prev = v
		n++
	}
	Runs = append(Runs, n)
	span := last - first + 1
	if span%modules != 0 {
		t.Fatalf("bars span %d dots for %d modules", span, modules)
	}
	dots := span / modules
	for _, r := range Runs {
		if r%dots != 0 {
			t.Fatalf("a bar or space is %d dots with %d-dot modules", r, dots)
		}
	}
	if math.Abs(float64(dots)-wantDots) > 1 {
		t.Errorf("module is %d dots, layout asks %.2f", dots, wantDots)
	}
}

func TestRasterPaperAndInk(t *testing.T) {
	l := mustLayout(t, fixtures(t)[0].wb, render.Options{})
	img := Draw(l, 203)
	if img.Bounds() != image.Rect(0, 0, 800, 1200) {
		t.Fatalf("100x150 at 203 dpi is %v, want 800x1200", img.Bounds())
	}
	if v := img.GrayAt(4, 4).Y; v != 255 {
		t.Errorf("margin is %d, want white paper", v)
	}
	// The top frame rule: 2 mm down = dot 16, 3 dots thick.
	for y := 16; y < 19; y++ {
		if v := img.GrayAt(400, y).Y; v != 0 {
			t.Errorf("frame at dot row %d is %d, want black", y, v)
		}
	}
	// The COD box is inverse: mostly black with white text.
	cod := l.Field("cod")[0]
	r := image.Rect(int(cod.X*8), int(cod.Y*8), int((cod.X+cod.W)*8), int((cod.Y+cod.H)*8))
	black, white := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			switch img.GrayAt(x, y).Y {
			case 0:
				black++
			case 255:
				white++
			}
		}
	}
	if black < white || white == 0 {
		t.Errorf("COD box: %d black, %d white dots; want white text on black", black, white)
	}
	// Text is drawn: the address box has ink.
	addr := l.Field("consignee-address")[0]
	ink := 0
	for y := int(addr.Y * 8); y < int((addr.Y+addr.H)*8); y++ {
		for x := int(addr.X * 8); x < int((addr.X+addr.W)*8); x++ {
			if img.GrayAt(x, y).Y < 128 {
				ink++
			}
		}
	}
	if ink < 500 {
		t.Errorf("address box has %d dark dots: text not drawn", ink)
	}
}

// No ink outside the boxes: everything drawn belongs to a box (so nothing spills over a field).
func TestRasterInkStaysInBoxes(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, size := range render.Sizes {
			opt := fx.opt
			opt.Size = size
			l := mustLayout(t, fx.wb, opt)
			const dpi = 300
			img := Draw(l, dpi)
			k := geom.DotsPerMM(dpi)
			inBox := make([]bool, len(img.Pix))
			for _, b := range l.Boxes {
				r := image.Rect(int(math.Floor(b.X*k))-1, int(math.Floor(b.Y*k))-1, int(math.Ceil((b.X+b.W)*k))+1, int(math.Ceil((b.Y+b.H)*k))+1).Intersect(img.Rect)
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Max.X; x++ {
						inBox[img.PixOffset(x, y)] = true
					}
				}
			}
			stray := 0
			for i, v := range img.Pix {
				if v < 128 && !inBox[i] {
					stray++
				}
			}
			if stray > 0 {
				t.Errorf("%s %s: %d dark dots outside every box", fx.name, size, stray)
			}
		}
	}
}

type fixture struct {
	name string
	wb   *printdata.Waybill
	opt  render.Options
}

// fixtures are rendertest's sample waybills with their label options.
func fixtures(t testing.TB) []fixture {
	var out []fixture
	for _, f := range rendertest.Fixtures(t) {
		out = append(out, fixture{f.Name, f.Waybill, render.Options{Privacy: f.Privacy, Package: f.Package, Packages: f.Packages}})
	}
	return out
}

func mustLayout(t testing.TB, wb *printdata.Waybill, opt render.Options) *render.Label {
	t.Helper()
	l, err := render.Layout(wb, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Random waybills (odd text of every kind) draw without a panic.
func TestRandomWaybills(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 30; i++ {
		w := rendertest.FuzzWaybill(rendertest.RandomText(r), rendertest.RandomText(r), rendertest.RandomText(r), rendertest.RandomText(r), uint16(r.IntN(65536)), uint8(r.IntN(256)))
		l, err := render.Layout(w, render.Options{Size: render.Sizes[r.IntN(len(render.Sizes))], Privacy: r.IntN(2) == 0})
		if err != nil {
			continue // render's own tests say which waybills lay out
		}
		if img := Draw(l, 203); img.Bounds().Empty() {
			t.Fatalf("waybill %d drew an empty image", i)
		}
	}
}

// TestWriteSamples writes each fixture's 203-dpi PNG into $RENDER_SAMPLES, for looking at
// them (pdftoppm, an image viewer). It does nothing unless the variable is set.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("RENDER_SAMPLES")
	if dir == "" {
		t.Skip("set RENDER_SAMPLES=dir to write sample labels")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, fx := range fixtures(t) {
		for _, size := range render.Sizes {
			opt := fx.opt
			opt.Size = size
			l, err := render.Layout(fx.wb, opt)
			if err != nil {
				t.Fatalf("%s %s: %v", fx.name, size, err)
			}
			base := filepath.Join(dir, fx.name+"-"+size.Name)
			g, err := os.Create(base + ".png")
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(g, Draw(l, 203)); err != nil {
				t.Fatal(err)
			}
			g.Close()
		}
	}
}

func BenchmarkRaster203(b *testing.B) {
	fx := fixtures(b)
	l, err := render.Layout(fx[0].wb, render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Draw(l, 203)
	}
}
