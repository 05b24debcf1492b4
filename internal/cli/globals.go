package cli

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"station/explain"
	"station/internal/app"
	"station/journal/sqljournal"
	"station/say"
	"station/settings"
)

// globals are the settings every command shares. Each flag also reads an environment variable,
// so that the secret need not sit in shell history; both go over the saved settings.
type globals struct {
	flags  app.Flags
	config string // the settings directory
}

func (g *globals) fromEnv() {
	g.flags.Endpoint = os.Getenv("STATION_ENDPOINT")
	g.flags.AppKey = os.Getenv("STATION_APP_KEY")
	g.flags.AppSecret = os.Getenv("STATION_APP_SECRET")
	g.flags.Token = os.Getenv("STATION_ACCESS_TOKEN")
	g.flags.Journal = os.Getenv("STATION_JOURNAL")
	g.flags.Station = os.Getenv("STATION_NAME")
	g.flags.Packer = os.Getenv("STATION_PACKER")
	g.config = os.Getenv("STATION_CONFIG")
	g.flags.Timeout = app.DefaultTimeout
}

func (g *globals) register(fs *flag.FlagSet) {
	f := &g.flags
	fs.StringVar(&f.Endpoint, "endpoint", f.Endpoint, "JOS router URL (env STATION_ENDPOINT; default: the saved settings'), e.g. https://api.jd.com/routerjson")
	fs.StringVar(&f.AppKey, "app-key", f.AppKey, "JOS app key (env STATION_APP_KEY; default: the saved settings')")
	fs.Var(secretFlag{&f.AppSecret, "STATION_APP_SECRET"}, "app-secret", "JOS app secret (env STATION_APP_SECRET; default: the saved secret)")
	fs.Var(secretFlag{&f.Token, "STATION_ACCESS_TOKEN"}, "token", "JOS access token (env STATION_ACCESS_TOKEN; default: the saved token)")
	fs.BoolVar(&f.Demo, "demo", f.Demo, "use an in-process JOS simulator with demo orders and credentials")
	fs.Var(journalFlag{&f.Journal}, "journal", "the journal: a database file `path`, or the warehouse's postgres://USER@HOST:PORT/DB (env STATION_JOURNAL; default: in the user's config directory)")
	fs.StringVar(&f.Station, "station", f.Station, "this station's `name` in a shared journal (env STATION_NAME; default: the settings', else the host name)")
	fs.StringVar(&f.Packer, "packer", f.Packer, "the packer's `工号` (and name), recorded with every print, check and shipment (env STATION_PACKER)")
	fs.Var(rateFlag{f}, "rate", "JOS calls per second at most (default: the settings', else 50; negative: no limit, the default on the simulator); below it the station slows down by itself when JD refuses calls for its quota")
	fs.DurationVar(&f.Timeout, "timeout", f.Timeout, "time limit for one JOS call")
	fs.StringVar(&g.config, "config", g.config, "settings `directory` (env STATION_CONFIG; default: station in the user's config directory)")
}

// secretFlag holds a secret without ever showing it: -h prints no default.
type secretFlag struct {
	p   *string
	env string
}

func (s secretFlag) String() string { return "" }
func (s secretFlag) Set(v string) error {
	*s.p = v
	return nil
}

// journalFlag is -journal: -h shows a database URL without its password.
type journalFlag struct{ p *string }

func (j journalFlag) String() string {
	if j.p == nil || !sqljournal.IsPostgresURL(*j.p) {
		if j.p == nil {
			return ""
		}
		return *j.p
	}
	return sqljournal.Redact(*j.p)
}

func (j journalFlag) Set(v string) error {
	*j.p = v
	return nil
}

// rateFlag is -rate, remembering that it was given.
type rateFlag struct{ f *app.Flags }

func (r rateFlag) String() string {
	if r.f == nil || !r.f.RateSet {
		return ""
	}
	return strconv.FormatFloat(r.f.Rate, 'g', -1, 64)
}

func (r rateFlag) Set(v string) error {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return errors.New("give a number of calls per second (negative: no limit)")
	}
	r.f.Rate, r.f.RateSet = x, true
	return nil
}

// Request is the app.Request of the saved settings with the global flags over them. Settings
// that were never saved count as none: the command line then needs -endpoint or -demo.
func (e *Env) Request() (app.Request, error) {
	r := app.Request{Flags: e.g.flags}
	store, err := settings.Open(e.g.config)
	if err != nil {
		return r, err
	}
	if _, err := os.Stat(store.Path()); errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if r.Settings, err = store.Load(); err != nil {
		return r, err
	}
	sharedJournal := sqljournal.IsPostgresURL(cmp.Or(strings.TrimSpace(r.Flags.Journal), r.Settings.Journal))
	if sharedJournal || !r.Flags.Demo && (r.Flags.AppSecret == "" || r.Flags.Token == "") && r.Flags.Endpoint == "" {
		if r.Secrets, _, err = store.LoadSecrets(); err != nil {
			return r, fmt.Errorf("reading the saved secrets: %w", err)
		}
	}
	return r, nil
}

// Connect returns a JOS client of the settings and flags; Close releases the simulator.
func (e *Env) Connect() (*app.Client, error) {
	r, err := e.Request()
	if err != nil {
		return nil, err
	}
	r.OnRateCut = e.sayRateCut
	return app.Connect(r)
}

// describe is an error for the terminal: what failed (the error itself, with JD's code and
// description where there is one), then what it means and what to do, in both languages.
func describe(err error) string {
	var told *toldError
	if errors.As(err, &told) && told == err {
		return told.Error()
	}
	words := explain.Error(err)
	indent := func(s string) string { return "\n  " + strings.ReplaceAll(s, "\n", "\n  ") }
	return say.Safe(err.Error()) + indent(words.ZH) + indent(words.EN)
}

// DayFlag reads a -date flag: the local midnight starting day YYYY-MM-DD, or that of or
// (today: time.Now()) when the flag is empty.
func DayFlag(v string, or time.Time) (time.Time, error) {
	if v = strings.TrimSpace(v); v == "" {
		return time.Date(or.Year(), or.Month(), or.Day(), 0, 0, 0, 0, time.Local), nil
	}
	d, err := time.ParseInLocation("2006-01-02", v, time.Local)
	if err != nil {
		return time.Time{}, Usagef("-date %q: give the day as YYYY-MM-DD, e.g. 2026-12-03", v)
	}
	return d, nil
}
