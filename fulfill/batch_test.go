package fulfill_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"station/explain"
	"station/fulfill"
	"station/fulfill/fulfilltest"
	"station/jos"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/journaltest"
	"station/orderlist"
	"station/printdata"
	"station/printer"
	"station/printer/printertest"
	"station/printer/usb/usbtest"
	"station/ship"
)

// batchOrders picks n orders of the simulator for a batch: every waiting one first, then
// locked and cancelled ones (never those the generator already shipped), shuffled by id.
func batchOrders(t testing.TB, sim *jostest.Running, n, unshippable int) (ids, shippable, refused []string) {
	t.Helper()
	w := sim.Server.OrderIDs("", printdata.StateWaitStockOut)
	bad := append(sim.Server.OrderIDs("", printdata.StateLocked), sim.Server.OrderIDs("", printdata.StateCanceled)...)
	if len(w) < n-unshippable || len(bad) < unshippable {
		t.Fatalf("the simulator has %d waiting and %d unshippable orders", len(w), len(bad))
	}
	shippable, refused = w[:n-unshippable], bad[:unshippable]
	ids = append(append([]string(nil), shippable...), refused...)
	// A fixed interleaving, so that refused orders sit among the others.
	slices.SortFunc(ids, func(a, b string) int { return strings.Compare(a[len(a)-3:]+a, b[len(b)-3:]+b) })
	return ids, shippable, refused
}

// batchWaybills gives some SOP orders a SF waybill and some LBP orders several packages; the
// other SOP orders ship with the self-delivery default.
func batchWaybills(t testing.TB, sim *jostest.Running, ids []string) map[string]ship.Shipment {
	types := map[string]string{}
	for _, o := range sim.Server.Ledger().Orders {
		types[o.OrderID] = o.Type
	}
	out := map[string]ship.Shipment{}
	for i, id := range ids {
		switch {
		case types[id] == shop.TypeSOP && i%3 == 0:
			out[id] = ship.Shipment{Carriers: []journal.CarrierWaybills{fulfilltest.CW("467", fmt.Sprintf("SF%013d", i))}}
		case types[id] == shop.TypeSOP && i%3 == 1:
			out[id] = ship.Shipment{Packages: 2, Carriers: []journal.CarrierWaybills{fulfilltest.CW("467", fmt.Sprintf("SF%013d", i)), fulfilltest.CW("1499", fmt.Sprintf("73%010d", i))}}
		case types[id] == shop.TypeLBP && i%2 == 0:
			out[id] = ship.Shipment{Packages: 2, Carriers: []journal.CarrierWaybills{fulfilltest.CW("0")}}
		}
	}
	return out
}

type eventLog struct {
	mu     sync.Mutex
	events []fulfill.BatchEvent
}

func (l *eventLog) add(ev fulfill.BatchEvent) {
	l.mu.Lock()
	l.events = append(l.events, ev)
	l.mu.Unlock()
}

// count is how many events with the status came.
func (l *eventLog) count(status string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, ev := range l.events {
		if ev.Status == status {
			n++
		}
	}
	return n
}

// checkBatchEnd checks a finished batch against the ledger, the journal and the labels: every
// shippable order shipped exactly once and printed exactly once, in the batch's order; every
// refused order failed plainly with nothing sent.
func checkBatchEnd(t *testing.T, ts *fulfilltest.Station, ids, shippable, refused []string, waybills map[string]ship.Shipment) {
	t.Helper()
	ctx := context.Background()
	ledger := ts.Sim.Server.Ledger()
	for _, id := range shippable {
		lo, _ := ledger.Order(id)
		if lo.OutstorageAccepted != 1 {
			t.Errorf("order %s: outstorage accepted %d times (%d calls)", id, lo.OutstorageAccepted, lo.OutstorageAttempts)
		}
		e := ts.Entry(t, id)
		want := 1
		if sh, ok := waybills[id]; ok && sh.Packages > 1 {
			want = sh.Packages
		}
		if e.State != journal.StateShipped || e.Prints != 1 || e.Pages != want {
			t.Errorf("order %s: journal %s, %d prints of %d pages", id, e.State, e.Prints, e.Pages)
		}
		if sh, ok := waybills[id]; ok {
			lg, wb := journal.JOSForm(sh.Carriers)
			if got := lo.Shipments[len(lo.Shipments)-1]; got.LogisticsID != lg || got.Waybill != wb {
				t.Errorf("order %s: shipped %+v, want %s %s", id, got, lg, wb)
			}
		}
	}
	for _, id := range refused {
		if lo, _ := ledger.Order(id); lo.OutstorageAttempts != 0 {
			t.Errorf("refused order %s: %d outstorage calls", id, lo.OutstorageAttempts)
		}
		if e, ok, _ := ts.Journal().Get(ctx, id); ok {
			t.Errorf("refused order %s is in the journal: %+v", id, e)
		}
	}
	// The labels came out once each, in the batch's order.
	var want []string
	isShippable := map[string]bool{}
	for _, id := range shippable {
		isShippable[id] = true
	}
	for _, id := range ids {
		if !isShippable[id] {
			continue
		}
		n := 1
		if sh, ok := waybills[id]; ok && sh.Packages > 1 {
			n = sh.Packages
		}
		for k := range n {
			if n == 1 {
				want = append(want, id)
			} else {
				want = append(want, fmt.Sprintf("%s-%dof%d", id, k+1, n))
			}
		}
	}
	if got := ts.PrintedLabels(t); !slices.Equal(got, want) {
		t.Errorf("labels out of order or repeated: %d labels, want %d", len(got), len(want))
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("first difference at label %d: %s, want %s", i, got[i], want[i])
				break
			}
		}
	}
}

