package ui

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

// scanTab is the page a packer works on all day: a scan field that always has the keyboard, the
// result in a big banner, the label just printed and the last scans.
type scanTab struct {
	a        *App
	away     *widget.Label // the printer is away: why, and how many labels wait
	silent   *widget.Label // no sound device: the prompts are off
	queueLbl *widget.Label // scans waiting behind the one being handled
	queued   int           // scans handed to the worker and not shown yet (UI goroutine)
	entry    *keys.ScanField
	submit   *widget.Button
	modeBtns []*widget.Button
	modeLbl  *widget.Label
	pkgs     *widget.Label
	pkgLbl   *widget.Label
	carrier  *keys.SinkSelect
	carLbl   *widget.Label
	cancelW  *widget.Button
	reprint  *widget.Button
	banner   *look.Banner
	preview  *canvas.Image
	noPrev   *widget.Label
	recent   []scanRecord
	list     *widget.List
	content  fyne.CanvasObject
	exc      scan.Exceptions // what did not go through, until a person deals with it
	excList  *exceptions.List
	pk       *pack.Panel // the order under verification
	prevPane fyne.CanvasObject
	split    *container.Split

	// UI goroutine state.
	packages   int
	carriers   []ship.Carrier
	carrierID  string // "" = detect from the waybill
	awaiting   string // the order waiting for its waybill scan
	awaitType  printdata.OrderType
	packing    string // the order under verification
	lastDone   string // the order of the last "already done" result, for the reprint button
	previewOf  string // the order whose label the preview shows
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

// scanRecord is one line of the recent-scans list.
type scanRecord struct {
	at      time.Time
	orderID string
	typ     printdata.OrderType
	status  scan.Status
	ok      bool
	warn    bool // went through but nothing was done (already done): amber, not a green tick
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

func newScanTab(a *App) *scanTab {
	t := &scanTab{a: a, packages: a.cfg.Packages, jobs: make(chan scanJob, 256), done: make(chan struct{})}
	if t.packages < 1 {
		t.packages = 1
	}
	tr := a.tr

	t.entry = keys.NewScanField()
	t.entry.OnSubmitted = t.submitLine
	t.entry.OnKey = t.hotkey
	t.entry.OnFocusLost = t.focusLost
	t.entry.TabSubmits = func() bool { return a.cfg.ScanEnd != "enter" }
	t.entry.OnShortcut = a.shortcut
	t.submit = a.button("", func() { t.submitLine(t.entry.Text) })
	t.submit.Importance = widget.HighImportance
	tr.Bind(func() {
		t.submit.SetText(tr.T("scan.submit"))
		t.updatePlaceholder()
	})
	entryBox := container.NewThemeOverride(container.NewBorder(nil, nil, nil, t.submit, t.entry), look.ScanField{})

	t.modeLbl = widget.NewLabel("")
	// The modes are three buttons, the chosen one highlighted: big targets, readable at a glance.
	t.modeBtns = make([]*widget.Button, len(settings.ScanModes))
	for i, m := range settings.ScanModes {
		t.modeBtns[i] = a.button("", func() { t.setMode(m) })
	}
	tr.Bind(func() {
		t.modeLbl.SetText(tr.T("scan.mode"))
		for i, m := range settings.ScanModes {
			t.modeBtns[i].SetText(tr.T(modeMsgs[m]))
		}
		t.showMode()
	})
	modeBox := container.NewHBox()
	for _, b := range t.modeBtns {
		modeBox.Add(b)
	}

	t.pkgLbl = widget.NewLabel("")
	t.pkgs = widget.NewLabel(strconv.Itoa(t.packages))
	t.pkgs.SizeName = look.SizeCount
	t.pkgs.TextStyle = fyne.TextStyle{Bold: true}
	minus := a.button("", func() { t.setPackages(t.packages - 1) })
	minus.Icon = theme.ContentRemoveIcon()
	plus := a.button("", func() { t.setPackages(t.packages + 1) })
	plus.Icon = theme.ContentAddIcon()
	tr.Bind(func() { t.pkgLbl.SetText(tr.T("scan.packages")) })

	t.carLbl = widget.NewLabel("")
	t.carrier = keys.NewSinkSelect(t.entry)
	tr.Bind(func() {
		t.carLbl.SetText(tr.T("scan.carrier"))
		t.fillCarriers()
	})

	t.cancelW = a.button("", func() { t.cancelWait() })
	t.cancelW.Importance = widget.WarningImportance
	t.cancelW.Hide()
	t.reprint = a.button("", func() { t.reprintLast() })
	t.reprint.Hide()
	tr.Bind(func() {
		t.cancelW.SetText(tr.T("scan.cancelwait"))
		t.reprint.SetText(tr.T("scan.reprint"))
	})

	t.banner = look.NewBanner(tr)
	t.showIdle()

	t.preview = canvas.NewImageFromImage(nil)
	t.preview.FillMode = canvas.ImageFillContain
	t.preview.ScaleMode = canvas.ImageScaleSmooth
	t.preview.SetMinSize(fyne.NewSize(240, 360))
	t.noPrev = widget.NewLabel("")
	t.noPrev.Alignment = fyne.TextAlignCenter
	prevTitle := widget.NewLabel("")
	prevTitle.TextStyle = fyne.TextStyle{Bold: true}
	tr.Bind(func() {
		prevTitle.SetText(tr.T("scan.preview"))
		t.noPrev.SetText(tr.T("scan.preview.none"))
	})
	paper := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	t.prevHolder = container.NewStack(paper, container.NewCenter(t.noPrev), t.preview)
	t.preview.Hide()

	t.list = widget.NewList(
		func() int { return len(t.recent) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.ConfirmIcon()), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(t.recent) {
				return
			}
			r := t.recent[i]
			c := o.(*fyne.Container)
			l := c.Objects[0].(*widget.Label)
			ic := c.Objects[1].(*widget.Icon)
			l.SetText(t.recordText(r))
			switch {
			case r.warn:
				ic.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
			case r.ok:
				ic.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
			default:
				ic.SetResource(theme.NewErrorThemedResource(theme.CancelIcon()))
			}
		})
	t.list.OnSelected = func(widget.ListItemID) {
		t.list.UnselectAll()
		a.refocus()
	}
	recentTitle := widget.NewLabel("")
	recentTitle.TextStyle = fyne.TextStyle{Bold: true}
	tr.Bind(func() {
		recentTitle.SetText(tr.T("scan.recent"))
		t.list.Refresh()
	})

	t.silent = widget.NewLabel("")
	t.silent.Importance = widget.WarningImportance
	t.silent.Hide()
	controls := container.NewHBox(t.modeLbl, modeBox, widget.NewSeparator(), t.pkgLbl, minus, t.pkgs, plus,
		widget.NewSeparator(), t.carLbl, container.NewGridWrap(fyne.NewSize(230, t.carrier.MinSize().Height), t.carrier), layout.NewSpacer(), t.reprint, t.cancelW)
	t.away = widget.NewLabel("")
	t.away.Importance = widget.WarningImportance
	t.away.Wrapping = fyne.TextWrapWord
	t.away.Hide()
	t.queueLbl = widget.NewLabel("")
	t.queueLbl.Importance = widget.WarningImportance
	t.queueLbl.Hide()
	rows := []fyne.CanvasObject{controls, entryBox, t.silent, t.away, t.queueLbl, t.banner.Content}
	t.prevPane = container.NewBorder(prevTitle, nil, nil, nil, t.prevHolder)
	t.pk = pack.New(tr, t.decide, t.askReason)
	t.pk.Content.Hide()
	left := container.NewStack(t.prevPane, t.pk.Content)
	t.excList = exceptions.New(tr, t.act, func(i int) {
		t.exc.Clear(i)
		t.excList.Set(t.exc.List())
	}, a.refocus)
	right := container.NewVSplit(t.excList.Content, container.NewBorder(recentTitle, nil, nil, nil, t.list))
	right.Offset = 0.45
	t.split = container.NewHSplit(left, right)
	t.split.Offset = 0.34
	t.content = container.New(look.Column{Banner: len(rows) - 1, OnBannerHeight: t.banner.SetHeight}, append(rows, t.split)...)

	go t.worker()
	return t
}

// setMode switches the scan mode and remembers it.
func (t *scanTab) setMode(m settings.ScanMode) {
	if t.a.cfg.ScanMode != m {
		t.a.cfg.ScanMode = m
		t.a.saveQuietly()
	}
	t.showMode()
}

// showMode highlights the current mode's button.
func (t *scanTab) showMode() {
	for i, m := range settings.ScanModes {
		imp := widget.MediumImportance
		if m == t.a.cfg.ScanMode {
			imp = widget.HighImportance
		}
		if t.modeBtns[i].Importance != imp {
			t.modeBtns[i].Importance = imp
			t.modeBtns[i].Refresh()
		}
	}
}

func (t *scanTab) setPackages(n int) {
	if n < 1 || n > ship.MaxPackages {
		return
	}
	t.packages = n
	t.pkgs.SetText(strconv.Itoa(n))
}

// resetChoices puts the per-order choices back to their defaults after an order: the parcel
// count (settings' packages, 1 unless set) and, unless an order waits for its waybill, the
// one-off carrier. A count or carrier set for one order never carries over to the next.
func (t *scanTab) resetChoices() {
	if t.packages != max(t.a.cfg.Packages, 1) {
		t.setPackages(max(t.a.cfg.Packages, 1))
	}
	if t.awaiting == "" && t.carrierID != "" {
		t.carrierID = ""
		t.fillCarriers()
	}
}

// fillCarriers lists the shop's carriers in the carrier choice, "detect" first.
func (t *scanTab) fillCarriers() {
	choice.Carrier(&t.carrier.Select, &choice.Extra{Name: t.a.tr.T("scan.carrier.detect")}, t.carriers, t.carrierID, func(id string) {
		t.carrierID = id
		t.a.refocus()
	})
}

// options are the scan options the controls show.
func (t *scanTab) options() scan.Options {
	return scan.Options{Mode: fulfillMode(t.a.cfg.ScanMode), Packages: t.packages, Logistics: t.carrierID,
		Tolerance: verify.Tolerance{Grams: t.a.cfg.ToleranceG, Percent: t.a.cfg.TolerancePct}}
}

// job is a scan of line with the options the controls show.
func (t *scanTab) job(line string) scanJob {
	return scanJob{line: line, opts: t.options(), verify: t.a.cfg.Verify}
}

// decide sends a packer's decision on the order under verification to the scan line.
func (t *scanTab) decide(cmd, arg string) {
	if t.packing == "" {
		return
	}
	id := t.packing
	t.enqueue(t.job(":" + cmd + " " + arg))
	t.banner.Show(look.Working, func() (string, string) { return t.a.tr.F("scan.working", id), "" })
	t.a.refocus()
}

// askReason asks why verification is skipped (pack.AskReason).
func (t *scanTab) askReason(done func(string)) {
	pack.AskReason(t.a.tr, t.a.win, t.a.ShowDialog, t.a.refocus, done)
}

// showPacking puts the order under verification on the left, its lines large, or the label
// preview back when there is none.
func (t *scanTab) showPacking(v *verify.View, r scan.Result) {
	if v == nil {
		if t.packing != "" {
			t.packing = ""
			t.updatePlaceholder()
		}
		if t.pk.Content.Visible() {
			t.pk.Clear()
			t.pk.Content.Hide()
			t.prevPane.Show()
			t.split.Offset = 0.34
			t.split.Refresh()
		}
		return
	}
	if t.packing != v.OrderID {
		t.packing = v.OrderID
		t.updatePlaceholder()
	}
	t.pk.Show(*v, r)
	if !t.pk.Content.Visible() {
		t.prevPane.Hide()
		t.pk.Content.Show()
		t.split.Offset = 0.55
		t.split.Refresh()
	}
}

// hotkey handles the scan field's keys: F1-F3 choose the mode, Escape stops waiting for a waybill.
func (t *scanTab) hotkey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyF1:
		t.setMode(settings.ScanPrint)
	case fyne.KeyF2:
		t.setMode(settings.ScanPrintShip)
	case fyne.KeyF3:
		t.setMode(settings.ScanShipOnly)
	case fyne.KeyEscape:
		if t.packing != "" {
			t.decide("aside", "Esc")
		} else if t.awaiting != "" {
			t.cancelWait()
		} else {
			t.entry.SetText("")
		}
	default:
		return false
	}
	return true
}

