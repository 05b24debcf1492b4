// Package fulfill holds the station's workflows: a Station that prints an order's labels
// (through the printer queue, each print in the journal), ships it (through ship, exactly
// once), reprints and searches the history; Batch, which prints and ships many orders in order
// and resumes from the journal; and the order lists and waybill files a batch is given.
package fulfill

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"station/afs"
	"station/internal/geom"
	"station/jdorder"
	"station/journal"
	"station/listing"
	"station/printdata"
	"station/printer"
	"station/printer/queue"
	"station/render"
	"station/render/pdf"
	"station/render/raster"
	"station/ship"
)

// JOS is the part of the JOS client the station uses; *jos.Client implements it.
type JOS interface {
	ship.Reader
	ship.Writer
}

// StationConfig configures a Station.
type StationConfig struct {
	Client  JOS           // *jos.Client: reads and writes
	Journal journal.Store // the station owns it from now on: Close closes it
	// Printer is where labels go (pdf:DIR, usb:…, tcp:…, file:…); nil = no printing. The station
	// owns it from now on: Close (or SetPrinter's caller, for the old one) closes it.
	Printer printer.Printer
	Label   render.Options // size, offsets, privacy
	// Defaults is the default logistics id per order type. LBP and SOPL default to "0" (the
	// merchant takes the parcels to JD's sorting centre); SOP has no default: "" means the
	// scanner asks for the waybill and detects the carrier from it.
	Defaults    map[printdata.OrderType]string
	Concurrency int // parallel fetches (and parallel shipments) in a batch; default 4
	Logger      *slog.Logger
	// RecoverTimeout bounds the reconciliation NewStation runs; default 20s. Orders it cannot
	// settle stay "shipping" and are reconciled before they are shipped again.
	RecoverTimeout time.Duration
	// CallTimeout bounds one outstorage call or reconciliation (Shipper); default 30s.
	CallTimeout time.Duration
	// PrinterRetry is how often a label held for an absent printer asks whether it is back;
	// default 2s.
	PrinterRetry time.Duration
	// OnPrinterQueue hears every change of the printer queue's state (a printer going away or
	// coming back, labels waiting); it must not block.
	OnPrinterQueue func(queue.State)
}

// DefaultConcurrency is the batch concurrency when the config gives none.
const DefaultConcurrency = 4

// Station is the workflow layer the CLI and the window share: scans, batches, shipments,
// corrections, reprints and the journal's history. It returns values and reports progress
// through callbacks; it prints nothing. It is safe for concurrent use.
type Station struct {
	client   JOS
	journal  journal.Store
	fetcher  *printdata.Fetcher
	orders   *jdorder.Service
	afs      *afs.Client
	carriers *ship.Carriers
	shipper  *ship.Shipper
	log      *slog.Logger
	conc     int
	defaults map[printdata.OrderType]string

	mu      sync.RWMutex
	printer printer.Printer
	queue   *queue.Queue // every label goes through it: held while the printer is away
	label   render.Options
	retry   time.Duration // how often a held label asks whether the printer is back
	onQueue func(queue.State)

	recovered  []ship.Result
	recoverErr error
}

// NewStation wires the station and settles what an earlier run left unsettled
// (Shipper.Recover, bounded by RecoverTimeout). A failure to settle does not stop the station:
// Recovered reports it, and the orders concerned are reconciled before they are shipped again.
func NewStation(ctx context.Context, cfg StationConfig) (*Station, error) {
	if cfg.Client == nil || cfg.Journal == nil {
		return nil, errors.New("fulfill: a Station needs a JOS client and a journal")
	}
	if err := checkLabelOptions(cfg.Label); err != nil {
		return nil, err
	}
	s := &Station{client: cfg.Client, journal: cfg.Journal, log: cfg.Logger, conc: cfg.Concurrency,
		label: cfg.Label, retry: cfg.PrinterRetry, onQueue: cfg.OnPrinterQueue}
	s.SetPrinter(cfg.Printer)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.conc <= 0 {
		s.conc = DefaultConcurrency
	}
	s.defaults = mergeDefaults(nil, cfg.Defaults)
	s.fetcher = printdata.NewFetcher(cfg.Client, printdata.WithLogger(s.log))
	s.orders = jdorder.New(cfg.Client)
	s.afs = afs.New(cfg.Client)
	s.carriers = ship.NewCarriers(cfg.Client, 0, s.log)
	sh, err := ship.NewShipper(ship.ShipperConfig{Journal: cfg.Journal, JOS: cfg.Client, Carriers: s.carriers,
		States: ship.FetcherStates(s.fetcher), Logger: s.log, CallTimeout: cfg.CallTimeout})
	if err != nil {
		return nil, err
	}
	s.shipper = sh
	rt := cfg.RecoverTimeout
	if rt <= 0 {
		rt = 20 * time.Second
	}
	rctx, cancel := context.WithTimeout(ctx, rt)
	s.recovered, s.recoverErr = sh.Recover(rctx)
	cancel()
	if s.recoverErr != nil {
		s.log.WarnContext(ctx, "some unsettled shipments could not be reconciled at start", slog.String("error", s.recoverErr.Error()))
	}
	return s, nil
}