// 300 orders with 30% of all calls failing (every kind of fault): each shippable order ends
// shipped exactly once and printed exactly once, in order; locked and cancelled ones fail
// plainly. Running the batch again does nothing.
func TestBatch300WithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("several seconds of faults")
	}
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 420, FaultRate: 0.3, FaultSeed: 3})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Timeout: 300 * time.Millisecond, Conc: 6,
		Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}})
	ids, shippable, refused := batchOrders(t, sim, 300, 20)
	waybills := batchWaybills(t, sim, ids)
	var log eventLog
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true, Waybills: waybills}, log.add)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary: printed %d, shipped %d, skipped %d, failed %d in %v", sum.Printed, sum.Shipped, sum.Skipped, len(sum.Failed), sum.Elapsed)
	if sum.Total != 300 || sum.Printed != len(shippable) || sum.Shipped != len(shippable) || len(sum.Failed) != len(refused) || sum.Unfinished != 0 {
		t.Errorf("summary %+v", sum)
	}
	for _, f := range sum.Failed {
		if !slices.Contains(refused, f.OrderID) || !errors.Is(f.Err, printdata.ErrNotShippable) || f.Step != fulfill.StepFetch {
			t.Errorf("failure %s at %s: %v", f.OrderID, f.Step, f.Err)
		}
		var ne *printdata.NotShippableError
		if !errors.As(f.Err, &ne) || ne.State != printdata.StateLocked && ne.State != printdata.StateCanceled {
			t.Errorf("failure %s: %v", f.OrderID, f.Err)
		}
	}
	checkBatchEnd(t, ts, ids, shippable, refused, waybills)

	// Events: the done count grows to the total, with a rate and an ETA on the way.
	last := log.events[len(log.events)-1]
	if last.Done != 300 || last.Total != 300 || last.Rate <= 0 {
		t.Errorf("last event %+v", last)
	}
	sawETA := false
	for _, ev := range log.events {
		sawETA = sawETA || (ev.ETA > 0 && ev.Done < ev.Total)
	}
	if !sawETA {
		t.Error("no event carried an ETA")
	}

	// The journal saw the faults: unknown outcomes reconciled, refusals retried.
	seen := attemptOutcomes(t, ts.Journal(), ids)
	t.Logf("journal attempts: %v", seen)
	if seen["outstorage/unknown"] == 0 || seen["reconcile/shipped"] == 0 {
		t.Errorf("the faults did not reach the outstorage path: %v", seen)
	}

	// Again: everything is done already.
	writes := ts.JOS.Writes()
	sum, err = ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true, Waybills: waybills}, nil)
	if err != nil || sum.Skipped != len(shippable) || sum.Printed != 0 || sum.Shipped != 0 || len(sum.Failed) != len(refused) {
		t.Errorf("second run: %+v %v", sum, err)
	}
	if ts.JOS.Writes() != writes {
		t.Error("the second run sent writes")
	}
	checkBatchEnd(t, ts, ids, shippable, refused, waybills)
}

