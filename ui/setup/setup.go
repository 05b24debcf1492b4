// Package setup is the window's 设置 tab: the JOS endpoint and secrets, the printer and label,
// the default carriers and the language. Nothing applies until 保存设置.
package setup

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/internal/app"
	"station/jos"
	"station/printdata"
	"station/printer"
	"station/render"
	"station/say"
	"station/scale"
	"station/settings"
	"station/ship"
	"station/ui/choice"
	"station/ui/i18n"
	"station/ui/keys"
	"station/verify"
)

// Host is what the tab needs of the window it is in.
type Host interface {
	Tr() *i18n.Translator
	// Do runs fn on the UI goroutine; Go runs fn on a tracked background goroutine.
	Do(fn func())
	Go(name string, fn func())
	Ctx() context.Context // ends when the window closes
	Window() fyne.Window
	ShowError(err error)
	ShowDialog(d dialog.Dialog)
	// ScanBurst takes a scanner's code typed while one of the tab's fields had the keyboard:
	// it goes to the scan line, not into the field.
	ScanBurst(code string)
	LoadCarriers(refresh bool, then func(list []ship.Carrier, err error))

	// The settings: as saved, and what the command line said.
	Settings() settings.Settings
	Secrets() settings.Secrets
	Backend() settings.Backend
	Store() *settings.Store
	SetSaved(cfg settings.Settings, sec settings.Secrets, backend settings.Backend)
	Connect()                        // reconnect with the saved settings
	ApplyLive(cfg settings.Settings) // new printer, label and carriers without reconnecting
	Demo() bool
	OpenPrinter() func(spec string) (printer.Printer, error)
	ListUSB() func(ctx context.Context) ([]printer.USBPrinter, error)
	// ListWindows lists the Windows printers; nil outside Windows, where the page has none.
	ListWindows() func(ctx context.Context) ([]printer.WindowsPrinter, error)
}

// Tab edits everything the station remembers. Nothing applies until 保存设置; then the
// settings are written (secrets to the keyring) and the connection is rebuilt when the JOS
// settings changed, or the printer and label options are switched in place otherwise.
type Tab struct {
	a Host

	endpoint  *keys.Select
	customURL *keys.Entry
	appKey    *keys.Entry
	appSecret *keys.Entry
	token     *keys.Entry
	rate      *keys.Entry // JOS calls per second; empty = the default
	secrets   *widget.Label

	kind     *keys.Select
	target   *keys.Entry
	findUSB  *widget.Button // finds USB printers, or Windows printers for the win kind
	browse   *widget.Button
	usbFound *keys.Select
	plang    *keys.Select
	dpi      *keys.Select
	size     *keys.Select
	offX     *keys.Entry
	offY     *keys.Entry
	TestBtn  *widget.Button
	privacy  *widget.Check

	carSOP, carLBP, carSOPL *keys.Select
	loadCar                 *widget.Button
	carNote                 *widget.Label

	Language *widget.RadioGroup
	Sound    *keys.Select // voice, tones or off
	ScanEnd  *keys.Select // which keys end a scan
	Verify   *keys.Select // pack verification: auto, on, off
	Scale    *keys.Entry  // the scale's spec; empty: none
	TolG     *keys.Entry  // weight tolerance, grams
	TolPct   *keys.Entry  // weight tolerance, percent

	// The warehouse's shared journal: its postgres:// URL (empty: this PC's own), the
	// database password (kept in the keyring) and this station's name in it.
	Journal, JournalPw, StationName *keys.Entry
	Save                            *widget.Button
	Note                            *widget.Label
	Content                         fyne.CanvasObject

	carriers []ship.Carrier
	found    []foundPrinter
	// targets is what was typed for each printer kind since the form was filled; targetKind the
	// kind the target field holds now.
	targets    map[string]string
	targetKind string
	// the values the selects stand for, kept across language switches
	endpointSel settings.Endpoint
	kindSel     string
	langSel     string
	soundSel    string
	scanEndSel  string
	verifySel   string
	carSel      map[printdata.OrderType]string
}

