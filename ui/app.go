// Package ui is the station's window (Fyne): the scan tab, the status bar and the window itself
// here, the back-office tabs in ui/office, the texts in ui/i18n. It holds no business logic:
// every decision about an order is the workflows'; the window puts results on screen, in
// Chinese or English.
package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/fulfill"
	"station/internal/app"
	"station/printer"
	"station/printer/queue"
	"station/settings"
	"station/ship"
	"station/sound"
	"station/ui/afsdesk"
	"station/ui/board"
	"station/ui/catalog"
	"station/ui/i18n"
	"station/ui/look"
	"station/ui/office"
	"station/ui/scantab"
	"station/ui/setup"
)

// Options configure the window.
type Options struct {
	Store *settings.Store // where the settings live (required)
	// Flags are the command line's over the settings: -demo (the in-process simulator, a
	// temporary PDF folder and journal), -journal, -endpoint, -rate, …
	Flags  app.Flags
	Logger *slog.Logger
	// StatusEvery is how often the status bar asks the printer and the journal how they are;
	// 0 = only after each action (tests).
	StatusEvery time.Duration
	// OpenPrinter opens printer specs; nil = printer.Open.
	OpenPrinter func(spec string) (printer.Printer, error)
	// ListUSB finds USB printers for the settings page; nil = printer.ListUSB.
	ListUSB func(ctx context.Context) ([]printer.USBPrinter, error)
	// ListWindows lists the Windows printers for the settings page; nil = printer.ListWindows
	// on Windows, and no Windows printers elsewhere.
	ListWindows func(ctx context.Context) ([]printer.WindowsPrinter, error)

	// Sound plays the scan prompts; nil = the system's sound device (silent when there is none).
	Sound sound.Output

	// SignIn asks the packer's 工号 when the window opens (unless Flags.Packer names them).
	SignIn bool

	// printerRetry is how often a held label asks whether the printer is back (tests).
	printerRetry time.Duration
	// boardEvery is how often the board reads the journal again while shown (0: boardEvery).
	boardEvery time.Duration

	// queued makes do queue window updates for wait to run on the caller's goroutine instead
	// of calling fyne.Do. Fyne's test driver runs fyne.Do inline on the calling goroutine, so
	// without this the background jobs would update widgets concurrently with the test.
	queued bool
}

// App is the station window and what it is connected to.
type App struct {
	sound *sound.Player // the scan prompts (UI goroutine)
	fa    fyne.App
	win   fyne.Window
	opts  Options
	store *settings.Store
	log   *slog.Logger
	tr    *i18n.Translator

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc

	// UI goroutine only.
	cfg     settings.Settings
	secrets settings.Secrets
	backend settings.Backend
	dialogs int     // dialogs open: the scan field gets focus back when the last one closes
	packer  string  // the signed-in packer ("工号 name"), "" when nobody is
	signIn  *SignIn // the open sign-in dialog
	// journalWait is the warehouse journal database not answering, nil when it does.
	journalWait error
	// carrierNames names the shop's carriers by id, from the last carrier list loaded.
	carrierNames map[string]string

	tabs      *container.AppTabs
	boardItem *container.TabItem
	scan      *scantab.Tab
	batch     *office.Batch
	history   *office.History
	board     *board.Tab
	desk      *afsdesk.Desk
	products  *catalog.Page
	settings  *setup.Tab
	status    *statusBar

	mu   sync.Mutex
	conn *conn // the current connection attempt

	rateCut atomic.Pointer[rateCut] // JD's last slow-down for its quota

	// With Options.queued, do queues the updates and wait runs them (see Options.queued).
	qmu   sync.Mutex
	queue []func()

	// work counts background jobs that end by updating the window; tests wait on it.
	work sync.WaitGroup
	stop chan struct{}
}

// rateCut is a slow-down of the station's calls for JD's quota: to perSecond, at at.
type rateCut struct {
	perSecond float64
	at        time.Time
}

