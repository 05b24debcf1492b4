package render

import (
	"testing"

	"station/printdata"
	"station/render/rendertest"
)

type fixture struct {
	name string
	wb   *printdata.Waybill
	opt  Options
}

// fixtures are rendertest's sample waybills with their label options.
func fixtures(t testing.TB) []fixture {
	var out []fixture
	for _, f := range rendertest.Fixtures(t) {
		out = append(out, fixture{f.Name, f.Waybill, Options{Privacy: f.Privacy, Package: f.Package, Packages: f.Packages}})
	}
	return out
}
