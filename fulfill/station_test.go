package fulfill

// Tests of the workflow layer (Station, Scanner) against the JOS simulator over real HTTP, with
// a real printer writing ZPL into a file, checked with the simulator's ledger, the journal and
// the labels in the file.

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

	"station/jos"
	"station/jos/jostest"
	"station/journal"
	"station/printdata"
	"station/printer"
	"station/render"
	"station/ship"
)

// countingJOS counts the calls by method on their way to the client.
type countingJOS struct {
	c     *jos.Client
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingJOS) Read(ctx context.Context, method string, params any, out any) error {
	c.count(method)
	return c.c.Read(ctx, method, params, out)
}

func (c *countingJOS) Write(ctx context.Context, method string, params any, out any) error {
	c.count(method)
	return c.c.Write(ctx, method, params, out)
}

func (c *countingJOS) count(method string) {
	c.mu.Lock()
	c.calls[method]++
	c.mu.Unlock()
}

// writes counts the outstorage and waybill update calls.
func (c *countingJOS) writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for m, k := range c.calls {
		if strings.Contains(m, "outstorage") || strings.Contains(m, "waybill.update") {
			n += k
		}
	}
	return n
}

func (c *countingJOS) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range c.calls {
		n += k
	}
	return n
}

// testStation is a Station on the simulator, printing ZPL into a file.
type testStation struct {
	*Station
	sim      *jostest.Running
	jos      *countingJOS
	labels   string // the printer's output file
	journal  string
	printerP printer.Printer
}

type stationOpts struct {
	timeout  time.Duration
	defaults map[printdata.OrderType]string
	conc     int
	journal  string          // "" → a new one
	printer  string          // "" → file: in a temp dir; "-" → none
	open     printer.Printer // a printer already open: used instead of printer
	rate     float64         // JOS calls per second; 0 → no limit
	token    string          // "" → the demo's
}

