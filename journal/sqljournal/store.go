package sqljournal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"station/journal"
	"station/journal/sqldb"
	"station/printdata"
)

const entryColumns = `order_id, type, state, failed_step, reason, retryable, logistics, waybills, packages,
	trade_no, trade_no_used, ship_attempts, lease_owner, lease_expires, lease_host, lease_pid,
	created_at, updated_at, shipped_at, pages, printer, print_count, printed_at, station, packer`

type scanner interface{ Scan(dest ...any) error }

func scanEntry(r scanner) (journal.Entry, error) {
	var (
		e                                                   journal.Entry
		typ, state, logistics, waybills                     string
		retryable, used                                     bool
		leaseExp, created, updated, shipped, printed, lease int64
	)
	err := r.Scan(&e.OrderID, &typ, &state, &e.FailedStep, &e.Reason, &retryable, &logistics, &waybills, &e.Packages,
		&e.TradeNo, &used, &e.ShipAttempts, &e.HeldBy, &leaseExp, &e.LeaseHost, &lease,
		&created, &updated, &shipped, &e.Pages, &e.Printer, &e.Prints, &printed, &e.Who.Station, &e.Who.Packer)
	if err != nil {
		return journal.Entry{}, err
	}
	e.Type, e.State, e.Retryable, e.TradeNoUsed = printdata.OrderType(typ), journal.State(state), retryable, used
	e.LeasePID = int(lease)
	e.Carriers = journal.ParseJOSForm(logistics, waybills)
	e.HeldUntil = fromMS(leaseExp)
	e.CreatedAt, e.UpdatedAt, e.ShippedAt, e.PrintedAt = fromMS(created), fromMS(updated), fromMS(shipped), fromMS(printed)
	if e.HeldBy == "" {
		e.HeldUntil = time.Time{}
	}
	return e, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getEntry(ctx context.Context, q querier, orderID string) (journal.Entry, bool, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM orders WHERE order_id = ?", orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return journal.Entry{}, false, nil
	}
	if err != nil {
		return journal.Entry{}, false, storeErr("reading order %s: %w", orderID, err)
	}
	return e, true, nil
}

func (j *DB) entriesOnce(ctx context.Context, where string, args ...any) ([]journal.Entry, error) {
	rows, err := j.db.QueryContext(ctx, "SELECT "+entryColumns+" FROM orders "+where, args...)
	if err != nil {
		return nil, storeErr("%w", err)
	}
	defer rows.Close()
	var out []journal.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, storeErr("%w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("%w", err)
	}
	return out, nil
}

// getOnce is Get, tried once.
func (j *DB) getOnce(ctx context.Context, orderID string) (e journal.Entry, ok bool, err error) {
	return getEntry(ctx, j.db, strings.TrimSpace(orderID))
}

// ByWaybill returns the entries whose shipment carries the waybill (normally one).
func (j *DB) ByWaybill(ctx context.Context, waybill string) ([]journal.Entry, error) {
	return j.entries(ctx, "WHERE order_id IN (SELECT order_id FROM waybills WHERE waybill = ?) ORDER BY updated_at DESC",
		strings.ToUpper(strings.TrimSpace(waybill)))
}

// Recent returns the n most recently changed entries, newest first.
func (j *DB) Recent(ctx context.Context, n int) ([]journal.Entry, error) {
	if n <= 0 {
		return nil, nil
	}
	return j.entries(ctx, "ORDER BY updated_at DESC, order_id LIMIT ?", n)
}

// ByState returns every entry in state st, oldest change first.
func (j *DB) ByState(ctx context.Context, st journal.State) ([]journal.Entry, error) {
	return j.entries(ctx, "WHERE state = ? ORDER BY updated_at, order_id", string(st))
}

