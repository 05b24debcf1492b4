package sqljournal

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"station/journal"
	"station/journal/sqldb"
	"station/printdata"
)

// StartPack begins an order's verification, or returns the one under way with its counts (a
// restarted station resumes it). A pack that was set aside starts over from zero: its parcel
// was put aside and is packed again. A pack that passed is returned as it is.
func (j *DB) StartPack(ctx context.Context, orderID string) (journal.Pack, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return journal.Pack{}, err
	}
	now := ms(j.now())
	who := j.Who()
	err = j.Update(ctx, id, func(tx sqldb.Runner) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM packs WHERE order_id = ?`, id).Scan(&state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO packs (order_id, state, started_at, updated_at, station, packer)
				VALUES (?, 'checking', ?, ?, ?, ?)`, id, now, now, who.Station, who.Packer)
		case err == nil && journal.PackState(state) == journal.PackAside:
			if _, err = tx.ExecContext(ctx, `UPDATE packs SET state = 'checking', reason = '', weight_g = 0, expected_g = 0,
				tolerance_g = 0, weight_check = '', started_at = ?, updated_at = ?, station = ?, packer = ? WHERE order_id = ?`,
				now, now, who.Station, who.Packer, id); err == nil {
				_, err = tx.ExecContext(ctx, `INSERT INTO pack_scans (order_id, outcome, at, station, packer) VALUES (?, 'restart', ?, ?, ?)`,
					id, now, who.Station, who.Packer)
			}
		}
		if err != nil {
			return storeErr("starting the verification of %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return journal.Pack{}, err
	}
	p, _, err := j.Pack(ctx, id)
	return p, err
}

// Pack returns an order's verification with its counts.
func (j *DB) packOnce(ctx context.Context, orderID string) (journal.Pack, bool, error) {
	id := strings.TrimSpace(orderID)
	var (
		p                journal.Pack
		state            string
		started, updated int64
	)
	err := j.db.QueryRowContext(ctx, `SELECT order_id, state, reason, weight_g, expected_g, tolerance_g, weight_check,
		started_at, updated_at, station, packer FROM packs WHERE order_id = ?`, id).
		Scan(&p.OrderID, &state, &p.Reason, &p.WeightG, &p.ExpectedG, &p.ToleranceG, &p.WeightCheck, &started, &updated,
			&p.Who.Station, &p.Who.Packer)
	if errors.Is(err, sql.ErrNoRows) {
		return journal.Pack{}, false, nil
	}
	if err != nil {
		return journal.Pack{}, false, storeErr("reading the verification of %s: %w", id, err)
	}
	p.State, p.StartedAt, p.UpdatedAt = journal.PackState(state), fromMS(started), fromMS(updated)
	rows, err := j.db.QueryContext(ctx, `SELECT line, SUM(n) FROM pack_scans WHERE order_id = ? AND outcome = 'counted'
		AND id > COALESCE((SELECT MAX(id) FROM pack_scans WHERE order_id = ? AND outcome = 'restart'), 0)
		GROUP BY line`, id, id)
	if err != nil {
		return journal.Pack{}, false, storeErr("reading the counts of %s: %w", id, err)
	}
	defer rows.Close()
	p.Counts = map[string]int{}
	for rows.Next() {
		var line string
		var n int
		if err := rows.Scan(&line, &n); err != nil {
			return journal.Pack{}, false, storeErr("reading the counts of %s: %w", id, err)
		}
		p.Counts[line] = n
	}
	if err := rows.Err(); err != nil {
		return journal.Pack{}, false, storeErr("reading the counts of %s: %w", id, err)
	}
	return p, true, nil
}

