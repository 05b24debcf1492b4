package app

import "testing"

// -rate wins; without it the simulator has no limit and JD gets the client's default.
func TestRateLimit(t *testing.T) {
	for _, tt := range []struct {
		f    Flags
		demo bool
		want float64
	}{
		{Flags{}, false, 0},
		{Flags{}, true, -1},
		{Flags{Rate: 3, RateSet: true}, false, 3},
		{Flags{Rate: 3, RateSet: true}, true, 3},
		{Flags{Rate: -1, RateSet: true}, false, -1},
	} {
		if got := rateLimit(tt.f, tt.demo); got != tt.want {
			t.Errorf("rateLimit(%+v, demo %v) = %v, want %v", tt.f, tt.demo, got, tt.want)
		}
	}
}
