package ship

import (
	"context"
	"errors"
	"fmt"

	"station/journal"
)

// Errors the UI can switch on with errors.Is. JOS failures stay reachable with errors.As
// (*jos.Error) where there is one.
var (
	// ErrInvalidShipment: the input was refused before any call; *InvalidShipmentError says why.
	ErrInvalidShipment = errors.New("invalid shipment")
	// ErrInProgress: another station (or another window of this one) is shipping or
	// reconciling the order right now. Try again in a moment.
	ErrInProgress = errors.New("another station is working on this order right now")
	// ErrNeedsReconcile: an outstorage was sent and its outcome is still unknown (JD's order
	// state could not be read). Nothing is sent for the order until Reconcile settles it.
	ErrNeedsReconcile = errors.New("the outcome of the outstorage is not known yet: the order must be reconciled with JD")
	// ErrNotRecorded: JD accepted the outstorage (the order is shipped), but the journal
	// could not record it (a full disk, a claim taken over). The entry stays "shipping"; the
	// next reconciliation, once the journal can be written, records it as shipped. Nothing is
	// sent again.
	ErrNotRecorded = errors.New("JD accepted the outstorage, but the journal could not record it")
	// ErrShipFailed: the order was not shipped, for certain (JD refused, or JD shows the order
	// still waiting after a lost reply). Result.Retryable says whether trying again as it is
	// may work.
	ErrShipFailed = errors.New("the order was not shipped")
)

// InvalidKind says what is wrong with a shipment.
type InvalidKind int

const (
	InvalidOrderID           InvalidKind = iota + 1 // not a JD order id
	InvalidType                                     // not SOP, LBP, SOPL or OVERSEAS
	InvalidNoCarrier                                // no carrier given
	InvalidUnknownCarrier                           // not in the shop's carrier list
	InvalidDeliverToJD                              // logistics_id 0 where only LBP/SOPL allow it
	InvalidTooManyCarriers                          // LBP and SOPL take one carrier
	InvalidDuplicateCarrier                         // a carrier given twice
	InvalidMissingWaybill                           // a carrier that needs a waybill has none
	InvalidWaybill                                  // a waybill of the wrong shape for its carrier
	InvalidDuplicateWaybill                         // a waybill given twice
	InvalidWaybillNotAllowed                        // a waybill where none can be (logistics_id 0)
	InvalidWaybillCount                             // more waybills (or carriers) than packages
	InvalidPackages                                 // a package count out of range
	InvalidAddress                                  // address_id on an order that is not SOPL
	InvalidTradeNo                                  // a trade_no JOS would not take
	InvalidWaybillUsed                              // a waybill the journal has for another order
	InvalidNoCorrection                             // JD has no waybill correction for the type (overseas)
)

var invalidNames = map[InvalidKind]string{
	InvalidOrderID: "order-id", InvalidType: "type", InvalidNoCarrier: "no-carrier", InvalidNoCorrection: "no-correction",
	InvalidUnknownCarrier: "unknown-carrier", InvalidDeliverToJD: "deliver-to-jd",
	InvalidTooManyCarriers: "too-many-carriers", InvalidDuplicateCarrier: "duplicate-carrier",
	InvalidMissingWaybill: "missing-waybill", InvalidWaybill: "waybill",
	InvalidDuplicateWaybill: "duplicate-waybill", InvalidWaybillNotAllowed: "waybill-not-allowed",
	InvalidWaybillCount: "waybill-count", InvalidPackages: "packages", InvalidAddress: "address",
	InvalidTradeNo: "trade-no", InvalidWaybillUsed: "waybill-used",
}

func (k InvalidKind) String() string {
	if s, ok := invalidNames[k]; ok {
		return s
	}
	return fmt.Sprintf("invalid(%d)", int(k))
}

// InvalidShipmentError is a shipment refused before any call to JD.
type InvalidShipmentError struct {
	Kind        InvalidKind
	OrderID     string
	LogisticsID string // the carrier concerned, if any
	Waybill     string // the waybill concerned, if any
	UsedBy      string // InvalidWaybillUsed: the order the journal has the waybill for
	Msg         string // what is wrong and what to do, in English
}

func (e *InvalidShipmentError) Error() string {
	if e.OrderID != "" {
		return fmt.Sprintf("order %s: invalid shipment: %s", e.OrderID, e.Msg)
	}
	return "invalid shipment: " + e.Msg
}

// Is makes errors.Is(err, ErrInvalidShipment) true.
func (e *InvalidShipmentError) Is(target error) bool { return target == ErrInvalidShipment }

// InvalidKindOf returns the kind of an invalid-shipment error, or 0.
func InvalidKindOf(err error) InvalidKind {
	var e *InvalidShipmentError
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// ErrDeleteRequested: the merchant asked JD to delete the order and JD has not refused it (or
// the request's outcome is unknown): nothing is printed or shipped for it until it is withdrawn.
var ErrDeleteRequested = errors.New("a delete request of the order is pending at JD")

// DeleteHeldError is an order held by its delete request.
type DeleteHeldError struct {
	OrderID string
	Request journal.DeleteRequest
}

func (e *DeleteHeldError) Error() string {
	return fmt.Sprintf("order %s: %v (reason %d, asked %s by %s, %s)", e.OrderID, ErrDeleteRequested, e.Request.Reason,
		e.Request.AskedAt.Format("2006-01-02 15:04"), e.Request.Who.Join(" · "), e.Request.State)
}

// Is makes errors.Is(err, ErrDeleteRequested) true.
func (e *DeleteHeldError) Is(target error) bool { return target == ErrDeleteRequested }

// CheckDeleteHold refuses, with a *DeleteHeldError, an order whose delete request holds it.
func CheckDeleteHold(ctx context.Context, j journal.Store, orderID string) error {
	d, ok, err := journal.DeleteRequestOf(ctx, j, orderID)
	if err != nil {
		return fmt.Errorf("order %s: reading its delete request from the journal: %w", orderID, err)
	}
	if ok && d.Holds() {
		return &DeleteHeldError{OrderID: orderID, Request: d}
	}
	return nil
}
