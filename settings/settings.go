// Package settings is the station's saved configuration, shared by the window and the CLI: a
// JSON file under the user's config directory for everything but the secrets, and the OS keyring
// (or, where there is none, a 0600 file beside the settings) for the app secret and access token.
package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"station/internal/geom"
	"station/printer/spec"
	"strconv"
	"strings"
)

// The JOS routers the station knows by name.
const (
	productionURL = "https://api.jd.com/routerjson"
	testURL       = "https://api-dev.jd.com/routerjson"
)

// Endpoint is which JOS the station talks to.
type Endpoint string

const (
	EndpointProduction Endpoint = "production" // JD's live API
	EndpointTest       Endpoint = "test"       // JD's test environment
	EndpointDemo       Endpoint = "demo"       // the built-in simulator, with demo orders and credentials
	EndpointCustom     Endpoint = "custom"     // CustomURL, e.g. a simulator run with `station sim`
)

// Endpoints lists the choices in the order the settings page shows them.
var Endpoints = []Endpoint{EndpointDemo, EndpointProduction, EndpointTest, EndpointCustom}

// ScanMode is what a scan does.
type ScanMode string

const (
	ScanPrint     ScanMode = "print"      // 打印
	ScanPrintShip ScanMode = "print_ship" // 打印并发货
	ScanShipOnly  ScanMode = "ship_only"  // 仅发货
)

// ScanModes lists the modes in the order the scan page shows them.
var ScanModes = []ScanMode{ScanPrint, ScanPrintShip, ScanShipOnly}

// Language is the window's language.
type Language string

const (
	Chinese Language = "zh"
	English Language = "en"
)

// Printer kinds, the scheme of a printer spec.
const (
	PrinterPDF  = "pdf"  // Target: a folder the labels are written to as PDF files
	PrinterUSB  = "usb"  // Target: auto, or VID:PID[:SERIAL] / VID:PID@BUS.PORT
	PrinterTCP  = "tcp"  // Target: HOST[:PORT], raw port 9100
	PrinterCUPS = "cups" // Target: the queue name
	PrinterFile = "file" // Target: a device node such as /dev/usb/lp0
	PrinterWin  = "win"  // Target: a Windows printer's name (RAW jobs through the spooler)
)

// PrinterKinds lists the printer kinds in the order the settings page shows them.
var PrinterKinds = []string{PrinterPDF, PrinterUSB, PrinterTCP, PrinterCUPS, PrinterFile}

// WindowsPrinterKinds are the kinds on Windows: its printers (the spooler) come first, and
// there is no CUPS and no direct USB.
var WindowsPrinterKinds = []string{PrinterPDF, PrinterWin, PrinterTCP, PrinterFile}

// Printer is where labels go and how.
type Printer struct {
	Kind   string `json:"kind"`   // one of PrinterKinds; "" = no printer configured
	Target string `json:"target"` // what the kind prints to
	// Lang is the printer language for label printers: "" (ask the printer / ZPL), zpl, tspl, escpos.
	Lang string `json:"lang,omitempty"`
	DPI  int    `json:"dpi,omitempty"` // 203, 300 or 600; 0 = 203
	// OffsetX and OffsetY (mm) move the label on the media for printers that feed off-centre.
	OffsetX float64 `json:"offset_x,omitempty"`
	OffsetY float64 `json:"offset_y,omitempty"`
}

