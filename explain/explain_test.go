package explain_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"station/explain"
	"station/fulfill"
	"station/jos"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/orderlist"
	"station/printdata"
	"station/printer"
	"station/render"
	"station/scan"
	"station/ship"
)

// station is a real Station on the simulator, printing into a PDF folder.
func station(t *testing.T, sim *jostest.Running) (*fulfill.Station, *jos.Client) {
	t.Helper()
	client, err := jos.New(jos.Config{Endpoint: sim.URL, AppKey: jostest.DemoAppKey, AppSecret: jostest.DemoAppSecret,
		AccessToken: jostest.DemoAccessToken, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	j, err := sqljournal.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := printer.Open("pdf:" + t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := fulfill.NewStation(context.Background(), fulfill.StationConfig{Client: client, Journal: j, Printer: p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, client
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
		"cancelled":          fmt.Errorf("stop: %w", context.Canceled),
		"deadline":           context.DeadlineExceeded,
		"no printer":         fulfill.ErrNoPrinter,
		"shipped elsewhere":  fmt.Errorf("order 1: %w", fulfill.ErrShippedElsewhere),
		"print unknown":      &fulfill.PrintUnknownError{OrderID: "1", Printer: "usb:auto"},
		"stopped":            fmt.Errorf("%w: x", fulfill.ErrStopped),
		"printer halted":     fmt.Errorf("%w: %w", fulfill.ErrPrinterStopped, perr(printer.KindPaperOut, printer.SentNone)),
		"printer halted on":  &fulfill.PrinterStoppedError{OrderID: "2", FailedOn: "1", Err: perr(printer.KindDropped, printer.SentPartial)},
		"not recorded full":  fmt.Errorf("order 1: %w: %w", ship.ErrNotRecorded, &journal.StoreError{Err: syscall.ENOSPC}),
		"not recorded lease": fmt.Errorf("order 1: %w: %w", ship.ErrNotRecorded, journal.ErrLeaseLost),
		"not recorded":       fmt.Errorf("order 1: %w: %w", ship.ErrNotRecorded, &journal.StoreError{Err: errors.New("disk I/O error")}),
		"list too big":       &orderlist.NotAListError{Of: orderlist.OrderIDs, Problem: orderlist.TooBig},
		"list long line":     &orderlist.NotAListError{Of: orderlist.Waybills, Problem: orderlist.LongLine, Line: 3},
		"list binary":        &orderlist.NotAListError{Of: orderlist.OrderIDs, Problem: orderlist.Binary, Line: 1},
		"waybill file":       &orderlist.Error{Of: orderlist.Waybills, Problems: []string{"line 1: x"}},
		"order list":         &orderlist.Error{Of: orderlist.OrderIDs, Problems: []string{"line 1: x"}},
		"locked":             &printdata.NotShippableError{OrderID: "1", State: printdata.StateLocked},
		"cancelled ord":      &printdata.NotShippableError{OrderID: "1", State: printdata.StateCanceled},
		"reconcile":          fmt.Errorf("order 1: %w", ship.ErrNeedsReconcile),
		"in progress":        fmt.Errorf("order 1: %w", ship.ErrInProgress),
		"ship failed":        fmt.Errorf("order 1: %w: %w", ship.ErrShipFailed, &jos.Error{Kind: jos.KindQuota}),
		"ship failed 2":      fmt.Errorf("order 1: %w: JD shows it waiting", ship.ErrShipFailed),
		"not in journal":     fmt.Errorf("order 1: %w", journal.ErrNotInJournal),
		"not detected":       fmt.Errorf("w: %w", ship.ErrCarrierNotDetected),
		"not found":          fmt.Errorf("c: %w", ship.ErrCarrierNotFound),
		"image":              fmt.Errorf("x: %w", &printdata.ImageError{OrderID: "1", Field: "generade", Err: printdata.ErrImageTooLarge}),
		"bad order id":       fmt.Errorf("x: %w", printdata.ErrBadOrderID),
		"unknown type":       fmt.Errorf("x: %w", printdata.ErrUnknownType),
		"size":               fmt.Errorf("x: %w", render.ErrUnknownSize),
		"layout":             fmt.Errorf("x: %w: layout of order 1 is broken", render.ErrLabel),
		"journal":            &journal.StoreError{Err: errors.New("disk I/O error")},
		"missing file":       fmt.Errorf("-orders: %w", &fs.PathError{Op: "open", Path: "orders\x1b.txt", Err: fs.ErrNotExist}),
	}
	seen := map[string]jos.Kind{}
	for k := jos.KindOther; k <= jos.KindVender; k++ {
		errs["jos "+k.String()] = jerr(k, jos.NotApplied)
		errs["jos maybe "+k.String()] = jerr(k, jos.MaybeApplied)
		// Each kind has advice of its own: what to do differs.
		zh := explain.Error(jerr(k, jos.NotApplied)).ZH
		if other, dup := seen[zh]; dup {
			t.Errorf("JOS kinds %v and %v say the same: %q", other, k, zh)
		}
		seen[zh] = k
	}
	for k := printer.KindOther; k <= printer.KindClosed; k++ {
		for _, s := range []printer.Sent{printer.SentNone, printer.SentPartial, printer.SentAll} {
			errs[fmt.Sprintf("printer %v %v", k, s)] = perr(k, s)
		}
	}
	for p := scan.Empty; p <= scan.Unchecked; p++ {
		errs["scan "+p.String()] = &scan.Error{Problem: p, Input: "SF1", Awaited: "1", Carrier: ship.Carrier{Name: "顺丰速运"},
			Candidates: []ship.Carrier{{ID: "1499", Name: "中通快递"}}}
	}
	for k := ship.InvalidOrderID; k <= ship.InvalidTradeNo; k++ {
		errs["invalid "+k.String()] = &ship.InvalidShipmentError{Kind: k, OrderID: "1", LogisticsID: "467", Waybill: "SF1", Msg: "x"}
	}
	for name, err := range errs {
		m := explain.Error(err)
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
	if m := explain.Error(nil); !m.IsZero() {
		t.Errorf("nil: %+v", m)
	}
	// The printer's words say whether printing again is safe.
	if m := explain.Error(perr(printer.KindDropped, printer.SentPartial)); !strings.Contains(m.EN, "may have printed partly") {
		t.Errorf("partial: %q", m.EN)
	}
	if m := explain.Error(perr(printer.KindPaperOut, printer.SentNone)); !strings.Contains(m.EN, "safe") || !strings.Contains(m.ZH, "缺纸") {
		t.Errorf("paper out: %+v", m)
	}
	// A missing file is named (its control characters escaped) and the user told to check the path.
	if m := explain.Error(errs["missing file"]); !strings.Contains(m.ZH, `"orders\x1b.txt"`) || !strings.Contains(m.EN, "check the file name") || strings.ContainsRune(m.ZH+m.EN, 0x1b) {
		t.Errorf("missing file: %+v", m)
	}
}

// Scans never print consignee data into their messages: only ids, carriers and waybills.
func TestScanMessagesMasked(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	st, client := station(t, sim)
	id := sim.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitStockOut)[0]
	w, err := printdata.NewFetcher(client).Fetch(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	r := scan.New(st, scan.Options{Mode: scan.ModePrintShip, Logistics: "1274"}).Submit(ctx, id)
	if r.Status != scan.PrintedShipped {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	for _, s := range []string{w.Consignee.Name, w.Consignee.Phone, w.Consignee.Mobile, w.Consignee.Address} {
		if s = strings.TrimSpace(s); s != "" && strings.Contains(explain.Scan(r).ZH+explain.Scan(r).EN, s) {
			t.Errorf("the message shows %q", s)
		}
	}
}

// Each scan outcome is put into words from what the result carries.
func TestScanWords(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 32, 0, 0, time.Local)
	sf := &ship.Carrier{ID: "467", Name: "顺丰速运"}
	for _, tt := range []struct {
		name   string
		r      scan.Result
		zh, en string
	}{
		{"printed", scan.Result{Status: scan.Printed, OrderID: "1", Type: printdata.LBP, SortingCode: "BJ-1"}, "分拣码 BJ-1", "Printed order 1"},
		{"printed and shipped", scan.Result{Status: scan.PrintedShipped, OrderID: "1", Type: printdata.SOP, Carrier: sf, Waybill: "SF1234567890123"}, "已打印并发货", "with 顺丰速运 SF1234567890123"},
		{"shipped to JD", scan.Result{Status: scan.Shipped, OrderID: "1", Type: printdata.SOPL}, "自送京东分拣中心", "JD's sorting centre"},
		{"carrier by id", scan.Result{Status: scan.Shipped, OrderID: "1", Type: printdata.SOP, Carrier: &ship.Carrier{ID: "1274"}}, "快递公司 1274", "carrier 1274"},
		{"already done", scan.Result{Status: scan.AlreadyDone, Note: scan.NoteAlreadyDone, OrderID: "1", PrintedAt: at, ShippedAt: at}, "11-20 10:32 已打印", "shipped at 11-20 10:32"},
		{"reprinted", scan.Result{Status: scan.Printed, Note: scan.NoteReprinted, OrderID: "1"}, "已重打", "not shipped again"},
		{"reprinted shipped", scan.Result{Status: scan.Printed, Note: scan.NoteReprintedShipped, OrderID: "1", ShippedAt: at}, "没有再次发货", "was shipped at"},
		{"shipped at JD", scan.Result{Status: scan.AlreadyDone, Note: scan.NoteShippedAtJD, OrderID: "1"}, "京东已经是发货状态", "already shipped at JD"},
		{"waiting", scan.Result{Status: scan.NeedWaybill, Note: scan.NoteWaitingWaybill, OrderID: "1", PrintedNow: true, Carrier: sf}, "已打印：请扫描包裹上的运单号（顺丰速运）", "scan the parcel's waybill (顺丰速运)"},
		{"waiting, ship only", scan.Result{Status: scan.NeedWaybill, Note: scan.NoteWaitingWaybill, OrderID: "1", Mode: scan.ModeShipOnly}, "仅发货", "ship only"},
		{"printed, not shipped", scan.Result{Status: scan.Failed, OrderID: "1", PrintedNow: true, Err: ship.ErrInProgress}, "已打印，但没有发货：另一台", "Printed, but not shipped: Another station"},
	} {
		m := explain.Scan(tt.r)
		if !strings.Contains(m.ZH, tt.zh) || !strings.Contains(m.EN, tt.en) {
			t.Errorf("%s: %q / %q; want %q / %q", tt.name, m.ZH, m.EN, tt.zh, tt.en)
		}
	}
}

// A printer's condition is said once, then what to do: never "缺纸。…缺纸：" twice.
func TestPrinterWordsSayItOnce(t *testing.T) {
	for k := printer.KindOther; k <= printer.KindClosed; k++ {
		m := explain.Error(&printer.Error{Op: "print", Kind: k, Sent: printer.SentNone})
		for _, w := range []string{"缺纸", "打印头", "离线", "拒绝连接"} {
			if strings.Count(m.ZH, w) > 1 {
				t.Errorf("%v: %q says %q twice", k, m.ZH, w)
			}
		}
	}
	if m := explain.Error(&printer.Error{Op: "print", Kind: printer.KindRefused}); !strings.Contains(m.EN, "9100") {
		t.Errorf("refused: %q", m.EN)
	}
	if m := explain.Away(&printer.Error{Kind: printer.KindPaperOut}); !strings.Contains(m.ZH, "打印机缺纸：装纸后自动继续") {
		t.Errorf("away: %q", m.ZH)
	}
}

// A Windows printer is set up in Windows: the advice says where, not udev rules or cables.
func TestWindowsPrinterAdvice(t *testing.T) {
	for kind, want := range map[printer.Kind]string{
		printer.KindPermission: "Windows 用户",
		printer.KindOffline:    "打印队列里点“继续”",
		printer.KindNotFound:   "Windows 的打印机列表",
	} {
		m := explain.Error(&printer.Error{Op: "print", Printer: "win:ZDesigner ZD421", Kind: kind})
		if !strings.Contains(m.ZH, want) || strings.Contains(m.EN, "udev") || strings.Contains(m.EN, "cable") {
			t.Errorf("%v: %q / %q", kind, m.ZH, m.EN)
		}
	}
	if m := explain.Error(&printer.Error{Op: "print", Printer: "usb:auto", Kind: printer.KindPermission}); !strings.Contains(m.EN, "udev") {
		t.Errorf("a USB printer's permission advice: %q", m.EN)
	}
}

// What JD, a file or an error says is quoted on one line and without control characters: it
// cannot clear the terminal or forge a progress line of its own.
func TestForeignTextIsMadeSafe(t *testing.T) {
	hostile := "拒绝\x1b[2J\r\n[1/1] 244991088626 printed\x1b]0;x\x07"
	for name, err := range map[string]error{
		"jos":     &jos.Error{Kind: jos.KindInvalid, Code: "10100001", ZhDesc: hostile, Outcome: jos.NotApplied},
		"generic": errors.New(hostile),
		"layout":  fmt.Errorf("%w: %s", render.ErrLabel, hostile),
		"scan":    &scan.Error{Problem: scan.CarrierAmbiguous, Input: "SF1", Candidates: []ship.Carrier{{ID: "1", Name: hostile}, {ID: "2", Name: "中通"}}},
	} {
		m := explain.Error(err)
		for _, s := range []string{m.ZH, m.EN} {
			if strings.ContainsAny(s, "\x1b\r\x07") || strings.Contains(s, "\n[1/1]") {
				t.Errorf("%s: %q", name, s)
			}
		}
		if !strings.Contains(m.ZH+m.EN, "[1/1] 244991088626 printed") && name != "scan" {
			t.Errorf("%s: the foreign text is not quoted at all: %q", name, m.ZH)
		}
	}
}

// An interrupted order of several parcels says which labels came out, which was cut off and
// which were never sent; a label fully sent but unconfirmed says so, not "part of it".
func TestInterruptedLabelsCounted(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want []string
	}{
		{"second of three cut off", &fulfill.PrintUnknownError{OrderID: "1", Labels: 3, Done: 1, CutOff: true},
			[]string{"label 1 was sent to the printer whole", "label 2 was cut off", "label 3 was not sent"}},
		{"first of two cut off", &fulfill.PrintUnknownError{OrderID: "1", Labels: 2, Done: 0, CutOff: true},
			[]string{"label 1 was cut off", "label 2 was not sent"}},
		{"third of four not sent", &fulfill.PrintUnknownError{OrderID: "1", Labels: 4, Done: 2},
			[]string{"labels 1-2 were sent to the printer whole", "labels 3-4 were not sent"}},
		{"all bytes, unconfirmed", &printer.Error{Op: "print", Kind: printer.KindDropped, Sent: printer.SentPartial, Bytes: 12765, Total: 12765},
			[]string{"The whole label was sent, but the printer did not confirm"}},
		{"part of the bytes", &printer.Error{Op: "print", Kind: printer.KindDropped, Sent: printer.SentPartial, Bytes: 10, Total: 12765},
			[]string{"Part of the label was sent"}},
	} {
		m := explain.Error(c.err)
		for _, w := range c.want {
			if !strings.Contains(m.EN, w) {
				t.Errorf("%s: %q lacks %q", c.name, m.EN, w)
			}
		}
		if _, labels := c.err.(*fulfill.PrintUnknownError); labels && strings.Contains(m.EN, "cut off") != strings.Contains(m.ZH, "可能打了") {
			t.Errorf("%s: the languages disagree: %q / %q", c.name, m.ZH, m.EN)
		}
	}
	full := (&printer.Error{Op: "print", Kind: printer.KindDropped, Sent: printer.SentPartial, Bytes: 12765, Total: 12765}).Error()
	if strings.Contains(full, "12765 of 12765") || !strings.Contains(full, "all 12765 bytes") {
		t.Errorf("fully sent, unconfirmed: %q", full)
	}
}

// The journal's entries read in both languages from their state, step and last JD attempt,
// never as the English free text the journal keeps for logs.
func TestEntryNotes(t *testing.T) {
	for _, c := range []struct {
		name string
		e    journal.Entry
		last journal.Attempt
		zh   string
	}{
		{"refused, retryable", journal.Entry{State: journal.StateFailed, FailedStep: journal.StepShip, Retryable: true, Reason: "JD refused the outstorage: busy"},
			journal.Attempt{Outcome: journal.OutcomeRefused, Code: "43"}, "可以重试"},
		{"refused", journal.Entry{State: journal.StateFailed, FailedStep: journal.StepShip, Reason: "JD refused the outstorage: bad waybill"},
			journal.Attempt{Outcome: journal.OutcomeRefused, Code: "10400014"}, "请改正"},
		{"reconciled: still waiting", journal.Entry{State: journal.StateFailed, FailedStep: journal.StepShip, Retryable: true, Reason: "JD shows the order still waiting"},
			journal.Attempt{Outcome: journal.OutcomeNotShipped, Reason: printdata.StateWaitStockOut}, "没有生效"},
		{"reconciled: locked", journal.Entry{State: journal.StateFailed, FailedStep: journal.StepShip, Reason: "JD shows LOCKED"},
			journal.Attempt{Outcome: journal.OutcomeNotShipped, Reason: printdata.StateLocked}, "已锁定"},
		{"unsettled", journal.Entry{State: journal.StateShipping, Reason: "outstorage outcome unknown: timeout"}, journal.Attempt{}, "不会重复发货"},
		{"print cut off", journal.Entry{State: journal.StatePrinting, Reason: "the printer stopped in the middle of the label"}, journal.Attempt{}, "重打"},
		{"print failed", journal.Entry{State: journal.StateFailed, FailedStep: journal.StepPrint, Reason: "paper out"}, journal.Attempt{}, "可以重打"},
		{"shipped before", journal.Entry{State: journal.StateShipped, Reason: "JD already had the order shipped"},
			journal.Attempt{Outcome: journal.OutcomeShipped, Reason: printdata.StateWaitReceive}, "已显示发货"},
	} {
		m := explain.Entry(c.e, c.last)
		if !strings.Contains(m.ZH, c.zh) || m.EN == "" || strings.Contains(m.ZH, c.e.Reason) {
			t.Errorf("%s: %q / %q", c.name, m.ZH, m.EN)
		}
	}
	if m := explain.Entry(journal.Entry{State: journal.StateShipped}, journal.Attempt{Outcome: journal.OutcomeOK}); !m.IsZero() {
		t.Errorf("a plain shipment has a note: %+v", m)
	}
}

// A scanned line echoed back in a refusal is cut short: a scanner jammed on one key, or a
// paste, cannot fill the banner.
func TestScannedLineIsCut(t *testing.T) {
	m := explain.Error(&scan.Error{Problem: scan.Garbage, Input: strings.Repeat("X", 5000)})
	if len([]rune(m.ZH)) > 200 || len([]rune(m.EN)) > 300 || !strings.Contains(m.EN, "…") {
		t.Errorf("%d / %d characters: %q", len([]rune(m.ZH)), len([]rune(m.EN)), m.EN)
	}
}
