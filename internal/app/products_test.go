package app

import (
	"context"
	"path/filepath"
	"testing"
)

// The demo's product table holds the simulator's catalogue and is a file of its own: a real
// shop's table beside the same journal stays as it was.
func TestDemoProductsStayApart(t *testing.T) {
	ctx := context.Background()
	journal := filepath.Join(t.TempDir(), "journal.db")
	demo, err := OpenProducts(ctx, journal, true)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	real, err := OpenProducts(ctx, journal, false)
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	d, _ := demo.List(ctx)
	r, _ := real.List(ctx)
	if len(d) != 28 || len(r) != 0 || demo.Where() == real.Where() {
		t.Errorf("demo %d products at %s, real %d at %s", len(d), demo.Where(), len(r), real.Where())
	}
}
