// Package scantab is the window's 扫描发货 tab: the scan field that always has the keyboard, the
// result banner, the verification panel, the label preview, the exception list and the recent
// scans, over a scan.Scanner that one worker runs off the UI goroutine. The window is its Host.
package scantab

import (
	"fmt"
	"image"
	"station/printer/queue"
	"station/render/raster"
	"station/sound"
	"station/ui/choice"
	"station/ui/exceptions"
	"station/ui/i18n"
	"station/ui/keys"
	"station/ui/look"
	"station/ui/pack"
	"station/verify"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/jdorder"
	"station/printdata"
	"station/say"
	"station/scan"
	"station/settings"
	"station/ship"
)

// previewDPI is the resolution of the label preview: the common thermal printers' 203 dpi.
const previewDPI = 203

// recentMax is how many scans the recent list keeps.
const recentMax = 20

// Tab is the page a packer works on all day: a scan field that always has the keyboard, the
// result in a big banner, the label just printed and the last scans. The exported widgets and
// state are for the window and its tests; only the UI goroutine touches them.
type Tab struct {
	a        Host
	Away     *widget.Label // the printer is away: why, and how many labels wait
	Silent   *widget.Label // no sound device: the prompts are off
	QueueLbl *widget.Label // scans waiting behind the one being handled
	queued   int           // scans handed to the worker and not shown yet (UI goroutine)
	Entry    *keys.ScanField
	Submit   *widget.Button
	ModeBtns []*widget.Button
	modeLbl  *widget.Label
	Pkgs     *widget.Label
	pkgLbl   *widget.Label
	Carrier  *keys.SinkSelect
	carLbl   *widget.Label
	CancelW  *widget.Button
	reprint  *widget.Button
	Banner   *look.Banner
	Preview  *canvas.Image
	noPrev   *widget.Label
	Recent   []Record
	list     *widget.List
	Content  fyne.CanvasObject
	Exc      scan.Exceptions // what did not go through, until a person deals with it
	ExcList  *exceptions.List
	Pack     *pack.Panel // the order under verification
	Notes    *Notes      // the last order's remarks, and a remark or a delete request for it
	// JDLabelBtn shows JD's own label of the previewed order beside the station's.
	JDLabelBtn *widget.Button
	jdLabel    *jdorder.JDLabel
	PrevPane   fyne.CanvasObject
	split      *container.Split

	// UI goroutine state.
	Packages   int
	carriers   []ship.Carrier
	CarrierID  string // "" = detect from the waybill
	Awaiting   string // the order waiting for its waybill scan
	awaitType  printdata.OrderType
	packing    string        // the order under verification
	reason     dialog.Dialog // the 跳过验货 reason dialog, while open
	reasonFor  string        // the order it was opened for
	lastDone   string        // the order of the last "already done" result, for the reprint button
	PreviewOf  string        // the order whose label the preview shows
	prevHolder *fyne.Container

	jobs chan scanJob // to the worker, which alone uses the scan.Scanner
	done chan struct{}
}

// scanJob is one thing for the scan worker to do.
type scanJob struct {
	line    string
	opts    scan.Options
	verify  string // the verification setting (settings.VerifyAuto, On, Off)
	cancel  bool   // drop the awaited order
	reprint string // reprint this order instead of scanning
	// waybill with logistics: the awaited order's waybill with the carrier the packer chose
	// among the ones it could belong to.
	waybill, logistics string
}

// Record is one line of the recent-scans list.
type Record struct {
	at      time.Time
	OrderID string
	typ     printdata.OrderType
	status  scan.Status
	OK      bool
	Warn    bool // went through but nothing was done (already done): amber, not a green tick
	message say.Text
	line    string   // what was scanned, when no order id came of it
	title   i18n.Key // instead of the status's word (错货, 多件, 未知条码)
}

var modeMsgs = map[settings.ScanMode]i18n.Key{settings.ScanPrint: "mode.print", settings.ScanPrintShip: "mode.printship", settings.ScanShipOnly: "mode.shiponly"}

func fulfillMode(m settings.ScanMode) scan.Mode {
	switch m {
	case settings.ScanPrint:
		return scan.ModePrint
	case settings.ScanShipOnly:
		return scan.ModeShipOnly
	}
	return scan.ModePrintShip
}

