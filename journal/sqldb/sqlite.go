package sqldb

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
)

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
func OpenSQLite(ctx context.Context, path string, steps []string) (*DB, error) {
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
	j := &DB{sqldb: db, db: Runner{c: db}, path: path}
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
