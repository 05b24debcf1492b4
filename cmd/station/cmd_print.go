package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"station/fulfill"
	"station/printdata"
	"station/render"
)

func init() {
	commands["print"] = command{
		summary: "print waybill labels: into one PDF, one label per page, in order, or on a printer\n\n" +
			"-order prints the given orders (comma-separated), -pending every order waiting to be shipped.\n" +
			"The PDF appears under -o only when complete. An order that cannot be printed (locked or\n" +
			"cancelled, unreadable print data) is listed and the others still print; the exit status is then 1.\n" +
			"-privacy masks the consignee's name and phones (隐私面单).\n" +
			"With -printer SPEC instead of -o the labels go to that printer (usb:auto, tcp:HOST, file:PATH?lang=zpl,\n" +
			"…) and each print is recorded in the journal; an order the journal shows printed is not printed\n" +
			"again (station reprint does that).",
		run: runPrint,
	}
}

// labelFlags are the label options print and preview share.
type labelFlags struct {
	size             *string
	privacy          *bool
	offsetX, offsetY *float64
}

func addLabelFlags(fs *flag.FlagSet) labelFlags {
	names := make([]string, len(render.Sizes))
	for i, s := range render.Sizes {
		names[i] = s.Name
	}
	return labelFlags{
		size:    fs.String("size", render.DefaultSize.Name, "label size in mm: "+strings.Join(names, ", ")),
		privacy: fs.Bool("privacy", false, "privacy label (隐私面单): mask the consignee's name and phones"),
		offsetX: fs.Float64("offset-x", 0, "move everything right by this many mm (negative: left), for printers that feed off-centre"),
		offsetY: fs.Float64("offset-y", 0, "move everything down by this many mm (negative: up)"),
	}
}

func (l labelFlags) options() (render.Options, error) {
	size, err := render.ParseSize(*l.size)
	if err != nil {
		return render.Options{}, usagef("-size: %v", err)
	}
	for _, o := range []struct {
		name string
		v    float64
	}{{"-offset-x", *l.offsetX}, {"-offset-y", *l.offsetY}} {
		if !(o.v >= -render.MaxOffset && o.v <= render.MaxOffset) {
			return render.Options{}, usagef("%s must be between -%g and %g mm", o.name, render.MaxOffset, render.MaxOffset)
		}
	}
	return render.Options{Size: size, Privacy: *l.privacy, OffsetX: *l.offsetX, OffsetY: *l.offsetY}, nil
}

func runPrint(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("print", "(-order ID[,ID…] | -pending) (-o FILE.pdf | -printer SPEC) [-size 100x150] [-privacy] [-offset-x MM -offset-y MM] [-concurrency N]")
	orderList := fs.String("order", "", "the JD order `IDs` to print, comma-separated, in page order")
	pending := fs.Bool("pending", false, "print every order waiting to be shipped (WAIT_SELLER_STOCK_OUT)")
	out := fs.String("o", "", "the PDF `file` to write")
	spec := fs.String("printer", "", "print on this printer `spec` instead (usb:auto, tcp:HOST, file:PATH?lang=zpl&dpi=203, pdf:DIR, …)")
	concurrency := fs.Int("concurrency", 4, "print data fetched in parallel")
	lf := addLabelFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if (strings.TrimSpace(*orderList) == "") == !*pending {
		return usagef("give either -order ID[,ID…] or -pending")
	}
	if (strings.TrimSpace(*out) == "") == (strings.TrimSpace(*spec) == "") {
		return usagef("give either -o FILE.pdf or -printer SPEC")
	}
	if *concurrency < 1 || *concurrency > 32 {
		return usagef("-concurrency must be between 1 and 32")
	}
	opt, err := lf.options()
	if err != nil {
		return err
	}
	var orders []printdata.Order
	if !*pending {
		if orders, err = fulfill.OrdersByID(strings.FieldsFunc(*orderList, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '，'
		})); err != nil {
			return usagef("-order: %v", err)
		}
	}

	if *spec != "" {
		return printOnPrinter(ctx, e, *spec, orders, *pending, opt, *concurrency)
	}

	c, closeSim, err := e.connect()
	if err != nil {
		return err
	}
	defer closeSim()
	f := printdata.NewFetcher(c)
	if *pending {
		if orders, err = fulfill.PendingOrders(ctx, f); err != nil {
			return err
		}
		if len(orders) == 0 {
			fmt.Fprintln(e.stdout, "No orders are waiting to be shipped: no PDF written.")
			return nil
		}
	}

	start := time.Now()
	var res fulfill.PDFBatchResult
	err = writeFileAtomically(*out, func(w io.Writer) error {
		var err error
		res, err = fulfill.WriteLabelsPDF(ctx, f, orders, w, fulfill.PDFBatchOptions{Label: opt, Concurrency: *concurrency})
		return err
	})
	for _, fl := range res.Failed {
		fmt.Fprintf(e.stderr, "station print: no label for order %s: %s\n", fl.OrderID, explain(fl.Err))
	}
	if err != nil {
		if errors.Is(err, fulfill.ErrNothingPrinted) {
			return fmt.Errorf("no PDF written: none of the %d orders could be printed (see above)", len(orders))
		}
		return fmt.Errorf("no PDF written: %w", err)
	}
	fmt.Fprintf(e.stdout, "Wrote %d label(s), %s mm, to %s in %.2fs.\n", len(res.Printed), opt.Size, *out, time.Since(start).Seconds())
	if n := len(res.Failed); n > 0 {
		return fmt.Errorf("%d of %d orders have no label (listed above); the PDF holds the other %d", n, len(orders), len(res.Printed))
	}
	return nil
}

// printOnPrinter prints the orders on a printer through the station's batch pipeline, so each
// print is in the journal like any other.
func printOnPrinter(ctx context.Context, e *env, spec string, orders []printdata.Order, pending bool, opt render.Options, concurrency int) error {
	spec, err := printerSpec(spec, "")
	if err != nil {
		return err
	}
	st, closeAll, err := e.openStation(ctx, stationSetup{printer: spec, label: opt, concurrency: concurrency})
	if err != nil {
		return err
	}
	defer closeAll()
	const none = "No orders are waiting to be shipped: nothing printed."
	bspec := fulfill.BatchSpec{Print: true, Concurrency: concurrency}
	for _, o := range orders {
		bspec.IDs = append(bspec.IDs, o.ID)
	}
	if !pending && len(bspec.IDs) == 0 {
		fmt.Fprintln(e.stdout, none)
		return nil
	}
	sum, ran, err := showBatch(ctx, e, st, bspec, pending, none)
	switch {
	case !ran:
		return err
	case err != nil:
		return explained(err)
	case len(sum.Failed) > 0:
		return fmt.Errorf("%d of %d orders have no label (listed above)", len(sum.Failed), sum.Total)
	}
	return nil
}

// writeFileAtomically writes name through a temporary file in the same directory, renamed into
// place only when write succeeded: a failure or an interrupt never leaves half a file under the
// user's name, and an existing file is replaced only by a complete one.
func writeFileAtomically(name string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("saving %s: %w", name, err)
	}
	return nil
}
