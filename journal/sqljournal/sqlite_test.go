package sqljournal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"station/journal"
	"station/journal/schema"
	"station/printdata"
)

func TestOpenJournalFresh(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "db")
	j, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	v, err := j.Version(ctx)
	if err != nil || v != len(schema.SQLite) {
		t.Fatalf("version %d, %v; want %d", v, err, len(schema.SQLite))
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
	path := filepath.Join(t.TempDir(), "db")

	// A journal written by a station that knew only schema version 1, with one shipped order.
	old, err := openSQLite(ctx, path, schema.SQLite[:1])
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

	j, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if v, _ := j.Version(ctx); v != len(schema.SQLite) {
		t.Fatalf("migrated version %d, want %d", v, len(schema.SQLite))
	}
	e, ok, err := j.Get(ctx, "1234567890")
	if err != nil || !ok {
		t.Fatalf("the old entry is gone after migrating: %v %v", ok, err)
	}
	if e.State != journal.StateShipped || e.TradeNo != "77" || e.Prints != 0 || e.Printer != "" || len(e.Carriers) != 1 ||
		e.Carriers[0].Waybills[0] != "SF1234567890123" || e.ShippedAt != time.UnixMilli(2000) {
		t.Errorf("old entry after migration: %+v", e)
	}
	// Version 2's prints table and version 3's lease columns work.
	id, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: "1234567890", Type: printdata.SOP, Pages: 1, Copies: 1, Target: journal.PrinterTarget("pdf:/tmp")})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if e, _, _ := j.Get(ctx, "1234567890"); e.State != journal.StateShipped || e.Prints != 1 {
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
	path := filepath.Join(t.TempDir(), "db")
	j, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.db.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	j.Close()
	_, err = OpenSQLite(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a journal from a newer station: %v", err)
	}
}

func TestJournalRefusesBadPath(t *testing.T) {
	for _, p := range []string{"", "  ", "/tmp/a?b.db"} {
		if _, err := OpenSQLite(context.Background(), p); err == nil {
			t.Errorf("OpenSQLite(%q) succeeded", p)
		}
	}
}

func TestJournalFailedMigrationLeavesOldVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	steps := append(append([]string(nil), schema.SQLite...), `CREATE TABLE extra (x INTEGER); THIS IS NOT SQL;`)
	if _, err := openSQLite(ctx, path, steps); err == nil {
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
	path := filepath.Join(t.TempDir(), "db")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := OpenSQLite(ctx, path)
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

// The journal keeps no consignee data: no column could hold a name, phone or address.
func TestJournalSchemaHasNoPersonalData(t *testing.T) {
	j := openTemp(t)
	rows, err := j.SQL().Query(`SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`)
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

func openTemp(t *testing.T) *DB {
	t.Helper()
	j, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// A journal written before prints had a typed target keeps its batch-PDF prints as PDF files.
func TestJournalMigratesPrintTargets(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	old, err := openSQLite(ctx, path, schema.SQLite[:3])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.ExecContext(ctx, `INSERT INTO orders (order_id, state, created_at, updated_at) VALUES ('1', 'printing', 1, 1);
		INSERT INTO prints (order_id, printer, started_at) VALUES ('1', 'pdf-file:/tmp/labels.pdf', 1), ('1', 'usb:auto', 2)`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	j, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ps, err := j.Prints(ctx, "1")
	if err != nil || len(ps) != 2 || ps[0].Target != journal.PDFFileTarget("/tmp/labels.pdf") || ps[1].Target != journal.PrinterTarget("usb:auto") {
		t.Errorf("prints after migration: %+v %v", ps, err)
	}
}

func TestJOSForm(t *testing.T) {
	cw := func(id string, w ...string) journal.CarrierWaybills {
		return journal.CarrierWaybills{LogisticsID: id, Waybills: w}
	}
	tests := []struct {
		cs     []journal.CarrierWaybills
		lg, wb string
	}{
		{[]journal.CarrierWaybills{cw("2100", "1200458628372", "111232"), cw("4700", "468778814888", "323232323")}, "2100|4700", "1200458628372,111232|468778814888,323232323"},
		{[]journal.CarrierWaybills{cw("0")}, "0", ""},
		{[]journal.CarrierWaybills{cw("1274"), cw("467", "SF1")}, "1274|467", "|SF1"},
	}
	for _, tt := range tests {
		lg, wb := journal.JOSForm(tt.cs)
		if lg != tt.lg || wb != tt.wb {
			t.Errorf("JOSForm = %q %q, want %q %q", lg, wb, tt.lg, tt.wb)
		}
		back := journal.ParseJOSForm(lg, wb)
		if l2, w2 := journal.JOSForm(back); l2 != lg || w2 != wb {
			t.Errorf("round trip %q %q → %+v → %q %q", lg, wb, back, l2, w2)
		}
	}
}

// TestJournalReadOnlyFolder: a journal whose folder cannot be written says so, with the fix,
// instead of reading as a file that is not a database.
func TestJournalReadOnlyFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	if os.Geteuid() == 0 {
		// Root writes into folders without write permission, not into a read-only filesystem.
		dir = smallMount(t, "ro,size=64k")
	} else {
		os.Mkdir(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
	}
	_, err := OpenSQLite(context.Background(), filepath.Join(dir, "journal.db"))
	if !errors.Is(err, journal.ErrStore) || !strings.Contains(err.Error(), "cannot be written") || strings.Contains(err.Error(), "as a database") {
		t.Errorf("error %v", err)
	}
}

// smallMount mounts a tmpfs with opts (root only; the test is skipped where mounting is not
// allowed) and unmounts it when the test ends.
func smallMount(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small filesystem needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// A journal write on a full disk is ErrFull (the messages say "the disk is full", not
// "damaged"), with SQLite's own error as it comes from the driver.
func TestJournalDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := smallMount(t, "size=2m")
	j, err := OpenSQLite(ctx, filepath.Join(dir, "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	filler, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := filler.Write(chunk); err != nil {
			break
		}
	}
	filler.Close()
	var werr error
	for i := 0; i < 200 && werr == nil; i++ {
		_, werr = j.BeginPrint(ctx, journal.PrintJob{OrderID: fmt.Sprintf("2449910%05d", i), Type: printdata.LBP, Pages: 1,
			Target: journal.PrinterTarget(strings.Repeat("x", 2000))})
	}
	if !errors.Is(werr, journal.ErrStore) || !errors.Is(werr, journal.ErrFull) {
		t.Fatalf("write on a full disk: %v (full %v)", werr, errors.Is(werr, journal.ErrFull))
	}
	os.Remove(filepath.Join(dir, "filler"))
	if _, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: "244991099999", Type: printdata.LBP, Pages: 1, Target: journal.PrinterTarget("tcp:p")}); err != nil {
		t.Errorf("after freeing space: %v", err)
	}
}
