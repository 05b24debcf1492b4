package office

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/fulfill"
	"station/journal"
	"station/listing"
	"station/printdata"
	"station/say"
	"station/ship"
	"station/ui/choice"
	"station/ui/i18n"
	"station/ui/keys"
)

// Batch finds orders at JD, and prints and ships a selection of them with progress.
type Batch struct {
	a Host

	state    *keys.Select
	from, to *keys.Entry
	typ      *keys.Select
	query    *widget.Button
	// ClaimN and ClaimBtn take this station's share of the listed orders (领取 N 单) when
	// several stations work through one wave on a shared journal.
	ClaimN   *keys.Entry
	ClaimBtn *widget.Button
	selAll   *widget.Check
	counts   *widget.Label
	list     *widget.List
	PrintBtn *widget.Button
	shipBtn  *widget.Button
	retryBtn *widget.Button
	stopBtn  *widget.Button
	sopCar   *keys.Select
	jdCar    *keys.Select
	bar      *widget.ProgressBar
	rate     *widget.Label
	detail   *widget.Label // the full text of the failure of the row clicked last
	Content  fyne.CanvasObject

	// UI goroutine state.
	rows      []*batchRow
	index     map[string]int // order id → row
	stateSel  string         // the order state searched for
	empty     *widget.Label  // shown when the list is empty
	searched  bool           // the list was filled at least once
	views     map[fyne.CanvasObject]*batchRowView
	typeIdx   int // 0 = all, else 1+index in orderTypes
	carriers  []ship.Carrier
	sopID     string // chosen SOP carrier
	jdID      string // chosen LBP/SOPL carrier
	running   bool
	cancel    context.CancelFunc
	lastPrint bool
	lastShip  bool
	doneSeen  int           // the Done count of the last event shown
	summary   func() string // the last run's summary in the current language
	claimed   []string      // the orders this station claimed, given back after the run
}

var orderTypes = []printdata.OrderType{printdata.SOP, printdata.LBP, printdata.SOPL, printdata.Overseas}

// batchRow is one order of the list and what the last run did with it.
type batchRow struct {
	order    printdata.Order
	selected bool
	working  bool
	printed  bool
	shipped  bool
	skipped  bool
	failStep string
	err      error
	message  say.Text // what the failure means and what to do
}