// New makes the tab and starts its worker; Close stops it.
func New(a Host) *Tab {
	t := &Tab{a: a, Packages: a.Settings().Packages, jobs: make(chan scanJob, 256), done: make(chan struct{})}
	if t.Packages < 1 {
		t.Packages = 1
	}
	tr := a.Tr()

	t.Entry = keys.NewScanField()
	t.Entry.OnSubmitted = t.SubmitLine
	t.Entry.OnKey = t.hotkey
	t.Entry.OnFocusLost = t.focusLost
	t.Entry.TabSubmits = func() bool { return a.Settings().ScanEnd != "enter" }
	t.Entry.OnShortcut = a.Shortcut
	t.Submit = a.Button("", func() { t.SubmitLine(t.Entry.Text) })
	t.Submit.Importance = widget.HighImportance
	tr.Bind(func() {
		t.Submit.SetText(tr.T("scan.submit"))
		t.updatePlaceholder()
	})
	entryBox := container.NewThemeOverride(container.NewBorder(nil, nil, nil, t.Submit, t.Entry), look.ScanField{})

	t.modeLbl = widget.NewLabel("")
	// The modes are three buttons, the chosen one highlighted: big targets, readable at a glance.
	t.ModeBtns = make([]*widget.Button, len(settings.ScanModes))
	for i, m := range settings.ScanModes {
		t.ModeBtns[i] = a.Button("", func() { t.SetMode(m) })
	}
	tr.Bind(func() {
		t.modeLbl.SetText(tr.T("scan.mode"))
		for i, m := range settings.ScanModes {
			t.ModeBtns[i].SetText(tr.T(modeMsgs[m]))
		}
		t.showMode()
	})
	modeBox := container.NewHBox()
	for _, b := range t.ModeBtns {
		modeBox.Add(b)
	}

	t.pkgLbl = widget.NewLabel("")
	t.Pkgs = widget.NewLabel(strconv.Itoa(t.Packages))
	t.Pkgs.SizeName = look.SizeCount
	t.Pkgs.TextStyle = fyne.TextStyle{Bold: true}
	minus := a.Button("", func() { t.SetPackages(t.Packages - 1) })
	minus.Icon = theme.ContentRemoveIcon()
	plus := a.Button("", func() { t.SetPackages(t.Packages + 1) })
	plus.Icon = theme.ContentAddIcon()
	tr.Bind(func() { t.pkgLbl.SetText(tr.T("scan.packages")) })

	t.carLbl = widget.NewLabel("")
	t.Carrier = keys.NewSinkSelect(t.Entry)
	tr.Bind(func() {
		t.carLbl.SetText(tr.T("scan.carrier"))
		t.fillCarriers()
	})

	t.CancelW = a.Button("", func() { t.cancelWait() })
	t.CancelW.Importance = widget.WarningImportance
	t.CancelW.Hide()
	t.reprint = a.Button("", func() { t.reprintLast() })
	t.reprint.Hide()
	tr.Bind(func() {
		t.CancelW.SetText(tr.T("scan.cancelwait"))
		t.reprint.SetText(tr.T("scan.reprint"))
	})

	t.Banner = look.NewBanner(tr)
	t.showIdle()

	t.Preview = canvas.NewImageFromImage(nil)
	t.Preview.FillMode = canvas.ImageFillContain
	t.Preview.ScaleMode = canvas.ImageScaleSmooth
	// Small enough that the scan tab with a label on it still fits a 1024x768 screen.
	t.Preview.SetMinSize(fyne.NewSize(200, 300))
	t.noPrev = widget.NewLabel("")
	t.noPrev.Alignment = fyne.TextAlignCenter
	prevTitle := widget.NewLabel("")
	prevTitle.TextStyle = fyne.TextStyle{Bold: true}
	tr.Bind(func() {
		prevTitle.SetText(tr.T("scan.preview"))
		t.noPrev.SetText(tr.T("scan.preview.none"))
	})
	paper := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	t.prevHolder = container.NewStack(paper, container.NewCenter(t.noPrev), t.Preview)
	t.Preview.Hide()

	t.list = widget.NewList(
		func() int { return len(t.Recent) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.ConfirmIcon()), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(t.Recent) {
				return
			}
			r := t.Recent[i]
			c := o.(*fyne.Container)
			l := c.Objects[0].(*widget.Label)
			ic := c.Objects[1].(*widget.Icon)
			l.SetText(t.recordText(r))
			switch {
			case r.Warn:
				ic.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
			case r.OK:
				ic.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
			default:
				ic.SetResource(theme.NewErrorThemedResource(theme.CancelIcon()))
			}
		})
	t.list.OnSelected = func(widget.ListItemID) {
		t.list.UnselectAll()
		a.Refocus()
	}
	recentTitle := widget.NewLabel("")
	recentTitle.TextStyle = fyne.TextStyle{Bold: true}
	tr.Bind(func() {
		recentTitle.SetText(tr.T("scan.recent"))
		t.list.Refresh()
	})

	t.Silent = widget.NewLabel("")
	t.Silent.Importance = widget.WarningImportance
	t.Silent.Hide()
	controls := container.NewHBox(t.modeLbl, modeBox, widget.NewSeparator(), t.pkgLbl, minus, t.Pkgs, plus,
		widget.NewSeparator(), t.carLbl, container.NewGridWrap(fyne.NewSize(230, t.Carrier.MinSize().Height), t.Carrier), layout.NewSpacer(), t.reprint, t.CancelW)
	t.Away = widget.NewLabel("")
	t.Away.Importance = widget.WarningImportance
	t.Away.Wrapping = fyne.TextWrapWord
	t.Away.Hide()
	t.QueueLbl = widget.NewLabel("")
	t.QueueLbl.Importance = widget.WarningImportance
	t.QueueLbl.Hide()
	rows := []fyne.CanvasObject{controls, entryBox, t.Silent, t.Away, t.QueueLbl, t.Banner.Content}
	t.JDLabelBtn = a.Button("", t.CompareJDLabel)
	t.JDLabelBtn.Hide()
	tr.Bind(func() { t.JDLabelBtn.SetText(tr.T("jdlabel.show")) })
	t.PrevPane = container.NewBorder(container.NewBorder(nil, nil, nil, t.JDLabelBtn, prevTitle), nil, nil, nil, t.prevHolder)
	t.Pack = pack.New(tr, t.decide, t.askReason)
	t.Pack.Content.Hide()
	left := container.NewStack(t.PrevPane, t.Pack.Content)
	t.ExcList = exceptions.New(tr, t.Act, func(i int) {
		t.Exc.Clear(i)
		t.ExcList.Set(t.Exc.List())
	}, a.Refocus)
	lists := container.NewVSplit(t.ExcList.Content, container.NewBorder(recentTitle, nil, nil, nil, t.list))
	lists.Offset = 0.45
	// The order's remarks head the right-hand side, right under the banner: the left side's
	// preview already sets the tab's height, so they cost none of a 768-pixel screen.
	t.Notes = newNotes(t)
	right := container.NewBorder(t.Notes.Content, nil, nil, nil, lists)
	t.split = container.NewHSplit(left, right)
	t.split.Offset = 0.34
	t.Content = container.New(look.Column{Banner: len(rows) - 1, OnBannerHeight: t.Banner.SetHeight}, append(rows, t.split)...)

	go t.worker()
	return t
}

