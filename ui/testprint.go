package ui

import (
	"context"

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
	return p.Print(ctx, calib.Job("test-label", calib.Options{WidthMM: w, HeightMM: h, Spec: p.Spec(), Lang: lang,
		OffsetXMM: cfg.Printer.OffsetX, OffsetYMM: cfg.Printer.OffsetY, Darkness: -1}))
}
