package jd

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"station/internal/cli"
	"station/printer"
	"station/printer/calib"
	"station/printer/spec"
)

func init() {
	cli.Register("test-print", cli.Command{
		Summary: "print a calibration label to check a printer's settings\n\n" +
			"The label shows its size, resolution, language, polarity, offset and darkness, corner marks\n" +
			"and millimetre rulers to see and measure any shift, darkness patches and Code 128 barcodes at\n" +
			"2 and 3 dots per module. With -darkness-steps one label is printed per darkness value.",
		Run: runTestPrint,
	})
}

func runTestPrint(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("test-print", "-printer SPEC [-darkness-steps N,N,…]")
	var specs printerSpecFlags
	fs.Var(&specs, "printer", "the printer `spec`, e.g. usb:auto?lang=tspl&size=100x150 (env STATION_PRINTER)")
	steps := fs.String("darkness-steps", "", "print one label per darkness `value`, e.g. 8,12,16 (ZPL 0-30, TSPL 0-15)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	configured := configuredPrinterSpecs(specs)
	if len(configured) != 1 {
		return cli.Usagef("give one printer with -printer SPEC (or STATION_PRINTER)")
	}
	sp, err := spec.Parse(configured[0])
	if err != nil {
		return cli.Usagef("%v", err)
	}
	runs := []string{sp.Raw}
	if *steps != "" {
		runs = nil
		for _, f := range strings.Split(*steps, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 0 || n > 30 {
				return cli.Usagef("-darkness-steps: %q is not a darkness value (0-30)", f)
			}
			s, err := specWithOption(sp.Raw, "darkness", strconv.Itoa(n))
			if err != nil {
				return cli.Usagef("%v", err)
			}
			if _, err := spec.Parse(s); err != nil {
				return cli.Usagef("%v", err)
			}
			runs = append(runs, s)
		}
	}
	for _, s := range runs {
		if err := sendCalibrationLabel(ctx, s); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "calibration label sent to %s\n", s)
	}
	return nil
}

// specWithOption returns spec with option name set to value.
func specWithOption(spec, name, value string) (string, error) {
	body, query, _ := strings.Cut(spec, "?")
	v, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("options %q: %v", query, err)
	}
	v.Set(name, value)
	return body + "?" + v.Encode(), nil
}

func sendCalibrationLabel(ctx context.Context, raw string) error {
	spec, err := spec.Parse(raw)
	if err != nil {
		return err
	}
	o := spec.Options
	w, h := o.WidthMM, o.HeightMM
	if w == 0 {
		w, h = 100, 150
	}
	lang := string(o.Lang)
	if lang == "" {
		lang = "auto"
	}
	job := calib.Job("calibration", calib.Options{WidthMM: w, HeightMM: h, Spec: raw, Lang: lang,
		Polarity: int(o.Polarity), OffsetXMM: o.OffsetXMM, OffsetYMM: o.OffsetYMM, Darkness: o.Darkness, Speed: o.Speed})
	p, err := printer.Open(raw)
	if err != nil {
		return err
	}
	defer p.Close()
	return p.Print(ctx, job)
}
