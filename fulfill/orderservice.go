package fulfill

import (
	"context"
	"errors"
	"fmt"
	"time"

	"station/jdorder"
	"station/jos"
	"station/journal"
	"station/printdata"
	"station/ship"
)

// The rest of JD's order service at the station: the merchant's remark, delete requests, the
// logistics track, FBP orders and JD's own label (see jdorder).

// ErrFBPOrder: the scanned order is an FBP one: JD's warehouse stores and ships it, so the
// merchant's station neither prints nor ships it.
var ErrFBPOrder = errors.New("an FBP order: JD's own warehouse stores and ships it")

// FBPOrderError is an FBP order found where a merchant's order was expected.
type FBPOrderError struct{ Order jdorder.FBPOrder }

func (e *FBPOrderError) Error() string {
	return fmt.Sprintf("order %s: %v (JD: %s)", e.Order.ID, ErrFBPOrder, e.Order.StateRemark)
}

// Is makes errors.Is(err, ErrFBPOrder) true.
func (e *FBPOrderError) Is(target error) bool { return target == ErrFBPOrder }

// readOrder is 360buy.order.get; when JD does not know the order there it asks the FBP
// methods, so that an FBP order is refused as what it is rather than as a typo.
func (s *Station) readOrder(ctx context.Context, id string) (printdata.Order, error) {
	o, err := s.fetcher.Order(ctx, id)
	if err == nil || jos.KindOf(err) != jos.KindNotFound {
		return o, err
	}
	if f, found, ferr := s.orders.FBPOrder(ctx, id); ferr == nil && found {
		return printdata.Order{}, &FBPOrderError{Order: f}
	}
	return o, err
}

// Remark reads the merchant's remark on the order.
func (s *Station) Remark(ctx context.Context, orderID string) (jdorder.Remark, error) {
	return s.orders.Remark(ctx, orderID)
}

// SetRemark replaces the merchant's remark on the order.
func (s *Station) SetRemark(ctx context.Context, orderID, text string, flag jdorder.RemarkFlag) (jdorder.Remark, error) {
	r, err := s.orders.SetRemark(ctx, orderID, text, flag)
	if err == nil {
		s.log.InfoContext(ctx, "merchant remark updated", "order_id", r.OrderID, "flag", int(flag))
	}
	return r, err
}

// DeleteRequest is the journal's latest delete request of the order.
func (s *Station) DeleteRequest(ctx context.Context, orderID string) (journal.DeleteRequest, bool, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return journal.DeleteRequest{}, false, err
	}
	return journal.DeleteRequestOf(ctx, s.journal, id)
}

// ErrDeleteShipped: a delete request was refused before sending because the order has left.
var ErrDeleteShipped = errors.New("the order has been shipped: JD deletes only orders that have not left")

// ApplyDelete asks JD to delete the order. The request is in the journal before it is sent,
// so that no station prints or ships the order meanwhile, and stays there holding it while JD
// has it (or may have it: an unknown outcome holds it too, and asking again is safe).
func (s *Station) ApplyDelete(ctx context.Context, d jdorder.DeleteRequest) (journal.DeleteRequest, error) {
	d, err := d.Check()
	if err != nil {
		return journal.DeleteRequest{}, err
	}
	if e, ok, err := s.journal.Get(ctx, d.OrderID); err != nil {
		return journal.DeleteRequest{}, err
	} else if ok && (e.State == journal.StateShipped || e.State == journal.StateShipping) {
		return journal.DeleteRequest{}, fmt.Errorf("order %s: %w (the journal has it %s)", d.OrderID, ErrDeleteShipped, e.State)
	}
	if err := s.journal.BeginDeleteRequest(ctx, journal.DeleteRequest{OrderID: d.OrderID, Reason: int(d.Reason), Text: d.Text}); err != nil {
		return journal.DeleteRequest{}, fmt.Errorf("order %s: nothing was sent: %w", d.OrderID, err)
	}
	_, err = s.orders.ApplyDelete(ctx, d)
	wctx := context.WithoutCancel(ctx)
	var jerr error
	switch {
	case err == nil:
		jerr = s.journal.EndDeleteRequest(wctx, d.OrderID, journal.DeletePending, "")
	case errors.Is(err, jdorder.ErrUnsure):
		jerr = s.journal.EndDeleteRequest(wctx, d.OrderID, journal.DeleteSending, err.Error())
	default:
		jerr = s.journal.EndDeleteRequest(wctx, d.OrderID, journal.DeleteRefused, err.Error())
	}
	rec, _, rerr := journal.DeleteRequestOf(wctx, s.journal, d.OrderID)
	s.log.InfoContext(ctx, "delete request", "order_id", d.OrderID, "reason", int(d.Reason), "state", string(rec.State))
	return rec, errors.Join(err, jerr, rerr)
}

// CancelDelete withdraws the order's delete request at JD; the order is free again once JD
// has taken the withdrawal.
func (s *Station) CancelDelete(ctx context.Context, orderID string) (journal.DeleteRequest, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return journal.DeleteRequest{}, err
	}
	none, err := s.orders.CancelDelete(ctx, id)
	if err != nil {
		rec, _, _ := journal.DeleteRequestOf(ctx, s.journal, id)
		return rec, err
	}
	note := ""
	if none {
		note = "JD had no pending delete request"
	}
	if err := s.journal.EndDeleteRequest(context.WithoutCancel(ctx), id, journal.DeleteCancelled, note); err != nil {
		return journal.DeleteRequest{}, fmt.Errorf("order %s: JD withdrew the delete request, but the journal could not record it: %w", id, err)
	}
	rec, _, err := journal.DeleteRequestOf(ctx, s.journal, id)
	return rec, err
}

// Track reads the logistics track of a shipped order, oldest event first.
func (s *Station) Track(ctx context.Context, orderID string) ([]jdorder.TrackEvent, error) {
	return s.orders.Track(ctx, orderID)
}

// FBPOrders lists the FBP orders modified in [start, end].
func (s *Station) FBPOrders(ctx context.Context, start, end time.Time) ([]jdorder.FBPOrder, error) {
	return s.orders.FBPOrders(ctx, start, end)
}

// JDLabel fetches JD's own label of the order, for comparing layouts; it is never printed.
func (s *Station) JDLabel(ctx context.Context, orderID string) (jdorder.JDLabel, error) {
	return s.orders.JDLabel(ctx, orderID)
}

// checkDeleteHold refuses an order whose delete request holds it (ship.DeleteHeldError).
func (s *Station) checkDeleteHold(ctx context.Context, id string) error {
	return ship.CheckDeleteHold(ctx, s.journal, id)
}
