package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"station/jdorder"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/settings"
	"station/ui/look"
)

// A scan shows the order's remarks on the scan tab, the merchant's in large type; a delete
// request sent from the tab refuses the next scan of that order, nothing printed or shipped.
func TestScanTabRemarksAndDeleteRequest(t *testing.T) {
	h := newHarness(t)
	id := h.orderOf(shop.TypeLBP, 0)
	if err := h.Sim.Edit(id, func(o *shop.Order) { o.VenderRemark, o.Remark = "送赠品", "不要发票" }); err != nil {
		t.Fatal(err)
	}
	h.scan(id)
	n := h.app.scan.Notes
	if !n.Content.Visible() || !strings.Contains(n.Merchant.Text, "送赠品") || !strings.Contains(n.Buyer.Text, "不要发票") {
		t.Fatalf("notes: visible %v, %q / %q", n.Content.Visible(), n.Merchant.Text, n.Buyer.Text)
	}
	if n.Merchant.SizeName != look.SizeRemark {
		t.Error("the merchant's remark is not in the large size")
	}
	// The strip follows a language switch.
	test.Tap(h.app.status.langBtn)
	if !strings.HasPrefix(n.Merchant.Text, "Merchant's remark: 送赠品") || !strings.HasPrefix(n.Buyer.Text, "Buyer's remark") || n.DeleteBtn.Text != "Ask JD to delete" {
		t.Errorf("in English: %q / %q / %q", n.Merchant.Text, n.Buyer.Text, n.DeleteBtn.Text)
	}
	test.Tap(h.app.status.langBtn)

	// The packer notes a remark on it from the strip.
	test.Tap(n.RemarkBtn)
	if h.app.DialogsOpen() != 1 {
		t.Fatalf("the remark button opened %d dialogs", h.app.DialogsOpen())
	}
	n.Dialog.Hide()
	n.SaveRemark(id, "缺货，已联系客户", jdorder.FlagRed)
	h.app.wait()
	if l := h.ledger(id); l.RemarkUpdates != 1 || !strings.Contains(n.Merchant.Text, "缺货，已联系客户") {
		t.Fatalf("after saving: %d updates at JD, strip %q", l.RemarkUpdates, n.Merchant.Text)
	}

	// Another order, printed only: an item is out of stock, the packer asks JD to delete it.
	h.app.scan.SetMode(settings.ScanPrint)
	other := h.orderOf(shop.TypeLBP, 1)
	h.scan(other)
	if n.OrderID != other {
		t.Fatalf("the strip is for %s, want %s", n.OrderID, other)
	}
	before := len(h.pdfs())
	test.Tap(n.DeleteBtn)
	if n.Dialog == nil {
		t.Fatal("the delete button opened no dialog")
	}
	n.Dialog.Hide()
	n.ApplyDelete(other, jdorder.DeleteReason(1), "")
	h.app.wait()
	b := h.app.scan.Banner
	if b.Kind() != look.Warn || !strings.Contains(b.Title(), "已申请删单") {
		t.Fatalf("after the request: banner %v %q / %q", b.Kind(), b.Title(), b.Detail())
	}
	if l := h.ledger(other); !l.DeletePending {
		t.Fatalf("JD has no delete request: %+v", l)
	}
	h.app.scan.SetMode(settings.ScanPrintShip)
	if err := h.Sim.Edit(other, func(o *shop.Order) { o.VenderRemark = "加急" }); err != nil {
		t.Fatal(err)
	}
	h.scan(other)
	if texts := strings.Join(h.app.scan.ExcList.Texts(), "\n"); !strings.Contains(texts, other) || !strings.Contains(texts, "商家备注：加急") {
		t.Errorf("the exception list does not repeat the merchant's remark with the order:\n%s", texts)
	}
	if b.Kind() != look.Fail || !strings.Contains(b.Detail(), "已申请删单") {
		t.Fatalf("the next scan: banner %v %q / %q", b.Kind(), b.Title(), b.Detail())
	}
	if l := h.ledger(other); l.OutstorageAttempts != 0 {
		t.Errorf("outstorage was sent for a held order: %+v", l)
	}
	if got := len(h.pdfs()); got != before {
		t.Errorf("%d labels printed for the held order", got-before)
	}
	if !h.focused() {
		t.Error("the scan field lost the keyboard")
	}

	// The strip now withdraws the request; the order then goes through.
	if !n.Held || n.DeleteBtn.Text != "撤销删单" {
		t.Fatalf("after the refused scan: held %v, button %q", n.Held, n.DeleteBtn.Text)
	}
	n.WithdrawDelete(other)
	h.app.wait()
	if l := h.ledger(other); l.DeletePending {
		t.Fatalf("the request was not withdrawn: %+v", l)
	}
	h.scan(other)
	if l := h.ledger(other); b.Kind() != look.OK || l.OutstorageAccepted != 1 {
		t.Fatalf("after the withdrawal: banner %v %q, ledger %+v", b.Kind(), b.Detail(), l)
	}
}

// An overseas order ships from the scan line through both of its calls.
func TestScanShipsAnOverseasOrder(t *testing.T) {
	h := newHarness(t, func(o *jostest.Options) { o.Overseas = 4 })
	id := h.orderOf(shop.TypeOverseas, 0)
	h.scan(id)
	if h.app.scan.Awaiting != id {
		t.Fatalf("an overseas order waits for its waybill like SOP: awaiting %q, banner %q", h.app.scan.Awaiting, h.app.scan.Banner.Detail())
	}
	h.scan("SF1234567890123")
	b := h.app.scan.Banner
	if b.Kind() != look.OK {
		t.Fatalf("banner %v %q / %q", b.Kind(), b.Title(), b.Detail())
	}
	if l := h.ledger(id); l.OutstorageAccepted != 1 || l.DeliveryAccepted != 1 || l.Shipments[0].Waybill != "SF1234567890123" {
		t.Fatalf("ledger %+v", l)
	}
}

// JD's own label of the previewed order comes up beside the station's, and nothing is printed.
func TestPreviewComparesJDLabel(t *testing.T) {
	h := newHarness(t)
	id := h.orderOf(shop.TypeLBP, 0)
	if h.app.scan.JDLabelBtn.Visible() {
		t.Fatal("the JD label button shows without a preview")
	}
	h.scan(id)
	if !h.app.scan.JDLabelBtn.Visible() {
		t.Fatal("no JD label button beside the preview")
	}
	labels := len(h.pdfs())
	test.Tap(h.app.scan.JDLabelBtn)
	h.app.wait()
	l := h.app.scan.JDLabelShown()
	if l == nil || l.OrderID != id || l.Barcode == nil || !strings.Contains(strings.Join(l.Lines, "\n"), id) {
		t.Fatalf("JD's label: %+v", l)
	}
	if h.app.DialogsOpen() != 1 {
		t.Errorf("%d dialogs open, want the comparison", h.app.DialogsOpen())
	}
	if got := len(h.pdfs()); got != labels {
		t.Errorf("showing JD's label printed %d labels", got-labels)
	}
}
