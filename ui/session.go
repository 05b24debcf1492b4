package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"station/fulfill"
	"station/jos"
	"station/jos/jostest"
	"station/journal"
	"station/printdata"
	"station/printer"
	"station/render"
	"station/settings"
)

// session is one connection of the window to JD: a fulfill.Station built from the settings, with
// what it owns. The window replaces it when the settings change.
type session struct {
	station *fulfill.Station
	journal journal.Store
	printer printer.Printer // nil: no printer configured
	sim     *jostest.Running
	tmpDir  string // demo: the PDF folder and journal, removed on close

	endpoint settings.Endpoint
	url      string
	tokenSet bool
	pdfDir   string // where PDF labels go, for pdf: printers

	mu   sync.Mutex
	spec string // the printer spec, "" when none
}

// sessionConfig is what a session is built from.
type sessionConfig struct {
	settings settings.Settings
	secrets  settings.Secrets
	demo     bool   // -demo: simulator, temporary PDF folder and journal
	journal  string // -journal; "" = the default (or a temporary one on the simulator)
	opener   func(spec string) (printer.Printer, error)
	logger   *slog.Logger
	rate     float64
	timeout  time.Duration
}

// openSession builds a Station. On error nothing stays open.
func openSession(ctx context.Context, c sessionConfig) (*session, error) {
	s := &session{endpoint: c.settings.Endpoint}
	ok := false
	defer func() {
		if !ok {
			s.close()
		}
	}()
	var err error
	st := c.settings
	if c.demo {
		st.Endpoint = settings.EndpointDemo
		s.endpoint = settings.EndpointDemo
	}
	if st.Endpoint == settings.EndpointDemo && (c.demo || c.journal == "") {
		// The simulator starts fresh every time, so a journal that outlives it would claim its
		// orders are already done: the demo gets its own temporary folder.
		s.tmpDir, err = os.MkdirTemp("", "station-demo-")
		if err != nil {
			return nil, fmt.Errorf("creating the demo folder: %w", err)
		}
	}

	// JOS.
	cfg := jos.Config{Timeout: c.timeout, RateLimit: c.rate, Logger: c.logger}
	if st.Endpoint == settings.EndpointDemo {
		s.sim, err = jostest.Start(jostest.Options{}, "")
		if err != nil {
			return nil, fmt.Errorf("starting the demo simulator: %w", err)
		}
		cfg.Endpoint, cfg.AppKey, cfg.AppSecret, cfg.AccessToken = s.sim.URL, jostest.DemoAppKey, jostest.DemoAppSecret, jostest.DemoAccessToken
		cfg.RateLimit = -1 // an in-process simulator needs no protecting
	} else {
		cfg.Endpoint, cfg.AppKey, cfg.AppSecret, cfg.AccessToken = st.URL(), st.AppKey, c.secrets.AppSecret, c.secrets.AccessToken
		if cfg.Endpoint == "" {
			return nil, &setupError{zh: "没有选择京东接口环境：请在“设置”中选择。", en: "No JOS endpoint: choose one in Settings."}
		}
		if cfg.AppKey == "" || cfg.AppSecret == "" {
			return nil, &setupError{zh: "缺少 App Key 或 App Secret：请在“设置”中填写。",
				en: "The app key or app secret is missing: enter them in Settings."}
		}
	}
	s.url = cfg.Endpoint
	s.tokenSet = cfg.AccessToken != ""
	client, err := jos.New(cfg)
	if err != nil {
		return nil, err
	}

	// Journal.
	path := c.journal
	if path == "" && s.tmpDir != "" {
		path = filepath.Join(s.tmpDir, "journal.db")
	}
	if path == "" {
		if path, err = journal.DefaultPath(); err != nil {
			return nil, err
		}
	}
	s.journal, err = journal.OpenSQLite(ctx, path)
	if err != nil {
		return nil, err
	}

	// Printer.
	spec := st.Spec()
	if c.demo {
		s.pdfDir = filepath.Join(s.tmpDir, "labels")
		if err := os.MkdirAll(s.pdfDir, 0o755); err != nil {
			return nil, fmt.Errorf("creating the demo label folder: %w", err)
		}
		spec = "pdf:" + s.pdfDir
	} else if st.Printer.Kind == settings.PrinterPDF {
		s.pdfDir = st.Printer.Target
		if err := os.MkdirAll(s.pdfDir, 0o755); err != nil {
			return nil, &setupError{zh: fmt.Sprintf("无法创建面单文件夹 %s（%v）：请在“设置”中选择其他文件夹。", s.pdfDir, err),
				en: fmt.Sprintf("The label folder %s cannot be created (%v): choose another in Settings.", s.pdfDir, err), err: err}
		}
	}
	if spec != "" {
		open := c.opener
		if open == nil {
			open = printer.Open
		}
		s.printer, err = open(spec)
		if err != nil {
			return nil, err
		}
		s.spec = spec
	}

	label, err := labelOptions(st, c.demo)
	if err != nil {
		return nil, err
	}
	s.station, err = fulfill.NewStation(ctx, fulfill.StationConfig{
		Client:   client,
		Journal:  s.journal,
		Printer:  s.printer,
		Label:    label,
		Defaults: carrierDefaults(st),
		Logger:   c.logger,
	})
	if err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// labelOptions are the render options the settings give.
func labelOptions(st settings.Settings, demo bool) (render.Options, error) {
	size, err := render.ParseSize(st.LabelSize)
	if err != nil {
		return render.Options{}, err
	}
	label := render.Options{Size: size, Privacy: st.Privacy}
	if st.Printer.Kind == settings.PrinterPDF || demo {
		// Label printers take the offsets in their spec; a PDF is moved on the page instead.
		label.OffsetX, label.OffsetY = st.Printer.OffsetX, st.Printer.OffsetY
	}
	return label, nil
}

// carrierDefaults are the default carriers per order type the settings give.
func carrierDefaults(st settings.Settings) map[printdata.OrderType]string {
	defaults := map[printdata.OrderType]string{}
	for t, id := range st.Carriers {
		if id != "" {
			defaults[printdata.OrderType(t)] = id
		}
	}
	return defaults
}

// printerSpec is the printer the session prints to ("" = none).
func (s *session) printerSpec() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spec
}

