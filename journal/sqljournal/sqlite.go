// Package sqljournal keeps the journal in an SQL database: the SQLite file one station embeds,
// or the PostgreSQL database a warehouse of stations shares. Both run the same statements
// (written once, with ? placeholders) and the same journal test suite.
package sqljournal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"station/journal"
	"station/printdata"
)

// DB is the journal in an SQL database: one station's SQLite file (shared by the processes of
// one PC), or a warehouse's PostgreSQL database shared by its stations.
type DB struct {
	db   *sql.DB
	path string
	now  func() time.Time
}

var _ journal.Store = (*DB)(nil)

// busyTimeout is how long a writer waits for another connection or process holding the write
// lock. Journal transactions are a few statements long, so waiting is rare and short.
const busyTimeout = 10 * time.Second

// OpenSQLite opens (creating if needed) the journal at path and brings its schema up to date.
//
// The database runs in WAL mode with synchronous=FULL: each commit is fsynced before it
// returns, so a state change the caller has seen committed survives a power cut as well as a
// crash. NORMAL would survive a crash of the station but may lose the last commits on power
// loss, and the "shipping" mark is exactly the record that must not be lost. The cost, one
// fsync per state change, is small next to a JOS call.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	return openSQLite(ctx, path, migrations)
}

func openSQLite(ctx context.Context, path string, steps []string) (*DB, error) {
	if strings.TrimSpace(path) == "" {
		return nil, storeErr("no path given")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, storeErr("path %q contains '?' or '#': choose another path", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, storeErr("creating its directory: %w", err)
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	// Pragmas are applied on every new connection of the pool. _txlock=immediate makes every
	// transaction take the write lock at BEGIN, so two processes never both read an order as
	// free and then both claim it.
	dsn := path + fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate",
		busyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, storeErr("%s: %w", path, err)
	}
	j := &DB{db: db, path: path, now: time.Now}
	if err := j.checkWaiting(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, steps); err != nil {
		db.Close()
		return nil, storeErr("%s: %w", path, err)
	}
	return j, nil
}

// checkWritable tells a journal that cannot be written for its permissions (the folder, or
// the file) apart from one that is not a database: SQLite says "unable to open database file"
// for both. SQLite writes beside the file too (its -wal and -shm files), so the folder must be
// writable.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	probe, err := os.CreateTemp(dir, ".journal-probe-*")
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return storeErr("%s: the folder %s cannot be written (%w): give this user write access to it, or choose another journal path (-journal)", path, dir, err)
		}
		if errors.Is(err, syscall.EROFS) {
			return storeErr("%s: the folder %s cannot be written: it is on a read-only disk (%w): choose another journal path (-journal)", path, dir, err)
		}
		return storeErr("%s: the folder %s: %w", path, dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return storeErr("%s cannot be written (%w): give this user write access to the file, or choose another journal path (-journal)", path, err)
	}
	return nil
}

