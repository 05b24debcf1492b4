package sqljournal

import (
	"context"
	"fmt"
	"time"

	"station/journal"
	"station/journal/sqldb"
	"station/printdata"
)

// The claims of the SQLite journal. Each runs in one IMMEDIATE transaction: when it returns
// nil, its claim (or outcome) is on disk.

func sameShipment(e journal.Entry, c journal.ShipmentClaim) bool {
	elg, ewb := journal.JOSForm(e.Carriers)
	lg, wb := journal.JOSForm(c.Carriers)
	return e.Type == c.Type && e.Packages == c.Packages && elg == lg && ewb == wb
}

// ClaimShipment takes the order for an outstorage: when it returns ClaimSend, "shipping" with
// the trade_no is committed; ClaimReconcile comes with the lease and a reconcile attempt.
func (j *DB) ClaimShipment(ctx context.Context, sc journal.ShipmentClaim) (journal.Claim, error) {
	now := j.now()
	l := sc.Lease
	var c journal.Claim
	err := j.Update(ctx, sc.OrderID, func(tx sqldb.Runner) error {
		c = journal.Claim{Owner: l.Owner}
		e, found, err := getEntry(ctx, tx, sc.OrderID)
		if err != nil {
			return err
		}
		c.Entry = e
		if found {
			switch {
			case e.State == journal.StateShipped:
				c.Kind = journal.ClaimDone
				return nil
			case e.HeldByOther(now):
				c.Kind = journal.ClaimBusy
				return nil
			case e.State == journal.StateShipping:
				c.Kind, c.TradeNo = journal.ClaimReconcile, e.TradeNo
				if err := setLease(ctx, tx, sc.OrderID, l, ms(now)); err != nil {
					return err
				}
				c.AttemptID, err = j.insertAttempt(ctx, tx, sc.OrderID, attemptStart{kind: journal.AttemptReconcile,
					method: printdata.MethodOrderGet, tradeNo: e.TradeNo}, ms(now))
				return err
			}
		}
		c.Kind = journal.ClaimSend
		switch {
		case sc.TradeNo != "":
			c.TradeNo = sc.TradeNo
		case found && e.TradeNo != "" && !e.TradeNoUsed && sameShipment(e, sc):
			c.TradeNo = e.TradeNo // a retry of the same shipment: if JD did see it, it says so (code 17)
		default:
			c.TradeNo = sc.NewTradeNo
		}
		lg, wb := journal.JOSForm(sc.Carriers)
		who := j.Who()
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (order_id, type, state, logistics, waybills, packages, trade_no,
				ship_attempts, lease_owner, lease_expires, lease_host, lease_pid, created_at, updated_at, station, packer)
			VALUES (?, ?, 'shipping', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET type = excluded.type, state = 'shipping', failed_step = '', reason = '',
				retryable = 0, logistics = excluded.logistics, waybills = excluded.waybills, packages = excluded.packages,
				trade_no = excluded.trade_no, trade_no_used = 0, ship_attempts = orders.ship_attempts + 1,
				lease_owner = excluded.lease_owner, lease_expires = excluded.lease_expires,
				lease_host = excluded.lease_host, lease_pid = excluded.lease_pid, updated_at = excluded.updated_at,
				station = excluded.station, packer = excluded.packer`,
			sc.OrderID, string(sc.Type), lg, wb, sc.Packages, c.TradeNo, l.Owner, ms(l.Expires), l.Host, l.PID, ms(now), ms(now),
			who.Station, who.Packer); err != nil {
			return storeErr("recording the shipment of %s: %w", sc.OrderID, err)
		}
		if err := replaceWaybills(ctx, tx, sc.OrderID, sc.Carriers); err != nil {
			return err
		}
		c.AttemptID, err = j.insertAttempt(ctx, tx, sc.OrderID, attemptStart{kind: journal.AttemptOutstorage, method: sc.Method,
			tradeNo: c.TradeNo, carriers: sc.Carriers, packages: sc.Packages}, ms(now))
		return err
	})
	return c, err
}

// ClaimReconcile takes an order left "shipping" for a reconciliation.
func (j *DB) ClaimReconcile(ctx context.Context, orderID string, l journal.Lease) (journal.Claim, error) {
	now := j.now()
	c := journal.Claim{Owner: l.Owner}
	err := j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		e, found, err := getEntry(ctx, tx, orderID)
		if err != nil {
			return err
		}
		c.Entry = e
		switch {
		case !found:
			return fmt.Errorf("order %s: %w", orderID, journal.ErrNotInJournal)
		case e.State != journal.StateShipping:
			c.Kind = journal.ClaimNothing
			return nil
		case e.HeldByOther(now):
			c.Kind = journal.ClaimBusy
			return nil
		}
		c.Kind, c.TradeNo = journal.ClaimReconcile, e.TradeNo
		if err := setLease(ctx, tx, orderID, l, ms(now)); err != nil {
			return err
		}
		c.AttemptID, err = j.insertAttempt(ctx, tx, orderID, attemptStart{kind: journal.AttemptReconcile, method: printdata.MethodOrderGet,
			tradeNo: e.TradeNo}, ms(now))
		return err
	})
	return c, err
}

// Unsettled closes the outstorage attempt, renews the claim and opens a reconcile attempt.
func (j *DB) Unsettled(ctx context.Context, orderID, owner string, attemptID int64, end journal.AttemptEnd, reason, tradeNo string, renew time.Time) (int64, error) {
	now := j.now()
	var recID int64
	err := j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		if err := endAttempt(ctx, tx, attemptID, end, ms(now)); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `UPDATE orders SET lease_expires = ?, reason = ?, updated_at = ? WHERE order_id = ? AND lease_owner = ?`,
			ms(renew), reason, ms(now), orderID, owner)
		if err != nil {
			return storeErr("%w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("journal: order %s: %w", orderID, journal.ErrLeaseLost)
		}
		recID, err = j.insertAttempt(ctx, tx, orderID, attemptStart{kind: journal.AttemptReconcile, method: printdata.MethodOrderGet,
			tradeNo: tradeNo}, ms(now))
		return err
	})
	return recID, err
}

// Finish records the outcome of a claim: the attempt row always; the order row only while the
// claim is still the caller's.
func (j *DB) Finish(ctx context.Context, orderID, owner string, attemptID int64, o journal.Outcome) error {
	now := ms(j.now())
	lost := false
	err := j.Update(ctx, orderID, func(tx sqldb.Runner) error {
		if err := endAttempt(ctx, tx, attemptID, o.Attempt, now); err != nil {
			return err
		}
		shippedAt := any(nil)
		if o.Shipped {
			shippedAt = now
		}
		r, err := tx.ExecContext(ctx, `UPDATE orders SET state = ?, failed_step = ?, reason = ?, retryable = ?,
			shipped_at = COALESCE(?, shipped_at), trade_no_used = CASE WHEN ? = 1 THEN 1 ELSE trade_no_used END,
			lease_owner = '', lease_expires = 0, lease_host = '', lease_pid = 0, updated_at = ?
			WHERE order_id = ? AND lease_owner = ?`,
			string(o.State), o.FailedStep, o.Reason, o.Retryable, shippedAt, o.TradeNoUsed, now, orderID, owner)
		if err != nil {
			return storeErr("recording the outcome for %s: %w", orderID, err)
		}
		n, err := r.RowsAffected()
		lost = err == nil && n == 0
		return err
	})
	if err == nil && lost {
		err = fmt.Errorf("journal: order %s: %w", orderID, journal.ErrLeaseLost)
	}
	return err
}

// BeginWaybillUpdate opens the attempt of a waybill correction.
func (j *DB) BeginWaybillUpdate(ctx context.Context, u journal.WaybillUpdate) (e journal.Entry, found bool, attemptID int64, err error) {
	now := j.now()
	err = j.Update(ctx, u.OrderID, func(tx sqldb.Runner) error {
		var err error
		e, found, err = getEntry(ctx, tx, u.OrderID)
		if err != nil || !found {
			return err
		}
		if e.State == journal.StateShipping {
			if e.HeldByOther(now) {
				return fmt.Errorf("order %s: %w", u.OrderID, journal.ErrClaimed)
			}
			return fmt.Errorf("order %s: %w", u.OrderID, journal.ErrUnsettled)
		}
		attemptID, err = j.insertAttempt(ctx, tx, u.OrderID, attemptStart{kind: journal.AttemptWaybillUpdate, method: u.Method,
			tradeNo: u.TradeNo, carriers: u.Carriers}, ms(now))
		return err
	})
	return e, found, attemptID, err
}

// EndWaybillUpdate records how a correction ended. An accepted correction of an order the
// journal did not know records the order as shipped: JD corrected a waybill, so JD has it
// shipped, even if another tool did it.
func (j *DB) EndWaybillUpdate(ctx context.Context, u journal.WaybillUpdate, attemptID int64, accepted bool, end journal.AttemptEnd) error {
	now := ms(j.now())
	return j.Update(ctx, u.OrderID, func(tx sqldb.Runner) error {
		if accepted {
			if attemptID == 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO orders (order_id, type, state, created_at, updated_at)
					VALUES (?, ?, 'shipped', ?, ?) ON CONFLICT (order_id) DO NOTHING`, u.OrderID, string(u.Type), now, now); err != nil {
					return storeErr("%w", err)
				}
				var err error
				if attemptID, err = j.insertAttempt(ctx, tx, u.OrderID, attemptStart{kind: journal.AttemptWaybillUpdate, method: u.Method,
					tradeNo: u.TradeNo, carriers: u.Carriers}, now); err != nil {
					return err
				}
			}
			lg, wb := journal.JOSForm(u.Carriers)
			who := j.Who()
			if _, err := tx.ExecContext(ctx, `UPDATE orders SET type = ?, logistics = ?, waybills = ?, updated_at = ?, station = ?, packer = ?
				WHERE order_id = ?`, string(u.Type), lg, wb, now, who.Station, who.Packer, u.OrderID); err != nil {
				return storeErr("%w", err)
			}
			if err := replaceWaybills(ctx, tx, u.OrderID, u.Carriers); err != nil {
				return err
			}
		}
		if attemptID == 0 {
			return nil // an order the journal does not know, and JD did not take the correction
		}
		return endAttempt(ctx, tx, attemptID, end, now)
	})
}

