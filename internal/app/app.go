// Package app is the one way to open a station, for the command line and the window alike: the
// saved settings and secrets first, then flags and STATION_* variables over them, then the
// built-in simulator when the demo is asked for. It builds the JOS client, the journal, the
// printer and the fulfill.Station from them, and closes all of it again.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"station/fulfill"
	"station/jos"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
	"station/printer"
	"station/printer/calib"
	"station/printer/queue"
	"station/printer/spec"
	"station/products"
	"station/render"
	"station/say"
	"station/settings"
	"station/ship"
)

// Flags are what the command line (or the environment) says over the settings. Empty values
// leave the settings' own.
type Flags struct {
	Endpoint  string // JOS router URL
	AppKey    string
	AppSecret string
	Token     string
	Demo      bool   // the built-in simulator with demo credentials, a temporary journal
	Journal   string // the journal: a file path, or a postgres:// URL of the warehouse's database
	Station   string // this station's name in a shared journal (default: the settings', else the host name)
	Packer    string // the packer's 工号 (and name: "1024 张三") recorded with every print, check and shipment
	Rate      float64
	RateSet   bool // Rate was given; otherwise the settings' (no limit on the simulator)
	Timeout   time.Duration
}

// DefaultTimeout bounds one JOS call when neither a flag nor the settings say.
const DefaultTimeout = 10 * time.Second

// Request is what a command or the window asks of the station it opens.
type Request struct {
	Settings settings.Settings // the saved settings (settings.Defaults when there are none)
	Secrets  settings.Secrets
	Flags    Flags

	// Printer is a printer spec to print to; "" means none, unless PrinterFromSettings.
	Printer string
	// PrinterFromSettings prints to the settings' printer (under Flags.Demo: a temporary PDF
	// folder), unless Printer names another.
	PrinterFromSettings bool
	// Label replaces the settings' label size, offsets and privacy when set.
	Label *render.Options
	// Carriers are default logistics ids per order type over the settings' ones.
	Carriers    map[printdata.OrderType]string
	Concurrency int
	Logger      *slog.Logger
	// OpenPrinter opens printer specs; nil = printer.Open.
	OpenPrinter func(spec string) (printer.Printer, error)
	// OnPrinterQueue hears the printer queue's changes (away, back, labels waiting).
	OnPrinterQueue func(queue.State)
	// PrinterRetry is how often a held label asks whether the printer is back (0: 2s).
	PrinterRetry time.Duration
	// OnRateCut hears each slow-down of the JOS client for JD's quota (calls per second now).
	OnRateCut func(perSecond float64)
	// OnJournalWait hears a warehouse journal database become unreachable (with the error) and
	// answer again (nil) while the station waits for it.
	OnJournalWait func(err error)
}

// SetupError is a problem the settings (or the flags) must fix before a station can open;
// explain says it in words.
type SetupError struct {
	Problem SetupProblem
	Path    string // SetupLabelFolder: the folder
	Err     error
}

// SetupProblem is what a SetupError is about.
type SetupProblem int

const (
	SetupNoEndpoint    SetupProblem = iota + 1 // no JOS router chosen (and no -demo)
	SetupNoCredentials                         // the app key or app secret is missing
	SetupLabelFolder                           // the PDF label folder cannot be created
)

func (e *SetupError) Error() string {
	switch e.Problem {
	case SetupNoEndpoint:
		return "no JOS endpoint (give -endpoint, or -demo)"
	case SetupNoCredentials:
		return "no app key or app secret"
	case SetupLabelFolder:
		return fmt.Sprintf("the label folder %s cannot be created: %v", e.Path, e.Err)
	}
	return "the station is not set up"
}

func (e *SetupError) Unwrap() error { return e.Err }

// Client is a JOS client opened from a Request, with the simulator it may run on.
type Client struct {
	*jos.Client
	URL      string // the router it talks to
	Demo     bool   // on the built-in simulator
	TokenSet bool
	sim      *jostest.Running
}

