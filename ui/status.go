package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/journal"
	"station/printer"
	"station/printer/queue"
	"station/say"
	"station/settings"
)

// statusBar shows, at the bottom of the window, what the station is connected to, whether the
// printer answers and the day's counts.
type statusBar struct {
	a        *App
	endpoint *widget.Label
	printer  *widget.Label
	today    *widget.Label
	langBtn  *widget.Button
	who      *widget.Button // the signed-in packer; tap (or Ctrl+L) to switch
	content  fyne.CanvasObject

	// What the labels show, kept so that a language switch can redraw them (UI goroutine).
	snap statusSnapshot
}

// statusSnapshot is what the bar shows, gathered off the UI goroutine.
type statusSnapshot struct {
	connecting bool
	connErr    error
	endpoint   settings.Endpoint
	url        string
	tokenSet   bool
	spec       string
	prnStatus  *printer.Status
	prnErr     error
	queue      queue.State // the printer queue: away, labels waiting
	counts     *journal.Counts
	packs      *journal.PackCounts
}

func newStatusBar(a *App) *statusBar {
	b := &statusBar{a: a, endpoint: widget.NewLabel(""), printer: widget.NewLabel(""), today: widget.NewLabel("")}
	b.endpoint.Truncation = fyne.TextTruncateEllipsis
	b.printer.Truncation = fyne.TextTruncateEllipsis
	b.today.Truncation = fyne.TextTruncateEllipsis // the shift's counts never widen the window
	b.langBtn = widget.NewButton("", func() {
		if a.tr.Lang() == settings.English {
			a.setLanguage(settings.Chinese)
		} else {
			a.setLanguage(settings.English)
		}
		a.settings.LanguageChanged()
	})
	b.who = widget.NewButton("", a.askPacker)
	a.tr.Bind(func() { b.langBtn.SetText(a.tr.T("lang.toggle")) })
	a.tr.Bind(b.render)
	b.content = container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(b.who, b.langBtn),
		container.NewGridWithColumns(3, b.endpoint, b.printer, b.today))
	return b
}

func (b *statusBar) connecting() {
	b.snap = statusSnapshot{connecting: true}
	b.render()
}

func (b *statusBar) render() {
	t := b.a.tr
	s := b.snap
	if p := b.a.packer; p != "" {
		b.who.SetText(t.F("status.packer", say.Short(p, 16)))
	} else {
		b.who.SetText(t.T("status.packer.none"))
	}
	switch {
	case b.a.journalWait != nil:
		b.endpoint.SetText(t.T("status.journal.waiting"))
	case s.connecting:
		b.endpoint.SetText(t.F("status.endpoint", t.T("status.connecting")))
	case s.connErr != nil:
		b.endpoint.SetText(t.F("status.endpoint", t.F("status.notconnected", t.M(explain.Error(s.connErr)))))
	default:
		name := ""
		switch s.endpoint {
		case settings.EndpointDemo:
			name = t.T("status.demo")
		case settings.EndpointProduction:
			name = t.T("status.production")
		case settings.EndpointTest:
			name = t.T("status.test")
		default:
			name = t.F("status.custom", s.url)
		}
		token := t.T("status.token.ok")
		if !s.tokenSet {
			token = t.T("status.token.missing")
		}
		b.endpoint.SetText(t.F("status.endpoint", name+" · "+token))
	}
	if b.a.scan != nil {
		b.a.scan.ShowPrinterAway(s.queue)
	}
	switch {
	case s.spec == "":
		b.printer.SetText(t.F("status.printer", t.T("status.printer.none")))
	case s.queue.Away != nil:
		b.printer.SetText(t.F("status.printer", s.spec+" · "+t.F("status.printer.held", t.M(explain.Away(s.queue.Away)), s.queue.Waiting)))
	case s.prnErr != nil:
		b.printer.SetText(t.F("status.printer", s.spec+" · "+t.F("status.printer.bad", t.M(explain.Error(s.prnErr)))))
	case s.prnStatus != nil && !s.prnStatus.OK():
		b.printer.SetText(t.F("status.printer", s.spec+" · "+t.F("status.printer.bad", t.M(s.prnStatus.Message))))
	case s.prnStatus != nil:
		b.printer.SetText(t.F("status.printer", s.spec+" · "+t.T("status.printer.ok")))
	default:
		b.printer.SetText(t.F("status.printer", s.spec))
	}
	if s.counts != nil {
		txt := t.F("status.today", s.counts.Printed, s.counts.Shipped, s.counts.Failed)
		if s.counts.Unconfirmed > 0 {
			txt += t.F("status.unconfirmed", s.counts.Unconfirmed)
		}
		if p := s.packs; p != nil && p.Verified > 0 {
			txt += t.F("status.verified", p.Verified)
		}
		b.today.SetText(txt)
	} else {
		b.today.SetText("")
	}
}

// RefreshStatus gathers the status off the UI goroutine and shows it. Any goroutine.
func (a *App) RefreshStatus() {
	a.Go("status", func() {
		snap := a.gatherStatus()
		a.Do(func() {
			a.status.snap = snap
			a.status.render()
		})
	})
}

func (a *App) gatherStatus() statusSnapshot {
	sess, err, ready := a.current()
	if !ready {
		return statusSnapshot{connecting: true}
	}
	if err != nil {
		return statusSnapshot{connErr: err}
	}
	if sess == nil {
		return statusSnapshot{connecting: true}
	}
	s, release, err := a.use(a.ctx)
	if err != nil {
		return statusSnapshot{connErr: err}
	}
	defer release()
	snap := statusSnapshot{endpoint: s.endpoint, url: s.url, tokenSet: s.tokenSet, spec: s.printerSpec()}
	ctx, cancel := context.WithTimeout(a.ctx, 3*time.Second)
	defer cancel()
	snap.queue, _ = s.station.PrinterQueue()
	if p := s.station.Printer(); p != nil && snap.queue.Away == nil {
		st, err := p.Status(ctx)
		if err != nil {
			snap.prnErr = err
		} else {
			snap.prnStatus = &st
		}
	}
	if c, err := s.station.TodayCounts(ctx); err == nil {
		snap.counts = &c
	}
	if c, err := journal.TodayPackCounts(ctx, s.station.Journal(), time.Now()); err == nil {
		snap.packs = &c
	}
	return snap
}

// statusLoop refreshes the status bar until the window closes.
func (a *App) statusLoop(every time.Duration) {
	a.every(every, "status", func() {
		snap := a.gatherStatus()
		a.Do(func() {
			a.status.snap = snap
			a.status.render()
		})
	})
}

// boardEvery is how often the 看板 reads the journal again while it is on screen.
const boardEvery = 5 * time.Second

// boardLoop keeps the board live while it is the tab on screen.
func (a *App) boardLoop(every time.Duration) {
	a.every(every, "board", func() {
		a.Do(func() {
			if a.tabs.Selected() == a.boardItem {
				a.board.Refresh()
			}
		})
	})
}

// every runs fn every d until the window closes; a panic in fn is logged, not fatal.
func (a *App) every(d time.Duration, name string, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
			func() {
				defer a.recoverTo(name)
				fn()
			}()
		}
	}
}