// Recovered returns what NewStation's reconciliation found: one Result per order that was left
// "shipping", and the joined errors of those it could not settle.
func (s *Station) Recovered() ([]ship.Result, error) { return s.recovered, s.recoverErr }

// Close closes the printer and the journal.
func (s *Station) Close() error {
	s.mu.Lock()
	p := s.printer
	s.printer = nil
	s.mu.Unlock()
	var errs []error
	if p != nil {
		errs = append(errs, p.Close())
	}
	errs = append(errs, s.journal.Close())
	return errors.Join(errs...)
}

// Journal is the station's journal.
func (s *Station) Journal() journal.Store { return s.journal }

// Shipper is the station's Shipper (for Reconcile and the like).
func (s *Station) Shipper() *ship.Shipper { return s.shipper }

// Printer is the current printer, nil when there is none.
func (s *Station) Printer() printer.Printer {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.printer
}

// SetPrinter switches to p (nil: no printing) and returns the previous printer, which the
// caller closes. Jobs already sent to the old printer finish there.
func (s *Station) SetPrinter(p printer.Printer) (old printer.Printer) {
	var q *queue.Queue
	if p != nil {
		q = queue.New(p, queue.Options{RetryEvery: s.retry, OnChange: s.onQueue})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, s.printer, s.queue = s.printer, p, q
	return old
}

// printerQueue is the current printer's queue, nil when there is no printer.
func (s *Station) printerQueue() *queue.Queue {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.queue
}

// PrinterQueue says whether the printer is away and how many labels wait for it; ok is false
// when there is no printer.
func (s *Station) PrinterQueue() (st queue.State, ok bool) {
	if q := s.printerQueue(); q != nil {
		return q.State(), true
	}
	return queue.State{}, false
}

// LabelOptions are the current label options.
func (s *Station) LabelOptions() render.Options {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.label
}

// SetLabelOptions changes the label size, offsets and privacy for the labels printed from now on.
func (s *Station) SetLabelOptions(o render.Options) error {
	if err := checkLabelOptions(o); err != nil {
		return err
	}
	s.mu.Lock()
	s.label = o
	s.mu.Unlock()
	return nil
}

func checkLabelOptions(o render.Options) error {
	if o.Size == (render.Size{}) {
		return nil
	}
	if _, err := render.ParseSize(o.Size.Name); err != nil {
		return err
	}
	if !geom.OffsetOK(o.OffsetX) || !geom.OffsetOK(o.OffsetY) {
		return fmt.Errorf("render: print offset out of range (at most ±%g mm)", geom.MaxOffset)
	}
	return nil
}

// Defaults returns the default logistics id per order type.
func (s *Station) Defaults() map[printdata.OrderType]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return mergeDefaults(s.defaults, nil)
}

// SetDefaults replaces the default logistics ids (missing LBP/SOPL entries become "0").
func (s *Station) SetDefaults(d map[printdata.OrderType]string) {
	s.mu.Lock()
	s.defaults = mergeDefaults(nil, d)
	s.mu.Unlock()
}

// DefaultCarrier is the default logistics id of an order type in d: an overseas order goes
// with the SOP carrier unless it has one of its own.
func DefaultCarrier(d map[printdata.OrderType]string, t printdata.OrderType) string {
	if v := d[t]; v != "" || t != printdata.Overseas {
		return v
	}
	return d[printdata.SOP]
}