func attemptOutcomes(t testing.TB, j journal.Store, ids []string) map[string]int {
	seen := map[string]int{}
	for _, id := range ids {
		as, err := j.Attempts(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			seen[string(a.Kind)+"/"+a.Outcome]++
		}
	}
	return seen
}

// Replies lost after JD applied the outstorage: reconciled, never sent twice.
func TestBatchLostRepliesNeverShipTwice(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80, FaultRate: 0.4, FaultSeed: 7, Faults: []jostest.Fault{jostest.FaultLostReply}})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Timeout: 300 * time.Millisecond, Conc: 4,
		Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}})
	ids, shippable, refused := batchOrders(t, sim, 50, 0)
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, nil)
	if err != nil || sum.Shipped != len(shippable) || len(sum.Failed) != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	for _, id := range shippable {
		if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAttempts != 1 || lo.OutstorageAccepted != 1 {
			t.Errorf("order %s: %d calls, %d accepted", id, lo.OutstorageAttempts, lo.OutstorageAccepted)
		}
	}
	seen := attemptOutcomes(t, ts.Journal(), shippable)
	if seen["outstorage/unknown"] == 0 || seen["reconcile/shipped"] == 0 {
		t.Errorf("no reply was lost: %v", seen)
	}
	checkBatchEnd(t, ts, ids, shippable, refused, nil)
}

// Cancelling stops between orders; the next run finishes without printing or shipping
// anything twice.
func TestBatchCancelResumes(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 120, Latency: 5 * time.Millisecond})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Conc: 3, Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}})
	ids, shippable, _ := batchOrders(t, sim, 60, 0)
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, func(ev fulfill.BatchEvent) {
		if ev.Done >= 15 {
			once.Do(cancel)
		}
	})
	if !errors.Is(err, context.Canceled) || sum.Unfinished == 0 || len(sum.Failed) != 0 {
		t.Fatalf("cancelled run: %+v %v", sum, err)
	}
	t.Logf("cancelled after %d printed, %d shipped, %d left", sum.Printed, sum.Shipped, sum.Unfinished)
	if sum.Printed+sum.Unfinished < len(ids) && sum.Shipped+sum.Unfinished < len(ids) {
		t.Errorf("counts do not add up: %+v", sum)
	}
	sum2, err := ts.Batch(context.Background(), fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, nil)
	if err != nil || !sum2.OK() || sum.Printed+sum2.Printed != len(ids) || sum.Shipped+sum2.Shipped != len(ids) {
		t.Fatalf("second run: %+v %v (first %+v)", sum2, err, sum)
	}
	checkBatchEnd(t, ts, ids, shippable, nil, nil)
}

// A SOP order without a carrier, or with a default carrier that needs a waybill, fails with a
// clear reason before anything is printed; the others of the batch go through.
func TestBatchSOPCarrierNotGuessed(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	for _, tt := range []struct {
		sopDefault string
		kind       ship.InvalidKind
	}{
		{"", ship.InvalidNoCarrier},
		{"467", ship.InvalidMissingWaybill},
		{"9999", ship.InvalidUnknownCarrier},
	} {
		ts := fulfilltest.New(t, sim, fulfilltest.Options{})
		sops, lbps := fulfilltest.Waiting(t, sim, shop.TypeSOP, 3), sim.Server.OrderIDs(shop.TypeLBP, printdata.StateWaitStockOut)
		if len(lbps) == 0 {
			t.Fatal("no waiting LBP order left: the seeded simulator should have some")
		}
		ids := append(append([]string(nil), sops...), lbps[0])
		sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true,
			Defaults: map[printdata.OrderType]string{printdata.SOP: tt.sopDefault}}, nil)
		if err != nil || len(sum.Failed) != 3 || sum.Shipped != 1 || sum.Printed != 1 {
			t.Fatalf("default %q: %+v %v", tt.sopDefault, sum, err)
		}
		for _, f := range sum.Failed {
			if ship.InvalidKindOf(f.Err) != tt.kind || f.Step != journal.StepShip {
				t.Errorf("default %q: %s failed at %s: %v", tt.sopDefault, f.OrderID, f.Step, f.Err)
			}
		}
		if got := ts.PrintedLabels(t); len(got) != 1 || got[0] != lbps[0] {
			t.Errorf("labels %v", got)
		}
		for _, id := range sops {
			if _, ok, _ := ts.Journal().Get(ctx, id); ok {
				t.Errorf("SOP %s is in the journal", id)
			}
		}
	}
}