// Settings is everything the station remembers except the secrets (see Secrets).
type Settings struct {
	Endpoint  Endpoint `json:"endpoint"`
	CustomURL string   `json:"custom_url,omitempty"`
	AppKey    string   `json:"app_key,omitempty"`

	Printer   Printer `json:"printer"`
	LabelSize string  `json:"label_size"` // e.g. "100x150" (render.ParseSize)
	Privacy   bool    `json:"privacy"`    // 隐私面单: mask names and phones on labels

	// Carriers is the default logistics id per order type ("SOP", "LBP", "SOPL"). LBP and SOPL
	// default to "0" (the merchant takes the parcels to JD's sorting centre).
	Carriers map[string]string `json:"default_carriers,omitempty"`

	ScanMode ScanMode `json:"scan_mode"`
	Packages int      `json:"packages"` // parcels per scanned order, 1 by default
	Language Language `json:"language"`
	// Sound is how the scan station's prompts sound: "voice" (Chinese voice clips, the
	// default), "tones" or "off".
	Sound string `json:"sound"`
	// ScanEnd is which keys end a scan: "enter_tab" (Enter or Tab, the default: many scanners
	// are set to end a code with Tab) or "enter".
	ScanEnd string `json:"scan_end"`

	// Rate is the most JOS calls per second (the -rate flag over it); 0: the client's default.
	// Below it the station slows down by itself when JD refuses calls for its quota.
	Rate float64 `json:"jos_rate,omitempty"`

	// Verify is pack verification (验货) on the scan tab: "auto" (the default: on once the
	// product table has products), "on" or "off".
	Verify string `json:"verify"`
	// Scale is the scale's spec (scale.ParseSpec), "" for none; the weight of a verified parcel
	// may differ from its items' unit weights by the larger of ToleranceG and TolerancePct.
	Scale        string `json:"scale,omitempty"`
	ToleranceG   int    `json:"weight_tolerance_g,omitempty"`
	TolerancePct int    `json:"weight_tolerance_pct,omitempty"`

	// Journal is the journal: "" for this user's own file, a file path, or the postgres:// URL
	// (without its password: that is a secret) of the warehouse's shared database.
	Journal string `json:"journal,omitempty"`
	// StationName names this station in a shared journal; "" means the host name.
	StationName string `json:"station_name,omitempty"`
}

// Verification values.
const (
	VerifyAuto = "auto"
	VerifyOn   = "on"
	VerifyOff  = "off"
)

// Verifying says whether the scan tab verifies orders, given how many products the table has.
func (s Settings) Verifying(products int) bool {
	return s.Verify == VerifyOn || s.Verify != VerifyOff && products > 0
}

// Defaults are the settings of a station that has never been set up: the demo simulator, so that
// a new user sees the whole flow at once, printing PDF files.
func Defaults() Settings {
	return Settings{
		Endpoint:  EndpointDemo,
		Printer:   Printer{Kind: PrinterPDF, Target: defaultPDFDir()},
		LabelSize: "100x150",
		Carriers:  map[string]string{"LBP": "0", "SOPL": "0"},
		ScanMode:  ScanPrintShip,
		Packages:  1,
		Language:  Chinese,
		Sound:     "voice",
		ScanEnd:   "enter_tab",
		Verify:    VerifyAuto,
	}
}

// defaultPDFDir is where PDF labels go by default: a folder in the user's documents.
func defaultPDFDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "station-labels")
	}
	return filepath.Join(home, "Documents", "station-labels")
}

// URL is the JOS router URL the settings name ("" for the demo simulator, which picks its own).
func (s Settings) URL() string {
	switch s.Endpoint {
	case EndpointProduction:
		return productionURL
	case EndpointTest:
		return testURL
	case EndpointCustom:
		return strings.TrimSpace(s.CustomURL)
	}
	return ""
}

// Spec is the printer spec for printer.Open, e.g. "usb:auto?lang=tspl&dpi=203&size=100x150&offset=1,0",
// or "" when no printer is configured. Label printers get the label size so that the image is
// placed on the loaded media; PDF printers take no options.
func (s Settings) Spec() string {
	p := s.Printer
	if p.Kind == "" || strings.TrimSpace(p.Target) == "" {
		return ""
	}
	if p.Kind == PrinterPDF {
		return spec.Format(p.Kind, p.Target)
	}
	dpi, offset := "", ""
	if p.DPI != 0 {
		dpi = strconv.Itoa(p.DPI)
	}
	if p.OffsetX != 0 || p.OffsetY != 0 {
		offset = fmtMM(p.OffsetX) + "," + fmtMM(p.OffsetY)
	}
	return spec.Format(p.Kind, p.Target, [2]string{"lang", p.Lang}, [2]string{"dpi", dpi},
		[2]string{"size", s.LabelSize}, [2]string{"offset", offset})
}