func newTestStation(t testing.TB, sim *jostest.Running, o stationOpts) *testStation {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 2 * time.Second
	}
	if o.rate == 0 {
		o.rate = -1
	}
	if o.token == "" {
		o.token = jostest.DemoAccessToken
	}
	client, err := jos.New(jos.Config{Endpoint: sim.URL, AppKey: jostest.DemoAppKey, AppSecret: jostest.DemoAppSecret,
		AccessToken: o.token, Timeout: o.timeout, RateLimit: o.rate, Backoff: 5 * time.Millisecond, MaxRetries: 10})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if o.journal == "" {
		o.journal = filepath.Join(dir, "journal.db")
	}
	j, err := journal.OpenSQLite(context.Background(), o.journal)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testStation{sim: sim, jos: &countingJOS{c: client, calls: map[string]int{}}, journal: o.journal}
	p := o.open
	switch {
	case p != nil:
	case o.printer == "-":
	case o.printer == "":
		ts.labels = filepath.Join(dir, "labels.zpl")
		o.printer = "file:" + ts.labels + "?lang=zpl"
		fallthrough
	default:
		if p, err = printer.Open(o.printer); err != nil {
			t.Fatal(err)
		}
	}
	ts.printerP = p
	ts.Station, err = NewStation(context.Background(), StationConfig{Client: ts.jos, Journal: j, Printer: p,
		Label: render.Options{Size: render.DefaultSize}, Defaults: o.defaults, Concurrency: o.conc, CallTimeout: 3 * time.Second,
		PrinterRetry: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	return ts
}

var zplName = regexp.MustCompile(`\^FX ?([0-9A-Za-z_-]+)`)

// printedLabels lists the job names of the labels in the printer's file, in order.
func (ts *testStation) printedLabels(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(ts.labels)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range zplName.FindAllSubmatch(b, -1) {
		names = append(names, string(m[1]))
	}
	return names
}

func (ts *testStation) entry(t testing.TB, id string) journal.Entry {
	t.Helper()
	e, ok, err := ts.journal_().Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("journal entry %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

func (ts *testStation) journal_() journal.Store { return ts.Station.Journal() }

func ledgerOrder(t testing.TB, sim *jostest.Running, id string) jostest.LedgerOrder {
	t.Helper()
	lo, ok := sim.Server.Ledger().Order(id)
	if !ok {
		t.Fatalf("order %s not in the ledger", id)
	}
	return lo
}

// waiting returns n waiting orders of type typ.
func waiting(t testing.TB, sim *jostest.Running, typ string, n int) []string {
	t.Helper()
	ids := sim.Server.OrderIDs(typ, printdata.StateWaitStockOut)
	if len(ids) < n {
		t.Fatalf("the simulator has %d waiting %s orders, want %d", len(ids), typ, n)
	}
	return ids[:n]
}

func TestNormalizeScan(t *testing.T) {
	tests := []struct {
		in   string
		want string
		kind ScanKind
	}{
		{"244991091318", "244991091318", ScanKindNumber},
		{"  244991091318 \r\n", "244991091318", ScanKindNumber},
		{"244991091318\t", "244991091318", ScanKindNumber},
		{"\x02244991091318\x03", "244991091318", ScanKindNumber},   // STX … ETX
		{"]C0244991091318", "244991091318", ScanKindNumber},        // AIM: Code 128
		{"]E0244991091318\r", "244991091318", ScanKindNumber},      // AIM: EAN
		{"]d2JDVA00012345678", "JDVA00012345678", ScanKindWaybill}, // AIM: Data Matrix, lower-case modifier
		{"*244991091318*", "244991091318", ScanKindNumber},         // Code 39 start/stop
		{"\ufeff２４４９９１０９１３１８", "244991091318", ScanKindNumber},     // BOM, full-width digits
		{"2449 9109 1318", "244991091318", ScanKindNumber},
		{"sf1234567890123", "SF1234567890123", ScanKindWaybill},
		{" Sf1234567890123\x1d", "SF1234567890123", ScanKindWaybill},
		{"ｊｄｖａ０００１２３４５６７８", "JDVA00012345678", ScanKindWaybill},
		{"731234567890", "731234567890", ScanKindNumber}, // a ZTO waybill is digits too: the context decides
		{"", "", ScanKindEmpty},
		{" \t\r\n\x02\x03", "", ScanKindEmpty},
		{"]C0", "", ScanKindEmpty},
		{"123456789012345678901", "123456789012345678901", ScanKindGarbage}, // too long for an order id
		{"hello world!", "HELLOWORLD!", ScanKindGarbage},
		{"订单123", "订单123", ScanKindGarbage},
		{"AB12", "AB12", ScanKindGarbage}, // too short for a waybill
		{"SF123|456", "SF123|456", ScanKindGarbage},
	}
	for _, tt := range tests {
		got, kind := NormalizeScan(tt.in)
		if got != tt.want || kind != tt.kind {
			t.Errorf("NormalizeScan(%q) = %q %v, want %q %v", tt.in, got, kind, tt.want, tt.kind)
		}
	}
}

// Each type's outstorage parameters through the scan path: LBP and SOPL with the type's
// default (0, with the package count), SOP with a self-delivery carrier, SOP with a given
// third-party carrier and its waybill scanned next (lower case, with scanner noise), SOP with
// the carrier detected from the waybill's shape (JD, SF and a numeric ZTO waybill).
func TestScanShipsEachType(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 120})
	ts := newTestStation(t, sim, stationOpts{})
	lbp, sopl, sop := waiting(t, sim, jostest.TypeLBP, 2), waiting(t, sim, jostest.TypeSOPL, 1), waiting(t, sim, jostest.TypeSOP, 6)

	type step struct {
		line   string
		status ScanStatus
	}
	tests := []struct {
		name  string
		opts  ScanOptions
		steps []step
		want  jostest.Shipment
		pages int
	}{
		{"LBP default 0, 2 packages", ScanOptions{Mode: ModePrintShip, Packages: 2},
			[]step{{lbp[0], ScanPrintedShipped}}, jostest.Shipment{LogisticsID: "0", PackageNum: 2}, 2},
		{"LBP ship only", ScanOptions{Mode: ModeShipOnly},
			[]step{{"]C0" + lbp[1] + "\r\n", ScanShipped}}, jostest.Shipment{LogisticsID: "0", PackageNum: 1}, 0},
		{"SOPL default 0", ScanOptions{Mode: ModePrintShip},
			[]step{{sopl[0], ScanPrintedShipped}}, jostest.Shipment{LogisticsID: "0", PackageNum: 1}, 1},
		{"SOP self delivery", ScanOptions{Mode: ModePrintShip, Logistics: "1274"},
			[]step{{sop[0], ScanPrintedShipped}}, jostest.Shipment{LogisticsID: "1274", PackageNum: 1}, 1},
		{"SOP SF given, waybill next", ScanOptions{Mode: ModePrintShip, Logistics: "467"},
			[]step{{sop[1], ScanNeedWaybill}, {"\x02sf1000000000011\x03\t", ScanPrintedShipped}},
			jostest.Shipment{LogisticsID: "467", Waybill: "SF1000000000011", PackageNum: 1}, 1},
		{"SOP detect JD", ScanOptions{Mode: ModePrintShip},
			[]step{{sop[2], ScanNeedWaybill}, {"]C0jdva00000000012", ScanPrintedShipped}},
			jostest.Shipment{LogisticsID: "336878", Waybill: "JDVA00000000012", PackageNum: 1}, 1},
		{"SOP detect SF", ScanOptions{Mode: ModePrintShip},
			[]step{{sop[3], ScanNeedWaybill}, {"SF1000000000013", ScanPrintedShipped}},
			jostest.Shipment{LogisticsID: "467", Waybill: "SF1000000000013", PackageNum: 1}, 1},
		{"SOP detect ZTO (digits)", ScanOptions{Mode: ModePrintShip},
			[]step{{sop[4], ScanNeedWaybill}, {"731000000014", ScanPrintedShipped}},
			jostest.Shipment{LogisticsID: "1499", Waybill: "731000000014", PackageNum: 1}, 1},
		{"SOP ship only, SF", ScanOptions{Mode: ModeShipOnly, Logistics: "467"},
			[]step{{sop[5], ScanNeedWaybill}, {"SF1000000000015", ScanShipped}},
			jostest.Shipment{LogisticsID: "467", Waybill: "SF1000000000015", PackageNum: 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(ts.printedLabels(t))
			sc := ts.NewScanner(tt.opts)
			var last ScanResult
			for _, s := range tt.steps {
				last = sc.Submit(ctx, s.line)
				if last.Status != s.status {
					t.Fatalf("Submit(%q) = %v (%v), want %v", s.line, last.Status, last.Err, s.status)
				}
			}
			if _, ok := sc.Awaiting(); ok {
				t.Error("still awaiting a waybill after shipping")
			}
			id := last.OrderID
			lo := ledgerOrder(t, sim, id)
			if lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 || len(lo.Shipments) != 1 || lo.Shipments[0] != tt.want {
				t.Errorf("ledger %+v, want one shipment %+v", lo, tt.want)
			}
			e := ts.entry(t, id)
			if e.State != journal.StateShipped || (tt.pages > 0) != (e.Prints == 1) || (tt.pages > 0 && e.Pages != tt.pages) {
				t.Errorf("journal %+v", e)
			}
			if got := len(ts.printedLabels(t)) - before; got != tt.pages {
				t.Errorf("%d labels came out, want %d", got, tt.pages)
			}
			if tt.pages > 0 && (last.Type == "" || (last.Type != printdata.SOP && last.SortingCode == "")) {
				t.Errorf("result lacks the label's facts: %+v", last)
			}
		})
	}
}

// Bad scans are refused and do nothing: no JOS write, no print, no journal entry; a scan the
// scanner awaits a waybill for keeps waiting through them.
func TestScanRejectsNoise(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := newTestStation(t, sim, stationOpts{})
	sops := waiting(t, sim, jostest.TypeSOP, 2)
	sc := ts.NewScanner(ScanOptions{Mode: ModePrintShip, Logistics: "467"})

	for _, tt := range []struct {
		line    string
		problem ScanProblem
	}{
		{"", ScanEmpty},
		{"\x02\x03\r\n", ScanEmpty},
		{"SF1000000000021", ScanWaybillFirst},
		{"jdva00000000021", ScanWaybillFirst},
		{"hello?", ScanGarbage},
		{"1234567890123456789012", ScanGarbage},
	} {
		r := sc.Submit(ctx, tt.line)
		var se *ScanError
		if r.Status != ScanRejected || !errors.As(r.Err, &se) || se.Problem != tt.problem {
			t.Errorf("Submit(%q) = %v %v, want rejected %v", tt.line, r.Status, r.Err, tt.problem)
		}
	}
	var se *ScanError
	if r := sc.Submit(ctx, "SF1000000000021"); !errors.As(r.Err, &se) || len(se.Candidates) == 0 || se.Candidates[0].Name != "顺丰速运" {
		t.Errorf("a waybill first: %v", r.Err)
	}
	if n := ts.jos.writes(); n != 0 {
		t.Errorf("%d writes after bad scans", n)
	}
	if got := ts.printedLabels(t); len(got) != 0 {
		t.Errorf("labels printed after bad scans: %v", got)
	}
	if recent, _ := ts.journal_().Recent(ctx, 10); len(recent) != 0 {
		t.Errorf("journal entries after bad scans: %+v", recent)
	}

	// Awaiting the SF waybill of sops[0]: noise, the order again, another order, a waybill of
	// another carrier are refused and the order keeps waiting.
	if r := sc.Submit(ctx, sops[0]); r.Status != ScanNeedWaybill {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	for _, tt := range []struct {
		line    string
		problem ScanProblem
	}{
		{" ", ScanEmpty},
		{sops[0], ScanSameOrder},
		{"JDVA00000000022", ScanWaybillShape},
		{"SF12", ScanGarbage},
		{sops[1], ScanOrderNotWaybill}, // another order: said so, whatever the carrier's shape
	} {
		r := sc.Submit(ctx, tt.line)
		var se *ScanError
		if r.Status != ScanRejected || !errors.As(r.Err, &se) || se.Problem != tt.problem {
			t.Errorf("awaiting, Submit(%q) = %v %v, want rejected %v", tt.line, r.Status, r.Err, tt.problem)
		}
		if id, ok := sc.Awaiting(); !ok || id != sops[0] {
			t.Fatalf("no longer awaiting %s after %q", sops[0], tt.line)
		}
	}
	// With detection (no carrier chosen), another order's id — 12 digits starting with 2, the
	// shape of a ZTO waybill — is recognised as an order, not taken as a waybill.
	sc.SetOptions(ScanOptions{Mode: ModePrintShip})
	if len(sops[1]) == 12 && sops[1][0] == '2' {
		r := sc.Submit(ctx, sops[1])
		var se *ScanError
		if r.Status != ScanRejected || !errors.As(r.Err, &se) || se.Problem != ScanOrderNotWaybill {
			t.Errorf("another order while awaiting: %v %v", r.Status, r.Err)
		}
	} else {
		t.Logf("order ids are %d digits: the ZTO overlap is not exercised", len(sops[1]))
	}
	if n := ts.jos.writes(); n != 0 {
		t.Errorf("%d writes after bad waybill scans", n)
	}
	// Cancel leaves it printed, not shipped; scanning it again asks for the waybill without
	// reprinting.
	sc.Cancel()
	if _, ok := sc.Awaiting(); ok {
		t.Fatal("still awaiting after Cancel")
	}
	if e := ts.entry(t, sops[0]); e.State != journal.StatePrinted || e.Prints != 1 {
		t.Errorf("after cancel: %+v", e)
	}
	sc.SetOptions(ScanOptions{Mode: ModePrintShip, Logistics: "467"})
	if r := sc.Submit(ctx, sops[0]); r.Status != ScanNeedWaybill || r.Label != nil {
		t.Errorf("scanned again: %v %v (label %v)", r.Status, r.Err, r.Label != nil)
	}
	if r := sc.Submit(ctx, "SF1000000000023"); r.Status != ScanShipped {
		t.Errorf("waybill: %v %v", r.Status, r.Err)
	}
	if got := ts.printedLabels(t); len(got) != 1 {
		t.Errorf("labels: %v", got)
	}
}

// An order scanned again says what was done and when, and does nothing unless asked to
// reprint; a reprint never ships again.
func TestScanAlreadyDone(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := newTestStation(t, sim, stationOpts{})
	ids := waiting(t, sim, jostest.TypeLBP, 2)
	sc := ts.NewScanner(ScanOptions{Mode: ModePrintShip})
	if r := sc.Submit(ctx, ids[0]); r.Status != ScanPrintedShipped {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	r := sc.Submit(ctx, ids[0])
	if r.Status != ScanAlreadyDone || r.Note != NoteAlreadyDone || r.PrintedAt.IsZero() || r.ShippedAt.IsZero() {
		t.Errorf("again: %+v", r)
	}
	writes := ts.jos.writes()
	sc.SetOptions(ScanOptions{Mode: ModePrintShip, Reprint: true})
	if r := sc.Submit(ctx, ids[0]); r.Status != ScanPrinted || r.Note != NoteReprintedShipped {
		t.Errorf("reprint: %v %v %v", r.Status, r.Err, r.Note)
	}
	if ts.jos.writes() != writes {
		t.Error("a reprint sent a write")
	}
	if got := ts.printedLabels(t); len(got) != 2 || got[0] != ids[0] || got[1] != ids[0] {
		t.Errorf("labels %v", got)
	}
	if lo := ledgerOrder(t, sim, ids[0]); lo.OutstorageAttempts != 1 {
		t.Errorf("ledger %+v", lo)
	}

	// Printed only (mode print), then scanned in print+ship: shipped without reprinting.
	sc.SetOptions(ScanOptions{Mode: ModePrint})
	if r := sc.Submit(ctx, ids[1]); r.Status != ScanPrinted {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if r := sc.Submit(ctx, ids[1]); r.Status != ScanAlreadyDone || r.PrintedAt.IsZero() || !r.ShippedAt.IsZero() {
		t.Errorf("printed again: %+v", r)
	}
	sc.SetOptions(ScanOptions{Mode: ModePrintShip})
	if r := sc.Submit(ctx, ids[1]); r.Status != ScanShipped {
		t.Errorf("resume: %v %v", r.Status, r.Err)
	}
	if got := ts.printedLabels(t); len(got) != 3 {
		t.Errorf("labels %v", got)
	}
	if e := ts.entry(t, ids[1]); e.State != journal.StateShipped || e.Prints != 1 {
		t.Errorf("journal %+v", e)
	}
}

// A print that stopped half-way (the station crashed mid-label) is reported and not repeated
// silently; nothing is shipped until a reprint settles it.
func TestScanUnknownPrint(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := newTestStation(t, sim, stationOpts{})
	id := waiting(t, sim, jostest.TypeLBP, 1)[0]
	if _, err := ts.journal_().BeginPrint(ctx, journal.PrintJob{OrderID: id, Type: printdata.LBP, Pages: 1, Target: journal.PrinterTarget("usb:auto")}); err != nil {
		t.Fatal(err)
	}
	sc := ts.NewScanner(ScanOptions{Mode: ModePrintShip})
	r := sc.Submit(ctx, id)
	if r.Status != ScanFailed || !errors.Is(r.Err, ErrPrintUnknown) {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if ts.jos.writes() != 0 || len(ts.printedLabels(t)) != 0 {
		t.Fatal("something was done")
	}
	sc.SetOptions(ScanOptions{Mode: ModePrintShip, Reprint: true})
	if r := sc.Submit(ctx, id); r.Status != ScanPrintedShipped {
		t.Fatalf("reprint: %v %v", r.Status, r.Err)
	}
	if lo := ledgerOrder(t, sim, id); lo.OutstorageAccepted != 1 {
		t.Errorf("ledger %+v", lo)
	}
}

// Locked and cancelled orders fail plainly: no label, no shipment.
func TestScanNotShippable(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	ts := newTestStation(t, sim, stationOpts{})
	for _, state := range []string{printdata.StateLocked, printdata.StateCanceled} {
		ids := sim.Server.OrderIDs("", state)
		if len(ids) == 0 {
			t.Fatalf("no %s order", state)
		}
		for _, mode := range []Mode{ModePrintShip, ModeShipOnly} {
			r := ts.NewScanner(ScanOptions{Mode: mode, Logistics: "1274"}).Submit(ctx, ids[0])
			if r.Status != ScanFailed || !errors.Is(r.Err, printdata.ErrNotShippable) {
				t.Errorf("%s %v: %v %v", state, mode, r.Status, r.Err)
			}
			var ne *printdata.NotShippableError
			if !errors.As(r.Err, &ne) || ne.State != state {
				t.Errorf("%s: %v does not carry the state", state, r.Err)
			}
		}
	}
	if ts.jos.writes() != 0 || len(ts.printedLabels(t)) != 0 {
		t.Error("something was done")
	}
}

// Every validation error through Station.Ship and UpdateWaybill makes no call at all.
func TestStationShipValidation(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := newTestStation(t, sim, stationOpts{printer: "-"})
	sop, lbp := waiting(t, sim, jostest.TypeSOP, 1)[0], waiting(t, sim, jostest.TypeLBP, 1)[0]
	if _, err := ts.Carriers(ctx); err != nil { // the carrier list is read once, ahead
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sh   ship.Shipment
		kind ship.InvalidKind
	}{
		{"bad order id", ship.Shipment{OrderID: "12ab", Type: printdata.SOP, Carriers: []journal.CarrierWaybills{cw("467", "SF1000000000031")}}, ship.InvalidOrderID},
		{"no carrier", ship.Shipment{OrderID: sop, Type: printdata.SOP}, ship.InvalidNoCarrier},
		{"unknown carrier", sop0(sop, cw("2100", "YT1234567890123")), ship.InvalidUnknownCarrier},
		{"SOP to JD", sop0(sop, cw("0")), ship.InvalidDeliverToJD},
		{"SF without waybill", sop0(sop, cw("467")), ship.InvalidMissingWaybill},
		{"SF with a JD waybill", sop0(sop, cw("467", "JDVA00000000031")), ship.InvalidWaybill},
		{"waybill twice", ship.Shipment{OrderID: sop, Type: printdata.SOP, Packages: 2, Carriers: []journal.CarrierWaybills{cw("467", "SF1000000000031", "SF1000000000031")}}, ship.InvalidDuplicateWaybill},
		{"more waybills than packages", ship.Shipment{OrderID: sop, Type: printdata.SOP, Packages: 1, Carriers: []journal.CarrierWaybills{cw("467", "SF1000000000031", "SF1000000000032")}}, ship.InvalidWaybillCount},
		{"LBP two carriers", ship.Shipment{OrderID: lbp, Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("0"), cw("467", "SF1000000000033")}}, ship.InvalidTooManyCarriers},
		{"LBP 0 with waybill", ship.Shipment{OrderID: lbp, Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("0", "SF1000000000034")}}, ship.InvalidWaybillNotAllowed},
		{"packages", ship.Shipment{OrderID: lbp, Type: printdata.LBP, Packages: 1000, Carriers: []journal.CarrierWaybills{cw("0")}}, ship.InvalidPackages},
		{"address on SOP", ship.Shipment{OrderID: sop, Type: printdata.SOP, AddressID: 5, Carriers: []journal.CarrierWaybills{cw("1274")}}, ship.InvalidAddress},
	}
	for _, tt := range tests {
		calls := ts.jos.total()
		_, err := ts.Ship(ctx, tt.sh)
		if ship.InvalidKindOf(err) != tt.kind {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
		if ts.jos.total() != calls {
			t.Errorf("%s: %d calls", tt.name, ts.jos.total()-calls)
		}
	}
	if _, err := ts.UpdateWaybill(ctx, sop0(sop, cw("467", "JDVA00000000035"))); ship.InvalidKindOf(err) != ship.InvalidWaybill {
		t.Errorf("update: %v", err)
	}
	if ts.jos.writes() != 0 {
		t.Errorf("%d writes", ts.jos.writes())
	}
	// With the type left out, it is learnt from JD; a locked order is refused without a write.
	res, err := ts.Ship(ctx, ship.Shipment{OrderID: lbp, Carriers: []journal.CarrierWaybills{cw("0")}, Packages: 3})
	if err != nil || res.State != journal.StateShipped {
		t.Fatalf("%+v %v", res, err)
	}
	if lo := ledgerOrder(t, sim, lbp); lo.Shipments[0] != (jostest.Shipment{LogisticsID: "0", PackageNum: 3}) {
		t.Errorf("ledger %+v", lo)
	}
	locked := sim.Server.OrderIDs("", printdata.StateLocked)[0]
	if _, err := ts.Ship(ctx, ship.Shipment{OrderID: locked, Carriers: []journal.CarrierWaybills{cw("1274")}}); !errors.Is(err, printdata.ErrNotShippable) {
		t.Errorf("locked: %v", err)
	}
	if ts.jos.writes() != 1 {
		t.Errorf("%d writes, want 1", ts.jos.writes())
	}
	// The waybill correction of the shipped SOP… and the history.
	if _, err := ts.Ship(ctx, sop0(sop, cw("467", "SF1000000000036"))); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.UpdateWaybill(ctx, ship.Shipment{OrderID: sop, Carriers: []journal.CarrierWaybills{cw("1499", "731000000036")}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{sop, "731000000036", " 731000000036 "} {
		h, err := ts.History(ctx, q, 10)
		if err != nil || len(h) != 1 || h[0].OrderID != sop || h[0].Waybills()[0] != "731000000036" {
			t.Errorf("History(%q) = %+v %v", q, h, err)
		}
	}
	if h, _ := ts.History(ctx, "", 10); len(h) != 2 {
		t.Errorf("recent: %d entries", len(h))
	}
	if c, err := ts.TodayCounts(ctx); err != nil || c.Shipped != 2 {
		t.Errorf("counts %+v %v", c, err)
	}
}

func sop0(id string, c journal.CarrierWaybills) ship.Shipment {
	return ship.Shipment{OrderID: id, Type: printdata.SOP, Carriers: []journal.CarrierWaybills{c}}
}

// scriptPrinter fails its next prints as told, and counts the labels it took.
type scriptPrinter struct {
	mu    sync.Mutex
	fails []error
	jobs  []string
}

func (p *scriptPrinter) Print(ctx context.Context, job printer.Job) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.fails) > 0 {
		err := p.fails[0]
		p.fails = p.fails[1:]
		if err != nil {
			return err
		}
	}
	if _, err := job.Raster(203); err != nil {
		return err
	}
	p.jobs = append(p.jobs, job.Name)
	return nil
}

func (p *scriptPrinter) Status(ctx context.Context) (printer.Status, error) {
	return printer.Status{}, nil
}
func (p *scriptPrinter) Close() error { return nil }
func (p *scriptPrinter) Spec() string { return "script:" }

// A printer failure with nothing sent may be printed again; one that sent part of the label
// (or some labels of several) is unknown: not printed again until a reprint, never shipped.
func TestScanPrinterFailures(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := newTestStation(t, sim, stationOpts{printer: "-"})
	sp := &scriptPrinter{}
	ts.SetPrinter(sp)
	ids := waiting(t, sim, jostest.TypeLBP, 3)
	sc := ts.NewScanner(ScanOptions{Mode: ModePrintShip})

	// Paper out, nothing sent: the label is held and goes out once there is paper; the journal
	// has the attempt that printed nothing and the one that printed.
	var away []error
	sc.SetOptions(ScanOptions{Mode: ModePrintShip, OnPrinterAway: func(err error) { away = append(away, err) }})
	sp.fails = []error{&printer.Error{Op: "print", Kind: printer.KindPaperOut, Sent: printer.SentNone},
		&printer.Error{Op: "print", Kind: printer.KindPaperOut, Sent: printer.SentNone}}
	r := sc.Submit(ctx, ids[0])
	if r.Status != ScanPrintedShipped || len(away) != 2 || printer.KindOf(away[0]) != printer.KindPaperOut {
		t.Fatalf("%v %v; held for %v", r.Status, r.Err, away)
	}
	if ps, _ := ts.journal_().Prints(ctx, ids[0]); len(ps) != 3 || ps[0].Outcome != journal.PrintFailed || ps[2].Outcome != journal.PrintDone {
		t.Errorf("prints %+v", ps)
	}
	sc.SetOptions(ScanOptions{Mode: ModePrintShip})

	// The cable pulled mid-label: unknown, said so, not shipped, not printed again.
	sp.fails = []error{&printer.Error{Op: "print", Kind: printer.KindDropped, Sent: printer.SentPartial, Bytes: 10, Total: 100}}
	r = sc.Submit(ctx, ids[1])
	if r.Status != ScanFailed || !errors.Is(r.Err, ErrPrintUnknown) {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if e := ts.entry(t, ids[1]); e.State != journal.StatePrinting || !strings.Contains(e.Reason, "middle of the label") {
		t.Errorf("journal %+v", e)
	}
	if r := sc.Submit(ctx, ids[1]); r.Status != ScanFailed || !errors.Is(r.Err, ErrPrintUnknown) {
		t.Errorf("again: %v %v", r.Status, r.Err)
	}
	// Two parcels, the second label fails with nothing sent: the first came out, so unknown too.
	sc.SetOptions(ScanOptions{Mode: ModePrintShip, Packages: 2})
	sp.fails = []error{nil, &printer.Error{Op: "print", Kind: printer.KindPaperOut, Sent: printer.SentNone}}
	if r := sc.Submit(ctx, ids[2]); r.Status != ScanFailed || !errors.Is(r.Err, ErrPrintUnknown) {
		t.Errorf("second label: %v %v", r.Status, r.Err)
	}
	if lo := ledgerOrder(t, sim, ids[1]); lo.OutstorageAttempts != 0 {
		t.Error("an unknown print was shipped")
	}
	// The packer looked: reprint, then it ships.
	sc.SetOptions(ScanOptions{Mode: ModePrintShip, Reprint: true})
	if r := sc.Submit(ctx, ids[1]); r.Status != ScanPrintedShipped {
		t.Errorf("reprint: %v %v", r.Status, r.Err)
	}
	if got := strings.Join(sp.jobs, " "); got != ids[0]+" "+ids[2]+"-1of2 "+ids[1] {
		t.Errorf("labels %s", got)
	}
}
