package fulfill_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"station/afs"
	"station/fulfill"
	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
)

// shippedNoCase lists shipped orders without an after-sales case.
func shippedNoCase(t *testing.T, sim *jostest.Running, n int) []string {
	t.Helper()
	var ids []string
	for _, l := range sim.Server.Ledger().Orders {
		if shop.Shipped(l.State) && len(sim.Server.AfsCases(l.OrderID)) == 0 {
			ids = append(ids, l.OrderID)
		}
	}
	if len(ids) < n {
		t.Fatalf("%d shipped orders without a case, want %d", len(ids), n)
	}
	return ids[:n]
}

// Lost replies on apply.create never make two cases: the outcome is settled with order.get,
// and an application whose first reply was lost is not sent again.
func TestAfsApplyExactlyOnceWithLostReplies(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 300, FaultRate: 0.5, FaultSeed: 3, Faults: []jostest.Fault{jostest.FaultLostReply}})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-", Timeout: 300 * time.Millisecond})
	ids := shippedNoCase(t, sim, 12)
	found := 0
	for _, id := range ids {
		a := afs.Application{OrderID: id, Type: afs.TypeReturn, Expect: afs.ExpectRefund, Question: "外箱破损"}
		var res fulfill.AfsApplied
		var err error
		for try := 0; try < 20; try++ {
			if res, err = ts.AfsApply(ctx, a); err == nil || errors.Is(err, fulfill.ErrAfsOpen) {
				break
			}
		}
		if err != nil && !errors.Is(err, fulfill.ErrAfsOpen) {
			t.Fatalf("order %s: not settled: %v", id, err)
		}
		if res.Found {
			found++
		}
		if cases := sim.Server.AfsCases(id); len(cases) != 1 {
			t.Fatalf("order %s: %d cases at JD: %+v", id, len(cases), cases)
		}
		rec, ok, _ := ts.Journal().AfsApplyOf(ctx, id, int(afs.TypeReturn))
		if !ok || rec.State != journal.AfsCreated || rec.CaseID != sim.Server.AfsCases(id)[0].ID {
			t.Errorf("order %s: the journal has %+v", id, rec)
		}
	}
	if found == 0 {
		t.Errorf("no reply was lost on apply.create: the test did not test anything")
	}
	t.Logf("%d of %d cases found with order.get after a lost reply", found, len(ids))
}

// An open case of the same type refuses a second application before sending; another type goes.
func TestAfsApplyRefusesWhatExists(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	id := shippedNoCase(t, sim, 1)[0]
	first, err := ts.AfsApply(ctx, afs.Application{OrderID: id, Type: afs.TypeReturn, Expect: afs.ExpectRefund, Question: "破损"})
	if err != nil || !first.Sent {
		t.Fatal(first, err)
	}
	applies := sim.Server.AfsApplies()
	var open *fulfill.AfsOpenError
	if _, err := ts.AfsApply(ctx, afs.Application{OrderID: id, Type: afs.TypeReturn, Expect: afs.ExpectRefund, Question: "again"}); !errors.As(err, &open) || open.Case.ID != first.CaseID {
		t.Fatalf("a second return: %v", err)
	}
	if sim.Server.AfsApplies() != applies {
		t.Fatal("the second application was sent")
	}
	if _, err := ts.AfsApply(ctx, afs.Application{OrderID: id, Type: afs.TypeRepair, Expect: afs.ExpectExchange, Question: "维修"}); err != nil {
		t.Fatalf("a repair beside the return: %v", err)
	}
	views, err := ts.AfsCases(ctx, id)
	if err != nil || len(views) != 2 || views[0].Detail.Question != "破损" || len(views[0].Schedule) == 0 {
		t.Fatalf("the desk's view: %+v %v", views, err)
	}
	if err := ts.AfsCancel(ctx, first.CaseID); err != nil {
		t.Fatal(err)
	}
	// Cancelled, a return may be applied for again.
	if _, err := ts.AfsApply(ctx, afs.Application{OrderID: id, Type: afs.TypeReturn, Expect: afs.ExpectRefund, Question: "再次申请"}); err != nil {
		t.Fatalf("after the cancel: %v", err)
	}
}

// A returned parcel is found by the waybill it was shipped with and booked with its condition.
func TestReceiveReturn(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-", Who: journal.Who{Station: "returns", Packer: "9003"}})
	id := fulfilltest.Waiting(t, sim, shop.TypeSOP, 1)[0]
	if _, err := ts.Ship(ctx, sop0(id, fulfilltest.CW("467", "SF1234567890555"))); err != nil {
		t.Fatal(err)
	}
	got, err := ts.ReturnOrder(ctx, "sf1234567890555")
	if err != nil || got != id {
		t.Fatalf("by waybill: %q %v", got, err)
	}
	if got, err = ts.ReturnOrder(ctx, id); err != nil || got != id {
		t.Fatalf("by order id: %q %v", got, err)
	}
	if _, err := ts.ReturnOrder(ctx, "NOT-A-WAYBILL"); err == nil {
		t.Fatal("garbage found an order")
	}
	if _, err := ts.ReceiveReturn(ctx, journal.Return{OrderID: id, Condition: journal.ReturnDamaged}); !errors.Is(err, fulfill.ErrReturnNote) {
		t.Fatalf("a damaged return without a note: %v", err)
	}
	r, err := ts.ReceiveReturn(ctx, journal.Return{OrderID: id, Waybill: "SF1234567890555", Condition: journal.ReturnMissing, Note: "少一个充电器"})
	if err != nil || r.ID == 0 || time.Since(r.At) > time.Minute || r.Who.Packer != "9003" {
		t.Fatal(r, err)
	}
	rs, err := ts.Returns(ctx, journal.ReturnFilter{Query: "SF1234567890555"})
	if err != nil || len(rs) != 1 || rs[0].Who.Packer != "9003" || rs[0].Condition != journal.ReturnMissing {
		t.Fatalf("returns: %+v %v", rs, err)
	}
}
