package calib

import (
	"bytes"
	"image"
	"image/png"
	"io"

	"github.com/jung-kurt/gofpdf"

	"station/printer"
)

// Job is a print job of the calibration label drawn with opt (its DPI is taken from the
// printer): the raster for label printers, a one-page PDF of the same image for pdf: printers.
func Job(name string, opt Options) printer.Job {
	draw := func(dpi int) (*image.Gray, error) {
		o := opt
		o.DPI = dpi
		return Label(o)
	}
	return printer.Job{
		Name: name, Copies: 1, WidthMM: opt.WidthMM, HeightMM: opt.HeightMM,
		Raster: func(dpi int) (image.Image, error) { return draw(dpi) },
		PDF: func(out io.Writer) error {
			img, err := draw(300)
			if err != nil {
				return err
			}
			return imagePDF(out, img, opt.WidthMM, opt.HeightMM)
		},
	}
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
	pdf.RegisterImageOptionsReader("calibration", opt, &buf)
	pdf.ImageOptions("calibration", 0, 0, w, h, false, opt, 0, "")
	return pdf.Output(out)
}
