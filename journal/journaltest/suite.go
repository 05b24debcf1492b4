// Package journaltest is the behaviour every journal backend must show, as a suite of tests
// that runs against journal.Store alone. A backend's own tests call Run with a way to make a
// fresh journal; the PostgreSQL backend runs the same suite as SQLite.
package journaltest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"station/journal"
	"station/printdata"
)

// Fresh makes a new, empty journal for one test and returns a function that opens a handle on
// it, as another station process would, taking its times from now. Handles are closed by the
// backend when the test ends.
type Fresh func(t *testing.T) (open func(now func() time.Time) journal.Store)

// StoppedPID is a process id no process has (Linux's pid_max is at most 2^22): a PrintJob
// with it is a print left behind by a station that stopped.
const StoppedPID = 1 << 30

// Run runs the suite.
func Run(t *testing.T, fresh Fresh) {
	tests := []struct {
		name string
		fn   func(t *testing.T, fresh Fresh)
	}{
		{"Prints", testPrints},
		{"PrintUnsure", testPrintUnsure},
		{"FreshPrints", testFreshPrints},
		{"ClaimSendAndFinish", testClaimSendAndFinish},
		{"ClaimDoneAndBusy", testClaimDoneAndBusy},
		{"TradeNoReuse", testTradeNoReuse},
		{"UnsettledAndReconcile", testUnsettledAndReconcile},
		{"TakeOverAfterExpiry", testTakeOverAfterExpiry},
		{"LeaseLost", testLeaseLost},
		{"WaybillUpdate", testWaybillUpdate},
		{"Queries", testQueries},
		{"ConcurrentClaims", testConcurrentClaims},
		{"Packs", testPacks},
		{"Who", testWho},
		{"BatchClaims", testBatchClaims},
		{"HistoryAndBoard", testHistoryAndBoard},
		{"NextAttempt", testNextAttempt},
		{"DeleteRequests", testDeleteRequests},
		{"AfsApplies", testAfsApplies},
		{"Returns", testReturns},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, fresh) })
	}
}

// clock is a settable time for a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2024, 5, 1, 9, 0, 0, 0, time.Local)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func one(t *testing.T, fresh Fresh) (journal.Store, *clock) {
	c := newClock()
	return fresh(t)(c.now), c
}