// conn is one attempt to build a session from the settings. ready is closed when it is done.
type conn struct {
	ready   chan struct{}
	sess    *session
	err     error
	refs    int  // users holding sess (under App.mu)
	retired bool // replaced: close sess when the last user lets go
}

// New builds the window. Settings that cannot be read are reported on screen and replaced by
// the defaults; the window always opens, so that the settings can be fixed from it.
func New(fa fyne.App, opts Options) (*App, error) {
	if opts.Store == nil {
		return nil, errors.New("ui: no settings store")
	}
	a := &App{fa: fa, opts: opts, store: opts.Store, log: opts.Logger, stop: make(chan struct{})}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	var loadErrs []error
	cfg, err := a.store.Load()
	if err != nil {
		loadErrs = append(loadErrs, err)
	}
	a.cfg = cfg
	a.secrets, a.backend, err = a.store.LoadSecrets()
	if err != nil {
		loadErrs = append(loadErrs, err)
	}
	a.tr = i18n.New(cfg.Language)
	fa.Settings().SetTheme(look.Theme{})

	a.win = fa.NewWindow(a.tr.T("title"))
	a.tr.Bind(func() { a.win.SetTitle(a.tr.T("title")) })

	a.status = newStatusBar(a)
	a.sound = sound.NewPlayer(opts.Sound, sound.Style(cfg.Sound))
	a.scan = scantab.New(a)
	a.batch = office.NewBatch(a)
	a.history = office.NewHistory(a)
	a.board = board.New(a)
	a.desk = afsdesk.New(a)
	a.settings = setup.New(a)
	a.products = catalog.New(a)

	scanItem := container.NewTabItem("", a.scan.Content)
	batchItem := container.NewTabItem("", a.batch.Content)
	histItem := container.NewTabItem("", a.history.Content)
	boardItem := container.NewTabItem("", a.board.Content)
	deskItem := container.NewTabItem("", a.desk.Content)
	generalItem := container.NewTabItem("", a.settings.Content)
	productsItem := container.NewTabItem("", a.products.Content)
	setPages := container.NewAppTabs(generalItem, productsItem)
	setPages.OnSelected = func(it *container.TabItem) {
		if it == productsItem {
			a.products.Shown()
		}
	}
	setItem := container.NewTabItem("", setPages)
	// 看板 and 售后 come last: Ctrl+1…4 keep the tabs they always opened.
	a.tabs = container.NewAppTabs(scanItem, batchItem, histItem, setItem, boardItem, deskItem)
	a.boardItem = boardItem
	a.tr.Bind(func() {
		scanItem.Text = a.tr.T("tab.scan")
		batchItem.Text = a.tr.T("tab.batch")
		histItem.Text = a.tr.T("tab.history")
		setItem.Text = a.tr.T("tab.settings")
		boardItem.Text = a.tr.T("tab.board")
		deskItem.Text = a.tr.T("tab.afs")
		generalItem.Text = a.tr.T("tab.settings.general")
		productsItem.Text = a.tr.T("tab.settings.products")
		setPages.Refresh()
		a.tabs.Refresh()
	})
	a.tabs.OnSelected = func(it *container.TabItem) {
		switch it {
		case batchItem:
			a.batch.Shown()
		case histItem:
			a.history.Reload()
		case boardItem:
			a.board.Refresh()
		case setItem:
			a.settings.Shown()
		case deskItem:
			a.win.Canvas().Focus(a.desk.Lookup) // the desk's own scans go into its field
		}
		a.refocus()
	}
	a.win.SetContent(container.NewBorder(nil, a.status.content, nil, nil, a.tabs))
	a.win.Resize(fyne.NewSize(1280, 720))
	a.scan.InstallFallback(deskKeys{a})
	for i, k := range tabKeys {
		a.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault},
			func(fyne.Shortcut) { a.tabs.SelectIndex(i) })
	}
	a.win.SetOnClosed(a.Close)

	a.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { a.askPacker() })
	a.packer = app.Identity(opts.Flags.Packer)
	a.Connect()
	if opts.SignIn && a.packer == "" {
		a.askPacker()
	}
	if len(loadErrs) > 0 {
		a.ShowError(errors.Join(loadErrs...))
	}
	if opts.StatusEvery > 0 {
		go a.statusLoop(opts.StatusEvery)
		go a.boardLoop(cmp.Or(opts.boardEvery, boardEvery))
	}
	a.refocus()
	return a, nil
}

