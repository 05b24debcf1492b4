package cli

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

	"station/explain"
	"station/fulfill"
	"station/internal/geom"
	"station/orderlist"
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
			"win:PRINTER NAME, …) and each print is recorded in the journal. A print is an explicit request:\n" +
			"it prints what was asked, printed before or not; station batch skips what the journal shows printed.",
		run: runPrint,
	}
}

// LabelFlags are the label options print and preview share.
type LabelFlags struct {
	size             *string
	privacy          *bool
	offsetX, offsetY *float64
}

func AddLabelFlags(fs *flag.FlagSet) LabelFlags {
	names := make([]string, len(render.Sizes))
	for i, s := range render.Sizes {
		names[i] = s.Name
	}
	return LabelFlags{
		size:    fs.String("size", render.DefaultSize.Name, "label size in mm: "+strings.Join(names, ", ")),
		privacy: fs.Bool("privacy", false, "privacy label (隐私面单): mask the consignee's name and phones"),
		offsetX: fs.Float64("offset-x", 0, "move everything right by this many mm (negative: left), for printers that feed off-centre"),
		offsetY: fs.Float64("offset-y", 0, "move everything down by this many mm (negative: up)"),
	}
}

// LabelChoice is the label options the flags give, and which of them were given: the others
// come from the saved settings.
type LabelChoice struct {
	opts render.Options
	set  map[string]bool
}

// over returns base with the options that were given on the command line.
func (c LabelChoice) over(base render.Options) render.Options {
	if c.set["size"] {
		base.Size = c.opts.Size
	}
	if c.set["privacy"] {
		base.Privacy = c.opts.Privacy
	}
	if c.set["offset-x"] {
		base.OffsetX = c.opts.OffsetX
	}
	if c.set["offset-y"] {
		base.OffsetY = c.opts.OffsetY
	}
	return base
}

func (l LabelFlags) Options(fs *flag.FlagSet) (LabelChoice, error) {
	size, err := render.ParseSize(*l.size)
	if err != nil {
		return LabelChoice{}, Usagef("-size: %v", err)
	}
	for _, o := range []struct {
		name string
		v    float64
	}{{"-offset-x", *l.offsetX}, {"-offset-y", *l.offsetY}} {
		if !geom.OffsetOK(o.v) {
			return LabelChoice{}, Usagef("%s must be between -%g and %g mm", o.name, geom.MaxOffset, geom.MaxOffset)
		}
	}
	c := LabelChoice{opts: render.Options{Size: size, Privacy: *l.privacy, OffsetX: *l.offsetX, OffsetY: *l.offsetY}, set: map[string]bool{}}
	fs.Visit(func(f *flag.Flag) { c.set[f.Name] = true })
	return c, nil
}

func runPrint(ctx context.Context, e *Env, args []string) error {
	fs := e.NewFlags("print", "(-order ID[,ID…] | -pending) (-o FILE.pdf | -printer SPEC) [-size 100x150] [-privacy] [-offset-x MM -offset-y MM] [-concurrency N]")
	orderList := fs.String("order", "", "the JD order `IDs` to print, comma-separated, in page order")
	pending := fs.Bool("pending", false, "print every order waiting to be shipped (WAIT_SELLER_STOCK_OUT)")
	out := fs.String("o", "", "the PDF `file` to write")
	spec := fs.String("printer", "", "print on this printer `spec` instead (usb:auto, tcp:HOST, file:PATH?lang=zpl&dpi=203, pdf:DIR, …)")
	concurrency := fs.Int("concurrency", 4, "print data fetched in parallel")
	lf := AddLabelFlags(fs)
	if err := Parse(fs, args); err != nil {
		return err
	}
	if (strings.TrimSpace(*orderList) == "") == !*pending {
		return Usagef("give either -order ID[,ID…] or -pending")
	}
	if (strings.TrimSpace(*out) == "") == (strings.TrimSpace(*spec) == "") {
		return Usagef("give either -o FILE.pdf or -printer SPEC")
	}
	if *concurrency < 1 || *concurrency > 32 {
		return Usagef("-concurrency must be between 1 and 32")
	}
	label, err := lf.Options(fs)
	if err != nil {
		return err
	}
	var ids []string
	if !*pending {
		if ids, err = orderlist.ParseOrderList(*orderList); err != nil {
			return Usagef("-order: %v", Explained(err))
		}
	}
	// The same pipeline as station batch: journaled, with the same retry and stop rules. A
	// print is an explicit request: it prints what was asked, printed before or not.
	st, closeAll, err := e.OpenStation(ctx, StationSetup{Printer: *spec, Label: label, Concurrency: *concurrency})
	if err != nil {
		return err
	}
	defer closeAll()
	bspec := fulfill.BatchSpec{IDs: ids, Print: true, PDFPath: *out, ReplacePDF: true, Reprint: true, Concurrency: *concurrency}
	if *pending {
		report, listed := e.ListingProgress()
		bspec.Orders, err = st.Search(ctx, printdata.Query{}, report)
		listed()
		if err != nil {
			return Explained(err)
		}
		if len(bspec.Orders) == 0 {
			fmt.Fprintln(e.Stdout, "No orders are waiting to be shipped: nothing printed.")
			return nil
		}
	}
	start := time.Now()
	prog := newProgress(e.Stderr)
	sum, err := st.Batch(ctx, bspec, prog.quiet)
	prog.done()
	for _, f := range sum.Failed {
		fmt.Fprintf(e.Stderr, "station print: no label for order %s: %s\n", f.OrderID, explain.Error(f.Err).Lines())
	}
	where := *spec
	if *out != "" {
		where = sum.PDFPath
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &toldError{err: err, words: explain.RunStopped(sum.Pages, sum.Unfinished)}
	case err != nil:
		return Explained(err)
	case sum.Printed == 0 && *out != "":
		return fmt.Errorf("no PDF written: none of the %d orders could be printed (see above)", sum.Total)
	}
	fmt.Fprintf(e.Stdout, "Wrote %d label(s), %s mm, to %s in %.2fs.\n", sum.Pages, st.LabelOptions().Size, where, time.Since(start).Seconds())
	if n := len(sum.Failed); n > 0 {
		return fmt.Errorf("%d of %d orders have no label (listed above); the others printed", n, sum.Total)
	}
	return nil
}

// WriteFileAtomically writes name through a temporary file in the same directory, renamed into
// place only when write succeeded: a failure or an interrupt never leaves half a file under the
// user's name, and an existing file is replaced only by a complete one.
func WriteFileAtomically(name string, write func(w io.Writer) error) (err error) {
	if err := fulfill.CheckOutputFile(name); err != nil {
		return err
	}
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