// apply switches the printer, label options and default carriers of a running session to
// those of st, without reconnecting (the JOS settings are the same). Under -demo the printer
// stays the demo's PDF folder.
func (s *session) apply(st settings.Settings, demo bool, opener func(string) (printer.Printer, error)) error {
	label, err := labelOptions(st, demo)
	if err != nil {
		return err
	}
	if !demo {
		spec := st.Spec()
		if spec != s.printerSpec() {
			var p printer.Printer
			if spec != "" {
				if st.Printer.Kind == settings.PrinterPDF {
					if err := os.MkdirAll(st.Printer.Target, 0o755); err != nil {
						return fmt.Errorf("creating the label folder %s: %w", st.Printer.Target, err)
					}
				}
				if opener == nil {
					opener = printer.Open
				}
				if p, err = opener(spec); err != nil {
					return err
				}
			}
			if old := s.station.SetPrinter(p); old != nil {
				old.Close()
			}
			s.mu.Lock()
			s.spec = spec
			s.printer = p
			s.mu.Unlock()
		}
	}
	if err := s.station.SetLabelOptions(label); err != nil {
		return err
	}
	s.station.SetDefaults(carrierDefaults(st))
	return nil
}

// close releases everything the session holds; safe on a half-built session.
func (s *session) close() {
	if s.station != nil {
		s.station.Close() // closes the journal and the printer too
	} else {
		if s.journal != nil {
			s.journal.Close()
		}
		if s.printer != nil {
			s.printer.Close()
		}
	}
	if s.sim != nil {
		s.sim.Close()
	}
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}

// setupError is a connection problem the settings can fix, in both languages.
type setupError struct {
	zh, en string
	err    error
}

func (e *setupError) Error() string { return e.en }
func (e *setupError) Unwrap() error { return e.err }

// explain says what an error means and what to do, in both languages: the window's own
// set-up errors, and fulfill.Explain for everything else.
func explain(err error) fulfill.Message {
	var se *setupError
	if errors.As(err, &se) {
		return fulfill.Message{ZH: se.zh, EN: se.en}
	}
	return fulfill.Explain(err)
}
