// Package afsdesk is the window's 售后 tab, the returns desk: a returned parcel's waybill or an
// order id scanned or typed brings up the order's after-sales cases (status, masked contact,
// description, result, schedule); a case is applied for with the type and expectation JD
// wants together, or cancelled after a confirmation; a returned parcel is booked with its
// condition. The workflows are fulfill's; this only draws.
package afsdesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"station/afs"
	"station/explain"
	"station/fulfill"
	"station/journal"
	"station/printdata"
	"station/say"
	"station/settings"
	"station/ui/i18n"
	"station/ui/keys"
)

// Host is what the desk needs of the window.
type Host interface {
	Tr() *i18n.Translator
	Do(fn func())
	Go(name string, fn func())
	Window() fyne.Window
	ShowDialog(d dialog.Dialog)
	WithStation(timeout time.Duration, f func(ctx context.Context, st *fulfill.Station) error) error
	Settings() settings.Settings // as saved: whether a scanner's Tab ends a scan
}

// Desk is the 售后 tab.
type Desk struct {
	a       Host
	Content fyne.CanvasObject

	Lookup *keys.ScanField // a returned parcel's waybill or an order id; Enter (or a scanner's Tab) finds it
	Find   *widget.Button
	Status *widget.Label // what the last action did

	OrderID string
	Cases   []fulfill.AfsView
	Booked  []journal.Return // the order's returns received
	cases   *fyne.Container
	booked  *widget.Label

	// Apply for a case. The fields and drop-downs hand a scanner's burst to the lookup: the next
	// parcel scanned while one of them has the keyboard is looked up, not typed in or dropped.
	Type     *keys.Select
	expect   *widget.Label
	Desc     *keys.Entry
	Images   *keys.Entry // URLs, one a line or comma-separated
	ApplyBtn *widget.Button

	// Book a returned parcel.
	Condition  *widget.RadioGroup
	Note       *keys.Entry
	CaseSel    *keys.Select
	ReceiveBtn *widget.Button
	scanned    string // the waybill the order was found by, if any
}

var conditionKeys = []i18n.Key{"afs.cond.good", "afs.cond.damaged", "afs.cond.missing"}