// CountsBetween counts the work done in [from, to).
func (j *DB) countsOnce(ctx context.Context, from, to time.Time) (journal.Counts, error) {
	var c journal.Counts
	f, t := ms(from), ms(to)
	err := j.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(DISTINCT order_id) FROM prints WHERE outcome = 'printed' AND ended_at >= ? AND ended_at < ?),
		(SELECT COUNT(*) FROM orders WHERE state = 'shipped' AND shipped_at >= ? AND shipped_at < ?),
		(SELECT COUNT(*) FROM orders WHERE state = 'failed' AND updated_at >= ? AND updated_at < ?),
		(SELECT COUNT(*) FROM orders WHERE state = 'shipping')`,
		f, t, f, t, f, t).Scan(&c.Printed, &c.Shipped, &c.Failed, &c.Unconfirmed)
	if err != nil {
		return journal.Counts{}, storeErr("counting: %w", err)
	}
	return c, nil
}

// Attempts lists the order's JOS writes and reconciliations, oldest first.
func (j *DB) attemptsOnce(ctx context.Context, orderID string) ([]journal.Attempt, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT id, order_id, kind, method, trade_no, logistics, waybills, packages,
		started_at, ended_at, outcome, code, reason, station, packer FROM attempts WHERE order_id = ? ORDER BY id`, strings.TrimSpace(orderID))
	if err != nil {
		return nil, storeErr("%w", err)
	}
	defer rows.Close()
	var out []journal.Attempt
	for rows.Next() {
		var (
			a              journal.Attempt
			kind, lg, wb   string
			started, ended int64
		)
		if err := rows.Scan(&a.ID, &a.OrderID, &kind, &a.Method, &a.TradeNo, &lg, &wb, &a.Packages,
			&started, &ended, &a.Outcome, &a.Code, &a.Reason, &a.Who.Station, &a.Who.Packer); err != nil {
			return nil, storeErr("%w", err)
		}
		a.Kind, a.Carriers = journal.AttemptKind(kind), journal.ParseJOSForm(lg, wb)
		a.StartedAt, a.EndedAt = fromMS(started), fromMS(ended)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Prints lists the order's print jobs, oldest first.
func (j *DB) printsOnce(ctx context.Context, orderID string) ([]journal.Print, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT `+printColumns+` FROM prints WHERE order_id = ? ORDER BY id`, strings.TrimSpace(orderID))
	if err != nil {
		return nil, storeErr("%w", err)
	}
	defer rows.Close()
	var out []journal.Print
	for rows.Next() {
		p, err := scanPrint(rows)
		if err != nil {
			return nil, storeErr("%w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// BeginPrint records that a label is about to be sent to a printer, before the first byte
// goes out; EndPrint records how it ended. A print left "started" after a crash means the label
// may or may not have come out.
func (j *DB) BeginPrint(ctx context.Context, p journal.PrintJob) (id int64, err error) {
	orderID, err := printdata.CleanOrderID(p.OrderID)
	if err != nil {
		return 0, err
	}
	now := ms(j.now())
	err = j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		if p.Fresh {
			// In the same transaction as the insert below: of two processes, the second sees
			// the first one's print.
			var printed, started int
			if err := tx.QueryRowContext(ctx, `SELECT
				COALESCE((SELECT print_count FROM orders WHERE order_id = ?), 0),
				(SELECT COUNT(*) FROM prints WHERE order_id = ? AND outcome = 'started')`, orderID, orderID).
				Scan(&printed, &started); err != nil {
				return storeErr("checking the prints of %s: %w", orderID, err)
			}
			switch {
			case printed > 0:
				return fmt.Errorf("order %s: %w", orderID, journal.ErrAlreadyPrinted)
			case started > 0:
				return fmt.Errorf("order %s: %w", orderID, journal.ErrPrintingElsewhere)
			}
		}
		// A new order starts as printing; an order already further on keeps its state.
		who := j.Who()
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (order_id, type, state, created_at, updated_at, station, packer)
			VALUES (?, ?, 'printing', ?, ?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET
				type = CASE WHEN excluded.type != '' THEN excluded.type ELSE orders.type END,
				updated_at = excluded.updated_at, station = excluded.station, packer = excluded.packer`,
			orderID, string(p.Type), now, now, who.Station, who.Packer); err != nil {
			return storeErr("recording the print of %s: %w", orderID, err)
		}
		host, pid := p.Host, p.PID
		if host == "" {
			host, _ = os.Hostname()
		}
		if pid == 0 {
			pid = os.Getpid()
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO prints (order_id, type, pages, copies, target, printer, started_at, host, pid,
			station, packer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, orderID, string(p.Type), p.Pages, p.Copies,
			string(p.Target.Kind), p.Target.Name, now, host, pid, who.Station, who.Packer).Scan(&id); err != nil {
			return storeErr("recording the print of %s: %w", orderID, err)
		}
		return nil
	})
	return id, err
}