// zplJobs are the order ids (^FX job names) of the labels a fake network printer received, in
// order, leaving out the status queries.
func zplJobs(srvs ...*printertest.Server) []string {
	var out []string
	for _, srv := range srvs {
		for _, j := range srv.Jobs() {
			for _, m := range fulfilltest.ZPLName.FindAllSubmatch(j, -1) {
				out = append(out, string(m[1]))
			}
		}
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A network printer that goes away before a label (the connection refused) pauses the batch:
// nothing fails, the events say why and that it goes on by itself; back a few seconds later,
// every label arrives exactly once, in order, and every order ships.
func TestBatchHoldsWhilePrinterAway(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	srv, err := printertest.StartServer(printertest.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "tcp:" + srv.Addr + "?lang=zpl&timeout=500ms", Conc: 2})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 10)
	var ev eventLog
	var away sync.Once
	res := batchInBackground(ctx, ts, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, func(e fulfill.BatchEvent) {
		ev.add(e)
		// The printer goes away after the third label (or the fourth: with two workers a
		// label may land before the third one's event is seen, and == 3 then never held).
		if e.Step == journal.StepPrint && e.Status == fulfill.EventOK && len(zplJobs(srv)) >= 3 {
			away.Do(func() { srv.Close() })
		}
	})
	waitFor(t, "the batch to wait for the printer", func() bool { return ev.count(fulfill.EventWaiting) >= 3 })
	time.Sleep(2 * time.Second) // away for a while: nothing fails meanwhile
	if n := ev.count(fulfill.EventFailed); n != 0 {
		t.Fatalf("%d orders failed while the printer was away", n)
	}
	st, ok := ts.PrinterQueue()
	if !ok || printer.KindOf(st.Away) != printer.KindRefused || st.Waiting < 1 {
		t.Errorf("printer queue while away: %+v", st)
	}
	back, err := printertest.StartServer(printertest.ServerOptions{Addr: srv.Addr})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	r := <-res
	if r.err != nil || !r.sum.OK() || r.sum.Printed != 10 || r.sum.Shipped != 10 {
		t.Fatalf("%+v %v", r.sum, r.err)
	}
	if got := zplJobs(srv, back); strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("labels received %v, want each of %v once, in order", got, ids)
	}
}

// The same for a USB printer out of paper: nothing is sent into it; with paper loaded every
// label goes out once.
func TestBatchHoldsForPaper(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "")
	dev.Status = 0x38 // paper empty
	host.Plug(dev)
	p, err := printer.Opener{USB: host}.Open("usb:auto")
	if err != nil {
		t.Fatal(err)
	}
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Open: p})
	ids := fulfilltest.Waiting(t, sim, shop.TypeSOPL, 4)
	var ev eventLog
	res := batchInBackground(ctx, ts, fulfill.BatchSpec{IDs: ids, Print: true}, ev.add)
	waitFor(t, "the batch to wait for paper", func() bool { return ev.count(fulfill.EventWaiting) >= 2 })
	if n := len(dev.Received()); n != 0 {
		t.Fatalf("%d bytes sent to a printer without paper", n)
	}
	dev.Lock()
	dev.Status = 0x18
	dev.Unlock()
	r := <-res
	if r.err != nil || r.sum.Printed != 4 || len(r.sum.Failed) != 0 {
		t.Fatalf("%+v %v", r.sum, r.err)
	}
	got := fulfilltest.ZPLName.FindAllSubmatch(dev.Received(), -1)
	if len(got) != 4 {
		t.Fatalf("%d labels received, want 4", len(got))
	}
	for i, m := range got {
		if string(m[1]) != ids[i] {
			t.Errorf("label %d is %s, want %s", i, m[1], ids[i])
		}
	}
}

// Stopping a batch while the printer is away leaves the rest for the next run: nothing failed.
func TestBatchStopWhilePrinterAway(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "file:/dev/station-no-such-printer?lang=zpl"})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 5)
	ctx, cancel := context.WithCancel(context.Background())
	var ev eventLog
	go func() {
		waitFor(t, "waiting", func() bool { return ev.count(fulfill.EventWaiting) > 0 })
		cancel()
	}()
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, ev.add)
	if !errors.Is(err, context.Canceled) || len(sum.Failed) != 0 || sum.Unfinished != 5 || sum.Printed != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	if ts.JOS.Writes() != 0 {
		t.Error("shipped without a label")
	}
	// The held order's attempt printed nothing: printing it again is allowed.
	if e := ts.Entry(t, ids[0]); e.State != journal.StateFailed || e.FailedStep != journal.StepPrint || !e.Retryable {
		t.Errorf("journal %+v", e)
	}
}