var endpointMsgs = map[settings.Endpoint]i18n.Key{settings.EndpointDemo: "ep.demo", settings.EndpointProduction: "ep.production",
	settings.EndpointTest: "ep.test", settings.EndpointCustom: "ep.custom"}

var kindMsgs = map[string]i18n.Key{settings.PrinterPDF: "pk.pdf", settings.PrinterUSB: "pk.usb", settings.PrinterTCP: "pk.tcp",
	settings.PrinterCUPS: "pk.cups", settings.PrinterFile: "pk.file", settings.PrinterWin: "pk.win"}

var printerLangs = []string{"", "zpl", "tspl", "escpos"}

func New(a Host) *Tab {
	t := &Tab{a: a, carSel: map[printdata.OrderType]string{}}
	tr := a.Tr()

	t.endpoint = keys.NewSelect(nil, nil, a.ScanBurst)
	t.customURL = keys.NewEntry(a.ScanBurst, false)
	t.customURL.SetPlaceHolder("http://127.0.0.1:8790/routerjson")
	t.appKey = keys.NewEntry(a.ScanBurst, false)
	t.appSecret = keys.NewEntry(a.ScanBurst, true)
	t.token = keys.NewEntry(a.ScanBurst, true)
	t.rate = keys.NewEntry(a.ScanBurst, false)
	t.secrets = widget.NewLabel("")
	t.secrets.Wrapping = fyne.TextWrapWord

	t.kind = keys.NewSelect(nil, nil, a.ScanBurst)
	t.target = keys.NewEntry(a.ScanBurst, false)
	t.findUSB = widget.NewButton("", t.findPrinters)
	t.browse = widget.NewButton("", t.pickFolder)
	t.usbFound = keys.NewSelect(nil, t.pickFound, a.ScanBurst)
	t.usbFound.Hide()
	t.plang = keys.NewSelect(nil, nil, a.ScanBurst)
	t.dpi = keys.NewSelect([]string{"203", "300", "600"}, nil, a.ScanBurst)
	var sizes []string
	for _, s := range render.Sizes {
		sizes = append(sizes, s.Name)
	}
	t.size = keys.NewSelect(sizes, nil, a.ScanBurst)
	t.offX = keys.NewEntry(a.ScanBurst, false)
	t.offY = keys.NewEntry(a.ScanBurst, false)
	t.TestBtn = widget.NewButton("", t.testPrint)
	t.privacy = widget.NewCheck("", nil)

	t.carSOP = keys.NewSelect(nil, nil, a.ScanBurst)
	t.carLBP = keys.NewSelect(nil, nil, a.ScanBurst)
	t.carSOPL = keys.NewSelect(nil, nil, a.ScanBurst)
	t.loadCar = widget.NewButton("", t.refreshCarriers)
	t.carNote = widget.NewLabel("")

	t.Language = widget.NewRadioGroup([]string{"中文", "English"}, nil)
	t.Language.Horizontal = true
	t.Language.Required = true
	t.Sound = keys.NewSelect(nil, nil, a.ScanBurst)
	t.ScanEnd = keys.NewSelect(nil, nil, a.ScanBurst)
	t.Verify = keys.NewSelect(nil, nil, a.ScanBurst)
	t.Scale = keys.NewEntry(a.ScanBurst, false)
	t.Scale.SetPlaceHolder("serial:/dev/ttyUSB0 · serial:COM3?format=toledo")
	t.Journal = keys.NewEntry(a.ScanBurst, false)
	t.Journal.SetPlaceHolder("postgres://station@db-host:5432/warehouse")
	t.JournalPw = keys.NewEntry(a.ScanBurst, true)
	t.StationName = keys.NewEntry(a.ScanBurst, false)
	t.TolG = keys.NewEntry(a.ScanBurst, false)
	t.TolPct = keys.NewEntry(a.ScanBurst, false)

	t.Save = widget.NewButton("", t.doSave)
	t.Save.Importance = widget.HighImportance
	t.Note = widget.NewLabel("")
	t.Note.Wrapping = fyne.TextWrapWord

	t.fill(a.Settings(), a.Secrets())

	// Labels of the form, re-applied on a language switch.
	type row struct {
		id  i18n.Key
		lbl *widget.Label
	}
	var rows []row
	label := func(id i18n.Key) *widget.Label {
		l := widget.NewLabel("")
		rows = append(rows, row{id, l})
		return l
	}
	heading := func(id i18n.Key) *widget.Label {
		l := label(id)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SizeName = "subHeadingText"
		return l
	}
	demoNote := widget.NewLabel("")
	demoNote.Wrapping = fyne.TextWrapWord
	demoNote.Importance = widget.WarningImportance
	if !a.Demo() {
		demoNote.Hide()
	}

	grid := func(objs ...fyne.CanvasObject) *fyne.Container { return container.New(&formLayout{}, objs...) }
	josGrid := grid(
		label("set.endpoint"), t.endpoint,
		label("set.customurl"), t.customURL,
		label("set.appkey"), t.appKey,
		label("set.appsecret"), t.appSecret,
		label("set.token"), t.token,
		label("set.rate"), t.rate,
		widget.NewLabel(""), t.secrets,
	)
	prn := grid(
		label("set.printer.kind"), t.kind,
		label("set.printer.target"), container.NewBorder(nil, nil, nil, container.NewHBox(t.browse, t.findUSB), t.target),
		widget.NewLabel(""), t.usbFound,
		label("set.printer.lang"), t.plang,
		label("set.printer.dpi"), t.dpi,
		label("set.label.size"), t.size,
		label("set.offset.x"), t.offX,
		label("set.offset.y"), t.offY,
		widget.NewLabel(""), t.privacy,
		widget.NewLabel(""), container.NewHBox(t.TestBtn),
	)
	car := grid(
		widget.NewLabel("SOP"), t.carSOP,
		widget.NewLabel("LBP"), t.carLBP,
		widget.NewLabel("SOPL"), t.carSOPL,
		widget.NewLabel(""), container.NewBorder(nil, nil, t.loadCar, nil, t.carNote),
	)
	uiGrid := grid(label("set.language"), t.Language, label("set.sound"), t.Sound, label("set.scanend"), t.ScanEnd)
	packGrid := grid(label("set.verify"), t.Verify, label("set.scale"), t.Scale,
		label("set.tolerance"), container.NewGridWithColumns(4, t.TolG, widget.NewLabel("g"), t.TolPct, widget.NewLabel("%")))

	whGrid := grid(label("set.journal"), t.Journal, label("set.journal.password"), t.JournalPw, label("set.station"), t.StationName)
	left := container.NewVBox(heading("set.section.jos"), josGrid, widget.NewSeparator(),
		heading("set.section.carriers"), car, widget.NewSeparator(), heading("set.section.ui"), uiGrid,
		widget.NewSeparator(), heading("set.section.warehouse"), whGrid)
	right := container.NewVBox(heading("set.section.printer"), prn, widget.NewSeparator(), heading("set.section.pack"), packGrid)
	body := container.NewGridWithColumns(2, left, right)
	footer := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewVBox(t.Save), container.NewVBox(demoNote, t.Note))
	t.Content = container.NewBorder(nil, footer, nil, nil, container.NewVScroll(container.NewPadded(body)))

	tr.Bind(func() {
		for _, r := range rows {
			r.lbl.SetText(tr.T(r.id))
		}
		demoNote.SetText(tr.T("set.demo.note"))
		t.browse.SetText(tr.T("set.printer.browse"))
		t.findUSB.SetText(tr.T(findMsg(t.kindSel)))
		t.TestBtn.SetText(tr.T("set.testprint"))
		t.privacy.Text = tr.T("set.privacy")
		t.privacy.Refresh()
		t.loadCar.SetText(tr.T("set.carriers.load"))
		t.Save.SetText(tr.T("set.save"))
		t.rate.SetPlaceHolder(tr.F("set.rate.hint", jos.DefaultRateLimit))
		t.StationName.SetPlaceHolder(tr.F("set.station.hint", hostName()))
		t.translateChoices()
		t.showBackend()
	})
	return t
}