// New makes the desk.
func New(a Host) *Desk {
	tr := a.Tr()
	d := &Desk{a: a}
	d.Lookup = keys.NewScanField()
	d.Lookup.OnSubmitted = func(s string) { d.Show(s) }
	d.Lookup.TabSubmits = func() bool { return a.Settings().ScanEnd != "enter" }
	if sc, ok := a.(interface{ Shortcut(fyne.Shortcut) bool }); ok {
		d.Lookup.OnShortcut = sc.Shortcut // Ctrl+1…6 still switch tabs from the desk's field
	}
	d.Find = widget.NewButtonWithIcon("", theme.SearchIcon(), func() { d.Show(d.Lookup.Text) })
	d.Find.Importance = widget.HighImportance
	d.Status = widget.NewLabel("")
	d.Status.Wrapping = fyne.TextWrapWord
	d.cases = container.NewVBox()
	d.booked = widget.NewLabel("")
	d.booked.Wrapping = fyne.TextWrapWord

	burst := func(code string) { d.Show(code) }
	d.Type = keys.NewSelect(nil, func(string) { d.showExpect() }, burst)
	d.expect = widget.NewLabel("")
	d.Desc = keys.NewEntry(burst, false)
	d.Desc.MultiLine, d.Desc.Wrapping = true, fyne.TextWrapWord
	d.Desc.SetMinRowsVisible(2)
	d.Images = keys.NewEntry(burst, false)
	d.ApplyBtn = widget.NewButton("", d.Apply)
	d.ApplyBtn.Importance = widget.HighImportance

	d.Condition = widget.NewRadioGroup(nil, nil)
	d.Condition.Horizontal = true
	d.Note = keys.NewEntry(burst, false)
	d.CaseSel = keys.NewSelect(nil, nil, burst)
	d.ReceiveBtn = widget.NewButton("", d.Receive)
	d.ReceiveBtn.Importance = widget.HighImportance

	titles := map[i18n.Key]*widget.Label{}
	title := func(k i18n.Key) *widget.Label {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		titles[k] = l
		return l
	}
	casesTitle, applyTitle, receiveTitle := title("afs.cases"), title("afs.apply"), title("afs.receive")
	tr.Bind(func() {
		for k, l := range titles {
			l.SetText(tr.T(k))
		}
		d.Lookup.SetPlaceHolder(tr.T("afs.lookup"))
		d.Find.SetText(tr.T("afs.find"))
		types := make([]string, len(afs.Types))
		for i, t := range afs.Types {
			types[i] = fmt.Sprintf("%d %s", int(t), tr.M(t.Name()))
		}
		sel := d.Type.SelectedIndex()
		d.Type.SetOptions(types)
		if sel >= 0 {
			d.Type.SetSelectedIndex(sel)
		}
		d.Type.PlaceHolder = tr.T("afs.type")
		d.Desc.SetPlaceHolder(tr.T("afs.desc"))
		d.Images.SetPlaceHolder(tr.T("afs.images"))
		d.ApplyBtn.SetText(tr.T("afs.apply.send"))
		conds := make([]string, len(conditionKeys))
		for i, k := range conditionKeys {
			conds[i] = tr.T(k)
		}
		selCond := d.conditionIndex()
		d.Condition.Options = conds
		if selCond >= 0 {
			d.Condition.Selected = conds[selCond]
		}
		d.Condition.Refresh()
		d.Note.SetPlaceHolder(tr.T("afs.note"))
		d.CaseSel.PlaceHolder = tr.T("afs.case.none")
		d.ReceiveBtn.SetText(tr.T("afs.receive.send"))
		d.showExpect()
		d.render()
	})

	lookup := container.NewBorder(nil, nil, nil, d.Find, d.Lookup)
	left := container.NewBorder(casesTitle, nil, nil, nil, container.NewVScroll(d.cases))
	apply := container.NewVBox(applyTitle, container.NewBorder(nil, nil, nil, d.expect, d.Type), d.Desc, d.Images, d.ApplyBtn)
	receive := container.NewVBox(receiveTitle, d.Condition, d.Note, d.CaseSel, d.ReceiveBtn, d.booked)
	right := container.NewVScroll(container.NewVBox(apply, widget.NewSeparator(), receive))
	split := container.NewHSplit(left, right)
	split.Offset = 0.55
	d.Content = container.NewBorder(container.NewVBox(lookup, d.Status), nil, nil, nil, split)
	return d
}

func (d *Desk) conditionIndex() int {
	for i, o := range d.Condition.Options {
		if o == d.Condition.Selected {
			return i
		}
	}
	return -1
}

func (d *Desk) chosenType() (afs.Type, bool) {
	if i := d.Type.SelectedIndex(); i >= 0 {
		return afs.Types[i], true
	}
	return 0, false
}

// showExpect shows the one expectation the chosen type goes with (JD refuses any other).
func (d *Desk) showExpect() {
	tr := d.a.Tr()
	t, ok := d.chosenType()
	if !ok {
		d.expect.SetText("")
		return
	}
	e, _ := afs.ExpectFor(t)
	d.expect.SetText(tr.F("afs.expect", tr.M(e.Name()), int(e)))
}

func (d *Desk) say(err error, ok string) {
	tr := d.a.Tr()
	if err != nil {
		d.Status.Importance = widget.DangerImportance
		d.Status.SetText(tr.M(explain.Error(err)))
		return
	}
	d.Status.Importance = widget.SuccessImportance
	d.Status.SetText(ok)
}

// Show finds the order a scan or a typed id names and shows its cases and returns.
func (d *Desk) Show(scanned string) { d.show(strings.TrimSpace(scanned), "", true) }

