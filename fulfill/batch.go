package fulfill

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"station/internal/ctxtime"
	"station/jos"
	"station/journal"
	"station/orderlist"
	"station/printdata"
	"station/printer"
	"station/printer/queue"
	"station/render"
	"station/render/pdf"
	"station/ship"
)

// StepFetch names the fetch step of a batch (print data, order type); StepPrint and StepShip
// name the others.
const StepFetch = "fetch"

// Batch event statuses.
const (
	EventOK      = "ok"
	EventSkipped = "skipped" // the journal shows the step done already
	EventFailed  = "failed"
	// EventWaiting: the order's labels are held because the printer is away; they go out by
	// themselves when it is back (Err says why; explain.Away what to do at the printer).
	EventWaiting = "waiting"
)

// BatchSpec says what a batch does.
type BatchSpec struct {
	Orders []printdata.Order // from Search (type and state known: one call less per order; read, never changed, while the batch runs), or
	IDs    []string          // order ids, looked up with 360buy.order.get
	Print  bool
	// PDFPath prints into one PDF file (else to the station's printer). An existing file is
	// never replaced: the labels go to PATH-2.pdf, PATH-3.pdf, … (BatchSummary.PDFPath says which).
	PDFPath string
	// ReplacePDF replaces an existing PDFPath instead, with a complete file only (station
	// print -o: the user named the file).
	ReplacePDF bool
	Reprint    bool // print even what the journal shows printed (shipping still never repeats)
	Ship       bool
	// Waybills gives the shipment of some orders (from a waybill file or the window): carriers,
	// waybills and packages; Type may be empty. Other orders ship with the defaults.
	Waybills map[string]ship.Shipment
	// Defaults overrides the station's default logistics id per type for this batch.
	Defaults    map[printdata.OrderType]string
	Concurrency int // parallel fetches and parallel shipments; 0 → the station's
	// Claim, when above 0, makes the batch this station's share of a wave that several
	// stations on one journal work through: it takes up to Claim of the orders that no other
	// station has claimed (journal.ClaimBatch) and works on those alone, giving them back when
	// it ends. A station that dies keeps its share until BatchClaimFor has passed, or until it
	// starts again under the same name.
	Claim int
}

// BatchClaimFor is how long a batch's claims hold.
const BatchClaimFor = 10 * time.Minute

// BatchEvent reports progress: one per step of an order, in the order they happen. Done counts
// the orders finished (done, skipped or failed) out of Total.
type BatchEvent struct {
	OrderID string
	Step    string // StepFetch, StepPrint or StepShip
	Status  string // EventOK, EventSkipped or EventFailed
	Err     error  // a failure, or (EventWaiting) why the printer is away; explain.Batch says it
	Done    int
	Total   int
	Rate    float64       // orders finished per second so far
	ETA     time.Duration // at that rate; 0 when not known yet
	Elapsed time.Duration
}

// BatchFailure is an order the batch could not finish.
type BatchFailure struct {
	OrderID string
	Step    string
	Err     error
}

// BatchSummary is what a batch did.
type BatchSummary struct {
	Total   int
	Claimed int // with BatchSpec.Claim: the orders this station took of the wave
	Printed int // orders printed by this run
	Shipped int // orders shipped by this run
	Skipped int // orders the journal showed done: nothing to do
	// Unfinished counts the orders left when the run was stopped; running the same batch
	// again finishes them.
	Unfinished int
	Failed     []BatchFailure
	PDFPath    string // the PDF written, if any
	Pages      int    // labels printed (in the PDF, or on the printer)
	Elapsed    time.Duration
}

// OK reports whether every order was done or already done.
func (b BatchSummary) OK() bool { return len(b.Failed) == 0 && b.Unfinished == 0 }

// batchItem is one order going through the pipeline.
type batchItem struct {
	idx   int
	id    string
	order *printdata.Order

	needPrint bool
	needShip  bool
	typ       printdata.OrderType
	sh        ship.Shipment
	labels    []*render.Label
	prepared  []*printer.Prepared
	ended     bool // finished (skipped, failed or unfinished) before the next stage
}

