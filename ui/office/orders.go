package office

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/fulfill"
	"station/jdorder"
	"station/journal"
	"station/ui/choice"
	"station/ui/keys"
)

// The history's actions on the selected order at JD beside reprint and waybill correction:
// its logistics track as a timeline, the merchant's remark, and a delete request (or its
// withdrawal).

// orderActions are the buttons of those actions.
type orderActions struct {
	track, remark, delete *widget.Button
}

func (t *History) newOrderActions() orderActions {
	tr := t.a.Tr()
	o := orderActions{track: widget.NewButton("", t.doTrack), remark: widget.NewButton("", t.doRemark),
		delete: widget.NewButton("", t.doDelete)}
	tr.Bind(func() {
		o.track.SetText(tr.T("hist.track"))
		o.remark.SetText(tr.T("hist.remark"))
		o.delete.SetText(tr.T("hist.delete"))
	})
	return o
}

// TrackShown is the last track the history showed, a line per event (UI goroutine).
func (t *History) TrackShown() []string { return t.trackShown }

func (t *History) doTrack() {
	e, ok := t.current()
	if !ok {
		return
	}
	t.ShowTrack(e.OrderID)
}

// ShowTrack reads the order's track from JD and shows it as a timeline, newest event on top.
func (t *History) ShowTrack(orderID string) {
	a := t.a
	a.Go("track", func() {
		var events []jdorder.TrackEvent
		err := a.WithStation(30*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			events, err = st.Track(ctx, orderID)
			return err
		})
		a.Do(func() {
			tr := a.Tr()
			if err != nil {
				a.ShowError(errors.New(tr.M(explain.Error(err))))
				return
			}
			box := container.NewVBox()
			t.trackShown = nil
			if len(events) == 0 {
				box.Add(widget.NewLabel(tr.T("hist.track.none")))
			}
			for i := len(events) - 1; i >= 0; i-- {
				ev := events[i]
				line := ev.At.Local().Format("01-02 15:04") + "  " + ev.Text
				t.trackShown = append(t.trackShown, line)
				dot := widget.NewIcon(theme.RadioButtonIcon())
				if i == len(events)-1 {
					dot = widget.NewIcon(theme.RadioButtonCheckedIcon()) // where the parcel is now
				}
				l := widget.NewLabel(line)
				l.Wrapping = fyne.TextWrapWord
				box.Add(container.NewBorder(nil, nil, dot, nil, l))
			}
			d := dialog.NewCustom(tr.F("hist.track.title", orderID), tr.T("notes.cancel"), container.NewVScroll(box), a.Window())
			d.Resize(fyne.NewSize(640, 420))
			a.ShowDialog(d)
		})
	})
}

func (t *History) doRemark() {
	e, ok := t.current()
	if !ok {
		return
	}
	a := t.a
	tr := a.Tr()
	entry := keys.NewEntry(a.ScanBurst, false)
	entry.SetPlaceHolder(tr.T("notes.edit.placeholder"))
	colour := choice.RemarkColour(tr, jdorder.FlagGrey)
	// The remark at JD now is what the packer edits.
	a.Go("remark", func() {
		var r jdorder.Remark
		err := a.WithStation(20*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			r, err = st.Remark(ctx, e.OrderID)
			return err
		})
		a.Do(func() {
			if err == nil {
				entry.SetText(r.Text)
				colour.SetSelectedIndex(int(r.Flag))
			}
		})
	})
	form := container.NewVBox(widget.NewLabel(tr.F("notes.edit.text", e.OrderID)), entry, colour)
	d := dialog.NewCustomConfirm(tr.T("notes.edit.title"), tr.T("notes.edit.save"), tr.T("notes.cancel"), form, func(ok bool) {
		if ok {
			t.SetRemark(e.OrderID, entry.Text, choice.Flag(colour))
		}
	}, a.Window())
	d.Resize(fyne.NewSize(520, 260))
	a.ShowDialog(d)
}