// SetMode switches the scan mode and remembers it.
func (t *Tab) SetMode(m settings.ScanMode) {
	if t.a.Settings().ScanMode != m {
		t.a.SetScanMode(m)
	}
	t.showMode()
}

// showMode highlights the current mode's button.
func (t *Tab) showMode() {
	for i, m := range settings.ScanModes {
		imp := widget.MediumImportance
		if m == t.a.Settings().ScanMode {
			imp = widget.HighImportance
		}
		if t.ModeBtns[i].Importance != imp {
			t.ModeBtns[i].Importance = imp
			t.ModeBtns[i].Refresh()
		}
	}
}

func (t *Tab) SetPackages(n int) {
	if n < 1 || n > ship.MaxPackages {
		return
	}
	t.Packages = n
	t.Pkgs.SetText(strconv.Itoa(n))
}

// resetChoices puts the per-order choices back to their defaults after an order: the parcel
// count (settings' packages, 1 unless set) and, unless an order waits for its waybill, the
// one-off carrier. A count or carrier set for one order never carries over to the next.
func (t *Tab) resetChoices() {
	if t.Packages != max(t.a.Settings().Packages, 1) {
		t.SetPackages(max(t.a.Settings().Packages, 1))
	}
	if t.Awaiting == "" && t.CarrierID != "" {
		t.CarrierID = ""
		t.fillCarriers()
	}
}