type batchRun struct {
	s        *Station
	spec     BatchSpec
	todos    []batchTodo
	queue    *queue.Queue
	preparer printer.Preparer
	pdf      *pdfOut
	defaults map[printdata.OrderType]string
	waybills map[string]ship.Shipment
	conc     int
	events   func(BatchEvent)
	start    time.Time

	printerErr      error                 // set by the print stage when the printer stopped: nothing more is printed
	printerFailedOn string                // the order whose label it stopped on
	jdErr           atomic.Pointer[error] // a refusal every further call would meet: nothing more is fetched

	mu  sync.Mutex
	sum BatchSummary
	n   int // orders finished
}

// Batch prints and ships many orders: fetches in parallel (Concurrency workers, within the JOS
// client's rate limit), prints strictly in the given order, ships in parallel as each label is
// out, with a bounded retry loop (what JD may have applied is reconciled, never sent again).
// It resumes: what the journal shows printed is not printed again (unless Reprint), what it
// shows shipped is not shipped again, and a print whose outcome is unknown is reported, not
// repeated. Cancelling ctx stops cleanly between orders: a label being printed finishes, an
// outstorage being sent gets its outcome recorded, and the rest is left for the next run.
//
// Bad input (an id that is not an order id, no printer) is refused before anything is done.
// events (may be nil) is called from one goroutine at a time. The error is ctx's when the run
// was stopped, a printer failure that stopped the printing, or nil; per-order failures are in
// the summary.
func (s *Station) Batch(ctx context.Context, spec BatchSpec, events func(BatchEvent)) (BatchSummary, error) {
	todos, err := batchTodos(spec)
	if err != nil {
		return BatchSummary{}, err
	}
	if !spec.Print && !spec.Ship {
		return BatchSummary{}, errors.New("a batch must print, ship or both")
	}
	if spec.PDFPath != "" && !spec.Print {
		return BatchSummary{}, errors.New("a PDF file was given but the batch does not print")
	}
	r := &batchRun{s: s, spec: spec, todos: todos, events: events, start: time.Now(),
		defaults: mergeDefaults(s.Defaults(), spec.Defaults), conc: spec.Concurrency}
	if r.conc <= 0 {
		r.conc = s.conc
	}
	if spec.Print {
		if spec.PDFPath != "" {
			if r.pdf, err = newPDFOut(spec.PDFPath, s.LabelOptions().Size, spec.ReplacePDF); err != nil {
				return BatchSummary{}, err
			}
		} else if r.queue = s.printerQueue(); r.queue == nil {
			return BatchSummary{}, ErrNoPrinter
		} else if pp, ok := r.queue.Printer().(printer.Preparer); ok {
			r.preparer = pp
		}
	}
	r.waybills = map[string]ship.Shipment{}
	for k, v := range spec.Waybills {
		id, err := printdata.CleanOrderID(k)
		if err != nil {
			return BatchSummary{}, &orderlist.Error{Of: orderlist.Waybills, Problems: []string{fmt.Sprintf("order %q: not a JD order id", k)}}
		}
		r.waybills[id] = v
	}
	if spec.Claim > 0 {
		ids := make([]string, len(todos))
		for i, t := range todos {
			ids[i] = t.id
		}
		claimed, err := s.journal.ClaimBatch(ctx, journal.BatchClaim{Candidates: ids, N: spec.Claim,
			Until: time.Now().Add(BatchClaimFor), PrintOnly: !spec.Ship})
		if err != nil {
			return BatchSummary{}, err
		}
		defer s.journal.ReleaseBatch(context.WithoutCancel(ctx), claimed...)
		mine := make(map[string]bool, len(claimed))
		for _, id := range claimed {
			mine[id] = true
		}
		r.todos = slices.DeleteFunc(todos, func(t batchTodo) bool { return !mine[t.id] })
		r.sum.Claimed = len(claimed)
	}
	r.sum.Total = len(r.todos)
	if r.events == nil {
		r.events = func(BatchEvent) {}
	}
	return r.run(ctx)
}

// batchTodo is one order of a batch before it is taken up: the item is made when its turn
// comes and dropped once it is done, so that a batch of 50,000 holds 50,000 of these, not of
// batchItem.
type batchTodo struct {
	id    string
	order *printdata.Order // into spec.Orders; nil for an id
}

