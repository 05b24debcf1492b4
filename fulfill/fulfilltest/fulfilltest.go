// Package fulfilltest runs a fulfill.Station on the JOS simulator for tests: over real HTTP
// with real signatures, a fresh journal, and a real printer writing ZPL into a file, with the
// calls counted and the labels readable back.
package fulfilltest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"station/fulfill"
	"station/jos"
	"station/jos/jostest"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
	"station/printer"
	"station/render"
)

// CountingJOS counts the calls by method on their way to the client.
type CountingJOS struct {
	c     *jos.Client
	mu    sync.Mutex
	calls map[string]int
}

func (c *CountingJOS) Read(ctx context.Context, method string, params any, out any) error {
	c.count(method)
	return c.c.Read(ctx, method, params, out)
}

func (c *CountingJOS) Write(ctx context.Context, method string, params any, out any) error {
	c.count(method)
	return c.c.Write(ctx, method, params, out)
}

func (c *CountingJOS) count(method string) {
	c.mu.Lock()
	c.calls[method]++
	c.mu.Unlock()
}

// Writes counts the outstorage (the overseas delivery too) and waybill update calls.
func (c *CountingJOS) Writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for m, k := range c.calls {
		if strings.Contains(m, "outstorage") || strings.Contains(m, "waybill.update") || strings.HasSuffix(m, ".sop.delivery") {
			n += k
		}
	}
	return n
}

// Calls counts the calls of one method.
func (c *CountingJOS) Calls(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

func (c *CountingJOS) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range c.calls {
		n += k
	}
	return n
}

// testStation is a Station on the simulator, printing ZPL into a file.
// Station is a fulfill.Station on a simulator, its JOS calls counted.
type Station struct {
	*fulfill.Station
	Sim         *jostest.Running
	JOS         *CountingJOS
	Labels      string // the printer's output file ("" for another printer)
	JournalPath string
}

// Options shape a test station; the zero value is a ZPL file printer, no rate limit, the
// demo credentials.
type Options struct {
	Timeout  time.Duration // one JOS call; 0 → 2s
	Defaults map[printdata.OrderType]string
	Conc     int
	Journal  string          // "" → a new one; a postgres:// URL: that database
	Who      journal.Who     // the station and packer the journal records
	Printer  string          // "" → file: in a temp dir; "-" → none
	Open     printer.Printer // a printer already open: used instead of Printer
	Rate     float64         // JOS calls per second; 0 → no limit
	Token    string          // "" → the demo's
	// WrapJournal wraps the journal the station uses (e.g. to inject write errors); nil: as opened.
	WrapJournal func(journal.Store) journal.Store
}

// New starts a station on sim; it is closed when the test ends.
func New(t testing.TB, sim *jostest.Running, o Options) *Station {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Rate == 0 {
		o.Rate = -1
	}
	if o.Token == "" {
		o.Token = jostest.DemoAccessToken
	}
	client, err := jos.New(jos.Config{Endpoint: sim.URL, AppKey: jostest.DemoAppKey, AppSecret: jostest.DemoAppSecret,
		AccessToken: o.Token, Timeout: o.Timeout, RateLimit: o.Rate, Backoff: 5 * time.Millisecond, MaxRetries: 10})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if o.Journal == "" {
		o.Journal = filepath.Join(dir, "journal.db")
	}
	var j *sqljournal.DB
	if sqljournal.IsPostgresURL(o.Journal) {
		j, err = sqljournal.OpenPostgres(context.Background(), o.Journal, "")
	} else {
		j, err = sqljournal.OpenSQLite(context.Background(), o.Journal)
	}
	if err != nil {
		t.Fatal(err)
	}
	j.SetWho(o.Who)
	ts := &Station{Sim: sim, JOS: &CountingJOS{c: client, calls: map[string]int{}}, JournalPath: o.Journal}
	p := o.Open
	switch {
	case p != nil:
	case o.Printer == "-":
	case o.Printer == "":
		ts.Labels = filepath.Join(dir, "labels.zpl")
		o.Printer = "file:" + ts.Labels + "?lang=zpl"
		fallthrough
	default:
		if p, err = printer.Open(o.Printer); err != nil {
			t.Fatal(err)
		}
	}
	var store journal.Store = j
	if o.WrapJournal != nil {
		store = o.WrapJournal(j)
	}
	ts.Station, err = fulfill.NewStation(context.Background(), fulfill.StationConfig{Client: ts.JOS, Journal: store, Printer: p,
		Label: render.Options{Size: render.DefaultSize}, Defaults: o.Defaults, Concurrency: o.Conc, CallTimeout: 3 * time.Second,
		PrinterRetry: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	return ts
}

// ZPLName finds the job names (^FX) of ZPL labels.
var ZPLName = regexp.MustCompile(`\^FX ?([0-9A-Za-z_-]+)`)

// PrintedLabels lists the job names of the labels in the printer's file, in order.
func (ts *Station) PrintedLabels(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(ts.Labels)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ZPLName.FindAllSubmatch(b, -1) {
		names = append(names, string(m[1]))
	}
	return names
}

// Entry is the journal's entry of the order, which must be there.
func (ts *Station) Entry(t testing.TB, id string) journal.Entry {
	t.Helper()
	e, ok, err := ts.Journal().Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("journal entry %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

// Ledger is the simulator's record of the order, which must be there.
func Ledger(t testing.TB, sim *jostest.Running, id string) jostest.LedgerOrder {
	t.Helper()
	lo, ok := sim.Server.Ledger().Order(id)
	if !ok {
		t.Fatalf("order %s not in the ledger", id)
	}
	return lo
}

// Waiting returns n waiting orders of type typ.
func Waiting(t testing.TB, sim *jostest.Running, typ string, n int) []string {
	t.Helper()
	ids := sim.Server.OrderIDs(typ, printdata.StateWaitStockOut)
	if len(ids) < n {
		t.Fatalf("the simulator has %d waiting %s orders, want %d", len(ids), typ, n)
	}
	return ids[:n]
}

// CW is one carrier's part of a shipment.
func CW(id string, waybills ...string) journal.CarrierWaybills {
	return journal.CarrierWaybills{LogisticsID: id, Waybills: waybills}
}
