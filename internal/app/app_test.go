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