// batchTodos turns the spec's orders and ids into todos, in order, without duplicates. An id
// that is not an order id refuses the whole batch.
func batchTodos(spec BatchSpec) ([]batchTodo, error) {
	todos := make([]batchTodo, 0, len(spec.Orders)+len(spec.IDs))
	seen := make(map[string]bool, cap(todos))
	var bad []string
	add := func(raw string, o *printdata.Order) {
		id, err := printdata.CleanOrderID(raw)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%q is not a JD order id (up to 20 digits)", raw))
			return
		}
		if seen[id] {
			return
		}
		seen[id] = true
		todos = append(todos, batchTodo{id: id, order: o})
	}
	for i := range spec.Orders {
		add(spec.Orders[i].ID, &spec.Orders[i])
	}
	for _, id := range spec.IDs {
		add(id, nil)
	}
	if len(bad) > 0 {
		return nil, &orderlist.Error{Of: orderlist.OrderIDs, Problems: bad}
	}
	return todos, nil
}

// item makes the batch's i-th item.
func (r *batchRun) item(i int) *batchItem {
	return &batchItem{idx: i, id: r.todos[i].id, order: r.todos[i].order}
}

func (r *batchRun) run(ctx context.Context) (BatchSummary, error) {
	n := len(r.todos)
	shipQ := make(chan *batchItem, n)
	var shippers sync.WaitGroup
	for range r.conc {
		shippers.Add(1)
		go func() {
			defer shippers.Done()
			for it := range shipQ {
				r.ship(ctx, it)
			}
		}()
	}
	// Fetching runs at most 4 orders per worker ahead of printing (labels held in memory).
	ordered(ctx, n, r.conc, 4*r.conc,
		func(i int) *batchItem {
			it := r.item(i)
			r.prepare(ctx, it)
			return it
		},
		func(i int, it *batchItem, started bool) {
			if !started {
				r.unfinished(r.item(i))
				return
			}
			r.printStage(ctx, it, shipQ)
		})
	r.flushPDF(ctx, shipQ)
	close(shipQ)
	shippers.Wait()

	r.mu.Lock()
	sum := r.sum
	sum.Elapsed = time.Since(r.start)
	r.mu.Unlock()
	switch {
	case ctx.Err() != nil && sum.Unfinished > 0:
		return sum, fmt.Errorf("batch stopped with %d of %d orders left: %w", sum.Unfinished, sum.Total, ctx.Err())
	case r.printerErr != nil:
		return sum, fmt.Errorf("the printer failed, so the batch stopped printing: %w", r.printerErr)
	case r.jdErr.Load() != nil:
		return sum, fmt.Errorf("JD refused the batch's calls, so it stopped with %d of %d orders left: %w", sum.Unfinished, sum.Total, *r.jdErr.Load())
	}
	return sum, nil
}

// emitLocked sends an event; r.mu is held.
func (r *batchRun) emitLocked(ev BatchEvent) {
	ev.Done, ev.Total = r.n, r.sum.Total
	ev.Elapsed = time.Since(r.start)
	if secs := ev.Elapsed.Seconds(); r.n > 0 && secs > 0 {
		ev.Rate = float64(r.n) / secs
		ev.ETA = time.Duration(float64(ev.Total-ev.Done) / ev.Rate * float64(time.Second))
	}
	r.events(ev)
}

// step reports a step that does not end the order.
func (r *batchRun) step(it *batchItem, step, status string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.emitLocked(BatchEvent{OrderID: it.id, Step: step, Status: status})
}

// end finishes an order with its last step's outcome.
func (r *batchRun) end(it *batchItem, step, status string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	it.ended = true
	it.needPrint, it.needShip = false, false
	it.labels, it.prepared = nil, nil
	r.n++
	ev := BatchEvent{OrderID: it.id, Step: step, Status: status, Err: err}
	switch {
	case errors.Is(err, ErrStopped):
		r.sum.Unfinished++
		ev.Status = EventSkipped
	case errors.Is(err, journal.ErrAlreadyPrinted), errors.Is(err, journal.ErrPrintingElsewhere), errors.Is(err, ErrShippedElsewhere):
		// Another window or process has the order: its print is its own, not this batch's.
		r.sum.Skipped++
		ev.Status = EventSkipped
	case err != nil:
		r.sum.Failed = append(r.sum.Failed, BatchFailure{OrderID: it.id, Step: step, Err: err})
	case status == EventSkipped && step == "":
		r.sum.Skipped++
	}
	r.emitLocked(ev)
}