// mergeDefaults returns base overridden by over (non-empty values), LBP and SOPL defaulting to
// DeliverToJD.
func mergeDefaults(base, over map[printdata.OrderType]string) map[printdata.OrderType]string {
	out := map[printdata.OrderType]string{printdata.LBP: ship.DeliverToJD, printdata.SOPL: ship.DeliverToJD}
	for _, m := range []map[printdata.OrderType]string{base, over} {
		for t, v := range m {
			t = printdata.OrderType(strings.ToUpper(strings.TrimSpace(string(t))))
			if v = strings.TrimSpace(v); v != "" {
				out[t] = v
			}
		}
	}

	return out
}

// Search lists every order of q (360buy.order.search), by default those waiting to be shipped,
// past JD's 5,000 a search (see listing). progress, if not nil, hears after each page.
func (s *Station) Search(ctx context.Context, q printdata.Query, progress func(listing.Progress)) ([]printdata.Order, error) {
	return listing.All(ctx, s.fetcher, q, listing.Options{Progress: progress})
}

// Order reads one order from JD (type and state); an FBP order is refused (*FBPOrderError).
func (s *Station) Order(ctx context.Context, id string) (printdata.Order, error) {
	return s.readOrder(ctx, id)
}

// Carriers lists the shop's carriers (cached; read from JD at first use and hourly).
func (s *Station) Carriers(ctx context.Context) ([]ship.Carrier, error) { return s.carriers.List(ctx) }

// RefreshCarriers reads the shop's carriers from JD now.
func (s *Station) RefreshCarriers(ctx context.Context) ([]ship.Carrier, error) {
	return s.carriers.Refresh(ctx)
}

// CarrierByID is the shop's carrier with this logistics id (ship.ErrCarrierNotFound if none).
func (s *Station) CarrierByID(ctx context.Context, id string) (ship.Carrier, error) {
	return s.carriers.ByID(ctx, id)
}

// DetectCarrier lists the shop's carriers whose waybills look like w, best first.
func (s *Station) DetectCarrier(ctx context.Context, w string) ([]ship.Carrier, error) {
	return s.carriers.Detect(ctx, w)
}

// TodayCounts counts today's prints, shipments and failures for the status bar.
func (s *Station) TodayCounts(ctx context.Context) (journal.Counts, error) {
	return journal.TodayCounts(ctx, s.journal, time.Now())
}

// Ship sends one shipment (outstorage), once: see Shipper.Ship. When sh.Type is empty the type
// is taken from the journal or, failing that, from JD (360buy.order.get); a locked or
// cancelled order is then refused without any write.
func (s *Station) Ship(ctx context.Context, sh ship.Shipment) (ship.Result, error) {
	sh, err := s.withType(ctx, sh)
	if err != nil {
		return ship.Result{OrderID: sh.OrderID}, err
	}
	return s.shipper.Ship(ctx, sh)
}

// UpdateWaybill corrects a shipped order's carriers and waybills (see Shipper.UpdateWaybill).
// An empty sh.Type is looked up as in Ship.
func (s *Station) UpdateWaybill(ctx context.Context, sh ship.Shipment) (ship.Result, error) {
	sh, err := s.withType(ctx, sh)
	if err != nil {
		return ship.Result{OrderID: sh.OrderID}, err
	}
	return s.shipper.UpdateWaybill(ctx, sh)
}

// withType fills in an empty sh.Type with orderType; sh is returned unchanged on error.
func (s *Station) withType(ctx context.Context, sh ship.Shipment) (ship.Shipment, error) {
	if strings.TrimSpace(string(sh.Type)) != "" {
		return sh, nil
	}
	t, err := s.OrderType(ctx, sh.OrderID)
	if err != nil {
		return sh, err
	}
	sh.Type = t
	return sh, nil
}

// Reconcile settles an order whose outstorage outcome is unknown (see Shipper.Reconcile).
func (s *Station) Reconcile(ctx context.Context, orderID string) (ship.Result, error) {
	return s.shipper.Reconcile(ctx, orderID)
}

