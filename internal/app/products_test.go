package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"station/settings"
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

// A station opens its product table only when something verifies: printing, shipping and the
// history never touch it.
func TestProductTableOpensWhenAskedFor(t *testing.T) {
	ctx := context.Background()
	journal := filepath.Join(t.TempDir(), "journal.db")
	st, err := Open(ctx, Request{Settings: settings.Defaults(), Flags: Flags{Demo: true, Journal: journal}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demoTable := filepath.Join(filepath.Dir(journal), "demo-products.db")
	if _, err := os.Stat(demoTable); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the product table exists before anyone asked for it: %v", err)
	}
	table, err := st.Products(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := table.List(ctx); len(ps) != 28 || table.Where() != demoTable {
		t.Errorf("%d products at %s", len(ps), table.Where())
	}
	if again, _ := st.Products(ctx); again != table {
		t.Error("the table was opened twice")
	}
}