func (r *batchRun) fail(it *batchItem, step string, err error) { r.end(it, step, EventFailed, err) }

func (r *batchRun) unfinished(it *batchItem) {
	r.end(it, StepFetch, EventSkipped, ErrStopped)
}

// prepare is the fetch stage: what the journal says, the print data when a label is due, the
// shipment (checked before anything is printed), the labels.
func (r *batchRun) prepare(ctx context.Context, it *batchItem) {
	s := r.s
	if ctx.Err() != nil || r.jdErr.Load() != nil {
		r.unfinished(it)
		return
	}
	st, err := s.Status(ctx, it.id)
	if err != nil {
		r.fail(it, StepFetch, r.stoppedErr(ctx, err))
		return
	}
	alreadyOut := st.Shipped || st.Shipping
	it.needShip = r.spec.Ship && !st.Shipped
	it.needPrint = r.spec.Print && (r.spec.Reprint || (!st.Printed && !alreadyOut))
	if !it.needPrint && !it.needShip {
		r.end(it, "", EventSkipped, nil)
		return
	}
	if it.needPrint && st.PrintingElsewhere && !r.spec.Reprint {
		r.end(it, journal.StepPrint, EventSkipped, fmt.Errorf("order %s: %w", it.id, journal.ErrPrintingElsewhere))
		return
	}
	if it.needPrint && st.Unknown != nil && !r.spec.Reprint {
		r.fail(it, journal.StepPrint, st.Unknown)
		return
	}
	it.typ = st.Entry.Type
	if it.order != nil && it.order.Type != "" {
		it.typ = it.order.Type
	}
	var w *printdata.Waybill
	switch {
	case it.needPrint:
		o := it.order
		if o != nil && (o.Type == "" || o.State == "") {
			o = nil
		}
		if w, err = s.fetchWaybill(ctx, it.id, o, !r.spec.Reprint); err != nil {
			r.readFailed(ctx, it, StepFetch, err)
			return
		}
		it.typ = w.Type
	case it.typ == "":
		if it.typ, err = s.jdOrderType(ctx, it.id); err != nil {
			r.readFailed(ctx, it, StepFetch, err)
			return
		}
	}
	r.step(it, StepFetch, EventOK)

	packages := 1
	if it.needShip {
		sh, err := r.shipment(it.id, it.typ)
		if err == nil {
			sh, err = s.shipper.Validate(ctx, sh)
		}
		if err != nil {
			// Nothing is printed for an order that could not ship as asked: fix and rerun.
			r.readFailed(ctx, it, journal.StepShip, err)
			return
		}
		it.sh, packages = sh, sh.Packages
	} else if wb, ok := r.waybills[it.id]; ok && wb.Packages > 1 {
		packages = wb.Packages
	}
	if !it.needPrint {
		return
	}
	if it.labels, err = s.layout(w, packages); err != nil {
		r.fail(it, journal.StepPrint, err)
		return
	}
	if r.preparer != nil {
		// Draw and encode in the fetch workers, in parallel; the print stage only sends.
		for i, l := range it.labels {
			p, err := r.preparer.Prepare(ctx, labelJob(it.id, l, i, len(it.labels)))
			if printer.Away(err) {
				it.prepared = nil // the printer is away: the label is drawn when it is back
				break
			}
			if err != nil {
				r.fail(it, journal.StepPrint, r.stoppedErr(ctx, fmt.Errorf("order %s: not printed: %w", it.id, err)))
				return
			}
			it.prepared = append(it.prepared, p)
		}
	}
}

// readFailed fails the order; a refusal that every further call would meet too (the token, the
// signature, the clock, a permission) also stops the batch, leaving the rest for the next run
// instead of failing each order the same way.
func (r *batchRun) readFailed(ctx context.Context, it *batchItem, step string, err error) {
	if jdStops(err) {
		r.jdErr.CompareAndSwap(nil, &err)
	}
	r.fail(it, step, r.stoppedErr(ctx, err))
}

func jdStops(err error) bool {
	switch jos.KindOf(err) {
	case jos.KindAuth, jos.KindCredentials, jos.KindClock, jos.KindPermission, jos.KindRetired, jos.KindIPBlocked, jos.KindVender:
		return true
	}
	return false
}

