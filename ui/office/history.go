package office

import (
	"context"
	"errors"
	"fmt"
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
	"station/say"
	"station/scan"
	"station/ship"
	"station/ui/choice"
	"station/ui/i18n"
	"station/ui/keys"
)

// historyLimit is how many journal entries the history shows at most.
const historyLimit = 500

// History shows the journal, finds an order by id or waybill, reprints a label and corrects
// a waybill.
type History struct {
	a       Host
	search  *widget.Entry
	find    *widget.Button
	all     *widget.Button
	reprint *widget.Button
	fix     *widget.Button
	count   *widget.Label
	table   *widget.Table
	// Filters of a journal that several stations share (any of them set: journal.History).
	Station, Packer, Day *keys.Entry
	Content              fyne.CanvasObject

	entries  []journal.Entry
	last     map[string]journal.Attempt // each entry's last JD attempt, for its note
	packs    map[string]journal.Pack    // each entry's pack verification, when it had one
	deletes  map[string]journal.DeleteRequest
	selected int // row in entries; -1 = none
	query    string

	orders     orderActions
	trackShown []string
	// Returned lists the returned parcels the query finds (the returns desk's bookings).
	Returned []journal.Return
	returns  *widget.Label
}

var historyCols = []struct {
	title i18n.Key
	width float32
}{
	{"history.col.order", 150}, {"history.col.type", 60}, {"history.col.state", 150},
	{"history.col.waybill", 260}, {"history.col.prints", 60}, {"history.col.time", 150}, {"history.col.who", 150},
	{"history.col.pack", 170}, {"history.col.reason", 420},
}

// The columns tests and the board look at.
const (
	colWho  = 6
	colPack = 7
	colNote = 8
)

func NewHistory(a Host) *History {
	t := &History{a: a, selected: -1}
	tr := a.Tr()
	t.search = widget.NewEntry()
	t.search.OnSubmitted = func(string) { t.runQuery() }
	t.find = widget.NewButton("", t.runQuery)
	t.find.Importance = widget.HighImportance
	t.all = widget.NewButton("", func() {
		t.search.SetText("")
		t.Station.SetText("")
		t.Packer.SetText("")
		t.Day.SetText("")
		t.runQuery()
	})
	t.reprint = widget.NewButton("", t.doReprint)
	t.fix = widget.NewButton("", t.doFix)
	t.count = widget.NewLabel("")
	t.Station = keys.NewEntry(a.ScanBurst, false)
	t.Packer = keys.NewEntry(a.ScanBurst, false)
	t.Day = keys.NewEntry(a.ScanBurst, false)
	for _, e := range []*keys.Entry{t.Station, t.Packer, t.Day} {
		e.OnSubmitted = func(string) { t.runQuery() }
	}
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
		t.Station.SetPlaceHolder(tr.T("history.filter.station"))
		t.Packer.SetPlaceHolder(tr.T("history.filter.packer"))
		t.Day.SetPlaceHolder(tr.T("history.filter.day"))
		t.find.SetText(tr.T("history.find"))
		t.all.SetText(tr.T("history.all"))
		t.reprint.SetText(tr.T("history.reprint"))
		t.fix.SetText(tr.T("history.fixwaybill"))
		t.count.SetText(tr.F("history.count", len(t.entries)))
		t.table.Refresh()
	})
	t.orders = t.newOrderActions()
	// The selected order's actions get a row of their own: the bar fits a 1024-pixel screen.
	actions := container.NewHBox(t.reprint, t.fix, t.orders.track, t.orders.remark, t.orders.delete)
	bar := container.NewBorder(nil, container.NewVBox(container.NewGridWithColumns(3, t.Station, t.Packer, t.Day), actions), nil,
		container.NewHBox(t.find, t.all, t.count), t.search)
	t.returns = widget.NewLabel("")
	t.returns.Wrapping = fyne.TextWrapWord
	t.returns.Hide()
	t.Content = container.NewBorder(bar, t.returns, nil, nil, t.table)
	return t
}

func (t *History) cell(e journal.Entry, col int) string {
	tr := t.a.Tr()
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
			s := t.a.CarrierText(c.LogisticsID)
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
	case colWho:
		return say.Safe(e.Who.Join(" · "))
	case colPack:
		if p, ok := t.packs[e.OrderID]; ok {
			return packText(tr, p)
		}
		return ""
	case colNote:
		return t.deleteNote(e.OrderID) + t.a.Tr().M(explain.Entry(e, t.last[e.OrderID]))
	}
	return ""
}

// packText is an order's verification and weight in the history: "验货 ✓ 1.25 kg".
func packText(tr *i18n.Translator, p journal.Pack) string {
	s := tr.T(i18n.Key("history.pack." + string(p.State)))
	if p.Reason != "" && p.State != journal.PackComplete {
		s += "：" + say.Short(p.Reason, 20)
	}
	if p.WeightG > 0 {
		s += " " + explain.Kilograms(p.WeightG) + " kg"
	}
	if p.WeightCheck != "ok" && p.WeightCheck != "" {
		s += " (" + tr.T(i18n.Key("history.weight."+p.WeightCheck)) + ")"
	}
	return s
}

// Entries is what the history shows (UI goroutine).
func (t *History) Entries() []journal.Entry { return t.entries }

// reload shows the current query again (when the tab is opened).
func (t *History) Reload() { t.runQuery() }

