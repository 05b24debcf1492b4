package ui

import (
	_ "station/internal/quietlocale" // no Fyne locale complaint under LANG=C.UTF-8
	"station/printer"
	"station/say"
	"station/ui/i18n"
	"sync"

	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"station/internal/app"
	"station/jos/jostest"
	"station/journal"
	"station/printdata"
	"station/settings"
	"station/ship"
)

// harness is a station window on a real Station: the JOS simulator over HTTP, a journal in a
// temporary file and a pdf:DIR printer.
type harness struct {
	t       *testing.T
	sim     *jostest.Server
	url     string
	dir     string // settings directory
	journal string
	labels  string // the PDF printer's folder
	app     *App
	opener  func(spec string) (printer.Printer, error) // nil: the real printers
}

func newHarness(t *testing.T, opts ...func(*jostest.Options)) *harness {
	t.Helper()
	keyring.MockInit()
	so := jostest.Options{Orders: 40}
	for _, o := range opts {
		o(&so)
	}
	sim := jostest.New(so)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	root := t.TempDir()
	h := &harness{t: t, sim: sim, url: srv.URL + "/routerjson", dir: filepath.Join(root, "config"),
		journal: filepath.Join(root, "journal.db"), labels: filepath.Join(root, "labels")}
	store, err := settings.Open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := settings.Defaults()
	cfg.Endpoint = settings.EndpointCustom
	cfg.CustomURL = h.url
	cfg.AppKey = jostest.DemoAppKey
	cfg.Printer = settings.Printer{Kind: settings.PrinterPDF, Target: h.labels}
	if err := store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveSecrets(settings.Secrets{AppSecret: jostest.DemoAppSecret, AccessToken: jostest.DemoAccessToken}); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	h.app = h.open()
	return h
}

// open starts a window on the harness's settings directory and journal.
func (h *harness) open() *App {
	h.t.Helper()
	store, err := settings.Open(h.dir)
	if err != nil {
		h.t.Fatal(err)
	}
	a, err := New(fyne.CurrentApp(), Options{Store: store, Flags: app.Flags{Journal: h.journal, Rate: -1, RateSet: true},
		OpenPrinter: h.opener, printerRetry: 10 * time.Millisecond, queued: true})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(a.Close)
	a.Window().Resize(fyne.NewSize(1366, 768))
	a.wait()
	return a
}

// orderOf returns a waiting order of type typ that the window has not touched yet.
func (h *harness) orderOf(typ string, skip int) string {
	h.t.Helper()
	ids := h.sim.OrderIDs(typ, printdata.StateWaitStockOut)
	if len(ids) <= skip {
		h.t.Fatalf("the simulator has %d waiting %s orders", len(ids), typ)
	}
	return ids[skip]
}

// scan types line into the scan field and presses Enter, then waits for the result.
func (h *harness) scan(line string) {
	h.t.Helper()
	e := h.app.scan.entry
	test.Type(e, line)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
}

func (h *harness) ledger(id string) jostest.LedgerOrder {
	h.t.Helper()
	o, ok := h.sim.Ledger().Order(id)
	if !ok {
		h.t.Fatalf("order %s not in the ledger", id)
	}
	return o
}

