package ship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"station/journal"
	"station/printdata"
)

// An overseas (海外购) order leaves in two writes under one claim: the outstorage
// (WAIT_SELLER_STOCK_OUT → WAIT_SELLER_DELIVERY) and then the delivery with the domestic
// carrier and waybill (→ WAIT_GOODS_RECEIVE_CONFIRM). JD's order state says which is due, so
// it is read before the first: a write that took effect is never sent again, and one whose
// outcome is unknown is settled by the state as any outstorage is.

type overseasOutstorage struct {
	OrderID string `json:"order_id"`
	TradeNo string `json:"trade_no"`
}

type overseasDelivery struct {
	OrderID     string `json:"order_id"`
	LogisticsID string `json:"logistics_id"`
	Waybill     string `json:"waybill"`
	TradeNo     string `json:"trade_no"`
}

// deliveryTradeNo is the delivery's trade_no: its own, derived from the claim's so that a
// repeat of the same shipment repeats it too.
func deliveryTradeNo(claim string) string { return claim + "D" }

// deliveryDue reports an overseas shipment whose outstorage took effect and whose delivery is
// still to be sent: the caller claims the order again and sends it.
func deliveryDue(sh Shipment, r Result, err error) bool {
	return sh.Type == printdata.Overseas && errors.Is(err, ErrShipFailed) && r.Retryable && r.JDState == printdata.StateWaitDelivery
}

func (s *Shipper) sendOverseas(ctx context.Context, sh Shipment, c journal.Claim) (Result, error) {
	wctx := context.WithoutCancel(ctx)
	rctx, cancel := context.WithTimeout(ctx, s.callTimeout)
	state, err := s.states.OrderState(rctx, sh.OrderID)
	cancel()
	if err != nil {
		reason := "reading the overseas order's state from JD failed before anything was sent: " + err.Error()
		if ferr := s.j.Finish(wctx, sh.OrderID, c.Owner, c.AttemptID, journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip,
			Reason: reason, Retryable: true, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeSkipped, Note: reason}}); ferr != nil {
			return Result{OrderID: sh.OrderID, State: journal.StateShipping, Reason: reason},
				fmt.Errorf("order %s: %v; the journal could not record it (%v): %w", sh.OrderID, err, ferr, ErrNeedsReconcile)
		}
		return Result{OrderID: sh.OrderID, State: journal.StateFailed, Reason: reason, Retryable: true},
			fmt.Errorf("order %s: nothing was sent: %w: %w", sh.OrderID, ErrShipFailed, err)
	}
	log := s.log.With(slog.String("order_id", sh.OrderID), slog.String("jd_state", state))
	attempt := c.AttemptID
	switch state {
	case printdata.StateWaitStockOut:
		r, err := s.write(ctx, sh, c, methodOverseasOutstorage, overseasOutstorage{OrderID: sh.OrderID, TradeNo: c.TradeNo}, c.TradeNo, false)
		if err != nil || r.State != journal.StateShipping {
			return r, err
		}
		attempt, err = s.j.NextAttempt(wctx, sh.OrderID, c.Owner, c.AttemptID, journal.AttemptEnd{Outcome: journal.OutcomeOK},
			methodOverseasDelivery, deliveryTradeNo(c.TradeNo), s.now().Add(s.leaseTTL))
		if err != nil {
			// The outstorage took effect; the entry stays "shipping" and its reconciliation
			// (JD shows WAIT_SELLER_DELIVERY) leads to the delivery.
			log.ErrorContext(ctx, "overseas outstorage accepted but the delivery could not be begun", slog.String("error", err.Error()))
			return Result{OrderID: sh.OrderID, State: journal.StateShipping, TradeNo: c.TradeNo, Sent: true,
					Reason: "JD took the overseas outstorage, but the journal could not begin the delivery"},
				fmt.Errorf("order %s: %w: %w", sh.OrderID, ErrNeedsReconcile, err)
		}
	case printdata.StateWaitDelivery:
		log.InfoContext(ctx, "overseas outstorage already done at JD; sending the delivery")
		attempt, err = s.j.NextAttempt(wctx, sh.OrderID, c.Owner, c.AttemptID,
			journal.AttemptEnd{Outcome: journal.OutcomeSkipped, Note: "JD already shows " + state + ": the outstorage is not sent again"},
			methodOverseasDelivery, deliveryTradeNo(c.TradeNo), s.now().Add(s.leaseTTL))
		if err != nil {
			return Result{OrderID: sh.OrderID, State: journal.StateShipping, TradeNo: c.TradeNo},
				fmt.Errorf("order %s: nothing was sent: %w", sh.OrderID, err)
		}
	default:
		// Shipped, locked, cancelled, unknown: nothing is sent; the state is recorded as a
		// reconciliation does.
		return s.reconcileAfter(ctx, sh.OrderID, c, journal.OutcomeSkipped, "",
			evidence{err: fmt.Errorf("JD shows the overseas order %s before anything was sent", state), stateRefused: true})
	}
	c.AttemptID = attempt
	lg, wb := journal.JOSForm(sh.Carriers)
	r, err := s.write(ctx, sh, c, methodOverseasDelivery,
		overseasDelivery{OrderID: sh.OrderID, LogisticsID: lg, Waybill: wb, TradeNo: deliveryTradeNo(c.TradeNo)}, deliveryTradeNo(c.TradeNo), true)
	r.TradeNo = c.TradeNo
	return r, err
}