// EndPrint records the end of print job id: printed when printErr is nil, failed otherwise.
func (j *DB) EndPrint(ctx context.Context, id int64, printErr error) error {
	now := ms(j.now())
	orderID, err := j.printOrder(ctx, id)
	if err != nil {
		return err
	}
	return j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		var orderID, printer string
		var pages int
		err := tx.QueryRowContext(ctx, `SELECT order_id, pages, printer FROM prints WHERE id = ? AND outcome = 'started'`, id).
			Scan(&orderID, &pages, &printer)
		if errors.Is(err, sql.ErrNoRows) {
			return storeErr("print job %d is unknown or already ended", id)
		}
		if err != nil {
			return storeErr("%w", err)
		}
		if printErr == nil {
			if _, err := tx.ExecContext(ctx, `UPDATE prints SET outcome = 'printed', ended_at = ? WHERE id = ?`, now, id); err != nil {
				return storeErr("%w", err)
			}
			_, err = tx.ExecContext(ctx, `UPDATE orders SET
				state = CASE WHEN state IN ('printing', 'printed') OR (state = 'failed' AND failed_step = 'print') THEN 'printed' ELSE state END,
				failed_step = CASE WHEN state = 'failed' AND failed_step = 'print' THEN '' ELSE failed_step END,
				reason = CASE WHEN state = 'failed' AND failed_step = 'print' THEN '' ELSE reason END,
				print_count = print_count + 1, printed_at = ?, pages = ?, printer = ?, updated_at = ?
				WHERE order_id = ?`, now, pages, printer, now, orderID)
		} else {
			reason := printErr.Error()
			if _, err := tx.ExecContext(ctx, `UPDATE prints SET outcome = 'failed', ended_at = ?, reason = ? WHERE id = ?`,
				now, reason, id); err != nil {
				return storeErr("%w", err)
			}
			// Only an order that has nothing better to show becomes failed: a shipped order
			// whose reprint jammed is still shipped.
			_, err = tx.ExecContext(ctx, `UPDATE orders SET state = 'failed', failed_step = 'print', reason = ?,
				retryable = 1, updated_at = ? WHERE order_id = ? AND (state = 'printing' OR (state = 'failed' AND failed_step = 'print'))`,
				reason, now, orderID)
		}
		if err != nil {
			return storeErr("%w", err)
		}
		return nil
	})
}

// EndPrintUnsure records that print job id ended without telling whether its label came out:
// part of it reached the printer, or some pages of a several-page job did. The job stays
// "started" (may or may not have printed) with reason, and a new order stays "printing", so
// that nothing prints it again without a person deciding to (a reprint).
func (j *DB) EndPrintUnsure(ctx context.Context, id int64, reason string) error {
	now := ms(j.now())
	orderID, err := j.printOrder(ctx, id)
	if err != nil {
		return err
	}
	return j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		var orderID string
		err := tx.QueryRowContext(ctx, `SELECT order_id FROM prints WHERE id = ? AND outcome = 'started'`, id).Scan(&orderID)
		if errors.Is(err, sql.ErrNoRows) {
			return storeErr("print job %d is unknown or already ended", id)
		}
		if err != nil {
			return storeErr("%w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE prints SET reason = ? WHERE id = ?`, reason, id); err != nil {
			return storeErr("%w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE orders SET state = 'printing', failed_step = '', reason = ?, retryable = 0,
			updated_at = ? WHERE order_id = ? AND (state = 'printing' OR (state = 'failed' AND failed_step = 'print'))`,
			reason, now, orderID)
		if err != nil {
			return storeErr("%w", err)
		}
		return nil
	})
}

// printOrder is the order of print job id (which never changes: read before the transaction
// that locks the order).
func (j *DB) printOrder(ctx context.Context, id int64) (orderID string, err error) {
	err = j.Read(ctx, func() error {
		err := j.db.QueryRowContext(ctx, `SELECT order_id FROM prints WHERE id = ?`, id).Scan(&orderID)
		if errors.Is(err, sql.ErrNoRows) {
			return storeErr("print job %d is unknown", id)
		}
		return err
	})
	if err != nil && !errors.Is(err, journal.ErrStore) {
		err = storeErr("%w", err)
	}
	return orderID, err
}

// LastPrint returns the order's most recent print job; ok is false when it has none.
func (j *DB) lastPrintOnce(ctx context.Context, orderID string) (p journal.Print, ok bool, err error) {
	p, err = scanPrint(j.db.QueryRowContext(ctx, `SELECT `+printColumns+` FROM prints WHERE order_id = ?
		ORDER BY id DESC LIMIT 1`, strings.TrimSpace(orderID)))
	if errors.Is(err, sql.ErrNoRows) {
		return journal.Print{}, false, nil
	}
	if err != nil {
		return journal.Print{}, false, storeErr("%w", err)
	}
	return p, true, nil
}

const printColumns = `id, order_id, type, pages, copies, target, printer, started_at, ended_at, outcome, reason, host, pid,
	station, packer`

func scanPrint(r scanner) (journal.Print, error) {
	var (
		p                    journal.Print
		typ, target, printer string
		started, ended       int64
	)
	if err := r.Scan(&p.ID, &p.OrderID, &typ, &p.Pages, &p.Copies, &target, &printer, &started, &ended,
		&p.Outcome, &p.Reason, &p.Host, &p.PID, &p.Who.Station, &p.Who.Packer); err != nil {
		return journal.Print{}, err
	}
	p.Type, p.Target = printdata.OrderType(typ), journal.Target{Kind: journal.TargetKind(target), Name: printer}
	p.StartedAt, p.EndedAt = fromMS(started), fromMS(ended)
	return p, nil
}