// attemptStart is the attempt row written with a claim.
type attemptStart struct {
	kind     journal.AttemptKind
	method   string
	tradeNo  string
	carriers []journal.CarrierWaybills
	packages int
}

func (j *DB) insertAttempt(ctx context.Context, tx sqldb.Runner, orderID string, a attemptStart, now int64) (int64, error) {
	lg, wb := journal.JOSForm(a.carriers)
	who := j.Who()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO attempts (order_id, kind, method, trade_no, logistics, waybills, packages, started_at,
		station, packer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, orderID, string(a.kind), a.method, a.tradeNo, lg, wb,
		a.packages, now, who.Station, who.Packer).Scan(&id)
	if err != nil {
		return 0, storeErr("recording the attempt on %s: %w", orderID, err)
	}
	return id, nil
}

func endAttempt(ctx context.Context, tx sqldb.Runner, id int64, end journal.AttemptEnd, now int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE attempts SET ended_at = ?, outcome = ?, code = ?, reason = ? WHERE id = ?`,
		now, end.Outcome, end.Code, end.Note, id); err != nil {
		return storeErr("recording the outcome of attempt %d: %w", id, err)
	}
	return nil
}

func setLease(ctx context.Context, tx sqldb.Runner, orderID string, l journal.Lease, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE orders SET lease_owner = ?, lease_expires = ?, lease_host = ?, lease_pid = ?,
		updated_at = ? WHERE order_id = ?`, l.Owner, ms(l.Expires), l.Host, l.PID, now, orderID)
	if err != nil {
		return storeErr("claiming order %s: %w", orderID, err)
	}
	return nil
}

func replaceWaybills(ctx context.Context, tx sqldb.Runner, orderID string, carriers []journal.CarrierWaybills) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM waybills WHERE order_id = ?`, orderID); err != nil {
		return storeErr("%w", err)
	}
	for _, c := range carriers {
		for _, w := range c.Waybills {
			if _, err := tx.ExecContext(ctx, `INSERT INTO waybills (order_id, logistics_id, waybill) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				orderID, c.LogisticsID, w); err != nil {
				return storeErr("%w", err)
			}
		}
	}
	return nil
}