// Close stops the simulator, if any.
func (c *Client) Close() {
	if c.sim != nil {
		c.sim.Close()
	}
}

func demo(r Request) bool {
	return r.Flags.Demo || (r.Flags.Endpoint == "" && r.Settings.Endpoint == settings.EndpointDemo)
}

// Connect builds the JOS client a request names.
func Connect(r Request) (*Client, error) {
	f := r.Flags
	cfg := jos.Config{Timeout: f.Timeout, RateLimit: rateLimit(f, r.Settings, demo(r)), Logger: r.Logger, OnRateCut: r.OnRateCut}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	c := &Client{}
	if demo(r) {
		sim, err := jostest.Start(jostest.Demo(), "")
		if err != nil {
			return nil, fmt.Errorf("starting the demo simulator: %w", err)
		}
		c.sim, c.Demo = sim, true
		cfg.Endpoint, cfg.AppKey, cfg.AppSecret, cfg.AccessToken = sim.URL, jostest.DemoAppKey, jostest.DemoAppSecret, jostest.DemoAccessToken
	} else {
		st, sec := r.Settings, r.Secrets
		cfg.Endpoint = firstOf(f.Endpoint, st.URL())
		cfg.AppKey = firstOf(f.AppKey, st.AppKey)
		cfg.AppSecret = firstOf(f.AppSecret, sec.AppSecret)
		cfg.AccessToken = firstOf(f.Token, sec.AccessToken)
		if cfg.Endpoint == "" {
			return nil, &SetupError{Problem: SetupNoEndpoint}
		}
		if cfg.AppKey == "" || cfg.AppSecret == "" {
			return nil, &SetupError{Problem: SetupNoCredentials}
		}
	}
	client, err := jos.New(cfg)
	if err != nil {
		c.Close()
		return nil, err
	}
	c.Client, c.URL, c.TokenSet = client, cfg.Endpoint, cfg.AccessToken != ""
	return c, nil
}

// rateLimit is the JOS client's calls per second at most: -rate, else the settings', else
// unlimited for the in-process simulator (which needs no protecting) and 0, the client's
// default, for JD.
func rateLimit(f Flags, st settings.Settings, demo bool) float64 {
	switch {
	case f.RateSet:
		return f.Rate
	case demo:
		return -1
	}
	return st.Rate
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// journalPath is the journal a request names: -journal, else the default one. Demo reports
// that a temporary journal is to be used instead (the simulator starts fresh every time, so a
// journal that outlived it would claim its orders are already done).
func journalPath(r Request) (path string, temporary bool, err error) {
	if p := firstOf(r.Flags.Journal, r.Settings.Journal); p != "" {
		return p, false, nil
	}
	if demo(r) {
		return "", true, nil
	}
	p, err := journal.DefaultPath()
	return p, false, err
}

// OpenJournal opens the journal a request names (a temporary one for the demo: closing the
// returned function removes it).
func OpenJournal(ctx context.Context, r Request) (j journal.Store, cleanup func(), err error) {
	path, cleanup, err := placeFor(r, "journal")
	if err != nil {
		return nil, nil, err
	}
	s, err := openJournalAt(ctx, path, r)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return s, cleanup, nil
}

// openJournalAt opens the journal at where: a postgres:// URL (its password, when the URL has
// none, from the secrets) or an SQLite file; it records r's station and packer. A warehouse
// database that cannot be reached is an error: never a private journal instead.
func openJournalAt(ctx context.Context, where string, r Request) (*sqljournal.DB, error) {
	var (
		j   *sqljournal.DB
		err error
	)
	if sqljournal.IsPostgresURL(where) {
		j, err = sqljournal.OpenPostgres(ctx, where, r.Secrets.JournalPassword)
		if err == nil && r.OnJournalWait != nil {
			j.SetWait(sqljournal.PostgresWait, r.OnJournalWait)
		}
	} else {
		j, err = sqljournal.OpenSQLite(ctx, where)
	}
	if err != nil {
		return nil, err
	}
	j.SetWho(Who(r))
	return j, nil
}

// Who is the station and packer a request names: -station, else the settings' name, else the
// host name; and -packer.
func Who(r Request) journal.Who {
	name := firstOf(r.Flags.Station, r.Settings.StationName)
	if name == "" {
		name, _ = os.Hostname()
	}
	return journal.Who{Station: Identity(name), Packer: Identity(r.Flags.Packer)}
}

// Identity keeps a name as the journal shows it to every station: made safe (say.Safe), on
// one line with single spaces, at most 64 characters.
func Identity(s string) string {
	s = strings.Join(strings.Fields(say.Safe(s)), " ")
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64])
	}
	return s
}