// installFallback catches a scan typed while nothing has the keyboard (after a click on an
// empty part of the window): the characters go into the scan field, Enter submits it.
func (t *scanTab) installFallback() {
	c := t.a.win.Canvas()
	// With a dialog open the keys still make a scan: the field takes them without taking the
	// keyboard from the dialog, so a scan is never dropped while a message is on screen.
	c.SetOnTypedRune(func(r rune) {
		if !t.visible() {
			return
		}
		if t.a.dialogs == 0 {
			c.Focus(t.entry)
		}
		t.entry.TypedRune(r)
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if !t.visible() {
			return
		}
		if t.a.dialogs > 0 {
			if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
				t.submitLine(t.entry.Text)
			}
			return
		}
		switch {
		case k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter:
			t.submitLine(t.entry.Text)
		case k.Name == fyne.KeyEscape && t.carrier.CloseMenu():
		case !t.hotkey(k):
			return
		}
		t.a.refocus()
	})
}

func (t *scanTab) visible() bool {
	s := t.a.tabs.Selected()
	return s != nil && s.Content == t.content
}

// focusLost takes the keyboard back for the scan field when it went nowhere (a click on an
// empty part of the window). Focus moved to another field (a dialog, the settings) stays there.
func (t *scanTab) focusLost() {
	a := t.a
	a.Go("refocus", func() {
		select {
		case <-time.After(100 * time.Millisecond):
		case <-a.stop:
			return
		}
		a.Do(func() {
			if a.win.Canvas().Focused() == nil {
				a.refocus()
			}
		})
	})
}