// A label cut off in the middle still stops the printing and asks: the rest is neither printed
// nor shipped.
func TestBatchStopsAtPartlySentLabel(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	srv, err := printertest.StartServer(printertest.ServerOptions{Mode: printertest.Drop, DropAfter: 2000})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "tcp:" + srv.Addr + "?lang=zpl&compress=acs&timeout=1s"})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 4)
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, nil)
	if err == nil || sum.Printed != 0 || sum.Shipped != 0 || len(sum.Failed) != 4 {
		t.Fatalf("%+v %v", sum, err)
	}
	if !errors.Is(sum.Failed[0].Err, fulfill.ErrPrintUnknown) {
		t.Errorf("first: %v", sum.Failed[0].Err)
	}
	// Each later order has its own reason: not sent at all, because of the first order's label.
	for _, f := range sum.Failed[1:] {
		m := explain.Error(f.Err)
		if !errors.Is(f.Err, fulfill.ErrPrinterStopped) || !strings.Contains(m.EN, "failed on order "+ids[0]+"'s label") ||
			!strings.Contains(m.EN, "nothing of order "+f.OrderID+" was sent") || strings.Contains(m.EN, "Part of the label") {
			t.Errorf("%s: %v\nsays %s", f.OrderID, f.Err, m.EN)
		}
	}
	if ts.JOS.Writes() != 0 {
		t.Error("shipped without a label")
	}
}

// Into one PDF: the pages in order, written whole; the journal resolves a print into a PDF
// the station stopped before writing; an existing file is never replaced.
func TestBatchPDF(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-", Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}})
	ids, _, _ := batchOrders(t, sim, 8, 0)
	dir := t.TempDir()
	path := filepath.Join(dir, "labels.pdf")

	// A run that died while collecting ids[0]'s label: its print began, the PDF never appeared.
	if _, err := ts.Journal().BeginPrint(ctx, journal.PrintJob{OrderID: ids[0], Type: printdata.SOP, Pages: 1,
		Target: journal.PDFFileTarget(filepath.Join(dir, "gone.pdf")), PID: journaltest.StoppedPID}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("an earlier batch's labels"), 0o644)
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids[:6], Print: true, PDFPath: path, Ship: true}, nil)
	if err != nil || !sum.OK() || sum.Printed != 6 || sum.Shipped != 6 || sum.Pages != 6 {
		t.Fatalf("%+v %v", sum, err)
	}
	if want := filepath.Join(dir, "labels-2.pdf"); sum.PDFPath != want {
		t.Errorf("PDF written to %s, want %s", sum.PDFPath, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "an earlier batch's labels" {
		t.Error("an existing file was replaced")
	}
	pdf, err := os.ReadFile(sum.PDFPath)
	if err != nil {
		t.Fatal(err)
	}
	checkPageOrder(t, pdf, ids[:6])
	prints, _ := ts.Journal().Prints(ctx, ids[0])
	if len(prints) != 2 || prints[0].Outcome != journal.PrintFailed || prints[1].Outcome != journal.PrintDone {
		t.Errorf("prints of %s: %+v", ids[0], prints)
	}
	// Again with two more: only those two are printed, into a third file.
	sum, err = ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, PDFPath: path, Ship: true}, nil)
	if err != nil || sum.Printed != 2 || sum.Skipped != 6 || sum.PDFPath != filepath.Join(dir, "labels-3.pdf") {
		t.Fatalf("%+v %v", sum, err)
	}
	// Nothing left to do: no file at all.
	sum, err = ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, PDFPath: path, Ship: true}, nil)
	if err != nil || sum.Skipped != 8 || sum.PDFPath != "" {
		t.Fatalf("%+v %v", sum, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "labels-4.pdf")); err == nil {
		t.Error("an empty batch wrote a PDF")
	}
	// A run that died after writing its PDF but before recording it: the label counts as
	// printed, and the order only ships.
	more := sim.Server.OrderIDs(shop.TypeLBP, printdata.StateWaitStockOut)
	x := more[len(more)-1]
	crashed := filepath.Join(dir, "crashed.pdf")
	if _, err := ts.Journal().BeginPrint(ctx, journal.PrintJob{OrderID: x, Type: printdata.LBP, Pages: 1, Target: journal.PDFFileTarget(crashed), PID: journaltest.StoppedPID}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(crashed, pdf, 0o644)
	sum, err = ts.Batch(ctx, fulfill.BatchSpec{IDs: []string{x}, Print: true, PDFPath: path, Ship: true}, nil)
	if err != nil || sum.Printed != 0 || sum.Shipped != 1 || sum.PDFPath != "" {
		t.Fatalf("%+v %v", sum, err)
	}
	if e := ts.Entry(t, x); e.State != journal.StateShipped || e.Prints != 1 {
		t.Errorf("journal %+v", e)
	}
}