func (t *History) runQuery() {
	a := t.a
	q := strings.TrimSpace(t.search.Text)
	f := journal.HistoryFilter{Query: q, Station: strings.TrimSpace(t.Station.Text), Packer: strings.TrimSpace(t.Packer.Text),
		Limit: historyLimit}
	if d := strings.TrimSpace(t.Day.Text); d != "" {
		day, err := time.ParseInLocation("2006-01-02", d, time.Local)
		if err != nil {
			a.ShowError(errors.New(a.Tr().F("history.filter.baddate", d)))
			return
		}
		f.From, f.To = day, day.AddDate(0, 0, 1)
	}
	a.Go("history", func() {
		var entries []journal.Entry
		last := map[string]journal.Attempt{}
		packs := map[string]journal.Pack{}
		var deletes map[string]journal.DeleteRequest
		var returned []journal.Return
		err := a.WithStation(20*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			if entries, err = st.Journal().History(ctx, f); err != nil {
				return err
			}
			ids := make([]string, len(entries))
			for i, e := range entries {
				ids[i] = e.OrderID
			}
			if deletes, err = st.Journal().DeleteRequests(ctx, ids); err != nil {
				return err
			}
			if q != "" || !f.From.IsZero() {
				if returned, err = st.Returns(ctx, journal.ReturnFilter{Query: q, From: f.From, To: f.To}); err != nil {
					return err
				}
			}
			for _, e := range entries {
				p, ok, err := st.Journal().Pack(ctx, e.OrderID)
				if err != nil {
					return err
				}
				if ok {
					packs[e.OrderID] = p
				}
			}
			// The last JD attempt of each failed order (or shipped one with a note) says what
			// its note means; the others need none.
			for _, e := range entries {
				if e.State != journal.StateFailed && (e.State != journal.StateShipped || e.Reason == "") {
					continue
				}
				as, err := st.Journal().Attempts(ctx, e.OrderID)
				if err != nil {
					return err
				}
				if len(as) > 0 {
					last[e.OrderID] = as[len(as)-1]
				}
			}
			return nil
		})
		a.Do(func() {
			if err != nil {
				t.entries = nil
				t.count.SetText(a.Tr().M(explain.Error(err)))
				t.table.Refresh()
				return
			}
			t.query = q
			t.entries, t.last, t.packs, t.deletes = entries, last, packs, deletes
			t.showReturns(returned)
			t.selected = -1
			t.table.UnselectAll()
			t.count.SetText(a.Tr().F("history.count", len(entries)))
			t.table.Refresh()
		})
	})
}

func (t *History) current() (journal.Entry, bool) {
	if t.selected < 0 || t.selected >= len(t.entries) {
		t.a.ShowInfo(t.a.Tr().T("tab.history"), t.a.Tr().T("history.select"))
		return journal.Entry{}, false
	}
	return t.entries[t.selected], true
}

func (t *History) doReprint() {
	e, ok := t.current()
	if !ok {
		return
	}
	a := t.a
	t.reprint.Disable()
	a.Go("reprint", func() {
		var res scan.Result
		err := a.WithStation(time.Minute, func(ctx context.Context, st *fulfill.Station) (err error) {
			res, err = scan.Reprint(ctx, st, e.OrderID, 0)
			return err
		})
		a.RefreshStatus()
		a.Do(func() {
			t.reprint.Enable()
			if err != nil {
				a.ShowError(errors.New(a.Tr().M(explain.Error(err))))
			} else {
				a.ShowInfo(a.Tr().F("history.reprinted", e.OrderID), a.Tr().M(explain.Scan(res)))
			}
			t.runQuery()
		})
	})
}

// doFix asks for the right carrier and waybill of the selected order and sends the correction.
func (t *History) doFix() {
	e, ok := t.current()
	if !ok {
		return
	}
	a := t.a
	tr := a.Tr()
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
	a.LoadCarriers(false, func(cs []ship.Carrier, err error) {
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
			Carriers: []journal.CarrierWaybills{{LogisticsID: choice.CarrierID(carrier.Selected, list)}}}
		if w := strings.TrimSpace(waybill.Text); w != "" {
			sh.Carriers[0].Waybills = []string{w}
		}
		t.sendFix(sh)
	}, a.Window())
	d.Resize(fyne.NewSize(520, 260))
	a.ShowDialog(d)
}

func (t *History) sendFix(sh ship.Shipment) {
	a := t.a
	a.Go("waybill", func() {
		err := a.WithStation(time.Minute, func(ctx context.Context, st *fulfill.Station) error {
			_, err := st.UpdateWaybill(ctx, sh)
			return err
		})
		a.Do(func() {
			if err != nil {
				a.ShowError(errors.New(a.Tr().M(explain.Error(err))))
			} else {
				a.ShowInfo(a.Tr().T("history.fixwaybill"), a.Tr().F("history.updated", sh.OrderID))
			}
			t.runQuery()
		})
	})
}

// showReturns lists the returned parcels the query found under the table.
func (t *History) showReturns(rs []journal.Return) {
	t.Returned = rs
	if len(rs) == 0 {
		t.returns.Hide()
		return
	}
	tr := t.a.Tr()
	lines := []string{tr.F("history.returns", len(rs))}
	for i, r := range rs {
		if i == 5 {
			lines = append(lines, "…")
			break
		}
		line := fmt.Sprintf("%s  %s  %s", r.At.Local().Format("01-02 15:04"), r.OrderID, tr.M(explain.ReturnCondition(r.Condition)))
		if r.Note != "" {
			line += "：" + say.Short(say.Safe(r.Note), 40)
		}
		if who := say.Safe(r.Who.Join(" · ")); who != "" {
			line += "  (" + who + ")"
		}
		lines = append(lines, line)
	}
	t.returns.SetText(strings.Join(lines, "\n"))
	t.returns.Show()
}