func NewBatch(a Host) *Batch {
	t := &Batch{a: a, index: map[string]int{}, views: map[fyne.CanvasObject]*batchRowView{}}
	tr := a.Tr()
	t.sopID = a.Settings().Carriers[string(printdata.SOP)]
	t.jdID = a.Settings().Carriers[string(printdata.LBP)]
	if t.jdID == "" {
		t.jdID = ship.DeliverToJD
	}

	stateLbl, fromLbl, toLbl, typeLbl := widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	t.state = keys.NewSelect(nil, nil, a.ScanBurst)
	t.stateSel = printdata.StateWaitStockOut
	t.from = keys.NewEntry(a.ScanBurst, false)
	t.to = keys.NewEntry(a.ScanBurst, false)
	t.typ = keys.NewSelect(nil, nil, a.ScanBurst)
	t.query = widget.NewButton("", t.search)
	t.query.Importance = widget.HighImportance
	t.ClaimN = keys.NewEntry(a.ScanBurst, false)
	t.ClaimN.SetText("50")
	t.ClaimBtn = widget.NewButton("", t.claim)
	tr.Bind(func() {
		t.ClaimBtn.SetText(tr.T("batch.claim"))
		stateLbl.SetText(tr.T("batch.state"))
		fromLbl.SetText(tr.T("batch.from"))
		toLbl.SetText(tr.T("batch.to"))
		typeLbl.SetText(tr.T("batch.type"))
		t.query.SetText(tr.T("batch.query"))
		t.from.SetPlaceHolder(tr.T("batch.dateph"))
		t.to.SetPlaceHolder(tr.T("batch.dateph"))
		states := make([]string, len(printdata.States))
		for i, st := range printdata.States {
			states[i] = stateName(tr, st)
		}
		t.state.OnChanged = nil
		t.state.Options = states
		t.state.Selected = stateName(tr, t.stateSel)
		t.state.Refresh()
		t.state.OnChanged = func(s string) {
			for i, o := range states {
				if o == s {
					t.stateSel = printdata.States[i]
				}
			}
		}
		opts := []string{tr.T("batch.type.all")}
		for _, ot := range orderTypes {
			opts = append(opts, string(ot))
		}
		t.typ.OnChanged = nil
		t.typ.Options = opts
		t.typ.Selected = opts[t.typeIdx]
		t.typ.Refresh()
		t.typ.OnChanged = func(s string) {
			for i, o := range t.typ.Options {
				if o == s {
					t.typeIdx = i
				}
			}
		}
	})
	sized := func(w float32, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	queryRow := container.NewHBox(stateLbl, sized(230, t.state), fromLbl, sized(130, t.from), toLbl, sized(130, t.to),
		typeLbl, sized(110, t.typ), t.query)

	t.selAll = widget.NewCheck("", func(on bool) {
		for _, r := range t.rows {
			r.selected = on
		}
		t.list.Refresh()
		t.updateCounts()
	})
	t.counts = widget.NewLabel("")
	tr.Bind(func() {
		t.selAll.Text = tr.T("batch.selectall")
		t.selAll.Refresh()
		t.updateCounts()
	})

	t.list = widget.NewList(func() int { return len(t.rows) }, t.createRow, t.updateRow)
	t.empty = widget.NewLabel("")
	t.empty.Alignment = fyne.TextAlignCenter
	header := t.header()
	t.list.OnSelected = func(id widget.ListItemID) {
		// A click on a row toggles it, like its check box.
		t.list.Unselect(id)
		if id < len(t.rows) {
			r := t.rows[id]
			r.selected = !r.selected
			t.list.RefreshItem(id)
			t.updateCounts()
			t.showDetail(r)
		}
	}

	sopLbl, jdLbl := widget.NewLabel(""), widget.NewLabel("")
	t.sopCar = keys.NewSelect(nil, nil, a.ScanBurst)
	t.jdCar = keys.NewSelect(nil, nil, a.ScanBurst)
	t.PrintBtn = widget.NewButton("", func() { t.run(true, false, false) })
	t.PrintBtn.Importance = widget.HighImportance
	t.shipBtn = widget.NewButton("", func() { t.run(false, true, false) })
	t.shipBtn.Importance = widget.HighImportance
	t.retryBtn = widget.NewButton("", func() { t.run(t.lastPrint, t.lastShip, true) })
	t.retryBtn.Disable()
	t.stopBtn = widget.NewButton("", t.CancelRun)
	t.stopBtn.Importance = widget.DangerImportance
	t.stopBtn.Disable()
	// Set directly on the UI goroutine: a data binding would deliver its value a frame (or,
	// on a busy machine, many frames) behind the counts next to it.
	t.bar = widget.NewProgressBar()
	t.rate = widget.NewLabel("")
	t.rate.Truncation = fyne.TextTruncateEllipsis
	tr.Bind(func() {
		sopLbl.SetText(tr.T("batch.carrier.sop"))
		jdLbl.SetText(tr.T("batch.carrier.jd"))
		t.PrintBtn.SetText(tr.T("batch.print"))
		t.shipBtn.SetText(tr.T("batch.ship"))
		t.retryBtn.SetText(tr.T("batch.retry"))
		t.stopBtn.SetText(tr.T("batch.cancel"))
		t.sopCar.PlaceHolder = tr.T("carrier.none")
		t.jdCar.PlaceHolder = tr.T("carrier.none")
		t.empty.SetText(tr.T("batch.empty"))
		t.fillCarriers()
		if t.summary != nil {
			t.rate.SetText(t.summary())
		}
		t.list.Refresh()
	})

	selRow := container.NewBorder(nil, nil, t.selAll, container.NewHBox(sized(60, t.ClaimN), t.ClaimBtn), t.counts)
	actions := container.NewHBox(t.PrintBtn, widget.NewSeparator(), sopLbl, sized(190, t.sopCar), jdLbl, sized(230, t.jdCar), t.shipBtn,
		widget.NewSeparator(), t.retryBtn, layout.NewSpacer(), t.stopBtn)
	progressRow := container.NewGridWithColumns(2, t.bar, t.rate)
	top := container.NewVBox(queryRow, widget.NewSeparator(), selRow, header)
	t.detail = widget.NewLabel("")
	t.detail.Wrapping = fyne.TextWrapWord
	t.detail.Importance = widget.DangerImportance
	t.detail.Hide()
	bottom := container.NewVBox(t.detail, widget.NewSeparator(), actions, progressRow)
	t.Content = container.NewBorder(top, bottom, nil, nil, container.NewStack(t.list, container.NewCenter(t.empty)))
	return t
}

// batchRowView is the template of a list row.
type batchRowView struct {
	check  *widget.Check
	id     *widget.Label
	typ    *widget.Label
	state  *widget.Label
	when   *widget.Label
	where  *widget.Label
	status *widget.Label
}

// batchColumns are the widths of the list's columns: check box, order id, type, created,
// state, region; the status takes the rest.
var batchColumns = []float32{36, 130, 56, 140, 150, 150}

func (t *Batch) header() fyne.CanvasObject {
	ids := []i18n.Key{"", "history.col.order", "history.col.type", "batch.col.created", "history.col.state", "batch.col.region", "batch.col.result"}
	objs := make([]fyne.CanvasObject, len(ids))
	for i, id := range ids {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Truncation = fyne.TextTruncateEllipsis
		if id != "" {
			t.a.Tr().Bind(func() { l.SetText(t.a.Tr().T(id)) })
		}
		objs[i] = l
	}
	return container.New(&columnsLayout{widths: batchColumns}, objs...)
}

func (t *Batch) createRow() fyne.CanvasObject {
	v := &batchRowView{check: widget.NewCheck("", nil), id: widget.NewLabel(""), typ: widget.NewLabel(""),
		state: widget.NewLabel(""), when: widget.NewLabel(""), where: widget.NewLabel(""), status: widget.NewLabel("")}
	for _, l := range []*widget.Label{v.id, v.typ, v.when, v.state, v.where, v.status} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	row := container.New(&columnsLayout{widths: batchColumns}, v.check, v.id, v.typ, v.when, v.state, v.where, v.status)
	t.views[row] = v
	return row
}

// columnsLayout puts objects side by side in fixed widths; the last one takes what is left.
type columnsLayout struct{ widths []float32 }

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		if i < len(l.widths) {
			w += l.widths[i]
		} else {
			w += m.Width
		}
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width - x
		if i < len(l.widths) && i < len(objs)-1 {
			w = l.widths[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// stateName is an order state in words, e.g. 等待出库 for WAIT_SELLER_STOCK_OUT.
func stateName(tr *i18n.Translator, state string) string {
	id := i18n.Key("orderstate." + state)
	if i18n.Has(id) {
		return tr.T(id)
	}
	return state
}

func (t *Batch) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(t.rows) {
		return
	}
	v := t.views[o]
	r := t.rows[id]
	v.check.OnChanged = nil
	v.check.SetChecked(r.selected)
	v.check.OnChanged = func(on bool) {
		if id < len(t.rows) {
			t.rows[id].selected = on
			t.updateCounts()
		}
	}
	v.id.SetText(r.order.ID)
	v.typ.SetText(string(r.order.Type))
	if r.shipped {
		// JD's state as listed is stale once the row is shipped.
		v.state.SetText(t.a.Tr().T("state.shipped"))
	} else {
		v.state.SetText(stateName(t.a.Tr(), r.order.State))
	}
	if r.order.CreatedAt.IsZero() {
		v.when.SetText("")
	} else {
		v.when.SetText(r.order.CreatedAt.Format("2006-01-02 15:04"))
	}
	v.where.SetText(strings.TrimSpace(r.order.Province + " " + r.order.City))
	v.status.SetText(t.rowStatus(r))
	switch {
	case r.err != nil:
		v.status.Importance = widget.DangerImportance
	case r.shipped || r.printed:
		v.status.Importance = widget.SuccessImportance
	default:
		v.status.Importance = widget.MediumImportance
	}
	v.status.Refresh()
}

// showDetail shows in full what happened to a failed row (the list cuts it to one line).
func (t *Batch) showDetail(r *batchRow) {
	if r.err == nil {
		t.detail.Hide()
		return
	}
	t.detail.SetText(r.order.ID + "  " + t.rowStatus(r))
	t.detail.Show()
}

// Refresh brings the rows up to date with the journal: orders printed or shipped meanwhile (on
// the scan tab, by another window) show so. Off the UI goroutine for the reads.
func (t *Batch) Refresh() {
	if t.running || len(t.rows) == 0 {
		return
	}
	ids := make([]string, len(t.rows))
	for i, r := range t.rows {
		ids[i] = r.order.ID
	}
	a := t.a
	a.Go("batch-refresh", func() {
		type done struct{ printed, shipped bool }
		got := map[string]done{}
		a.WithStation(10*time.Second, func(ctx context.Context, st *fulfill.Station) error {
			for _, id := range ids {
				e, ok, err := st.Journal().Get(ctx, id)
				if err != nil {
					return err
				}
				if ok {
					got[id] = done{printed: !e.PrintedAt.IsZero(), shipped: e.State == journal.StateShipped}
				}
			}
			return nil
		})
		a.Do(func() {
			for _, r := range t.rows {
				if d, ok := got[r.order.ID]; ok {
					r.printed = r.printed || d.printed
					r.shipped = r.shipped || d.shipped
				}
			}
			t.list.Refresh()
		})
	})
}

func (t *Batch) rowStatus(r *batchRow) string {
	tr := t.a.Tr()
	switch {
	case r.working:
		return tr.T("batch.row.working")
	case r.err != nil:
		step := r.failStep
		if m, ok := map[string]i18n.Key{"fetch": "batch.step.fetch", "print": "batch.step.print", "ship": "batch.step.ship"}[step]; ok {
			step = tr.T(m)
		}
		m := r.message
		if m.IsZero() {
			m = explain.Error(r.err)
		}
		return tr.F("batch.row.failed", step+" — "+tr.M(m))
	case r.shipped:
		return tr.T("state.shipped")
	case r.printed:
		return tr.T("state.printed")
	case r.skipped:
		return tr.T("batch.row.skipped")
	}
	return ""
}

func (t *Batch) updateCounts() {
	tr := t.a.Tr()
	per := map[printdata.OrderType]int{}
	sel := 0
	for _, r := range t.rows {
		per[r.order.Type]++
		if r.selected {
			sel++
		}
	}
	var parts []string
	for _, ot := range orderTypes {
		parts = append(parts, fmt.Sprintf("%s %d", ot, per[ot]))
	}
	if n := per[""]; n > 0 {
		parts = append(parts, fmt.Sprintf("? %d", n))
	}
	t.counts.SetText(tr.F("batch.counts", len(t.rows), strings.Join(parts, " · "), sel))
}

// fillCarriers fills the two carrier choices from the shop's carrier list.
func (t *Batch) fillCarriers() {
	choice.Carrier(&t.sopCar.Select, nil, t.carriers, t.sopID, func(id string) { t.sopID = id })
	choice.Carrier(&t.jdCar.Select, &choice.Extra{Name: t.a.Tr().T("carrier.deliverjd"), ID: ship.DeliverToJD}, t.carriers, t.jdID,
		func(id string) { t.jdID = id })
}

// connected loads the carrier list of the new connection. Orders listed from the old one are
// dropped: they may belong to another shop.
func (t *Batch) Connected() {
	a := t.a
	if !t.running && t.searched {
		t.searched = false
		t.setOrders(nil, "")
		t.empty.SetText(a.Tr().T("batch.empty"))
		t.summary = nil
		t.rate.SetText("")
	}
	a.LoadCarriers(false, func(list []ship.Carrier, err error) {
		if err == nil {
			t.carriers = list
			t.fillCarriers()
		}
	})
}

// search asks JD for the orders of the query and shows them, none selected.
func (t *Batch) search() {
	a := t.a
	tr := a.Tr()
	if t.running {
		a.ShowInfo(tr.T("tab.batch"), tr.T("batch.busy"))
		return
	}
	start, err1 := printdata.ParseRangeEnd(t.from.Text, false)
	end, err2 := printdata.ParseRangeEnd(t.to.Text, true)
	if err := errors.Join(err1, err2); err != nil {
		a.ShowError(errors.New(tr.T("batch.dates")))
		return
	}
	if !start.IsZero() && end.IsZero() {
		end = time.Now()
	}
	q := printdata.Query{States: []string{t.stateSel}, Start: start, End: end}
	var want printdata.OrderType
	if t.typeIdx > 0 {
		want = orderTypes[t.typeIdx-1]
	}
	t.query.Disable()
	t.summary = nil
	t.rate.SetText(tr.T("batch.searching"))
	a.Go("search", func() {
		var orders []printdata.Order
		// A listing past JD's 5,000 orders a search takes a call per 100: shown as it goes, at
		// most one window update at a time.
		var shown atomic.Bool
		progress := func(p listing.Progress) {
			if p.Expected <= printdata.SearchPageSize || !shown.CompareAndSwap(false, true) {
				return
			}
			a.Do(func() {
				shown.Store(false)
				if !t.query.Disabled() {
					return // the search ended meanwhile
				}
				t.rate.SetText(t.limited(tr.F("batch.listing", p.Listed, p.Expected)))
			})
		}
		err := a.WithStation(15*time.Minute, func(ctx context.Context, st *fulfill.Station) (err error) {
			orders, err = st.Search(ctx, q, progress)
			return err
		})
		a.Do(func() {
			t.query.Enable()
			if err != nil {
				t.rate.SetText("")
				a.ShowError(errors.New(tr.M(explain.Error(err))))
				return
			}
			t.setOrders(orders, want)
		})
	})
}

// shown is called when the tab is opened: the first time, it lists the orders waiting to ship.
func (t *Batch) Shown() {
	if !t.searched && !t.running && !t.query.Disabled() {
		t.search()
		return
	}
	t.Refresh()
}

// setOrders replaces the list with the orders of type want ("" = all), none selected.
func (t *Batch) setOrders(orders []printdata.Order, want printdata.OrderType) {
	t.searched = true
	t.rows = t.rows[:0]
	t.index = map[string]int{}
	for _, o := range orders {
		if want != "" && o.Type != want {
			continue
		}
		t.index[o.ID] = len(t.rows)
		t.rows = append(t.rows, &batchRow{order: o})
	}
	sort.SliceStable(t.rows, func(i, j int) bool { return t.rows[i].order.CreatedAt.Before(t.rows[j].order.CreatedAt) })
	for i, r := range t.rows {
		t.index[r.order.ID] = i
	}
	// Nothing is selected: printing or shipping a hundred orders is a choice, not a default.
	t.selAll.OnChanged, t.selAll.Checked = nil, false
	t.selAll.Refresh()
	t.selAll.OnChanged = func(on bool) {
		for _, r := range t.rows {
			r.selected = on
		}
		t.list.Refresh()
		t.updateCounts()
	}
	t.retryBtn.Disable()
	t.bar.SetValue(0)
	n := len(t.rows)
	t.summary = func() string { return t.a.Tr().F("batch.found", n) }
	t.rate.SetText(t.summary())
	t.list.Refresh()
	t.updateCounts()
	t.empty.Hidden = len(t.rows) > 0
	t.empty.SetText(t.a.Tr().T("batch.nomatch"))
}

// run prints and/or ships the selected orders (retry: the failed ones) through Station.Batch.
func (t *Batch) run(print, doShip, retry bool) {
	a := t.a
	tr := a.Tr()
	if t.running {
		a.ShowInfo(tr.T("tab.batch"), tr.T("batch.busy"))
		return
	}
	var orders []printdata.Order
	for _, r := range t.rows {
		pick := r.selected
		if retry {
			pick = r.err != nil
		}
		if pick {
			orders = append(orders, r.order)
		}
	}
	if len(orders) == 0 {
		a.ShowInfo(tr.T("tab.batch"), tr.T("batch.none"))
		return
	}
	byType := map[printdata.OrderType]int{}
	for _, o := range orders {
		byType[o.Type]++
	}
	if doShip && byType[printdata.SOP]+byType[printdata.Overseas] > 0 {
		// Refused up front, not order by order: a SOP order ships only with a carrier that
		// needs no waybill here (waybills come from the scan tab or `station batch -waybills`).
		if msg := t.sopCarrierProblem(); msg != "" {
			a.ShowInfo(tr.T("tab.batch"), msg)
			return
		}
	}
	a.ShowDialog(dialog.NewConfirm(tr.T("batch.confirm.title"), t.confirmText(len(orders), byType, print, doShip), func(ok bool) {
		if ok {
			t.start(orders, print, doShip)
		}
	}, a.Window()))
}

// claim takes this station's share of the listed orders: up to N that no other station on
// the journal has claimed and that are not shipped, selected for printing and shipping here.
func (t *Batch) claim() {
	a := t.a
	tr := a.Tr()
	if t.running {
		a.ShowInfo(tr.T("tab.batch"), tr.T("batch.busy"))
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(t.ClaimN.Text))
	if err != nil || n < 1 {
		a.ShowInfo(tr.T("tab.batch"), tr.T("batch.claim.number"))
		return
	}
	var ids []string
	for _, r := range t.rows {
		ids = append(ids, r.order.ID)
	}
	if len(ids) == 0 {
		a.ShowInfo(tr.T("tab.batch"), tr.T("batch.claim.list"))
		return
	}
	a.Go("claim", func() {
		var got []string
		err := a.WithStation(20*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			got, err = st.Journal().ClaimBatch(ctx, journal.BatchClaim{Candidates: ids, N: n, Until: time.Now().Add(fulfill.BatchClaimFor)})
			return err
		})
		a.Do(func() {
			if err != nil {
				a.ShowError(errors.New(tr.M(explain.Error(err))))
				return
			}
			mine := map[string]bool{}
			for _, id := range got {
				mine[id] = true
			}
			for _, r := range t.rows {
				r.selected = mine[r.order.ID]
			}
			t.claimed = got
			t.list.Refresh()
			t.updateCounts()
			t.summary = func() string { return tr.F("batch.claimed", len(got), len(ids)) }
			t.rate.SetText(t.summary())
			if len(got) == 0 {
				a.ShowInfo(tr.T("tab.batch"), tr.T("batch.claim.none"))
			}
		})
	})
}

// release gives this station's claims back once a run ended: what is left of them is free
// for the other stations again.
func (t *Batch) release() {
	claimed := t.claimed
	t.claimed = nil
	if len(claimed) == 0 {
		return
	}
	t.a.Go("release", func() {
		t.a.WithStation(20*time.Second, func(ctx context.Context, st *fulfill.Station) error {
			return st.Journal().ReleaseBatch(ctx, claimed...)
		})
	})
}

// sopCarrierProblem says why SOP orders cannot ship from this tab with the chosen carrier, ""
// when they can.
func (t *Batch) sopCarrierProblem() string {
	tr := t.a.Tr()
	if t.sopID == "" {
		return tr.T("batch.sop.nocarrier")
	}
	for _, c := range t.carriers {
		if c.ID == t.sopID && !c.SelfDelivery() {
			return tr.F("batch.sop.waybills", c.Name)
		}
	}
	return ""
}

// confirmText says what a run will do: how many orders of each type, printed and/or shipped.
func (t *Batch) confirmText(n int, byType map[printdata.OrderType]int, print, doShip bool) string {
	tr := t.a.Tr()
	var parts []string
	for _, ty := range orderTypes {
		if byType[ty] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", ty, byType[ty]))
		}
	}
	what := i18n.Key("batch.confirm.print")
	switch {
	case print && doShip:
		what = "batch.confirm.printship"
	case doShip:
		what = "batch.confirm.ship"
	}
	text := tr.F(what, n, strings.Join(parts, "，"))
	if doShip {
		sop := t.a.CarrierText(t.sopID)
		jd := tr.T("carrier.deliverjd")
		if t.jdID != "" && t.jdID != ship.DeliverToJD {
			jd = t.a.CarrierText(t.jdID)
		}
		if byType[printdata.SOP]+byType[printdata.Overseas] > 0 { // an overseas order goes with the SOP carrier
			text += "\n" + tr.F("batch.confirm.sopcarrier", sop)
		}
		if byType[printdata.LBP]+byType[printdata.SOPL] > 0 {
			text += "\n" + tr.F("batch.confirm.jdcarrier", jd)
		}
	}
	return text
}