// Window is the station window.
func (a *App) Window() fyne.Window { return a.win }

// Run shows the window and runs the app until the window is closed.
func (a *App) Run() {
	fyne.CurrentApp().Lifecycle().SetOnStarted(func() { fitScreen(a.win) })
	if a.opts.Sound == nil {
		a.openSound()
	}
	a.win.ShowAndRun()
}

// Close stops the background work and closes the connection. The window closes itself.
// openSound opens the system's sound device off the UI goroutine; without one the station
// works silently and the scan tab says so once.
func (a *App) openSound() {
	a.Go("sound", func() {
		dev, err := sound.OpenDevice()
		a.Do(func() {
			if err != nil {
				a.log.Warn("no sound: the scan prompts are off", "error", err.Error())
				a.scan.ShowSilent()
				return
			}
			old := a.sound
			a.sound = sound.NewPlayer(dev, sound.Style(a.cfg.Sound))
			old.Close()
		})
	})
}

func (a *App) Close() {
	a.mu.Lock()
	select {
	case <-a.stop:
		a.mu.Unlock()
		return
	default:
	}
	close(a.stop)
	c := a.conn
	a.conn = nil
	a.mu.Unlock()
	a.cancel()
	a.scan.Close()
	a.sound.Close()
	a.batch.CancelRun()
	// Jobs stop at their next step (their context is cancelled); one stuck in a call that
	// ignores it must not keep the window from closing. The session is closed by its last user.
	done := make(chan struct{})
	go func() { a.work.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(closeWait):
		a.log.Warn("closing the window with background work still running")
	}
	if c != nil {
		<-c.ready
		a.retire(c)
	}
}

// closeWait bounds how long Close waits for background jobs.
const closeWait = 5 * time.Second