// stoppedErr marks an error caused by the run being stopped.
func (r *batchRun) stoppedErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %w", ErrStopped, err)
	}
	return err
}

// shipment is the order's shipment: from the waybills given, else the type's default carrier.
func (r *batchRun) shipment(id string, t printdata.OrderType) (ship.Shipment, error) {
	if sh, ok := r.waybills[id]; ok {
		if sh.Type != "" && !strings.EqualFold(string(sh.Type), string(t)) {
			return sh, &ship.InvalidShipmentError{Kind: ship.InvalidType, OrderID: id,
				Msg: fmt.Sprintf("the waybills given are for a %s order, but JD has it as %s", sh.Type, t)}
		}
		sh.OrderID, sh.Type = id, t
		return sh, nil
	}
	lid := DefaultCarrier(r.defaults, t)
	if lid == "" {
		return ship.Shipment{}, &ship.InvalidShipmentError{Kind: ship.InvalidNoCarrier, OrderID: id,
			Msg: fmt.Sprintf("no carrier for this %s order: give its carrier and waybill in the waybill file, or a default %s carrier that needs no waybill", t, t)}
	}
	return ship.Shipment{OrderID: id, Type: t, Carriers: []journal.CarrierWaybills{{LogisticsID: lid}}}, nil
}

// printerStops reports whether a print failure is the printer's (every label would fail the
// same way) rather than this label's.
func printerStops(err error) bool {
	var pe *printer.Error
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Kind != printer.KindBadJob && pe.Kind != printer.KindCanceled
}

// printStage runs in one goroutine, in the batch's order.
func (r *batchRun) printStage(ctx context.Context, it *batchItem, shipQ chan<- *batchItem) {
	if r.isEnded(it) {
		return
	}
	if !it.needPrint {
		shipQ <- it
		return
	}
	if r.printerErr != nil {
		r.fail(it, journal.StepPrint, &PrinterStoppedError{OrderID: it.id, FailedOn: r.printerFailedOn, Err: r.printerErr})
		return
	}
	if ctx.Err() != nil {
		r.unfinished(it)
		return
	}
	s := r.s
	fresh := !r.spec.Reprint
	if r.pdf != nil {
		if err := r.pdf.add(ctx, s.journal, it, fresh); err != nil {
			r.fail(it, journal.StepPrint, err)
		}
		return
	}
	err := s.printLabels(ctx, r.queue, it.id, it.typ, it.labels, it.prepared, fresh, func(away error) {
		r.mu.Lock()
		r.emitLocked(BatchEvent{OrderID: it.id, Step: journal.StepPrint, Status: EventWaiting, Err: away})
		r.mu.Unlock()
	})
	pages := len(it.labels)
	it.labels, it.prepared = nil, nil
	if errors.Is(err, ErrStopped) || err != nil && ctx.Err() != nil && printer.SentOf(err) == printer.SentNone {
		// Stopped while the printer was away, or while its label was on its way (a printer
		// being opened): nothing of it was sent, and the next run prints it.
		r.unfinished(it)
		return
	}
	if err != nil {
		if printerStops(err) {
			r.printerErr, r.printerFailedOn = err, it.id
		}
		r.fail(it, journal.StepPrint, err)
		return
	}
	r.mu.Lock()
	r.sum.Pages += pages
	r.mu.Unlock()
	r.printed(it, 1)
	if it.needShip {
		shipQ <- it
		return
	}
	r.end(it, journal.StepPrint, EventOK, nil)
}

func (r *batchRun) isEnded(it *batchItem) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return it.ended
}

func (r *batchRun) printed(it *batchItem, n int) {
	r.mu.Lock()
	r.sum.Printed += n
	r.emitLocked(BatchEvent{OrderID: it.id, Step: journal.StepPrint, Status: EventOK})
	r.mu.Unlock()
}