func (t *scanTab) updatePlaceholder() {
	switch {
	case t.packing != "":
		t.entry.SetPlaceHolder(t.a.tr.F("scan.placeholder.item", t.packing))
	case t.awaiting != "":
		t.entry.SetPlaceHolder(t.a.tr.F("scan.placeholder.wb", t.awaiting))
	default:
		t.entry.SetPlaceHolder(t.a.tr.T("scan.placeholder"))
	}
}

// submitLine hands a scanned line to the worker. The field is cleared at once so that the next
// scan can follow while this one is handled.
func (t *scanTab) submitLine(line string) {
	t.entry.SetText("")
	t.silent.Hide()       // said once: the packer has seen it
	t.carrier.CloseMenu() // a scan closes the carrier list left open
	t.a.refocus()
	if strings.TrimSpace(line) == "" {
		return
	}
	t.enqueue(t.job(line))
	t.banner.Show(look.Working, func() (string, string) {
		return t.a.tr.F("scan.working", strings.TrimSpace(line)), ""
	})
}

func (t *scanTab) cancelWait() {
	t.enqueue(scanJob{cancel: true})
}

func (t *scanTab) reprintLast() {
	if t.lastDone == "" {
		return
	}
	id := t.lastDone
	t.enqueue(scanJob{reprint: id, opts: t.options()})
	t.banner.Show(look.Working, func() (string, string) { return t.a.tr.F("scan.working", id), "" })
}