// wait blocks until the background jobs have finished and, with Options.queued, runs the
// window updates they queued, until there is nothing left to do. Tests call it on the goroutine
// that drives the window.
func (a *App) wait() {
	for {
		a.work.Wait()
		a.qmu.Lock()
		fns := a.queue
		a.queue = nil
		a.qmu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// Connect starts building a session from the current settings and retires the old one.
func (a *App) Connect() {
	c := &conn{ready: make(chan struct{})}
	a.mu.Lock()
	old := a.conn
	a.conn = c
	a.mu.Unlock()
	if old != nil {
		go func() { <-old.ready; a.retire(old) }()
	}
	cfg := sessionConfig{settings: a.cfg, secrets: a.secrets, flags: a.opts.Flags, opener: a.opts.OpenPrinter, logger: a.log,
		onQueue: func(queue.State) { a.RefreshStatus() }, retry: a.opts.printerRetry,
		onRateCut: func(perSecond float64) { a.rateCut.Store(&rateCut{perSecond, time.Now()}) },
		onJournalWait: func(err error) {
			a.Do(func() {
				a.journalWait = err
				a.status.render()
			})
		}}
	a.status.connecting()
	a.Go("connect", func() {
		ctx, cancel := context.WithTimeout(a.ctx, time.Minute)
		defer cancel()
		s, err := func() (s *session, err error) {
			defer func() {
				// A panic while connecting must still end the attempt: users wait on ready.
				if r := recover(); r != nil {
					a.log.Error("panic while connecting", "panic", r, "stack", string(debug.Stack()))
					err = fmt.Errorf("connecting: internal error: %v", r)
				}
			}()
			return openSession(ctx, cfg)
		}()
		c.sess, c.err = s, err
		close(c.ready)
		if err != nil {
			a.log.Warn("not connected", "err", err)
		}
		a.RefreshStatus()
		a.Do(func() {
			a.scan.Connected(c.err)
			a.batch.Connected()
			a.settings.Connected()
		})
	})
}

// retire closes c's session once nobody uses it.
func (a *App) retire(c *conn) {
	a.mu.Lock()
	c.retired = true
	a.mu.Unlock()
	a.closeIfUnused(c)
}

// closeIfUnused closes a retired connection's session when its last user let go.
func (a *App) closeIfUnused(c *conn) {
	a.mu.Lock()
	closeNow := c.refs == 0 && c.retired && c.sess != nil
	s := c.sess
	if closeNow {
		c.sess = nil
	}
	a.mu.Unlock()
	if closeNow {
		s.close()
	}
}

// use waits for the current connection and holds its session until release is called.
func (a *App) use(ctx context.Context) (s *session, release func(), err error) {
	a.mu.Lock()
	c := a.conn
	a.mu.Unlock()
	if c == nil {
		return nil, nil, errors.New("the window is closing")
	}
	select {
	case <-c.ready:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.err != nil {
		return nil, nil, c.err
	}
	if c.sess == nil {
		return nil, nil, errors.New("the connection was closed")
	}
	c.refs++
	var once sync.Once
	return c.sess, func() {
		once.Do(func() {
			a.mu.Lock()
			c.refs--
			a.mu.Unlock()
			a.closeIfUnused(c)
		})
	}, nil
}

// current is the session if it is ready, without waiting (for labels on screen).
func (a *App) current() (*session, error, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conn == nil {
		return nil, nil, false
	}
	select {
	case <-a.conn.ready:
		return a.conn.sess, a.conn.err, true
	default:
		return nil, nil, false
	}
}

// Do runs fn on the UI goroutine (fyne.Do) without waiting for it.
func (a *App) Do(fn func()) {
	if a.opts.queued {
		a.qmu.Lock()
		a.queue = append(a.queue, fn)
		a.qmu.Unlock()
		return
	}
	fyne.Do(fn)
}

// Go runs fn on a new goroutine as a tracked job. A panic in fn is shown in a dialog and
// logged: no error closes the window.
func (a *App) Go(name string, fn func()) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		defer a.recoverTo(name)
		fn()
	}()
}

// LoadCarriers fetches the shop's carrier list off the UI goroutine (refreshed from JD when
// refresh is set) and hands the result to then on the UI goroutine. A carrier list that loads
// is remembered for every tab.
func (a *App) LoadCarriers(refresh bool, then func(list []ship.Carrier, err error)) {
	a.Go("carriers", func() {
		var list []ship.Carrier
		err := a.WithStation(20*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			if refresh {
				list, err = st.RefreshCarriers(ctx)
			} else {
				list, err = st.Carriers(ctx)
			}
			return err
		})
		a.Do(func() {
			if err == nil {
				a.rememberCarriers(list)
			}
			then(list, err)
		})
	})
}

// WithStation runs f, off the UI goroutine, with the current connection's Station held and a
// context that ends after timeout (or when the window closes).
func (a *App) WithStation(timeout time.Duration, f func(ctx context.Context, st *fulfill.Station) error) error {
	s, release, err := a.use(a.ctx)
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := context.WithTimeout(a.ctx, timeout)
	defer cancel()
	return f(ctx, s.station)
}

// recoverTo turns a panic of a background job into an error dialog.
func (a *App) recoverTo(name string) {
	if r := recover(); r != nil {
		a.log.Error("panic", "job", name, "panic", r, "stack", string(debug.Stack()))
		a.Do(func() { a.ShowError(fmt.Errorf("%s: %v", name, r)) })
	}
}

// ShowError shows err in a dialog; the scan field gets focus back when it closes.
func (a *App) ShowError(err error) {
	d := dialog.NewError(err, a.win)
	a.ShowDialog(d)
}

// ShowInfo shows a short message in a dialog.
func (a *App) ShowInfo(title, message string) {
	d := dialog.NewInformation(title, message, a.win)
	a.ShowDialog(d)
}

// ShowDialog counts open dialogs, so that the scan field does not steal their focus, and
// returns focus to the scan field after the last one.
func (a *App) ShowDialog(d dialog.Dialog) {
	a.dialogs++
	d.SetOnClosed(func() {
		a.dialogs--
		a.refocus()
	})
	d.Show()
}

