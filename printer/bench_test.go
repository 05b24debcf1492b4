package printer_test

import (
	"image"
	"testing"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
)

// BenchmarkLabel measures what the station does per label once it is drawn: threshold the
// 100x150 mm, 203 dpi image into a bitmap and encode it, and reports the bytes sent.
func BenchmarkLabel(b *testing.B) {
	img, err := printertest.SampleLabel(100, 150, 203, printertest.SampleCode, 1)
	if err != nil {
		b.Fatal(err)
	}
	job := printer.Job{Name: printertest.SampleCode, WidthMM: 100, HeightMM: 150, Raster: func(int) (image.Image, error) { return img, nil }}
	for _, c := range []struct {
		name string
		lang raw.Language
		comp raw.Compression
	}{
		{"zpl-z64", raw.ZPL, raw.Z64},
		{"zpl-acs", raw.ZPL, raw.ACS},
		{"tspl", raw.TSPL, ""},
		{"escpos", raw.ESCPOS, ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			opt := printertest.Options(c.lang, 203, func(o *raw.Options) {
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
				data, err := raw.Encode(bm, opt, job.Name, 1)
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(float64(size), "bytes/label")
		})
	}
}
