package sqljournal_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"station/internal/pgtest"
	"station/journal"
	"station/journal/journaltest"
	"station/journal/sqljournal"
)

// The SQLite journal passes the behaviour every backend must show.
func TestSQLiteSuite(t *testing.T) {
	journaltest.Run(t, func(t *testing.T) func(now func() time.Time) journal.Store {
		path := filepath.Join(t.TempDir(), "journal.db")
		return func(now func() time.Time) journal.Store {
			j, err := sqljournal.OpenSQLite(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			j.SetClock(now)
			t.Cleanup(func() { j.Close() })
			return j
		}
	})
}

// The PostgreSQL journal passes the same suite, each test on a database of its own.
func TestPostgresSuite(t *testing.T) {
	journaltest.Run(t, func(t *testing.T) func(now func() time.Time) journal.Store {
		url := pgtest.Database(t)
		return func(now func() time.Time) journal.Store {
			j, err := sqljournal.OpenPostgres(context.Background(), url, "")
			if err != nil {
				t.Fatal(err)
			}
			j.SetClock(now)
			t.Cleanup(func() { j.Close() })
			return j
		}
	})
}