// Bad input refuses the whole batch before anything is done.
func TestBatchRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	noPrinter := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	for _, tt := range []struct {
		name string
		st   *fulfilltest.Station
		spec fulfill.BatchSpec
		is   error
	}{
		{"bad id", ts, fulfill.BatchSpec{IDs: []string{"244991091318", "24499109x318"}, Print: true}, orderlist.ErrBadOrderList},
		{"no printer", noPrinter, fulfill.BatchSpec{IDs: []string{"244991091318"}, Print: true}, fulfill.ErrNoPrinter},
		{"nothing to do", ts, fulfill.BatchSpec{IDs: []string{"244991091318"}}, nil},
		{"bad waybill key", ts, fulfill.BatchSpec{IDs: []string{"244991091318"}, Ship: true, Waybills: map[string]ship.Shipment{"x": {}}}, orderlist.ErrBadWaybillFile},
		{"PDF folder missing", ts, fulfill.BatchSpec{IDs: []string{"244991091318"}, Print: true, PDFPath: "/no/such/folder/x.pdf"}, nil},
	} {
		calls := tt.st.JOS.Total()
		_, err := tt.st.Batch(ctx, tt.spec, nil)
		if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if tt.st.JOS.Total() != calls {
			t.Errorf("%s: JOS was called", tt.name)
		}
	}
}

// A refusal every further order would meet (here an expired token) stops the batch after the
// first order instead of failing all of them: the rest is left for the next run.
func TestBatchStopsOnAuthFailure(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Token: "expired-token", Conc: 2})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 8)
	sum, err := ts.Batch(context.Background(), fulfill.BatchSpec{IDs: ids, Print: true}, nil)
	if jos.KindOf(err) != jos.KindAuth || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("err = %v, want the auth error stopping the batch", err)
	}
	if len(sum.Failed) > 2 || sum.Unfinished < len(ids)-2 || sum.Printed != 0 {
		t.Errorf("summary %+v: at most the orders in flight fail, the rest is left", sum)
	}
	if calls := ts.JOS.Total(); calls > 4 {
		t.Errorf("%d calls with a token JD refuses", calls)
	}
}

type batchResult struct {
	sum fulfill.BatchSummary
	err error
}

// batchInBackground runs a batch on its own goroutine; its result comes on the channel.
func batchInBackground(ctx context.Context, ts *fulfilltest.Station, spec fulfill.BatchSpec, events func(fulfill.BatchEvent)) <-chan batchResult {
	res := make(chan batchResult, 1)
	go func() {
		sum, err := ts.Batch(ctx, spec, events)
		res <- batchResult{sum, err}
	}()
	return res
}

