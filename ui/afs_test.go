package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"station/jos/jostest/shop"
	"station/journal"
)

// Ctrl+6 opens the returns desk with its field ready; a returned parcel scanned after a click
// elsewhere on the desk still lands in the desk's field, not on the scan line; the board counts
// the returns booked today.
func TestReturnsDeskTakesItsScans(t *testing.T) {
	h := newHarness(t)
	a := h.app
	id := h.orderOf(shop.TypeLBP, 0)
	h.scan(id) // printed and shipped
	if !a.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key6, Modifier: fyne.KeyModifierShortcutDefault}) ||
		a.tabs.Selected().Content != a.desk.Content {
		t.Fatal("Ctrl+6 does not open the returns desk")
	}
	c := a.Window().Canvas()
	if c.Focused() != a.desk.Lookup {
		t.Fatal("the desk's field does not have the keyboard")
	}
	c.Unfocus()
	test.TypeOnCanvas(c, id)
	typeKey(c, fyne.KeyReturn)
	a.wait()
	if a.desk.OrderID != id {
		t.Fatalf("the desk shows %q after a scan with nothing focused; scan field %q", a.desk.OrderID, a.scan.Entry.Text)
	}
	if l := h.ledger(id); l.OutstorageAttempts != 1 {
		t.Fatalf("the scan reached the scan line: %+v", l)
	}
	a.desk.Condition.SetSelected("完好")
	test.Tap(a.desk.ReceiveBtn)
	a.wait()
	s, release, err := a.use(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Journal().Returns(context.Background(), journal.ReturnFilter{Query: id})
	release()
	if len(rs) != 1 || rs[0].Condition != journal.ReturnGood {
		t.Fatalf("booked %+v", rs)
	}
	a.tabs.SelectIndex(4)
	a.board.Refresh()
	a.wait()
	if !strings.Contains(a.board.Title(), "今日收到退货 1 件") {
		t.Errorf("the board's title %q does not count the return", a.board.Title())
	}
}
