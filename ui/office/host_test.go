package office

// The tabs' tests run them on testHost: a real station (internal/app) on the JOS simulator over
// HTTP, saved settings in a temporary directory, a pdf:DIR printer, and window updates queued
// for wait to run on the test's goroutine.

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"station/fulfill"
	"station/internal/app"
	"station/jos/jostest"
	"station/journal"
	"station/printer"
	"station/settings"
	"station/ship"
	"station/ui/i18n"
	"station/ui/uitest"
)

type testHost struct {
	t *testing.T
	uitest.Env

	tr     *i18n.Translator
	ctx    context.Context
	cancel context.CancelFunc
	win    fyne.Window
	store  *settings.Store
	cfg    settings.Settings
	sec    settings.Secrets
	back   settings.Backend
	st     *app.Station

	qmu   sync.Mutex
	queue []func()
	work  sync.WaitGroup
	errs  []error

	batch    *Batch
	history  *History
	settings *SettingsTab
}

func newHost(t *testing.T, opts ...func(*jostest.Options)) *testHost {
	t.Helper()
	h := &testHost{t: t, Env: uitest.Start(t, opts...)}
	h.open()
	return h
}

// open starts the tabs on the saved settings, as a window does when it opens.
func (h *testHost) open() {
	h.t.Helper()
	var err error
	if h.store, err = settings.Open(h.Dir); err != nil {
		h.t.Fatal(err)
	}
	if h.cfg, err = h.store.Load(); err != nil {
		h.t.Fatal(err)
	}
	if h.sec, h.back, err = h.store.LoadSecrets(); err != nil {
		h.t.Fatal(err)
	}
	h.tr = i18n.New(h.cfg.Language)
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.Connect()
	h.win = test.NewTempWindow(h.t, nil)
	h.batch, h.history, h.settings = NewBatch(h), NewHistory(h), NewSettings(h)
	h.win.SetContent(container.NewAppTabs(container.NewTabItem("batch", h.batch.Content),
		container.NewTabItem("history", h.history.Content), container.NewTabItem("settings", h.settings.Content)))
	h.win.Resize(fyne.NewSize(1366, 768))
	h.batch.Connected()
	h.settings.Connected()
	h.wait()
}

// close ends what open started.
func (h *testHost) close() {
	h.cancel()
	h.batch.CancelRun()
	h.work.Wait()
	if h.st != nil {
		h.st.Close()
		h.st = nil
	}
}

// wait runs the queued window updates until the background work is done.
func (h *testHost) wait() {
	for {
		h.work.Wait()
		h.qmu.Lock()
		fns := h.queue
		h.queue = nil
		h.qmu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

func (h *testHost) Tr() *i18n.Translator { return h.tr }
func (h *testHost) Do(fn func()) {
	h.qmu.Lock()
	h.queue = append(h.queue, fn)
	h.qmu.Unlock()
}
func (h *testHost) Go(name string, fn func()) {
	h.work.Add(1)
	go func() { defer h.work.Done(); fn() }()
}
func (h *testHost) Ctx() context.Context       { return h.ctx }
func (h *testHost) Window() fyne.Window        { return h.win }
func (h *testHost) ShowError(err error)        { h.errs = append(h.errs, err) }
func (h *testHost) ShowInfo(title, msg string) {}
func (h *testHost) ShowDialog(d dialog.Dialog) { d.Show() }
func (h *testHost) WithStation(timeout time.Duration, f func(ctx context.Context, st *fulfill.Station) error) error {
	ctx, cancel := context.WithTimeout(h.ctx, timeout)
	defer cancel()
	return f(ctx, h.st.Station)
}
func (h *testHost) Use(ctx context.Context) (*fulfill.Station, func(), error) {
	return h.st.Station, func() {}, nil
}
func (h *testHost) LoadCarriers(refresh bool, then func([]ship.Carrier, error)) {
	h.Go("carriers", func() {
		list, err := h.st.Carriers(h.ctx)
		h.Do(func() { then(list, err) })
	})
}
func (h *testHost) CarrierText(id string) string { return id }
func (h *testHost) RefreshStatus()               {}
func (h *testHost) Settings() settings.Settings  { return h.cfg }
func (h *testHost) Secrets() settings.Secrets    { return h.sec }
func (h *testHost) Backend() settings.Backend    { return h.back }
func (h *testHost) Store() *settings.Store       { return h.store }
func (h *testHost) SetSaved(cfg settings.Settings, sec settings.Secrets, b settings.Backend) {
	h.cfg, h.sec, h.back = cfg, sec, b
}
func (h *testHost) Connect() {
	if h.st != nil {
		h.st.Close()
	}
	var err error
	h.st, err = app.Open(h.ctx, app.Request{Settings: h.cfg, Secrets: h.sec, PrinterFromSettings: true,
		Flags: app.Flags{Journal: h.Journal, Rate: -1, RateSet: true}})
	if err != nil {
		h.t.Fatal(err)
	}
}
func (h *testHost) ApplyLive(cfg settings.Settings) {
	if err := h.st.Apply(cfg, false, nil); err != nil {
		h.errs = append(h.errs, err)
	}
}
func (h *testHost) Demo() bool                                         { return false }
func (h *testHost) OpenPrinter() func(string) (printer.Printer, error) { return nil }
func (h *testHost) ListUSB() func(context.Context) ([]printer.USBPrinter, error) {
	return func(context.Context) ([]printer.USBPrinter, error) { return nil, nil }
}

func (h *testHost) orderOf(typ string, skip int) string {
	h.t.Helper()
	return uitest.OrderOf(h.t, h.Sim, typ, skip)
}

func (h *testHost) ledger(id string) jostest.LedgerOrder {
	h.t.Helper()
	return uitest.Ledger(h.t, h.Sim, id)
}

func (h *testHost) entry(id string) journal.Entry {
	h.t.Helper()
	e, ok, err := h.st.Journal().Get(context.Background(), id)
	if err != nil || !ok {
		h.t.Fatalf("journal entry of %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

func (h *testHost) pdfs() []string { return uitest.PDFs(h.Labels) }
