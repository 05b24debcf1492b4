package sqljournal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"station/journal"
	"station/journal/sqldb"
	"station/printdata"
)

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

const afsColumns = `order_id, apply_type, expect, question, state, case_id, known, note, holder, held_until, station, packer, asked_at, updated_at`

func scanAfs(row interface{ Scan(...any) error }) (journal.AfsApply, error) {
	var (
		a                     journal.AfsApply
		state, known          string
		until, asked, updated int64
	)
	err := row.Scan(&a.OrderID, &a.Type, &a.Expect, &a.Question, &state, &a.CaseID, &known, &a.Note, &a.Holder, &until,
		&a.Who.Station, &a.Who.Packer, &asked, &updated)
	a.State, a.Known, a.Until, a.AskedAt, a.UpdatedAt = journal.AfsState(state), splitIDs(known), fromMS(until), fromMS(asked), fromMS(updated)
	return a, err
}

// BeginAfsApply records an application as being sent under the lease, unless an earlier one of
// the same order and type is unsettled (returned, for settling first) or being sent by another
// live process (ErrAfsBusy).
func (j *DB) BeginAfsApply(ctx context.Context, a journal.AfsApply, l journal.Lease) (journal.AfsApply, bool, error) {
	id, err := printdata.CleanOrderID(a.OrderID)
	if err != nil {
		return journal.AfsApply{}, false, err
	}
	now := j.now()
	who := j.Who()
	var (
		earlier   journal.AfsApply
		unsettled bool
	)
	err = j.Update(ctx, id, func(tx sqldb.Runner) error {
		prev, err := scanAfs(tx.QueryRowContext(ctx, `SELECT `+afsColumns+` FROM afs_applies WHERE order_id = ? AND apply_type = ?`, id, a.Type))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return storeErr("reading the after-sales application of %s: %w", id, err)
		case prev.HeldByOther(l.Owner, now):
			earlier = prev
			return fmt.Errorf("order %s: %w", id, journal.ErrAfsBusy)
		case prev.State == journal.AfsSending:
			// Unsettled: it is the caller's to settle now, under this lease.
			earlier, unsettled = prev, true
			_, err := tx.ExecContext(ctx, `UPDATE afs_applies SET holder = ?, held_until = ?, updated_at = ? WHERE order_id = ? AND apply_type = ?`,
				l.Owner, ms(l.Expires), ms(now), id, a.Type)
			if err != nil {
				return storeErr("claiming the after-sales application of %s: %w", id, err)
			}
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM afs_applies WHERE order_id = ? AND apply_type = ?`, id, a.Type); err != nil {
			return storeErr("recording the after-sales application of %s: %w", id, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO afs_applies (`+afsColumns+`) VALUES (?, ?, ?, ?, 'sending', 0, ?, '', ?, ?, ?, ?, ?, ?)`,
			id, a.Type, a.Expect, a.Question, joinIDs(a.Known), l.Owner, ms(l.Expires), who.Station, who.Packer, ms(now), ms(now))
		if err != nil {
			return storeErr("recording the after-sales application of %s: %w", id, err)
		}
		return nil
	})
	return earlier, unsettled, err
}

// EndAfsApply records how an application ended and releases its claim.
func (j *DB) EndAfsApply(ctx context.Context, orderID string, typ int, st journal.AfsState, caseID int64, note string) error {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return err
	}
	switch st {
	case journal.AfsSending, journal.AfsCreated, journal.AfsRefused:
	default:
		return fmt.Errorf("journal: unknown after-sales application state %q", st)
	}
	return j.Update(ctx, id, func(tx sqldb.Runner) error {
		_, err := tx.ExecContext(ctx, `UPDATE afs_applies SET state = ?, case_id = ?, note = ?, holder = '', held_until = 0, updated_at = ?
			WHERE order_id = ? AND apply_type = ?`, string(st), caseID, note, ms(j.now()), id, typ)
		if err != nil {
			return storeErr("recording the after-sales application of %s: %w", id, err)
		}
		return nil
	})
}

// AfsApplyOf returns the order's application of a type.
func (j *DB) AfsApplyOf(ctx context.Context, orderID string, typ int) (journal.AfsApply, bool, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return journal.AfsApply{}, false, err
	}
	a, err := scanAfs(j.db.QueryRowContext(ctx, `SELECT `+afsColumns+` FROM afs_applies WHERE order_id = ? AND apply_type = ?`, id, typ))
	if errors.Is(err, sql.ErrNoRows) {
		return journal.AfsApply{}, false, nil
	}
	if err != nil {
		return journal.AfsApply{}, false, storeErr("reading the after-sales application of %s: %w", id, err)
	}
	return a, true, nil
}

// RecordReturn keeps a returned parcel.
func (j *DB) RecordReturn(ctx context.Context, r journal.Return) (int64, error) {
	id, err := printdata.CleanOrderID(r.OrderID)
	if err != nil {
		return 0, err
	}
	switch r.Condition {
	case journal.ReturnGood, journal.ReturnDamaged, journal.ReturnMissing:
	default:
		return 0, fmt.Errorf("journal: unknown return condition %q", r.Condition)
	}
	who := j.Who()
	var rid int64
	err = j.Update(ctx, id, func(tx sqldb.Runner) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO returns (order_id, case_id, waybill, cond, note, station, packer, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, r.CaseID, strings.TrimSpace(r.Waybill), string(r.Condition),
			r.Note, who.Station, who.Packer, ms(j.now())).Scan(&rid)
		if err != nil {
			return storeErr("recording the return of %s: %w", id, err)
		}
		return nil
	})
	return rid, err
}

// Returns finds returned parcels, newest first.
func (j *DB) Returns(ctx context.Context, f journal.ReturnFilter) ([]journal.Return, error) {
	q := `SELECT id, order_id, case_id, waybill, cond, note, station, packer, at FROM returns WHERE 1 = 1`
	var args []any
	if v := strings.TrimSpace(f.Query); v != "" {
		q += ` AND (order_id = ? OR waybill = ? OR CAST(case_id AS TEXT) = ?)`
		args = append(args, v, strings.ToUpper(v), v)
	}
	if !f.From.IsZero() {
		q += ` AND at >= ?`
		args = append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND at < ?`
		args = append(args, ms(f.To))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += ` ORDER BY at DESC, id DESC LIMIT ` + strconv.Itoa(limit)
	rows, err := j.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, storeErr("reading returns: %w", err)
	}
	defer rows.Close()
	var out []journal.Return
	for rows.Next() {
		var (
			r    journal.Return
			cond string
			at   int64
		)
		if err := rows.Scan(&r.ID, &r.OrderID, &r.CaseID, &r.Waybill, &cond, &r.Note, &r.Who.Station, &r.Who.Packer, &at); err != nil {
			return nil, storeErr("reading returns: %w", err)
		}
		r.Condition, r.At = journal.Condition(cond), fromMS(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("reading returns: %w", err)
	}
	return out, nil
}