func (h *harness) entry(id string) journal.Entry {
	h.t.Helper()
	s, release, err := h.app.use(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	defer release()
	e, ok, err := s.Journal().Get(context.Background(), id)
	if err != nil || !ok {
		h.t.Fatalf("journal entry of %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

func (h *harness) pdfs() []string {
	ents, _ := os.ReadDir(h.labels)
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".pdf") {
			names = append(names, e.Name())
		}
	}
	return names
}

func (h *harness) focused() bool {
	return h.app.Window().Canvas().Focused() == h.app.scan.entry
}

func TestScanPrintsAndShips(t *testing.T) {
	h := newHarness(t)
	if !h.focused() {
		t.Fatal("the scan field does not have the keyboard at start")
	}
	id := h.orderOf(jostest.TypeLBP, 0)
	h.scan(id)

	b := h.app.scan.banner
	if b.kind != bannerOK {
		t.Fatalf("banner %v: %q / %q", b.kind, b.title.Text, b.detail.Text)
	}
	if !strings.Contains(b.title.Text, id) || !strings.Contains(b.title.Text, "已打印并发货") {
		t.Errorf("banner title %q should name the order and say printed and shipped", b.title.Text)
	}
	if !strings.Contains(b.detail.Text, "LBP") {
		t.Errorf("banner detail %q should give the order type", b.detail.Text)
	}
	lo := h.ledger(id)
	if lo.OutstorageAccepted != 1 || len(lo.Shipments) != 1 || lo.Shipments[0].LogisticsID != ship.DeliverToJD {
		t.Fatalf("ledger: %+v", lo)
	}
	e := h.entry(id)
	if e.State != journal.StateShipped || e.Prints != 1 {
		t.Fatalf("journal: state %s, prints %d", e.State, e.Prints)
	}
	if got := h.pdfs(); len(got) != 1 || !strings.Contains(got[0], id) {
		t.Fatalf("labels written: %v", got)
	}
	if h.app.scan.preview.Image == nil || !h.app.scan.preview.Visible() {
		t.Error("no label preview")
	}
	if len(h.app.scan.recent) != 1 || h.app.scan.recent[0].orderID != id || !h.app.scan.recent[0].ok {
		t.Errorf("recent scans: %+v", h.app.scan.recent)
	}
	if !h.focused() {
		t.Error("the scan field lost the keyboard")
	}

	// Scanned again: nothing is printed or shipped twice.
	h.scan(id)
	if b.kind != bannerWarn {
		t.Errorf("second scan: banner %v %q", b.kind, b.title.Text)
	}
	if lo := h.ledger(id); lo.OutstorageAttempts != 1 {
		t.Errorf("second scan called outstorage again: %+v", lo)
	}
	if got := h.pdfs(); len(got) != 1 {
		t.Errorf("second scan printed again: %v", got)
	}
}

func TestScanSOPWaitsForWaybill(t *testing.T) {
	h := newHarness(t)
	id := h.orderOf(jostest.TypeSOP, 0)
	h.scan(id)
	if h.app.scan.banner.kind != bannerWait || h.app.scan.awaiting != id {
		t.Fatalf("banner %v %q, awaiting %q", h.app.scan.banner.kind, h.app.scan.banner.title.Text, h.app.scan.awaiting)
	}
	if !h.app.scan.cancelW.Visible() || !strings.Contains(h.app.scan.entry.PlaceHolder, id) {
		t.Error("the waiting state is not shown")
	}
	if lo := h.ledger(id); lo.OutstorageAttempts != 0 {
		t.Fatalf("shipped before the waybill: %+v", lo)
	}
	h.scan("sf1234567890123")
	if h.app.scan.banner.kind != bannerOK {
		t.Fatalf("after the waybill: banner %v %q %q", h.app.scan.banner.kind, h.app.scan.banner.title.Text, h.app.scan.banner.detail.Text)
	}
	lo := h.ledger(id)
	if len(lo.Shipments) != 1 || lo.Shipments[0].LogisticsID != "467" || lo.Shipments[0].Waybill != "SF1234567890123" {
		t.Fatalf("ledger: %+v", lo)
	}
	if e := h.entry(id); e.State != journal.StateShipped {
		t.Fatalf("journal state %s", e.State)
	}
	if h.app.scan.awaiting != "" || h.app.scan.cancelW.Visible() {
		t.Error("still waiting after the waybill")
	}
}

func TestBadScanShowsRedBannerAndKeepsFocus(t *testing.T) {
	h := newHarness(t)
	h.scan("hello world!")
	b := h.app.scan.banner
	if b.kind != bannerFail || b.bg.FillColor != colorFail {
		t.Fatalf("banner %v %v", b.kind, b.bg.FillColor)
	}
	if b.detail.Text == "" {
		t.Error("the red banner does not say what to do")
	}
	if !h.focused() {
		t.Fatal("the scan field lost the keyboard after a bad scan")
	}
	if h.app.scan.entry.Text != "" {
		t.Errorf("the scan field still holds %q", h.app.scan.entry.Text)
	}
	// A well-formed id JD does not know is refused as well, with nothing shipped.
	h.scan("99999999999")
	if b.kind != bannerFail {
		t.Fatalf("unknown order: banner %v %q", b.kind, b.title.Text)
	}
	for _, o := range h.sim.Ledger().Orders {
		if o.OutstorageAttempts != 0 {
			t.Fatalf("bad scans shipped %s", o.OrderID)
		}
	}
	if got := h.pdfs(); len(got) != 0 {
		t.Fatalf("bad scans printed %v", got)
	}
	if !h.focused() {
		t.Fatal("focus lost")
	}
}

func TestScanWithoutFocusIsCaught(t *testing.T) {
	h := newHarness(t)
	c := h.app.Window().Canvas()
	c.Unfocus()
	h.app.wait() // the field takes the keyboard back by itself
	if !h.focused() {
		t.Fatal("the scan field did not take the keyboard back")
	}
	// Keys typed while nothing has the keyboard still make a scan.
	c.Unfocus()
	id := h.orderOf(jostest.TypeSOPL, 0)
	for _, r := range id {
		c.(interface{ OnTypedRune() func(rune) }).OnTypedRune()(r)
	}
	h.app.scan.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if h.app.scan.banner.kind != bannerOK {
		t.Fatalf("banner %v %q %q", h.app.scan.banner.kind, h.app.scan.banner.title.Text, h.app.scan.banner.detail.Text)
	}
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Fatalf("ledger %+v", lo)
	}
}

func TestModeHotkeys(t *testing.T) {
	h := newHarness(t)
	e := h.app.scan.entry
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF1})
	if h.app.cfg.ScanMode != settings.ScanPrint || h.app.scan.modeBtns[0].Importance != widget.HighImportance ||
		h.app.scan.modeBtns[1].Importance == widget.HighImportance {
		t.Fatalf("F1: mode %s", h.app.cfg.ScanMode)
	}
	id := h.orderOf(jostest.TypeLBP, 1)
	h.scan(id)
	if lo := h.ledger(id); lo.OutstorageAttempts != 0 {
		t.Fatalf("print mode shipped: %+v", lo)
	}
	if e := h.entry(id); e.State != journal.StatePrinted {
		t.Fatalf("journal %s", e.State)
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF3})
	h.scan(id)
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Fatalf("ship-only mode did not ship: %+v", lo)
	}
	if got := h.pdfs(); len(got) != 1 {
		t.Fatalf("ship-only printed again: %v", got)
	}
}

