package uitest

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
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
)

// Host is a window for the tabs' tests: a real station (internal/app) on the simulator, the
// saved settings of Env, a pdf:DIR printer, and window updates queued for Wait to run on the
// test's goroutine. It has the methods of the tabs' Host interfaces; an error a tab shows fails
// the test.
type Host struct {
	T *testing.T
	Env
	// Windows lists Windows printers for the settings page (nil: none, as outside Windows).
	Windows func(context.Context) ([]printer.WindowsPrinter, error)

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

	cutMu   sync.Mutex // guards cutRate and cutAt: JD's last slow-down for its quota
	cutRate float64
	cutAt   time.Time

	dmu     sync.Mutex // guards dialogs and infos
	dialogs []dialog.Dialog
	infos   []string
	bursts  []string
}

// NewHost is a host on a new Env; Open starts it.
func NewHost(t *testing.T, opts ...func(*jostest.Options)) *Host {
	t.Helper()
	h := &Host{T: t, Env: Start(t, opts...)}
	t.Cleanup(h.Close)
	return h
}

// Open starts a window on the saved settings, as the station does, with the content tabs
// builds; the caller then tells its tabs they are connected and calls Wait.
func (h *Host) Open(tabs func() fyne.CanvasObject) {
	h.T.Helper()
	var err error
	if h.store, err = settings.Open(h.Dir); err != nil {
		h.T.Fatal(err)
	}
	if h.cfg, err = h.store.Load(); err != nil {
		h.T.Fatal(err)
	}
	if h.sec, h.back, err = h.store.LoadSecrets(); err != nil {
		h.T.Fatal(err)
	}
	h.tr = i18n.New(h.cfg.Language)
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.Connect()
	h.win = test.NewTempWindow(h.T, nil)
	h.win.SetContent(tabs())
	h.win.Resize(fyne.NewSize(1366, 768))
}

// Close ends what Open started, once the background work has ended; the test's end closes a
// host that is still open.
func (h *Host) Close() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.work.Wait()
	if h.st != nil {
		h.st.Close()
		h.st = nil
	}
}