// formLayout is a two-column form: labels as wide as the widest, fields taking the rest.
type formLayout struct{}

func (formLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lw, fw, h := formWidths(objs)
	pad := float32(4)
	for i := 0; i+1 < len(objs); i += 2 {
		if !objs[i+1].Visible() {
			continue
		}
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height) + pad
	}
	return fyne.NewSize(lw+fw+pad, h)
}

func (formLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lw, _, _ := formWidths(objs)
	pad := float32(4)
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		l, f := objs[i], objs[i+1]
		if !f.Visible() {
			l.Hide()
			continue
		}
		l.Show()
		h := max(l.MinSize().Height, f.MinSize().Height)
		l.Move(fyne.NewPos(0, y))
		l.Resize(fyne.NewSize(lw, h))
		f.Move(fyne.NewPos(lw+pad, y))
		f.Resize(fyne.NewSize(size.Width-lw-pad, h))
		y += h + pad
	}
}

func formWidths(objs []fyne.CanvasObject) (lw, fw, h float32) {
	for i := 0; i+1 < len(objs); i += 2 {
		lw = max(lw, objs[i].MinSize().Width)
		fw = max(fw, objs[i+1].MinSize().Width)
	}
	return lw, fw, 0
}

// translateChoices fills the selects whose options are words, keeping what they stand for.
// PrinterTarget is the printer address field (for the window's tests).
func (t *Tab) PrinterTarget() *keys.Entry { return t.target }