// start runs the confirmed batch.
func (t *Batch) start(orders []printdata.Order, print, doShip bool) {
	a := t.a
	if t.running {
		return
	}
	for _, o := range orders {
		r := t.rows[t.index[o.ID]]
		r.working, r.err, r.failStep, r.skipped, r.message = true, nil, "", false, say.Text{}
	}
	t.list.Refresh()
	spec := fulfill.BatchSpec{Orders: orders, Print: print, Ship: doShip, Defaults: map[printdata.OrderType]string{}}
	if t.sopID != "" {
		spec.Defaults[printdata.SOP] = t.sopID
	}
	if t.jdID != "" {
		spec.Defaults[printdata.LBP] = t.jdID
		spec.Defaults[printdata.SOPL] = t.jdID
	}
	t.lastPrint, t.lastShip = print, doShip
	t.doneSeen = 0
	ctx, cancel := context.WithCancel(a.Ctx())
	t.running, t.cancel = true, cancel
	t.setRunning(true)
	t.bar.SetValue(0)
	t.summary = nil
	t.rate.SetText(fmt.Sprintf("0/%d", len(orders)))

	a.Go("batch", func() {
		defer cancel()
		var (
			sum fulfill.BatchSummary
			err error
		)
		func() {
			s, release, uerr := a.Use(ctx)
			if uerr != nil {
				err = uerr
				return
			}
			defer release()
			// Events come faster than a window redraws: they are gathered and shown together,
			// one window update at a time.
			var (
				mu        sync.Mutex
				pending   []fulfill.BatchEvent
				scheduled bool
			)
			sum, err = s.Batch(ctx, spec, func(ev fulfill.BatchEvent) {
				mu.Lock()
				pending = append(pending, ev)
				schedule := !scheduled
				scheduled = true
				mu.Unlock()
				if !schedule {
					return
				}
				a.Do(func() {
					mu.Lock()
					evs := pending
					pending, scheduled = nil, false
					mu.Unlock()
					t.events(evs)
				})
			})
		}()
		stopped := ctx.Err() != nil
		a.RefreshStatus()
		a.Do(func() { t.finished(sum, err, stopped) })
	})
}

