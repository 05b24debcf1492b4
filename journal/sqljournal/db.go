// Package sqljournal is the journal's domain in SQL: prints, claims, shipments, packs, batch
// claims, history and the board, as statements written once for both backends of sqldb (an
// SQLite file for one station, PostgreSQL for a warehouse), with the same journal test suite.
package sqljournal

import (
	"context"
	"fmt"
	"sync"
	"time"

	"station/journal"
	"station/journal/schema"
	"station/journal/sqldb"
)

// DB is the journal in an SQL database: one station's SQLite file (shared by the processes of
// one PC), or a warehouse's PostgreSQL database shared by its stations.
type DB struct {
	*sqldb.DB
	db  sqldb.Runner // the pool, outside transactions
	now func() time.Time

	whoMu sync.Mutex
	who   journal.Who
}

var _ journal.Store = (*DB)(nil)

// OpenSQLite opens (creating if needed) the journal file at path and brings its schema up to
// date.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	return openSQLite(ctx, path, schema.SQLite)
}

func openSQLite(ctx context.Context, path string, steps []string) (*DB, error) {
	return wrap(sqldb.OpenSQLite(ctx, path, steps))
}

// OpenPostgres connects to the warehouse's journal database at dsn (see sqldb.OpenPostgres)
// and brings its schema up to date. A server that cannot be reached is an error: the station
// never falls back to a journal of its own.
func OpenPostgres(ctx context.Context, dsn, password string) (*DB, error) {
	return wrap(sqldb.OpenPostgres(ctx, dsn, password, schema.Postgres))
}

func wrap(c *sqldb.DB, err error) (*DB, error) {
	if err != nil {
		return nil, err
	}
	return &DB{DB: c, db: c.Pool(), now: time.Now}, nil
}

// IsPostgresURL reports whether a -journal value names a PostgreSQL database, not a file.
func IsPostgresURL(s string) bool { return sqldb.IsPostgresURL(s) }

// Redact is a database URL without its password, to show and log.
func Redact(dsn string) string { return sqldb.Redact(dsn) }

// PostgresWait is how long a station waits for its PostgreSQL server to come back.
const PostgresWait = sqldb.PostgresWait

// SetWho sets the station and packer recorded with every write from now on.
func (j *DB) SetWho(w journal.Who) {
	j.whoMu.Lock()
	j.who = w
	j.whoMu.Unlock()
}

// Who is the station and packer recorded with writes.
func (j *DB) Who() journal.Who {
	j.whoMu.Lock()
	defer j.whoMu.Unlock()
	return j.who
}

// SetClock makes the journal take its times from now (tests).
func (j *DB) SetClock(now func() time.Time) { j.now = now }

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

func storeErr(format string, a ...any) error {
	return &journal.StoreError{Err: fmt.Errorf(format, a...)}
}