// soundStyles are the settings' sound values, in the order the select shows them.
var soundStyles = []string{"voice", "tones", "off"}

// verifyModes are the settings' verification values.
var verifyModes = []string{settings.VerifyAuto, settings.VerifyOn, settings.VerifyOff}

// scanEnds are the settings' scan-end values.
var scanEnds = []string{"enter_tab", "enter"}

func (t *Tab) translateChoices() {
	tr := t.a.Tr()
	choice.Bind(&t.endpoint.Select, settings.Endpoints, func(e settings.Endpoint) string { return tr.T(endpointMsgs[e]) },
		&t.endpointSel, t.updateEnabled)
	choice.Bind(&t.kind.Select, t.printerKinds(), func(k string) string { return tr.T(kindMsgs[k]) },
		&t.kindSel, t.updateEnabled)
	langs := []string{tr.T("set.printer.lang.auto"), "ZPL", "TSPL", "ESC/POS"}
	choice.Bind(&t.plang.Select, printerLangs, func(l string) string {
		return langs[max(slices.Index(printerLangs, l), 0)] // an unknown language shows as automatic
	}, &t.langSel, func() {})
	choice.Bind(&t.ScanEnd.Select, scanEnds, func(v string) string { return tr.T(i18n.Key("set.scanend." + v)) }, &t.scanEndSel, func() {})
	choice.Bind(&t.Sound.Select, soundStyles, func(v string) string { return tr.T(i18n.Key("set.sound." + v)) }, &t.soundSel, func() {})
	choice.Bind(&t.Verify.Select, verifyModes, func(v string) string { return tr.T(i18n.Key("set.verify." + v)) }, &t.verifySel, func() {})
	t.fillCarrierChoices()
	t.updateEnabled()
}

// fillCarrierChoices lists the shop's carriers in the three default-carrier selects.
func (t *Tab) fillCarrierChoices() {
	tr := t.a.Tr()
	for _, c := range []struct {
		typ printdata.OrderType
		sel *widget.Select
	}{{printdata.SOP, &t.carSOP.Select}, {printdata.LBP, &t.carLBP.Select}, {printdata.SOPL, &t.carSOPL.Select}} {
		first := &choice.Extra{Name: tr.T("carrier.deliverjd"), ID: ship.DeliverToJD}
		if c.typ == printdata.SOP {
			first = &choice.Extra{Name: tr.T("carrier.none"), ID: ""}
		}
		typ := c.typ
		choice.Carrier(c.sel, first, t.carriers, t.carSel[typ], func(id string) { t.carSel[typ] = id })
	}
}