// flushPDF writes the batch's PDF and records its labels printed, then lets their orders ship.
func (r *batchRun) flushPDF(ctx context.Context, shipQ chan<- *batchItem) {
	if r.pdf == nil || len(r.pdf.pending) == 0 {
		return
	}
	wctx := context.WithoutCancel(ctx)
	err := r.pdf.write()
	if err == nil {
		r.mu.Lock()
		r.sum.PDFPath, r.sum.Pages = r.pdf.path, r.pdf.pages
		r.mu.Unlock()
	}
	for _, p := range r.pdf.pending {
		it := p.ship
		if it == nil {
			it = r.item(p.idx)
		}
		if jerr := r.s.journal.EndPrint(wctx, p.printID, err); jerr != nil && err == nil {
			r.fail(it, journal.StepPrint, fmt.Errorf("order %s: the label is in %s but the journal could not record it: %w", it.id, r.pdf.path, jerr))
			continue
		}
		if err != nil {
			r.fail(it, journal.StepPrint, fmt.Errorf("order %s: not printed: %w", it.id, err))
			continue
		}
		r.printed(it, 1)
		switch {
		case !it.needShip:
			r.end(it, journal.StepPrint, EventOK, nil)
		case ctx.Err() != nil:
			r.end(it, journal.StepShip, EventSkipped, ErrStopped)
		default:
			shipQ <- it
		}
	}
	r.pdf.pending = nil
}

// ship is the ship stage: Ship until settled, bounded.
func (r *batchRun) ship(ctx context.Context, it *batchItem) {
	if ctx.Err() != nil {
		r.end(it, journal.StepShip, EventSkipped, ErrStopped)
		return
	}
	// A success is this run's shipment when this run sent it (even when a reconciliation found
	// it, after a lost reply); one the journal shows shipped without a send of this run was
	// shipped by another window or process meanwhile, and counts as theirs.
	res, sent, err := r.s.shipSettled(ctx, it.sh)
	switch {
	case err != nil:
		r.fail(it, journal.StepShip, err)
	case res.ShippedBefore:
		// JD had it shipped before this batch asked: the goods here must not go out again.
		r.fail(it, journal.StepShip, &printdata.NotShippableError{OrderID: it.id, State: res.JDState})
	case res.AlreadyShipped && !sent:
		r.end(it, journal.StepShip, EventSkipped, fmt.Errorf("order %s: %w", it.id, ErrShippedElsewhere))
	default:
		r.mu.Lock()
		r.sum.Shipped++
		r.mu.Unlock()
		r.end(it, journal.StepShip, EventOK, nil)
	}
}

// maxShipTries bounds shipSettled. With 30% of calls failing, twelve tries leave about one
// order in two million unsettled; each try is safe (the Shipper never sends what JD may have
// applied, it reconciles).
const maxShipTries = 12

// shipSettled drives Ship until the order is shipped or certainly cannot be: it retries what
// is retryable (JD busy, quota, network), waits for another station's claim, and lets the
// Shipper reconcile what is unsettled. A cancelled ctx stops between tries; a try in progress
// finishes and is recorded.
func (s *Station) shipSettled(ctx context.Context, sh ship.Shipment) (res ship.Result, sent bool, err error) {
	backoff := 100 * time.Millisecond
	for try := 1; ; try++ {
		res, err = s.shipper.Ship(context.WithoutCancel(ctx), sh)
		sent = sent || res.Sent
		if err == nil {
			return res, sent, nil
		}
		retry := true
		switch {
		case errors.Is(err, ship.ErrInvalidShipment), errors.Is(err, printdata.ErrNotShippable),
			errors.Is(err, ship.ErrNotRecorded):
			// Shipped at JD, not in the journal: another try would only find its own claim.
			retry = false
		case errors.Is(err, ship.ErrShipFailed):
			retry = res.Retryable
		}
		if !retry || try >= maxShipTries {
			return res, sent, err
		}
		d := backoff/2 + rand.N(backoff)
		if ctxtime.Sleep(ctx, d) != nil {
			return res, sent, fmt.Errorf("%w: %w", ErrStopped, err)
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// pdfOut is a batch's PDF file, written whole at the end: to a temporary file, synced, then
// linked to its final name (an existing file is never replaced, unless replace).
type pdfOut struct {
	path    string
	replace bool
	size    render.Size
	tmp     *os.File
	buf     *bufio.Writer
	w       *pdf.Writer
	pages   int
	pending []pendingPrint
}

// pendingPrint is a label in the PDF, waiting for the file to be complete. A batch of 50,000
// holds 50,000 of these, so it keeps the item only when it is still to ship.
type pendingPrint struct {
	idx     int
	printID int64
	ship    *batchItem // nil when the order is not to be shipped
}

func newPDFOut(path string, size render.Size, replace bool) (*pdfOut, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("PDF file %s: %w", path, err)
	}
	if fi, err := os.Stat(filepath.Dir(abs)); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("PDF file %s: the folder %s does not exist: create it or choose another", path, filepath.Dir(abs))
	}
	if size == (render.Size{}) {
		size = render.DefaultSize
	}
	if replace {
		if err := CheckOutputFile(abs); err != nil {
			return nil, err
		}
		return &pdfOut{path: abs, size: size, replace: true}, nil
	}
	final, err := freeName(abs)
	if err != nil {
		return nil, err
	}
	return &pdfOut{path: final, size: size}, nil
}

// ErrNotAFile is wrapped when an output path names something other than a regular file.
var ErrNotAFile = errors.New("not an ordinary file")

// CheckOutputFile refuses an output path that is there but is not a regular file: a device, a
// FIFO, a folder or a symbolic link. The file is written beside it and renamed over it, which
// would replace the device (as root, /dev/full) or the link with a plain file.
func CheckOutputFile(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	case fi.Mode().IsRegular():
		return nil
	}
	what := "a device or a FIFO"
	switch {
	case fi.IsDir():
		what = "a folder"
	case fi.Mode()&fs.ModeSymlink != 0:
		what = "a symbolic link"
	}
	return fmt.Errorf("%s is %s, %w: give the name of a new or an ordinary file", path, what, ErrNotAFile)
}

