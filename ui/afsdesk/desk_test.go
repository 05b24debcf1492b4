package afsdesk

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"station/afs"
	"station/fulfill/fulfilltest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/ship"
	"station/ui/uitest"
)

func newDesk(t *testing.T) (*uitest.Host, *Desk) {
	t.Helper()
	h := uitest.NewHost(t)
	var d *Desk
	h.Open(func() fyne.CanvasObject {
		d = New(h)
		return d.Content
	})
	h.Wait()
	return h, d
}

// The desk finds an order by the waybill its parcel went out with, creates a case with the
// type and expectation JD wants together, shows it with its schedule, cancels it after a
// confirmation and books the returned parcel.
func TestDeskCreatesShowsCancelsAndBooks(t *testing.T) {
	h, d := newDesk(t)
	ctx := context.Background()
	id := h.OrderOf(shop.TypeSOP, 0)
	if _, err := h.Station().Ship(ctx, ship.Shipment{OrderID: id, Carriers: []journal.CarrierWaybills{fulfilltest.CW("467", "SF1234567890321")}}); err != nil {
		t.Fatal(err)
	}
	// The parcel comes back: its waybill is scanned into the desk, the scanner ending it with Tab.
	test.Type(d.Lookup, "SF1234567890321")
	d.Lookup.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	h.Wait()
	if d.OrderID != id || len(d.Cases) != 0 || !strings.Contains(d.Status.Text, id) {
		t.Fatalf("found %q, %d cases, status %q", d.OrderID, len(d.Cases), d.Status.Text)
	}

	// Apply for a return: the expectation follows the type.
	d.Type.SetSelectedIndex(0) // 10 退货
	if !strings.Contains(d.expect.Text, "退款") {
		t.Fatalf("a return's expectation shows %q", d.expect.Text)
	}
	test.Tap(d.ApplyBtn)
	h.Wait()
	if len(h.Sim.AfsCases(id)) != 0 || !strings.Contains(d.Status.Text, "问题描述") {
		t.Fatalf("an application without a description: %q, %d cases", d.Status.Text, len(h.Sim.AfsCases(id)))
	}
	test.Type(d.Desc, "外箱破损，屏幕碎裂")
	test.Tap(d.ApplyBtn)
	h.Wait()
	cases := h.Sim.AfsCases(id)
	if len(cases) != 1 || cases[0].Type != int(afs.TypeReturn) || cases[0].Expect != int(afs.ExpectRefund) {
		t.Fatalf("JD has %+v; status %q", cases, d.Status.Text)
	}
	if len(d.Cases) != 1 || !strings.Contains(d.CaseTexts()[0], "待审核") || !strings.Contains(d.CaseTexts()[0], "外箱破损") ||
		!strings.Contains(d.CaseTexts()[0], "售后申请已提交") {
		t.Fatalf("the case on screen: %q", d.CaseTexts())
	}

	// The same application again is refused before it is sent.
	test.Type(d.Desc, "again")
	test.Tap(d.ApplyBtn)
	h.Wait()
	if len(h.Sim.AfsCases(id)) != 1 || !strings.Contains(d.Status.Text, "没有重复提交") {
		t.Fatalf("a second application: %q, %d cases", d.Status.Text, len(h.Sim.AfsCases(id)))
	}

	// Cancel, with a confirmation.
	d.AskCancel(cases[0].ID)
	if h.Confirm() == nil {
		t.Fatal("no confirmation before cancelling")
	}
	h.Wait()
	if st := h.Sim.AfsCases(id)[0].Status; st != 4 || !strings.Contains(d.CaseTexts()[0], "已取消") {
		t.Fatalf("after cancelling: status %d, %q", st, d.CaseTexts())
	}
	if !strings.Contains(d.Status.Text, "已取消") {
		t.Errorf("the status line does not say the case was cancelled: %q", d.Status.Text)
	}

	// Book the parcel: damaged needs a note.
	d.Condition.SetSelected("破损")
	test.Tap(d.ReceiveBtn)
	h.Wait()
	if rs, _ := h.Station().Returns(ctx, journal.ReturnFilter{Query: id}); len(rs) != 0 || !strings.Contains(d.Status.Text, "备注") {
		t.Fatalf("damaged without a note: %q, %d booked", d.Status.Text, len(rs))
	}
	test.Type(d.Note, "外箱压坏")
	d.CaseSel.SetSelectedIndex(0)
	test.Tap(d.ReceiveBtn)
	h.Wait()
	rs, _ := h.Station().Returns(ctx, journal.ReturnFilter{Query: "SF1234567890321"})
	if len(rs) != 1 || rs[0].Condition != journal.ReturnDamaged || rs[0].CaseID != cases[0].ID || rs[0].Note != "外箱压坏" {
		t.Fatalf("booked %+v; status %q", rs, d.Status.Text)
	}
	if !strings.Contains(d.booked.Text, "外箱压坏") {
		t.Errorf("the desk does not list the return: %q", d.booked.Text)
	}
}

// A case's contact is masked on screen.
func TestDeskMasksTheContact(t *testing.T) {
	h, d := newDesk(t)
	for _, c := range h.Sim.AfsCases("") {
		d.Show(c.OrderID)
		h.Wait()
		text := strings.Join(d.CaseTexts(), "\n")
		if !strings.Contains(text, "****") {
			t.Fatalf("the contact's phone is not masked: %q", text)
		}
		return
	}
	t.Fatal("the simulator made no after-sales case")
}

// A return's note, typed at any station on the journal, is made safe before the desk shows it.
func TestDeskShowsNotesSafely(t *testing.T) {
	h, d := newDesk(t)
	id := h.OrderOf(shop.TypeSOP, 0)
	if _, err := h.Station().ReceiveReturn(context.Background(), journal.Return{OrderID: id, Condition: journal.ReturnDamaged,
		Note: "外箱压坏\x1b[2J\x07\u202e"}); err != nil {
		t.Fatal(err)
	}
	d.Show(id)
	h.Wait()
	if !strings.Contains(d.booked.Text, "外箱压坏") || strings.ContainsAny(d.booked.Text, "\x1b\x07\u202e") {
		t.Fatalf("the note on screen: %q", d.booked.Text)
	}
}

// A parcel scanned while a field or drop-down of the desk has the keyboard is looked up; the
// field is left as it was.
func TestDeskScanIntoAFieldLooksUp(t *testing.T) {
	h, d := newDesk(t)
	first, second := h.OrderOf(shop.TypeSOP, 0), h.OrderOf(shop.TypeLBP, 0)
	d.Show(first)
	h.Wait()
	test.Type(d.Note, second)
	d.Note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.Wait()
	if d.OrderID != second || d.Note.Text != "" {
		t.Fatalf("a scan into the note: desk on %q, note %q", d.OrderID, d.Note.Text)
	}
	for _, r := range first {
		d.Type.TypedRune(r)
	}
	d.Type.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.Wait()
	if d.OrderID != first {
		t.Fatalf("a scan into the type drop-down: desk on %q", d.OrderID)
	}
}
