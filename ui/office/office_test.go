package office

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
	"station/products"
	"station/scan"
	"station/ship"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestBatchPrintsAndShipsSelection(t *testing.T) {
	h := newHost(t)
	bt := h.batch
	test.Tap(bt.query)
	h.Wait()
	waiting := h.Sim.OrderIDs("", printdata.StateWaitStockOut)
	if len(bt.rows) != len(waiting) {
		t.Fatalf("the list shows %d orders, the simulator has %d waiting", len(bt.rows), len(waiting))
	}
	// Nothing is selected until a person selects: then the LBP and SOPL orders only (SOP ones
	// need a carrier's waybill).
	if bt.updateCounts(); !strings.Contains(bt.counts.Text, "已选 0") || bt.selAll.Checked {
		t.Errorf("preselected: counts %q", bt.counts.Text)
	}
	var picked []string
	for i, r := range bt.rows {
		if r.order.Type != printdata.SOP && len(picked) < 6 {
			bt.rows[i].selected = true
			picked = append(picked, r.order.ID)
		}
	}
	bt.updateCounts()
	if !strings.Contains(bt.counts.Text, "已选 6") {
		t.Errorf("counts %q", bt.counts.Text)
	}
	if text := bt.confirmText(6, map[printdata.OrderType]int{printdata.LBP: 4, printdata.SOPL: 2}, true, true); !strings.Contains(text, "6 个订单") ||
		!strings.Contains(text, "LBP 4") || !strings.Contains(text, "SOPL 2") || !strings.Contains(text, "不能撤回") {
		t.Errorf("confirmation %q", text)
	}
	test.Tap(bt.PrintBtn)
	mustConfirm(t, h)
	h.Wait()
	if p := bt.bar.Value; p != 1 {
		t.Fatalf("print progress %v, want 1", p)
	}
	if got := h.PDFs(); len(got) != len(picked) {
		t.Fatalf("%d labels for %d orders", len(got), len(picked))
	}
	for _, id := range picked {
		if e := h.Entry(id); e.State != journal.StatePrinted {
			t.Errorf("%s: journal %s", id, e.State)
		}
		if r := bt.rows[bt.index[id]]; !r.printed || r.err != nil || bt.rowStatus(r) != "已打印" {
			t.Errorf("%s: row %+v status %q", id, r, bt.rowStatus(r))
		}
	}

	test.Tap(bt.shipBtn)
	mustConfirm(t, h)
	h.Wait()
	if p := bt.bar.Value; p != 1 {
		t.Fatalf("ship progress %v, want 1", p)
	}
	for _, id := range picked {
		if lo := h.Ledger(id); lo.OutstorageAccepted != 1 {
			t.Errorf("%s: ledger %+v", id, lo)
		}
		if e := h.Entry(id); e.State != journal.StateShipped {
			t.Errorf("%s: journal %s", id, e.State)
		}
	}
	// Orders not selected were left alone.
	for _, r := range bt.rows {
		if !r.selected {
			if lo := h.Ledger(r.order.ID); lo.OutstorageAttempts != 0 {
				t.Errorf("unselected %s was shipped", r.order.ID)
			}
		}
	}
	if len(h.PDFs()) != len(picked) {
		t.Error("shipping printed again")
	}
	if !strings.Contains(bt.rate.Text, "发货 6") {
		t.Errorf("summary %q", bt.rate.Text)
	}
}