// checkWaiting is check, tried again while another connection holds the lock. Turning a new
// database to WAL needs an exclusive lock and SQLite returns SQLITE_BUSY at once, without its
// busy handler, when two stations open a new journal together; the other one is done in
// milliseconds.
func (j *DB) checkWaiting(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeout)
	for {
		err := j.check(ctx)
		if err == nil || !busy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sqliteBusy is SQLite's SQLITE_BUSY result code ("database is locked").
const sqliteBusy = 5

func busy(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteBusy
}

// check makes sure the file is a database we can write, in WAL mode.
func (j *DB) check(ctx context.Context) error {
	var mode string
	if err := j.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return storeErr("%s: cannot open it as a database: %w", j.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		// WAL needs shared memory between processes; network file systems do not give it.
		return storeErr("%s: the database is in %s mode, not WAL: keep the journal on a local disk", j.path, mode)
	}
	return nil
}

// migrate applies the steps the database has not seen, all in one transaction with the new
// version number; a second process opening at the same time waits for the lock and then finds
// nothing left to do.
func migrate(ctx context.Context, db *sql.DB, steps []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting the schema migration: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if v > len(steps) {
		return fmt.Errorf("the journal has schema version %d, newer than this station knows (%d): update the station", v, len(steps))
	}
	if v == len(steps) {
		return nil
	}
	for i := v; i < len(steps); i++ {
		if _, err := tx.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("migrating the schema to version %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps))); err != nil {
		return fmt.Errorf("recording the schema version: %w", err)
	}
	return tx.Commit()
}

// Where is the database file.
func (j *DB) Where() string { return j.path }

// SetClock makes the journal take its times from now (tests).
func (j *DB) SetClock(now func() time.Time) { j.now = now }

// Close closes the database.
func (j *DB) Close() error { return j.db.Close() }

// Version is the database's schema version.
func (j *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := j.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// update runs fn in one IMMEDIATE transaction and commits it: when update returns nil, the
// change is on disk.
func (j *DB) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return storeErr("%w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return storeErr("committing: %w", err)
	}
	return nil
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

const entryColumns = `order_id, type, state, failed_step, reason, retryable, logistics, waybills, packages,
	trade_no, trade_no_used, ship_attempts, lease_owner, lease_expires, lease_host, lease_pid,
	created_at, updated_at, shipped_at, pages, printer, print_count, printed_at`

type scanner interface{ Scan(dest ...any) error }

func scanEntry(r scanner) (journal.Entry, error) {
	var (
		e                                                   journal.Entry
		typ, state, logistics, waybills                     string
		retryable, used                                     bool
		leaseExp, created, updated, shipped, printed, lease int64
	)
	err := r.Scan(&e.OrderID, &typ, &state, &e.FailedStep, &e.Reason, &retryable, &logistics, &waybills, &e.Packages,
		&e.TradeNo, &used, &e.ShipAttempts, &e.HeldBy, &leaseExp, &e.LeaseHost, &lease,
		&created, &updated, &shipped, &e.Pages, &e.Printer, &e.Prints, &printed)
	if err != nil {
		return journal.Entry{}, err
	}
	e.Type, e.State, e.Retryable, e.TradeNoUsed = printdata.OrderType(typ), journal.State(state), retryable, used
	e.LeasePID = int(lease)
	e.Carriers = journal.ParseJOSForm(logistics, waybills)
	e.HeldUntil = fromMS(leaseExp)
	e.CreatedAt, e.UpdatedAt, e.ShippedAt, e.PrintedAt = fromMS(created), fromMS(updated), fromMS(shipped), fromMS(printed)
	if e.HeldBy == "" {
		e.HeldUntil = time.Time{}
	}
	return e, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getEntry(ctx context.Context, q querier, orderID string) (journal.Entry, bool, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM orders WHERE order_id = ?", orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return journal.Entry{}, false, nil
	}
	if err != nil {
		return journal.Entry{}, false, storeErr("reading order %s: %w", orderID, err)
	}
	return e, true, nil
}

func (j *DB) entries(ctx context.Context, where string, args ...any) ([]journal.Entry, error) {
	rows, err := j.db.QueryContext(ctx, "SELECT "+entryColumns+" FROM orders "+where, args...)
	if err != nil {
		return nil, storeErr("%w", err)
	}
	defer rows.Close()
	var out []journal.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, storeErr("%w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("%w", err)
	}
	return out, nil
}

// Get returns the order's entry; ok is false when the journal has never seen the order.
func (j *DB) Get(ctx context.Context, orderID string) (e journal.Entry, ok bool, err error) {
	return getEntry(ctx, j.db, strings.TrimSpace(orderID))
}

// ByWaybill returns the entries whose shipment carries the waybill (normally one).
func (j *DB) ByWaybill(ctx context.Context, waybill string) ([]journal.Entry, error) {
	return j.entries(ctx, "WHERE order_id IN (SELECT order_id FROM waybills WHERE waybill = ?) ORDER BY updated_at DESC",
		strings.ToUpper(strings.TrimSpace(waybill)))
}

// Recent returns the n most recently changed entries, newest first.
func (j *DB) Recent(ctx context.Context, n int) ([]journal.Entry, error) {
	if n <= 0 {
		return nil, nil
	}
	return j.entries(ctx, "ORDER BY updated_at DESC, order_id LIMIT ?", n)
}

// ByState returns every entry in state st, oldest change first.
func (j *DB) ByState(ctx context.Context, st journal.State) ([]journal.Entry, error) {
	return j.entries(ctx, "WHERE state = ? ORDER BY updated_at, order_id", string(st))
}

// CountsBetween counts the work done in [from, to).
func (j *DB) CountsBetween(ctx context.Context, from, to time.Time) (journal.Counts, error) {
	var c journal.Counts
	f, t := ms(from), ms(to)
	err := j.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(DISTINCT order_id) FROM prints WHERE outcome = 'printed' AND ended_at >= ? AND ended_at < ?),
		(SELECT COUNT(*) FROM orders WHERE state = 'shipped' AND shipped_at >= ? AND shipped_at < ?),
		(SELECT COUNT(*) FROM orders WHERE state = 'failed' AND updated_at >= ? AND updated_at < ?),
		(SELECT COUNT(*) FROM orders WHERE state = 'shipping')`,
		f, t, f, t, f, t).Scan(&c.Printed, &c.Shipped, &c.Failed, &c.Unconfirmed)
	if err != nil {
		return journal.Counts{}, storeErr("counting: %w", err)
	}
	return c, nil
}

// Attempts lists the order's JOS writes and reconciliations, oldest first.
func (j *DB) Attempts(ctx context.Context, orderID string) ([]journal.Attempt, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT id, order_id, kind, method, trade_no, logistics, waybills, packages,
		started_at, ended_at, outcome, code, reason FROM attempts WHERE order_id = ? ORDER BY id`, strings.TrimSpace(orderID))
	if err != nil {
		return nil, storeErr("%w", err)
	}
	defer rows.Close()
	var out []journal.Attempt
	for rows.Next() {
		var (
			a              journal.Attempt
			kind, lg, wb   string
			started, ended int64
		)
		if err := rows.Scan(&a.ID, &a.OrderID, &kind, &a.Method, &a.TradeNo, &lg, &wb, &a.Packages,
			&started, &ended, &a.Outcome, &a.Code, &a.Reason); err != nil {
			return nil, storeErr("%w", err)
		}
		a.Kind, a.Carriers = journal.AttemptKind(kind), journal.ParseJOSForm(lg, wb)
		a.StartedAt, a.EndedAt = fromMS(started), fromMS(ended)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Prints lists the order's print jobs, oldest first.
func (j *DB) Prints(ctx context.Context, orderID string) ([]journal.Print, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT `+printColumns+` FROM prints WHERE order_id = ? ORDER BY id`, strings.TrimSpace(orderID))
	if err != nil {
		return nil, storeErr("%w", err)
	}
	defer rows.Close()
	var out []journal.Print
	for rows.Next() {
		p, err := scanPrint(rows)
		if err != nil {
			return nil, storeErr("%w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// BeginPrint records that a label is about to be sent to a printer, before the first byte
// goes out; EndPrint records how it ended. A print left "started" after a crash means the label
// may or may not have come out.
func (j *DB) BeginPrint(ctx context.Context, p journal.PrintJob) (id int64, err error) {
	orderID, err := printdata.CleanOrderID(p.OrderID)
	if err != nil {
		return 0, err
	}
	now := ms(j.now())
	err = j.update(ctx, func(tx *sql.Tx) error {
		if p.Fresh {
			// In the same transaction as the insert below: of two processes, the second sees
			// the first one's print.
			var printed, started int
			if err := tx.QueryRowContext(ctx, `SELECT
				COALESCE((SELECT print_count FROM orders WHERE order_id = ?), 0),
				(SELECT COUNT(*) FROM prints WHERE order_id = ? AND outcome = 'started')`, orderID, orderID).
				Scan(&printed, &started); err != nil {
				return storeErr("checking the prints of %s: %w", orderID, err)
			}
			switch {
			case printed > 0:
				return fmt.Errorf("order %s: %w", orderID, journal.ErrAlreadyPrinted)
			case started > 0:
				return fmt.Errorf("order %s: %w", orderID, journal.ErrPrintingElsewhere)
			}
		}
		// A new order starts as printing; an order already further on keeps its state.
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (order_id, type, state, created_at, updated_at)
			VALUES (?, ?, 'printing', ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET
				type = CASE WHEN excluded.type != '' THEN excluded.type ELSE orders.type END,
				updated_at = excluded.updated_at`,
			orderID, string(p.Type), now, now); err != nil {
			return storeErr("recording the print of %s: %w", orderID, err)
		}
		host, pid := p.Host, p.PID
		if host == "" {
			host, _ = os.Hostname()
		}
		if pid == 0 {
			pid = os.Getpid()
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO prints (order_id, type, pages, copies, target, printer, started_at, host, pid)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, orderID, string(p.Type), p.Pages, p.Copies, string(p.Target.Kind), p.Target.Name, now,
			host, pid)
		if err != nil {
			return storeErr("recording the print of %s: %w", orderID, err)
		}
		id, err = r.LastInsertId()
		return err
	})
	return id, err
}

