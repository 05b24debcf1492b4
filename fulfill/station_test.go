package fulfill_test

import (
	"context"
	"errors"
	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/journaltest"
	"station/printdata"
	"station/ship"
	"testing"
)

// Every validation error through Station.Ship and UpdateWaybill makes no call at all.
func TestStationShipValidation(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	sop, lbp := fulfilltest.Waiting(t, sim, shop.TypeSOP, 1)[0], fulfilltest.Waiting(t, sim, shop.TypeLBP, 1)[0]
	if _, err := ts.Carriers(ctx); err != nil { // the carrier list is read once, ahead
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sh   ship.Shipment
		kind ship.InvalidKind
	}{
		{"bad order id", ship.Shipment{OrderID: "12ab", Type: printdata.SOP, Carriers: []journal.CarrierWaybills{fulfilltest.CW("467", "SF1000000000031")}}, ship.InvalidOrderID},
		{"no carrier", ship.Shipment{OrderID: sop, Type: printdata.SOP}, ship.InvalidNoCarrier},
		{"unknown carrier", sop0(sop, fulfilltest.CW("2100", "YT1234567890123")), ship.InvalidUnknownCarrier},
		{"SOP to JD", sop0(sop, fulfilltest.CW("0")), ship.InvalidDeliverToJD},
		{"SF without waybill", sop0(sop, fulfilltest.CW("467")), ship.InvalidMissingWaybill},
		{"SF with a JD waybill", sop0(sop, fulfilltest.CW("467", "JDVA00000000031")), ship.InvalidWaybill},
		{"waybill twice", ship.Shipment{OrderID: sop, Type: printdata.SOP, Packages: 2, Carriers: []journal.CarrierWaybills{fulfilltest.CW("467", "SF1000000000031", "SF1000000000031")}}, ship.InvalidDuplicateWaybill},
		{"more waybills than packages", ship.Shipment{OrderID: sop, Type: printdata.SOP, Packages: 1, Carriers: []journal.CarrierWaybills{fulfilltest.CW("467", "SF1000000000031", "SF1000000000032")}}, ship.InvalidWaybillCount},
		{"LBP two carriers", ship.Shipment{OrderID: lbp, Type: printdata.LBP, Carriers: []journal.CarrierWaybills{fulfilltest.CW("0"), fulfilltest.CW("467", "SF1000000000033")}}, ship.InvalidTooManyCarriers},
		{"LBP 0 with waybill", ship.Shipment{OrderID: lbp, Type: printdata.LBP, Carriers: []journal.CarrierWaybills{fulfilltest.CW("0", "SF1000000000034")}}, ship.InvalidWaybillNotAllowed},
		{"packages", ship.Shipment{OrderID: lbp, Type: printdata.LBP, Packages: 1000, Carriers: []journal.CarrierWaybills{fulfilltest.CW("0")}}, ship.InvalidPackages},
		{"address on SOP", ship.Shipment{OrderID: sop, Type: printdata.SOP, AddressID: 5, Carriers: []journal.CarrierWaybills{fulfilltest.CW("1274")}}, ship.InvalidAddress},
	}
	for _, tt := range tests {
		calls := ts.JOS.Total()
		_, err := ts.Ship(ctx, tt.sh)
		if ship.InvalidKindOf(err) != tt.kind {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
		if ts.JOS.Total() != calls {
			t.Errorf("%s: %d calls", tt.name, ts.JOS.Total()-calls)
		}
	}
	if _, err := ts.UpdateWaybill(ctx, sop0(sop, fulfilltest.CW("467", "JDVA00000000035"))); ship.InvalidKindOf(err) != ship.InvalidWaybill {
		t.Errorf("update: %v", err)
	}
	if ts.JOS.Writes() != 0 {
		t.Errorf("%d writes", ts.JOS.Writes())
	}
	// With the type left out, it is learnt from JD; a locked order is refused without a write.
	res, err := ts.Ship(ctx, ship.Shipment{OrderID: lbp, Carriers: []journal.CarrierWaybills{fulfilltest.CW("0")}, Packages: 3})
	if err != nil || res.State != journal.StateShipped {
		t.Fatalf("%+v %v", res, err)
	}
	if lo := fulfilltest.Ledger(t, sim, lbp); lo.Shipments[0] != (shop.Shipment{LogisticsID: "0", PackageNum: 3}) {
		t.Errorf("ledger %+v", lo)
	}
	locked := sim.Server.OrderIDs("", printdata.StateLocked)[0]
	if _, err := ts.Ship(ctx, ship.Shipment{OrderID: locked, Carriers: []journal.CarrierWaybills{fulfilltest.CW("1274")}}); !errors.Is(err, printdata.ErrNotShippable) {
		t.Errorf("locked: %v", err)
	}
	if ts.JOS.Writes() != 1 {
		t.Errorf("%d writes, want 1", ts.JOS.Writes())
	}
	// The waybill correction of the shipped SOP… and the history.
	if _, err := ts.Ship(ctx, sop0(sop, fulfilltest.CW("467", "SF1000000000036"))); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.UpdateWaybill(ctx, ship.Shipment{OrderID: sop, Carriers: []journal.CarrierWaybills{fulfilltest.CW("1499", "731000000036")}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{sop, "731000000036", " 731000000036 "} {
		h, err := ts.History(ctx, q, 10)
		if err != nil || len(h) != 1 || h[0].OrderID != sop || h[0].Waybills()[0] != "731000000036" {
			t.Errorf("History(%q) = %+v %v", q, h, err)
		}
	}
	if h, _ := ts.History(ctx, "", 10); len(h) != 2 {
		t.Errorf("recent: %d entries", len(h))
	}
	if c, err := ts.TodayCounts(ctx); err != nil || c.Shipped != 2 {
		t.Errorf("counts %+v %v", c, err)
	}
}

func sop0(id string, c journal.CarrierWaybills) ship.Shipment {
	return ship.Shipment{OrderID: id, Type: printdata.SOP, Carriers: []journal.CarrierWaybills{c}}
}

// TestStatusTellsPrintingElsewhere: a print under way in a live process (this one stands in
// for another window) is "printing elsewhere", not an interrupted print; the same print left
// by a process that stopped is one whose outcome is unknown.
func TestStatusTellsPrintingElsewhere(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 2)
	for i, pid := range []int{0, journaltest.StoppedPID} {
		if _, err := ts.Journal().BeginPrint(ctx, journal.PrintJob{OrderID: ids[i], Type: printdata.LBP, Pages: 1,
			Target: journal.PrinterTarget("tcp:printer"), PID: pid}); err != nil {
			t.Fatal(err)
		}
	}
	live, err := ts.Status(ctx, ids[0])
	if err != nil || !live.PrintingElsewhere || live.Unknown != nil {
		t.Errorf("a print under way: %+v %v", live, err)
	}
	gone, err := ts.Status(ctx, ids[1])
	if err != nil || gone.PrintingElsewhere || gone.Unknown == nil {
		t.Errorf("a print a stopped process left: %+v %v", gone, err)
	}
}
