package fulfill_test

import (
	"context"
	"errors"
	"testing"

	"station/fulfill"
	"station/fulfill/fulfilltest"
	"station/jdorder"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/printdata"
	"station/ship"
)

// A delete request holds the order from printing and shipping, at this station and at any on
// the same journal, until it is withdrawn; JD shows it locked meanwhile.
func TestDeleteRequestHoldsTheOrder(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Who: journal.Who{Station: "pack-1", Packer: "9001 张三"}})
	id := fulfilltest.Waiting(t, sim, shop.TypeLBP, 1)[0]
	rec, err := ts.ApplyDelete(ctx, jdorder.DeleteRequest{OrderID: id, Reason: 1})
	if err != nil || rec.State != journal.DeletePending || rec.Who.Packer != "9001 张三" {
		t.Fatalf("apply: %+v %v", rec, err)
	}
	if l, _ := sim.Server.Ledger().Order(id); !l.DeletePending {
		t.Fatalf("JD has no delete request: %+v", l)
	}
	var held *ship.DeleteHeldError
	if _, err := ts.PrintOrder(ctx, id, 1, true, nil); !errors.As(err, &held) || held.Request.Reason != 1 {
		t.Fatalf("print while the request is pending: %v", err)
	}
	if _, err := ts.WaitingOrder(ctx, id); !errors.As(err, &held) {
		t.Fatalf("WaitingOrder while the request is pending: %v", err)
	}
	if _, err := ts.Ship(ctx, ship.Shipment{OrderID: id, Type: printdata.LBP, Carriers: []journal.CarrierWaybills{{LogisticsID: "0"}}}); !errors.As(err, &held) {
		t.Fatalf("ship while the request is pending: %v", err)
	}
	if n := ts.JOS.Writes(); n != 0 {
		t.Fatalf("%d writes went out for a held order", n)
	}
	// A second station on the same journal is held too.
	other := fulfilltest.New(t, sim, fulfilltest.Options{Journal: ts.JournalPath})
	if _, err := other.PrintOrder(ctx, id, 1, true, nil); !errors.As(err, &held) {
		t.Fatalf("another station printed a held order: %v", err)
	}

	if rec, err = ts.CancelDelete(ctx, id); err != nil || rec.State != journal.DeleteCancelled {
		t.Fatalf("cancel: %+v %v", rec, err)
	}
	if _, err := ts.PrintOrder(ctx, id, 1, true, nil); err != nil {
		t.Fatalf("print after the withdrawal: %v", err)
	}
}