// OrderType finds an order's type: the journal's, else JD's. A locked or cancelled order is
// refused (printdata.ErrNotShippable) when JD was asked.
func (s *Station) OrderType(ctx context.Context, orderID string) (printdata.OrderType, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return "", &ship.InvalidShipmentError{Kind: ship.InvalidOrderID, OrderID: orderID,
			Msg: fmt.Sprintf("%q is not a JD order id (up to 20 digits): scan the order's barcode again", orderID)}
	}
	if e, ok, err := s.journal.Get(ctx, id); err != nil {
		return "", err
	} else if ok && e.Type != "" {
		return e.Type, nil
	}
	return s.jdOrderType(ctx, id)
}

// jdOrderType asks JD for the type of order id (a clean id), refusing a locked or cancelled
// order and a type the station does not know.
func (s *Station) jdOrderType(ctx context.Context, id string) (printdata.OrderType, error) {
	o, err := s.jdOrder(ctx, id, printdata.CheckShippable)
	return o.Type, err
}

// jdOrder reads the order from JD and refuses it when check does, or when its type is one
// the station does not ship.
func (s *Station) jdOrder(ctx context.Context, id string, check func(printdata.Order) error) (printdata.Order, error) {
	o, err := s.Order(ctx, id)
	if err == nil {
		err = check(o)
	}
	if err == nil {
		err = printdata.CheckType(o)
	}
	if err != nil {
		return printdata.Order{}, err
	}
	return o, nil
}

// Printed is what PrintOrder printed.
type Printed struct {
	Type               printdata.OrderType
	SortingCode        string // LBP/SOPL: for the packer's sorting shelf
	DistributionCenter string
	Label              *render.Label // the first label, for a preview
	BuyerRemark        string        // the print data's remark: what the buyer wrote
	Pages              int
	At                 time.Time
}

// PrintOrder fetches the order's print data, lays out one label per package and prints them
// (see printLabels: held while the printer is away, onAway hears why). What it learnt of the
// order comes back even when printing failed. fresh is a first print, not a reprint: it is
// refused (journal.ErrAlreadyPrinted, journal.ErrPrintingElsewhere) when another window or
// process printed the order meanwhile or is printing it.
func (s *Station) PrintOrder(ctx context.Context, orderID string, packages int, fresh bool, onAway func(error)) (Printed, error) {
	q := s.printerQueue()
	if q == nil {
		return Printed{}, ErrNoPrinter
	}
	w, err := s.fetchWaybill(ctx, orderID, nil, fresh)
	if err != nil {
		return Printed{}, err
	}
	p := Printed{Type: w.Type, SortingCode: w.SortingCode, DistributionCenter: w.DistributionCenter, BuyerRemark: w.Remark}
	labels, err := s.layout(w, max(packages, 1))
	if err != nil {
		return p, err
	}
	p.Label = labels[0]
	if err := s.printLabels(ctx, q, orderID, w.Type, labels, nil, fresh, onAway); err != nil {
		return p, err
	}
	p.Pages, p.At = len(labels), time.Now()
	return p, nil
}

// History returns journal entries: those of an order id or a waybill, or the most recent
// ones when query is empty (limit entries at most; 0 → 50).
func (s *Station) History(ctx context.Context, query string, limit int) ([]journal.Entry, error) {
	return journal.Search(ctx, s.journal, query, limit)
}

// OrderStatus is what the journal says about an order before a step.
type OrderStatus struct {
	Entry   journal.Entry
	Found   bool
	Printed bool               // a label came out (Entry.PrintedAt)
	Unknown *PrintUnknownError // the last print may or may not have come out, and none did before
	// PrintingElsewhere: another window or process is printing the order right now.
	PrintingElsewhere bool
	Shipped           bool
	Shipping          bool // an outstorage with an unknown outcome
}