func TestBatchPrintsAndShipsSelection(t *testing.T) {
	h := newHarness(t)
	bt := h.app.batch
	test.Tap(bt.query)
	h.app.wait()
	waiting := h.sim.OrderIDs("", printdata.StateWaitStockOut)
	if len(bt.rows) != len(waiting) {
		t.Fatalf("the list shows %d orders, the simulator has %d waiting", len(bt.rows), len(waiting))
	}
	// Select the LBP and SOPL orders only: SOP ones need a carrier's waybill.
	test.Tap(bt.selAll) // all off
	var picked []string
	for i, r := range bt.rows {
		if r.order.Type != printdata.SOP && len(picked) < 6 {
			bt.rows[i].selected = true
			picked = append(picked, r.order.ID)
		}
	}
	bt.updateCounts()
	if !strings.Contains(bt.counts.Text, "已选 6") {
		t.Errorf("counts %q", bt.counts.Text)
	}
	test.Tap(bt.printBtn)
	h.app.wait()
	if p := bt.bar.Value; p != 1 {
		t.Fatalf("print progress %v, want 1", p)
	}
	if got := h.pdfs(); len(got) != len(picked) {
		t.Fatalf("%d labels for %d orders", len(got), len(picked))
	}
	for _, id := range picked {
		if e := h.entry(id); e.State != journal.StatePrinted {
			t.Errorf("%s: journal %s", id, e.State)
		}
		if r := bt.rows[bt.index[id]]; !r.printed || r.err != nil || bt.rowStatus(r) != "已打印" {
			t.Errorf("%s: row %+v status %q", id, r, bt.rowStatus(r))
		}
	}

	test.Tap(bt.shipBtn)
	h.app.wait()
	if p := bt.bar.Value; p != 1 {
		t.Fatalf("ship progress %v, want 1", p)
	}
	for _, id := range picked {
		if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
			t.Errorf("%s: ledger %+v", id, lo)
		}
		if e := h.entry(id); e.State != journal.StateShipped {
			t.Errorf("%s: journal %s", id, e.State)
		}
	}
	// Orders not selected were left alone.
	for _, r := range bt.rows {
		if !r.selected {
			if lo := h.ledger(r.order.ID); lo.OutstorageAttempts != 0 {
				t.Errorf("unselected %s was shipped", r.order.ID)
			}
		}
	}
	if len(h.pdfs()) != len(picked) {
		t.Error("shipping printed again")
	}
	if !strings.Contains(bt.rate.Text, "发货 6") {
		t.Errorf("summary %q", bt.rate.Text)
	}
}

