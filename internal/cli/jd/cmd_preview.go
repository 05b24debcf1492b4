package jd

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"strings"

	"station/internal/cli"
	"station/render"
	"station/render/raster"
)

func init() {
	cli.Register("preview", cli.Command{
		Summary: "draw one order's waybill label as a PNG, as a thermal printer would print it\n\n" +
			"The image is grey (white paper, black ink) at -dpi: what the raw-printer output thresholds to one bit.",
		Run: runPreview,
	})
}

func runPreview(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("preview", "-order ID -o FILE.png [-dpi 203] [-size 100x150] [-privacy] [-type auto|sop|lbp|sopl]")
	id := fs.String("order", "", "the JD order `ID`")
	out := fs.String("o", "", "the PNG `file` to write")
	dpi := fs.Int("dpi", 203, "printer resolution in dots per inch (203 or 300 for most label printers)")
	typ := fs.String("type", "auto", "order `type`: auto (ask JD), sop, lbp or sopl")
	lf := cli.AddLabelFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	orderID, err := cli.RequiredOrderFlag(*id)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*out) == "" {
		return cli.Usagef("-o FILE.png is required")
	}
	if *dpi < 72 || *dpi > 600 {
		return cli.Usagef("-dpi must be between 72 and 600")
	}
	t, err := cli.TypeFlag(*typ)
	if err != nil {
		return err
	}
	label, err := lf.Options(fs)
	if err != nil {
		return err
	}
	opt, err := e.LabelOptions(label)
	if err != nil {
		return err
	}

	f, done, err := fetcher(e)
	if err != nil {
		return err
	}
	defer done()
	w, err := f.Fetch(ctx, orderID, t)
	if err != nil {
		return err
	}
	l, err := render.Layout(w, opt)
	if err != nil {
		return err
	}
	img := raster.Draw(l, *dpi)
	err = cli.WriteFileAtomically(*out, func(w io.Writer) error {
		return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
	})
	if err != nil {
		return fmt.Errorf("no PNG written: %w", err)
	}
	fmt.Fprintf(e.Stdout, "Wrote order %s's %s mm label at %d dpi (%dx%d dots) to %s.\n",
		orderID, opt.Size, *dpi, img.Bounds().Dx(), img.Bounds().Dy(), *out)
	return nil
}