func entry(t *testing.T, j journal.Store, id string) journal.Entry {
	t.Helper()
	e, ok, err := j.Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("entry %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

func cw(id string, waybills ...string) journal.CarrierWaybills {
	return journal.CarrierWaybills{LogisticsID: id, Waybills: waybills}
}

var leases int

func lease(c *clock, ttl time.Duration) journal.Lease {
	leases++
	// A host that is not this one: a live claim is only ever taken over when it expires.
	return journal.Lease{Owner: fmt.Sprintf("suite-host/4242/n-%d", leases), Host: "suite-host", PID: 4242, Expires: c.now().Add(ttl)}
}

func shipment(id string, l journal.Lease, carriers ...journal.CarrierWaybills) journal.ShipmentClaim {
	return journal.ShipmentClaim{OrderID: id, Type: printdata.SOP, Carriers: carriers, Packages: len(carriers),
		Method: "360buy.order.sop.outstorage", NewTradeNo: "T-" + l.Owner, Lease: l}
}

func mustClaim(t *testing.T, j journal.Store, sc journal.ShipmentClaim, want journal.ClaimKind) journal.Claim {
	t.Helper()
	c, err := j.ClaimShipment(context.Background(), sc)
	if err != nil || c.Kind != want {
		t.Fatalf("ClaimShipment(%s) = kind %d, %v; want kind %d", sc.OrderID, c.Kind, err, want)
	}
	return c
}

func shipped(note string) journal.Outcome {
	return journal.Outcome{State: journal.StateShipped, Shipped: true, Reason: note,
		Attempt: journal.AttemptEnd{Outcome: journal.OutcomeOK}}
}

// testFreshPrints: a fresh print is refused while another print of the order is under way and
// once a label came out; a failed print leaves the order free; a reprint is never refused; of
// several handles (processes) printing the same orders at once, one prints each.
func testFreshPrints(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, _ := one(t, fresh)
	job := journal.PrintJob{OrderID: "5001", Type: printdata.SOP, Pages: 1, Copies: 1, Target: journal.PrinterTarget("tcp:p"), Fresh: true}
	id, err := j.BeginPrint(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.BeginPrint(ctx, job); !errors.Is(err, journal.ErrPrintingElsewhere) {
		t.Errorf("a second fresh print while the first is under way: %v", err)
	}
	if err := j.EndPrint(ctx, id, errors.New("paper out")); err != nil {
		t.Fatal(err)
	}
	if id, err = j.BeginPrint(ctx, job); err != nil {
		t.Fatalf("a fresh print after a failed one: %v", err)
	}
	if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := j.BeginPrint(ctx, job); !errors.Is(err, journal.ErrAlreadyPrinted) {
		t.Errorf("a fresh print of a printed order: %v", err)
	}
	again := job
	again.Fresh = false
	if id, err = j.BeginPrint(ctx, again); err != nil {
		t.Errorf("a reprint was refused: %v", err)
	} else if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}

	c := newClock()
	open := fresh(t)
	const handles, orders = 4, 15
	var (
		mu     sync.Mutex
		begun  = map[string]int{}
		wg     sync.WaitGroup
		refuse int
	)
	for h := range handles {
		j := open(c.now)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range orders {
				id := fmt.Sprint(5100 + (i+h*4)%orders)
				pid, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: id, Pages: 1, Copies: 1, Target: journal.PrinterTarget("tcp:p"), Fresh: true})
				switch {
				case errors.Is(err, journal.ErrAlreadyPrinted), errors.Is(err, journal.ErrPrintingElsewhere):
					mu.Lock()
					refuse++
					mu.Unlock()
					continue
				case err != nil:
					t.Error(err)
					return
				}
				mu.Lock()
				begun[id]++
				mu.Unlock()
				if err := j.EndPrint(ctx, pid, nil); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for i := range orders {
		if id := fmt.Sprint(5100 + i); begun[id] != 1 {
			t.Errorf("order %s printed %d times by %d handles", id, begun[id], handles)
		}
	}
	if refuse != handles*orders-orders {
		t.Errorf("%d fresh prints refused, want %d", refuse, handles*orders-orders)
	}
}

func testPrints(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, _ := one(t, fresh)
	if _, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: "12a"}); err == nil {
		t.Error("a print for a bad order id was recorded")
	}
	id, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: " 1001 ", Type: printdata.LBP, Pages: 2, Copies: 1,
		Target: journal.PrinterTarget("usb:auto")})
	if err != nil {
		t.Fatal(err)
	}
	// Before EndPrint the order shows the print as unfinished: after a crash, the label may or
	// may not have come out.
	if e := entry(t, j, "1001"); e.State != journal.StatePrinting || e.Prints != 0 {
		t.Errorf("during the print: %s, %d prints", e.State, e.Prints)
	}
	if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.EndPrint(ctx, id, nil); err == nil {
		t.Error("a print job was ended twice")
	}
	e := entry(t, j, "1001")
	if e.State != journal.StatePrinted || e.Prints != 1 || e.Pages != 2 || e.Printer != "usb:auto" || e.Type != printdata.LBP || e.PrintedAt.IsZero() {
		t.Errorf("after printing: %+v", e)
	}

	// A failed print of a new order: failed at the print step, retryable.
	id, _ = j.BeginPrint(ctx, journal.PrintJob{OrderID: "1002", Type: printdata.SOP, Pages: 1, Target: journal.PrinterTarget("tcp:printer")})
	if err := j.EndPrint(ctx, id, errors.New("printer offline")); err != nil {
		t.Fatal(err)
	}
	e = entry(t, j, "1002")
	if e.State != journal.StateFailed || e.FailedStep != journal.StepPrint || !e.Retryable || !strings.Contains(e.Reason, "offline") {
		t.Errorf("after a failed print: %+v", e)
	}
	// Printing it again clears the failure.
	id, _ = j.BeginPrint(ctx, journal.PrintJob{OrderID: "1002", Type: printdata.SOP, Pages: 1, Target: journal.PrinterTarget("tcp:printer")})
	j.EndPrint(ctx, id, nil)
	if e = entry(t, j, "1002"); e.State != journal.StatePrinted || e.Reason != "" || e.FailedStep != "" {
		t.Errorf("after a successful reprint: %+v", e)
	}
	// A failed reprint of a printed order keeps it printed.
	id, _ = j.BeginPrint(ctx, journal.PrintJob{OrderID: "1001", Type: printdata.LBP, Pages: 2, Target: journal.PDFFileTarget("/tmp/x.pdf")})
	j.EndPrint(ctx, id, errors.New("paper out"))
	if e = entry(t, j, "1001"); e.State != journal.StatePrinted || e.Prints != 1 {
		t.Errorf("after a failed reprint: %+v", e)
	}
	prints, err := j.Prints(ctx, "1001")
	if err != nil || len(prints) != 2 || prints[0].Outcome != journal.PrintDone || prints[1].Outcome != journal.PrintFailed ||
		prints[1].Reason != "paper out" || prints[1].Target != journal.PDFFileTarget("/tmp/x.pdf") || prints[0].Target != journal.PrinterTarget("usb:auto") {
		t.Errorf("prints of 1001: %+v %v", prints, err)
	}
	last, ok, err := j.LastPrint(ctx, "1001")
	if err != nil || !ok || last.ID != prints[1].ID {
		t.Errorf("LastPrint = %+v %v %v", last, ok, err)
	}
	if _, ok, err := j.LastPrint(ctx, "999"); ok || err != nil {
		t.Errorf("LastPrint of an order never printed: %v %v", ok, err)
	}
}