func TestBatchFailedRowsCanBeRetried(t *testing.T) {
	h := newHarness(t)
	bt := h.app.batch
	test.Tap(bt.query)
	h.app.wait()
	// A SOP order shipped with a carrier that needs a waybill fails validation: nothing is sent.
	bt.sopID = "467"
	var sop string
	for i, r := range bt.rows {
		bt.rows[i].selected = r.order.Type == printdata.SOP && sop == ""
		if bt.rows[i].selected {
			sop = r.order.ID
		}
	}
	test.Tap(bt.shipBtn)
	h.app.wait()
	r := bt.rows[bt.index[sop]]
	if r.err == nil || !strings.Contains(bt.rowStatus(r), "失败") {
		t.Fatalf("row %+v status %q", r, bt.rowStatus(r))
	}
	if bt.retryBtn.Disabled() {
		t.Fatal("retry is not offered")
	}
	if lo := h.ledger(sop); lo.OutstorageAttempts != 0 {
		t.Fatalf("an invalid shipment reached JD: %+v", lo)
	}
	// With a self-delivery carrier the retry goes through.
	bt.sopID = "1274"
	test.Tap(bt.retryBtn)
	h.app.wait()
	if r.err != nil || !r.shipped {
		t.Fatalf("after retry: %+v", r)
	}
	if lo := h.ledger(sop); lo.OutstorageAccepted != 1 || lo.Shipments[0].LogisticsID != "1274" {
		t.Fatalf("ledger %+v", lo)
	}
}

func TestHistorySearchAndCorrectWaybill(t *testing.T) {
	h := newHarness(t)
	id := h.orderOf(jostest.TypeSOP, 1)
	h.scan(id)
	h.scan("SF1234567890999")
	ht := h.app.history
	h.app.tabs.SelectIndex(2)
	h.app.wait()
	if len(ht.entries) != 1 || ht.entries[0].OrderID != id {
		t.Fatalf("history %+v", ht.entries)
	}
	test.Type(ht.search, "SF1234567890999")
	test.Tap(ht.find)
	h.app.wait()
	if len(ht.entries) != 1 || ht.entries[0].OrderID != id {
		t.Fatalf("search by waybill: %+v", ht.entries)
	}
	ht.search.SetText(id)
	ht.selected = 0
	ht.sendFix(ship.Shipment{OrderID: id, Type: printdata.SOP,
		Carriers: []journal.CarrierWaybills{{LogisticsID: "1499", Waybills: []string{"751234567890"}}}})
	h.app.wait()
	lo := h.ledger(id)
	if lo.Shipments[len(lo.Shipments)-1].LogisticsID != "1499" {
		t.Fatalf("ledger after the correction: %+v", lo)
	}
	if got := ht.cell(ht.entries[0], 3); !strings.Contains(got, "751234567890") {
		t.Fatalf("history shows %q", got)
	}
	// Reprint from the history prints once more and ships nothing.
	ht.selected = 0
	test.Tap(ht.reprint)
	h.app.wait()
	if len(h.pdfs()) != 2 {
		t.Fatalf("labels: %v", h.pdfs())
	}
	if lo := h.ledger(id); lo.OutstorageAttempts != 1 {
		t.Fatalf("reprint shipped: %+v", lo)
	}
}