// updateEnabled enables the fields that apply to the current choices.
func (t *Tab) updateEnabled() {
	t.switchTarget()
	custom := t.endpointSel == settings.EndpointCustom
	jd := t.endpointSel != settings.EndpointDemo
	setEnabled(t.customURL, custom)
	for _, e := range []*keys.Entry{t.appKey, t.appSecret, t.token} {
		setEnabled(e, jd)
	}
	label := t.kindSel != settings.PrinterPDF
	for _, s := range []*widget.Select{&t.plang.Select, &t.dpi.Select} {
		if label {
			s.Enable()
		} else {
			s.Disable()
		}
	}
	if t.kindSel == settings.PrinterPDF {
		t.browse.Show()
	} else {
		t.browse.Hide()
	}
	if t.kindSel == settings.PrinterUSB || t.kindSel == settings.PrinterWin {
		t.findUSB.SetText(t.a.Tr().T(findMsg(t.kindSel)))
		t.findUSB.Show()
	} else {
		t.findUSB.Hide()
		t.usbFound.Hide()
	}
	ph := map[string]string{settings.PrinterPDF: "/home/…/station-labels", settings.PrinterUSB: "auto",
		settings.PrinterTCP: "192.168.1.50:9100", settings.PrinterCUPS: "Zebra_ZD420", settings.PrinterFile: "/dev/usb/lp0",
		settings.PrinterWin: "ZDesigner ZD421-203dpi ZPL"}
	t.target.SetPlaceHolder(ph[t.kindSel])
}

// switchTarget keeps what was typed as the target of each printer kind: a PDF folder does not
// become a Windows printer's or a network printer's address when the kind is changed, and
// changing back brings it back.
func (t *Tab) switchTarget() {
	if t.targets == nil || t.kindSel == t.targetKind {
		return
	}
	t.targets[t.targetKind] = t.target.Text
	t.target.SetText(t.targets[t.kindSel])
	t.targetKind = t.kindSel
	t.usbFound.Hide()
}

func setEnabled(e fyne.Disableable, on bool) {
	if on {
		e.Enable()
	} else {
		e.Disable()
	}
}

// fill shows cfg and sec in the form.
func (t *Tab) fill(cfg settings.Settings, sec settings.Secrets) {
	t.endpointSel = cfg.Endpoint
	t.customURL.SetText(cfg.CustomURL)
	t.appKey.SetText(cfg.AppKey)
	t.appSecret.SetText(sec.AppSecret)
	t.token.SetText(sec.AccessToken)
	t.rate.SetText("")
	if cfg.Rate > 0 {
		t.rate.SetText(strconv.FormatFloat(cfg.Rate, 'f', -1, 64))
	}
	t.kindSel = cfg.Printer.Kind
	if t.kindSel == "" {
		t.kindSel = settings.PrinterPDF
	}
	t.target.SetText(cfg.Printer.Target)
	t.targets, t.targetKind = map[string]string{}, t.kindSel
	t.langSel = cfg.Printer.Lang
	dpi := cfg.Printer.DPI
	if dpi == 0 {
		dpi = 203
	}
	t.dpi.SetSelected(strconv.Itoa(dpi))
	size := cfg.LabelSize
	if size == "" {
		size = render.DefaultSize.Name
	}
	t.size.SetSelected(size)
	t.offX.SetText(formatMM(cfg.Printer.OffsetX))
	t.offY.SetText(formatMM(cfg.Printer.OffsetY))
	t.privacy.SetChecked(cfg.Privacy)
	t.carSel = map[printdata.OrderType]string{}
	for k, v := range cfg.Carriers {
		t.carSel[printdata.OrderType(k)] = v
	}
	t.soundSel, t.scanEndSel, t.verifySel = cfg.Sound, cfg.ScanEnd, cfg.Verify
	t.Scale.SetText(cfg.Scale)
	t.Journal.SetText(cfg.Journal)
	t.JournalPw.SetText(sec.JournalPassword)
	t.StationName.SetText(cfg.StationName)
	tol := verify.Tolerance{Grams: cfg.ToleranceG, Percent: cfg.TolerancePct}.Filled()
	t.TolG.SetText(strconv.Itoa(tol.Grams))
	t.TolPct.SetText(strconv.Itoa(tol.Percent))
	if cfg.Language == settings.English {
		t.Language.SetSelected("English")
	} else {
		t.Language.SetSelected("中文")
	}
	t.translateChoices()
}