func testPrintUnsure(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, _ := one(t, fresh)
	id, _ := j.BeginPrint(ctx, journal.PrintJob{OrderID: "1101", Type: printdata.SOP, Pages: 2, Target: journal.PrinterTarget("tcp:p")})
	if err := j.EndPrintUnsure(ctx, id, "1 of 2 labels printed"); err != nil {
		t.Fatal(err)
	}
	e := entry(t, j, "1101")
	if e.State != journal.StatePrinting || e.Retryable || e.Reason != "1 of 2 labels printed" {
		t.Errorf("after an unsure print: %+v", e)
	}
	p, _, _ := j.LastPrint(ctx, "1101")
	if p.Outcome != journal.PrintStarted || p.Reason != "1 of 2 labels printed" {
		t.Errorf("the unsure print: %+v", p)
	}
}

func testClaimSendAndFinish(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	l := lease(c, time.Minute)
	sc := shipment("2001", l, cw("467", "SF1234567890123"), cw("1499", "731234567890"))
	cl := mustClaim(t, j, sc, journal.ClaimSend)
	if cl.TradeNo != sc.NewTradeNo || cl.AttemptID == 0 || cl.Owner != l.Owner {
		t.Errorf("claim %+v", cl)
	}
	// "shipping" is committed with the claim, before anything is sent.
	e := entry(t, j, "2001")
	if e.State != journal.StateShipping || e.HeldBy != l.Owner || e.TradeNo != cl.TradeNo || e.ShipAttempts != 1 || e.Packages != 2 {
		t.Errorf("after the claim: %+v", e)
	}
	if lg, wb := journal.JOSForm(e.Carriers); lg != "467|1499" || wb != "SF1234567890123|731234567890" {
		t.Errorf("carriers %q %q", lg, wb)
	}
	if err := j.Finish(ctx, "2001", l.Owner, cl.AttemptID, shipped("")); err != nil {
		t.Fatal(err)
	}
	e = entry(t, j, "2001")
	if e.State != journal.StateShipped || e.HeldBy != "" || e.ShippedAt.IsZero() {
		t.Errorf("after finishing: %+v", e)
	}
	as, _ := j.Attempts(ctx, "2001")
	if len(as) != 1 || as[0].Kind != journal.AttemptOutstorage || as[0].Outcome != journal.OutcomeOK || as[0].TradeNo != cl.TradeNo ||
		as[0].Method != sc.Method || as[0].Packages != 2 || as[0].EndedAt.IsZero() {
		t.Errorf("attempts %+v", as)
	}
	for _, w := range []string{"SF1234567890123", " sf1234567890123\r\n", "731234567890"} {
		if es, err := j.ByWaybill(ctx, w); err != nil || len(es) != 1 || es[0].OrderID != "2001" {
			t.Errorf("ByWaybill(%q) = %v %v", w, es, err)
		}
	}
}