// fillCarriers lists the shop's carriers in the carrier choice, "detect" first.
func (t *Tab) fillCarriers() {
	choice.Carrier(&t.Carrier.Select, &choice.Extra{Name: t.a.Tr().T("scan.carrier.detect")}, t.carriers, t.CarrierID, func(id string) {
		t.CarrierID = id
		t.a.Refocus()
	})
}

// options are the scan options the controls show.
func (t *Tab) options() scan.Options {
	return scan.Options{Mode: fulfillMode(t.a.Settings().ScanMode), Packages: t.Packages, Logistics: t.CarrierID,
		Tolerance: verify.Tolerance{Grams: t.a.Settings().ToleranceG, Percent: t.a.Settings().TolerancePct}}
}

// job is a scan of line with the options the controls show.
func (t *Tab) job(line string) scanJob {
	return scanJob{line: line, opts: t.options(), verify: t.a.Settings().Verify}
}

// decide sends a packer's decision on the order under verification to the scan line.
func (t *Tab) decide(cmd, arg string) {
	if t.packing == "" {
		return
	}
	id := t.packing
	t.enqueue(t.job(":" + cmd + " " + arg))
	t.Banner.Show(look.Working, func() (string, string) { return t.a.Tr().F("scan.working", id), "" })
	t.a.Refocus()
}

// askReason asks why verification is skipped (pack.AskReason).
func (t *Tab) askReason(done func(string)) {
	id := t.packing
	t.reason = pack.AskReason(t.a.Tr(), t.a.Window(), t.a.ShowDialog, t.a.Refocus, t.SubmitLine, func(r string) {
		if t.packing == id { // the reason is for this order only
			done(r)
		}
	})
	t.reasonFor = id
}

// closeReason closes the reason dialog when the order it was opened for is no longer the one
// being verified (completed by a scan, set aside).
func (t *Tab) closeReason(packing string) {
	if t.reason != nil && (packing == "" || t.reasonFor != packing) {
		t.reason.Hide()
		t.reason, t.reasonFor = nil, ""
	}
}

// showPacking puts the order under verification on the left, its lines large, or the label
// preview back when there is none.
func (t *Tab) showPacking(v *verify.View, r scan.Result) {
	if v == nil {
		t.closeReason("")
		if t.packing != "" {
			t.packing = ""
			t.updatePlaceholder()
		}
		if t.Pack.Content.Visible() {
			t.Pack.Clear()
			t.Pack.Content.Hide()
			t.PrevPane.Show()
			t.split.Offset = 0.34
			t.split.Refresh()
		}
		return
	}
	if t.packing != v.OrderID {
		t.packing = v.OrderID
		t.updatePlaceholder()
	}
	if t.reason != nil && t.reasonFor != v.OrderID {
		t.closeReason(v.OrderID)
	}
	t.Pack.Show(*v, r)
	if !t.Pack.Content.Visible() {
		t.PrevPane.Hide()
		t.Pack.Content.Show()
		t.split.Offset = 0.55
		t.split.Refresh()
	}
}

// hotkey handles the scan field's keys: F1-F3 choose the mode, Escape stops waiting for a waybill.
func (t *Tab) hotkey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyF1:
		t.SetMode(settings.ScanPrint)
	case fyne.KeyF2:
		t.SetMode(settings.ScanPrintShip)
	case fyne.KeyF3:
		t.SetMode(settings.ScanShipOnly)
	case fyne.KeyEscape:
		if t.packing != "" {
			t.decide("aside", "Esc")
		} else if t.Awaiting != "" {
			t.cancelWait()
		} else {
			t.Entry.SetText("")
		}
	default:
		return false
	}
	return true
}

// Elsewhere takes the keys typed while nothing has the keyboard and another tab is showing (the
// returns desk, whose scans go into its own field); it drops those it has no field for.
type Elsewhere interface {
	TypedRune(r rune)
	TypedKey(k *fyne.KeyEvent)
}