// A batch faster than JD's quota loses nothing to it: refused calls go again at a slower rate
// and every order prints.
func TestBatchUnderQuota(t *testing.T) {
	// A quota low enough that even a slow run (-race, a busy CI machine) goes past it.
	sim := jostest.StartT(t, jostest.Options{Orders: 40, Seed: 4, Quota: 4})
	st := fulfilltest.New(t, sim, fulfilltest.Options{Rate: 50, Conc: 4, Printer: nullPrinter}).Station
	orders, err := st.Search(context.Background(), printdata.Query{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := st.Batch(context.Background(), fulfill.BatchSpec{Orders: orders, Print: true}, nil)
	if err != nil || !sum.OK() || sum.Printed != len(orders) || len(orders) < 20 {
		t.Fatalf("%d orders under a quota of 4 calls/s: %+v %v", len(orders), sum, err)
	}
	if sim.Server.QuotaRefusals() == 0 {
		t.Error("the quota never refused a call: the test did not test anything")
	}
}

// fullDisk is a journal whose disk fills up when one order's shipment is recorded.
type fullDisk struct {
	journal.Store
	order string
}

func (j *fullDisk) Finish(ctx context.Context, orderID, owner string, attemptID int64, o journal.Outcome) error {
	if orderID == j.order && o.Shipped {
		return &journal.StoreError{Err: fmt.Errorf("recording the outcome for %s: database or disk is full: %w", orderID, syscall.ENOSPC)}
	}
	return j.Store.Finish(ctx, orderID, owner, attemptID, o)
}

// A shipment JD accepted that the journal could not record (the disk full) is reported as
// that: shipped, not to be shipped again, free disk space; it went to JD once; the next start
// of the station records it as shipped.
func TestBatchShippedButNotRecorded(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	path := filepath.Join(t.TempDir(), "journal.db")
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 3)
	full := &fullDisk{order: ids[1]}
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Journal: path,
		WrapJournal: func(j journal.Store) journal.Store { full.Store = j; return full }})
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Print: true, Ship: true}, nil)
	if err != nil || sum.Shipped != 2 || len(sum.Failed) != 1 || sum.Failed[0].OrderID != ids[1] {
		t.Fatalf("%+v %v", sum, err)
	}
	ferr := sum.Failed[0].Err
	msg := explain.Error(ferr)
	if !errors.Is(ferr, ship.ErrNotRecorded) || !errors.Is(ferr, journal.ErrFull) ||
		!strings.Contains(msg.EN, "JD accepted the shipment") || !strings.Contains(msg.EN, "disk is full") ||
		!strings.Contains(msg.ZH, "京东已经接受了发货") || strings.Contains(msg.EN, "Another station") {
		t.Errorf("error %v\nsays %q / %q", ferr, msg.ZH, msg.EN)
	}
	if lo := fulfilltest.Ledger(t, sim, ids[1]); lo.OutstorageAttempts != 1 || lo.OutstorageAccepted != 1 {
		t.Fatalf("ledger %+v, want one outstorage", lo)
	}
	ts.Close()

	// The station stops (its process ends); disk space is freed; it starts again.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE orders SET lease_pid = ? WHERE order_id = ?`, journaltest.StoppedPID, ids[1]); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again := fulfilltest.New(t, sim, fulfilltest.Options{Journal: path, Printer: "-"})
	if e := again.Entry(t, ids[1]); e.State != journal.StateShipped {
		t.Errorf("after the restart the journal has %s (%s), want shipped", e.State, e.Reason)
	}
	if lo := fulfilltest.Ledger(t, sim, ids[1]); lo.OutstorageAttempts != 1 {
		t.Errorf("%d outstorage calls, want 1", lo.OutstorageAttempts)
	}
}

// shipsMeanwhile is a journal on which another process ships an order just before this one
// claims it, as happens when two batches on one journal reach the same order.
type shipsMeanwhile struct {
	journal.Store
	order string
	other func()
	once  sync.Once
}

func (j *shipsMeanwhile) ClaimShipment(ctx context.Context, c journal.ShipmentClaim) (journal.Claim, error) {
	if c.OrderID == j.order {
		j.once.Do(j.other)
	}
	return j.Store.ClaimShipment(ctx, c)
}

// An order another process shipped between the batch's look and its shipment is not counted
// as this batch's: it is skipped (nothing sent), and the counts add up across the two.
func TestBatchCountsOnlyItsOwnShipments(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	path := filepath.Join(t.TempDir(), "journal.db")
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 3)
	other := fulfilltest.New(t, sim, fulfilltest.Options{Journal: path, Printer: "-"})
	wrapped := &shipsMeanwhile{order: ids[1], other: func() {
		if _, err := other.Ship(ctx, ship.Shipment{OrderID: ids[1], Type: printdata.LBP,
			Carriers: []journal.CarrierWaybills{{LogisticsID: "0"}}}); err != nil {
			t.Errorf("the other process's shipment: %v", err)
		}
	}}
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Journal: path, Printer: "-",
		WrapJournal: func(j journal.Store) journal.Store { wrapped.Store = j; return wrapped }})
	var ev eventLog
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: ids, Ship: true}, ev.add)
	if err != nil || sum.Shipped != 2 || sum.Skipped != 1 || len(sum.Failed) != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	for _, id := range ids {
		if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 {
			t.Errorf("%s: ledger %+v", id, lo)
		}
	}
	if w := ts.JOS.Writes(); w != 2 {
		t.Errorf("this batch sent %d outstorages, want 2", w)
	}
}
