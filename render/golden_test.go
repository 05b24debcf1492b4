package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// dump writes the label's boxes as text, one box per line and its text lines indented: what the
// golden files hold, so that a review shows every change of the layout.
func dump(l *Label) string {
	var b strings.Builder
	fmt.Fprintf(&b, "label %s %s (%gx%g mm)\n", l.OrderID, l.Size, l.W, l.H)
	for _, x := range l.Boxes {
		fmt.Fprintf(&b, "%-7s %-20s x=%7.3f y=%7.3f w=%7.3f h=%7.3f", x.Kind, x.Field, x.X, x.Y, x.W, x.H)
		switch x.Kind {
		case KindText:
			fmt.Fprintf(&b, " %gpt", x.Size)
			if x.Bold {
				b.WriteString(" bold")
			}
			if x.Inverse {
				fmt.Fprintf(&b, " inverse pad=%g", x.Pad)
			}
			fmt.Fprintf(&b, " %s\n", x.Align)
			for _, line := range x.Lines {
				fmt.Fprintf(&b, "        | %s\n", line)
			}
		case KindBarcode:
			fmt.Fprintf(&b, " code128 %q modules=%d module=%gmm\n", x.Data, len(x.Modules), x.Module)
		case KindImage:
			fmt.Fprintf(&b, " %dx%d px\n", x.Image.Bounds().Dx(), x.Image.Bounds().Dy())
		default:
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestLayoutGolden compares the layout of each order type at each size with testdata/*.golden.
// Run `go test ./render -run Golden -update` after an intended change and review the diff.
func TestLayoutGolden(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, size := range Sizes {
			name := fx.name + "-" + size.Name
			t.Run(name, func(t *testing.T) {
				opt := fx.opt
				opt.Size = size
				l, err := Layout(fx.wb, opt)
				if err != nil {
					t.Fatal(err)
				}
				got := dump(l)
				path := filepath.Join("testdata", name+".golden")
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("layout differs from %s (run with -update if intended):\n%s", path, diffLines(string(want), got))
				}
			})
		}
	}
}

// diffLines shows the lines that differ, with their numbers.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "%4d - %s\n%4d + %s\n", i+1, wl, i+1, gl)
		}
	}
	return b.String()
}