// InstallFallback catches a scan typed while nothing has the keyboard (after a click on an
// empty part of the window): the characters go into the scan field, Enter submits it; on
// another tab they go to elsewhere (may be nil).
func (t *Tab) InstallFallback(elsewhere Elsewhere) {
	c := t.a.Window().Canvas()
	// With a dialog open the keys still make a scan: the field takes them without taking the
	// keyboard from the dialog, so a scan is never dropped while a message is on screen.
	c.SetOnTypedRune(func(r rune) {
		if !t.visible() {
			if elsewhere != nil && t.a.DialogsOpen() == 0 {
				elsewhere.TypedRune(r)
			}
			return
		}
		if t.a.DialogsOpen() == 0 {
			c.Focus(t.Entry)
		}
		t.Entry.TypedRune(r)
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if !t.visible() {
			if elsewhere != nil && t.a.DialogsOpen() == 0 {
				elsewhere.TypedKey(k)
			}
			return
		}
		if t.a.DialogsOpen() > 0 {
			if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
				t.SubmitLine(t.Entry.Text)
			}
			return
		}
		switch {
		case k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter:
			t.SubmitLine(t.Entry.Text)
		case k.Name == fyne.KeyEscape && t.Carrier.CloseMenu():
		case !t.hotkey(k):
			return
		}
		t.a.Refocus()
	})
}

func (t *Tab) visible() bool { return t.a.Showing(t.Content) }

// focusLost takes the keyboard back for the scan field when it went nowhere (a click on an
// empty part of the window). Focus moved to another field (a dialog, the settings) stays there.
func (t *Tab) focusLost() {
	a := t.a
	a.Go("refocus", func() {
		select {
		case <-time.After(100 * time.Millisecond):
		case <-a.Stopping():
			return
		}
		a.Do(func() {
			if a.Window().Canvas().Focused() == nil {
				a.Refocus()
			}
		})
	})
}

func (t *Tab) updatePlaceholder() {
	switch {
	case t.packing != "":
		t.Entry.SetPlaceHolder(t.a.Tr().F("scan.placeholder.item", t.packing))
	case t.Awaiting != "":
		t.Entry.SetPlaceHolder(t.a.Tr().F("scan.placeholder.wb", t.Awaiting))
	default:
		t.Entry.SetPlaceHolder(t.a.Tr().T("scan.placeholder"))
	}
}

// SubmitLine hands a scanned line to the worker. The field is cleared at once so that the next
// scan can follow while this one is handled.
func (t *Tab) SubmitLine(line string) {
	t.Entry.SetText("")
	t.Silent.Hide()       // said once: the packer has seen it
	t.Carrier.CloseMenu() // a scan closes the carrier list left open
	t.a.Refocus()
	if strings.TrimSpace(line) == "" {
		return
	}
	t.enqueue(t.job(line))
	t.Banner.Show(look.Working, func() (string, string) {
		return t.a.Tr().F("scan.working", strings.TrimSpace(line)), ""
	})
}

func (t *Tab) cancelWait() {
	t.enqueue(scanJob{cancel: true})
}

func (t *Tab) reprintLast() {
	if t.lastDone == "" {
		return
	}
	id := t.lastDone
	t.enqueue(scanJob{reprint: id, opts: t.options()})
	t.Banner.Show(look.Working, func() (string, string) { return t.a.Tr().F("scan.working", id), "" })
}

// showQueue says how many scans wait behind the one being handled (a slow printer or JD):
// every one of them will be handled, in order.
func (t *Tab) showQueue() {
	if waiting := t.queued - 1; waiting > 0 {
		t.QueueLbl.SetText(t.a.Tr().F("scan.queued", waiting))
		t.QueueLbl.Show()
	} else {
		t.QueueLbl.Hide()
	}
}

// ShowSilent says once, on the scan tab, that there is no sound device: the prompts are off.
// The line goes at the first scan.
func (t *Tab) ShowSilent() {
	t.Silent.SetText(t.a.Tr().T("scan.nosound"))
	t.Silent.Show()
}

// noteException keeps a result that did not go through in the exception list, and clears
// the order's exception when it did.
func (t *Tab) noteException(r scan.Result) {
	if t.Exc.Add(r) {
		t.ExcList.Set(t.Exc.List())
	}
}

// act runs an exception's way forward: scan the order again (retry, or resume a set-aside
// order, which then asks for its waybill) or reprint its label.
func (t *Tab) Act(e scan.Exception) {
	id := e.Result.OrderID
	if id == "" {
		return
	}
	switch e.Action {
	case scan.ActionReprint:
		t.enqueue(scanJob{reprint: id, opts: t.options()})
	default:
		t.enqueue(t.job(id))
	}
	t.Banner.Show(look.Working, func() (string, string) { return t.a.Tr().F("scan.working", id), "" })
}

