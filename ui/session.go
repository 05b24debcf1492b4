package ui

import (
	"context"
	"log/slog"
	"time"

	"station/fulfill"
	"station/internal/app"
	"station/printer"
	"station/printer/queue"
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
}

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
}

// openSession opens a station. On error nothing stays open.
func openSession(ctx context.Context, c sessionConfig) (*session, error) {
	st, err := app.Open(ctx, app.Request{Settings: c.settings, Secrets: c.secrets, Flags: c.flags,
		PrinterFromSettings: true, OpenPrinter: c.opener, Logger: c.logger, OnPrinterQueue: c.onQueue, PrinterRetry: c.retry,
		OnRateCut: c.onRateCut})
	if err != nil {
		return nil, err
	}
	s := &session{Station: st, station: st.Station, endpoint: c.settings.Endpoint, url: st.Client.URL,
		tokenSet: st.Client.TokenSet, pdfDir: st.PDFDir}
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
	return s.Apply(st, demo, opener)
}

// close releases everything the session holds.
func (s *session) close() { s.Close() }
