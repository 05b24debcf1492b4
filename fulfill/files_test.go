package fulfill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"station/jos"
	"station/jos/jostest"
	"station/journal"
	"station/printdata"
	"station/printer"
	"station/render"
	"station/ship"
)

func TestReadWaybillsCSV(t *testing.T) {
	in := "\ufefforder_id,logistics_id,waybill,packages\n" +
		"244991091318,467,sf1000000000001\n" +
		"# a comment\n" +
		"\n" +
		"244991091318, 1499 , 731000000001 ,2\n" +
		"244991094553,0,,3\n" +
		"244991094554\t1274\t\n"
	rows, err := ReadWaybillsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []WaybillRow{
		{Line: 2, OrderID: "244991091318", LogisticsID: "467", Waybill: "SF1000000000001"},
		{Line: 5, OrderID: "244991091318", LogisticsID: "1499", Waybill: "731000000001", Packages: 2},
		{Line: 6, OrderID: "244991094553", LogisticsID: "0", Packages: 3},
		{Line: 7, OrderID: "244991094554", LogisticsID: "1274"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("rows\n%+v\nwant\n%+v", rows, want)
	}

	bad := "244991091318,467,SF1000000000001\n" +
		"24499109x318,467,SF1000000000002\n" +
		"244991091319,SF,SF1000000000003\n" +
		"244991091320,467,SF 1|2\n" +
		"244991091321,467,SF1000000000004,0\n" +
		"244991091322,467\n" +
		"244991091323,467,\"SF1000000000005\n"
	_, err = ReadWaybillsCSV(strings.NewReader(bad))
	var fe *WaybillFileError
	if !errors.As(err, &fe) || !errors.Is(err, ErrBadWaybillFile) {
		t.Fatalf("%v", err)
	}
	for i, want := range []string{"line 2: order id", "line 3: logistics id", "line 4: waybill", "line 5: packages", "line 6: 2 columns", "line 7"} {
		if i >= len(fe.Problems) || !strings.HasPrefix(fe.Problems[i], want) {
			t.Errorf("problem %d: %q, want %q…", i, fe.Problems, want)
			break
		}
	}
	if m := Explain(err); !strings.Contains(m.ZH, "line 3") || !strings.Contains(m.EN, "nothing was done") {
		t.Errorf("message %+v", m)
	}
}

func TestCheckWaybillRows(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 20})
	ts := newTestStation(t, sim, stationOpts{printer: "-"})
	rows, err := ReadWaybillsCSV(strings.NewReader("1001,467,SF1000000000001\n1001,1499,731000000001,2\n1001,467,SF1000000000002\n1002,0,,3\n1003,1274,\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ts.CheckWaybillRows(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	got := m["1001"]
	lg, wb := journal.JOSForm(got.Carriers)
	if lg != "467|1499" || wb != "SF1000000000001,SF1000000000002|731000000001" || got.Packages != 4 {
		t.Errorf("1001: %s %s %d", lg, wb, got.Packages)
	}
	if m["1002"].Packages != 3 || m["1003"].Carriers[0].LogisticsID != "1274" {
		t.Errorf("%+v", m)
	}

	rows, _ = ReadWaybillsCSV(strings.NewReader("1001,467,SF1000000000001\n1002,2100,YT1234567890123\n1003,467,JDVA0000000001\n1004,467,\n1005,0,SF1000000000009\n1006,467,SF1000000000001\n"))
	_, err = ts.CheckWaybillRows(ctx, rows)
	var fe *WaybillFileError
	if !errors.As(err, &fe) || len(fe.Problems) != 5 {
		t.Fatalf("%v", err)
	}
	for i, want := range []string{"line 2: carrier 2100 is not", "line 3: waybill", "line 4: carrier 467 顺丰速运 needs a waybill", "line 5: logistics id 0", "line 6: waybill SF1000000000001 is already on line 1"} {
		if !strings.HasPrefix(fe.Problems[i], want) {
			t.Errorf("problem %d: %q, want %q…", i, fe.Problems[i], want)
		}
	}
	if ts.jos.writes() != 0 {
		t.Error("writes")
	}
}

func TestReadOrderIDs(t *testing.T) {
	ids, err := ReadOrderIDs(strings.NewReader("\ufefforder_id,type\n244991091318,SOP\n\n# skip\n 244991094553 \n\"244991094554\"\n"))
	if err != nil || strings.Join(ids, " ") != "244991091318 244991094553 244991094554" {
		t.Errorf("%v %v", ids, err)
	}
	_, err = ReadOrderIDs(strings.NewReader("244991091318\nSF1000000000001\n2449910x\n"))
	var le *OrderListError
	if !errors.As(err, &le) || len(le.Problems) != 2 || !strings.HasPrefix(le.Problems[0], "line 2:") || !strings.HasPrefix(le.Problems[1], "line 3:") {
		t.Errorf("%v", err)
	}
}

// Every error kind the layer returns gets its own words in both languages (not the fallback),
// and none shows consignee data or secrets.
func TestExplainEveryKind(t *testing.T) {
	jerr := func(k jos.Kind, o jos.Outcome) error {
		return fmt.Errorf("order 1: %w", &jos.Error{Method: "m", Kind: k, Code: "x", Outcome: o})
	}
	perr := func(k printer.Kind, s printer.Sent) error {
		return fmt.Errorf("order 1: not printed: %w", &printer.Error{Op: "print", Printer: "usb:auto", Kind: k, Sent: s})
	}
	errs := map[string]error{
		"cancelled":      fmt.Errorf("stop: %w", context.Canceled),
		"deadline":       context.DeadlineExceeded,
		"no printer":     ErrNoPrinter,
		"print unknown":  &PrintUnknownError{OrderID: "1", Printer: "usb:auto"},
		"stopped":        fmt.Errorf("%w: x", ErrStopped),
		"printer halted": fmt.Errorf("%w: %w", ErrPrinterStopped, perr(printer.KindPaperOut, printer.SentNone)),
		"waybill file":   &WaybillFileError{Problems: []string{"line 1: x"}},
		"order list":     &OrderListError{Problems: []string{"line 1: x"}},
		"locked":         fmt.Errorf("order 1 is locked (LOCKED): %w", printdata.ErrNotShippable),
		"cancelled ord":  fmt.Errorf("order 1 is cancelled (TRADE_CANCELED): %w", printdata.ErrNotShippable),
		"reconcile":      fmt.Errorf("order 1: %w", ship.ErrNeedsReconcile),
		"in progress":    fmt.Errorf("order 1: %w", ship.ErrInProgress),
		"ship failed":    fmt.Errorf("order 1: %w: %w", ship.ErrShipFailed, &jos.Error{Kind: jos.KindQuota}),
		"ship failed 2":  fmt.Errorf("order 1: %w: JD shows it waiting", ship.ErrShipFailed),
		"not in journal": fmt.Errorf("order 1: %w", journal.ErrNotInJournal),
		"not detected":   fmt.Errorf("w: %w", ship.ErrCarrierNotDetected),
		"not found":      fmt.Errorf("c: %w", ship.ErrCarrierNotFound),
		"image":          fmt.Errorf("x: %w", &printdata.ImageError{OrderID: "1", Field: "generade", Err: printdata.ErrImageTooLarge}),
		"bad order id":   fmt.Errorf("x: %w", printdata.ErrBadOrderID),
		"unknown type":   fmt.Errorf("x: %w", printdata.ErrUnknownType),
		"size":           fmt.Errorf("x: %w", render.ErrUnknownSize),
		"layout":         fmt.Errorf("render: layout of order 1 is broken"),
		"journal":        errors.New("journal: disk I/O error"),
	}
	for k := jos.KindOther; k <= jos.KindMalformed; k++ {
		errs["jos "+k.String()] = jerr(k, jos.NotApplied)
		errs["jos maybe "+k.String()] = jerr(k, jos.MaybeApplied)
	}
	for k := printer.KindOther; k <= printer.KindClosed; k++ {
		for _, s := range []printer.Sent{printer.SentNone, printer.SentPartial, printer.SentAll} {
			errs[fmt.Sprintf("printer %v %v", k, s)] = perr(k, s)
		}
	}
	for p := ScanEmpty; p <= ScanUnchecked; p++ {
		errs["scan "+p.String()] = &ScanError{Problem: p, Input: "SF1", Awaited: "1", Carrier: ship.Carrier{Name: "顺丰速运"},
			Candidates: []ship.Carrier{{ID: "1499", Name: "中通快递"}}}
	}
	for k := ship.InvalidOrderID; k <= ship.InvalidTradeNo; k++ {
		errs["invalid "+k.String()] = &ship.InvalidShipmentError{Kind: k, OrderID: "1", LogisticsID: "467", Waybill: "SF1", Msg: "x"}
	}
	for name, err := range errs {
		m := Explain(err)
		if m.ZH == "" || m.EN == "" {
			t.Errorf("%s: empty message %+v", name, m)
		}
		if strings.HasPrefix(m.ZH, "出错了") {
			t.Errorf("%s: fell through to the generic message: %q", name, m.ZH)
		}
		for _, secret := range []string{jostest.DemoAppSecret, jostest.DemoAccessToken} {
			if strings.Contains(m.ZH+m.EN, secret) {
				t.Errorf("%s: shows a secret", name)
			}
		}
	}
	if m := Explain(nil); !m.IsZero() {
		t.Errorf("nil: %+v", m)
	}
	// The printer's words say whether printing again is safe.
	if m := Explain(perr(printer.KindDropped, printer.SentPartial)); !strings.Contains(m.EN, "may have printed partly") {
		t.Errorf("partial: %q", m.EN)
	}
	if m := Explain(perr(printer.KindPaperOut, printer.SentNone)); !strings.Contains(m.EN, "safe") || !strings.Contains(m.ZH, "缺纸") {
		t.Errorf("paper out: %+v", m)
	}
}

// Scans never print consignee data into their messages: only ids, carriers and waybills.
func TestScanMessagesMasked(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ts := newTestStation(t, sim, stationOpts{})
	id := waiting(t, sim, jostest.TypeSOP, 1)[0]
	w, err := printdata.NewFetcher(ts.jos).Fetch(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	r := ts.NewScanner(ScanOptions{Mode: ModePrintShip, Logistics: "1274"}).Submit(ctx, id)
	if r.Status != ScanPrintedShipped {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	for _, s := range []string{w.Consignee.Name, w.Consignee.Phone, w.Consignee.Mobile, w.Consignee.Address} {
		if s = strings.TrimSpace(s); s != "" && strings.Contains(r.Message.ZH+r.Message.EN, s) {
			t.Errorf("the message shows %q", s)
		}
	}
}
