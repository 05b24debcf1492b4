package render

import (
	"testing"
)

func BenchmarkLayout(b *testing.B) {
	fx := fixtures(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Layout(fx[i%3].wb, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRaster203(b *testing.B) {
	fx := fixtures(b)
	l, err := Layout(fx[0].wb, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		l.Raster(203)
	}
}