// Wait runs the queued window updates until the background work is done.
func (h *Host) Wait() {
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

// RunQueued runs the window updates queued so far, without waiting for the background work:
// a test that looks at what a tab shows while it works calls it in a loop.
func (h *Host) RunQueued() {
	h.qmu.Lock()
	fns := h.queue
	h.queue = nil
	h.qmu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Station is the station the host is connected to.
func (h *Host) Station() *app.Station { return h.st }

func (h *Host) Tr() *i18n.Translator { return h.tr }
func (h *Host) Do(fn func()) {
	h.qmu.Lock()
	h.queue = append(h.queue, fn)
	h.qmu.Unlock()
}
func (h *Host) Go(name string, fn func()) {
	h.work.Add(1)
	go func() { defer h.work.Done(); fn() }()
}
func (h *Host) Ctx() context.Context { return h.ctx }
func (h *Host) Window() fyne.Window  { return h.win }
func (h *Host) ShowError(err error)  { h.T.Errorf("the tab showed an error: %v", err) }
func (h *Host) ShowInfo(title, msg string) {
	h.dmu.Lock()
	h.infos = append(h.infos, msg)
	h.dmu.Unlock()
}
func (h *Host) ShowDialog(d dialog.Dialog) {
	h.dmu.Lock()
	h.dialogs = append(h.dialogs, d)
	h.dmu.Unlock()
	d.Show()
}

// ScanBurst notes a scanner's code a tab handed on to the scan line.
func (h *Host) ScanBurst(code string) {
	h.dmu.Lock()
	h.bursts = append(h.bursts, code)
	h.dmu.Unlock()
}

// Bursts are the codes the tabs handed to the scan line, oldest first.
func (h *Host) Bursts() []string {
	h.dmu.Lock()
	defer h.dmu.Unlock()
	return append([]string(nil), h.bursts...)
}

// Infos are the messages the tabs showed with ShowInfo, oldest first.
func (h *Host) Infos() []string {
	h.dmu.Lock()
	defer h.dmu.Unlock()
	return append([]string(nil), h.infos...)
}

// Confirm answers the newest open confirmation dialog with yes, as a person would, and
// returns it (nil when there is none).
func (h *Host) Confirm() *dialog.ConfirmDialog {
	h.dmu.Lock()
	var c *dialog.ConfirmDialog
	for i := len(h.dialogs) - 1; i >= 0; i-- {
		if d, ok := h.dialogs[i].(*dialog.ConfirmDialog); ok {
			c = d
			h.dialogs = append(h.dialogs[:i], h.dialogs[i+1:]...)
			break
		}
	}
	h.dmu.Unlock()
	if c != nil {
		c.Confirm()
	}
	return c
}
func (h *Host) WithStation(timeout time.Duration, f func(ctx context.Context, st *fulfill.Station) error) error {
	ctx, cancel := context.WithTimeout(h.ctx, timeout)
	defer cancel()
	return f(ctx, h.st.Station)
}
func (h *Host) Use(ctx context.Context) (*fulfill.Station, func(), error) {
	return h.st.Station, func() {}, nil
}
func (h *Host) LoadCarriers(refresh bool, then func([]ship.Carrier, error)) {
	h.Go("carriers", func() {
		list, err := h.st.Carriers(h.ctx)
		h.Do(func() { then(list, err) })
	})
}
func (h *Host) CarrierText(id string) string { return id }
func (h *Host) RefreshStatus()               {}
func (h *Host) RateCut() (float64, time.Time) {
	h.cutMu.Lock()
	defer h.cutMu.Unlock()
	return h.cutRate, h.cutAt
}
func (h *Host) Settings() settings.Settings { return h.cfg }
func (h *Host) Secrets() settings.Secrets   { return h.sec }
func (h *Host) Backend() settings.Backend   { return h.back }
func (h *Host) Store() *settings.Store      { return h.store }
func (h *Host) SetSaved(cfg settings.Settings, sec settings.Secrets, b settings.Backend) {
	h.cfg, h.sec, h.back = cfg, sec, b
}
func (h *Host) Connect() {
	if h.st != nil {
		h.st.Close()
	}
	var err error
	h.st, err = app.Open(h.ctx, app.Request{Settings: h.cfg, Secrets: h.sec, PrinterFromSettings: true,
		Flags: app.Flags{Journal: h.Journal, Rate: -1, RateSet: true},
		OnRateCut: func(perSecond float64) {
			h.cutMu.Lock()
			defer h.cutMu.Unlock()
			h.cutRate, h.cutAt = perSecond, time.Now()
		}})
	if err != nil {
		h.T.Fatal(err)
	}
}
func (h *Host) ApplyLive(cfg settings.Settings) {
	if err := h.st.Apply(cfg, false, nil); err != nil {
		h.T.Errorf("applying the settings: %v", err)
	}
}
func (h *Host) Demo() bool                                         { return false }
func (h *Host) OpenPrinter() func(string) (printer.Printer, error) { return nil }
func (h *Host) ListUSB() func(context.Context) ([]printer.USBPrinter, error) {
	return func(context.Context) ([]printer.USBPrinter, error) { return nil, nil }
}
func (h *Host) ListWindows() func(context.Context) ([]printer.WindowsPrinter, error) {
	return h.Windows
}

// OrderOf is the skip-th waiting order of type typ.
func (h *Host) OrderOf(typ string, skip int) string {
	h.T.Helper()
	return OrderOf(h.T, h.Sim, typ, skip)
}

// Ledger is the simulator's record of the order.
func (h *Host) Ledger(id string) jostest.LedgerOrder {
	h.T.Helper()
	return Ledger(h.T, h.Sim, id)
}

// Entry is the journal's entry of the order, which must be there.
func (h *Host) Entry(id string) journal.Entry {
	h.T.Helper()
	e, ok, err := h.st.Journal().Get(context.Background(), id)
	if err != nil || !ok {
		h.T.Fatalf("journal entry of %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

// PDFs are the label files the printer wrote.
func (h *Host) PDFs() []string { return PDFs(h.Labels) }
