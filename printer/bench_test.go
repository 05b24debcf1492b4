package printer_test

import (
	"image"
	"testing"

	"station/printer"
	"station/printer/printertest"
)

// BenchmarkLabel measures what the station does per label once it is drawn: threshold the
// 100x150 mm, 203 dpi image into a bitmap and encode it, and reports the bytes sent.
func BenchmarkLabel(b *testing.B) {
	img, err := printertest.SampleLabel(100, 150, 203, code, 1)
	if err != nil {
		b.Fatal(err)
	}
	job := printer.Job{Name: code, WidthMM: 100, HeightMM: 150, Raster: func(int) (image.Image, error) { return img, nil }}
	for _, c := range []struct {
		name string
		lang printer.Language
		comp printer.Compression
	}{
		{"zpl-z64", printer.ZPL, printer.Z64},
		{"zpl-acs", printer.ZPL, printer.ACS},
		{"tspl", printer.TSPL, ""},
		{"escpos", printer.ESCPOS, ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			opt := options(c.lang, 203, func(o *printer.Options) {
				if c.comp != "" {
					o.Compression = c.comp
				}
			})
			var size int
			for b.Loop() {
				bm, err := printer.Rasterize(job, opt)
				if err != nil {
					b.Fatal(err)
				}
				data, err := printer.Encode(bm, opt, job.Name, 1)
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(float64(size), "bytes/label")
		})
	}
}