func TestSettingsSurviveRestart(t *testing.T) {
	h := newHarness(t)
	st := h.app.settings
	st.privacy.SetChecked(true)
	st.size.SetSelected("100x180")
	st.offX.SetText("1.5")
	st.token.SetText("new-token-value")
	st.language.SetSelected("English")
	st.carSel[printdata.SOP] = "1274"
	test.Tap(st.save)
	h.app.wait()
	if st.note.Text == "" {
		t.Fatal("no confirmation")
	}
	if h.app.tr.Lang() != settings.English {
		t.Error("the language did not switch on save")
	}
	b, err := os.ReadFile(filepath.Join(h.dir, "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "new-token-value") || strings.Contains(string(b), jostest.DemoAppSecret) {
		t.Fatal("settings.json holds a secret")
	}
	h.app.Close()

	a := h.open() // a restart: a new window on the same settings directory
	s2 := a.settings
	if !s2.privacy.Checked || s2.size.Selected != "100x180" || s2.offX.Text != "1.5" ||
		s2.token.Text != "new-token-value" || s2.appSecret.Text != jostest.DemoAppSecret ||
		s2.language.Selected != "English" || s2.carSel[printdata.SOP] != "1274" {
		t.Fatalf("after restart: privacy %v size %q offset %q token ok %v language %q SOP carrier %q",
			s2.privacy.Checked, s2.size.Selected, s2.offX.Text, s2.token.Text == "new-token-value", s2.language.Selected, s2.carSel[printdata.SOP])
	}
	if a.tr.Lang() != settings.English || a.Window().Title() != "Waybill Station" {
		t.Fatalf("the window is not in English after restart: %q", a.Window().Title())
	}
}

func TestLanguageSwitch(t *testing.T) {
	h := newHarness(t)
	a := h.app
	h.scan("###")
	zhDetail := a.scan.banner.detail.Text
	if a.tabs.Items[0].Text != "扫描发货" || a.Window().Title() != "京东发货工作台" || a.scan.submit.Text != "确定" {
		t.Fatalf("not Chinese at start: %q %q", a.tabs.Items[0].Text, a.Window().Title())
	}
	test.Tap(a.status.langBtn)
	want := map[string]string{
		"tab 0": "Scan", "tab 1": "Batch", "tab 2": "History", "tab 3": "Settings",
	}
	for i, it := range a.tabs.Items {
		if w := want["tab "+string(rune('0'+i))]; it.Text != w {
			t.Errorf("tab %d: %q, want %q", i, it.Text, w)
		}
	}
	if a.Window().Title() != "Waybill Station" || a.scan.submit.Text != "Enter" || a.batch.printBtn.Text != "Print selected" ||
		a.settings.save.Text != "Save settings" || a.status.langBtn.Text != "中文" {
		t.Errorf("texts not switched: %q %q %q %q", a.Window().Title(), a.scan.submit.Text, a.batch.printBtn.Text, a.settings.save.Text)
	}
	if a.scan.banner.title.Text != "Not accepted" || a.scan.banner.detail.Text == zhDetail {
		t.Errorf("banner not switched: %q / %q", a.scan.banner.title.Text, a.scan.banner.detail.Text)
	}
	if a.settings.language.Selected != "English" {
		t.Errorf("settings page shows %q", a.settings.language.Selected)
	}
	if !h.focused() {
		t.Error("focus lost")
	}
	test.Tap(a.status.langBtn)
	if a.tabs.Items[0].Text != "扫描发货" || a.scan.banner.detail.Text != zhDetail {
		t.Errorf("back to Chinese: %q %q", a.tabs.Items[0].Text, a.scan.banner.detail.Text)
	}
}

func TestCatalogComplete(t *testing.T) {
	for _, p := range i18n.Check() {
		t.Error(p)
	}
	// Every id the code uses is in the catalog: a missing one would show as its id.
	src, _ := filepath.Glob("*.go")
	for _, f := range src {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range msgUses.FindAllStringSubmatch(string(b), -1) {
			if !i18n.Has(i18n.Key(m[1])) {
				t.Errorf("%s uses %q, which is not in the catalog", f, m[1])
			}
		}
	}
}

func TestErrorDialogKeepsWindow(t *testing.T) {
	h := newHarness(t)
	a := h.app
	a.goWork("boom", func() { panic("boom") })
	a.wait()
	if a.dialogs != 1 {
		t.Fatalf("a panic in a job should show one dialog, %d open", a.dialogs)
	}
	// The window goes on working.
	id := h.orderOf(jostest.TypeLBP, 2)
	h.scan(id)
	if a.scan.banner.kind != bannerOK {
		t.Fatalf("banner %v", a.scan.banner.kind)
	}
}

// msgUses finds catalog ids passed to translator.T and translator.F.
var msgUses = regexp.MustCompile(`\.(?:T|F)\("([a-z][a-z0-9.]*)"`)

func TestNotConnectedSaysWhatToDo(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	store, err := settings.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := settings.Defaults()
	cfg.Endpoint = settings.EndpointProduction // and no app key or secret
	cfg.Printer = settings.Printer{Kind: settings.PrinterPDF, Target: filepath.Join(dir, "labels")}
	if err := store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	a, err := New(fyne.CurrentApp(), Options{Store: store, Flags: app.Flags{Journal: filepath.Join(dir, "j.db")}, queued: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	a.wait()
	b := a.scan.banner
	if b.kind != bannerFail || !strings.Contains(b.detail.Text, "App Key") || !strings.Contains(b.detail.Text, "设置") {
		t.Fatalf("banner %v %q", b.kind, b.detail.Text)
	}
	if !strings.Contains(a.status.endpoint.Text, "未连接") {
		t.Errorf("status bar %q", a.status.endpoint.Text)
	}
	// A scan says the same and the window goes on.
	test.Type(a.scan.entry, "244991108876")
	a.scan.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.wait()
	if b.kind != bannerFail || !strings.Contains(b.detail.Text, "App Key") {
		t.Fatalf("after a scan: banner %v %q", b.kind, b.detail.Text)
	}
	if a.Window().Canvas().Focused() != a.scan.entry {
		t.Error("focus lost")
	}
}

func TestBatchStopAndResume(t *testing.T) {
	h := newHarness(t, func(o *jostest.Options) { o.Latency = 40 * time.Millisecond })
	bt := h.app.batch
	test.Tap(bt.query)
	h.app.wait()
	total := len(bt.rows)
	test.Tap(bt.printBtn)
	if bt.stopBtn.Disabled() {
		t.Fatal("stop is not offered while the batch runs")
	}
	// Stop once a few labels are out (the simulator's latency keeps the batch going meanwhile).
	for deadline := time.Now().Add(30 * time.Second); len(h.pdfs()) < 3 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	test.Tap(bt.stopBtn)
	h.app.wait()
	printed := len(h.pdfs())
	if printed == 0 || printed >= total {
		t.Fatalf("%d of %d printed before the stop: the test needs a stop in the middle", printed, total)
	}
	if !strings.Contains(bt.rate.Text, "已停止") || !bt.stopBtn.Disabled() {
		t.Fatalf("after stop: %q", bt.rate.Text)
	}
	// Running it again prints the rest, and nothing twice.
	test.Tap(bt.printBtn)
	h.app.wait()
	if got := len(h.pdfs()); got != total {
		t.Fatalf("%d labels for %d orders after resuming", got, total)
	}
	if bt.bar.Value != 1 {
		t.Fatalf("progress %v", bt.bar.Value)
	}
}

func TestTestPrint(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.app.settings.testBtn)
	h.app.wait()
	got := h.pdfs()
	if len(got) != 1 || !strings.Contains(got[0], "test-label") {
		t.Fatalf("test print wrote %v", got)
	}
	b, err := os.ReadFile(filepath.Join(h.labels, got[0]))
	if err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("not a PDF: %v", err)
	}
	if !strings.Contains(h.app.settings.note.Text, "测试页已发送") {
		t.Errorf("note %q", h.app.settings.note.Text)
	}
}

// awayPrinter is a label printer out of paper until paper is set.
type awayPrinter struct {
	mu    sync.Mutex
	paper bool
	jobs  []string
}

func (p *awayPrinter) setPaper() {
	p.mu.Lock()
	p.paper = true
	p.mu.Unlock()
}

func (p *awayPrinter) Print(ctx context.Context, job printer.Job) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.paper {
		return &printer.Error{Op: "print", Printer: p.Spec(), Job: job.Name, Kind: printer.KindPaperOut, Sent: printer.SentNone, Msg: "out of paper"}
	}
	p.jobs = append(p.jobs, job.Name)
	return nil
}