func hostName() string {
	h, _ := os.Hostname()
	return h
}

func formatMM(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// read returns what the form says. Numbers that do not parse are an error.
func (t *Tab) read() (settings.Settings, settings.Secrets, error) {
	cfg := t.a.Settings() // keeps the fields the form does not show (scan mode, packages)
	cfg.Endpoint = t.endpointSel
	cfg.CustomURL = strings.TrimSpace(t.customURL.Text)
	cfg.AppKey = strings.TrimSpace(t.appKey.Text)
	sec := settings.Secrets{AppSecret: strings.TrimSpace(t.appSecret.Text), AccessToken: strings.TrimSpace(t.token.Text),
		JournalPassword: t.JournalPw.Text}
	// A password pasted inside the URL goes to the keyring with the other secrets.
	cfg.Journal, sec.JournalPassword = settings.SplitJournalPassword(strings.TrimSpace(t.Journal.Text), sec.JournalPassword)
	cfg.StationName = strings.TrimSpace(t.StationName.Text)
	cfg.Printer = settings.Printer{Kind: t.kindSel, Target: strings.TrimSpace(t.target.Text)}
	if t.kindSel != settings.PrinterPDF {
		cfg.Printer.Lang = t.langSel
		cfg.Printer.DPI, _ = strconv.Atoi(t.dpi.Selected)
	}
	cfg.LabelSize = t.size.Selected
	var errs []error
	num := func(e *keys.Entry) float64 {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, errors.New(t.a.Tr().F("set.number", s)))
			return 0
		}
		return v
	}
	cfg.Printer.OffsetX, cfg.Printer.OffsetY = num(t.offX), num(t.offY)
	cfg.Rate = num(t.rate)
	cfg.Privacy = t.privacy.Checked
	cfg.Carriers = map[string]string{}
	for k, v := range t.carSel {
		if v != "" {
			cfg.Carriers[string(k)] = v
		}
	}
	if t.Language.Selected == "English" {
		cfg.Language = settings.English
	} else {
		cfg.Language = settings.Chinese
	}
	cfg.Sound, cfg.ScanEnd, cfg.Verify = t.soundSel, t.scanEndSel, t.verifySel
	cfg.Scale = strings.TrimSpace(t.Scale.Text)
	if cfg.Scale != "" {
		if _, err := scale.ParseSpec(cfg.Scale); err != nil {
			errs = append(errs, err)
		}
	}
	cfg.ToleranceG, cfg.TolerancePct = int(num(t.TolG)), int(num(t.TolPct))
	if err := errors.Join(errs...); err != nil {
		return cfg, sec, err
	}
	if err := cfg.Check(); err != nil {
		return cfg, sec, err
	}
	return cfg, sec, nil
}

// doSave writes the settings and applies them.
func (t *Tab) doSave() {
	a := t.a
	tr := a.Tr()
	cfg, sec, err := t.read()
	if err != nil {
		a.ShowError(errors.New(tr.F("set.invalid", err.Error())))
		return
	}
	if err := a.Store().Save(cfg); err != nil {
		a.ShowError(err)
		return
	}
	backend, err := a.Store().SaveSecrets(sec)
	if err != nil {
		a.ShowError(err)
		return
	}
	old, oldSec := a.Settings(), a.Secrets()
	a.SetSaved(cfg, sec, backend)
	t.showBackend()
	if cfg.Language != old.Language {
		a.Tr().Set(cfg.Language)
	}
	if josChanged(old, cfg, oldSec, sec) {
		a.Connect()
		t.Note.SetText(tr.T("set.saved.reconnect"))
	} else {
		a.ApplyLive(cfg)
		t.Note.SetText(tr.T("set.saved"))
	}
}

