package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"station/explain"
	"station/fulfill"
	"station/journal"
	"station/orderlist"
	"station/printdata"
	"station/say"
	"station/ship"
)

func init() {
	commands["batch"] = command{
		summary: "print and ship many orders: fetched in parallel, printed in order, shipped once\n\n" +
			"The orders: -pending (every order waiting to be shipped), -orders FILE (one id per line; - for\n" +
			"stdin) or -order ID,ID,…. Labels go into one PDF (-o FILE.pdf; an existing file is never\n" +
			"replaced) or to a printer (-printer SPEC). With -ship each order is shipped after its label:\n" +
			"with the carrier and waybill of -waybills FILE.csv (order_id,logistics_id,waybill[,packages];\n" +
			"every line is checked before anything starts), else its type's default: -lbp-logistics and\n" +
			"-sopl-logistics default to 0 (taken to JD's sorting centre), SOP has no default. Running the\n" +
			"same batch again resumes: nothing the journal shows printed or shipped is done again.\n" +
			"The exit status is 1 if any order failed.",
		run: runBatch,
	}
}

func DefaultFlags(sop, lbp, sopl string) (map[printdata.OrderType]string, error) {
	out := map[printdata.OrderType]string{}
	for _, f := range []struct {
		name string
		t    printdata.OrderType
		v    string
	}{{"-sop-logistics", printdata.SOP, sop}, {"-lbp-logistics", printdata.LBP, lbp}, {"-sopl-logistics", printdata.SOPL, sopl}} {
		v, err := LogisticsFlag(f.name, f.v)
		if err != nil {
			return nil, err
		}
		if v == ship.DeliverToJD && f.t == printdata.SOP {
			return nil, Usagef("-sop-logistics 0: taking parcels to JD's sorting centre is for LBP and SOPL orders; give one of the shop's carriers")
		}
		if v != "" {
			out[f.t] = v
		}
	}
	return out, nil
}

func runBatch(ctx context.Context, e *Env, args []string) error {
	fs := e.NewFlags("batch", "(-pending | -orders FILE | -order IDs) [-o FILE.pdf | -printer SPEC] [-ship] [-waybills FILE.csv] [-sop-logistics ID] [-lbp-logistics ID] [-sopl-logistics ID] [-concurrency N] [-claim N]")
	pending := fs.Bool("pending", false, "every order waiting to be shipped (WAIT_SELLER_STOCK_OUT)")
	ordersFile := fs.String("orders", "", "a `file` of order ids, one per line (- for stdin)")
	orderList := fs.String("order", "", "order `IDs`, comma-separated")
	out := fs.String("o", "", "write the labels into this PDF `file`")
	spec := fs.String("printer", "", "print the labels on this printer `spec` (usb:auto, tcp:HOST, file:PATH?lang=zpl, pdf:DIR, …)")
	doShip := fs.Bool("ship", false, "ship each order after its label (without -o or -printer: ship only)")
	waybills := fs.String("waybills", "", "a CSV `file` of order_id,logistics_id,waybill[,packages] for the orders that need them")
	sop := fs.String("sop-logistics", "", "default carrier `id` of SOP orders (a carrier that needs no waybill, e.g. self delivery; default: the saved settings')")
	lbp := fs.String("lbp-logistics", "", "default carrier `id` of LBP orders (default: the saved settings', else 0: taken to JD's sorting centre)")
	sopl := fs.String("sopl-logistics", "", "default carrier `id` of SOPL orders (default: the saved settings', else 0)")
	concurrency := fs.Int("concurrency", fulfill.DefaultConcurrency, "orders fetched (and shipped) in parallel, within the -rate limit")
	reprint := fs.Bool("reprint", false, "print labels again that the journal shows printed (never ships twice)")
	claim := fs.Int("claim", 0, "take only this station's share: the next `N` orders no other station on the journal has claimed (for several stations working through one wave)")
	lf := AddLabelFlags(fs)
	if err := Parse(fs, args); err != nil {
		return err
	}
	sources := 0
	for _, set := range []bool{*pending, *ordersFile != "", strings.TrimSpace(*orderList) != ""} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return Usagef("give exactly one of -pending, -orders FILE and -order IDs")
	}
	if *out != "" && *spec != "" {
		return Usagef("give -o FILE.pdf or -printer SPEC, not both")
	}
	print := *out != "" || *spec != ""
	if !print && !*doShip {
		return Usagef("nothing to do: give -o FILE.pdf or -printer SPEC to print, -ship to ship, or both")
	}
	if *waybills != "" && !*doShip {
		return Usagef("-waybills needs -ship")
	}
	if *claim < 0 || *claim > 100000 {
		return Usagef("-claim must be a number of orders between 1 and 100000")
	}
	if *concurrency < 1 || *concurrency > 32 {
		return Usagef("-concurrency must be between 1 and 32")
	}
	if *spec != "" {
		if _, err := PrinterSpec(*spec, ""); err != nil {
			return err
		}
	}
	defaults, err := DefaultFlags(*sop, *lbp, *sopl)
	if err != nil {
		return err
	}
	label, err := lf.Options(fs)
	if err != nil {
		return err
	}

	// Everything that can be checked without JD is checked before connecting.
	var ids []string
	switch {
	case *ordersFile != "":
		r := io.Reader(e.Stdin)
		if *ordersFile != "-" {
			f, err := os.Open(*ordersFile)
			if err != nil {
				return fmt.Errorf("-orders: %w", err)
			}
			defer f.Close()
			r = f
		}
		if ids, err = readOrderList(ctx, r); err != nil {
			return Explained(err)
		}
		if len(ids) == 0 {
			return fmt.Errorf("-orders %s holds no order ids", *ordersFile)
		}
	case !*pending:
		if ids, err = orderlist.ParseOrderList(*orderList); err != nil {
			return Usagef("-order: %v", Explained(err))
		}
	}
	var rows []orderlist.WaybillRow
	if *waybills != "" {
		f, err := os.Open(*waybills)
		if err != nil {
			return fmt.Errorf("-waybills: %w", err)
		}
		rows, err = orderlist.ReadWaybillsCSV(f)
		f.Close()
		if err != nil {
			return Explained(err)
		}
	}

	st, closeAll, err := e.OpenStation(ctx, StationSetup{Printer: *spec, Label: label, Defaults: defaults, Concurrency: *concurrency})
	if err != nil {
		return err
	}
	defer closeAll()
	bspec := fulfill.BatchSpec{IDs: ids, Print: print, PDFPath: *out, Ship: *doShip, Reprint: *reprint, Concurrency: *concurrency,
		Claim: *claim}
	if len(rows) > 0 {
		if bspec.Waybills, err = st.CheckWaybillRows(ctx, rows); err != nil {
			return Explained(err)
		}
	}
	sum, ran, err := showBatch(ctx, e, st.Station, bspec, *pending, "No orders are waiting to be shipped.")
	if !ran {
		return err
	}
	if *claim > 0 && sum.Claimed == 0 && err == nil {
		fmt.Fprintln(e.Stdout, "Nothing left to claim: every waiting order is done or claimed by another station. / 没有可领取的订单：都已完成或已被其他工作台领取。")
	}
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return &toldError{err: err, words: explain.RunStopped(sum.Pages, sum.Unfinished)}
	case err != nil && sum.Total == 0:
		return Explained(err)
	case err != nil:
		return fmt.Errorf("%s (%d of %d orders failed, listed above)", explain.Error(err).Lines(), len(sum.Failed), sum.Total)
	case len(sum.Failed) > 0:
		return fmt.Errorf("%d of %d orders failed (listed above); fix them and run the same command again", len(sum.Failed), sum.Total)
	}
	return nil
}