// SOP orders with a carrier that needs waybills are refused up front, with nothing sent; a row
// that failed (an order JD locked) is offered again, and goes through once JD unlocks it.
func TestBatchFailedRowsCanBeRetried(t *testing.T) {
	h := newHost(t)
	bt := h.batch
	test.Tap(bt.query)
	h.Wait()
	bt.sopID = "467"
	var sop, lbp string
	for i, r := range bt.rows {
		if r.order.Type == printdata.SOP && sop == "" {
			bt.rows[i].selected, sop = true, r.order.ID
		}
	}
	test.Tap(bt.shipBtn)
	h.Wait()
	if h.Confirm() != nil || len(h.Infos()) != 1 || !strings.Contains(h.Infos()[0], "需要每个包裹的运单号") {
		t.Fatalf("SOP with a waybill carrier was not refused up front: infos %q", h.Infos())
	}
	if lo := h.Ledger(sop); lo.OutstorageAttempts != 0 {
		t.Fatalf("an invalid shipment reached JD: %+v", lo)
	}
	bt.sopID = ""
	test.Tap(bt.shipBtn)
	if h.Confirm() != nil || !strings.Contains(h.Infos()[1], "没有选择 SOP 承运商") {
		t.Fatalf("SOP without a carrier was not refused up front: infos %q", h.Infos())
	}

	for i, r := range bt.rows {
		bt.rows[i].selected = r.order.Type == printdata.LBP && lbp == ""
		if bt.rows[i].selected {
			lbp = r.order.ID
		}
	}
	h.Sim.SetState(lbp, printdata.StateLocked)
	test.Tap(bt.shipBtn)
	mustConfirm(t, h)
	h.Wait()
	r := bt.rows[bt.index[lbp]]
	if r.err == nil || !strings.Contains(bt.rowStatus(r), "失败") || bt.retryBtn.Disabled() {
		t.Fatalf("row %+v status %q, retry offered %v", r, bt.rowStatus(r), !bt.retryBtn.Disabled())
	}
	h.Sim.SetState(lbp, printdata.StateWaitStockOut)
	test.Tap(bt.retryBtn)
	mustConfirm(t, h)
	h.Wait()
	if r.err != nil || !r.shipped {
		t.Fatalf("after retry: %+v", r)
	}
	if lo := h.Ledger(lbp); lo.OutstorageAccepted != 1 {
		t.Fatalf("ledger %+v", lo)
	}
}

func TestHistorySearchAndCorrectWaybill(t *testing.T) {
	h := newHost(t)
	id := h.OrderOf(shop.TypeSOP, 1)
	// Shipped at the scan line, with the waybill scanned next.
	sc := scan.New(h.Station().Station, scan.Options{Mode: scan.ModePrintShip})
	if r := sc.Submit(context.Background(), id); r.Status != scan.NeedWaybill {
		t.Fatalf("scan: %v %v", r.Status, r.Err)
	}
	if r := sc.Submit(context.Background(), "SF1234567890999"); r.Status != scan.PrintedShipped {
		t.Fatalf("waybill scan: %v %v", r.Status, r.Err)
	}
	ht := h.history
	ht.Reload()
	h.Wait()
	if len(ht.entries) != 1 || ht.entries[0].OrderID != id {
		t.Fatalf("history %+v", ht.entries)
	}
	test.Type(ht.search, "SF1234567890999")
	test.Tap(ht.find)
	h.Wait()
	if len(ht.entries) != 1 || ht.entries[0].OrderID != id {
		t.Fatalf("search by waybill: %+v", ht.entries)
	}
	ht.search.SetText(id)
	ht.selected = 0
	ht.sendFix(ship.Shipment{OrderID: id, Type: printdata.SOP,
		Carriers: []journal.CarrierWaybills{{LogisticsID: "1499", Waybills: []string{"751234567890"}}}})
	h.Wait()
	lo := h.Ledger(id)
	if lo.Shipments[len(lo.Shipments)-1].LogisticsID != "1499" {
		t.Fatalf("ledger after the correction: %+v", lo)
	}
	if got := ht.cell(ht.entries[0], 3); !strings.Contains(got, "751234567890") {
		t.Fatalf("history shows %q", got)
	}
	// Reprint from the history prints once more and ships nothing.
	ht.selected = 0
	test.Tap(ht.reprint)
	h.Wait()
	if len(h.PDFs()) != 2 {
		t.Fatalf("labels: %v", h.PDFs())
	}
	if lo := h.Ledger(id); lo.OutstorageAttempts != 1 {
		t.Fatalf("reprint shipped: %+v", lo)
	}
}

func TestBatchStopAndResume(t *testing.T) {
	h, total := printThenStop(t)
	bt := h.batch
	printed := len(h.PDFs())
	if printed == 0 || printed >= total {
		t.Fatalf("%d of %d printed before the stop: the test needs a stop in the middle", printed, total)
	}
	if !strings.Contains(bt.rate.Text, "已停止") || !bt.stopBtn.Disabled() {
		t.Fatalf("after stop: %q", bt.rate.Text)
	}
	// Running it again prints the rest, and nothing twice.
	test.Tap(bt.PrintBtn)
	mustConfirm(t, h)
	h.Wait()
	if got := len(h.PDFs()); got != total {
		t.Fatalf("%d labels for %d orders after resuming", got, total)
	}
	if bt.bar.Value != 1 {
		t.Fatalf("progress %v", bt.bar.Value)
	}
}

