package ui

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"station/fulfill"
	"station/internal/app"
	"station/printer"
	"station/printer/queue"
	"station/products"
	"station/scale"
	"station/scan"
	"station/settings"
)

// session is one connection of the window to JD: a station opened by app.Open from the
// settings and the command line's flags. The window replaces it when the settings change.
type session struct {
	*app.Station
	station  *fulfill.Station
	endpoint settings.Endpoint
	url      string
	tokenSet bool
	pdfDir   string

	mu        sync.Mutex
	cat       *products.Catalog // the product table, loaded when first needed; nil after a change
	scaleSpec string
	weigher   scan.Weigher // nil: no scale
	scale     *scale.Scale
}

// Catalog is the product table for verification (loaded once, again after reloadCatalog).
func (s *session) Catalog(ctx context.Context) (*products.Catalog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cat != nil {
		return s.cat, nil
	}
	st, err := s.Products(ctx)
	if err != nil {
		return nil, err
	}
	cat, err := st.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	s.cat = cat
	return cat, nil
}

// reloadCatalog makes the next scan read the product table again (after an import).
func (s *session) reloadCatalog() {
	s.mu.Lock()
	s.cat = nil
	s.mu.Unlock()
}

// setScale switches to the scale of spec ("" for none), closing the one before.
func (s *session) setScale(spec string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec == s.scaleSpec && s.weigher != nil {
		return
	}
	s.scaleSpec = spec
	s.openScale()
}

// openScale (under mu) opens the scale of the settings. A scale that cannot be opened is kept
// as its error: each weighing says it, and the packer decides.
func (s *session) openScale() {
	if s.scale != nil {
		s.scale.Close()
	}
	s.scale, s.weigher = nil, nil
	if s.scaleSpec == "" {
		return
	}
	sc, err := scale.Open(s.scaleSpec)
	if err != nil {
		s.weigher = brokenScale{err}
		return
	}
	s.scale, s.weigher = sc, sc
}

// Scale is the scale to weigh on, nil when the settings name none.
func (s *session) Scale() scan.Weigher {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scaleSpec == "" {
		return nil
	}
	return liveScale{s}
}

// liveScale weighs on the session's scale as it is when the weighing starts: one that could not
// be opened, or whose port went away (a USB adapter pulled out), is opened again then, so that
// plugged in since, it weighs. Nothing is opened for scans that do not weigh.
type liveScale struct{ s *session }

func (l liveScale) Weigh(ctx context.Context, again bool) (int, error) {
	s := l.s
	s.mu.Lock()
	if s.scaleSpec != "" && (s.scale == nil || s.scale.Gone() != nil) {
		s.openScale()
	}
	w := s.weigher
	s.mu.Unlock()
	if w == nil {
		return 0, errors.New("no scale is set up")
	}
	return w.Weigh(ctx, again)
}

// brokenScale is a scale that could not be opened.
type brokenScale struct{ err error }

func (b brokenScale) Weigh(context.Context, bool) (int, error) { return 0, b.err }

// sessionConfig is what a session is built from.
type sessionConfig struct {
	settings settings.Settings
	secrets  settings.Secrets
	flags    app.Flags
	opener   func(spec string) (printer.Printer, error)
	logger   *slog.Logger
	onQueue  func(queue.State)
	retry    time.Duration
	// onRateCut hears each slow-down of the JOS client for JD's quota (from any goroutine).
	onRateCut func(perSecond float64)
	// onJournalWait hears the warehouse journal database go away (err) and come back (nil).
	onJournalWait func(err error)
}

// openSession opens a station. On error nothing stays open.
func openSession(ctx context.Context, c sessionConfig) (*session, error) {
	st, err := app.Open(ctx, app.Request{Settings: c.settings, Secrets: c.secrets, Flags: c.flags,
		PrinterFromSettings: true, OpenPrinter: c.opener, Logger: c.logger, OnPrinterQueue: c.onQueue, PrinterRetry: c.retry,
		OnRateCut: c.onRateCut, OnJournalWait: c.onJournalWait})
	if err != nil {
		return nil, err
	}
	s := &session{Station: st, station: st.Station, endpoint: c.settings.Endpoint, url: st.Client.URL,
		tokenSet: st.Client.TokenSet, pdfDir: st.PDFDir}
	s.setScale(c.settings.Scale)
	switch {
	case st.Client.Demo:
		s.endpoint = settings.EndpointDemo
	case c.flags.Endpoint != "":
		s.endpoint = settings.EndpointCustom
	}
	return s, nil
}

// printerSpec is the printer the session prints to ("" = none).
func (s *session) printerSpec() string { return s.PrinterSpec() }

// apply switches the printer, label options and default carriers to those of st.
func (s *session) apply(st settings.Settings, demo bool, opener func(string) (printer.Printer, error)) error {
	s.setScale(st.Scale)
	return s.Apply(st, demo, opener)
}

// Workflows is the session's station.
func (s *session) Workflows() *fulfill.Station { return s.station }

// close releases everything the session holds.
func (s *session) close() {
	s.setScale("")
	s.Close()
}
