// Package sqldb is the SQL database a journal runs on: it opens an SQLite file or a PostgreSQL
// database (bringing its schema up to date), runs statements written once with ? placeholders
// on either, and runs transactions that take turns per key, wait while a PostgreSQL server is
// away, and settle a commit whose reply was lost.
package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	mathrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"station/journal"
)

// DB is one open database.
type DB struct {
	sqldb *sql.DB
	db    Runner // sqldb, speaking the backend's placeholders
	path  string // the file, or the database's URL without its password
	pg    bool

	// wait is how long a PostgreSQL database is waited for to come back before an operation
	// fails; waiting reports each wait's start and end.
	wait    time.Duration
	waiting func(err error)

	conflicts atomic.Int64
}

// SQL is the database handle (tests, benchmarks).
func (j *DB) SQL() *sql.DB { return j.sqldb }

// Pool runs statements on the pool, outside any transaction.
func (j *DB) Pool() Runner { return j.db }

// IsPostgres reports a PostgreSQL database.
func (j *DB) IsPostgres() bool { return j.pg }

// Where is the database file, or the database's URL without its password.
func (j *DB) Where() string { return j.path }

// SetWait sets how long a PostgreSQL journal waits for an unreachable server before an
// operation gives up (0: do not wait), and a function told when a wait starts (with the
// error) and ends (nil).
func (j *DB) SetWait(d time.Duration, notify func(err error)) { j.wait, j.waiting = d, notify }

// Close closes the database.
func (j *DB) Close() error { return j.sqldb.Close() }

// Version is the database's schema version.
func (j *DB) Version(ctx context.Context) (int, error) {
	if j.pg {
		return pgVersion(ctx, j.sqldb)
	}
	var v int
	err := j.sqldb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// conn is what Runner runs statements on: the pool or one transaction.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Runner runs the journal's statements, written with ? placeholders, on either backend.
type Runner struct {
	c  conn
	pg bool
}

func (r Runner) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.c.ExecContext(ctx, r.bind(query), flags(args)...)
}

func (r Runner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.c.QueryContext(ctx, r.bind(query), flags(args)...)
}

func (r Runner) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.c.QueryRowContext(ctx, r.bind(query), flags(args)...)
}

var bound sync.Map // statement with ? → with $n

// bind turns ? placeholders into PostgreSQL's $1, $2, …. The journal's statements have no ?
// inside string literals.
func (r Runner) bind(query string) string {
	if !r.pg || !strings.Contains(query, "?") {
		return query
	}
	if b, ok := bound.Load(query); ok {
		return b.(string)
	}
	var sb strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			sb.WriteString("$" + strconv.Itoa(n))
			continue
		}
		sb.WriteRune(c)
	}
	bound.Store(query, sb.String())
	return sb.String()
}

// flags stores booleans as 0/1: both schemas keep flags in integer columns.
func flags(args []any) []any {
	var out []any
	for i, a := range args {
		if b, ok := a.(bool); ok {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = 0
			if b {
				out[i] = 1
			}
		}
	}
	if out == nil {
		return args
	}
	return out
}

// Update runs fn in one transaction and commits it: when Update returns nil, the change is
// on disk. On SQLite the transaction is IMMEDIATE (writers take turns). On PostgreSQL the
// transactions of one key (an order id) take turns on an advisory lock, taken first, and see
// each other's commits (READ COMMITTED); those of different orders run side by side. It is
// tried again while the server is unreachable before the commit was sent; a commit whose
// reply was lost is settled by looking for the transaction's mark, so that it is never
// applied twice.
func (j *DB) Update(ctx context.Context, key string, fn func(tx Runner) error) error {
	if !j.pg {
		tx, err := j.sqldb.BeginTx(ctx, nil)
		if err != nil {
			return storeErr("%w", err)
		}
		if err := fn(Runner{c: tx}); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return storeErr("committing: %w", err)
		}
		return nil
	}
	return j.retry(ctx, func() error { return j.pgUpdate(ctx, key, fn) })
}

// Read runs a read, waiting (on PostgreSQL) while the server is unreachable.
func (j *DB) Read(ctx context.Context, fn func() error) error {
	if !j.pg {
		return fn()
	}
	return j.retry(ctx, fn)
}

// retry runs fn until it succeeds, fails for a reason other than an unreachable server or a
// serialization conflict, or the wait runs out. A conflict is tried again at once (after a
// moment's jitter, so that two stations do not meet again); a server away is asked again
// with growing pauses up to a second.
func (j *DB) retry(ctx context.Context, fn func() error) error {
	var deadline time.Time
	pause := 20 * time.Millisecond
	told := false
	end := func(err error) error {
		if told && j.waiting != nil {
			j.waiting(nil)
		}
		return err
	}
	for conflicts := 0; ; {
		err := fn()
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return end(err)
		}
		wait := pause
		if serialization(err) {
			conflicts++
			j.conflicts.Add(1)
			wait = time.Duration(mathrand.Int64N(int64(time.Millisecond) * int64(min(conflicts, 20))))
		} else {
			if deadline.IsZero() {
				deadline = time.Now().Add(j.wait)
			}
			if time.Now().After(deadline) {
				return end(unreachable("the journal database %s did not answer for %v: %w", j.path, j.wait.Round(time.Second), err))
			}
			if !told && j.waiting != nil {
				j.waiting(err)
				told = true
			}
			if pause < time.Second {
				pause *= 2
			}
		}
		select {
		case <-ctx.Done():
			return end(err)
		case <-time.After(wait):
		}
	}
}

// Conflicts is how many transactions PostgreSQL aborted for a concurrent one and were tried
// again (figures for benchmarks).
func (j *DB) Conflicts() int64 { return j.conflicts.Load() }

func newMark() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func storeErr(format string, a ...any) error {
	return &journal.StoreError{Err: fmt.Errorf(format, a...)}
}