// EndPrint records the end of print job id: printed when printErr is nil, failed otherwise.
func (j *DB) EndPrint(ctx context.Context, id int64, printErr error) error {
	now := ms(j.now())
	return j.update(ctx, func(tx *sql.Tx) error {
		var orderID, printer string
		var pages int
		err := tx.QueryRowContext(ctx, `SELECT order_id, pages, printer FROM prints WHERE id = ? AND outcome = 'started'`, id).
			Scan(&orderID, &pages, &printer)
		if errors.Is(err, sql.ErrNoRows) {
			return storeErr("print job %d is unknown or already ended", id)
		}
		if err != nil {
			return storeErr("%w", err)
		}
		if printErr == nil {
			if _, err := tx.ExecContext(ctx, `UPDATE prints SET outcome = 'printed', ended_at = ? WHERE id = ?`, now, id); err != nil {
				return storeErr("%w", err)
			}
			_, err = tx.ExecContext(ctx, `UPDATE orders SET
				state = CASE WHEN state IN ('printing', 'printed') OR (state = 'failed' AND failed_step = 'print') THEN 'printed' ELSE state END,
				failed_step = CASE WHEN state = 'failed' AND failed_step = 'print' THEN '' ELSE failed_step END,
				reason = CASE WHEN state = 'failed' AND failed_step = 'print' THEN '' ELSE reason END,
				print_count = print_count + 1, printed_at = ?, pages = ?, printer = ?, updated_at = ?
				WHERE order_id = ?`, now, pages, printer, now, orderID)
		} else {
			reason := printErr.Error()
			if _, err := tx.ExecContext(ctx, `UPDATE prints SET outcome = 'failed', ended_at = ?, reason = ? WHERE id = ?`,
				now, reason, id); err != nil {
				return storeErr("%w", err)
			}
			// Only an order that has nothing better to show becomes failed: a shipped order
			// whose reprint jammed is still shipped.
			_, err = tx.ExecContext(ctx, `UPDATE orders SET state = 'failed', failed_step = 'print', reason = ?,
				retryable = 1, updated_at = ? WHERE order_id = ? AND (state = 'printing' OR (state = 'failed' AND failed_step = 'print'))`,
				reason, now, orderID)
		}
		if err != nil {
			return storeErr("%w", err)
		}
		return nil
	})
}

