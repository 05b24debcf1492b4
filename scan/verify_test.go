package scan

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/products"
	"station/verify"
)

// threeLineOrder makes a waiting order of type typ hold three lines of the simulator's
// catalogue, the first of two pieces, and returns it with its products.
func threeLineOrder(t *testing.T, sim *jostest.Running, typ string) (string, []products.Product) {
	t.Helper()
	id := fulfilltest.Waiting(t, sim, typ, 1)[0]
	ps := shop.Products(jostest.DefaultSeed)[:3]
	ws := shop.Wares(jostest.DefaultSeed)[:3]
	if err := sim.Server.Edit(id, func(o *shop.Order) {
		o.Items = nil
		for i, w := range ws {
			o.Items = append(o.Items, shop.Item{WareID: w.WareID, SkuID: w.SkuID, OuterID: w.OuterID, Name: w.Name, Num: 1 + boolInt(i == 0), Price: 1000})
		}
	}); err != nil {
		t.Fatal(err)
	}
	return id, ps
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func verifyOptions() Options {
	return Options{Mode: ModePrintShip, Verify: true, Catalog: products.NewCatalog(shop.Products(jostest.DefaultSeed))}
}

func gots(v *verify.View) []int {
	var out []int
	for _, l := range v.Lines {
		out = append(out, l.Got)
	}
	return out
}

// The right items complete the order and only then does it print and ship; a wrong item, a
// surplus and an unknown code are refused and change nothing.
func TestVerifyThreeLines(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id, ps := threeLineOrder(t, sim, shop.TypeLBP)
	other := shop.Products(jostest.DefaultSeed)[5] // in the table, not in the order
	sc := New(ts.Station, verifyOptions())

	r := sc.Submit(ctx, id)
	if r.Status != Verifying || r.Pack == nil || len(r.Pack.Lines) != 3 || r.Pack.Want != 4 {
		t.Fatalf("order scan: %v %+v (%v)", r.Status, r.Pack, r.Err)
	}
	steps := []struct {
		code    string
		status  Status
		outcome verify.Outcome
		counts  string
	}{
		{ps[0].Barcodes[0], Verifying, verify.Counted, "[1 0 0]"},
		{other.Barcodes[0], Rejected, verify.Wrong, "[1 0 0]"},
		{"6900000000000", Rejected, verify.Unknown, "[1 0 0]"},
		{ps[1].OuterID, Verifying, verify.Counted, "[1 1 0]"},
		{ps[1].Barcodes[0], Rejected, verify.Surplus, "[1 1 0]"},
		{"+1", Rejected, verify.Surplus, "[1 1 0]"}, // +1 of the line last counted, which has its one piece
		{ps[0].Barcodes[0], Verifying, verify.Counted, "[2 1 0]"},
	}
	for _, s := range steps {
		r = sc.Submit(ctx, s.code)
		if r.Status != s.status || r.Item == nil || r.Item.Outcome != s.outcome || fmtInts(gots(r.Pack)) != s.counts {
			t.Fatalf("scan %q: %v %v counts %v (%v); want %v %v %s", s.code, r.Status, r.Item, gots(r.Pack), r.Err, s.status, s.outcome, s.counts)
		}
		if s.status == Rejected && Refusal(r) != s.outcome {
			t.Errorf("Refusal(%q) = %v", s.code, Refusal(r))
		}
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAttempts != 0 || len(ts.PrintedLabels(t)) != 0 {
		t.Fatalf("printed or shipped before the parcel was complete: %+v", lo)
	}
	r = sc.Submit(ctx, ps[2].Barcodes[0])
	if r.Status != PrintedShipped || r.OrderID != id {
		t.Fatalf("last item: %v (%v)", r.Status, r.Err)
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAccepted != 1 || len(ts.PrintedLabels(t)) != 1 {
		t.Errorf("ledger %+v, %d labels", lo, len(ts.PrintedLabels(t)))
	}
	if _, ok := sc.Packing(); ok {
		t.Error("still packing after the order shipped")
	}
	jp, ok, err := ts.Station.Journal().Pack(ctx, id)
	if err != nil || !ok || jp.State != journal.PackComplete {
		t.Errorf("journal pack %+v %v %v", jp, ok, err)
	}
}

func fmtInts(v []int) string {
	s := "["
	for i, n := range v {
		if i > 0 {
			s += " "
		}
		s += string(rune('0' + n))
	}
	return s + "]"
}

// A station that stops in the middle resumes the count from the journal.
func TestVerifyResumesAfterCrash(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id, ps := threeLineOrder(t, sim, shop.TypeSOPL)
	first := New(ts.Station, verifyOptions())
	first.Submit(ctx, id)
	first.Submit(ctx, ps[0].Barcodes[0])
	first.Submit(ctx, ps[2].Barcodes[0])
	// The process dies here; a new scan session (a restarted window) scans the order again.
	again := New(ts.Station, verifyOptions())
	r := again.Submit(ctx, id)
	if r.Status != Verifying || r.Note != NotePackResumed || fmtInts(gots(r.Pack)) != "[1 0 1]" {
		t.Fatalf("resumed: %v %v %v (%v)", r.Status, r.Note, gots(r.Pack), r.Err)
	}
	again.Submit(ctx, ps[0].Barcodes[0])
	if r := again.Submit(ctx, ps[1].Barcodes[0]); r.Status != PrintedShipped {
		t.Fatalf("completed after resume: %v (%v)", r.Status, r.Err)
	}
}

// Decisions: no codes for a line holds the order (skip needs a reason), Esc sets it aside for
// the exception list, and another order id while packing is refused.
func TestVerifyDecisions(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id, ps := threeLineOrder(t, sim, shop.TypeLBP)
	opts := verifyOptions()
	opts.Catalog = products.NewCatalog(append([]products.Product{}, ps[0], ps[1])) // the third has no codes
	sc := New(ts.Station, opts)
	var x Exceptions

	r := sc.Submit(ctx, id)
	if r.Status != Held || r.Note != NoteUncoded {
		t.Fatalf("uncoded line: %v %v (%v)", r.Status, r.Note, r.Err)
	}
	if r := sc.Submit(ctx, ":skip"); r.Status != Rejected || !errors.Is(r.Err, ErrItemRefused) {
		t.Fatalf("skip without reason: %v (%v)", r.Status, r.Err)
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAttempts != 0 {
		t.Fatal("shipped while waiting for a decision")
	}
	if r := sc.Submit(ctx, ":skip 赠品无条码"); r.Status != PrintedShipped {
		t.Fatalf("skipped: %v (%v)", r.Status, r.Err)
	}
	if jp, _, _ := ts.Station.Journal().Pack(ctx, id); jp.State != journal.PackSkipped || jp.Reason != "赠品无条码" {
		t.Errorf("skip recorded as %+v", jp)
	}

	id2, _ := threeLineOrder(t, sim, shop.TypeLBP)
	sc = New(ts.Station, verifyOptions())
	sc.Submit(ctx, id2)
	next := fulfilltest.Waiting(t, sim, shop.TypeLBP, 2)[1] // [0] is id2
	r = sc.Submit(ctx, next)
	var ie *ItemError
	if r.Status != Rejected || !errors.As(r.Err, &ie) || !ie.MaybeOrder || r.OrderID != id2 {
		t.Fatalf("another order while packing: %v %+v", r.Status, r.Err)
	}
	if x.Add(r) {
		t.Error("an item refusal went into the exception list")
	}
	r = sc.Submit(ctx, ":aside")
	if r.Status != Aside || !x.Add(r) || x.List()[0].Action != ActionResume {
		t.Fatalf("aside: %v (%v), exceptions %+v", r.Status, r.Err, x.List())
	}
	if _, ok := sc.Packing(); ok {
		t.Error("still packing after aside")
	}
	if r := sc.Submit(ctx, next); r.Status != Verifying || r.OrderID != next {
		t.Errorf("the next order after aside: %v (%v)", r.Status, r.Err)
	}
	// The order set aside, scanned again, is verified from the start.
	sc.Submit(ctx, ":aside")
	if r := sc.Submit(ctx, id2); r.Status != Verifying || r.Pack == nil || r.Pack.Got != 0 {
		t.Errorf("set aside, scanned again: %v %+v", r.Status, r.Pack)
	}
	if lo := fulfilltest.Ledger(t, sim, id2); lo.OutstorageAttempts != 0 {
		t.Error("the order set aside was shipped")
	}
}

// An order JD shows shipped is refused before any item is counted.
func TestVerifyAsksJDFirst(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id, _ := threeLineOrder(t, sim, shop.TypeLBP)
	if err := sim.Server.SetState(id, "WAIT_GOODS_RECEIVE_CONFIRM"); err != nil {
		t.Fatal(err)
	}
	sc := New(ts.Station, verifyOptions())
	if r := sc.Submit(ctx, id); r.Status != Failed || r.Pack != nil {
		t.Fatalf("shipped at JD: %v %+v", r.Status, r.Pack)
	}
	if _, ok := sc.Packing(); ok {
		t.Error("packing an order JD shipped")
	}
	if p, ok, err := ts.Station.Journal().Pack(ctx, id); ok || err != nil {
		t.Errorf("a check begun in the journal for an order JD shipped: %+v %v", p, err)
	}
}

// scaleStub is a scale whose readings the test sets.
type scaleStub struct {
	mu    sync.Mutex
	grams int
	err   error
}

func (s *scaleStub) Weigh(ctx context.Context, again bool) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.grams, s.err
}

// Overweight holds the order until the packer decides; a re-weigh in range lets it go.
func TestVerifyOverweightHolds(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id, ps := threeLineOrder(t, sim, shop.TypeLBP)
	want := 2*ps[0].WeightG + ps[1].WeightG + ps[2].WeightG
	scale := &scaleStub{grams: want + want/5 + 200} // past 10 % and 100 g
	opts := verifyOptions()
	opts.Scale = scale
	sc := New(ts.Station, opts)
	for _, code := range []string{id, ps[0].Barcodes[0], ps[0].Barcodes[0], ps[1].Barcodes[0]} {
		sc.Submit(ctx, code)
	}
	r := sc.Submit(ctx, ps[2].Barcodes[0])
	if r.Status != Held || r.Note != NoteWeightOff || r.Weight == nil || r.Weight.Check != verify.Overweight || r.Weight.ExpectedG != want {
		t.Fatalf("overweight: %v %v %+v (%v)", r.Status, r.Note, r.Weight, r.Err)
	}
	if r := sc.Submit(ctx, ps[2].Barcodes[0]); r.Status != Rejected {
		t.Errorf("an item while the weight waits: %v", r.Status)
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAttempts != 0 || len(ts.PrintedLabels(t)) != 0 {
		t.Fatal("an overweight parcel went out")
	}
	scale.mu.Lock()
	scale.grams = want + 20
	scale.mu.Unlock()
	if r := sc.Submit(ctx, ":weigh"); r.Status != PrintedShipped || r.Weight == nil || r.Weight.Check != verify.WeightOK {
		t.Fatalf("re-weighed: %v %+v (%v)", r.Status, r.Weight, r.Err)
	}
	if jp, _, _ := ts.Station.Journal().Pack(ctx, id); jp.WeightG != want+20 || jp.WeightCheck != "ok" {
		t.Errorf("weight recorded %+v", jp)
	}
	day, _ := journal.TodayPackCounts(ctx, ts.Station.Journal(), time.Now())
	if day.Verified != 1 || day.Overweight != 0 {
		t.Errorf("counts %+v", day)
	}
}

// A parcel the scale gives no weight for waits for the packer: :accept lets it go without a
// weight (recorded), as the message offers.
func TestVerifyNoWeightAccepted(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id, ps := threeLineOrder(t, sim, shop.TypeLBP)
	opts := verifyOptions()
	opts.Scale = &scaleStub{err: errors.New("scale /dev/ttyUSB0: unsteady")}
	sc := New(ts.Station, opts)
	for _, code := range []string{id, ps[0].Barcodes[0], ps[0].Barcodes[0], ps[1].Barcodes[0]} {
		sc.Submit(ctx, code)
	}
	if r := sc.Submit(ctx, ps[2].Barcodes[0]); r.Status != Held || r.Note != NoteNoWeight {
		t.Fatalf("no weight: %v %v (%v)", r.Status, r.Note, r.Err)
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAttempts != 0 {
		t.Fatal("shipped without a weight or a decision")
	}
	if r := sc.Submit(ctx, ":accept"); r.Status != PrintedShipped {
		t.Fatalf(":accept: %v (%v)", r.Status, r.Err)
	}
	if jp, _, _ := ts.Station.Journal().Pack(ctx, id); jp.State != journal.PackComplete || jp.WeightCheck != "none" {
		t.Errorf("journal %+v", jp)
	}
}