// showBatch runs bspec on st with a progress display and then its summary. With pending it first
// asks JD for every order waiting to be shipped; when there is none it says so (none) and does not
// run: ran is false then, and also when that search failed (err).
func showBatch(ctx context.Context, e *Env, st *fulfill.Station, bspec fulfill.BatchSpec, pending bool, none string) (sum fulfill.BatchSummary, ran bool, err error) {
	if pending {
		report, listed := e.ListingProgress()
		bspec.Orders, err = st.Search(ctx, printdata.Query{}, report)
		listed()
		if err != nil {
			return sum, false, Explained(err)
		}
		if len(bspec.Orders) == 0 {
			fmt.Fprintln(e.Stdout, none)
			return sum, false, nil
		}
	}
	prog := newProgress(e.Stdout)
	sum, err = st.Batch(ctx, bspec, prog.event)
	prog.done()
	writeSummary(e.Stdout, sum)
	return sum, true, err
}

// Explained is err told in the station's plain words (explain.Error); errors.Is and As still
// see err.
func Explained(err error) error {
	if err == nil {
		return nil
	}
	return &toldError{err: err, words: explain.Error(err)}
}

// Told is err already put into words for the terminal: the words are printed, errors.Is and As
// still see err.
func Told(err error, words say.Text) error { return &toldError{err: err, words: words} }

// toldError is an error already put into words for the terminal.
type toldError struct {
	err   error
	words say.Text
}

func (e *toldError) Error() string { return e.words.Lines() }
func (e *toldError) Unwrap() error { return e.err }

// progress shows a batch's progress: a bar redrawn in place on a terminal, a line per order
// otherwise.
type progress struct {
	w        io.Writer
	terminal bool
	lastDone int
	lastDraw time.Time
	last     fulfill.BatchEvent
	waiting  string // the printer-away message shown last
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, terminal: IsTerminal(w)}
}

