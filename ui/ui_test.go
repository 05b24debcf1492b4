package ui

import (
	_ "station/internal/quietlocale" // no Fyne locale complaint under LANG=C.UTF-8
	"station/printdata"
	"station/printer"
	"station/say"
	"station/scan"
	"station/sound"
	"station/ui/i18n"
	"station/ui/look"
	"station/ui/uitest"
	"sync"

	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"station/internal/app"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/settings"
	"station/ship"
)

// harness is a station window on a real Station: the JOS simulator over HTTP, a journal in a
// temporary file and a pdf:DIR printer.
type harness struct {
	t testing.TB
	uitest.Env
	app    *App
	opener func(spec string) (printer.Printer, error) // nil: the real printers
	sounds *heard
	// station and packer name the window in a shared journal; signIn asks the packer at open.
	station, packer string
	signIn          bool
	live            bool // the status bar and the board refresh themselves, quickly
}

// heard is a sound output that keeps what it was asked to play.
type heard struct {
	mu     sync.Mutex
	played [][]int16
}

func (h *heard) Play(s []int16) error {
	h.mu.Lock()
	h.played = append(h.played, s)
	h.mu.Unlock()
	return nil
}

// nth waits for the n-th prompt and says which one it was.
func (h *heard) nth(t testing.TB, n int) sound.Prompt {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		h.mu.Lock()
		if len(h.played) >= n {
			s := h.played[n-1]
			h.mu.Unlock()
			for _, p := range sound.Prompts {
				if want, _ := sound.Samples(p, sound.Voice); len(want) == len(s) {
					return p
				}
			}
			t.Fatalf("prompt %d is no known prompt", n)
		}
		h.mu.Unlock()
	}
	t.Fatalf("no prompt %d was played", n)
	return sound.None
}

func newHarness(t testing.TB, opts ...func(*jostest.Options)) *harness {
	t.Helper()
	h := &harness{t: t, Env: uitest.Start(t, opts...), sounds: &heard{}}
	h.app = h.open()
	return h
}

// open starts a window on the harness's settings directory and journal.
func (h *harness) open() *App {
	h.t.Helper()
	store, err := settings.Open(h.Dir)
	if err != nil {
		h.t.Fatal(err)
	}
	a, err := New(fyne.CurrentApp(), Options{Store: store, Flags: app.Flags{Journal: h.Journal, Rate: -1, RateSet: true,
		Station: h.station, Packer: h.packer}, SignIn: h.signIn,
		OpenPrinter: h.opener, Sound: h.sounds, printerRetry: 10 * time.Millisecond, queued: true,
		StatusEvery: live(h.live, time.Hour), boardEvery: live(h.live, 50*time.Millisecond)})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(a.Close)
	a.Window().Resize(fyne.NewSize(1366, 768))
	a.wait()
	return a
}

func (h *harness) orderOf(typ string, skip int) string {
	h.t.Helper()
	return uitest.OrderOf(h.t, h.Sim, typ, skip)
}

// scan types line into the scan field and presses Enter, then waits for the result.
func (h *harness) scan(line string) {
	h.t.Helper()
	e := h.app.scan.Entry
	test.Type(e, line)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
}

