package scantab

import (
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/jdorder"
	"station/journal"
	"station/scan"
	"station/ship"
	"station/ui/choice"
	"station/ui/keys"
	"station/ui/look"
)

// Notes is the scan tab's strip for the last scanned order: the merchant's remark in large
// type with its colour (packers act on 送赠品, 不要发票, 加急), the buyer's beside it, and the
// two things a packer does about the order from here — note a remark (缺货，已联系客户), and
// ask JD to delete it when an item is out of stock or the address cannot be served.
type Notes struct {
	t        *Tab
	Content  fyne.CanvasObject
	Merchant *widget.Label
	Buyer    *widget.Label
	swatch   *canvas.Rectangle
	// RemarkBtn and DeleteBtn open their dialogs for OrderID.
	RemarkBtn, DeleteBtn *widget.Button
	OrderID              string
	// Dialog is the remark or delete dialog while it is open.
	Dialog dialog.Dialog
	// Held: the order has a delete request; DeleteBtn withdraws it.
	Held bool

	remark    jdorder.Remark // of OrderID, as last read
	remarkErr error
	buyer     string
}

// flagColours are JD's remark colours (§18: 0 grey … 5 purple).
var flagColours = [...]color.NRGBA{{0x9e, 0x9e, 0x9e, 0xff}, {0xe5, 0x39, 0x35, 0xff}, {0xf9, 0xa8, 0x25, 0xff},
	{0x43, 0xa0, 0x47, 0xff}, {0x1e, 0x88, 0xe5, 0xff}, {0x8e, 0x24, 0xaa, 0xff}}

func newNotes(t *Tab) *Notes {
	tr := t.a.Tr()
	n := &Notes{t: t}
	n.Merchant = widget.NewLabel("")
	n.Merchant.SizeName = look.SizeRemark
	n.Merchant.TextStyle = fyne.TextStyle{Bold: true}
	n.Merchant.Wrapping = fyne.TextWrapWord
	n.Buyer = widget.NewLabel("")
	n.Buyer.Wrapping = fyne.TextWrapWord
	n.swatch = canvas.NewRectangle(flagColours[0])
	n.swatch.SetMinSize(fyne.NewSize(10, 10))
	n.RemarkBtn = t.a.Button("", n.openRemark)
	n.DeleteBtn = t.a.Button("", func() {
		if n.Held {
			n.openWithdraw()
		} else {
			n.openDelete()
		}
	})
	n.DeleteBtn.Importance = widget.WarningImportance
	tr.Bind(n.render)
	text := container.NewVBox(n.Merchant, n.Buyer)
	n.Content = container.NewBorder(nil, nil, n.swatch, container.NewHBox(n.RemarkBtn, n.DeleteBtn), text)
	n.Content.Hide()
	return n
}

func (n *Notes) label() {
	tr := n.t.a.Tr()
	n.RemarkBtn.SetText(tr.T("notes.edit"))
	if n.Held {
		n.DeleteBtn.SetText(tr.T("hist.delete.cancel"))
	} else {
		n.DeleteBtn.SetText(tr.T("notes.delete"))
	}
}

func (n *Notes) setHeld(held bool) {
	n.Held = held
	n.label()
}

// Show puts the remarks of a scan's order up; a scan without an order leaves them as they are.
func (n *Notes) Show(r scan.Result) {
	if r.OrderID == "" || r.Status == scan.Rejected && r.Remark == nil {
		return
	}
	n.OrderID = r.OrderID
	n.Held = errors.Is(r.Err, ship.ErrDeleteRequested)
	switch {
	case r.Remark != nil:
		n.remark, n.remarkErr = *r.Remark, nil
	case r.RemarkErr != nil:
		n.remark, n.remarkErr = jdorder.Remark{}, r.RemarkErr
	}
	n.buyer = strings.TrimSpace(r.BuyerRemark)
	n.render()
	n.Content.Show()
}

// render writes the strip in the window's language (again when it is switched).
func (n *Notes) render() {
	tr := n.t.a.Tr()
	n.label()
	switch {
	case n.remarkErr != nil:
		n.Merchant.SetText(tr.F("notes.merchant.unread", tr.M(explain.Error(n.remarkErr))))
	case n.remark.Text != "":
		n.Merchant.SetText(tr.F("notes.merchant", n.remark.Text))
	default:
		n.Merchant.SetText(tr.T("notes.merchant.none"))
	}
	n.paint()
	if n.buyer == "" {
		n.Buyer.SetText(tr.T("notes.buyer.none"))
	} else {
		n.Buyer.SetText(tr.F("notes.buyer", n.buyer))
	}
}

func (n *Notes) paint() {
	f := int(n.remark.Flag)
	if f < 0 || f >= len(flagColours) {
		f = 0
	}
	n.swatch.FillColor = flagColours[f]
	n.swatch.Refresh()
	if n.remark.Flag == jdorder.FlagRed {
		n.Merchant.Importance = widget.DangerImportance
	} else {
		n.Merchant.Importance = widget.MediumImportance
	}
	n.Merchant.Refresh()
}

// sinkEntry is a dialog's text field that hands a scanner's burst to the scan line.
func (n *Notes) sinkEntry() *keys.Entry {
	return keys.NewEntry(func(code string) { n.t.SubmitLine(code) }, false)
}

