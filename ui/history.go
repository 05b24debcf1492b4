package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/fulfill"
	"station/journal"
	"station/scan"
	"station/ship"
	"station/ui/i18n"
)

// historyLimit is how many journal entries the history shows at most.
const historyLimit = 500

// historyTab shows the journal, finds an order by id or waybill, reprints a label and corrects
// a waybill.
type historyTab struct {
	a       *App
	search  *widget.Entry
	find    *widget.Button
	all     *widget.Button
	reprint *widget.Button
	fix     *widget.Button
	count   *widget.Label
	table   *widget.Table
	content fyne.CanvasObject

	entries  []journal.Entry
	selected int // row in entries; -1 = none
	query    string
}

var historyCols = []struct {
	title i18n.Key
	width float32
}{
	{"history.col.order", 150}, {"history.col.type", 60}, {"history.col.state", 150},
	{"history.col.waybill", 260}, {"history.col.prints", 60}, {"history.col.time", 150}, {"history.col.reason", 420},
}

func newHistoryTab(a *App) *historyTab {
	t := &historyTab{a: a, selected: -1}
	tr := a.tr
	t.search = widget.NewEntry()
	t.search.OnSubmitted = func(string) { t.runQuery() }
	t.find = widget.NewButton("", t.runQuery)
	t.find.Importance = widget.HighImportance
	t.all = widget.NewButton("", func() {
		t.search.SetText("")
		t.runQuery()
	})
	t.reprint = widget.NewButton("", t.doReprint)
	t.fix = widget.NewButton("", t.doFix)
	t.count = widget.NewLabel("")
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.entries), len(historyCols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(t.entries) {
				l.SetText("")
				return
			}
			l.SetText(t.cell(t.entries[id.Row], id.Col))
		})
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(historyCols) {
			o.(*widget.Label).SetText(tr.T(historyCols[id.Col].title))
		}
	}
	for i, c := range historyCols {
		t.table.SetColumnWidth(i, c.width)
	}
	t.table.OnSelected = func(id widget.TableCellID) { t.selected = id.Row }
	tr.Bind(func() {
		t.search.SetPlaceHolder(tr.T("history.search"))
		t.find.SetText(tr.T("history.find"))
		t.all.SetText(tr.T("history.all"))
		t.reprint.SetText(tr.T("history.reprint"))
		t.fix.SetText(tr.T("history.fixwaybill"))
		t.count.SetText(tr.F("history.count", len(t.entries)))
		t.table.Refresh()
	})
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(t.find, t.all, widget.NewSeparator(), t.reprint, t.fix, t.count), t.search)
	t.content = container.NewBorder(bar, nil, nil, nil, t.table)
	return t
}

func (t *historyTab) cell(e journal.Entry, col int) string {
	tr := t.a.tr
	switch col {
	case 0:
		return e.OrderID
	case 1:
		return string(e.Type)
	case 2:
		st := tr.T(i18n.Key("state." + string(e.State)))
		if e.State == journal.StateFailed && e.FailedStep != "" {
			st += " (" + tr.T(i18n.Key("batch.step."+e.FailedStep)) + ")"
		}
		return st
	case 3:
		var parts []string
		for _, c := range e.Carriers {
			s := t.a.carrierText(c.LogisticsID)
			if len(c.Waybills) > 0 {
				s += " " + strings.Join(c.Waybills, ",")
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " | ")
	case 4:
		return strconv.Itoa(e.Prints)
	case 5:
		if e.UpdatedAt.IsZero() {
			return ""
		}
		return e.UpdatedAt.Local().Format("01-02 15:04:05")
	case 6:
		return e.Reason
	}
	return ""
}

// reload shows the current query again (when the tab is opened).
func (t *historyTab) reload() { t.runQuery() }

func (t *historyTab) runQuery() {
	a := t.a
	q := strings.TrimSpace(t.search.Text)
	a.goWork("history", func() {
		var entries []journal.Entry
		err := a.withStation(20*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			entries, err = st.History(ctx, q, historyLimit)
			return err
		})
		a.do(func() {
			if err != nil {
				t.entries = nil
				t.count.SetText(a.tr.M(explain.Error(err)))
				t.table.Refresh()
				return
			}
			t.query = q
			t.entries = entries
			t.selected = -1
			t.table.UnselectAll()
			t.count.SetText(a.tr.F("history.count", len(entries)))
			t.table.Refresh()
		})
	})
}

