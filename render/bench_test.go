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
