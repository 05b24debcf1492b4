package sqljournal

import (
	"context"
	"sort"
	"strings"
	"time"

	"station/journal"
	"station/journal/sqldb"
)

// The parts of the journal that a warehouse of stations shares: batch claims, the history of
// every station and the board.

// batchClaimsLock serializes the batch claims of all stations: a claim reads which orders are
// free and takes them in one go.
const batchClaimsLock = "batch-claims"

// inChunk is how many ids go into one IN (…) list.
const inChunk = 400

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// ClaimBatch takes up to n of the candidates for this station until the given time. A claim
// is a share of the work, not a lock on the order: printing and shipping keep their own
// claims, so an order two stations both hold (one past its claim's time) is still printed and
// shipped once.
func (j *DB) ClaimBatch(ctx context.Context, bc journal.BatchClaim) ([]string, error) {
	candidates, n, until := bc.Candidates, bc.N, bc.Until
	done := `state = 'shipped'`
	if bc.PrintOnly {
		done = `(state = 'shipped' OR print_count > 0)`
	}
	if n <= 0 || len(candidates) == 0 {
		return nil, nil
	}
	me := j.Who().Station
	now := ms(j.now())
	var got []string
	err := j.Update(ctx, batchClaimsLock, func(tx sqldb.Runner) error {
		got = nil
		mine, taken := map[string]bool{}, map[string]bool{}
		for start := 0; start < len(candidates); start += inChunk {
			part := candidates[start:min(start+inChunk, len(candidates))]
			args := make([]any, 0, len(part)+1)
			for _, id := range part {
				args = append(args, id)
			}
			rows, err := tx.QueryContext(ctx, `SELECT order_id, station, expires FROM batch_claims WHERE order_id IN (`+
				placeholders(len(part))+`)`, args...)
			if err != nil {
				return storeErr("reading the batch claims: %w", err)
			}
			for rows.Next() {
				var id, station string
				var expires int64
				if err := rows.Scan(&id, &station, &expires); err != nil {
					rows.Close()
					return storeErr("reading the batch claims: %w", err)
				}
				switch {
				case station == me:
					mine[id] = true
				case expires > now:
					taken[id] = true
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return storeErr("reading the batch claims: %w", err)
			}
			rows, err = tx.QueryContext(ctx, `SELECT order_id FROM orders WHERE `+done+` AND order_id IN (`+
				placeholders(len(part))+`)`, args...)
			if err != nil {
				return storeErr("reading the journal: %w", err)
			}
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return storeErr("reading the journal: %w", err)
				}
				taken[id], mine[id] = true, false
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return storeErr("reading the journal: %w", err)
			}
		}
		seen := map[string]bool{}
		for _, id := range candidates { // this station's own claims first: a restarted station resumes them
			if mine[id] && !seen[id] && len(got) < n {
				got, seen[id] = append(got, id), true
			}
		}
		for _, id := range candidates {
			if !taken[id] && !seen[id] && len(got) < n {
				got, seen[id] = append(got, id), true
			}
		}
		for start := 0; start < len(got); start += inChunk {
			part := got[start:min(start+inChunk, len(got))]
			args := make([]any, 0, 4*len(part))
			for _, id := range part {
				args = append(args, id, me, now, ms(until))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO batch_claims (order_id, station, claimed_at, expires) VALUES `+
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(part)), ", ")+`
				ON CONFLICT (order_id) DO UPDATE SET station = excluded.station, claimed_at = excluded.claimed_at,
				expires = excluded.expires`, args...); err != nil {
				return storeErr("claiming orders: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return got, nil
}

// ReleaseBatch gives this station's batch claims back.
func (j *DB) ReleaseBatch(ctx context.Context, orders ...string) error {
	me := j.Who().Station
	return j.Update(ctx, batchClaimsLock, func(tx sqldb.Runner) error {
		if len(orders) == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM batch_claims WHERE station = ?`, me)
			return storeErrIf(err)
		}
		for start := 0; start < len(orders); start += inChunk {
			part := orders[start:min(start+inChunk, len(orders))]
			args := []any{me}
			for _, id := range part {
				args = append(args, id)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM batch_claims WHERE station = ? AND order_id IN (`+
				placeholders(len(part))+`)`, args...); err != nil {
				return storeErrIf(err)
			}
		}
		return nil
	})
}

func storeErrIf(err error) error {
	if err == nil {
		return nil
	}
	return storeErr("%w", err)
}

// History returns the entries f picks, newest change first.
func (j *DB) History(ctx context.Context, f journal.HistoryFilter) ([]journal.Entry, error) {
	var where []string
	var args []any
	if q := strings.TrimSpace(f.Query); q != "" {
		// A UNION, not an OR: both backends then look the order and the waybill up by index.
		where = append(where, `order_id IN (SELECT order_id FROM waybills WHERE waybill = ? UNION ALL SELECT ?)`)
		args = append(args, strings.ToUpper(q), q) // waybills are kept in capitals
	}
	if f.Station != "" {
		where, args = append(where, `station = ?`), append(args, f.Station)
	}
	if f.Packer != "" {
		// "1001" finds "1001 张三": a packer is told by the 工号 alone.
		like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Packer) + " %"
		where, args = append(where, `(packer = ? OR packer LIKE ? ESCAPE '\')`), append(args, f.Packer, like)
	}
	if !f.From.IsZero() {
		where, args = append(where, `updated_at >= ?`), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, `updated_at < ?`), append(args, ms(f.To))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ") + " "
	}
	return j.entries(ctx, clause+"ORDER BY updated_at DESC, order_id LIMIT ?", append(args, limit)...)
}

// Board counts [from, to) per station, per packer and per hour, with the open exceptions.
func (j *DB) Board(ctx context.Context, from, to time.Time) (b journal.Board, err error) {
	err = j.Read(ctx, func() error {
		var err error
		b, err = j.boardOnce(ctx, from, to)
		return err
	})
	return b, err
}

func (j *DB) boardOnce(ctx context.Context, from, to time.Time) (journal.Board, error) {
	f, t := ms(from), ms(to)
	b := journal.Board{From: from, To: to, Packs: map[string]int{}}
	rows := map[string]map[string]*journal.BoardRow{"station": {}, "packer": {}}
	row := func(col, name string) *journal.BoardRow {
		r := rows[col][name]
		if r == nil {
			r = &journal.BoardRow{Name: name}
			rows[col][name] = r
		}
		return r
	}
	counts := []struct {
		query string
		add   func(r *journal.BoardRow, n int)
	}{
		{`SELECT %s, COUNT(DISTINCT order_id) FROM prints WHERE outcome = 'printed' AND ended_at >= ? AND ended_at < ? GROUP BY %s`,
			func(r *journal.BoardRow, n int) { r.Printed += n }},
		{`SELECT %s, COUNT(*) FROM orders WHERE state = 'shipped' AND shipped_at >= ? AND shipped_at < ? GROUP BY %s`,
			func(r *journal.BoardRow, n int) { r.Shipped += n }},
		{`SELECT %s, COUNT(*) FROM orders WHERE state = 'failed' AND updated_at >= ? AND updated_at < ? GROUP BY %s`,
			func(r *journal.BoardRow, n int) { r.Failed += n }},
	}
	for _, col := range []string{"station", "packer"} {
		for _, c := range counts {
			q := strings.ReplaceAll(c.query, "%s", col)
			rs, err := j.db.QueryContext(ctx, q, f, t)
			if err != nil {
				return b, storeErr("counting the board: %w", err)
			}
			for rs.Next() {
				var name string
				var n int
				if err := rs.Scan(&name, &n); err != nil {
					rs.Close()
					return b, storeErr("counting the board: %w", err)
				}
				c.add(row(col, name), n)
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return b, storeErr("counting the board: %w", err)
			}
		}
	}
	sorted := func(m map[string]*journal.BoardRow) []journal.BoardRow {
		var out []journal.BoardRow
		for _, r := range m {
			out = append(out, *r)
		}
		sort.Slice(out, func(i, k int) bool { return out[i].Name < out[k].Name })
		return out
	}
	b.Stations, b.Packers = sorted(rows["station"]), sorted(rows["packer"])

	hours := map[int64]*journal.HourCount{}
	for _, h := range []struct {
		query string
		add   func(c *journal.HourCount, n int)
	}{
		{`SELECT (ended_at - ?) / 3600000, COUNT(DISTINCT order_id) FROM prints WHERE outcome = 'printed' AND ended_at >= ? AND ended_at < ?
			GROUP BY 1`, func(c *journal.HourCount, n int) { c.Printed += n }},
		{`SELECT (shipped_at - ?) / 3600000, COUNT(*) FROM orders WHERE state = 'shipped' AND shipped_at >= ? AND shipped_at < ?
			GROUP BY 1`, func(c *journal.HourCount, n int) { c.Shipped += n }},
	} {
		rs, err := j.db.QueryContext(ctx, h.query, f, f, t)
		if err != nil {
			return b, storeErr("counting the hours: %w", err)
		}
		for rs.Next() {
			var hour int64
			var n int
			if err := rs.Scan(&hour, &n); err != nil {
				rs.Close()
				return b, storeErr("counting the hours: %w", err)
			}
			c := hours[hour]
			if c == nil {
				c = &journal.HourCount{Start: from.Add(time.Duration(hour) * time.Hour)}
				hours[hour] = c
			}
			h.add(c, n)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return b, storeErr("counting the hours: %w", err)
		}
	}
	for _, c := range hours {
		b.Hours = append(b.Hours, *c)
	}
	sort.Slice(b.Hours, func(i, k int) bool { return b.Hours[i].Start.Before(b.Hours[k].Start) })

	open, err := j.entriesOnce(ctx, `WHERE state IN ('failed', 'shipping') ORDER BY updated_at DESC, order_id LIMIT 200`)
	if err != nil {
		return b, err
	}
	b.Open = open
	if err := j.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM returns WHERE at >= ? AND at < ?`, f, t).Scan(&b.Returns); err != nil {
		return b, storeErr("counting the returns: %w", err)
	}
	rs, err := j.db.QueryContext(ctx, `SELECT station, COUNT(*) FROM packs WHERE state = 'aside' AND updated_at >= ? AND updated_at < ?
		GROUP BY station`, f, t)
	if err != nil {
		return b, storeErr("counting the packs set aside: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var name string
		var n int
		if err := rs.Scan(&name, &n); err != nil {
			return b, storeErr("counting the packs set aside: %w", err)
		}
		b.Packs[name] = n
	}
	return b, rs.Err()
}