func (p *progress) event(ev fulfill.BatchEvent) {
	if ev.Status == fulfill.EventWaiting {
		// Once per reason, not at every look at the printer.
		if line := explain.Batch(ev).Lines(); line != p.waiting {
			p.waiting = line
			if p.terminal {
				fmt.Fprint(p.w, "\r\033[K")
			}
			fmt.Fprintf(p.w, "station: %s\n", line)
		}
		return
	}
	p.waiting = ""
	p.last = ev
	finished := ev.Done > p.lastDone
	p.lastDone = ev.Done
	if p.terminal {
		if ev.Status == fulfill.EventFailed {
			fmt.Fprintf(p.w, "\r\033[K%s %s failed: %s\n", ev.OrderID, ev.Step, explain.Batch(ev).EN)
		}
		if finished && (time.Since(p.lastDraw) > 100*time.Millisecond || ev.Done == ev.Total) || ev.Status == fulfill.EventFailed {
			p.draw(ev)
		}
		return
	}
	if !finished {
		return
	}
	what := ev.Step + " " + ev.Status
	switch {
	case ev.Step == "":
		what = "already done"
	case ev.Status == fulfill.EventFailed:
		what = ev.Step + " failed: " + explain.Batch(ev).EN
	case ev.Status == fulfill.EventSkipped && ev.Err != nil && !errors.Is(ev.Err, fulfill.ErrStopped):
		what = "skipped: " + explain.Batch(ev).EN
	case ev.Status == fulfill.EventSkipped && ev.Err != nil:
		what = "left for the next run"
	case ev.Step == journal.StepShip && ev.Status == fulfill.EventOK:
		what = "shipped"
	case ev.Step == journal.StepPrint && ev.Status == fulfill.EventOK:
		what = "printed"
	}
	fmt.Fprintf(p.w, "[%d/%d] %s %s (%.1f/s%s)\n", ev.Done, ev.Total, ev.OrderID, what, ev.Rate, eta(ev))
}

func eta(ev fulfill.BatchEvent) string {
	if ev.ETA <= 0 || ev.Done >= ev.Total {
		return ""
	}
	return ", ETA " + ev.ETA.Round(time.Second).String()
}

// quiet shows the bar on a terminal and, anywhere, why the printer holds the labels.
func (p *progress) quiet(ev fulfill.BatchEvent) {
	if p.terminal || ev.Status == fulfill.EventWaiting {
		p.event(ev)
	}
}

func (p *progress) draw(ev fulfill.BatchEvent) {
	p.lastDraw = time.Now()
	const width = 30
	filled := 0
	if ev.Total > 0 {
		filled = width * ev.Done / ev.Total
	}
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)
	fmt.Fprintf(p.w, "\r\033[K[%s] %d/%d  %.1f orders/s%s", bar, ev.Done, ev.Total, ev.Rate, eta(ev))
}

func (p *progress) done() {
	if p.terminal && p.lastDone > 0 {
		p.draw(p.last)
		fmt.Fprintln(p.w)
	}
}

func writeSummary(w io.Writer, sum fulfill.BatchSummary) {
	rate := 0.0
	if s := sum.Elapsed.Seconds(); s > 0 {
		rate = float64(sum.Total-sum.Unfinished) / s
	}
	fmt.Fprintf(w, "Batch: %d orders in %s (%.1f/s): %d printed, %d shipped, %d already done, %d failed, %d left.\n",
		sum.Total, sum.Elapsed.Round(10*time.Millisecond), rate, sum.Printed, sum.Shipped, sum.Skipped, len(sum.Failed), sum.Unfinished)
	if sum.Claimed > 0 {
		fmt.Fprintf(w, "Claimed: %d orders for this station (given back when the batch ends)\n", sum.Claimed)
	}
	if sum.PDFPath != "" {
		fmt.Fprintf(w, "Labels: %s (%d pages)\n", sum.PDFPath, sum.Pages)
	}
	if len(sum.Failed) > 0 {
		fmt.Fprintln(w, "Failed:")
		for _, f := range sum.Failed {
			fmt.Fprintf(w, "  %s  %-5s  %s\n", f.OrderID, f.Step, strings.ReplaceAll(explain.Error(f.Err).Lines(), "\n", "\n  "+strings.Repeat(" ", len(f.OrderID)+9)))
		}
	}
}

// readOrderList reads an order list, giving up when ctx ends even while a read blocks (a pipe
// or a terminal that sends nothing): Ctrl+C and SIGTERM stop the command at once.
func readOrderList(ctx context.Context, r io.Reader) ([]string, error) {
	type result struct {
		ids []string
		err error
	}
	done := make(chan result, 1)
	go func() {
		ids, err := orderlist.ReadOrderIDs(ctx, r)
		done <- result{ids, err}
	}()
	select {
	case res := <-done:
		return res.ids, res.err
	case <-ctx.Done():
		return nil, fmt.Errorf("reading the order list: %w", ctx.Err())
	}
}
