package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"station/fulfill"
	"station/printer"
	"station/products"
	"station/settings"
	"station/sound"
	"station/ui/i18n"
	"station/ui/scantab"
)

// The window as the tabs' Host (office.Host, setup.Host, catalog.Host, scantab.Host).

// Tr is the window's translator.
func (a *App) Tr() *i18n.Translator { return a.tr }

// Ctx ends when the window closes.
func (a *App) Ctx() context.Context { return a.ctx }

// Settings are the saved settings (UI goroutine).
func (a *App) Settings() settings.Settings { return a.cfg }

// Secrets are the saved secrets (UI goroutine).
func (a *App) Secrets() settings.Secrets { return a.secrets }

// Backend says where the secrets are kept.
func (a *App) Backend() settings.Backend { return a.backend }

// Store is where the settings are saved.
func (a *App) Store() *settings.Store { return a.store }

// SetSaved records settings just saved (UI goroutine).
func (a *App) SetSaved(cfg settings.Settings, sec settings.Secrets, backend settings.Backend) {
	a.cfg, a.secrets, a.backend = cfg, sec, backend
	a.sound.SetStyle(sound.Style(cfg.Sound))
}

// Demo reports whether the window runs on the built-in simulator (-demo).
func (a *App) Demo() bool { return a.opts.Flags.Demo }

// OpenPrinter opens printer specs (tests give their own).
func (a *App) OpenPrinter() func(spec string) (printer.Printer, error) { return a.opts.OpenPrinter }

// ListUSB finds USB printers (tests give their own).
func (a *App) ListUSB() func(ctx context.Context) ([]printer.USBPrinter, error) {
	return a.opts.ListUSB
}

// ListWindows lists the Windows printers (tests give their own; nil outside Windows).
func (a *App) ListWindows() func(ctx context.Context) ([]printer.WindowsPrinter, error) {
	return a.opts.ListWindows
}

// Use holds the connected station until release is called.
func (a *App) Use(ctx context.Context) (*fulfill.Station, func(), error) {
	s, release, err := a.use(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.station, release, nil
}

// RateCut is JD's last slow-down of the station's calls for its quota (zero if none).
func (a *App) RateCut() (perSecond float64, at time.Time) {
	if c := a.rateCut.Load(); c != nil {
		return c.perSecond, c.at
	}
	return 0, time.Time{}
}

// ScanBurst takes a scanner's code typed while a field of another tab had the keyboard: the
// window goes to the scan tab and the code is scanned there, as if typed into the scan field.
func (a *App) ScanBurst(code string) {
	a.tabs.SelectIndex(0)
	a.refocus()
	a.scan.SubmitLine(code)
}

// Products holds the connected station's product table until release is called.
func (a *App) Products(ctx context.Context) (*products.Store, func(), error) {
	s, release, err := a.use(ctx)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.Products(ctx)
	if err != nil {
		release()
		return nil, nil, err
	}
	return st, release, nil
}

// ProductsChanged makes the scan line read the product table again (off the UI goroutine).
func (a *App) ProductsChanged() {
	if s, release, err := a.use(a.ctx); err == nil {
		s.reloadCatalog()
		release()
	}
}

// The scan tab's Host (scantab.Host): the window's bookkeeping, in exported words.

// WorkAdd and WorkDone track a scan handed to the tab's worker until it is on screen.
func (a *App) WorkAdd()  { a.work.Add(1) }
func (a *App) WorkDone() { a.work.Done() }

// RecoverTo is deferred in a goroutine: a panic is reported on screen, not fatal.
func (a *App) RecoverTo(name string) { a.recoverTo(name) }

// Stopping is closed when the window closes.
func (a *App) Stopping() <-chan struct{} { return a.stop }

// SetScanMode switches the scan mode and saves it quietly.
func (a *App) SetScanMode(m settings.ScanMode) {
	a.cfg.ScanMode = m
	a.saveQuietly()
}

// Showing reports whether the tab with this content is on screen.
func (a *App) Showing(content fyne.CanvasObject) bool {
	s := a.tabs.Selected()
	return s != nil && s.Content == content
}

// Refocus gives the scan field the keyboard back.
func (a *App) Refocus() { a.refocus() }

// Shortcut runs the window's shortcuts for a field that would swallow them.
func (a *App) Shortcut(s fyne.Shortcut) bool { return a.shortcut(s) }

// Button makes a button that gives the scan field the keyboard back after its action.
func (a *App) Button(label string, tapped func()) *widget.Button { return a.button(label, tapped) }

// DialogsOpen is how many dialogs are on screen.
func (a *App) DialogsOpen() int { return a.dialogs }

// Play plays a prompt; it never waits.
func (a *App) Play(p sound.Prompt) { a.sound.Play(p) }

// ScanSession holds the connected station for the scan tab until release is called.
func (a *App) ScanSession(ctx context.Context) (scantab.Session, func(), error) {
	s, release, err := a.use(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s, release, nil
}
