package sqljournal

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"station/internal/pgtest"
	"station/journal"
)

// backends opens an empty journal of each backend for a benchmark.
func backends(b *testing.B) map[string]*DB {
	ctx := context.Background()
	sq, err := OpenSQLite(ctx, filepath.Join(b.TempDir(), "j.db"))
	if err != nil {
		b.Fatal(err)
	}
	pg, err := OpenPostgres(ctx, pgtest.Database(b), "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sq.Close(); pg.Close() })
	return map[string]*DB{"sqlite": sq, "postgres": pg}
}

// seed fills the journal with n shipped orders of 8 stations and 40 packers over 30 days, one
// waybill each, generated inside the database.
func seed(b *testing.B, j *DB, n int) {
	ctx := context.Background()
	start := time.Now().AddDate(0, 0, -30).UnixMilli()
	series := fmt.Sprintf(`WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < %d) SELECT x FROM s`, n)
	if j.IsPostgres() {
		series = fmt.Sprintf(`SELECT x FROM generate_series(CAST(1 AS BIGINT), %d) AS s(x)`, n)
	}
	stmts := []string{
		`INSERT INTO orders (order_id, type, state, logistics, waybills, packages, created_at, updated_at, shipped_at,
			print_count, printed_at, station, packer)
		SELECT CAST(300000000000 + x AS TEXT), 'SOP', 'shipped', '467', 'SF' || CAST(1000000000000 + x AS TEXT), 1,
			{start} + x * 2500, {start} + x * 2500, {start} + x * 2500, 1, {start} + x * 2500,
			'S' || CAST(x % 8 AS TEXT), 'P' || CAST(x % 40 AS TEXT) FROM (` + series + `) AS g`,
		`INSERT INTO waybills (order_id, logistics_id, waybill)
		SELECT CAST(300000000000 + x AS TEXT), '467', 'SF' || CAST(1000000000000 + x AS TEXT) FROM (` + series + `) AS g`,
	}
	for _, s := range stmts {
		if _, err := j.SQL().ExecContext(ctx, strings.ReplaceAll(s, "{start}", fmt.Sprint(start))); err != nil {
			b.Fatal(err)
		}
	}
	j.SQL().ExecContext(ctx, `ANALYZE`)
}

// BenchmarkHistory1M: History's searches over a journal of 1,000,000 orders (and as many
// waybills), on both backends: one station's latest, one packer's day, a waybill, an order.
func BenchmarkHistory1M(b *testing.B) {
	const n = 1_000_000
	for name, j := range backends(b) {
		seed(b, j, n)
		day := time.Now().AddDate(0, 0, -10)
		day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.Local)
		for _, q := range []struct {
			name string
			f    journal.HistoryFilter
			want int
		}{
			{"station", journal.HistoryFilter{Station: "S3"}, 50},
			{"packer-day", journal.HistoryFilter{Packer: "P7", From: day, To: day.AddDate(0, 0, 1)}, 0},
			{"waybill", journal.HistoryFilter{Query: "SF1000000777777"}, 1},
			{"order", journal.HistoryFilter{Query: "300000654321"}, 1},
			{"day", journal.HistoryFilter{From: day, To: day.AddDate(0, 0, 1)}, 50},
		} {
			b.Run(name+"/"+q.name, func(b *testing.B) {
				ctx := context.Background()
				for b.Loop() {
					es, err := j.History(ctx, q.f)
					if err != nil {
						b.Fatal(err)
					}
					if q.want > 0 && len(es) != q.want {
						b.Fatalf("%d entries, want %d", len(es), q.want)
					}
				}
			})
		}
	}
}

// BenchmarkClaim200: one station claims its next 200 of a wave of 5,000 waiting orders (the
// first 2,000 done or claimed by others), on both backends.
func BenchmarkClaim200(b *testing.B) {
	for name, j := range backends(b) {
		seed(b, j, 2000)
		var wave []string
		for i := range 5000 {
			wave = append(wave, fmt.Sprint(300000000001+i))
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				j.SetWho(journal.Who{Station: fmt.Sprint("B", i)})
				got, err := j.ClaimBatch(ctx, journal.BatchClaim{Candidates: wave, N: 200, Until: time.Now().Add(time.Minute)})
				if err != nil || len(got) != 200 {
					b.Fatalf("%d claimed, %v", len(got), err)
				}
				b.StopTimer()
				j.ReleaseBatch(ctx)
				b.StartTimer()
			}
		})
	}
}