func (s *Station) Status(ctx context.Context, id string) (OrderStatus, error) {
	e, found, err := s.journal.Get(ctx, id)
	if err != nil || !found {
		return OrderStatus{}, err
	}
	st := OrderStatus{Entry: e, Found: true, Printed: e.Prints > 0, Shipped: e.State == journal.StateShipped,
		Shipping: e.State == journal.StateShipping}
	if st.Printed || (e.State != journal.StatePrinting && e.State != journal.StateFailed) {
		return st, nil
	}
	p, ok, err := s.journal.LastPrint(ctx, id)
	if err != nil || !ok || p.Outcome != journal.PrintStarted {
		return st, err
	}
	if p.UnderWay(time.Now()) {
		st.PrintingElsewhere = true
		return st, nil
	}
	if p.Target.Kind == journal.TargetPDFFile && p.Reason == "" {
		path := p.Target.Name
		// A batch PDF is written whole (temporary file, then renamed) after its prints begin:
		// the file being there, newer than the print, tells that the label went out.
		fi, statErr := os.Stat(path)
		written := statErr == nil && !fi.ModTime().Before(p.StartedAt.Add(-time.Second))
		var endErr error
		if !written {
			endErr = errors.New("the station stopped before the PDF file " + path + " was written")
		}
		if err := s.journal.EndPrint(ctx, p.ID, endErr); err != nil {
			return st, err
		}
		st.Printed = written
		if written {
			st.Entry.PrintedAt = p.StartedAt
		}
		return st, nil
	}
	st.Unknown = &PrintUnknownError{OrderID: id, At: p.StartedAt, Printer: p.Target.Name, Reason: p.Reason}
	return st, nil
}

// fetchWaybill reads the order's print data; with o (from Search: type and state known) one
// call, else two (360buy.order.get first).
// fetchWaybill reads the order's print data. o is the order as a listing gave it (nil: read
// from JD now, with 360buy.order.get, which the print data needs anyway for the type). A fresh
// print (not a reprint a person asked for) is refused unless JD shows the order waiting for its
// outstorage: no label goes out for an order shipped elsewhere, finished, cancelled or locked.
func (s *Station) fetchWaybill(ctx context.Context, id string, o *printdata.Order, fresh bool) (*printdata.Waybill, error) {
	if err := s.checkDeleteHold(ctx, id); err != nil {
		return nil, err
	}
	if o == nil {
		got, err := s.readOrder(ctx, id)
		if err != nil {
			return nil, err
		}
		if printdata.CheckShippable(got) == nil {
			if err := printdata.CheckType(got); err != nil {
				return nil, err
			}
		}
		o = &got
	}
	if fresh {
		if err := printdata.CheckWaiting(*o); err != nil {
			return nil, err
		}
	}
	return s.fetcher.Waybill(ctx, *o)
}

// WaitingOrder reads the order from JD and refuses it (printdata.NotShippableError) unless JD
// shows it waiting for its outstorage; a type the station does not ship is refused too.
func (s *Station) WaitingOrder(ctx context.Context, id string) (printdata.Order, error) {
	if err := s.checkDeleteHold(ctx, id); err != nil {
		return printdata.Order{}, err
	}
	return s.jdOrder(ctx, id, printdata.CheckWaiting)
}

// layout lays out one label per package ("n of N" when there are several).
func (s *Station) layout(w *printdata.Waybill, packages int) ([]*render.Label, error) {
	opt := s.LabelOptions()
	if packages <= 1 {
		l, err := render.Layout(w, opt)
		if err != nil {
			return nil, err
		}
		return []*render.Label{l}, nil
	}
	labels := make([]*render.Label, packages)
	for i := range labels {
		o := opt
		o.Package, o.Packages = i+1, packages
		l, err := render.Layout(w, o)
		if err != nil {
			return nil, err
		}
		labels[i] = l
	}
	return labels, nil
}

// labelJob is one label as a printer job.
func labelJob(orderID string, l *render.Label, i, n int) printer.Job {
	name := orderID
	if n > 1 {
		name = fmt.Sprintf("%s-%dof%d", orderID, i+1, n)
	}
	return printer.Job{Name: name, Copies: 1, WidthMM: l.W, HeightMM: l.H,
		Raster: func(dpi int) (image.Image, error) { return raster.Draw(l, dpi), nil },
		PDF:    func(w io.Writer) error { return pdf.WriteLabel(w, l) }}
}

// beginPrint records a print as begun, before its first byte; on error nothing was printed.
func beginPrint(ctx context.Context, j journal.Store, job journal.PrintJob) (int64, error) {
	id, err := j.BeginPrint(ctx, job)
	switch {
	case err != nil && ctx.Err() != nil:
		return 0, fmt.Errorf("order %s: not printed: %w: %w", job.OrderID, ErrStopped, err)
	case err != nil:
		return 0, fmt.Errorf("order %s: not printed: %w", job.OrderID, err)
	}
	return id, nil
}

