package sqljournal

import (
	"context"
	"fmt"
	"strings"
	"time"

	"station/journal"
	"station/journal/sqldb"
	"station/printdata"
)

// NextAttempt ends the claim's write attempt and opens the next one under the same claim.
func (j *DB) NextAttempt(ctx context.Context, orderID, owner string, attemptID int64, end journal.AttemptEnd, method, tradeNo string, renew time.Time) (int64, error) {
	now := j.now()
	var next int64
	err := j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		if err := endAttempt(ctx, tx, attemptID, end, ms(now)); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `UPDATE orders SET lease_expires = ?, ship_attempts = ship_attempts + 1, updated_at = ?
			WHERE order_id = ? AND lease_owner = ?`, ms(renew), ms(now), orderID, owner)
		if err != nil {
			return storeErr("%w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("journal: order %s: %w", orderID, journal.ErrLeaseLost)
		}
		var lg, wb string
		var packages int
		if err := tx.QueryRowContext(ctx, `SELECT logistics, waybills, packages FROM orders WHERE order_id = ?`, orderID).
			Scan(&lg, &wb, &packages); err != nil {
			return storeErr("reading order %s: %w", orderID, err)
		}
		next, err = j.insertAttempt(ctx, tx, orderID, attemptStart{kind: journal.AttemptOutstorage, method: method, tradeNo: tradeNo,
			carriers: journal.ParseJOSForm(lg, wb), packages: packages}, ms(now))
		return err
	})
	return next, err
}

// BeginDeleteRequest records a delete request as being sent, replacing the order's earlier one.
func (j *DB) BeginDeleteRequest(ctx context.Context, d journal.DeleteRequest) error {
	id, err := printdata.CleanOrderID(d.OrderID)
	if err != nil {
		return err
	}
	now := ms(j.now())
	who := j.Who()
	return j.Update(ctx, id, func(tx sqldb.Runner) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM delete_requests WHERE order_id = ?`, id)
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO delete_requests (order_id, reason, text, state, note, station, packer, asked_at, updated_at)
				VALUES (?, ?, ?, 'sending', '', ?, ?, ?, ?)`, id, d.Reason, d.Text, who.Station, who.Packer, now, now)
		}
		if err != nil {
			return storeErr("recording the delete request of %s: %w", id, err)
		}
		return nil
	})
}

// EndDeleteRequest records where the order's delete request stands now.
func (j *DB) EndDeleteRequest(ctx context.Context, orderID string, st journal.DeleteState, note string) error {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return err
	}
	switch st {
	case journal.DeleteSending, journal.DeletePending, journal.DeleteCancelled, journal.DeleteRefused:
	default:
		return fmt.Errorf("journal: unknown delete request state %q", st)
	}
	now := ms(j.now())
	return j.Update(ctx, id, func(tx sqldb.Runner) error {
		r, err := tx.ExecContext(ctx, `UPDATE delete_requests SET state = ?, note = ?, updated_at = ? WHERE order_id = ?`,
			string(st), note, now, id)
		if err != nil {
			return storeErr("recording the delete request of %s: %w", id, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			// Withdrawn without a request recorded here (made in JD's backend or on another
			// journal): the withdrawal is what there is to keep.
			who := j.Who()
			if _, err := tx.ExecContext(ctx, `INSERT INTO delete_requests (order_id, reason, text, state, note, station, packer, asked_at, updated_at)
				VALUES (?, 0, '', ?, ?, ?, ?, ?, ?)`, id, string(st), note, who.Station, who.Packer, now, now); err != nil {
				return storeErr("recording the delete request of %s: %w", id, err)
			}
		}
		return nil
	})
}

// DeleteRequests returns the latest delete request of each order named that has one, in one
// statement per 200 orders (the history asks for a page of them at once).
func (j *DB) DeleteRequests(ctx context.Context, orderIDs []string) (map[string]journal.DeleteRequest, error) {
	out := map[string]journal.DeleteRequest{}
	for len(orderIDs) > 0 {
		chunk := orderIDs[:min(len(orderIDs), 200)]
		orderIDs = orderIDs[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = strings.TrimSpace(id)
		}
		rows, err := j.db.QueryContext(ctx, `SELECT order_id, reason, text, state, note, station, packer, asked_at, updated_at
			FROM delete_requests WHERE order_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`, args...)
		if err != nil {
			return nil, storeErr("reading delete requests: %w", err)
		}
		for rows.Next() {
			var (
				d              journal.DeleteRequest
				state          string
				asked, updated int64
			)
			if err := rows.Scan(&d.OrderID, &d.Reason, &d.Text, &state, &d.Note, &d.Who.Station, &d.Who.Packer, &asked, &updated); err != nil {
				rows.Close()
				return nil, storeErr("reading delete requests: %w", err)
			}
			d.State, d.AskedAt, d.UpdatedAt = journal.DeleteState(state), fromMS(asked), fromMS(updated)
			out[d.OrderID] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, storeErr("reading delete requests: %w", err)
		}
	}
	return out, nil
}
