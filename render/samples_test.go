package render

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

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
		for _, size := range Sizes {
			opt := fx.opt
			opt.Size = size
			l, err := Layout(fx.wb, opt)
			if err != nil {
				t.Fatalf("%s %s: %v", fx.name, size, err)
			}
			base := filepath.Join(dir, fx.name+"-"+size.Name)
			g, err := os.Create(base + ".png")
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(g, l.Raster(203)); err != nil {
				t.Fatal(err)
			}
			g.Close()
		}
	}
}
