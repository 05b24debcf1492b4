package app

import (
	"testing"

	"station/settings"
)

// -rate wins; then the settings'; without either the simulator has no limit and JD gets the
// client's default.
func TestRateLimit(t *testing.T) {
	for _, tt := range []struct {
		f    Flags
		st   float64
		demo bool
		want float64
	}{
		{Flags{}, 0, false, 0},
		{Flags{}, 25, false, 25},
		{Flags{}, 0, true, -1},
		{Flags{Rate: 3, RateSet: true}, 25, false, 3},
		{Flags{Rate: 3, RateSet: true}, 0, true, 3},
		{Flags{Rate: -1, RateSet: true}, 0, false, -1},
	} {
		if got := rateLimit(tt.f, settings.Settings{Rate: tt.st}, tt.demo); got != tt.want {
			t.Errorf("rateLimit(%+v, settings %v, demo %v) = %v, want %v", tt.f, tt.st, tt.demo, got, tt.want)
		}
	}
}

// A warehouse database journal keeps the product table on this PC, in the user's config
// directory; a file journal keeps it beside the file.
func TestProductsPathOfAJournal(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/cfg-test")
	if p, _ := productsPath("postgres://station@db/warehouse"); p != "/tmp/cfg-test/station/products.db" {
		t.Errorf("database journal: %s", p)
	}
	if p, _ := productsPath("/data/j.db"); p != "/data/products.db" {
		t.Errorf("file journal: %s", p)
	}
	if w := Who(Request{Flags: Flags{Station: " 台\x1b[2J3 ", Packer: "1024\n张三"}}); w.Station != "台[2J3" || w.Packer != "1024 张三" {
		t.Errorf("Who = %+v", w)
	}
}