func testClaimDoneAndBusy(t *testing.T, fresh Fresh) {
	j, c := one(t, fresh)
	l := lease(c, time.Minute)
	mustClaim(t, j, shipment("2101", l, cw("467", "SF1234567890123")), journal.ClaimSend)
	// Another claim while the first is live: busy, and nothing changes.
	busy := mustClaim(t, j, shipment("2101", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimBusy)
	if busy.Entry.HeldBy != l.Owner {
		t.Errorf("busy claim sees holder %q", busy.Entry.HeldBy)
	}
	if cl, err := j.ClaimReconcile(context.Background(), "2101", lease(c, time.Minute)); err != nil || cl.Kind != journal.ClaimBusy {
		t.Errorf("ClaimReconcile of a held order: %+v %v", cl, err)
	}
	cl := mustClaim(t, j, shipment("2102", lease(c, time.Minute), cw("1274")), journal.ClaimSend)
	j.Finish(context.Background(), "2102", cl.Owner, cl.AttemptID, shipped(""))
	mustClaim(t, j, shipment("2102", lease(c, time.Minute), cw("1274")), journal.ClaimDone)
	if cl, err := j.ClaimReconcile(context.Background(), "2102", lease(c, time.Minute)); err != nil || cl.Kind != journal.ClaimNothing {
		t.Errorf("ClaimReconcile of a shipped order: %+v %v", cl, err)
	}
	if _, err := j.ClaimReconcile(context.Background(), "2199", lease(c, time.Minute)); !errors.Is(err, journal.ErrNotInJournal) {
		t.Errorf("ClaimReconcile of an unknown order: %v", err)
	}
}

func testTradeNoReuse(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	refused := journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip, Reason: "JD busy", Retryable: true,
		Attempt: journal.AttemptEnd{Outcome: journal.OutcomeRefused, Code: "66"}}
	first := mustClaim(t, j, shipment("2201", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimSend)
	j.Finish(ctx, "2201", first.Owner, first.AttemptID, refused)
	if e := entry(t, j, "2201"); e.State != journal.StateFailed || !e.Retryable || e.FailedStep != journal.StepShip {
		t.Errorf("after a refusal: %+v", e)
	}
	// The same shipment again sends the same trade_no.
	again := mustClaim(t, j, shipment("2201", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimSend)
	if again.TradeNo != first.TradeNo {
		t.Errorf("a retry of the same shipment got trade_no %s, want %s", again.TradeNo, first.TradeNo)
	}
	// JD saw that trade_no: the next attempt needs a new one.
	used := refused
	used.TradeNoUsed = true
	j.Finish(ctx, "2201", again.Owner, again.AttemptID, used)
	third := mustClaim(t, j, shipment("2201", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimSend)
	if third.TradeNo == first.TradeNo {
		t.Error("a trade_no JD reported as used was sent again")
	}
	j.Finish(ctx, "2201", third.Owner, third.AttemptID, refused)
	// Another shipment (another waybill) gets a new one too; a given trade_no is sent as it is.
	other := mustClaim(t, j, shipment("2201", lease(c, time.Minute), cw("467", "SF9999999999999")), journal.ClaimSend)
	if other.TradeNo == third.TradeNo {
		t.Error("a different shipment reused the trade_no")
	}
	j.Finish(ctx, "2201", other.Owner, other.AttemptID, refused)
	given := shipment("2201", lease(c, time.Minute), cw("467", "SF1234567890123"))
	given.TradeNo = "MY-77"
	if cl := mustClaim(t, j, given, journal.ClaimSend); cl.TradeNo != "MY-77" {
		t.Errorf("given trade_no: %s", cl.TradeNo)
	}
	if e := entry(t, j, "2201"); e.ShipAttempts != 5 {
		t.Errorf("ship attempts %d, want 5", e.ShipAttempts)
	}
}

func testUnsettledAndReconcile(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	l := lease(c, time.Minute)
	cl := mustClaim(t, j, shipment("2301", l, cw("467", "SF1234567890123")), journal.ClaimSend)
	recID, err := j.Unsettled(ctx, "2301", l.Owner, cl.AttemptID, journal.AttemptEnd{Outcome: journal.OutcomeUnknown, Note: "timeout"},
		"outstorage outcome unknown: timeout", cl.TradeNo, c.now().Add(2*time.Minute))
	if err != nil || recID == 0 {
		t.Fatal(recID, err)
	}
	e := entry(t, j, "2301")
	if e.State != journal.StateShipping || e.HeldBy != l.Owner || !e.HeldUntil.Equal(c.now().Add(2*time.Minute)) || !strings.Contains(e.Reason, "timeout") {
		t.Errorf("unsettled: %+v", e)
	}
	// JD cannot be read: the order stays shipping, the claim is released.
	if err := j.Finish(ctx, "2301", l.Owner, recID, journal.Outcome{State: journal.StateShipping, Reason: "JD unreachable",
		Attempt: journal.AttemptEnd{Outcome: journal.OutcomeError}}); err != nil {
		t.Fatal(err)
	}
	if pend, err := journal.PendingReconcile(ctx, j); err != nil || len(pend) != 1 || pend[0].OrderID != "2301" || pend[0].HeldBy != "" {
		t.Errorf("pending %+v %v", pend, err)
	}
	// A new shipment claim reconciles first.
	rc := mustClaim(t, j, shipment("2301", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimReconcile)
	if rc.TradeNo != cl.TradeNo || rc.AttemptID == 0 {
		t.Errorf("reconcile claim %+v", rc)
	}
	j.Finish(ctx, "2301", rc.Owner, rc.AttemptID, journal.Outcome{State: journal.StateShipped, Shipped: true,
		Attempt: journal.AttemptEnd{Outcome: journal.OutcomeShipped, Note: "WAIT_GOODS_RECEIVE_CONFIRM"}})
	as, _ := j.Attempts(ctx, "2301")
	kinds := []string{}
	for _, a := range as {
		kinds = append(kinds, string(a.Kind)+"/"+a.Outcome)
	}
	if got := strings.Join(kinds, " "); got != "outstorage/unknown reconcile/error reconcile/shipped" {
		t.Errorf("attempts %s", got)
	}
	if e := entry(t, j, "2301"); e.State != journal.StateShipped {
		t.Errorf("after reconciling: %+v", e)
	}
}

func testTakeOverAfterExpiry(t *testing.T, fresh Fresh) {
	j, c := one(t, fresh)
	l := lease(c, time.Minute)
	mustClaim(t, j, shipment("2401", l, cw("467", "SF1234567890123")), journal.ClaimSend)
	c.add(59 * time.Second)
	mustClaim(t, j, shipment("2401", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimBusy)
	c.add(2 * time.Second)
	// Expired: taken over, and only through reconciliation (the first call may have gone out).
	mustClaim(t, j, shipment("2401", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimReconcile)
}

func testLeaseLost(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	slow := lease(c, time.Minute)
	cl := mustClaim(t, j, shipment("2501", slow, cw("467", "SF1234567890123")), journal.ClaimSend)
	c.add(2 * time.Minute)
	taker := mustClaim(t, j, shipment("2501", lease(c, time.Minute), cw("467", "SF1234567890123")), journal.ClaimReconcile)
	err := j.Finish(ctx, "2501", slow.Owner, cl.AttemptID, shipped(""))
	if !errors.Is(err, journal.ErrLeaseLost) {
		t.Fatalf("finishing a claim taken over: %v", err)
	}
	// The order row is the taker's; the slow claim's attempt row is still written.
	if e := entry(t, j, "2501"); e.State != journal.StateShipping || e.HeldBy != taker.Owner {
		t.Errorf("the slow claim changed the order: %+v", e)
	}
	as, _ := j.Attempts(ctx, "2501")
	if len(as) != 2 || as[0].Outcome != journal.OutcomeOK {
		t.Errorf("attempts %+v", as)
	}
	if _, err := j.Unsettled(ctx, "2501", slow.Owner, cl.AttemptID, journal.AttemptEnd{Outcome: journal.OutcomeUnknown}, "x", "", c.now()); !errors.Is(err, journal.ErrLeaseLost) {
		t.Errorf("Unsettled on a lost claim: %v", err)
	}
}

func testWaybillUpdate(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	u := journal.WaybillUpdate{OrderID: "2601", Type: printdata.SOP, Method: "360buy.order.sop.waybill.update", TradeNo: "W1",
		Carriers: []journal.CarrierWaybills{cw("1499", "731234567890")}}
	// An order the journal never saw: no attempt opened; accepted → recorded as shipped.
	_, found, id, err := j.BeginWaybillUpdate(ctx, u)
	if err != nil || found || id != 0 {
		t.Fatal(found, id, err)
	}
	if err := j.EndWaybillUpdate(ctx, u, 0, true, journal.AttemptEnd{Outcome: journal.OutcomeOK}); err != nil {
		t.Fatal(err)
	}
	e := entry(t, j, "2601")
	if e.State != journal.StateShipped || len(e.Waybills()) != 1 || e.Waybills()[0] != "731234567890" {
		t.Errorf("after a correction of an unknown order: %+v", e)
	}
	// A refused correction changes nothing but its attempt row.
	u2 := u
	u2.TradeNo, u2.Carriers = "W2", []journal.CarrierWaybills{cw("467", "SF1234567890123")}
	e, found, id, err = j.BeginWaybillUpdate(ctx, u2)
	if err != nil || !found || id == 0 || e.State != journal.StateShipped {
		t.Fatal(e, found, id, err)
	}
	j.EndWaybillUpdate(ctx, u2, id, false, journal.AttemptEnd{Outcome: journal.OutcomeRefused, Code: "10400014"})
	if e := entry(t, j, "2601"); e.Waybills()[0] != "731234567890" {
		t.Errorf("a refused correction changed the waybill: %+v", e)
	}
	// An accepted one replaces the carriers and waybills.
	_, _, id, _ = j.BeginWaybillUpdate(ctx, u2)
	j.EndWaybillUpdate(ctx, u2, id, true, journal.AttemptEnd{Outcome: journal.OutcomeOK})
	if es, _ := j.ByWaybill(ctx, "731234567890"); len(es) != 0 {
		t.Errorf("the old waybill still finds the order: %+v", es)
	}
	if es, _ := j.ByWaybill(ctx, "SF1234567890123"); len(es) != 1 {
		t.Errorf("the new waybill does not find the order")
	}
	as, _ := j.Attempts(ctx, "2601")
	if len(as) != 3 || as[1].Outcome != journal.OutcomeRefused || as[1].Code != "10400014" || as[2].Kind != journal.AttemptWaybillUpdate {
		t.Errorf("attempts %+v", as)
	}
	// An unsettled or claimed order refuses a correction.
	l := lease(c, time.Minute)
	mustClaim(t, j, shipment("2602", l, cw("467", "SF1234567890124")), journal.ClaimSend)
	u3 := u
	u3.OrderID = "2602"
	if _, _, _, err := j.BeginWaybillUpdate(ctx, u3); !errors.Is(err, journal.ErrClaimed) {
		t.Errorf("correction of a claimed order: %v", err)
	}
	c.add(2 * time.Minute)
	if _, _, _, err := j.BeginWaybillUpdate(ctx, u3); !errors.Is(err, journal.ErrUnsettled) {
		t.Errorf("correction of an unsettled order: %v", err)
	}
}

func testQueries(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	ship := func(id, lid, w string, o journal.Outcome) {
		cl := mustClaim(t, j, shipment(id, lease(c, time.Minute), cw(lid, w)), journal.ClaimSend)
		if err := j.Finish(ctx, id, cl.Owner, cl.AttemptID, o); err != nil {
			t.Fatal(err)
		}
		c.add(time.Minute)
	}
	// Yesterday: one shipped order.
	c.add(-24 * time.Hour)
	ship("2001", "467", "SF1234567890123", shipped(""))
	c.add(24 * time.Hour)
	// Today: a print, a shipment, a refusal and an unsettled one.
	id, _ := j.BeginPrint(ctx, journal.PrintJob{OrderID: "2002", Type: printdata.SOP, Pages: 1, Target: journal.PrinterTarget("tcp:p")})
	j.EndPrint(ctx, id, nil)
	c.add(time.Minute)
	ship("2002", "1499", "731234567890", shipped(""))
	ship("2003", "2100", "YT1234567890123", journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip,
		Reason: "refused", Attempt: journal.AttemptEnd{Outcome: journal.OutcomeRefused}})
	ship("2004", "4700", "771234567890", journal.Outcome{State: journal.StateShipping, Reason: "unknown",
		Attempt: journal.AttemptEnd{Outcome: journal.OutcomeUnknown}})

	got := func(es []journal.Entry, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range es {
			ids = append(ids, e.OrderID)
		}
		return strings.Join(ids, ",")
	}
	check := func(name, ids, want string) {
		t.Helper()
		if ids != want {
			t.Errorf("%s: %v, want %v", name, ids, want)
		}
	}
	check("Recent(3)", got(j.Recent(ctx, 3)), "2004,2003,2002")
	check("Recent(0)", got(j.Recent(ctx, 0)), "")
	check("ByState(shipped)", got(j.ByState(ctx, journal.StateShipped)), "2001,2002")
	check("ByState(failed)", got(j.ByState(ctx, journal.StateFailed)), "2003")
	check("PendingReconcile", got(journal.PendingReconcile(ctx, j)), "2004")
	check("ByWaybill", got(j.ByWaybill(ctx, " 731234567890\r\n")), "2002")
	check("ByWaybill unknown", got(j.ByWaybill(ctx, "999")), "")
	check("Search id", got(journal.Search(ctx, j, "2003", 0)), "2003")
	check("Search waybill", got(journal.Search(ctx, j, "yt1234567890123", 0)), "2003")
	check("Search empty", got(journal.Search(ctx, j, "", 2)), "2004,2003")

	counts, err := journal.TodayCounts(ctx, j, c.now())
	if err != nil {
		t.Fatal(err)
	}
	if want := (journal.Counts{Printed: 1, Shipped: 1, Failed: 1, Unconfirmed: 1}); counts != want {
		t.Errorf("TodayCounts = %+v, want %+v", counts, want)
	}
}

// Several handles (station processes) claiming the same orders at once: each order is claimed
// for sending exactly once.
func testConcurrentClaims(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	c := newClock()
	open := fresh(t)
	const handles, orders = 4, 20
	var (
		mu    sync.Mutex
		sends = map[string]int{}
		wg    sync.WaitGroup
	)
	for h := range handles {
		j := open(c.now)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range orders {
				id := fmt.Sprint(3000 + (i+h*5)%orders)
				l := journal.Lease{Owner: fmt.Sprintf("h%d/%d", h, i), Host: "suite-host", PID: 4242, Expires: c.now().Add(time.Minute)}
				cl, err := j.ClaimShipment(ctx, shipment(id, l, cw("467", "SF12345678901"+fmt.Sprint(10+i%orders))))
				if err != nil {
					t.Error(err)
					return
				}
				if cl.Kind == journal.ClaimSend {
					mu.Lock()
					sends[id]++
					mu.Unlock()
					if err := j.Finish(ctx, id, l.Owner, cl.AttemptID, shipped("")); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	for i := range orders {
		if id := fmt.Sprint(3000 + i); sends[id] != 1 {
			t.Errorf("order %s claimed for sending %d times", id, sends[id])
		}
	}
}