func (t *Tab) enqueue(j scanJob) {
	t.a.WorkAdd()
	select {
	case t.jobs <- j:
		t.queued++
		t.showQueue()
	default:
		// 256 scans behind: the station is not keeping up (JD or the printer is stuck).
		t.a.WorkDone()
		t.Banner.Show(look.Fail, func() (string, string) {
			return t.a.Tr().T("result.failed"), t.a.Tr().T("batch.busy")
		})
	}
}

// close stops the worker; queued scans are dropped.
func (t *Tab) Close() {
	select {
	case <-t.done:
	default:
		close(t.done)
	}
}

// Connected is called (UI goroutine) when a connection attempt finished, with its error.
func (t *Tab) Connected(err error) {
	if err != nil {
		t.Banner.Show(look.Fail, func() (string, string) {
			return t.a.Tr().T("result.failed"), t.a.Tr().F("scan.notconnected", t.a.Tr().M(explain.Error(err)))
		})
		return
	}
	t.showIdle()
	t.a.LoadCarriers(false, func(list []ship.Carrier, err error) {
		if err == nil {
			t.carriers = list
			t.fillCarriers()
		}
	})
}

func (t *Tab) showIdle() {
	t.Banner.Show(look.Idle, func() (string, string) {
		return t.a.Tr().T("scan.ready"), t.a.Tr().T("scan.ready.hint")
	})
}

// scanOutcome is what the worker hands back to the UI goroutine.
type scanOutcome struct {
	res       scan.Result
	line      string
	awaiting  string
	awaitType printdata.OrderType
	packing   *verify.View // the order under verification after this scan
	cancelled bool
	err       error // no session
}

// worker handles the scan jobs one after the other, off the UI goroutine. It alone uses the
// Scanner, which is not safe for concurrent use.
func (t *Tab) worker() {
	a := t.a
	var (
		sc     *scan.Scanner
		scSess Session
	)
	for {
		var j scanJob
		select {
		case <-t.done:
			// The window is closing: scans still queued are dropped, and no longer waited for.
			for {
				select {
				case <-t.jobs:
					a.WorkDone()
				default:
					return
				}
			}
		case j = <-t.jobs:
		}
		func() {
			defer t.a.WorkDone()
			defer t.a.RecoverTo("scan")
			out := scanOutcome{line: strings.TrimSpace(j.line)}
			s, release, err := t.a.ScanSession(t.a.Ctx())
			if err != nil {
				out.err = err
				a.Do(func() { t.show(out, nil) })
				return
			}
			defer release()
			if sc == nil || scSess != s {
				sc, scSess = scan.New(s.Workflows(), j.opts), s
			}
			switch {
			case j.cancel:
				sc.Cancel()
				out.cancelled = true
			case j.reprint != "":
				res, err := scan.Reprint(t.a.Ctx(), s.Workflows(), j.reprint, 0)
				if err != nil && res.Err == nil {
					res.Err = err
					res.Status = scan.Failed
					res.OrderID = j.reprint
				}
				out.res = res
			case j.waybill != "":
				out.res = sc.SubmitWaybill(t.a.Ctx(), j.logistics, j.waybill)
			default:
				opts, err := t.verifyOptions(s, j)
				if err != nil {
					out.res = scan.Result{Status: scan.Failed, Input: out.line, Err: err, At: time.Now()}
					break
				}
				sc.SetOptions(opts)
				out.res = sc.Submit(t.a.Ctx(), j.line)
			}
			if v, ok := sc.Packing(); ok {
				out.packing = &v
			}
			if id, ok := sc.Awaiting(); ok {
				out.awaiting = id
				if out.res.OrderID == id {
					out.awaitType = out.res.Type
				}
			}
			a.Do(func() { t.show(out, nil) })
			if l := out.res.Label; l != nil {
				img := raster.Draw(l, previewDPI)
				a.Do(func() { t.show(out, img) })
			}
			t.a.RefreshStatus()
		}()
	}
}

// verifyOptions adds the verification of the settings to a job's options: the session's
// product table (auto: on when it has products) and scale.
func (t *Tab) verifyOptions(s Session, j scanJob) (scan.Options, error) {
	opts := j.opts
	if j.verify == settings.VerifyOff {
		return opts, nil
	}
	cat, err := s.Catalog(t.a.Ctx())
	if err != nil {
		return opts, err
	}
	opts.Verify = settings.Settings{Verify: j.verify}.Verifying(cat.Len())
	opts.Catalog, opts.Scale = cat, s.Scale()
	return opts, nil
}