func (n *Notes) openRemark() {
	if n.OrderID == "" {
		return
	}
	tr := n.t.a.Tr()
	id := n.OrderID
	entry := n.sinkEntry()
	entry.SetPlaceHolder(tr.T("notes.edit.placeholder"))
	entry.MultiLine = false
	colour := choice.RemarkColour(tr, n.remark.Flag)
	form := container.NewVBox(widget.NewLabel(tr.F("notes.edit.text", id)), entry, colour)
	d := dialog.NewCustomConfirm(tr.T("notes.edit.title"), tr.T("notes.edit.save"), tr.T("notes.cancel"), form, func(ok bool) {
		if ok {
			n.SaveRemark(id, entry.Text, choice.Flag(colour))
		}
	}, n.t.a.Window())
	d.Resize(fyne.NewSize(520, 260))
	n.show(d)
	n.t.a.Window().Canvas().Focus(entry)
}

func (n *Notes) show(d dialog.Dialog) {
	n.Dialog = d
	n.t.a.ShowDialog(d)
	d.SetOnClosed(func() {
		n.Dialog = nil
		n.t.a.Refocus()
	})
}

// SaveRemark replaces the order's merchant remark at JD, off the UI goroutine; the strip and
// the banner say how it went.
func (n *Notes) SaveRemark(orderID, text string, flag jdorder.RemarkFlag) {
	a := n.t.a
	a.Go("remark", func() {
		s, release, err := a.ScanSession(a.Ctx())
		var r jdorder.Remark
		if err == nil {
			r, err = s.Workflows().SetRemark(a.Ctx(), orderID, text, flag)
			release()
		}
		a.Do(func() {
			tr := a.Tr()
			if err != nil {
				n.t.Banner.Show(look.Fail, func() (string, string) { return tr.T("notes.edit.failed"), tr.M(explain.Error(err)) })
				return
			}
			if n.OrderID == orderID {
				n.remark, n.remarkErr = r, nil
				n.render()
			}
			n.t.Banner.Show(look.OK, func() (string, string) { return tr.T("notes.edit.saved") + "  " + orderID, r.Text })
		})
	})
}

func (n *Notes) openDelete() {
	if n.OrderID == "" {
		return
	}
	tr := n.t.a.Tr()
	id := n.OrderID
	reason, chosen := choice.DeleteReason(tr)
	text := n.sinkEntry()
	text.SetPlaceHolder(tr.T("notes.delete.placeholder"))
	form := container.NewVBox(widget.NewLabel(tr.F("notes.delete.text", id)), reason, text)
	d := dialog.NewCustomConfirm(tr.T("notes.delete.title"), tr.T("notes.delete.send"), tr.T("notes.cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		if r, picked := chosen(); picked {
			n.ApplyDelete(id, r, text.Text)
		} else {
			n.t.Banner.Show(look.Fail, func() (string, string) { return tr.T("notes.delete.failed") + "  " + id, tr.T("notes.delete.noreason") })
		}
	}, n.t.a.Window())
	d.Resize(fyne.NewSize(640, 300))
	n.show(d)
}

// ApplyDelete asks JD to delete the order, off the UI goroutine: from then on the scan line
// refuses it (the journal holds it), which the banner says.
func (n *Notes) ApplyDelete(orderID string, reason jdorder.DeleteReason, text string) {
	a := n.t.a
	a.Go("delete", func() {
		s, release, err := a.ScanSession(a.Ctx())
		var rec journal.DeleteRequest
		if err == nil {
			rec, err = s.Workflows().ApplyDelete(a.Ctx(), jdorder.DeleteRequest{OrderID: orderID, Reason: reason, Text: text})
			release()
		}
		a.Do(func() {
			tr := a.Tr()
			if err != nil && !rec.Holds() {
				n.t.Banner.Show(look.Fail, func() (string, string) { return tr.T("notes.delete.failed") + "  " + orderID, tr.M(explain.Error(err)) })
				return
			}
			if n.OrderID == orderID {
				n.setHeld(rec.Holds())
			}
			if n.t.packing == orderID {
				// The order under verification will not be shipped: it goes to the exception
				// list, the request its reason.
				n.t.decide("aside", tr.T("notes.delete.sent")+"："+tr.M(explain.DeleteReason(rec.Reason)))
				return
			}
			n.t.Banner.Show(look.Warn, func() (string, string) {
				return tr.T("notes.delete.sent") + "  " + orderID, tr.F("notes.delete.held", tr.M(explain.DeleteState(rec.State)), tr.M(explain.DeleteReason(rec.Reason)))
			})
		})
	})
}

func (n *Notes) openWithdraw() {
	if n.OrderID == "" {
		return
	}
	tr := n.t.a.Tr()
	id := n.OrderID
	d := dialog.NewConfirm(tr.T("hist.delete.cancel"), tr.F("notes.withdraw.text", id), func(ok bool) {
		if ok {
			n.WithdrawDelete(id)
		}
	}, n.t.a.Window())
	n.show(d)
}

// WithdrawDelete withdraws the order's delete request at JD, off the UI goroutine: the order
// can be scanned again.
func (n *Notes) WithdrawDelete(orderID string) {
	a := n.t.a
	a.Go("delete", func() {
		s, release, err := a.ScanSession(a.Ctx())
		if err == nil {
			_, err = s.Workflows().CancelDelete(a.Ctx(), orderID)
			release()
		}
		a.Do(func() {
			tr := a.Tr()
			if err != nil {
				n.t.Banner.Show(look.Fail, func() (string, string) { return tr.T("notes.delete.failed") + "  " + orderID, tr.M(explain.Error(err)) })
				return
			}
			if n.OrderID == orderID {
				n.setHeld(false)
			}
			n.t.Banner.Show(look.OK, func() (string, string) {
				return tr.T("hist.delete.cancel") + "  " + orderID, tr.F("hist.delete.withdrawn", orderID)
			})
		})
	})
}
