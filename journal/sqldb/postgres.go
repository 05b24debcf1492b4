package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"station/journal"
)

// IsPostgresURL reports whether a -journal value names a PostgreSQL database rather than a
// file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact is a database URL without its password, to show and log.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a database URL that cannot be read)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// PostgresWait is how long a station waits for its PostgreSQL server to come back (a restart,
// a network fault) before an operation fails.
const PostgresWait = 5 * time.Minute

// OpenPostgres connects to the warehouse's journal database at dsn (a postgres:// URL;
// password, TLS and the other options as pgx takes them, ~/.pgpass and PG* variables too) and
// brings its schema up to date. password, when not empty, is used instead of one in the URL
// (the window keeps it in the OS keyring). A server that cannot be reached is an error: the
// station never falls back to a journal of its own.
func OpenPostgres(ctx context.Context, dsn, password string, steps []string) (*DB, error) {
	where := Redact(dsn)
	pcfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the URL, password and all.
		return nil, storeErr("%s: the journal URL is not valid: write it as postgres://USER@HOST:PORT/DATABASE", where)
	}
	if password != "" {
		pcfg.Password = password
	}
	db := stdlib.OpenDB(*pcfg)
	// A station's workflows hold few connections at once; 8 stations × 8 stay well under
	// PostgreSQL's default of 100.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	j := &DB{sqldb: db, db: Runner{c: db, pg: true}, path: where, pg: true, wait: PostgresWait}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, unreachable("%s: the journal database cannot be reached: %w", where, pgReason(err))
	}
	if err := migratePG(ctx, db, steps); err != nil {
		db.Close()
		if retryable(err) {
			return nil, unreachable("%s: the journal database cannot be reached: %w", where, pgReason(err))
		}
		return nil, storeErr("%s: %w", where, pgReason(err))
	}
	return j, nil
}

func unreachable(format string, a ...any) error {
	return &journal.StoreError{Err: fmt.Errorf(format, a...), Unreachable: true}
}

// pgReason keeps a pgx error but never a password: pgx's connect errors name the host and
// user, not the password; a URL it could not read is never quoted.
func pgReason(err error) error {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w", ce.Unwrap())
	}
	return err
}

// migratePG applies the steps the database has not seen. Stations that connect at once take
// turns on an advisory lock: the first applies them, the others find nothing left to do.
func migratePG(ctx context.Context, db *sql.DB, steps []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting the schema migration: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(727374)`); err != nil {
		return fmt.Errorf("locking the schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, len(steps)); err != nil {
		return fmt.Errorf("recording the schema version: %w", err)
	}
	return tx.Commit()
}

func pgVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

// pgUpdate is one try of update on PostgreSQL. The transaction writes a mark; when the reply
// to COMMIT is lost, the mark tells whether it was applied.
func (j *DB) pgUpdate(ctx context.Context, key string, fn func(tx Runner) error) error {
	tx, err := j.sqldb.BeginTx(ctx, nil)
	if err != nil {
		return storeErr("%w", err)
	}
	r := Runner{c: tx, pg: true}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key); err != nil {
		tx.Rollback()
		return storeErr("%w", err)
	}
	if err := fn(r); err != nil {
		tx.Rollback()
		return err
	}
	mark := newMark()
	now := time.Now().UnixMilli()
	if _, err := r.ExecContext(ctx, `INSERT INTO tx_marks (mark, at) VALUES (?, ?)`, mark, now); err != nil {
		tx.Rollback()
		return storeErr("%w", err)
	}
	err = tx.Commit()
	if err == nil {
		if now%64 == 0 { // now and then, forget the marks of commits long settled
			j.sqldb.ExecContext(ctx, `DELETE FROM tx_marks WHERE at < $1`, now-int64(24*time.Hour/time.Millisecond))
		}
		return nil
	}
	if serialization(err) || !retryable(err) {
		return storeErr("committing: %w", err)
	}
	// The reply was lost: wait for the server, then look for the mark.
	var found bool
	check := func() error {
		var n int
		if err := j.sqldb.QueryRowContext(ctx, `SELECT COUNT(*) FROM tx_marks WHERE mark = $1`, mark).Scan(&n); err != nil {
			return err
		}
		found = n > 0
		return nil
	}
	if err := j.retry(ctx, check); err != nil {
		return storeErr("a commit's reply was lost and the journal database cannot be asked whether it was applied: %w", err)
	}
	if found {
		return nil
	}
	return storeErr("committing: %w", err) // not applied: retry tries it again
}

// serialization reports PostgreSQL aborting a transaction for a concurrent one: trying again
// is safe and right.
func serialization(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// retryable reports an error after which the same operation may be tried again: a
// serialization conflict, or a server that cannot be reached, is restarting or broke the
// connection. SQL errors and the journal's own refusals are not.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "40001", pe.Code == "40P01": // serialization failure, deadlock
			return true
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // shutdown, crash, starting up
			return true
		case pe.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "connection reset")
}