func (p *awayPrinter) Status(context.Context) (printer.Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.paper {
		return printer.Status{State: printer.StatePaperOut, Message: say.T("缺纸", "out of paper")}, nil
	}
	return printer.Status{State: printer.StateReady}, nil
}

func (p *awayPrinter) Close() error { return nil }
func (p *awayPrinter) Spec() string { return "tcp:label-printer?lang=zpl" }

// drain runs the window updates queued so far, without waiting for the background work.
func (a *App) drain() {
	a.qmu.Lock()
	fns := a.queue
	a.queue = nil
	a.qmu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// A printer out of paper holds the scanned order's label: the scan tab says why and how many
// labels wait, nothing is printed or shipped meanwhile; with paper loaded the label goes out by
// itself, once, and the order ships.
func TestScanHeldWhilePrinterAway(t *testing.T) {
	ap := &awayPrinter{}
	h := newHarness(t, func(o *jostest.Options) {})
	h.opener = func(string) (printer.Printer, error) { return ap, nil }
	h.app.Close()
	h.app = h.open()
	id := h.orderOf(jostest.TypeLBP, 0)
	test.Type(h.app.scan.entry, id)
	h.app.scan.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.app.drain()
		if h.app.scan.away.Visible() && strings.Contains(h.app.scan.away.Text, "缺纸") && strings.Contains(h.app.scan.away.Text, "1 张") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scan tab does not show the held label: %q (visible %v)", h.app.scan.away.Text, h.app.scan.away.Visible())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if lo := h.ledger(id); lo.OutstorageAttempts != 0 {
		t.Fatal("shipped while the label was held")
	}
	ap.setPaper()
	h.app.wait()
	h.app.refreshStatusNow()
	h.app.wait()
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Errorf("after paper: ledger %+v", lo)
	}
	ap.mu.Lock()
	jobs := append([]string(nil), ap.jobs...)
	ap.mu.Unlock()
	if len(jobs) != 1 || jobs[0] != id {
		t.Errorf("labels printed %v, want %s once", jobs, id)
	}
	if h.app.scan.away.Visible() {
		t.Errorf("still shows the printer away: %q", h.app.scan.away.Text)
	}
}