func fmtMM(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Check says what is wrong with the settings, in terms a person at the settings page can fix.
func (s Settings) Check() error {
	var errs []error
	switch s.Endpoint {
	case EndpointProduction, EndpointTest, EndpointDemo:
	case EndpointCustom:
		u, err := url.Parse(strings.TrimSpace(s.CustomURL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("custom endpoint %q: give the JOS router URL, e.g. http://127.0.0.1:8790/routerjson", s.CustomURL))
		}
	default:
		errs = append(errs, fmt.Errorf("endpoint %q: use production, test, demo or custom", s.Endpoint))
	}
	if j := strings.TrimSpace(s.Journal); strings.Contains(j, "://") {
		u, err := url.Parse(j)
		switch {
		case err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" || strings.Trim(u.Path, "/") == "":
			errs = append(errs, errors.New("journal database: write it as postgres://USER@HOST:PORT/DATABASE"))
		case u.User != nil && func() bool { _, has := u.User.Password(); return has }():
			errs = append(errs, errors.New("journal database: give the password in its own field, not in the URL"))
		}
	}
	if k := s.Printer.Kind; k != "" && !slices.Contains(PrinterKinds, k) && !slices.Contains(WindowsPrinterKinds, k) {
		errs = append(errs, fmt.Errorf("printer kind %q: use pdf, usb, tcp, cups, file or win", s.Printer.Kind))
	}
	if s.Printer.Kind != "" && strings.TrimSpace(s.Printer.Target) == "" {
		errs = append(errs, fmt.Errorf("printer: say where to print (a folder, a printer, an address or a queue)"))
	}
	switch s.Printer.Lang {
	case "", "zpl", "tspl", "escpos":
	default:
		errs = append(errs, fmt.Errorf("printer language %q: use zpl, tspl or escpos", s.Printer.Lang))
	}
	switch s.Printer.DPI {
	case 0, 203, 300, 600:
	default:
		errs = append(errs, fmt.Errorf("printer resolution %d dpi: use 203, 300 or 600", s.Printer.DPI))
	}
	for _, v := range []float64{s.Printer.OffsetX, s.Printer.OffsetY} {
		if !geom.OffsetOK(v) {
			errs = append(errs, fmt.Errorf("label offset %v mm: use -%v to %v mm", v, geom.MaxOffset, geom.MaxOffset))
			break
		}
	}
	switch s.ScanMode {
	case ScanPrint, ScanPrintShip, ScanShipOnly:
	default:
		errs = append(errs, fmt.Errorf("scan mode %q: use print, print_ship or ship_only", s.ScanMode))
	}
	if math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) || s.Rate < 0 || s.Rate > 1000 {
		errs = append(errs, fmt.Errorf("JOS rate %v: give calls per second from 0 (the default) to 1000", s.Rate))
	}
	if s.Packages < 1 || s.Packages > 999 {
		errs = append(errs, fmt.Errorf("packages %d: use 1 to 999", s.Packages))
	}
	switch s.Language {
	case Chinese, English:
	default:
		errs = append(errs, fmt.Errorf("language %q: use zh or en", s.Language))
	}
	switch s.Sound {
	case "voice", "tones", "off":
	default:
		errs = append(errs, fmt.Errorf("sound %q: use voice, tones or off", s.Sound))
	}
	switch s.ScanEnd {
	case "enter_tab", "enter":
	default:
		errs = append(errs, fmt.Errorf("scan end %q: use enter_tab or enter", s.ScanEnd))
	}
	switch s.Verify {
	case VerifyAuto, VerifyOn, VerifyOff:
	default:
		errs = append(errs, fmt.Errorf("verify %q: use auto, on or off", s.Verify))
	}
	if s.ToleranceG < 0 || s.TolerancePct < 0 || s.TolerancePct > 100 {
		errs = append(errs, fmt.Errorf("weight tolerance %d g / %d %%: use 0 g or more and 0 to 100 %%", s.ToleranceG, s.TolerancePct))
	}
	return errors.Join(errs...)
}