// josChanged reports whether the settings that make the JOS connection changed.
func josChanged(a, b settings.Settings, as, bs settings.Secrets) bool {
	return a.Endpoint != b.Endpoint || a.URL() != b.URL() || a.AppKey != b.AppKey || a.Rate != b.Rate || as != bs ||
		a.Journal != b.Journal || a.StationName != b.StationName
}

func (t *Tab) showBackend() {
	tr := t.a.Tr()
	if t.a.Backend() == settings.BackendFile {
		t.secrets.SetText(tr.F("set.secrets.file", t.a.Store().SecretsPath()))
	} else {
		t.secrets.SetText(tr.T("set.secrets.keyring"))
	}
}

// shown is called when the tab is opened.
func (t *Tab) Shown() {
	if len(t.carriers) == 0 {
		t.Connected()
	}
}

// languageChanged shows the language chosen elsewhere (the status bar's switch).
func (t *Tab) LanguageChanged() {
	if t.a.Tr().Lang() == settings.English {
		t.Language.SetSelected("English")
	} else {
		t.Language.SetSelected("中文")
	}
}

// connected loads the carrier list of a new connection.
func (t *Tab) Connected() { t.loadCarriers(false) }

func (t *Tab) refreshCarriers() { t.loadCarriers(true) }

func (t *Tab) loadCarriers(refresh bool) {
	a := t.a
	a.LoadCarriers(refresh, func(list []ship.Carrier, err error) {
		if err != nil {
			t.carNote.SetText(a.Tr().F("set.carriers.none", a.Tr().M(explain.Error(err))))
			return
		}
		t.carNote.SetText("")
		t.carriers = list
		t.fillCarrierChoices()
	})
}

// pickFolder chooses the PDF folder with the system's folder dialog.
func (t *Tab) pickFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			t.target.SetText(u.Path())
		}
	}, t.a.Window())
	if dir := strings.TrimSpace(t.target.Text); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	t.a.ShowDialog(d)
}

// printerKinds are the printer kinds this computer offers: Windows printers on Windows (or
// where a lister of them is given), CUPS and direct USB elsewhere.
func (t *Tab) printerKinds() []string {
	if runtime.GOOS == "windows" || t.a.ListWindows() != nil {
		return settings.WindowsPrinterKinds
	}
	return settings.PrinterKinds
}

// findMsg is the find button's text for a printer kind.
func findMsg(kind string) i18n.Key {
	if kind == settings.PrinterWin {
		return "set.printer.findwin"
	}
	return "set.printer.find"
}

// foundMsgs are the notes after a search: how many were found, and none found (why).
var foundMsgs = map[string][2]i18n.Key{settings.PrinterUSB: {"set.printer.found", "set.printer.nofound"},
	settings.PrinterWin: {"set.printer.foundwin", "set.printer.nofoundwin"}}

// foundPrinter is a printer the find button offers: how it is shown, its target, and the
// language it says it takes ("" when it does not).
type foundPrinter struct {
	name, target string
	lang         string
}