// productsPath is where the product table of a journal lives: beside its file, or for a
// warehouse database in this user's config directory.
func productsPath(journalPath string) (string, error) {
	if sqljournal.IsPostgresURL(journalPath) {
		p, err := journal.DefaultPath()
		if err != nil {
			return "", err
		}
		return products.PathBeside(p), nil
	}
	return products.PathBeside(journalPath), nil
}

// OpenProducts opens the product table beside the journal at journalPath. On the built-in
// simulator it is demo-products.db, holding the simulated shop's catalogue, so that pack
// verification works in the demo with no import.
func OpenProducts(ctx context.Context, journalPath string, demo bool) (*products.Store, error) {
	path, err := productsPath(journalPath)
	if err != nil {
		return nil, err
	}
	if demo {
		// A table of its own: the simulator's products never mix into a real shop's.
		path = filepath.Join(filepath.Dir(path), "demo-"+filepath.Base(path))
	}
	st, err := products.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if demo {
		sheet := &products.Sheet{}
		for i, p := range shop.Products(jostest.DefaultSeed) {
			sheet.Rows = append(sheet.Rows, products.Row{Line: i + 2, Product: p})
		}
		if _, err := st.Import(ctx, sheet); err != nil {
			st.Close()
			return nil, fmt.Errorf("loading the demo's products: %w", err)
		}
	}
	return st, nil
}

// placeFor is the journal path of a request, or for the demo without a journal a path in a new
// temporary folder, which cleanup removes; what names the file for the error.
func placeFor(r Request, what string) (path string, cleanup func(), err error) {
	path, temp, err := journalPath(r)
	if err != nil {
		return "", nil, err
	}
	if !temp {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "station-demo-")
	if err != nil {
		return "", nil, fmt.Errorf("creating a temporary %s for the demo: %w", what, err)
	}
	return filepath.Join(dir, "journal.db"), func() { os.RemoveAll(dir) }, nil
}

// OpenProductsFor opens the product table of a request's journal (for the demo without a
// journal: a temporary one, removed by cleanup).
func OpenProductsFor(ctx context.Context, r Request) (st *products.Store, cleanup func(), err error) {
	path, cleanup, err := placeFor(r, "product table")
	if err != nil {
		return nil, nil, err
	}
	if st, err = OpenProducts(ctx, path, demo(r)); err != nil {
		cleanup()
		return nil, nil, err
	}
	return st, cleanup, nil
}

// Station is an open station: the workflows, and what they run on.
type Station struct {
	*fulfill.Station
	Client      *Client
	JournalPath string // the journal's file, or its database URL without the password
	TempJournal bool   // the demo's journal, removed on Close
	PDFDir      string // where pdf: labels go, if they do

	mu      sync.Mutex
	spec    string // the printer spec, "" when none
	printer printer.Printer
	tmpDir  string
	// journalAt is the journal as it was given (a URL may carry a password).
	journalAt string
	// products is the product table beside the journal, opened when first asked for: most
	// commands never verify.
	products *products.Store
}