// show puts a scan's outcome on screen (UI goroutine). It is called once with the result and,
// when there is a label, again with its preview.
func (t *Tab) show(out scanOutcome, preview image.Image) {
	tr := t.a.Tr()
	if preview != nil {
		t.Preview.Image = preview
		t.Preview.Show()
		t.noPrev.Hide()
		t.Preview.Refresh()
		return
	}
	t.queued = max(t.queued-1, 0)
	t.showQueue()
	prevAwait := t.Awaiting
	t.Awaiting = out.awaiting
	if out.awaitType != "" || out.awaiting == "" {
		t.awaitType = out.awaitType
	}
	t.CancelW.Hidden = t.Awaiting == ""
	t.CancelW.Refresh()
	t.updatePlaceholder()

	switch {
	case out.err != nil:
		err := out.err
		t.Banner.Show(look.Fail, func() (string, string) {
			return tr.T("result.failed"), tr.F("scan.notconnected", tr.M(explain.Error(err)))
		})
		t.addRecord(Record{at: time.Now(), line: out.line, status: scan.Failed, message: explain.Error(err)})
		t.noteException(scan.Result{Status: scan.Failed, Input: out.line, Err: err, At: time.Now()})
		t.a.Play(sound.Fail)
		t.a.Refocus()
		return
	case out.cancelled:
		if prevAwait != "" {
			t.showIdle()
		}
		t.a.Refocus()
		return
	}

	r := out.res
	kind, title := look.Fail, i18n.Key("result.failed")
	if b, ok := banners[r.Status]; ok {
		kind, title = b.kind, b.title
	}
	if r.Status == scan.Held && r.Note == scan.NoteWeightOff {
		kind = look.Fail // 重量异常: red, the parcel waits
	}
	if k, ok := refusalTitles[scan.Refusal(r)]; ok {
		title = k // 错货, 多件, 未知条码: said first, in the largest type
	}
	t.showPacking(out.packing, r)
	t.Notes.Show(r)
	if sound.For(r) == sound.ShippedAtJD {
		title = "result.stop" // the goods must not go out: said first, in the largest type
	}
	t.lastDone = ""
	if r.Status == scan.AlreadyDone && r.OrderID != "" {
		t.lastDone = r.OrderID
	}
	t.reprint.Hidden = t.lastDone == ""
	t.reprint.Refresh()

	t.Banner.Show(kind, func() (string, string) {
		head := tr.T(title)
		if r.OrderID != "" {
			head += "  " + r.OrderID
		}
		var parts []string
		if r.Type != "" {
			parts = append(parts, string(r.Type))
		}
		if r.SortingCode != "" {
			parts = append(parts, tr.F("scan.sorting", r.SortingCode))
		}
		if r.DistributionCenter != "" {
			parts = append(parts, tr.F("scan.center", r.DistributionCenter))
		}
		if r.Pages > 1 {
			parts = append(parts, tr.F("scan.parcels", r.Pages))
		}
		parts = append(parts, tr.M(explain.Mode(r.Mode)))
		detail := strings.Join(parts, " · ")
		if r.Status == scan.NeedWaybill {
			typ := string(r.Type)
			if typ == "" {
				typ = string(t.awaitType)
			}
			detail = tr.M(explain.Mode(r.Mode)) + " · " + tr.F("scan.wait.text", r.OrderID, typ)
		}
		if m := tr.M(explain.Scan(r)); m != "" {
			if detail != "" {
				detail += "\n"
			}
			detail += m
		}
		return head, detail
	})
	switch {
	case r.Label != nil:
		t.PreviewOf = r.OrderID
	case t.PreviewOf != r.OrderID || r.OrderID == "":
		// Nothing was printed for this order now: the preview would show another order's label.
		t.Preview.Image = nil
		t.Preview.Hide()
		t.noPrev.Show()
		t.PreviewOf = ""
	}
	t.JDLabelBtn.Hidden = t.PreviewOf == ""
	t.JDLabelBtn.Refresh()
	if a := r.SetAside; a != nil {
		t.addRecord(Record{at: a.At, OrderID: a.OrderID, typ: a.Type, status: a.Status, message: explain.Scan(*a)})
	}
	t.noteException(r)
	t.a.Play(sound.For(r))
	ok := kind == look.OK || kind == look.Wait || kind == look.Warn
	if r.Status == scan.Verifying && r.Item != nil {
		t.a.Refocus() // an item counted: the panel shows it; the recent list keeps orders
		return
	}
	t.addRecord(Record{at: r.At, OrderID: r.OrderID, typ: r.Type, status: r.Status, OK: ok, Warn: kind == look.Warn,
		message: explain.Scan(r), line: out.line, title: refusalTitles[scan.Refusal(r)]})
	if r.OrderID != "" && r.Status != scan.Rejected && r.Status != scan.Verifying && r.Status != scan.Held {
		t.resetChoices() // not while the order is being verified: its parcel count is still for it
	}
	if r.Status == scan.Rejected && len(r.Candidates) > 0 && t.Awaiting != "" {
		t.chooseCarrier(r.Input, r.Candidates)
		return
	}
	t.a.Refocus()
}