// EndPrintUnsure records that print job id ended without telling whether its label came out:
// part of it reached the printer, or some pages of a several-page job did. The job stays
// "started" (may or may not have printed) with reason, and a new order stays "printing", so
// that nothing prints it again without a person deciding to (a reprint).
func (j *DB) EndPrintUnsure(ctx context.Context, id int64, reason string) error {
	now := ms(j.now())
	return j.update(ctx, func(tx *sql.Tx) error {
		var orderID string
		err := tx.QueryRowContext(ctx, `SELECT order_id FROM prints WHERE id = ? AND outcome = 'started'`, id).Scan(&orderID)
		if errors.Is(err, sql.ErrNoRows) {
			return storeErr("print job %d is unknown or already ended", id)
		}
		if err != nil {
			return storeErr("%w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE prints SET reason = ? WHERE id = ?`, reason, id); err != nil {
			return storeErr("%w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE orders SET state = 'printing', failed_step = '', reason = ?, retryable = 0,
			updated_at = ? WHERE order_id = ? AND (state = 'printing' OR (state = 'failed' AND failed_step = 'print'))`,
			reason, now, orderID)
		if err != nil {
			return storeErr("%w", err)
		}
		return nil
	})
}

// LastPrint returns the order's most recent print job; ok is false when it has none.
func (j *DB) LastPrint(ctx context.Context, orderID string) (p journal.Print, ok bool, err error) {
	p, err = scanPrint(j.db.QueryRowContext(ctx, `SELECT `+printColumns+` FROM prints WHERE order_id = ?
		ORDER BY id DESC LIMIT 1`, strings.TrimSpace(orderID)))
	if errors.Is(err, sql.ErrNoRows) {
		return journal.Print{}, false, nil
	}
	if err != nil {
		return journal.Print{}, false, storeErr("%w", err)
	}
	return p, true, nil
}

const printColumns = `id, order_id, type, pages, copies, target, printer, started_at, ended_at, outcome, reason, host, pid`

func scanPrint(r scanner) (journal.Print, error) {
	var (
		p                    journal.Print
		typ, target, printer string
		started, ended       int64
	)
	if err := r.Scan(&p.ID, &p.OrderID, &typ, &p.Pages, &p.Copies, &target, &printer, &started, &ended,
		&p.Outcome, &p.Reason, &p.Host, &p.PID); err != nil {
		return journal.Print{}, err
	}
	p.Type, p.Target = printdata.OrderType(typ), journal.Target{Kind: journal.TargetKind(target), Name: printer}
	p.StartedAt, p.EndedAt = fromMS(started), fromMS(ended)
	return p, nil
}

func storeErr(format string, a ...any) error {
	return &journal.StoreError{Err: fmt.Errorf(format, a...)}
}