func (t *historyTab) current() (journal.Entry, bool) {
	if t.selected < 0 || t.selected >= len(t.entries) {
		t.a.showInfo(t.a.tr.T("tab.history"), t.a.tr.T("history.select"))
		return journal.Entry{}, false
	}
	return t.entries[t.selected], true
}

func (t *historyTab) doReprint() {
	e, ok := t.current()
	if !ok {
		return
	}
	a := t.a
	t.reprint.Disable()
	a.goWork("reprint", func() {
		var res scan.Result
		err := a.withStation(time.Minute, func(ctx context.Context, st *fulfill.Station) (err error) {
			res, err = scan.Reprint(ctx, st, e.OrderID)
			return err
		})
		a.refreshStatusNow()
		a.do(func() {
			t.reprint.Enable()
			if err != nil {
				a.showError(errors.New(a.tr.M(explain.Error(err))))
			} else {
				a.showInfo(a.tr.F("history.reprinted", e.OrderID), a.tr.M(explain.Scan(res)))
			}
			t.runQuery()
		})
	})
}

// doFix asks for the right carrier and waybill of the selected order and sends the correction.
func (t *historyTab) doFix() {
	e, ok := t.current()
	if !ok {
		return
	}
	a := t.a
	tr := a.tr
	carrier := widget.NewSelect(nil, nil)
	carrier.PlaceHolder = tr.T("carrier.none")
	waybill := widget.NewEntry()
	var list []ship.Carrier
	if len(e.Carriers) > 0 {
		carrier.SetOptions([]string{e.Carriers[0].LogisticsID})
		carrier.SetSelected(e.Carriers[0].LogisticsID)
		if len(e.Carriers[0].Waybills) > 0 {
			waybill.SetText(e.Carriers[0].Waybills[0])
		}
	}
	a.loadCarriers(false, func(cs []ship.Carrier, err error) {
		if err != nil {
			return
		}
		list = cs
		opts := make([]string, len(cs))
		sel := ""
		for i, c := range cs {
			opts[i] = c.String()
			if len(e.Carriers) > 0 && c.ID == e.Carriers[0].LogisticsID {
				sel = opts[i]
			}
		}
		carrier.SetOptions(opts)
		if sel != "" {
			carrier.SetSelected(sel)
		}
	})
	form := []*widget.FormItem{
		widget.NewFormItem(tr.T("waybill.carrier"), carrier),
		widget.NewFormItem(tr.T("waybill.number"), waybill),
	}
	d := dialog.NewForm(tr.F("waybill.title", e.OrderID), tr.T("waybill.save"), tr.T("waybill.cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		sh := ship.Shipment{OrderID: e.OrderID, Type: e.Type, Packages: e.Packages,
			Carriers: []journal.CarrierWaybills{{LogisticsID: carrierIDOf(carrier.Selected, list)}}}
		if w := strings.TrimSpace(waybill.Text); w != "" {
			sh.Carriers[0].Waybills = []string{w}
		}
		t.sendFix(sh)
	}, a.win)
	d.Resize(fyne.NewSize(520, 260))
	a.showDialog(d)
}

func (t *historyTab) sendFix(sh ship.Shipment) {
	a := t.a
	a.goWork("waybill", func() {
		err := a.withStation(time.Minute, func(ctx context.Context, st *fulfill.Station) error {
			_, err := st.UpdateWaybill(ctx, sh)
			return err
		})
		a.do(func() {
			if err != nil {
				a.showError(errors.New(a.tr.M(explain.Error(err))))
			} else {
				a.showInfo(a.tr.T("history.fixwaybill"), a.tr.F("history.updated", sh.OrderID))
			}
			t.runQuery()
		})
	})
}