// showQueue says how many scans wait behind the one being handled (a slow printer or JD):
// every one of them will be handled, in order.
func (t *scanTab) showQueue() {
	if waiting := t.queued - 1; waiting > 0 {
		t.queueLbl.SetText(t.a.tr.F("scan.queued", waiting))
		t.queueLbl.Show()
	} else {
		t.queueLbl.Hide()
	}
}

// showSilent says once, on the scan tab, that there is no sound device: the prompts are off.
// The line goes at the first scan.
func (t *scanTab) showSilent() {
	t.silent.SetText(t.a.tr.T("scan.nosound"))
	t.silent.Show()
}

// noteException keeps a result that did not go through in the exception list, and clears
// the order's exception when it did.
func (t *scanTab) noteException(r scan.Result) {
	if t.exc.Add(r) {
		t.excList.Set(t.exc.List())
	}
}

// act runs an exception's way forward: scan the order again (retry, or resume a set-aside
// order, which then asks for its waybill) or reprint its label.
func (t *scanTab) act(e scan.Exception) {
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
	t.banner.Show(look.Working, func() (string, string) { return t.a.tr.F("scan.working", id), "" })
}

func (t *scanTab) enqueue(j scanJob) {
	t.a.work.Add(1)
	select {
	case t.jobs <- j:
		t.queued++
		t.showQueue()
	default:
		// 256 scans behind: the station is not keeping up (JD or the printer is stuck).
		t.a.work.Done()
		t.banner.Show(look.Fail, func() (string, string) {
			return t.a.tr.T("result.failed"), t.a.tr.T("batch.busy")
		})
	}
}