// events shows steps of the running batch (UI goroutine). Events come in the order they
// happened; one whose Done count moved on is the last of its order.
func (t *Batch) events(evs []fulfill.BatchEvent) {
	for _, ev := range evs {
		ended := ev.Done > t.doneSeen
		if ended {
			t.doneSeen = ev.Done
		}
		i, ok := t.index[ev.OrderID]
		if !ok {
			continue
		}
		r := t.rows[i]
		switch {
		case errors.Is(ev.Err, fulfill.ErrStopped):
			// not done: left for the next run
		case ev.Status == fulfill.EventFailed:
			r.err, r.failStep, r.message = ev.Err, ev.Step, explain.Batch(ev)
			if r.err == nil {
				r.err = errors.New(ev.Step + " failed")
			}
		case ev.Status == fulfill.EventSkipped && ev.Step == "":
			r.skipped = true
		case ev.Status == fulfill.EventOK && ev.Step == journal.StepPrint:
			r.printed = true
		case ev.Status == fulfill.EventOK && ev.Step == journal.StepShip:
			r.shipped = true
		}
		if ended {
			r.working = false
		}
		t.list.RefreshItem(i)
	}
	if len(evs) == 0 {
		return
	}
	if ev := evs[len(evs)-1]; ev.Total > 0 {
		t.bar.SetValue(float64(ev.Done) / float64(ev.Total))
		eta := "—"
		if ev.ETA > 0 {
			eta = ev.ETA.Round(time.Second).String()
		}
		t.rate.SetText(t.limited(t.a.Tr().F("batch.rate", ev.Done, ev.Total, ev.Rate, eta)))
	}
}