// findPrinters looks for the printers of the chosen kind (attached USB printers, or the
// printers installed in Windows) and offers them.
func (t *Tab) findPrinters() {
	a := t.a
	kind := t.kindSel
	list := t.lister(kind)
	t.findUSB.Disable()
	a.Go("find printers", func() {
		ctx, cancel := context.WithTimeout(a.Ctx(), 10*time.Second)
		defer cancel()
		found, err := list(ctx)
		a.Do(func() {
			t.findUSB.Enable()
			tr := a.Tr()
			if err == nil && len(found) == 0 {
				err = errors.New(tr.T("none"))
			}
			if err != nil {
				t.usbFound.Hide()
				t.Note.SetText(tr.F(foundMsgs[kind][1], err.Error()))
				return
			}
			t.found = found
			opts := make([]string, len(found))
			for i, p := range found {
				opts[i] = p.name
			}
			t.usbFound.Options = opts
			t.usbFound.Selected = ""
			t.usbFound.Show()
			t.usbFound.Refresh()
			t.Note.SetText(tr.F(foundMsgs[kind][0], len(found)))
			if len(found) == 1 || kind == settings.PrinterWin {
				t.usbFound.SetSelected(opts[0]) // the only one, or Windows' default
			}
		})
	})
}

// lister lists the printers of kind as the find button offers them.
func (t *Tab) lister(kind string) func(context.Context) ([]foundPrinter, error) {
	if kind == settings.PrinterWin {
		list, tr := t.a.ListWindows(), t.a.Tr()
		if list == nil {
			list = printer.ListWindows
		}
		return offered(list, func(p printer.WindowsPrinter) foundPrinter {
			return foundPrinter{name: windowsName(tr, p), target: p.Name, lang: string(p.Language())}
		})
	}
	list := t.a.ListUSB()
	if list == nil {
		list = printer.ListUSB
	}
	return offered(list, func(p printer.USBPrinter) foundPrinter {
		return foundPrinter{name: usbName(p), target: strings.TrimPrefix(p.Spec, "usb:"), lang: string(p.Language)}
	})
}

// offered is list with each printer as the find button offers it.
func offered[P any](list func(context.Context) ([]P, error), offer func(P) foundPrinter) func(context.Context) ([]foundPrinter, error) {
	return func(ctx context.Context) ([]foundPrinter, error) {
		ps, err := list(ctx)
		out := make([]foundPrinter, len(ps))
		for i, p := range ps {
			out[i] = offer(p)
		}
		return out, err
	}
}

func usbName(p printer.USBPrinter) string {
	name := strings.TrimSpace(p.Manufacturer + " " + p.Product)
	if name == "" {
		name = p.Vendor()
	}
	s := fmt.Sprintf("%s  (%s)", name, p.Spec)
	if p.Err != nil {
		s += " — " + p.Err.Error()
	}
	return say.Plain(s)
}

// windowsName shows a Windows printer with its driver, the default marked, and the language
// the driver's name gives, or that it must be chosen.
func windowsName(tr *i18n.Translator, p printer.WindowsPrinter) string {
	s := p.Name
	if p.Default {
		s += " " + tr.T("set.printer.default")
	}
	lang := strings.ToUpper(string(p.Language()))
	if lang == "" {
		lang = tr.T("set.printer.lang.pick")
	}
	return say.Plain(fmt.Sprintf("%s  (%s · %s)", s, p.Driver, lang))
}

func (t *Tab) pickFound(s string) {
	for _, p := range t.found {
		if p.name == s {
			t.target.SetText(p.target)
			if p.lang != "" {
				t.langSel = p.lang
				t.translateChoices()
			}
		}
	}
}

// testPrint prints a calibration label on the printer the form describes (saved or not).
func (t *Tab) testPrint() {
	a := t.a
	tr := a.Tr()
	cfg, _, err := t.read()
	if err != nil {
		a.ShowError(errors.New(tr.F("set.invalid", err.Error())))
		return
	}
	spec := cfg.Spec()
	if spec == "" {
		a.ShowError(errors.New(tr.T("status.printer.none")))
		return
	}
	t.TestBtn.Disable()
	a.Go("test print", func() {
		ctx, cancel := context.WithTimeout(a.Ctx(), 30*time.Second)
		err := app.TestPrint(ctx, cfg, a.OpenPrinter())
		cancel()
		a.Do(func() {
			t.TestBtn.Enable()
			if err != nil {
				a.ShowError(errors.New(tr.M(explain.Error(err))))
				return
			}
			t.Note.SetText(tr.F("set.testprint.ok", spec))
		})
	})
}