// close stops the worker; queued scans are dropped.
func (t *scanTab) close() {
	select {
	case <-t.done:
	default:
		close(t.done)
	}
}

// connected is called (UI goroutine) when a connection attempt finished.
func (t *scanTab) connected(c *conn) {
	if c.err != nil {
		err := c.err
		t.banner.Show(look.Fail, func() (string, string) {
			return t.a.tr.T("result.failed"), t.a.tr.F("scan.notconnected", t.a.tr.M(explain.Error(err)))
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

func (t *scanTab) showIdle() {
	t.banner.Show(look.Idle, func() (string, string) {
		return t.a.tr.T("scan.ready"), t.a.tr.T("scan.ready.hint")
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
func (t *scanTab) worker() {
	a := t.a
	var (
		sc     *scan.Scanner
		scSess *session
	)
	for {
		var j scanJob
		select {
		case <-t.done:
			// The window is closing: scans still queued are dropped, and no longer waited for.
			for {
				select {
				case <-t.jobs:
					a.work.Done()
				default:
					return
				}
			}
		case j = <-t.jobs:
		}
		func() {
			defer t.a.work.Done()
			defer t.a.recoverTo("scan")
			out := scanOutcome{line: strings.TrimSpace(j.line)}
			s, release, err := t.a.use(t.a.ctx)
			if err != nil {
				out.err = err
				a.Do(func() { t.show(out, nil) })
				return
			}
			defer release()
			if sc == nil || scSess != s {
				sc, scSess = scan.New(s.station, j.opts), s
			}
			switch {
			case j.cancel:
				sc.Cancel()
				out.cancelled = true
			case j.reprint != "":
				res, err := scan.Reprint(t.a.ctx, s.station, j.reprint, 0)
				if err != nil && res.Err == nil {
					res.Err = err
					res.Status = scan.Failed
					res.OrderID = j.reprint
				}
				out.res = res
			case j.waybill != "":
				out.res = sc.SubmitWaybill(t.a.ctx, j.logistics, j.waybill)
			default:
				opts, err := t.verifyOptions(s, j)
				if err != nil {
					out.res = scan.Result{Status: scan.Failed, Input: out.line, Err: err, At: time.Now()}
					break
				}
				sc.SetOptions(opts)
				out.res = sc.Submit(t.a.ctx, j.line)
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
func (t *scanTab) verifyOptions(s *session, j scanJob) (scan.Options, error) {
	opts := j.opts
	if j.verify == settings.VerifyOff {
		return opts, nil
	}
	cat, err := s.catalog(t.a.ctx)
	if err != nil {
		return opts, err
	}
	opts.Verify = settings.Settings{Verify: j.verify}.Verifying(cat.Len())
	opts.Catalog, opts.Scale = cat, s.scaleNow()
	return opts, nil
}

// show puts a scan's outcome on screen (UI goroutine). It is called once with the result and,
// when there is a label, again with its preview.
func (t *scanTab) show(out scanOutcome, preview image.Image) {
	tr := t.a.tr
	if preview != nil {
		t.preview.Image = preview
		t.preview.Show()
		t.noPrev.Hide()
		t.preview.Refresh()
		return
	}
	t.queued = max(t.queued-1, 0)
	t.showQueue()
	prevAwait := t.awaiting
	t.awaiting = out.awaiting
	if out.awaitType != "" || out.awaiting == "" {
		t.awaitType = out.awaitType
	}
	t.cancelW.Hidden = t.awaiting == ""
	t.cancelW.Refresh()
	t.updatePlaceholder()

	switch {
	case out.err != nil:
		err := out.err
		t.banner.Show(look.Fail, func() (string, string) {
			return tr.T("result.failed"), tr.F("scan.notconnected", tr.M(explain.Error(err)))
		})
		t.addRecord(scanRecord{at: time.Now(), line: out.line, status: scan.Failed, message: explain.Error(err)})
		t.noteException(scan.Result{Status: scan.Failed, Input: out.line, Err: err, At: time.Now()})
		t.a.sound.Play(sound.Fail)
		t.a.refocus()
		return
	case out.cancelled:
		if prevAwait != "" {
			t.showIdle()
		}
		t.a.refocus()
		return
	}

	r := out.res
	kind := look.Fail
	title := i18n.Key("result.failed")
	switch r.Status {
	case scan.Printed:
		kind, title = look.OK, "result.printed"
	case scan.Shipped:
		kind, title = look.OK, "result.shipped"
	case scan.PrintedShipped:
		kind, title = look.OK, "result.printedshipped"
	case scan.NeedWaybill:
		kind, title = look.Wait, "scan.wait.title"
	case scan.AlreadyDone:
		kind, title = look.Warn, "result.alreadydone"
	case scan.Rejected:
		kind, title = look.Fail, "result.rejected"
	case scan.Verifying:
		kind, title = look.Wait, "result.verifying"
	case scan.Held:
		kind, title = look.Warn, "result.held"
		if r.Note == scan.NoteWeightOff {
			kind = look.Fail // 重量异常: red, the parcel waits
		}
	case scan.Aside:
		kind, title = look.Warn, "result.aside"
	}
	if k, ok := refusalTitles[scan.Refusal(r)]; ok {
		title = k // 错货, 多件, 未知条码: said first, in the largest type
	}
	t.showPacking(out.packing, r)
	if sound.For(r) == sound.ShippedAtJD {
		title = "result.stop" // the goods must not go out: said first, in the largest type
	}
	t.lastDone = ""
	if r.Status == scan.AlreadyDone && r.OrderID != "" {
		t.lastDone = r.OrderID
	}
	t.reprint.Hidden = t.lastDone == ""
	t.reprint.Refresh()

	t.banner.Show(kind, func() (string, string) {
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
		t.previewOf = r.OrderID
	case t.previewOf != r.OrderID || r.OrderID == "":
		// Nothing was printed for this order now: the preview would show another order's label.
		t.preview.Image = nil
		t.preview.Hide()
		t.noPrev.Show()
		t.previewOf = ""
	}
	if a := r.SetAside; a != nil {
		t.addRecord(scanRecord{at: a.At, orderID: a.OrderID, typ: a.Type, status: a.Status, message: explain.Scan(*a)})
	}
	t.noteException(r)
	t.a.sound.Play(sound.For(r))
	ok := kind == look.OK || kind == look.Wait || kind == look.Warn
	if r.Status == scan.Verifying && r.Item != nil {
		t.a.refocus() // an item counted: the panel shows it; the recent list keeps orders
		return
	}
	t.addRecord(scanRecord{at: r.At, orderID: r.OrderID, typ: r.Type, status: r.Status, ok: ok, warn: kind == look.Warn,
		message: explain.Scan(r), line: out.line, title: refusalTitles[scan.Refusal(r)]})
	if r.OrderID != "" && r.Status != scan.Rejected && r.Status != scan.Verifying && r.Status != scan.Held {
		t.resetChoices() // not while the order is being verified: its parcel count is still for it
	}
	if r.Status == scan.Rejected && len(r.Candidates) > 0 && t.awaiting != "" {
		t.chooseCarrier(r.Input, r.Candidates)
		return
	}
	t.a.refocus()
}

// chooseCarrier asks which of several carriers a scanned waybill belongs to, then ships the
// awaited order with it.
func (t *scanTab) chooseCarrier(waybill string, candidates []ship.Carrier) {
	tr := t.a.tr
	var d dialog.Dialog
	box := container.NewVBox(widget.NewLabel(tr.F("scan.choose.text", waybill)))
	for _, c := range candidates {
		box.Add(widget.NewButton(c.String(), func() {
			d.Hide()
			t.enqueue(scanJob{waybill: waybill, logistics: c.ID, opts: t.options()})
			t.banner.Show(look.Working, func() (string, string) { return tr.F("scan.working", waybill), "" })
		}))
	}
	d = dialog.NewCustom(tr.T("scan.choose.title"), tr.T("waybill.cancel"), box, t.a.win)
	t.a.ShowDialog(d)
}

func (t *scanTab) addRecord(r scanRecord) {
	if r.at.IsZero() {
		r.at = time.Now()
	}
	// What was scanned is text from outside: one plain line, short enough for the list.
	r.line = say.Short(r.line, 60)
	t.recent = append([]scanRecord{r}, t.recent...)
	if len(t.recent) > recentMax {
		t.recent = t.recent[:recentMax]
	}
	t.list.Refresh()
}

var refusalTitles = map[verify.Outcome]i18n.Key{verify.Wrong: "result.wrong", verify.Surplus: "result.surplus",
	verify.Unknown: "result.unknown", verify.NoLine: "result.unknown"}

var statusMsgs = map[scan.Status]i18n.Key{
	scan.Printed: "result.printed", scan.Shipped: "result.shipped", scan.PrintedShipped: "result.printedshipped",
	scan.NeedWaybill: "result.needwaybill", scan.AlreadyDone: "result.alreadydone",
	scan.Rejected: "result.rejected", scan.Failed: "result.failed",
	scan.Verifying: "result.verifying", scan.Held: "result.held", scan.Aside: "result.aside",
}

func (t *scanTab) recordText(r scanRecord) string {
	tr := t.a.tr
	id := r.orderID
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
	if m := tr.M(r.message); m != "" && !r.ok {
		s += " — " + m
	}
	return s
}

// showPrinterAway shows, above the banner, that labels are held for an absent printer and go
// out by themselves once it is back; hidden when the printer takes labels.
func (t *scanTab) showPrinterAway(st queue.State) {
	if st.Away == nil {
		t.away.Hide()
		return
	}
	tr := t.a.tr
	t.away.SetText(tr.F("scan.printer.held", tr.M(explain.Away(st.Away)), st.Waiting))
	t.away.Show()
}