// fillDefaults completes settings read from an older or hand-edited file.
func (s *Settings) fillDefaults() {
	d := Defaults()
	if s.Endpoint == "" {
		s.Endpoint = d.Endpoint
	}
	if s.LabelSize == "" {
		s.LabelSize = d.LabelSize
	}
	if s.ScanMode == "" {
		s.ScanMode = d.ScanMode
	}
	if s.Packages == 0 {
		s.Packages = d.Packages
	}
	if s.Language == "" {
		s.Language = d.Language
	}
	if s.Sound == "" {
		s.Sound = d.Sound
	}
	if s.ScanEnd == "" {
		s.ScanEnd = d.ScanEnd
	}
	if s.Verify == "" {
		s.Verify = d.Verify
	}
	if s.Carriers == nil {
		s.Carriers = map[string]string{}
	}
	for t, id := range d.Carriers {
		if _, ok := s.Carriers[t]; !ok {
			s.Carriers[t] = id
		}
	}
}

// File names inside the settings directory.
const (
	settingsFile = "settings.json"
	secretsFile  = "secrets.json" // only when the OS has no keyring
)

// defaultDir is the settings directory: os.UserConfigDir()/station (the journal lives there too).
func defaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the user's config directory for the settings: %w", err)
	}
	return filepath.Join(dir, "station"), nil
}

// Store reads and writes the settings and secrets of one settings directory.
type Store struct {
	dir     string
	keyring Keyring
}

// Option configures a Store.
type Option func(*Store)

// WithKeyring replaces the OS keyring (tests, or a platform with its own store).
func WithKeyring(k Keyring) Option { return func(s *Store) { s.keyring = k } }

// Open returns the store for dir ("" = defaultDir). Nothing is read or created yet.
func Open(dir string, opts ...Option) (*Store, error) {
	if dir == "" {
		d, err := defaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("settings directory %s: %w", dir, err)
	}
	s := &Store{dir: abs, keyring: osKeyring{}}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Dir is the settings directory.
func (s *Store) Dir() string { return s.dir }

// Path is the settings file.
func (s *Store) Path() string { return filepath.Join(s.dir, settingsFile) }

// Load reads the settings. A station that has never saved any gets Defaults(), with no error.
// A file that cannot be read or parsed is an error (the caller shows it and may start from
// Defaults; the file is left alone until the next Save).
func (s *Store) Load() (Settings, error) {
	b, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Defaults(), fmt.Errorf("reading the settings: %w", err)
	}
	var st Settings
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&st); err != nil {
		return Defaults(), fmt.Errorf("the settings file %s is damaged (%v): fix or delete it, then save the settings again", s.Path(), err)
	}
	st.fillDefaults()
	return st, nil
}

// Save writes the settings atomically (a temporary file renamed over the old one), readable by
// the user only. It refuses settings that Check refuses.
func (s *Store) Save(st Settings) error {
	if err := st.Check(); err != nil {
		return fmt.Errorf("settings not saved: %w", err)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("settings not saved: %w", err)
	}
	return writeFileAtomic(s.dir, settingsFile, append(b, '\n'))
}

// writeFileAtomic writes dir/name through a temporary file in dir, mode 0600, synced before the
// rename so that a crash leaves either the old file or the new one.
func writeFileAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the settings directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	ok = true
	return nil
}