// refocus gives the scan field the keyboard when the scan tab is showing and no dialog is open.
func (a *App) refocus() {
	if a.tabs == nil || a.scan == nil || a.dialogs > 0 {
		return
	}
	if a.tabs.Selected() != nil && a.tabs.Selected().Content == a.scan.Content {
		a.win.Canvas().Focus(a.scan.Entry)
	}
}

// tabKeys open the tabs with Ctrl: 1 扫描发货 … 6 售后.
var tabKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6}

// shortcut handles the window's shortcuts for a focused field that would swallow them:
// Ctrl+1…6 open the tabs, Ctrl+L the packer's sign-in.
func (a *App) shortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierShortcutDefault {
		return false
	}
	if cs.KeyName == fyne.KeyL {
		a.askPacker()
		return true
	}
	for i, k := range tabKeys {
		if cs.KeyName == k {
			a.tabs.SelectIndex(i)
			return true
		}
	}
	return false
}

// rememberCarriers keeps the carrier names of a loaded list (UI goroutine).
func (a *App) rememberCarriers(list []ship.Carrier) {
	a.carrierNames = map[string]string{}
	for _, c := range list {
		a.carrierNames[c.ID] = c.Name
	}
}

// CarrierText is a carrier id with its name when known, e.g. "467 顺丰速运".
func (a *App) CarrierText(id string) string {
	if id == ship.DeliverToJD {
		return id + " " + a.tr.T("carrier.jd.short")
	}
	if n := a.carrierNames[id]; n != "" {
		return id + " " + n
	}
	return id
}

// setLanguage switches every text on screen and saves the choice.
func (a *App) setLanguage(l settings.Language) {
	if a.tr.Lang() == l {
		return
	}
	a.tr.Set(l)
	a.cfg.Language = l
	if err := a.store.Save(a.cfg); err != nil {
		a.ShowError(err)
	}
	a.RefreshStatus()
	a.refocus()
}

// buttonRefocus makes a button that gives the scan field the keyboard back after its action.
func (a *App) button(label string, tapped func()) *widget.Button {
	return widget.NewButton(label, func() {
		tapped()
		a.refocus()
	})
}

// saveQuietly saves the settings after a small change on the scan page (mode, parcels); a
// failure is logged and shown in the settings page's note rather than interrupting the packer.
func (a *App) saveQuietly() {
	if err := a.store.Save(a.cfg); err != nil {
		a.log.Warn("settings not saved", "err", err)
		if a.settings != nil {
			a.settings.Note.SetText(err.Error())
		}
	}
}

// ApplyLive switches the running connection to new printer, label and carrier settings.
func (a *App) ApplyLive(cfg settings.Settings) {
	demo, opener := a.opts.Flags.Demo, a.opts.OpenPrinter
	a.Go("apply settings", func() {
		s, release, err := a.use(a.ctx)
		if err == nil {
			err = s.apply(cfg, demo, opener)
			release()
		}
		if err != nil {
			a.Do(func() { a.ShowError(errors.New(a.tr.M(explain.Error(err)))) })
		}
		a.RefreshStatus()
	})
}

// deskKeys hands the keys typed while nothing has the keyboard to the returns desk's field when
// the desk is showing: a returned parcel scanned after a click elsewhere is not lost.
type deskKeys struct{ a *App }

func (d deskKeys) showing() bool {
	s := d.a.tabs.Selected()
	return s != nil && s.Content == d.a.desk.Content
}

func (d deskKeys) TypedRune(r rune) {
	if d.showing() {
		d.a.win.Canvas().Focus(d.a.desk.Lookup)
		d.a.desk.Lookup.TypedRune(r)
	}
}

func (d deskKeys) TypedKey(k *fyne.KeyEvent) {
	if d.showing() {
		d.a.win.Canvas().Focus(d.a.desk.Lookup)
		d.a.desk.Lookup.TypedKey(k)
	}
}
