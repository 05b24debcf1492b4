package main

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"strings"

	"station/printdata"
	"station/render"
)

func init() {
	commands["preview"] = command{
		summary: "draw one order's waybill label as a PNG, as a thermal printer would print it\n\n" +
			"The image is grey (white paper, black ink) at -dpi: what the raw-printer output thresholds to one bit.",
		run: runPreview,
	}
}

func runPreview(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("preview", "-order ID -o FILE.png [-dpi 203] [-size 100x150] [-privacy] [-type auto|sop|lbp|sopl]")
	id := fs.String("order", "", "the JD order `ID`")
	out := fs.String("o", "", "the PNG `file` to write")
	dpi := fs.Int("dpi", 203, "printer resolution in dots per inch (203 or 300 for most label printers)")
	typ := fs.String("type", "auto", "order `type`: auto (ask JD), sop, lbp or sopl")
	lf := addLabelFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	orderID, err := requiredOrderFlag(*id)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*out) == "" {
		return usagef("-o FILE.png is required")
	}
	if *dpi < 72 || *dpi > 600 {
		return usagef("-dpi must be between 72 and 600")
	}
	t, err := typeFlag(*typ)
	if err != nil {
		return err
	}
	label, err := lf.options(fs)
	if err != nil {
		return err
	}
	opt, err := e.labelOptions(label)
	if err != nil {
		return err
	}

	conn, err := e.connect()
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	w, err := printdata.NewFetcher(c).Fetch(ctx, orderID, t)
	if err != nil {
		return err
	}
	l, err := render.Layout(w, opt)
	if err != nil {
		return err
	}
	img := l.Raster(*dpi)
	err = writeFileAtomically(*out, func(w io.Writer) error {
		return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
	})
	if err != nil {
		return fmt.Errorf("no PNG written: %w", err)
	}
	fmt.Fprintf(e.stdout, "Wrote order %s's %s mm label at %d dpi (%dx%d dots) to %s.\n",
		orderID, opt.Size, *dpi, img.Bounds().Dx(), img.Bounds().Dy(), *out)
	return nil
}
