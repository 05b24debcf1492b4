package ui

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"

	"github.com/jung-kurt/gofpdf"

	"station/printer"
	"station/printer/calib"
	"station/render"
	"station/settings"
)

// printTestLabel prints the calibration label (printer/calib: frame, rulers, the settings in
// words, darkness patches, barcodes) at the label size of cfg, so that the packer can check the
// printer, its language, resolution and offsets before the first real label.
func printTestLabel(ctx context.Context, p printer.Printer, cfg settings.Settings) error {
	size, err := render.ParseSize(cfg.LabelSize)
	if err != nil {
		return err
	}
	w, h := size.W, size.H
	lang := cfg.Printer.Lang
	if lang == "" {
		lang = "auto"
	}
	draw := func(dpi int) (*image.Gray, error) {
		return calib.Label(calib.Options{WidthMM: w, HeightMM: h, DPI: dpi, Spec: p.Spec(), Lang: lang,
			OffsetXMM: cfg.Printer.OffsetX, OffsetYMM: cfg.Printer.OffsetY, Darkness: -1})
	}
	job := printer.Job{
		Name: "test-label", Copies: 1, WidthMM: w, HeightMM: h,
		Raster: func(dpi int) (image.Image, error) { return draw(dpi) },
		PDF: func(out io.Writer) error {
			img, err := draw(300)
			if err != nil {
				return err
			}
			return imagePDF(out, img, w, h)
		},
	}
	return p.Print(ctx, job)
}

// imagePDF writes a one-page PDF of w x h mm covered by img.
func imagePDF(out io.Writer, img image.Image, w, h float64) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: gofpdf.SizeType{Wd: w, Ht: h}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	opt := gofpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("test-label", opt, &buf)
	pdf.ImageOptions("test-label", 0, 0, w, h, false, opt, 0, "")
	return pdf.Output(out)
}