// show finds scanned's order; waybill is the returned parcel's it was found by before (a
// reload, which leaves the status line to the action that caused it unless say).
func (d *Desk) show(scanned, waybill string, say bool) {
	if scanned == "" {
		return
	}
	a := d.a
	a.Go("afs", func() {
		var (
			id     string
			views  []fulfill.AfsView
			booked []journal.Return
		)
		err := a.WithStation(30*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			if id, err = st.ReturnOrder(ctx, scanned); err != nil {
				return err
			}
			if views, err = st.AfsCases(ctx, id); err != nil {
				return err
			}
			booked, err = st.Returns(ctx, journal.ReturnFilter{Query: id})
			return err
		})
		a.Do(func() {
			if err != nil {
				d.say(err, "")
				return
			}
			d.OrderID, d.Cases, d.Booked = id, views, booked
			d.scanned = waybill
			if !strings.EqualFold(scanned, id) {
				d.scanned = strings.ToUpper(scanned)
			}
			d.Lookup.SetText("")
			d.render()
			if say {
				d.say(nil, a.Tr().F("afs.found", id, len(views)))
			}
		})
	})
}

// render draws the order's cases and returns.
func (d *Desk) render() {
	tr := d.a.Tr()
	objs := []fyne.CanvasObject{}
	if d.OrderID != "" && len(d.Cases) == 0 {
		objs = append(objs, widget.NewLabel(tr.F("afs.none", d.OrderID)))
	}
	options := []string{}
	for _, v := range d.Cases {
		objs = append(objs, d.caseCard(v))
		options = append(options, fmt.Sprintf("%d %s %s", v.Case.ID, tr.M(v.Case.Type.Name()), tr.M(v.Case.Status.Name())))
	}
	d.cases.Objects = objs
	d.cases.Refresh()
	d.CaseSel.SetOptions(options)
	d.CaseSel.ClearSelected()
	var lines []string
	for _, r := range d.Booked {
		line := fmt.Sprintf("%s  %s", r.At.Local().Format("01-02 15:04"), tr.M(explain.ReturnCondition(r.Condition)))
		if r.Note != "" {
			line += "：" + say.Short(say.Safe(r.Note), 80) // typed at any station on the journal
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		d.booked.SetText("")
	} else {
		d.booked.SetText(tr.T("afs.booked") + "\n" + strings.Join(lines, "\n"))
	}
}

// CaseTexts are the cases as the desk shows them.
func (d *Desk) CaseTexts() []string {
	out := make([]string, len(d.Cases))
	for i, v := range d.Cases {
		out[i] = d.caseText(v)
	}
	return out
}

func (d *Desk) caseText(v fulfill.AfsView) string {
	tr := d.a.Tr()
	c := v.Case
	lines := []string{tr.F("afs.case.head", c.ID, tr.M(c.Status.Name()), tr.M(c.Type.Name()))}
	if v.Detail.Contact != "" || v.Detail.Phone != "" {
		lines = append(lines, tr.F("afs.case.contact", printdata.MaskName(v.Detail.Contact), printdata.MaskPhone(v.Detail.Phone)))
	}
	if v.Detail.Question != "" {
		lines = append(lines, tr.F("afs.case.question", v.Detail.Question))
	}
	if v.Detail.Result != "" {
		lines = append(lines, tr.F("afs.case.result", v.Detail.Result))
	}
	for i := len(v.Schedule) - 1; i >= 0; i-- {
		s := v.Schedule[i]
		mark := "○"
		if i == len(v.Schedule)-1 {
			mark = "●" // where the case is now
		}
		lines = append(lines, fmt.Sprintf("  %s %s  %s", mark, s.At.Local().Format("01-02 15:04"), s.Text))
	}
	if v.Err != nil {
		lines = append(lines, tr.M(explain.Error(v.Err)))
	}
	return strings.Join(lines, "\n")
}

func (d *Desk) caseCard(v fulfill.AfsView) fyne.CanvasObject {
	tr := d.a.Tr()
	text := widget.NewLabel(d.caseText(v))
	text.Wrapping = fyne.TextWrapWord
	var right fyne.CanvasObject
	if v.Case.Status.Open() {
		id := v.Case.ID
		b := widget.NewButtonWithIcon(tr.T("afs.cancel"), theme.CancelIcon(), func() { d.AskCancel(id) })
		b.Importance = widget.WarningImportance
		right = container.NewVBox(b)
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, right, text), widget.NewSeparator())
}

