package scancmd

import (
	"context"
	"flag"
	"fmt"
	"io"

	"station/internal/app"
	"station/internal/cli"
	"station/say"
	"station/scale"
	"station/scan"
	"station/verify"
)

// verifyFlags are station scan's pack verification (验货) and weighing flags.
type verifyFlags struct {
	on      *bool
	scale   *string
	grams   *int
	percent *int
}

func addVerifyFlags(fs *flag.FlagSet) *verifyFlags {
	return &verifyFlags{
		on:      fs.Bool("verify", false, "verify each order's items against the product table before it prints or ships (验货)"),
		scale:   fs.String("scale", "", "weigh each verified parcel on this scale `spec`, e.g. serial:/dev/ttyUSB0 or serial:COM3?format=toledo (station scales lists the ports)"),
		grams:   fs.Int("tolerance", verify.DefaultTolerance.Grams, "allowed difference between a parcel's weight and its items' unit weights, in `grams`"),
		percent: fs.Int("tolerance-pct", verify.DefaultTolerance.Percent, "or this `percent` of the items' weight, when larger"),
	}
}

// check refuses what the flags get wrong by themselves, before anything is opened.
func (f *verifyFlags) check() error {
	if !*f.on {
		if *f.scale != "" {
			return cli.Usagef("-scale weighs verified parcels: give -verify too")
		}
		return nil
	}
	if *f.grams < 1 || *f.percent < 1 || *f.percent > 100 {
		return cli.Usagef("-tolerance must be 1 gram or more and -tolerance-pct 1 to 100")
	}
	if *f.scale != "" {
		if _, err := scale.ParseSpec(*f.scale); err != nil {
			return cli.Usagef("-scale: %v", err)
		}
	}
	return nil
}

// apply sets the scan options from the (checked) flags: the product table and the scale.
func (f *verifyFlags) apply(ctx context.Context, st *app.Station, opts *scan.Options) (closeScale func(), err error) {
	closeScale = func() {}
	if !*f.on {
		return closeScale, nil
	}
	table, err := st.Products(ctx)
	if err != nil {
		return nil, err
	}
	cat, err := table.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	if cat.Len() == 0 {
		return nil, cli.Told(fmt.Errorf("-verify: the product table %s is empty", table.Where()), say.T(
			"商品表是空的，无法验货：先导入商品表（station products import 商品.xlsx），或去掉 -verify。",
			"The product table is empty, so nothing can be verified: import it first (station products import products.xlsx), or leave out -verify."))
	}
	opts.Verify, opts.Catalog = true, cat
	opts.Tolerance = verify.Tolerance{Grams: *f.grams, Percent: *f.percent}
	if *f.scale != "" {
		sc, err := scale.Open(*f.scale)
		if err != nil {
			return nil, err
		}
		opts.Scale = sc
		closeScale = func() { sc.Close() }
	}
	return closeScale, nil
}

// writePackLines lists an order's lines under its scan line: count, code, name.
func writePackLines(w io.Writer, v *verify.View) {
	for _, l := range v.Lines {
		code := "(无条码 no code)"
		if len(l.Codes) > 0 {
			code = l.Codes[0]
		}
		fmt.Fprintf(w, "    %d/%d  %-16s %s\n", l.Got, l.Want, say.Short(code, 20), say.Short(l.Name, 40))
	}
}