func (h *harness) ledger(id string) jostest.LedgerOrder {
	h.t.Helper()
	return uitest.Ledger(h.t, h.Sim, id)
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

func (h *harness) pdfs() []string { return uitest.PDFs(h.Labels) }

func (h *harness) focused() bool {
	return h.app.Window().Canvas().Focused() == h.app.scan.Entry
}

func TestScanPrintsAndShips(t *testing.T) {
	h := newHarness(t)
	if !h.focused() {
		t.Fatal("the scan field does not have the keyboard at start")
	}
	id := h.orderOf(shop.TypeLBP, 0)
	h.scan(id)

	b := h.app.scan.Banner
	if b.Kind() != look.OK {
		t.Fatalf("banner %v: %q / %q", b.Kind(), b.Title(), b.Detail())
	}
	if !strings.Contains(b.Title(), id) || !strings.Contains(b.Title(), "已打印并发货") {
		t.Errorf("banner title %q should name the order and say printed and shipped", b.Title())
	}
	if !strings.Contains(b.Detail(), "LBP") {
		t.Errorf("banner detail %q should give the order type", b.Detail())
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
	if h.app.scan.Preview.Image == nil || !h.app.scan.Preview.Visible() {
		t.Error("no label preview")
	}
	if len(h.app.scan.Recent) != 1 || h.app.scan.Recent[0].OrderID != id || !h.app.scan.Recent[0].OK {
		t.Errorf("recent scans: %+v", h.app.scan.Recent)
	}
	if !h.focused() {
		t.Error("the scan field lost the keyboard")
	}

	// Scanned again: nothing is printed or shipped twice.
	h.scan(id)
	if b.Kind() != look.Warn {
		t.Errorf("second scan: banner %v %q", b.Kind(), b.Title())
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
	id := h.orderOf(shop.TypeSOP, 0)
	h.scan(id)
	if h.app.scan.Banner.Kind() != look.Wait || h.app.scan.Awaiting != id {
		t.Fatalf("banner %v %q, awaiting %q", h.app.scan.Banner.Kind(), h.app.scan.Banner.Title(), h.app.scan.Awaiting)
	}
	if !h.app.scan.CancelW.Visible() || !strings.Contains(h.app.scan.Entry.PlaceHolder, id) {
		t.Error("the waiting state is not shown")
	}
	if lo := h.ledger(id); lo.OutstorageAttempts != 0 {
		t.Fatalf("shipped before the waybill: %+v", lo)
	}
	h.scan("sf1234567890123")
	if h.app.scan.Banner.Kind() != look.OK {
		t.Fatalf("after the waybill: banner %v %q %q", h.app.scan.Banner.Kind(), h.app.scan.Banner.Title(), h.app.scan.Banner.Detail())
	}
	lo := h.ledger(id)
	if len(lo.Shipments) != 1 || lo.Shipments[0].LogisticsID != "467" || lo.Shipments[0].Waybill != "SF1234567890123" {
		t.Fatalf("ledger: %+v", lo)
	}
	if e := h.entry(id); e.State != journal.StateShipped {
		t.Fatalf("journal state %s", e.State)
	}
	if h.app.scan.Awaiting != "" || h.app.scan.CancelW.Visible() {
		t.Error("still waiting after the waybill")
	}
}

func TestBadScanShowsRedBannerAndKeepsFocus(t *testing.T) {
	h := newHarness(t)
	h.scan("hello world!")
	b := h.app.scan.Banner
	if b.Kind() != look.Fail || b.Fill() != look.Fail.Color() {
		t.Fatalf("banner %v %v", b.Kind(), b.Fill())
	}
	if b.Detail() == "" {
		t.Error("the red banner does not say what to do")
	}
	if !h.focused() {
		t.Fatal("the scan field lost the keyboard after a bad scan")
	}
	if h.app.scan.Entry.Text != "" {
		t.Errorf("the scan field still holds %q", h.app.scan.Entry.Text)
	}
	// A well-formed id JD does not know is refused as well, with nothing shipped.
	h.scan("99999999999")
	if b.Kind() != look.Fail {
		t.Fatalf("unknown order: banner %v %q", b.Kind(), b.Title())
	}
	for _, o := range h.Sim.Ledger().Orders {
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
	id := h.orderOf(shop.TypeSOPL, 0)
	for _, r := range id {
		c.(interface{ OnTypedRune() func(rune) }).OnTypedRune()(r)
	}
	h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if h.app.scan.Banner.Kind() != look.OK {
		t.Fatalf("banner %v %q %q", h.app.scan.Banner.Kind(), h.app.scan.Banner.Title(), h.app.scan.Banner.Detail())
	}
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Fatalf("ledger %+v", lo)
	}
}

func TestModeHotkeys(t *testing.T) {
	h := newHarness(t)
	e := h.app.scan.Entry
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF1})
	if h.app.cfg.ScanMode != settings.ScanPrint || h.app.scan.ModeBtns[0].Importance != widget.HighImportance ||
		h.app.scan.ModeBtns[1].Importance == widget.HighImportance {
		t.Fatalf("F1: mode %s", h.app.cfg.ScanMode)
	}
	id := h.orderOf(shop.TypeLBP, 1)
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

func TestLanguageSwitch(t *testing.T) {
	h := newHarness(t)
	a := h.app
	h.scan("###")
	zhDetail := a.scan.Banner.Detail()
	if a.tabs.Items[0].Text != "扫描发货" || a.Window().Title() != "京东发货工作台" || a.scan.Submit.Text != "确定" {
		t.Fatalf("not Chinese at start: %q %q", a.tabs.Items[0].Text, a.Window().Title())
	}
	test.Tap(a.status.langBtn)
	want := map[string]string{
		"tab 0": "Scan", "tab 1": "Batch", "tab 2": "History", "tab 3": "Settings", "tab 4": "Board", "tab 5": "Returns",
	}
	for i, it := range a.tabs.Items {
		if w := want["tab "+string(rune('0'+i))]; it.Text != w {
			t.Errorf("tab %d: %q, want %q", i, it.Text, w)
		}
	}
	if a.Window().Title() != "Waybill Station" || a.scan.Submit.Text != "Enter" || a.batch.PrintBtn.Text != "Print selected" ||
		a.settings.Save.Text != "Save settings" || a.status.langBtn.Text != "中文" {
		t.Errorf("texts not switched: %q %q %q %q", a.Window().Title(), a.scan.Submit.Text, a.batch.PrintBtn.Text, a.settings.Save.Text)
	}
	if a.scan.Banner.Title() != "Not accepted" || a.scan.Banner.Detail() == zhDetail {
		t.Errorf("banner not switched: %q / %q", a.scan.Banner.Title(), a.scan.Banner.Detail())
	}
	if a.settings.Language.Selected != "English" {
		t.Errorf("settings page shows %q", a.settings.Language.Selected)
	}
	if !h.focused() {
		t.Error("focus lost")
	}
	test.Tap(a.status.langBtn)
	if a.tabs.Items[0].Text != "扫描发货" || a.scan.Banner.Detail() != zhDetail {
		t.Errorf("back to Chinese: %q %q", a.tabs.Items[0].Text, a.scan.Banner.Detail())
	}
}

func TestCatalogComplete(t *testing.T) {
	for _, p := range i18n.Check() {
		t.Error(p)
	}
	// Every id the code uses is in the catalog: a missing one would show as its id.
	src, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("*/*.go")
	src = append(src, more...)
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
	a.Go("boom", func() { panic("boom") })
	a.wait()
	if a.dialogs != 1 {
		t.Fatalf("a panic in a job should show one dialog, %d open", a.dialogs)
	}
	// The window goes on working.
	id := h.orderOf(shop.TypeLBP, 2)
	h.scan(id)
	if a.scan.Banner.Kind() != look.OK {
		t.Fatalf("banner %v", a.scan.Banner.Kind())
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
	b := a.scan.Banner
	if b.Kind() != look.Fail || !strings.Contains(b.Detail(), "App Key") || !strings.Contains(b.Detail(), "设置") {
		t.Fatalf("banner %v %q", b.Kind(), b.Detail())
	}
	if !strings.Contains(a.status.endpoint.Text, "未连接") {
		t.Errorf("status bar %q", a.status.endpoint.Text)
	}
	// A scan says the same and the window goes on.
	test.Type(a.scan.Entry, "244991108876")
	a.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.wait()
	if b.Kind() != look.Fail || !strings.Contains(b.Detail(), "App Key") {
		t.Fatalf("after a scan: banner %v %q", b.Kind(), b.Detail())
	}
	if a.Window().Canvas().Focused() != a.scan.Entry {
		t.Error("focus lost")
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

// A printer out of paper holds the scanned order's label: the scan tab and the status bar say
// why and how many labels wait, nothing is printed or shipped meanwhile; with paper loaded the label goes out by
// itself, once, and the order ships.
func TestScanHeldWhilePrinterAway(t *testing.T) {
	ap := &awayPrinter{}
	h := newHarness(t, func(o *jostest.Options) {})
	h.opener = func(string) (printer.Printer, error) { return ap, nil }
	h.app.Close()
	h.app = h.open()
	id := h.orderOf(shop.TypeLBP, 0)
	test.Type(h.app.scan.Entry, id)
	h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.app.drain()
		if h.app.scan.Away.Visible() && strings.Contains(h.app.scan.Away.Text, "缺纸") && strings.Contains(h.app.scan.Away.Text, "1 张") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scan tab does not show the held label: %q (visible %v)", h.app.scan.Away.Text, h.app.scan.Away.Visible())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if st := h.app.status.printer.Text; !strings.Contains(st, "缺纸") || !strings.Contains(st, "等待打印 1 张") {
		t.Errorf("the status bar does not say why and how many labels wait: %q", st)
	}
	if lo := h.ledger(id); lo.OutstorageAttempts != 0 {
		t.Fatal("shipped while the label was held")
	}
	ap.setPaper()
	h.app.wait()
	h.app.RefreshStatus()
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
	if h.app.scan.Away.Visible() {
		t.Errorf("still shows the printer away: %q", h.app.scan.Away.Text)
	}
}

// Hostile text in scanner input and in JD's order data never reaches the window as control or
// bidi characters: every text drawn after the scans is plain.
func TestHostileTextInTheWindow(t *testing.T) {
	const hostile = "张\x1b[2J三\r\n[1/1] 244991088626 printed\u202e\x1b]0;pwned\x07"
	h := newHarness(t)
	id := h.orderOf(shop.TypeLBP, 0)
	if err := h.Sim.Edit(id, func(o *shop.Order) {
		o.Cons.Name, o.Cons.Address, o.Cons.City, o.Remark = hostile, hostile, hostile, hostile
		for i := range o.Items {
			o.Items[i].Name = hostile
		}
	}); err != nil {
		t.Fatal(err)
	}
	drawn := func(when string) {
		t.Helper()
		for _, o := range test.LaidOutObjects(h.app.Window().Content()) {
			if txt, ok := o.(*canvas.Text); ok && strings.ContainsAny(txt.Text, "\x1b\r\n\a\u202e") {
				t.Errorf("%s: the window draws %q", when, txt.Text)
			}
		}
	}
	h.scan(hostile)
	if b := h.app.scan.Banner; b.Kind() != look.Fail || strings.ContainsAny(b.Title()+b.Detail(), "\x1b\r\a\u202e") {
		t.Errorf("hostile scan: banner %v %q %q", b.Kind(), b.Title(), b.Detail())
	}
	drawn("after a hostile scan")
	h.scan(id)
	if b := h.app.scan.Banner; b.Kind() != look.OK {
		t.Fatalf("order with hostile data: banner %v %q %q", b.Kind(), b.Title(), b.Detail())
	}
	drawn("after an order with hostile data")
}

// 包裹数 is per order: set to 2 for one order, the next order gets one label and one parcel at
// JD; the banner says the count when it is not 1.
func TestParcelCountResetsAfterEachOrder(t *testing.T) {
	h := newHarness(t)
	first, second := h.orderOf(shop.TypeLBP, 0), h.orderOf(shop.TypeLBP, 1)
	h.app.scan.SetPackages(2)
	h.app.scan.CarrierID = "1274" // a one-off carrier for this order
	h.scan(first)
	if h.app.scan.CarrierID != "" {
		t.Errorf("the one-off carrier %q stuck after the order", h.app.scan.CarrierID)
	}
	if b := h.app.scan.Banner; b.Kind() != look.OK || !strings.Contains(b.Detail(), "2 个包裹") {
		t.Fatalf("banner %v %q %q", b.Kind(), b.Title(), b.Detail())
	}
	if h.app.scan.Packages != 1 || h.app.scan.Pkgs.Text != "1" {
		t.Errorf("包裹数 is %d (%q) after the order, want 1", h.app.scan.Packages, h.app.scan.Pkgs.Text)
	}
	h.scan(second)
	if lo := h.ledger(second); len(lo.Shipments) != 1 || lo.Shipments[0].PackageNum != 1 {
		t.Errorf("the next order went to JD as %+v", lo.Shipments)
	}
	if lo := h.ledger(first); len(lo.Shipments) != 1 || lo.Shipments[0].PackageNum != 2 {
		t.Errorf("the first order went to JD as %+v", lo.Shipments)
	}
	if strings.Contains(h.app.scan.Banner.Detail(), "个包裹") {
		t.Errorf("a one-parcel banner states a count: %q", h.app.scan.Banner.Detail())
	}
}

// A SOP order waiting for its waybill does not block the stream: an order id scanned instead
// puts it aside (in the list, not OK) and the banner names the order just scanned.
func TestWaitingOrderIsSetAside(t *testing.T) {
	h := newHarness(t)
	sop, lbp := h.orderOf(shop.TypeSOP, 0), h.orderOf(shop.TypeLBP, 0)
	h.scan(sop)
	if h.app.scan.Awaiting != sop {
		t.Fatalf("awaiting %q", h.app.scan.Awaiting)
	}
	h.scan(lbp)
	b := h.app.scan.Banner
	if b.Kind() != look.OK || !strings.Contains(b.Title(), lbp) || strings.Contains(b.Title(), sop) {
		t.Fatalf("banner %v %q %q", b.Kind(), b.Title(), b.Detail())
	}
	if h.app.scan.Awaiting != "" {
		t.Errorf("still awaiting %s", h.app.scan.Awaiting)
	}
	rec := h.app.scan.Recent
	if len(rec) < 2 || rec[1].OrderID != sop || rec[1].OK || rec[0].OrderID != lbp || !rec[0].OK {
		t.Errorf("recent scans %+v", rec)
	}
	if lo := h.ledger(sop); lo.OutstorageAttempts != 0 {
		t.Errorf("the order set aside was shipped: %+v", lo)
	}
}

// A failure does not scroll away: an order JD shows shipped stays in the exception list (with
// its count in the title) through ten later successes; a failure retried with one click once
// it can go through leaves the list.
func TestExceptionListKeepsFailures(t *testing.T) {
	h := newHarness(t, func(o *jostest.Options) { o.Orders = 120 })
	shipped, locked := h.orderOf(shop.TypeLBP, 0), h.orderOf(shop.TypeLBP, 1)
	h.Sim.SetState(shipped, printdata.StateWaitReceive)
	h.Sim.SetState(locked, printdata.StateLocked)
	h.scan(shipped)
	if b := h.app.scan.Banner; b.Kind() != look.Fail || !strings.Contains(b.Title(), "不要再发") {
		t.Errorf("an order JD shipped: banner %v %q", b.Kind(), b.Title())
	}
	h.scan(locked)
	for i := range 10 {
		h.scan(h.orderOf(shop.TypeSOPL, i))
		if h.app.scan.Banner.Kind() != look.OK {
			t.Fatalf("scan %d: %v %q", i, h.app.scan.Banner.Kind(), h.app.scan.Banner.Detail())
		}
	}
	x := h.app.scan.ExcList
	if x.Len() != 2 || !strings.Contains(x.Title(), "2") {
		t.Fatalf("exception list %q: %q", x.Title(), x.Texts())
	}
	if texts := x.Texts(); !strings.Contains(texts[1], shipped) || !strings.Contains(texts[1], "不要再发") || !strings.Contains(texts[0], locked) {
		t.Errorf("exceptions %q", texts)
	}
	// Customer service unlocks the order: one click on 重试 and it goes through.
	h.Sim.SetState(locked, printdata.StateWaitStockOut)
	e := h.app.scan.Exc.List()[0]
	if e.Action != scan.ActionRetry {
		t.Fatalf("the locked order's action is %v", e.Action)
	}
	h.app.scan.Act(e)
	h.app.wait()
	if lo := h.ledger(locked); lo.OutstorageAccepted != 1 {
		t.Errorf("retry did not ship: %+v", lo)
	}
	if x.Len() != 1 || strings.Contains(x.Texts()[0], locked) {
		t.Errorf("after the retry: %q", x.Texts())
	}
	if !h.focused() {
		t.Error("the scan field lost the keyboard")
	}
}

// The banner names the mode; an "already done" scan is amber in the list, not a green tick; a
// rescan of an order printed earlier never shows another order's label in the preview.
func TestBannerModeAmberRowAndPreview(t *testing.T) {
	h := newHarness(t)
	a, b := h.orderOf(shop.TypeSOP, 0), h.orderOf(shop.TypeSOP, 1)
	h.app.scan.SetMode(settings.ScanPrint)
	h.scan(a)
	h.scan(b)
	if d := h.app.scan.Banner.Detail(); !strings.Contains(d, "打印") {
		t.Errorf("banner detail %q does not name the mode", d)
	}
	if h.app.scan.PreviewOf != b || !h.app.scan.Preview.Visible() {
		t.Fatalf("preview of %q", h.app.scan.PreviewOf)
	}
	h.scan(b) // printed already: amber
	if rec := h.app.scan.Recent[0]; h.app.scan.Banner.Kind() != look.Warn || !rec.Warn {
		t.Errorf("already done: banner %v, row %+v", h.app.scan.Banner.Kind(), rec)
	}
	h.app.scan.SetMode(settings.ScanPrintShip)
	h.scan(a) // printed earlier, now waits for its waybill: b's label must not show
	if d := h.app.scan.Banner.Detail(); !strings.Contains(d, "打印并发货") {
		t.Errorf("banner detail %q does not name the mode", d)
	}
	if h.app.scan.Preview.Visible() && h.app.scan.PreviewOf != a {
		t.Errorf("the preview shows %q's label for order %s", h.app.scan.PreviewOf, a)
	}
}

// The scan page fits a 1024x768 screen (the window's content in 1008x720) and its banner keeps
// one height whatever it says: idle, working, a one-line success, a long refusal.
func TestLayoutFitsAndBannerKeepsItsHeight(t *testing.T) {
	h := newHarness(t)
	w := h.app.Window()
	for _, size := range []fyne.Size{{Width: 1008, Height: 720}, {Width: 1350, Height: 720}, {Width: 1904, Height: 1032}} {
		w.Resize(size)
		if m := w.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
			t.Errorf("the window needs %v, more than %v", m, size)
		}
		banner := h.app.scan.Banner.Content
		idle := banner.Size().Height
		h.scan(h.orderOf(shop.TypeLBP, 0))
		ok := banner.Size().Height
		h.scan("this is not an order id, and the refusal says so at length " + strings.Repeat("x", 80))
		fail := banner.Size().Height
		if idle != ok || ok != fail || idle < look.BannerHeight(0) {
			t.Errorf("at %v the banner is %v idle, %v after a success, %v after a refusal", size, idle, ok, fail)
		}
		if size.Height == 720 && h.app.scan.Banner.Scale() != 1 {
			t.Errorf("at %v the banner's text is scaled %v", size, h.app.scan.Banner.Scale())
		}
		if st := h.app.status.content; st.Position().Y+st.Size().Height > size.Height+1 {
			t.Errorf("at %v the status bar ends at %v", size, st.Position().Y+st.Size().Height)
		}
	}
}

// No lost scan: a burst ended with Tab submits like Enter and the keyboard stays in the scan
// field; a burst typed while the carrier dropdown has the keyboard, or while a dialog is on
// screen, reaches the scan field and is handled.
func TestScansReachTheScanField(t *testing.T) {
	h := newHarness(t, func(o *jostest.Options) { o.Orders = 80 })
	c := h.app.Window().Canvas()
	shipped := func(id string) bool { return h.ledger(id).OutstorageAccepted == 1 }

	tab := h.orderOf(shop.TypeSOPL, 0)
	test.Type(h.app.scan.Entry, tab)
	h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	h.app.wait()
	if !shipped(tab) || !h.focused() {
		t.Errorf("a scan ended by Tab: shipped %v, focused %v", shipped(tab), h.focused())
	}

	sel := h.orderOf(shop.TypeSOPL, 1)
	c.Focus(h.app.scan.Carrier)
	for _, r := range sel {
		c.Focused().TypedRune(r)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if !shipped(sel) || !h.focused() {
		t.Errorf("a scan typed into the carrier dropdown: shipped %v, focused %v", shipped(sel), h.focused())
	}

	open := h.orderOf(shop.TypeSOPL, 3)
	test.Tap(h.app.scan.Carrier) // the list opens and stays open
	if c.Overlays().Top() == nil {
		t.Fatal("the carrier list did not open")
	}
	test.TypeOnCanvas(c, open)
	typeKey(c, fyne.KeyReturn)
	h.app.wait()
	if !shipped(open) || c.Overlays().Top() != nil || h.app.scan.CarrierID != "" {
		t.Errorf("a scan typed with the carrier list open: shipped %v, list open %v, carrier %q",
			shipped(open), c.Overlays().Top() != nil, h.app.scan.CarrierID)
	}

	dlg := h.orderOf(shop.TypeSOPL, 2)
	h.app.ShowDialog(dialog.NewInformation("info", "a message", h.app.Window()))
	c.Unfocus() // the dialog took the keyboard from the scan field, and nothing has it
	test.TypeOnCanvas(c, dlg)
	typeKey(c, fyne.KeyReturn)
	h.app.wait()
	if !shipped(dlg) {
		t.Errorf("a scan typed while a dialog was open was lost (entry %q)", h.app.scan.Entry.Text)
	}
}

// Each outcome on the scan tab plays its own prompt: success, waiting for the waybill, a
// duplicate scan, an order JD already shipped, a bad scan.
func TestScanOutcomesSound(t *testing.T) {
	h := newHarness(t)
	lbp, sop, shipped := h.orderOf(shop.TypeLBP, 0), h.orderOf(shop.TypeSOP, 0), h.orderOf(shop.TypeLBP, 1)
	h.Sim.SetState(shipped, printdata.StateWaitReceive)
	steps := []struct {
		line string
		want sound.Prompt
	}{
		{lbp, sound.OK},
		{lbp, sound.Duplicate},
		{shipped, sound.ShippedAtJD},
		{"hello!", sound.Fail},
		{sop, sound.Wait},
	}
	for i, s := range steps {
		h.scan(s.line)
		if got := h.sounds.nth(t, i+1); got != s.want {
			t.Errorf("scan %q: played %v, want %v", s.line, got, s.want)
		}
	}
}

// The Settings page's 提示音 switches the prompts: tones instead of voice, or off.
func TestSoundSetting(t *testing.T) {
	h := newHarness(t)
	st := h.app.settings
	st.Sound.SetSelected("提示音（嘀声）")
	test.Tap(st.Save)
	h.app.wait()
	if h.app.cfg.Sound != "tones" {
		t.Fatalf("saved sound %q", h.app.cfg.Sound)
	}
	h.app.tabs.SelectIndex(0)
	h.scan(h.orderOf(shop.TypeLBP, 0))
	tone, _ := sound.Samples(sound.OK, sound.Tones)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		h.sounds.mu.Lock()
		n := len(h.sounds.played)
		var got int
		if n > 0 {
			got = len(h.sounds.played[n-1])
		}
		h.sounds.mu.Unlock()
		if n > 0 {
			if got != len(tone) {
				t.Errorf("played %d samples, want the success tone's %d", got, len(tone))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing played")
		}
	}
	st.Sound.SetSelected("关闭")
	test.Tap(st.Save)
	h.app.wait()
	h.app.tabs.SelectIndex(0)
	h.sounds.mu.Lock()
	before := len(h.sounds.played)
	h.sounds.mu.Unlock()
	h.scan(h.orderOf(shop.TypeLBP, 1))
	time.Sleep(200 * time.Millisecond)
	h.sounds.mu.Lock()
	defer h.sounds.mu.Unlock()
	if len(h.sounds.played) != before {
		t.Error("a prompt played with the sound off")
	}
}

// Scans behind a held label are counted on screen, and all of them are handled, in order, once
// the printer is back.
func TestQueuedScansAreCounted(t *testing.T) {
	ap := &awayPrinter{}
	h := newHarness(t)
	h.opener = func(string) (printer.Printer, error) { return ap, nil }
	h.app.Close()
	h.app = h.open()
	ids := []string{h.orderOf(shop.TypeLBP, 0), h.orderOf(shop.TypeLBP, 1), h.orderOf(shop.TypeLBP, 2)}
	for _, id := range ids {
		test.Type(h.app.scan.Entry, id)
		h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	h.app.drain()
	if q := h.app.scan.QueueLbl; !q.Visible() || !strings.Contains(q.Text, "还有 2 个扫描") {
		t.Errorf("queue shown %v %q", q.Visible(), q.Text)
	}
	ap.setPaper()
	h.app.wait()
	if h.app.scan.QueueLbl.Visible() {
		t.Errorf("still shows a queue: %q", h.app.scan.QueueLbl.Text)
	}
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if strings.Join(ap.jobs, " ") != strings.Join(ids, " ") {
		t.Errorf("labels %v, want %v in order", ap.jobs, ids)
	}
}

// A scan typed while the Settings tab's printer address field has the keyboard does not land in
// the field: the window goes to the scan tab and the order is printed and shipped.
func TestScanWhileSettingsFocused(t *testing.T) {
	h := newHarness(t)
	id := h.orderOf(shop.TypeLBP, 0)
	h.app.tabs.SelectIndex(3)
	field := h.app.settings.PrinterTarget()
	before := field.Text
	h.app.Window().Canvas().Focus(field)
	test.Type(field, id) // a scanner: every key within a millisecond
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if field.Text != before {
		t.Errorf("the scan was typed into the printer field: %q", field.Text)
	}
	if h.app.tabs.SelectedIndex() != 0 || !h.focused() {
		t.Errorf("the window did not go back to the scan field (tab %d)", h.app.tabs.SelectedIndex())
	}
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Errorf("the scan was not handled: %+v", lo)
	}
	// The same with one of the page's drop-downs (the sound) having the keyboard.
	other := h.orderOf(shop.TypeLBP, 1)
	h.app.tabs.SelectIndex(3)
	sel := h.app.settings.Sound
	h.app.Window().Canvas().Focus(sel)
	for _, r := range other {
		sel.TypedRune(r)
	}
	sel.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if lo := h.ledger(other); lo.OutstorageAccepted != 1 || h.app.tabs.SelectedIndex() != 0 {
		t.Errorf("a scan typed into a Settings drop-down: %+v, tab %d", lo, h.app.tabs.SelectedIndex())
	}
}

// With 扫描结束键 set to Enter only, Tab does not submit a scan (nor leave the scan field).
func TestScanEndSetting(t *testing.T) {
	h := newHarness(t)
	h.app.settings.ScanEnd.SetSelected("只有回车")
	test.Tap(h.app.settings.Save)
	h.app.wait()
	h.app.tabs.SelectIndex(0)
	id := h.orderOf(shop.TypeLBP, 0)
	test.Type(h.app.scan.Entry, id)
	h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	h.app.wait()
	if lo := h.ledger(id); lo.OutstorageAttempts != 0 || h.app.scan.Entry.Text != id {
		t.Errorf("Tab submitted with Enter only: ledger %+v, field %q", lo, h.app.scan.Entry.Text)
	}
	h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Errorf("Enter did not submit: %+v", lo)
	}
}

// At 1920x1080 the banner's type is larger than at 1366x768.
func TestBannerGrowsOnALargeScreen(t *testing.T) {
	h := newHarness(t)
	w := h.app.Window()
	w.Resize(fyne.NewSize(1350, 720))
	h.scan(h.orderOf(shop.TypeLBP, 0))
	small := h.app.scan.Banner.Scale()
	w.Resize(fyne.NewSize(1904, 1032))
	if big := h.app.scan.Banner.Scale(); big < small*1.2 {
		t.Errorf("banner text scale %v at 1920x1080, %v at 1366x768", big, small)
	}
}

// typeKey presses k as the window would: to the focused object, else to the canvas's handler.
func typeKey(c fyne.Canvas, k fyne.KeyName) {
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: k})
		return
	}
	c.(interface {
		OnTypedKey() func(*fyne.KeyEvent)
	}).OnTypedKey()(&fyne.KeyEvent{Name: k})
}