// Products is the product table beside the journal (for the demo: the simulator's catalogue).
func (s *Station) Products(ctx context.Context) (*products.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.products == nil {
		st, err := OpenProducts(ctx, s.journalAt, s.Client.Demo)
		if err != nil {
			return nil, err
		}
		s.products = st
	}
	return s.products, nil
}

// Open builds a station. On error nothing stays open.
func Open(ctx context.Context, r Request) (*Station, error) {
	s := &Station{}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	var err error
	if s.Client, err = Connect(r); err != nil {
		return nil, err
	}
	path, temp, err := journalPath(r)
	if err != nil {
		return nil, err
	}
	if temp || (r.Flags.Demo && r.PrinterFromSettings && r.Printer == "") {
		if s.tmpDir, err = os.MkdirTemp("", "station-demo-"); err != nil {
			return nil, fmt.Errorf("creating the demo folder: %w", err)
		}
	}
	if temp {
		path, s.TempJournal = filepath.Join(s.tmpDir, "journal.db"), true
	}
	j, err := openJournalAt(ctx, path, r)
	if err != nil {
		return nil, err
	}
	s.JournalPath, s.journalAt = j.Where(), path

	spec, err := s.printerSpec(r)
	if err != nil {
		j.Close()
		return nil, err
	}
	if spec != "" {
		open := r.OpenPrinter
		if open == nil {
			open = printer.Open
		}
		if s.printer, err = open(spec); err != nil {
			j.Close()
			return nil, err
		}
		s.spec = spec
	}
	label, err := labelOptions(r)
	if err != nil {
		j.Close()
		return nil, err
	}
	s.Station, err = fulfill.NewStation(ctx, fulfill.StationConfig{Client: s.Client.Client, Journal: j, Printer: s.printer,
		Label: label, Defaults: carriers(r.Settings, r.Carriers), Concurrency: r.Concurrency, Logger: r.Logger,
		OnPrinterQueue: r.OnPrinterQueue, PrinterRetry: r.PrinterRetry})
	if err != nil {
		j.Close()
		return nil, err
	}
	ok = true
	return s, nil
}

// printerSpec is the printer a request prints to, its PDF folder created.
func (s *Station) printerSpec(r Request) (string, error) {
	text := strings.TrimSpace(r.Printer)
	switch {
	case text != "":
	case !r.PrinterFromSettings:
		return "", nil
	case r.Flags.Demo:
		s.PDFDir = filepath.Join(s.tmpDir, "labels")
		if err := os.MkdirAll(s.PDFDir, 0o755); err != nil {
			return "", fmt.Errorf("creating the demo label folder: %w", err)
		}
		return "pdf:" + s.PDFDir, nil
	default:
		text = r.Settings.Spec()
	}
	p, err := spec.Parse(text)
	if text == "" || err != nil {
		return text, err
	}
	if p.Scheme == settings.PrinterPDF {
		s.PDFDir = p.Target
		if err := os.MkdirAll(s.PDFDir, 0o755); err != nil {
			return "", &SetupError{Problem: SetupLabelFolder, Path: s.PDFDir, Err: err}
		}
	}
	return text, nil
}

// labelOptions are the render options of a request: its own, or the settings'.
func labelOptions(r Request) (render.Options, error) {
	if r.Label != nil {
		return *r.Label, nil
	}
	return LabelOptions(r.Settings, r.Flags.Demo)
}

// LabelOptions are the render options the settings give.
func LabelOptions(st settings.Settings, demo bool) (render.Options, error) {
	size := render.DefaultSize
	if st.LabelSize != "" {
		var err error
		if size, err = render.ParseSize(st.LabelSize); err != nil {
			return render.Options{}, err
		}
	}
	label := render.Options{Size: size, Privacy: st.Privacy}
	if st.Printer.Kind == settings.PrinterPDF || demo {
		// Label printers take the offsets in their spec; a PDF is moved on the page instead.
		label.OffsetX, label.OffsetY = st.Printer.OffsetX, st.Printer.OffsetY
	}
	return label, nil
}

