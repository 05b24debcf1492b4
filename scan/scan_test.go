package scan

import (
	"context"
	"errors"
	"station/fulfill"
	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/journaltest"
	"station/printdata"
	"station/printer"
	"station/printer/printertest"
	"station/ship"
	"strings"
	"sync"
	"testing"
)

// Tests of the scan line on a Station on the JOS simulator over real HTTP, with a real printer
// writing ZPL into a file, checked with the simulator's ledger, the journal and the labels.

func TestNormalizeScan(t *testing.T) {
	tests := []struct {
		in   string
		want string
		kind Kind
	}{
		{"244991091318", "244991091318", KindNumber},
		{"  244991091318 \r\n", "244991091318", KindNumber},
		{"244991091318\t", "244991091318", KindNumber},
		{"\x02244991091318\x03", "244991091318", KindNumber},   // STX … ETX
		{"]C0244991091318", "244991091318", KindNumber},        // AIM: Code 128
		{"]E0244991091318\r", "244991091318", KindNumber},      // AIM: EAN
		{"]d2JDVA00012345678", "JDVA00012345678", KindWaybill}, // AIM: Data Matrix, lower-case modifier
		{"*244991091318*", "244991091318", KindNumber},         // Code 39 start/stop
		{"\ufeff２４４９９１０９１３１８", "244991091318", KindNumber},     // BOM, full-width digits
		{"2449 9109 1318", "244991091318", KindNumber},
		{"sf1234567890123", "SF1234567890123", KindWaybill},
		{" Sf1234567890123\x1d", "SF1234567890123", KindWaybill},
		{"ｊｄｖａ０００１２３４５６７８", "JDVA00012345678", KindWaybill},
		{"731234567890", "731234567890", KindNumber}, // a ZTO waybill is digits too: the context decides
		{"", "", KindEmpty},
		{" \t\r\n\x02\x03", "", KindEmpty},
		{"]C0", "", KindEmpty},
		{"123456789012345678901", "123456789012345678901", KindGarbage}, // too long for an order id
		{"hello world!", "HELLOWORLD!", KindGarbage},
		{"订单123", "订单123", KindGarbage},
		{"AB12", "AB12", KindGarbage}, // too short for a waybill
		{"SF123|456", "SF123|456", KindGarbage},
	}
	for _, tt := range tests {
		got, kind := Normalize(tt.in)
		if got != tt.want || kind != tt.kind {
			t.Errorf("Normalize(%q) = %q %v, want %q %v", tt.in, got, kind, tt.want, tt.kind)
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
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	lbp, sopl, sop := fulfilltest.Waiting(t, sim, shop.TypeLBP, 2), fulfilltest.Waiting(t, sim, shop.TypeSOPL, 1), fulfilltest.Waiting(t, sim, shop.TypeSOP, 6)

	type step struct {
		line   string
		status Status
	}
	tests := []struct {
		name  string
		opts  Options
		steps []step
		want  shop.Shipment
		pages int
	}{
		{"LBP default 0, 2 packages", Options{Mode: ModePrintShip, Packages: 2},
			[]step{{lbp[0], PrintedShipped}}, shop.Shipment{LogisticsID: "0", PackageNum: 2}, 2},
		{"LBP ship only", Options{Mode: ModeShipOnly},
			[]step{{"]C0" + lbp[1] + "\r\n", Shipped}}, shop.Shipment{LogisticsID: "0", PackageNum: 1}, 0},
		{"SOPL default 0", Options{Mode: ModePrintShip},
			[]step{{sopl[0], PrintedShipped}}, shop.Shipment{LogisticsID: "0", PackageNum: 1}, 1},
		{"SOP self delivery", Options{Mode: ModePrintShip, Logistics: "1274"},
			[]step{{sop[0], PrintedShipped}}, shop.Shipment{LogisticsID: "1274", PackageNum: 1}, 1},
		{"SOP SF given, waybill next", Options{Mode: ModePrintShip, Logistics: "467"},
			[]step{{sop[1], NeedWaybill}, {"\x02sf1000000000011\x03\t", PrintedShipped}},
			shop.Shipment{LogisticsID: "467", Waybill: "SF1000000000011", PackageNum: 1}, 1},
		{"SOP detect JD", Options{Mode: ModePrintShip},
			[]step{{sop[2], NeedWaybill}, {"]C0jdva00000000012", PrintedShipped}},
			shop.Shipment{LogisticsID: "336878", Waybill: "JDVA00000000012", PackageNum: 1}, 1},
		{"SOP detect SF", Options{Mode: ModePrintShip},
			[]step{{sop[3], NeedWaybill}, {"SF1000000000013", PrintedShipped}},
			shop.Shipment{LogisticsID: "467", Waybill: "SF1000000000013", PackageNum: 1}, 1},
		{"SOP detect ZTO (digits)", Options{Mode: ModePrintShip},
			[]step{{sop[4], NeedWaybill}, {"731000000014", PrintedShipped}},
			shop.Shipment{LogisticsID: "1499", Waybill: "731000000014", PackageNum: 1}, 1},
		{"SOP ship only, SF", Options{Mode: ModeShipOnly, Logistics: "467"},
			[]step{{sop[5], NeedWaybill}, {"SF1000000000015", Shipped}},
			shop.Shipment{LogisticsID: "467", Waybill: "SF1000000000015", PackageNum: 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(ts.PrintedLabels(t))
			sc := New(ts.Station, tt.opts)
			var last Result
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
			lo := fulfilltest.Ledger(t, sim, id)
			if lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 || len(lo.Shipments) != 1 || lo.Shipments[0] != tt.want {
				t.Errorf("ledger %+v, want one shipment %+v", lo, tt.want)
			}
			e := ts.Entry(t, id)
			if e.State != journal.StateShipped || (tt.pages > 0) != (e.Prints == 1) || (tt.pages > 0 && e.Pages != tt.pages) {
				t.Errorf("journal %+v", e)
			}
			if got := len(ts.PrintedLabels(t)) - before; got != tt.pages {
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
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	sops := fulfilltest.Waiting(t, sim, shop.TypeSOP, 2)
	sc := New(ts.Station, Options{Mode: ModePrintShip, Logistics: "467"})

	for _, tt := range []struct {
		line    string
		problem Problem
	}{
		{"", Empty},
		{"\x02\x03\r\n", Empty},
		{"SF1000000000021", WaybillFirst},
		{"jdva00000000021", WaybillFirst},
		{"hello?", Garbage},
		{"1234567890123456789012", Garbage},
	} {
		r := sc.Submit(ctx, tt.line)
		var se *Error
		if r.Status != Rejected || !errors.As(r.Err, &se) || se.Problem != tt.problem {
			t.Errorf("Submit(%q) = %v %v, want rejected %v", tt.line, r.Status, r.Err, tt.problem)
		}
	}
	var se *Error
	if r := sc.Submit(ctx, "SF1000000000021"); !errors.As(r.Err, &se) || len(se.Candidates) == 0 || se.Candidates[0].Name != "顺丰速运" {
		t.Errorf("a waybill first: %v", r.Err)
	}
	if n := ts.JOS.Writes(); n != 0 {
		t.Errorf("%d writes after bad scans", n)
	}
	if got := ts.PrintedLabels(t); len(got) != 0 {
		t.Errorf("labels printed after bad scans: %v", got)
	}
	if recent, _ := ts.Journal().Recent(ctx, 10); len(recent) != 0 {
		t.Errorf("journal entries after bad scans: %+v", recent)
	}

	// Awaiting the SF waybill of sops[0]: noise, the order again, another order, a waybill of
	// another carrier are refused and the order keeps waiting.
	if r := sc.Submit(ctx, sops[0]); r.Status != NeedWaybill {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	for _, tt := range []struct {
		line    string
		problem Problem
	}{
		{" ", Empty},
		{sops[0], SameOrder},
		{"JDVA00000000022", WaybillShape},
		{"SF12", Garbage},
	} {
		r := sc.Submit(ctx, tt.line)
		var se *Error
		if r.Status != Rejected || !errors.As(r.Err, &se) || se.Problem != tt.problem {
			t.Errorf("awaiting, Submit(%q) = %v %v, want rejected %v", tt.line, r.Status, r.Err, tt.problem)
		}
		if id, ok := sc.Awaiting(); !ok || id != sops[0] {
			t.Fatalf("no longer awaiting %s after %q", sops[0], tt.line)
		}
	}
	if n := ts.JOS.Writes(); n != 0 {
		t.Errorf("%d writes after bad waybill scans", n)
	}
	// With detection (no carrier chosen), another order's id — 12 digits starting with 2, the
	// shape of a ZTO waybill — is recognised as an order, not taken as a waybill: the waiting
	// order is put aside (printed, not shipped) and the new one goes on.
	sc.SetOptions(Options{Mode: ModePrintShip})
	r := sc.Submit(ctx, sops[1])
	if r.OrderID != sops[1] || r.Status != NeedWaybill || r.SetAside == nil || r.SetAside.OrderID != sops[0] ||
		r.SetAside.Note != NoteSetAside || r.SetAside.Status.OK() {
		t.Fatalf("another order while awaiting: %+v", r)
	}
	if id, _ := sc.Awaiting(); id != sops[1] {
		t.Fatalf("awaiting %s, want the new order %s", id, sops[1])
	}
	if n := ts.JOS.Writes(); n != 0 {
		t.Errorf("%d writes after setting an order aside", n)
	}
	// Cancel leaves it printed, not shipped; scanning it again asks for the waybill without
	// reprinting.
	sc.Cancel()
	if _, ok := sc.Awaiting(); ok {
		t.Fatal("still awaiting after Cancel")
	}
	if e := ts.Entry(t, sops[0]); e.State != journal.StatePrinted || e.Prints != 1 {
		t.Errorf("after cancel: %+v", e)
	}
	sc.SetOptions(Options{Mode: ModePrintShip, Logistics: "467"})
	if r := sc.Submit(ctx, sops[0]); r.Status != NeedWaybill || r.Label != nil {
		t.Errorf("scanned again: %v %v (label %v)", r.Status, r.Err, r.Label != nil)
	}
	if r := sc.Submit(ctx, "SF1000000000023"); r.Status != Shipped {
		t.Errorf("waybill: %v %v", r.Status, r.Err)
	}
	if got := ts.PrintedLabels(t); len(got) != 2 {
		t.Errorf("labels: %v", got)
	}
}

// An order scanned again says what was done and when, and does nothing unless asked to
// reprint; a reprint never ships again.
func TestScanAlreadyDone(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 2)
	sc := New(ts.Station, Options{Mode: ModePrintShip})
	if r := sc.Submit(ctx, ids[0]); r.Status != PrintedShipped {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	r := sc.Submit(ctx, ids[0])
	if r.Status != AlreadyDone || r.Note != NoteAlreadyDone || r.PrintedAt.IsZero() || r.ShippedAt.IsZero() {
		t.Errorf("again: %+v", r)
	}
	writes := ts.JOS.Writes()
	sc.SetOptions(Options{Mode: ModePrintShip, Reprint: true})
	if r := sc.Submit(ctx, ids[0]); r.Status != Printed || r.Note != NoteReprintedShipped {
		t.Errorf("reprint: %v %v %v", r.Status, r.Err, r.Note)
	}
	if ts.JOS.Writes() != writes {
		t.Error("a reprint sent a write")
	}
	if got := ts.PrintedLabels(t); len(got) != 2 || got[0] != ids[0] || got[1] != ids[0] {
		t.Errorf("labels %v", got)
	}
	if lo := fulfilltest.Ledger(t, sim, ids[0]); lo.OutstorageAttempts != 1 {
		t.Errorf("ledger %+v", lo)
	}

	// Printed only (mode print), then scanned in print+ship: shipped without reprinting.
	sc.SetOptions(Options{Mode: ModePrint})
	if r := sc.Submit(ctx, ids[1]); r.Status != Printed {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if r := sc.Submit(ctx, ids[1]); r.Status != AlreadyDone || r.PrintedAt.IsZero() || !r.ShippedAt.IsZero() {
		t.Errorf("printed again: %+v", r)
	}
	sc.SetOptions(Options{Mode: ModePrintShip})
	if r := sc.Submit(ctx, ids[1]); r.Status != Shipped {
		t.Errorf("resume: %v %v", r.Status, r.Err)
	}
	if got := ts.PrintedLabels(t); len(got) != 3 {
		t.Errorf("labels %v", got)
	}
	if e := ts.Entry(t, ids[1]); e.State != journal.StateShipped || e.Prints != 1 {
		t.Errorf("journal %+v", e)
	}
}

// A print that stopped half-way (the station crashed mid-label) is reported and not repeated
// silently; nothing is shipped until a reprint settles it.
func TestScanUnknownPrint(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	id := fulfilltest.Waiting(t, sim, shop.TypeLBP, 1)[0]
	if _, err := ts.Journal().BeginPrint(ctx, journal.PrintJob{OrderID: id, Type: printdata.LBP, Pages: 1, Target: journal.PrinterTarget("usb:auto"), PID: journaltest.StoppedPID}); err != nil {
		t.Fatal(err)
	}
	sc := New(ts.Station, Options{Mode: ModePrintShip})
	r := sc.Submit(ctx, id)
	if r.Status != Failed || !errors.Is(r.Err, fulfill.ErrPrintUnknown) {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if ts.JOS.Writes() != 0 || len(ts.PrintedLabels(t)) != 0 {
		t.Fatal("something was done")
	}
	sc.SetOptions(Options{Mode: ModePrintShip, Reprint: true})
	if r := sc.Submit(ctx, id); r.Status != PrintedShipped {
		t.Fatalf("reprint: %v %v", r.Status, r.Err)
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAccepted != 1 {
		t.Errorf("ledger %+v", lo)
	}
}

// Locked and cancelled orders fail plainly: no label, no shipment.
func TestScanNotShippable(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	for _, state := range []string{printdata.StateLocked, printdata.StateCanceled} {
		ids := sim.Server.OrderIDs("", state)
		if len(ids) == 0 {
			t.Fatalf("no %s order", state)
		}
		for _, mode := range []Mode{ModePrintShip, ModeShipOnly} {
			r := New(ts.Station, Options{Mode: mode, Logistics: "1274"}).Submit(ctx, ids[0])
			if r.Status != Failed || !errors.Is(r.Err, printdata.ErrNotShippable) {
				t.Errorf("%s %v: %v %v", state, mode, r.Status, r.Err)
			}
			var ne *printdata.NotShippableError
			if !errors.As(r.Err, &ne) || ne.State != state {
				t.Errorf("%s: %v does not carry the state", state, r.Err)
			}
		}
	}
	if ts.JOS.Writes() != 0 || len(ts.PrintedLabels(t)) != 0 {
		t.Error("something was done")
	}
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
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	sp := &scriptPrinter{}
	ts.SetPrinter(sp)
	ids := fulfilltest.Waiting(t, sim, shop.TypeLBP, 3)
	sc := New(ts.Station, Options{Mode: ModePrintShip})

	// Paper out, nothing sent: the label is held and goes out once there is paper; the journal
	// has the attempt that printed nothing and the one that printed.
	var away []error
	sc.SetOptions(Options{Mode: ModePrintShip, OnPrinterAway: func(err error) { away = append(away, err) }})
	sp.fails = []error{&printer.Error{Op: "print", Kind: printer.KindPaperOut, Sent: printer.SentNone},
		&printer.Error{Op: "print", Kind: printer.KindPaperOut, Sent: printer.SentNone}}
	r := sc.Submit(ctx, ids[0])
	if r.Status != PrintedShipped || len(away) != 2 || printer.KindOf(away[0]) != printer.KindPaperOut {
		t.Fatalf("%v %v; held for %v", r.Status, r.Err, away)
	}
	if ps, _ := ts.Journal().Prints(ctx, ids[0]); len(ps) != 3 || ps[0].Outcome != journal.PrintFailed || ps[2].Outcome != journal.PrintDone {
		t.Errorf("prints %+v", ps)
	}
	sc.SetOptions(Options{Mode: ModePrintShip})

	// The cable pulled mid-label: unknown, said so, not shipped, not printed again.
	sp.fails = []error{&printer.Error{Op: "print", Kind: printer.KindDropped, Sent: printer.SentPartial, Bytes: 10, Total: 100}}
	r = sc.Submit(ctx, ids[1])
	if r.Status != Failed || !errors.Is(r.Err, fulfill.ErrPrintUnknown) {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if e := ts.Entry(t, ids[1]); e.State != journal.StatePrinting || !strings.Contains(e.Reason, "middle of the label") {
		t.Errorf("journal %+v", e)
	}
	if r := sc.Submit(ctx, ids[1]); r.Status != Failed || !errors.Is(r.Err, fulfill.ErrPrintUnknown) {
		t.Errorf("again: %v %v", r.Status, r.Err)
	}
	// Two parcels, the second label fails with nothing sent: the first came out, so unknown too.
	sc.SetOptions(Options{Mode: ModePrintShip, Packages: 2})
	sp.fails = []error{nil, &printer.Error{Op: "print", Kind: printer.KindPaperOut, Sent: printer.SentNone}}
	if r := sc.Submit(ctx, ids[2]); r.Status != Failed || !errors.Is(r.Err, fulfill.ErrPrintUnknown) {
		t.Errorf("second label: %v %v", r.Status, r.Err)
	}
	if lo := fulfilltest.Ledger(t, sim, ids[1]); lo.OutstorageAttempts != 0 {
		t.Error("an unknown print was shipped")
	}
	// The packer looked: reprint, then it ships.
	sc.SetOptions(Options{Mode: ModePrintShip, Reprint: true})
	if r := sc.Submit(ctx, ids[1]); r.Status != PrintedShipped {
		t.Errorf("reprint: %v %v", r.Status, r.Err)
	}
	if got := strings.Join(sp.jobs, " "); got != ids[0]+" "+ids[2]+"-1of2 "+ids[1] {
		t.Errorf("labels %s", got)
	}
}

// A network Zebra that answers ~HS with "paper out" gets no label from a scan: the label is
// held (the packer hears why), and goes out once, by itself, when paper is loaded; then the
// order ships.
func TestScanHoldsLabelWhilePrinterSaysPaperOut(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	var mu sync.Mutex
	paperOut := true
	srv, err := printertest.StartServer(printertest.ServerOptions{Status: func(q []byte) []byte {
		mu.Lock()
		defer mu.Unlock()
		if string(q) != "~HS" {
			return nil
		}
		return printertest.HostStatus(paperOut, false, false)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "tcp:" + srv.Addr + "?lang=zpl&timeout=2s"})
	id := fulfilltest.Waiting(t, sim, shop.TypeSOPL, 1)[0]
	held := make(chan error, 10)
	sc := New(ts.Station, Options{Mode: ModePrintShip, OnPrinterAway: func(err error) { held <- err }})
	res := make(chan Result, 1)
	go func() { res <- sc.Submit(ctx, id) }()
	select {
	case err := <-held:
		if printer.KindOf(err) != printer.KindPaperOut {
			t.Fatalf("held for %v, want paper out", err)
		}
	case r := <-res:
		t.Fatalf("the scan ended (%v %v) with the printer out of paper; %d labels sent", r.Status, r.Err, len(srv.Jobs()))
	}
	if n := len(srv.Jobs()); n != 0 {
		t.Fatalf("%d labels sent to a printer out of paper", n)
	}
	if lo := fulfilltest.Ledger(t, sim, id); lo.OutstorageAttempts != 0 {
		t.Fatal("shipped while the label was held")
	}
	mu.Lock()
	paperOut = false
	mu.Unlock()
	r := <-res
	if r.Status != PrintedShipped {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if got := fulfilltest.ZPLName.FindAllSubmatch(bytesOf(srv.Jobs()), -1); len(got) != 1 || string(got[0][1]) != id {
		t.Errorf("labels %q, want one for %s", got, id)
	}
}

func bytesOf(jobs [][]byte) []byte {
	var out []byte
	for _, j := range jobs {
		out = append(out, j...)
	}
	return out
}

// An order of several parcels on a carrier that needs waybills waits for one waybill per
// parcel (the same one twice, or one another order has, is refused), then ships them all in one
// outstorage.
func TestScanWaybillPerParcel(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{})
	sops := fulfilltest.Waiting(t, sim, shop.TypeSOP, 2)
	sc := New(ts.Station, Options{Mode: ModePrintShip, Packages: 3})
	if r := sc.Submit(ctx, sops[0]); r.Status != NeedWaybill || r.Wanted != 3 || r.Pages != 3 {
		t.Fatalf("%+v", r)
	}
	steps := []struct {
		line   string
		status Status
		got    int
	}{
		{"SF1000000000101", NeedWaybill, 1},
		{"SF1000000000101", Rejected, 1}, // the same parcel again
		{"JDVA00000000102", Rejected, 1}, // another carrier than the first waybill's
		{"SF1000000000102", NeedWaybill, 2},
		{"SF1000000000103", PrintedShipped, 3},
	}
	for _, s := range steps {
		r := sc.Submit(ctx, s.line)
		if r.Status != s.status || (s.status == NeedWaybill && (len(r.Waybills) != s.got || r.Wanted != 3)) {
			t.Fatalf("Submit(%s) = %v %v (%v of %d)", s.line, r.Status, r.Err, r.Waybills, r.Wanted)
		}
	}
	lo := fulfilltest.Ledger(t, sim, sops[0])
	if lo.OutstorageAttempts != 1 || len(lo.Shipments) != 1 || lo.Shipments[0].Waybill != "SF1000000000101,SF1000000000102,SF1000000000103" {
		t.Fatalf("ledger %+v", lo)
	}
	// A waybill already used for the first order is refused for the second.
	sc.SetOptions(Options{Mode: ModePrintShip})
	if r := sc.Submit(ctx, sops[1]); r.Status != NeedWaybill {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	r := sc.Submit(ctx, "SF1000000000102")
	if r.Status != Rejected || ship.InvalidKindOf(r.Err) != ship.InvalidWaybillUsed {
		t.Fatalf("a waybill of another order: %v %v", r.Status, r.Err)
	}
	if id, ok := sc.Awaiting(); !ok || id != sops[1] {
		t.Fatal("the order stopped waiting after a refused waybill")
	}
	if lo := fulfilltest.Ledger(t, sim, sops[1]); lo.OutstorageAttempts != 0 {
		t.Errorf("ledger %+v", lo)
	}
}
