package office

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"station/jdorder"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/printdata"
	"station/scan"
)

// From History: the track of a shipped order as a timeline (JD's track moves on with time), the
// merchant's remark, and a delete request of a printed order shown in its row until withdrawn.
func TestHistoryTrackRemarkAndDelete(t *testing.T) {
	h := newHost(t)
	shipped := h.OrderOf(shop.TypeLBP, 0)
	printed := h.OrderOf(shop.TypeLBP, 1)
	ctx := context.Background()
	if r := scan.New(h.Station().Station, scan.Options{Mode: scan.ModePrintShip}).Submit(ctx, shipped); r.Status != scan.PrintedShipped {
		t.Fatalf("scan: %v %v", r.Status, r.Err)
	}
	if r := scan.New(h.Station().Station, scan.Options{Mode: scan.ModePrint}).Submit(ctx, printed); r.Status != scan.Printed {
		t.Fatalf("scan: %v %v", r.Status, r.Err)
	}
	ht := h.history
	ht.Reload()
	h.Wait()
	row := func(id string) int {
		for i, e := range ht.entries {
			if e.OrderID == id {
				return i
			}
		}
		t.Fatalf("%s is not in the history", id)
		return -1
	}

	ht.selected = row(shipped)
	ht.doTrack()
	h.Wait()
	if got := ht.TrackShown(); len(got) != 1 || !strings.Contains(got[0], "已出库") {
		t.Fatalf("track just after shipping: %q", got)
	}
	// A day and more later at JD.
	if err := h.Sim.Edit(shipped, func(o *shop.Order) { o.Outbound = o.Outbound.Add(-30 * time.Hour) }); err != nil {
		t.Fatal(err)
	}
	ht.doTrack()
	h.Wait()
	got := ht.TrackShown()
	if len(got) < 4 || !strings.Contains(got[0], "签收") || !strings.Contains(got[len(got)-1], "已出库") {
		t.Fatalf("track a day later (newest first): %q", got)
	}

	ht.SetRemark(printed, "缺货，已联系客户", jdorder.FlagRed)
	h.Wait()
	if l := h.Ledger(printed); l.RemarkUpdates != 1 {
		t.Fatalf("remark updates at JD: %d", l.RemarkUpdates)
	}

	ht.selected = row(printed)
	ht.ApplyDelete(printed, 2, "")
	h.Wait()
	if l := h.Ledger(printed); !l.DeletePending {
		t.Fatalf("no delete request at JD: %+v", l)
	}
	if note := ht.cell(ht.entries[row(printed)], colNote); !strings.Contains(note, "删单申请：等待京东审核") {
		t.Fatalf("the row's note: %q", note)
	}
	ht.CancelDelete(printed)
	h.Wait()
	if l := h.Ledger(printed); l.DeletePending {
		t.Fatalf("the delete request was not withdrawn: %+v", l)
	}
	if note := ht.cell(ht.entries[row(printed)], colNote); strings.Contains(note, "删单申请") {
		t.Fatalf("the row still shows a delete request: %q", note)
	}
	if infos := strings.Join(h.Infos(), "\n"); !strings.Contains(infos, "可以重新打印发货") {
		t.Errorf("the withdrawal was not said: %s", infos)
	}
}

// History's search finds the returned parcels booked at the desk, by order or by waybill.
func TestHistoryFindsReturns(t *testing.T) {
	h := newHost(t)
	ctx := context.Background()
	id := h.OrderOf(shop.TypeLBP, 0)
	if r := scan.New(h.Station().Station, scan.Options{Mode: scan.ModePrintShip}).Submit(ctx, id); r.Status != scan.PrintedShipped {
		t.Fatalf("scan: %v %v", r.Status, r.Err)
	}
	if _, err := h.Station().ReceiveReturn(ctx, journal.Return{OrderID: id, Waybill: "JDVA00000000777", Condition: journal.ReturnMissing, Note: "少一个充电器"}); err != nil {
		t.Fatal(err)
	}
	ht := h.history
	for _, q := range []string{id, "JDVA00000000777"} {
		ht.search.SetText(q)
		ht.runQuery()
		h.Wait()
		if len(ht.Returned) != 1 || !ht.returns.Visible() || !strings.Contains(ht.returns.Text, "缺件：少一个充电器") {
			t.Fatalf("search %q: %+v, %q", q, ht.Returned, ht.returns.Text)
		}
	}
	ht.search.SetText("")
	ht.runQuery()
	h.Wait()
	if ht.returns.Visible() {
		t.Error("the returns stay on screen without a query")
	}
}

// The batch counts overseas orders as their own type, and tells that they go with the SOP carrier.
func TestBatchCountsOverseasOrders(t *testing.T) {
	h := newHost(t, func(o *jostest.Options) { o.Overseas = 5 })
	bt := h.batch
	test.Tap(bt.query)
	h.Wait()
	want := len(h.Sim.OrderIDs(shop.TypeOverseas, printdata.StateWaitStockOut))
	if bt.updateCounts(); want == 0 || !strings.Contains(bt.counts.Text, fmt.Sprintf("OVERSEAS %d", want)) {
		t.Fatalf("%d waiting overseas orders; counts %q", want, bt.counts.Text)
	}
	bt.sopID = "1274"
	if text := bt.confirmText(2, map[printdata.OrderType]int{printdata.Overseas: 2}, false, true); !strings.Contains(text, "1274") {
		t.Errorf("the confirmation does not name the SOP carrier the overseas orders go with: %q", text)
	}
}