// RecordPackScan records one item scan of a pack under way (ErrNoPack when none is).
func (j *DB) RecordPackScan(ctx context.Context, s journal.PackScan) error {
	id := strings.TrimSpace(s.OrderID)
	now := ms(j.now())
	who := j.Who()
	return j.Update(ctx, id, func(tx sqldb.Runner) error {
		r, err := tx.ExecContext(ctx, `UPDATE packs SET updated_at = ?, station = ?, packer = ? WHERE order_id = ? AND state = 'checking'`,
			now, who.Station, who.Packer, id)
		if err != nil {
			return storeErr("recording a scan of %s: %w", id, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return &journal.PackError{OrderID: id, Err: journal.ErrNoPack}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pack_scans (order_id, code, line, n, outcome, at, station, packer)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, s.Code, s.Line, s.N, s.Outcome, now, who.Station, who.Packer); err != nil {
			return storeErr("recording a scan of %s: %w", id, err)
		}
		return nil
	})
}

// Weighed records a pack's weight.
func (j *DB) Weighed(ctx context.Context, orderID string, w journal.Weighing) error {
	return j.packUpdate(ctx, orderID, `weight_g = ?, expected_g = ?, tolerance_g = ?, weight_check = ?`,
		w.GotG, w.ExpectedG, w.ToleranceG, w.Check)
}

// EndPack ends a pack's verification: complete, skipped (with the packer's reason) or aside
// (with why). A weight out of range that the packer lets go is marked accepted.
func (j *DB) EndPack(ctx context.Context, orderID string, state journal.PackState, reason string) error {
	if state == journal.PackChecking {
		return storeErr("ending the verification of %s: %q is not an end", orderID, state)
	}
	set := `state = ?, reason = ?`
	args := []any{string(state), reason}
	if state.Passed() {
		set += `, weight_check = CASE WHEN weight_check IN ('over', 'under') THEN 'accepted' ELSE weight_check END`
	}
	return j.packUpdate(ctx, orderID, set, args...)
}

func (j *DB) packUpdate(ctx context.Context, orderID, set string, args ...any) error {
	id := strings.TrimSpace(orderID)
	return j.Update(ctx, id, func(tx sqldb.Runner) error {
		who := j.Who()
		r, err := tx.ExecContext(ctx, `UPDATE packs SET `+set+`, updated_at = ?, station = ?, packer = ? WHERE order_id = ?`,
			append(args, ms(j.now()), who.Station, who.Packer, id)...)
		if err != nil {
			return storeErr("recording the verification of %s: %w", id, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return &journal.PackError{OrderID: id, Err: journal.ErrNoPack}
		}
		return nil
	})
}

// PackCountsBetween counts the verification work of [from, to).
func (j *DB) packCountsOnce(ctx context.Context, from, to time.Time) (journal.PackCounts, error) {
	f, t := ms(from), ms(to)
	c := journal.PackCounts{Refused: map[string]int{}}
	err := j.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM packs WHERE state = 'complete' AND updated_at >= ? AND updated_at < ?),
		(SELECT COUNT(*) FROM packs WHERE state = 'skipped' AND updated_at >= ? AND updated_at < ?),
		(SELECT COUNT(*) FROM packs WHERE state = 'aside' AND updated_at >= ? AND updated_at < ?),
		(SELECT COUNT(*) FROM packs WHERE (weight_check = 'over' OR weight_check = 'accepted' AND weight_g > expected_g)
			AND updated_at >= ? AND updated_at < ?),
		(SELECT COUNT(*) FROM packs WHERE (weight_check = 'under' OR weight_check = 'accepted' AND weight_g < expected_g)
			AND updated_at >= ? AND updated_at < ?)`,
		f, t, f, t, f, t, f, t, f, t).Scan(&c.Verified, &c.Skipped, &c.Aside, &c.Overweight, &c.Underweight)
	if err != nil {
		return journal.PackCounts{}, storeErr("counting verifications: %w", err)
	}
	rows, err := j.db.QueryContext(ctx, `SELECT outcome, COUNT(*) FROM pack_scans
		WHERE outcome NOT IN ('counted', 'restart') AND at >= ? AND at < ? GROUP BY outcome`, f, t)
	if err != nil {
		return journal.PackCounts{}, storeErr("counting refused scans: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return journal.PackCounts{}, storeErr("counting refused scans: %w", err)
		}
		c.Refused[o] = n
	}
	if err := rows.Err(); err != nil {
		return journal.PackCounts{}, storeErr("counting refused scans: %w", err)
	}
	return c, nil
}
