package fulfill

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"station/printdata"
)

func TestOpenJournalFresh(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "journal.db")
	j, err := OpenJournal(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	v, err := j.Version(ctx)
	if err != nil || v != SchemaVersion() {
		t.Fatalf("version %d, %v; want %d", v, err, SchemaVersion())
	}
	pragmas := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "10000"}
	for p, want := range pragmas {
		var got string
		if err := j.db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", p, got, want)
		}
	}
	// Foreign keys are enforced: a print of an order the journal does not have is refused.
	if _, err := j.db.ExecContext(ctx, `INSERT INTO prints (order_id, started_at) VALUES ('1', 1)`); err == nil {
		t.Error("a print row without its order was accepted: foreign keys are off")
	}
}

func TestJournalMigratesOldVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")

	// A journal written by a station that knew only schema version 1, with one shipped order.
	old, err := openJournal(ctx, path, migrations[:1])
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.Version(ctx); v != 1 {
		t.Fatalf("old journal version %d", v)
	}
	if _, err := old.db.ExecContext(ctx, `INSERT INTO orders (order_id, type, state, logistics, waybills, packages,
		trade_no, ship_attempts, created_at, updated_at, shipped_at)
		VALUES ('1234567890', 'SOP', 'shipped', '467', 'SF1234567890123', 1, '77', 1, 1000, 2000, 2000)`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.ExecContext(ctx, `INSERT INTO waybills VALUES ('1234567890', '467', 'SF1234567890123')`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	j, err := OpenJournal(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if v, _ := j.Version(ctx); v != SchemaVersion() {
		t.Fatalf("migrated version %d, want %d", v, SchemaVersion())
	}
	e, ok, err := j.Get(ctx, "1234567890")
	if err != nil || !ok {
		t.Fatalf("the old entry is gone after migrating: %v %v", ok, err)
	}
	if e.State != StateShipped || e.TradeNo != "77" || e.Prints != 0 || e.Printer != "" || len(e.Carriers) != 1 ||
		e.Carriers[0].Waybills[0] != "SF1234567890123" || e.ShippedAt != time.UnixMilli(2000) {
		t.Errorf("old entry after migration: %+v", e)
	}
	// Version 2's prints table and version 3's lease columns work.
	id, err := j.BeginPrint(ctx, PrintJob{OrderID: "1234567890", Type: printdata.SOP, Pages: 1, Copies: 1, Printer: "pdf:/tmp"})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if e, _, _ := j.Get(ctx, "1234567890"); e.State != StateShipped || e.Prints != 1 {
		t.Errorf("a reprint of a shipped order: state %s, prints %d", e.State, e.Prints)
	}
	if _, err := j.db.ExecContext(ctx, `UPDATE orders SET lease_host = 'h', lease_pid = 1`); err != nil {
		t.Fatal(err)
	}
	if w, err := j.ByWaybill(ctx, "sf1234567890123"); err != nil || len(w) != 1 {
		t.Errorf("ByWaybill after migration: %v %v", w, err)
	}
}

func TestJournalRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := OpenJournal(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.db.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	j.Close()
	_, err = OpenJournal(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a journal from a newer station: %v", err)
	}
}

func TestJournalRefusesBadPath(t *testing.T) {
	for _, p := range []string{"", "  ", "/tmp/a?b.db"} {
		if _, err := OpenJournal(context.Background(), p); err == nil {
			t.Errorf("OpenJournal(%q) succeeded", p)
		}
	}
}

func TestJournalFailedMigrationLeavesOldVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	steps := append(append([]string(nil), migrations...), `CREATE TABLE extra (x INTEGER); THIS IS NOT SQL;`)
	if _, err := openJournal(ctx, path, steps); err == nil {
		t.Fatal("a broken migration succeeded")
	}
	// Nothing of the failed run stuck: not even the earlier steps of the same run.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	db.QueryRow("PRAGMA user_version").Scan(&v)
	var n int
	db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('orders', 'extra')").Scan(&n)
	if v != 0 || n != 0 {
		t.Fatalf("after a failed migration: version %d, %d tables", v, n)
	}
}

func TestJournalConcurrentOpen(t *testing.T) {
	// Two stations starting at once on a new journal: one migrates, the other finds it done.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := OpenJournal(ctx, path)
			if err == nil {
				j.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestJournalPrints(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	j := r.journal

	if _, err := j.BeginPrint(ctx, PrintJob{OrderID: "12a"}); err == nil {
		t.Error("a print for a bad order id was recorded")
	}

	id, err := j.BeginPrint(ctx, PrintJob{OrderID: " 1001 ", Type: printdata.LBP, Pages: 2, Copies: 1, Printer: "usb:auto"})
	if err != nil {
		t.Fatal(err)
	}
	// Before EndPrint the order shows the print as unfinished: after a crash, the label may or
	// may not have come out.
	if e := r.entry(t, "1001"); e.State != StatePrinting || e.Prints != 0 {
		t.Errorf("during the print: %s, %d prints", e.State, e.Prints)
	}
	if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.EndPrint(ctx, id, nil); err == nil {
		t.Error("a print job was ended twice")
	}
	e := r.entry(t, "1001")
	if e.State != StatePrinted || e.Prints != 1 || e.Pages != 2 || e.Printer != "usb:auto" || e.Type != printdata.LBP || e.PrintedAt.IsZero() {
		t.Errorf("after printing: %+v", e)
	}

	// A failed print of a new order: failed at the print step, retryable.
	id, _ = j.BeginPrint(ctx, PrintJob{OrderID: "1002", Type: printdata.SOP, Pages: 1, Printer: "tcp:10.0.0.9"})
	if err := j.EndPrint(ctx, id, errors.New("printer offline")); err != nil {
		t.Fatal(err)
	}
	e = r.entry(t, "1002")
	if e.State != StateFailed || e.FailedStep != StepPrint || !e.Retryable || !strings.Contains(e.Reason, "offline") {
		t.Errorf("after a failed print: %+v", e)
	}
	// Printing it again clears the failure.
	id, _ = j.BeginPrint(ctx, PrintJob{OrderID: "1002", Type: printdata.SOP, Pages: 1, Printer: "tcp:10.0.0.9"})
	j.EndPrint(ctx, id, nil)
	if e = r.entry(t, "1002"); e.State != StatePrinted || e.Reason != "" || e.FailedStep != "" {
		t.Errorf("after a successful reprint: %+v", e)
	}
	// A failed reprint of a printed order keeps it printed.
	id, _ = j.BeginPrint(ctx, PrintJob{OrderID: "1001", Type: printdata.LBP, Pages: 2})
	j.EndPrint(ctx, id, errors.New("paper out"))
	if e = r.entry(t, "1001"); e.State != StatePrinted || e.Prints != 1 {
		t.Errorf("after a failed reprint: %+v", e)
	}
	prints, err := j.Prints(ctx, "1001")
	if err != nil || len(prints) != 2 || prints[0].Outcome != PrintDone || prints[1].Outcome != PrintFailed || prints[1].Reason != "paper out" {
		t.Errorf("prints of 1001: %+v %v", prints, err)
	}
}

func TestJournalQueries(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	j := r.journal
	clock := time.Date(2024, 5, 1, 9, 0, 0, 0, time.Local)
	j.now = func() time.Time { return clock }
	r.shipper.now = j.now

	// Yesterday: one shipped order.
	clock = clock.Add(-24 * time.Hour)
	r.states.set("2001", printdata.StateWaitReceive)
	if _, err := r.shipper.Ship(ctx, sop("2001", cw("467", "SF1234567890123"))); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(24 * time.Hour)

	// Today: a print, a shipment, a refusal and an unsettled one.
	id, _ := j.BeginPrint(ctx, PrintJob{OrderID: "2002", Type: printdata.SOP, Pages: 1})
	j.EndPrint(ctx, id, nil)
	clock = clock.Add(time.Minute)
	if _, err := r.shipper.Ship(ctx, sop("2002", cw("1499", "731234567890"))); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	r.jos.respond = func(c sent) error {
		switch c.param("order_id") {
		case "2003":
			return invalidWaybillErr(c.Method)
		case "2004":
			return lostReply(c.Method)
		}
		return nil
	}
	r.shipper.Ship(ctx, sop("2003", cw("2100", "YT1234567890123")))
	clock = clock.Add(time.Minute)
	r.states.fail("2004", errors.New("JD unreachable"))
	r.shipper.Ship(ctx, sop("2004", cw("4700", "771234567890")))

	got := func(es []Entry, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range es {
			ids = append(ids, e.OrderID)
		}
		return ids
	}
	check := func(name string, ids []string, want ...string) {
		t.Helper()
		if strings.Join(ids, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", name, ids, want)
		}
	}
	check("Recent(3)", got(j.Recent(ctx, 3)), "2004", "2003", "2002")
	check("Recent(0)", got(j.Recent(ctx, 0)))
	check("ByState(shipped)", got(j.ByState(ctx, StateShipped)), "2001", "2002")
	check("ByState(failed)", got(j.ByState(ctx, StateFailed)), "2003")
	check("PendingReconcile", got(j.PendingReconcile(ctx)), "2004")
	check("ByWaybill", got(j.ByWaybill(ctx, " 731234567890\r\n")), "2002")
	check("ByWaybill unknown", got(j.ByWaybill(ctx, "999")))

	c, err := j.TodayCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counts{Printed: 1, Shipped: 1, Failed: 1, Unconfirmed: 1}); c != want {
		t.Errorf("TodayCounts = %+v, want %+v", c, want)
	}

	as, err := j.Attempts(ctx, "2004")
	if err != nil || len(as) != 2 || as[0].Kind != AttemptOutstorage || as[0].Outcome != OutcomeUnknown ||
		as[1].Kind != AttemptReconcile || as[1].Outcome != OutcomeError || as[0].TradeNo == "" || as[0].Carriers[0].LogisticsID != "4700" {
		t.Errorf("attempts of 2004: %+v %v", as, err)
	}
}

// The journal keeps no consignee data: no column could hold a name, phone or address.
func TestJournalSchemaHasNoPersonalData(t *testing.T) {
	r := newRig(t)
	rows, err := r.journal.db.Query(`SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		rows.Scan(&table, &col)
		for _, bad := range []string{"name", "phone", "mobile", "address", "cons"} {
			if strings.Contains(col, bad) {
				t.Errorf("%s.%s may hold personal data", table, col)
			}
		}
	}
}