// freeName returns path, or path with -2, -3, … before its extension when it exists.
func freeName(path string) (string, error) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 1; i < 10000; i++ {
		p := path
		if i > 1 {
			p = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("PDF file %s: no free name next to it", path)
}

// add puts the order's labels into the document, the print recorded as begun.
func (o *pdfOut) add(ctx context.Context, j journal.Store, it *batchItem, fresh bool) error {
	if o.w == nil {
		f, err := os.CreateTemp(filepath.Dir(o.path), "."+filepath.Base(o.path)+".*.tmp")
		if err != nil {
			return fmt.Errorf("PDF file %s: %w", o.path, err)
		}
		o.tmp, o.buf = f, bufio.NewWriterSize(f, 1<<20)
		o.w = pdf.NewWriter(o.buf, o.size)
	}
	id, err := beginPrint(ctx, j, journal.PrintJob{OrderID: it.id, Type: it.typ, Pages: len(it.labels), Copies: 1,
		Target: journal.PDFFileTarget(o.path), Fresh: fresh})
	if err != nil {
		return err
	}
	for _, l := range it.labels {
		if err := o.w.Add(l); err != nil {
			err = fmt.Errorf("order %s: not printed: %w", it.id, err)
			j.EndPrint(context.WithoutCancel(ctx), id, err)
			return err
		}
	}
	o.pages += len(it.labels)
	it.labels = nil
	p := pendingPrint{idx: it.idx, printID: id}
	if it.needShip {
		p.ship = it
	}
	o.pending = append(o.pending, p)
	return nil
}

func (o *pdfOut) write() (err error) {
	defer func() {
		o.tmp.Close()
		os.Remove(o.tmp.Name())
		if err != nil {
			err = fmt.Errorf("writing the PDF file %s: %w", o.path, err)
		}
	}()
	if err := o.w.Close(); err != nil {
		return err
	}
	if err := o.buf.Flush(); err != nil {
		return err
	}
	// CreateTemp makes the file private; the labels are for whoever prints them.
	if err := o.tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := o.tmp.Sync(); err != nil {
		return err
	}
	if err := o.tmp.Close(); err != nil {
		return err
	}
	if o.replace {
		if err := os.Rename(o.tmp.Name(), o.path); err != nil {
			return err
		}
	} else if err := os.Link(o.tmp.Name(), o.path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s appeared while the batch ran: %w", o.path, err)
		}
		// No hard links here (some file systems): rename, the name was free a moment ago.
		if err := os.Rename(o.tmp.Name(), o.path); err != nil {
			return err
		}
	}
	// The directory entry must be on disk before the journal says printed.
	if d, err := os.Open(filepath.Dir(o.path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