// watchRate runs the window's updates while the tab works and returns every text its progress
// line showed, until done says the work ended.
func (h *testHost) watchRate(done func() bool) []string {
	var seen []string
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {
		h.RunQueued()
		if txt := h.batch.rate.Text; len(seen) == 0 || seen[len(seen)-1] != txt {
			seen = append(seen, txt)
		}
		if done() {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.Wait()
	return seen
}

// TestBatchListsPastJDsWindow: with more orders waiting than JD hands out in one search, the
// batch tab lists them all, and says how far the listing has come while it lists.
func TestBatchListsPastJDsWindow(t *testing.T) {
	h := newHost(t, func(o *jostest.Options) { o.Orders = 7000 })
	bt := h.batch
	waiting := h.Sim.OrderIDs("", printdata.StateWaitStockOut)
	if len(waiting) <= printdata.SearchWindow {
		t.Fatalf("%d orders waiting: the test needs more than %d", len(waiting), printdata.SearchWindow)
	}
	test.Tap(bt.query)
	seen := h.watchRate(func() bool { return !bt.query.Disabled() })
	if len(bt.rows) != len(waiting) {
		t.Fatalf("the list shows %d orders, the simulator has %d waiting", len(bt.rows), len(waiting))
	}
	listing := 0
	for _, s := range seen {
		if strings.HasPrefix(s, "正在列出订单：已列 ") {
			listing++
		}
	}
	if listing == 0 {
		t.Errorf("no listing progress shown; the line showed %q", seen)
	}
}

// TestBatchShowsRateCut: under JD's quota the batch slows down, says so on its progress line
// ("京东限流"), and still prints every order.
func TestBatchShowsRateCut(t *testing.T) {
	// One call a second: any two calls in one second meet the quota, however slow the run (-race).
	h := newHost(t, func(o *jostest.Options) { o.Quota = 1 })
	bt := h.batch
	test.Tap(bt.query)
	h.Wait()
	n := 0
	for _, r := range bt.rows {
		if r.order.Type != printdata.SOP && n < 4 {
			r.selected = true
			n++
		}
	}
	test.Tap(bt.PrintBtn)
	mustConfirm(t, h)
	seen := h.watchRate(func() bool { return !bt.running })
	if got := h.PDFs(); len(got) != n {
		t.Fatalf("%d labels for %d orders", len(got), n)
	}
	cut := false
	for _, s := range seen {
		cut = cut || strings.Contains(s, "京东限流：已降至")
	}
	if !cut || h.Sim.QuotaRefusals() == 0 {
		t.Errorf("after %d quota refusals the line showed %q", h.Sim.QuotaRefusals(), seen)
	}
}

// mustConfirm answers the batch's confirmation with yes: every run asks first.
func mustConfirm(t *testing.T, h *testHost) {
	t.Helper()
	if h.Confirm() == nil {
		t.Fatalf("the batch started without asking (infos %q)", h.Infos())
	}
}

// After a stop the bar shows where the batch stopped (not 100%) and how many are left; a failed
// row's full text shows when it is clicked; orders shipped elsewhere (the scan tab) show as
// shipped when the tab is shown again.
func TestBatchStopBarDetailAndRefresh(t *testing.T) {
	h, total := printThenStop(t)
	bt := h.batch
	if v := bt.bar.Value; v >= 1 || v <= 0 {
		t.Errorf("after the stop the bar shows %v of %d orders", v, total)
	}
	if !strings.Contains(bt.rate.Text, "还剩") {
		t.Errorf("after the stop: %q", bt.rate.Text)
	}

	// An order shipped on the scan tab meanwhile.
	var other *batchRow
	for _, r := range bt.rows {
		if !r.printed && r.order.Type != printdata.SOP {
			other = r
			break
		}
	}
	if other == nil {
		t.Fatal("no unprinted LBP/SOPL row left")
	}
	if _, err := h.Station().Ship(h.Ctx(), ship.Shipment{OrderID: other.order.ID, Carriers: []journal.CarrierWaybills{{LogisticsID: "0"}}}); err != nil {
		t.Fatal(err)
	}
	bt.Shown()
	h.Wait()
	if !other.shipped || !strings.Contains(bt.rowStatus(other), "已发货") {
		t.Errorf("the order shipped elsewhere shows %q", bt.rowStatus(other))
	}

	// A failed row: clicking it shows the whole reason.
	other.err, other.failStep = errors.New("x"), "ship"
	bt.list.Select(bt.index[other.order.ID])
	if !bt.detail.Visible() || !strings.Contains(bt.detail.Text, other.order.ID) {
		t.Errorf("detail %v %q", bt.detail.Visible(), bt.detail.Text)
	}
}

// printThenStop prints every listed order on a slow simulator and stops once a few labels are
// out (the simulator's latency keeps the batch going meanwhile); total is how many were listed.
func printThenStop(t *testing.T) (h *testHost, total int) {
	t.Helper()
	h = newHost(t, func(o *jostest.Options) { o.Latency = 40 * time.Millisecond })
	bt := h.batch
	test.Tap(bt.query)
	h.Wait()
	total = len(bt.rows)
	test.Tap(bt.selAll)
	test.Tap(bt.PrintBtn)
	mustConfirm(t, h)
	if bt.stopBtn.Disabled() {
		t.Fatal("stop is not offered while the batch runs")
	}
	for deadline := time.Now().Add(30 * time.Second); len(h.PDFs()) < 3 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	test.Tap(bt.stopBtn)
	h.Wait()
	return h, total
}

// History's note column reads in the window's language: an order JD refused (locked after it was
// printed) says so in Chinese, not in the journal's English.
func TestHistoryNotesAreTranslated(t *testing.T) {
	h := newHost(t)
	id := h.OrderOf(shop.TypeLBP, 0)
	sc := scan.New(h.Station().Station, scan.Options{Mode: scan.ModePrint})
	if r := sc.Submit(context.Background(), id); r.Status != scan.Printed {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	h.Sim.SetState(id, printdata.StateLocked)
	sc.SetOptions(scan.Options{Mode: scan.ModePrintShip})
	sc.Submit(context.Background(), id)
	ht := h.history
	ht.Reload()
	h.Wait()
	var note string
	for _, e := range ht.entries {
		if e.OrderID == id {
			note = ht.cell(e, colNote)
			if e.Reason == "" || strings.Contains(note, e.Reason) {
				t.Errorf("journal reason %q, note %q", e.Reason, note)
			}
		}
	}
	if !strings.Contains(note, "锁定") {
		t.Errorf("note %q", note)
	}
}

// fixedScale always reads the same steady weight.
type fixedScale int

func (g fixedScale) Weigh(context.Context, bool) (int, error) { return int(g), nil }

// History shows each order's verification and the parcel's weight.
func TestHistoryShowsVerificationAndWeight(t *testing.T) {
	h := newHost(t)
	id := h.OrderOf(shop.TypeLBP, 0)
	w := shop.Wares(jostest.DefaultSeed)[1]
	h.Sim.Edit(id, func(o *shop.Order) {
		o.Items = []shop.Item{{WareID: w.WareID, SkuID: w.SkuID, OuterID: w.OuterID, Name: w.Name, Num: 1, Price: 100}}
	})
	sc := scan.New(h.Station().Station, scan.Options{Mode: scan.ModeShipOnly, Verify: true,
		Catalog: products.NewCatalog(shop.Products(jostest.DefaultSeed)), Scale: fixedScale(w.WeightG + 1000)})
	sc.Submit(context.Background(), id)
	if r := sc.Submit(context.Background(), w.Barcode); r.Status != scan.Held {
		t.Fatalf("overweight: %v %v", r.Status, r.Err)
	}
	if r := sc.Submit(context.Background(), ":accept"); r.Status != scan.Shipped {
		t.Fatalf("accepted: %v %v", r.Status, r.Err)
	}
	ht := h.history
	ht.Reload()
	h.Wait()
	want := fmt.Sprintf("验货 ✓ %.2f kg (重量异常，已放行)", float64(w.WeightG+1000)/1000)
	for _, e := range ht.entries {
		if e.OrderID == id {
			if got := ht.cell(e, colPack); got != want {
				t.Errorf("pack column %q, want %q", got, want)
			}
			return
		}
	}
	t.Errorf("order %s not in the history", id)
}

// On a shared journal the history shows who worked on each order and filters by station,
// packer (its 工号 alone) and day.
func TestHistoryFiltersByStationAndPacker(t *testing.T) {
	h := newHost(t)
	ids := []string{h.OrderOf(shop.TypeLBP, 0), h.OrderOf(shop.TypeLBP, 1)}
	st := h.Station().Station
	sc := scan.New(st, scan.Options{Mode: scan.ModePrint})
	for i, id := range ids {
		st.Journal().SetWho(journal.Who{Station: fmt.Sprint("台", i+1), Packer: fmt.Sprintf("100%d 张%d", i, i)})
		if r := sc.Submit(context.Background(), id); r.Status != scan.Printed {
			t.Fatalf("scan %s: %v %v", id, r.Status, r.Err)
		}
	}
	ht := h.history
	show := func(station, packer, day string) []string {
		ht.Station.SetText(station)
		ht.Packer.SetText(packer)
		ht.Day.SetText(day)
		test.Tap(ht.find)
		h.Wait()
		var got []string
		for _, e := range ht.entries {
			got = append(got, e.OrderID)
		}
		return got
	}
	if got := show("台2", "", ""); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("station 台2: %v", got)
	}
	if got := show("", "1000", ""); len(got) != 1 || got[0] != ids[0] || ht.cell(ht.entries[0], colWho) != "台1 · 1000 张0" {
		t.Errorf("packer 1000: %v", got)
	}
	if got := show("", "", time.Now().Format("2006-01-02")); len(got) != 2 {
		t.Errorf("today: %v", got)
	}
	if got := show("", "", time.Now().AddDate(0, 0, -1).Format("2006-01-02")); len(got) != 0 {
		t.Errorf("yesterday: %v", got)
	}
	test.Tap(ht.all)
	h.Wait()
	if len(ht.entries) != 2 || ht.Station.Text != "" {
		t.Errorf("all: %d entries", len(ht.entries))
	}
}

// 领取 N 单 selects this station's share of the listed orders: not those another station on
// the journal claimed, and the run gives the claims back when it ends.
func TestBatchClaimsAShare(t *testing.T) {
	h := newHost(t)
	bt := h.batch
	test.Tap(bt.query)
	h.Wait()
	var ids []string
	for _, r := range bt.rows {
		ids = append(ids, r.order.ID)
	}
	if len(ids) < 6 {
		t.Fatalf("%d orders listed", len(ids))
	}
	other, err := sqljournal.OpenSQLite(context.Background(), h.Journal)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetWho(journal.Who{Station: "另一台"})
	theirs, err := other.ClaimBatch(context.Background(), journal.BatchClaim{Candidates: ids, N: 2, Until: time.Now().Add(time.Minute)})
	if err != nil || len(theirs) != 2 {
		t.Fatalf("the other station claimed %v, %v", theirs, err)
	}
	bt.ClaimN.SetText("3")
	test.Tap(bt.ClaimBtn)
	h.Wait()
	var selected []string
	for _, r := range bt.rows {
		if r.selected {
			selected = append(selected, r.order.ID)
		}
	}
	if want := ids[2:5]; !slices.Equal(selected, want) {
		t.Fatalf("selected %v, want %v (the first two are the other station's)", selected, want)
	}
	if !strings.Contains(bt.rate.Text, "已领取 3 单") {
		t.Errorf("says %q", bt.rate.Text)
	}
	// While this station holds them, the other cannot have them.
	if got, _ := other.ClaimBatch(context.Background(), journal.BatchClaim{Candidates: ids[2:5], N: 3, Until: time.Now().Add(time.Minute)}); len(got) != 0 {
		t.Errorf("the other station took %v", got)
	}
	bt.ClaimN.SetText("x")
	test.Tap(bt.ClaimBtn)
	h.Wait()
	if infos := h.Infos(); len(infos) == 0 || !strings.Contains(infos[len(infos)-1], "单数") {
		t.Errorf("a claim of x orders said %q", infos)
	}
}
