package scan_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"station/explain"
	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/printdata"
	"station/scan"
)

// An order JD shows shipped elsewhere, received or finished (not in this journal) gets no label
// and no outstorage, in every mode: the scan fails with JD's state, said as "already shipped".
// One printed here and then shipped elsewhere is not shipped again when scanned: JD's refusal
// is reported the same way. A reprint stays possible as an explicit act.
func TestScanRefusesWhatJDShipped(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 5)
	states := []string{printdata.StateWaitReceive, printdata.StateFinished, printdata.StateDistributionRecvd}
	modes := []scan.Mode{scan.ModePrint, scan.ModePrintShip, scan.ModeShipOnly}
	for i, state := range states {
		if err := sim.Server.SetState(ids[i], state); err != nil {
			t.Fatal(err)
		}
		for _, mode := range modes {
			sc := scan.New(ts.Station, scan.Options{Mode: mode})
			r := sc.Submit(ctx, ids[i])
			var ns *printdata.NotShippableError
			if r.Status != scan.Failed || !errors.As(r.Err, &ns) || ns.State != state {
				t.Errorf("%s in mode %v: %v %v", state, mode, r.Status, r.Err)
			}
			if m := explain.Error(r.Err); !strings.Contains(m.EN, "already shipped") || !strings.Contains(m.ZH, "不要再发") {
				t.Errorf("%s: says %q / %q", state, m.ZH, m.EN)
			}
		}
	}
	if got := ts.PrintedLabels(t); len(got) != 0 {
		t.Fatalf("labels printed for orders JD shows shipped: %v", got)
	}
	if w := ts.JOS.Writes(); w != 0 {
		t.Fatalf("%d outstorages sent for orders JD shows shipped", w)
	}

	// Printed here, then shipped in JD's backend before the packer shipped it here.
	sc := scan.New(ts.Station, scan.Options{Mode: scan.ModePrint})
	if r := sc.Submit(ctx, ids[3]); r.Status != scan.Printed {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	sim.Server.SetState(ids[3], printdata.StateWaitReceive)
	sc.SetOptions(scan.Options{Mode: scan.ModePrintShip})
	r := sc.Submit(ctx, ids[3])
	if m := explain.Error(r.Err); r.Status != scan.Failed || !strings.Contains(m.EN, "already shipped") {
		t.Errorf("printed here, shipped at JD: %v %v", r.Status, r.Err)
	}
	if got := ts.PrintedLabels(t); len(got) != 1 {
		t.Errorf("labels %v", got)
	}
	if lo := fulfilltest.Ledger(t, sim, ids[3]); lo.OutstorageAccepted != 0 {
		t.Errorf("ledger %+v", lo)
	}
	// A reprint a person asks for still prints (and never ships).
	sc.SetOptions(scan.Options{Mode: scan.ModePrint, Reprint: true})
	if r := sc.Submit(ctx, ids[0]); r.Status != scan.Printed {
		t.Errorf("reprint of a JD-shipped order: %v %v", r.Status, r.Err)
	}
}