// carriers are the default carriers per order type: the settings', then over.
func carriers(st settings.Settings, over map[printdata.OrderType]string) map[printdata.OrderType]string {
	out := map[printdata.OrderType]string{}
	for t, id := range st.Carriers {
		if id = strings.TrimSpace(id); id != "" {
			out[printdata.OrderType(t)] = id
		}
	}
	for t, id := range over {
		if id = strings.TrimSpace(id); id != "" {
			out[t] = id
		}
	}
	return out
}

// PrinterSpec is the printer the station prints to ("" = none).
func (s *Station) PrinterSpec() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spec
}

// Apply switches the printer, label options and default carriers of a running station to
// those of st, without reconnecting (the JOS settings are the same). Under the demo the
// printer stays the demo's PDF folder.
func (s *Station) Apply(st settings.Settings, demo bool, open func(string) (printer.Printer, error)) error {
	label, err := LabelOptions(st, demo)
	if err != nil {
		return err
	}
	if !demo {
		spec := st.Spec()
		if spec != s.PrinterSpec() {
			var p printer.Printer
			if spec != "" {
				if st.Printer.Kind == settings.PrinterPDF {
					if err := os.MkdirAll(st.Printer.Target, 0o755); err != nil {
						return fmt.Errorf("creating the label folder %s: %w", st.Printer.Target, err)
					}
				}
				if open == nil {
					open = printer.Open
				}
				if p, err = open(spec); err != nil {
					return err
				}
			}
			if old := s.Station.SetPrinter(p); old != nil {
				old.Close()
			}
			s.mu.Lock()
			s.spec, s.printer = spec, p
			s.mu.Unlock()
		}
	}
	if err := s.Station.SetLabelOptions(label); err != nil {
		return err
	}
	s.Station.SetDefaults(carriers(st, nil))
	return nil
}

// Close releases everything the station holds; safe on a half-built one.
func (s *Station) Close() error {
	var errs []error
	if s.Station != nil {
		errs = append(errs, s.Station.Close()) // closes the journal and the printer too
	} else if s.printer != nil {
		errs = append(errs, s.printer.Close())
	}
	if s.Client != nil {
		s.Client.Close()
	}
	s.mu.Lock()
	if s.products != nil {
		errs = append(errs, s.products.Close())
	}
	s.mu.Unlock()
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
	return errors.Join(errs...)
}

// Describe says, for a terminal, what an earlier run left unsettled and how it was settled.
func Describe(results []ship.Result) []string {
	var out []string
	for _, r := range results {
		switch r.State {
		case journal.StateShipped:
			out = append(out, fmt.Sprintf("order %s, left unsettled by an earlier run, is shipped (JD confirms)", r.OrderID))
		case journal.StateFailed:
			out = append(out, fmt.Sprintf("order %s, left unsettled by an earlier run, was not shipped: %s", r.OrderID, r.Reason))
		}
	}
	return out
}

// TestPrint prints the calibration label (printer/calib: frame, rulers, the settings in words,
// darkness patches, barcodes) on the settings' printer at their label size, so that the packer
// can check the printer, its language, resolution and offsets before the first real label.
func TestPrint(ctx context.Context, st settings.Settings, open func(string) (printer.Printer, error)) error {
	spec := st.Spec()
	if spec == "" {
		return fulfill.ErrNoPrinter
	}
	size, err := render.ParseSize(st.LabelSize)
	if err != nil {
		return err
	}
	if open == nil {
		open = printer.Open
	}
	p, err := open(spec)
	if err != nil {
		return err
	}
	defer p.Close()
	lang := st.Printer.Lang
	if lang == "" {
		lang = "auto"
	}
	return p.Print(ctx, calib.Job("test-label", calib.Options{WidthMM: size.W, HeightMM: size.H, Spec: p.Spec(), Lang: lang,
		OffsetXMM: st.Printer.OffsetX, OffsetYMM: st.Printer.OffsetY, Darkness: -1}))
}