// printLabels prints an order's labels through q, recorded in the journal. While the printer
// is away before the first label starts (out of paper, unplugged, refusing the connection) the
// labels are held and onAway (may be nil) hears why; they go out by themselves when it is back.
// A cancelled ctx ends the wait (nothing printed) but never cuts a label in half.
func (s *Station) printLabels(ctx context.Context, q *queue.Queue, id string, t printdata.OrderType,
	labels []*render.Label, prepared []*printer.Prepared, fresh bool, onAway func(error)) error {
	for {
		release, err := q.Hold(ctx, len(labels), onAway)
		if err != nil {
			return fmt.Errorf("order %s: not printed: %w: %w", id, ErrStopped, err)
		}
		again, err := s.printOnce(ctx, q, id, t, labels, prepared, fresh)
		release()
		if !again {
			return err
		}
	}
}

// printOnce sends an order's labels once, recorded in the journal: BeginPrint before the first
// byte, then printed, failed (nothing came out, safe to print again) or unsure (part of it may
// have come out: nothing prints it again silently). again reports that nothing came out
// because the printer is away: the caller holds the labels and tries again. prepared, when
// given, holds the labels already encoded for the printer (printer.Preparer).
func (s *Station) printOnce(ctx context.Context, q *queue.Queue, id string, t printdata.OrderType,
	labels []*render.Label, prepared []*printer.Prepared, fresh bool) (again bool, err error) {
	p := q.Printer()
	if err := ctx.Err(); err != nil {
		return false, err
	}
	printID, err := beginPrint(ctx, s.journal, journal.PrintJob{OrderID: id, Type: t, Pages: len(labels), Copies: 1,
		Target: journal.PrinterTarget(p.Spec()), Fresh: fresh})
	if err != nil {
		return false, err
	}
	wctx := printer.KeepSending(ctx)
	done := 0
	var perr error
	for i, l := range labels {
		if prepared != nil {
			perr = q.Send(wctx, prepared[i])
		} else {
			perr = q.Print(wctx, labelJob(id, l, i, len(labels)))
		}
		if perr != nil {
			break
		}
		done++
	}
	switch {
	case perr == nil:
		if err := s.journal.EndPrint(wctx, printID, nil); err != nil {
			return false, fmt.Errorf("order %s: the label printed but the journal could not record it: %w", id, err)
		}
		return false, nil
	case done == len(labels)-1 && printer.SentOf(perr) == printer.SentAll:
		// The whole of the last label reached the device; only something after it failed.
		s.log.WarnContext(ctx, "print reported an error after the label was fully sent", slog.String("order_id", id),
			slog.String("error", perr.Error()))
		if err := s.journal.EndPrint(wctx, printID, nil); err != nil {
			return false, fmt.Errorf("order %s: the label printed but the journal could not record it: %w", id, err)
		}
		return false, nil
	case done == 0 && printer.SentOf(perr) == printer.SentNone:
		if err := s.journal.EndPrint(wctx, printID, perr); err != nil {
			s.log.ErrorContext(ctx, "print failure not recorded", slog.String("order_id", id), slog.String("error", err.Error()))
		}
		if printer.Away(perr) {
			s.log.WarnContext(ctx, "printer away; the label is held", slog.String("order_id", id), slog.String("error", perr.Error()))
			return true, perr
		}
		return false, fmt.Errorf("order %s: not printed: %w", id, perr)
	}
	reason := fmt.Sprintf("%d of %d labels printed, then: %v", done, len(labels), perr)
	if done == 0 {
		reason = "the printer stopped in the middle of the label: " + perr.Error()
	}
	if err := s.journal.EndPrintUnsure(wctx, printID, reason); err != nil {
		s.log.ErrorContext(ctx, "unsure print not recorded", slog.String("order_id", id), slog.String("error", err.Error()))
	}
	return false, &PrintUnknownError{OrderID: id, At: time.Now(), Printer: p.Spec(), Reason: reason, Err: perr, Labels: len(labels), Done: done,
		CutOff: printer.SentOf(perr) != printer.SentNone}
}