// The carrier list picks with the mouse, and Esc closes it without choosing.
func TestCarrierListPicksAndCloses(t *testing.T) {
	h := newHarness(t)
	c := h.app.Window().Canvas()
	test.Tap(h.app.scan.Carrier)
	typeKey(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil || h.app.scan.CarrierID != "" {
		t.Fatalf("Esc: list open %v, carrier %q", c.Overlays().Top() != nil, h.app.scan.CarrierID)
	}
	test.Tap(h.app.scan.Carrier)
	pop := h.app.scan.Carrier.Menu
	var sf *widget.Button
	for _, o := range test.LaidOutObjects(pop.Content) {
		if b, ok := o.(*widget.Button); ok && strings.Contains(b.Text, "顺丰") {
			sf = b
		}
	}
	if sf == nil {
		t.Fatal("no SF in the carrier list")
	}
	test.Tap(sf)
	if h.app.scan.CarrierID != "467" || pop.Visible() || !h.focused() {
		t.Errorf("picked %q, list open %v, focused %v", h.app.scan.CarrierID, pop.Visible(), h.focused())
	}
}

// Without a sound device the window works silently and says so on the scan tab, once.
func TestNoSoundDeviceIsSaid(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "asound.conf")
	os.WriteFile(conf, []byte("# no devices\n"), 0o600)
	t.Setenv("ALSA_CONFIG_PATH", conf)
	h := newHarness(t)
	h.app.openSound()
	h.app.wait()
	if _, err := sound.OpenDevice(); err == nil {
		t.Fatal("a sound device opened with no ALSA device configured")
	}
	if s := h.app.scan.Silent; !s.Visible() || !strings.Contains(s.Text, "没有声音设备") {
		t.Errorf("no-sound note: visible %v %q", s.Visible(), s.Text)
	}
	w := h.app.Window()
	w.Resize(fyne.NewSize(1008, 720))
	if m := w.Content().MinSize(); m.Width > 1008 || m.Height > 720 {
		t.Errorf("with the no-sound note the window needs %v, more than a 1024x768 screen", m)
	}
	h.scan(h.orderOf(shop.TypeLBP, 0))
	if h.app.scan.Banner.Kind() != look.OK {
		t.Errorf("a scan without sound: %v %q", h.app.scan.Banner.Kind(), h.app.scan.Banner.Detail())
	}
	if h.app.scan.Silent.Visible() {
		t.Error("the no-sound note is still shown after the first scan: it is said once")
	}
}

// live is d when on is set, else 0 (nothing refreshes by itself).
func live(on bool, d time.Duration) time.Duration {
	if on {
		return d
	}
	return 0
}
