package pdf

import (
	"fmt"
	"io"
	"runtime"
	"station/printdata"
	"station/render"
	"station/render/rendertest"
	"testing"
)

// countWriter counts what the PDF writer writes, to report bytes per label without keeping them.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkPDFPerLabel is the cost of one more page in a batch PDF: layout and drawing, the
// document's fixed costs (font parsing, subsetting) spread over b.N pages.
func BenchmarkPDFPerLabel(b *testing.B) {
	fx := fixtures(b)
	w := make([]*printdata.Waybill, 64)
	for i := range w {
		w[i] = rendertest.BatchWaybill(b, fx[i%3].wb, i)
	}
	var cw countWriter
	p := NewWriter(&cw, render.DefaultSize)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := render.Layout(w[i%len(w)], render.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Add(l); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cw.n)/float64(b.N), "PDF-bytes/label")
}

// BenchmarkPDF1000 writes whole 1,000-label PDFs: time per document (making the test waybills
// excluded), bytes per label, and the peak live heap while writing (measured after a GC every
// 100 labels and before Close, outside the timing).
func BenchmarkPDF1000(b *testing.B) {
	const labels = 1000
	fx := fixtures(b)
	var peak, bytes uint64
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var cw countWriter
		p := NewWriter(&cw, render.DefaultSize)
		for i := 0; i < labels; i++ {
			b.StopTimer()
			w := rendertest.BatchWaybill(b, fx[i%3].wb, i)
			b.StartTimer()
			l, err := render.Layout(w, render.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if err := p.Add(l); err != nil {
				b.Fatal(err)
			}
			if i%100 == 99 {
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse-min(base, ms.HeapInuse))
				b.StartTimer()
			}
		}
		if err := p.Close(); err != nil {
			b.Fatal(err)
		}
		bytes = uint64(cw.n)
	}
	b.ReportMetric(float64(bytes)/labels, "bytes/label")
	b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MB")
}

// BenchmarkPDFMemoryGrowth shows whether the writer's memory grows with the batch: heap in use
// after n labels, for growing n.
func BenchmarkPDFMemoryGrowth(b *testing.B) {
	fx := fixtures(b)
	for _, n := range []int{100, 500, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapInuse
				p := NewWriter(io.Discard, render.DefaultSize)
				for i := 0; i < n; i++ {
					l, err := render.Layout(rendertest.BatchWaybill(b, fx[i%3].wb, i), render.Options{})
					if err != nil {
						b.Fatal(err)
					}
					if err := p.Add(l); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse-min(base, ms.HeapInuse))
				if err := p.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "live-heap-MB")
			b.ReportMetric(float64(peak)/float64(n)/1024, "live-KB/label")
		})
	}
}

// BenchmarkSingleLabelPDF is one label as its own PDF (a printer job): the whole document cost.
func BenchmarkSingleLabelPDF(b *testing.B) {
	fx := fixtures(b)
	l, err := render.Layout(fx[0].wb, render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteLabel(io.Discard, l); err != nil {
			b.Fatal(err)
		}
	}
}