// chooseCarrier asks which of several carriers a scanned waybill belongs to, then ships the
// awaited order with it.
func (t *Tab) chooseCarrier(waybill string, candidates []ship.Carrier) {
	tr := t.a.Tr()
	var d dialog.Dialog
	box := container.NewVBox(widget.NewLabel(tr.F("scan.choose.text", waybill)))
	for _, c := range candidates {
		box.Add(widget.NewButton(c.String(), func() {
			d.Hide()
			t.enqueue(scanJob{waybill: waybill, logistics: c.ID, opts: t.options()})
			t.Banner.Show(look.Working, func() (string, string) { return tr.F("scan.working", waybill), "" })
		}))
	}
	d = dialog.NewCustom(tr.T("scan.choose.title"), tr.T("waybill.cancel"), box, t.a.Window())
	t.a.ShowDialog(d)
}

func (t *Tab) addRecord(r Record) {
	if r.at.IsZero() {
		r.at = time.Now()
	}
	// What was scanned is text from outside: one plain line, short enough for the list.
	r.line = say.Short(r.line, 60)
	t.Recent = append([]Record{r}, t.Recent...)
	if len(t.Recent) > recentMax {
		t.Recent = t.Recent[:recentMax]
	}
	t.list.Refresh()
}

// banners are each status's banner: its colour and its title.
var banners = map[scan.Status]struct {
	kind  look.Kind
	title i18n.Key
}{
	scan.Printed: {look.OK, "result.printed"}, scan.Shipped: {look.OK, "result.shipped"},
	scan.PrintedShipped: {look.OK, "result.printedshipped"}, scan.NeedWaybill: {look.Wait, "scan.wait.title"},
	scan.AlreadyDone: {look.Warn, "result.alreadydone"}, scan.Rejected: {look.Fail, "result.rejected"},
	scan.Verifying: {look.Wait, "result.verifying"}, scan.Held: {look.Warn, "result.held"},
	scan.Aside: {look.Warn, "result.aside"},
}

var refusalTitles = map[verify.Outcome]i18n.Key{verify.Wrong: "result.wrong", verify.Surplus: "result.surplus",
	verify.Unknown: "result.unknown", verify.NoLine: "result.unknown"}

var statusMsgs = map[scan.Status]i18n.Key{
	scan.Printed: "result.printed", scan.Shipped: "result.shipped", scan.PrintedShipped: "result.printedshipped",
	scan.NeedWaybill: "result.needwaybill", scan.AlreadyDone: "result.alreadydone",
	scan.Rejected: "result.rejected", scan.Failed: "result.failed",
	scan.Verifying: "result.verifying", scan.Held: "result.held", scan.Aside: "result.aside",
}

func (t *Tab) recordText(r Record) string {
	tr := t.a.Tr()
	id := r.OrderID
	if id == "" {
		id = r.line
	}
	st := tr.T("result.failed")
	if m, ok := statusMsgs[r.status]; ok {
		st = tr.T(m)
	}
	if r.title != "" {
		st = tr.T(r.title)
	}
	s := fmt.Sprintf("%s  %s  %s  %s", r.at.Format("15:04:05"), id, r.typ, st)
	if m := tr.M(r.message); m != "" && !r.OK {
		s += " — " + m
	}
	return s
}

// ShowPrinterAway shows, above the banner, that labels are held for an absent printer and go
// out by themselves once it is back; hidden when the printer takes labels.
func (t *Tab) ShowPrinterAway(st queue.State) {
	if st.Away == nil {
		t.Away.Hide()
		return
	}
	tr := t.a.Tr()
	t.Away.SetText(tr.F("scan.printer.held", tr.M(explain.Away(st.Away)), st.Waiting))
	t.Away.Show()
}