// SetRemark replaces the order's merchant remark at JD.
func (t *History) SetRemark(orderID, text string, flag jdorder.RemarkFlag) {
	a := t.a
	a.Go("remark", func() {
		err := a.WithStation(30*time.Second, func(ctx context.Context, st *fulfill.Station) error {
			_, err := st.SetRemark(ctx, orderID, text, flag)
			return err
		})
		a.Do(func() {
			tr := a.Tr()
			if err != nil {
				a.ShowError(errors.New(tr.M(explain.Error(err))))
				return
			}
			a.ShowInfo(tr.T("notes.edit.saved"), orderID)
		})
	})
}

func (t *History) doDelete() {
	e, ok := t.current()
	if !ok {
		return
	}
	a := t.a
	tr := a.Tr()
	if d, held := t.deletes[e.OrderID]; held && d.Holds() {
		dialog.ShowConfirm(tr.T("hist.delete.cancel"), tr.F("hist.delete.state", tr.M(explain.DeleteState(d.State)), tr.M(explain.DeleteReason(d.Reason))),
			func(ok bool) {
				if ok {
					t.CancelDelete(e.OrderID)
				}
			}, a.Window())
		return
	}
	reason, chosen := choice.DeleteReason(tr)
	text := keys.NewEntry(a.ScanBurst, false)
	text.SetPlaceHolder(tr.T("notes.delete.placeholder"))
	form := container.NewVBox(widget.NewLabel(tr.F("notes.delete.text", e.OrderID)), reason, text)
	d := dialog.NewCustomConfirm(tr.T("notes.delete.title"), tr.T("notes.delete.send"), tr.T("notes.cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		if r, picked := chosen(); picked {
			t.ApplyDelete(e.OrderID, r, text.Text)
		} else {
			a.ShowError(errors.New(tr.T("notes.delete.noreason")))
		}
	}, a.Window())
	d.Resize(fyne.NewSize(640, 300))
	a.ShowDialog(d)
}

// ApplyDelete asks JD to delete the order; the history shows the request with the entry.
func (t *History) ApplyDelete(orderID string, reason jdorder.DeleteReason, text string) {
	t.deleteCall(func(ctx context.Context, st *fulfill.Station) (journal.DeleteRequest, error) {
		return st.ApplyDelete(ctx, jdorder.DeleteRequest{OrderID: orderID, Reason: reason, Text: text})
	}, "")
}

// CancelDelete withdraws the order's delete request.
func (t *History) CancelDelete(orderID string) {
	t.deleteCall(func(ctx context.Context, st *fulfill.Station) (journal.DeleteRequest, error) {
		return st.CancelDelete(ctx, orderID)
	}, orderID)
}

func (t *History) deleteCall(call func(ctx context.Context, st *fulfill.Station) (journal.DeleteRequest, error), withdrawn string) {
	a := t.a
	a.Go("delete", func() {
		var rec journal.DeleteRequest
		err := a.WithStation(30*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			rec, err = call(ctx, st)
			return err
		})
		a.RefreshStatus()
		a.Do(func() {
			tr := a.Tr()
			switch {
			case err != nil:
				a.ShowError(errors.New(tr.M(explain.Error(err))))
			case withdrawn != "":
				a.ShowInfo(tr.T("hist.delete.cancel"), tr.F("hist.delete.withdrawn", withdrawn))
			default:
				a.ShowInfo(tr.T("notes.delete.sent"), tr.F("hist.delete.state", tr.M(explain.DeleteState(rec.State)), tr.M(explain.DeleteReason(rec.Reason))))
			}
			t.runQuery()
		})
	})
}

// deleteNote is the entry's delete request in words, for the note column.
func (t *History) deleteNote(orderID string) string {
	d, ok := t.deletes[orderID]
	if !ok || d.State == journal.DeleteCancelled {
		return ""
	}
	tr := t.a.Tr()
	return tr.F("hist.delete.state", tr.M(explain.DeleteState(d.State)), tr.M(explain.DeleteReason(d.Reason))) + "  "
}