// Apply sends the application the form describes, checked first.
func (d *Desk) Apply() {
	tr := d.a.Tr()
	t, ok := d.chosenType()
	if d.OrderID == "" || !ok {
		d.say(errors.New(tr.T("afs.apply.first")), "")
		return
	}
	e, _ := afs.ExpectFor(t)
	var images []string
	for _, f := range strings.FieldsFunc(d.Images.Text, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == '，' }) {
		images = append(images, f)
	}
	app, err := afs.Application{OrderID: d.OrderID, Type: t, Expect: e, Question: d.Desc.Text, Images: images}.Check()
	if err != nil {
		d.say(err, "")
		return
	}
	a := d.a
	d.ApplyBtn.Disable()
	a.Go("afs-apply", func() {
		var res fulfill.AfsApplied
		err := a.WithStation(time.Minute, func(ctx context.Context, st *fulfill.Station) (err error) {
			res, err = st.AfsApply(ctx, app)
			return err
		})
		a.Do(func() {
			d.ApplyBtn.Enable()
			if err == nil {
				d.Desc.SetText("")
				d.Images.SetText("")
			}
			d.say(err, a.Tr().F("afs.applied", app.OrderID, res.CaseID))
			if err == nil {
				d.reload()
			}
		})
	})
}

// AskCancel asks before cancelling the case.
func (d *Desk) AskCancel(caseID int64) {
	tr := d.a.Tr()
	c := dialog.NewConfirm(tr.T("afs.cancel"), tr.F("afs.cancel.ask", caseID), func(ok bool) {
		if ok {
			d.Cancel(caseID)
		}
	}, d.a.Window())
	d.a.ShowDialog(c)
}

// Cancel cancels the case at JD.
func (d *Desk) Cancel(caseID int64) {
	a := d.a
	a.Go("afs-cancel", func() {
		err := a.WithStation(30*time.Second, func(ctx context.Context, st *fulfill.Station) error { return st.AfsCancel(ctx, caseID) })
		a.Do(func() {
			d.say(err, a.Tr().F("afs.cancelled", caseID))
			if err == nil {
				d.reload()
			}
		})
	})
}

// Receive books the returned parcel of the order shown.
func (d *Desk) Receive() {
	tr := d.a.Tr()
	i := d.conditionIndex()
	if d.OrderID == "" || i < 0 {
		d.say(errors.New(tr.T("afs.receive.first")), "")
		return
	}
	r := journal.Return{OrderID: d.OrderID, Waybill: d.scanned, Condition: journal.Conditions[i], Note: strings.TrimSpace(d.Note.Text)}
	if k := d.CaseSel.SelectedIndex(); k >= 0 && k < len(d.Cases) {
		r.CaseID = d.Cases[k].Case.ID
	}
	a := d.a
	a.Go("afs-receive", func() {
		var got journal.Return
		err := a.WithStation(30*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			got, err = st.ReceiveReturn(ctx, r)
			return err
		})
		a.Do(func() {
			d.say(err, a.Tr().F("afs.received", r.OrderID, a.Tr().M(explain.ReturnCondition(r.Condition))))
			if err == nil {
				d.Note.SetText("")
				d.Condition.SetSelected("")
				d.Booked = append([]journal.Return{got}, d.Booked...)
				d.render()
			}
		})
	})
}

// reload shows the order again after a change.
func (d *Desk) reload() {
	if d.OrderID != "" {
		d.show(d.OrderID, d.scanned, false)
	}
}