// rateCutShown is how long after JD's last slow-down the batch line still says it.
const rateCutShown = 15 * time.Second

// limited adds to line that JD is limiting the station's calls, while it is.
func (t *Batch) limited(line string) string {
	if rate, at := t.a.RateCut(); !at.IsZero() && time.Since(at) < rateCutShown {
		return line + " · " + t.a.Tr().F("batch.ratecut", rate)
	}
	return line
}

func (t *Batch) finished(sum fulfill.BatchSummary, err error, stopped bool) {
	t.running, t.cancel = false, nil
	t.setRunning(false)
	t.release()
	for _, f := range sum.Failed {
		if i, ok := t.index[f.OrderID]; ok {
			t.rows[i].err, t.rows[i].failStep, t.rows[i].message = f.Err, f.Step, explain.Error(f.Err)
		}
	}
	failed := 0
	for _, r := range t.rows {
		r.working = false
		if r.err != nil {
			failed++
		}
	}
	if failed > 0 {
		t.retryBtn.Enable()
	} else {
		t.retryBtn.Disable()
	}
	t.list.Refresh()
	tr := t.a.Tr()
	if stopped {
		// The orders left were counted as done by the events: the bar shows where it stopped.
		if sum.Total > 0 {
			t.bar.SetValue(float64(sum.Total-sum.Unfinished) / float64(sum.Total))
		}
		t.summary = func() string {
			return tr.F("batch.cancelled", sum.Printed, sum.Shipped, len(sum.Failed)) + tr.F("batch.left", sum.Unfinished)
		}
	} else {
		t.summary = func() string {
			return tr.F("batch.summary", sum.Printed, sum.Shipped, sum.Skipped, len(sum.Failed))
		}
	}
	t.rate.SetText(t.summary())
	if err != nil && !stopped {
		t.a.ShowError(errors.New(tr.M(explain.Error(err))))
	}
}

func (t *Batch) setRunning(on bool) {
	for _, b := range []*widget.Button{t.PrintBtn, t.shipBtn, t.query, t.ClaimBtn} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		t.stopBtn.Enable()
		t.retryBtn.Disable()
	} else {
		t.stopBtn.Disable()
	}
}

// cancelRun stops the running batch; what was done stays done (the journal has it).
func (t *Batch) CancelRun() {
	if t.cancel != nil {
		t.cancel()
	}
}
