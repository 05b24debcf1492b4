package pdf

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"station/printdata"
	"station/render"
	"station/render/rendertest"
)

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

func mustLayout(t *testing.T, wb *printdata.Waybill, opt render.Options) *render.Label {
	t.Helper()
	l, err := render.Layout(wb, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Every fixture at every size draws, and random waybills (odd text of every kind) never make the
// PDF writer fail or panic.
func TestRandomWaybillsPDF(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range render.Sizes {
		var buf bytes.Buffer
		p := NewWriter(&buf, s)
		for i := 0; i < 40; i++ {
			w := rendertest.FuzzWaybill(rendertest.RandomText(r), rendertest.RandomText(r), rendertest.RandomText(r), rendertest.RandomText(r), uint16(r.IntN(65536)), uint8(r.IntN(256)))
			w.OrderID = fmt.Sprint(240000000000 + r.IntN(1e9))
			l, err := render.Layout(w, render.Options{Size: s, Privacy: r.IntN(2) == 0})
			if err != nil {
				continue
			}
			if err := p.Add(l); err != nil {
				t.Fatalf("PDF: %v", err)
			}
		}
		if err := p.Close(); err != nil && !strings.Contains(err.Error(), "no labels") {
			t.Fatal(err)
		}
	}
}
