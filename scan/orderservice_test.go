package scan

import (
	"context"
	"errors"
	"testing"

	"station/fulfill/fulfilltest"
	"station/jdorder"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/ship"
)

// A scan brings the merchant's remark (read beside it) and the buyer's; a scan of an order
// with a delete request is refused with the request, nothing printed.
func TestScanRemarksAndDeleteHold(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 2)
	if err := sim.Server.Edit(ids[0], func(o *shop.Order) { o.VenderRemark, o.Remark = "送赠品", "不要发票" }); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.SetRemark(ctx, ids[0], "送赠品", jdorder.FlagRed); err != nil {
		t.Fatal(err)
	}
	sc := New(ts.Station, Options{Mode: ModePrintShip})
	r := sc.Submit(ctx, ids[0])
	if !r.Status.OK() || r.Remark == nil || r.Remark.Text != "送赠品" || r.Remark.Flag != jdorder.FlagRed || r.BuyerRemark != "不要发票" {
		t.Fatalf("scan: %v %v, remark %+v (%v), buyer %q", r.Status, r.Err, r.Remark, r.RemarkErr, r.BuyerRemark)
	}

	if _, err := ts.ApplyDelete(ctx, jdorder.DeleteRequest{OrderID: ids[1], Reason: 8}); err != nil {
		t.Fatal(err)
	}
	r = sc.Submit(ctx, ids[1])
	var held *ship.DeleteHeldError
	if r.Status != Failed || !errors.As(r.Err, &held) || r.Pages != 0 {
		t.Fatalf("scan of a held order: %v %v, %d labels", r.Status, r.Err, r.Pages)
	}
	if labels := ts.PrintedLabels(t); len(labels) != 1 {
		t.Fatalf("%d labels printed, want only the first order's", len(labels))
	}
	var x Exceptions
	if !x.Add(r) || len(x.List()) != 1 {
		t.Fatal("the held order is not an exception")
	}
}