// A delete request is refused before it is sent for an order the journal has shipped, and JD's
// own refusal (an order shipped elsewhere) leaves it refused, holding nothing.
func TestDeleteRequestRefusals(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	id := fulfilltest.Waiting(t, sim, shop.TypeLBP, 1)[0]
	if _, err := ts.Ship(ctx, ship.Shipment{OrderID: id, Type: printdata.LBP, Carriers: []journal.CarrierWaybills{{LogisticsID: "0"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.ApplyDelete(ctx, jdorder.DeleteRequest{OrderID: id, Reason: 3}); !errors.Is(err, fulfill.ErrDeleteShipped) {
		t.Fatalf("a delete request of a shipped order: %v", err)
	}
	shippedElsewhere := sim.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitReceive)[0]
	rec, err := ts.ApplyDelete(ctx, jdorder.DeleteRequest{OrderID: shippedElsewhere, Reason: 3})
	var re *jdorder.RefusedError
	if !errors.As(err, &re) || rec.State != journal.DeleteRefused || rec.Holds() {
		t.Fatalf("JD's refusal: %+v %v", rec, err)
	}
	for _, o := range []string{id, shippedElsewhere} {
		if l, _ := sim.Server.Ledger().Order(o); l.DeleteApplies != 0 {
			t.Errorf("order %s: a delete request was applied", o)
		}
	}
}

// An FBP order scanned at the station is refused as one, not as an unknown order.
func TestFBPOrderRefused(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 20, FBP: 3})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id := sim.Server.FBPOrderIDs()[0]
	var fbp *fulfill.FBPOrderError
	if _, err := ts.PrintOrder(ctx, id, 1, true, nil); !errors.As(err, &fbp) || fbp.Order.ID != id {
		t.Fatalf("print of an FBP order: %v", err)
	}
	if _, err := ts.WaitingOrder(ctx, id); !errors.Is(err, fulfill.ErrFBPOrder) {
		t.Fatalf("WaitingOrder of an FBP order: %v", err)
	}
	if _, err := ts.WaitingOrder(ctx, "99999999999"); err == nil || errors.Is(err, fulfill.ErrFBPOrder) {
		t.Fatalf("an unknown order: %v", err)
	}
	// FBP is asked only when 360buy.order.get does not know the order.
	before := ts.JOS.Calls("360buy.order.fbp.get")
	if _, err := ts.PrintOrder(ctx, fulfilltest.Waiting(t, sim, shop.TypeLBP, 1)[0], 1, true, nil); err != nil {
		t.Fatal(err)
	}
	if n := ts.JOS.Calls("360buy.order.fbp.get") - before; n != 0 {
		t.Errorf("printing a merchant's order asked fbp.get %d times", n)
	}
}

// An overseas order prints as SOP (海外购 on the label) and ships through both of its calls.
func TestOverseasPrintAndShip(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 20, Overseas: 6})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id := fulfilltest.Waiting(t, sim, shop.TypeOverseas, 1)[0]
	p, err := ts.PrintOrder(ctx, id, 1, true, nil)
	if err != nil || p.Type != printdata.Overseas {
		t.Fatalf("print: %+v %v", p, err)
	}
	res, err := ts.Ship(ctx, ship.Shipment{OrderID: id, Carriers: []journal.CarrierWaybills{{LogisticsID: "467", Waybills: []string{"SF1234567890123"}}}})
	if err != nil || res.State != journal.StateShipped {
		t.Fatalf("ship: %+v %v", res, err)
	}
	if l, _ := sim.Server.Ledger().Order(id); l.OutstorageAccepted != 1 || l.DeliveryAccepted != 1 {
		t.Fatalf("ledger %+v", l)
	}
}

// A batch prints and ships the others and leaves an order with a delete request alone, with
// the request as its failure; an overseas order in it ships through both calls.
func TestBatchSkipsHeldOrdersAndShipsOverseas(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 30, Overseas: 4})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}})
	lbp := fulfilltest.Waiting(t, sim, shop.TypeLBP, 2)
	over := fulfilltest.Waiting(t, sim, shop.TypeOverseas, 1)[0]
	if _, err := ts.ApplyDelete(ctx, jdorder.DeleteRequest{OrderID: lbp[0], Reason: 6}); err != nil {
		t.Fatal(err)
	}
	sum, err := ts.Batch(ctx, fulfill.BatchSpec{IDs: []string{lbp[0], lbp[1], over}, Print: true, Ship: true}, nil)
	if err != nil || sum.Shipped != 2 || len(sum.Failed) != 1 || sum.Failed[0].OrderID != lbp[0] || !errors.Is(sum.Failed[0].Err, ship.ErrDeleteRequested) {
		t.Fatalf("%+v %v", sum, err)
	}
	if l, _ := sim.Server.Ledger().Order(lbp[0]); l.OutstorageAttempts != 0 {
		t.Errorf("the held order: %+v", l)
	}
	if l, _ := sim.Server.Ledger().Order(over); l.OutstorageAccepted != 1 || l.DeliveryAccepted != 1 {
		t.Errorf("the overseas order: %+v", l)
	}
}

func TestDefaultCarrierOfAnOverseasOrder(t *testing.T) {
	for _, tc := range []struct {
		d    map[printdata.OrderType]string
		t    printdata.OrderType
		want string
	}{
		{map[printdata.OrderType]string{printdata.SOP: "467"}, printdata.Overseas, "467"},
		{map[printdata.OrderType]string{printdata.SOP: "467", printdata.Overseas: "1274"}, printdata.Overseas, "1274"},
		{map[printdata.OrderType]string{printdata.SOP: "467"}, printdata.LBP, ""},
		{map[printdata.OrderType]string{}, printdata.Overseas, ""},
	} {
		if got := fulfill.DefaultCarrier(tc.d, tc.t); got != tc.want {
			t.Errorf("DefaultCarrier(%v, %s) = %q, want %q", tc.d, tc.t, got, tc.want)
		}
	}
}
