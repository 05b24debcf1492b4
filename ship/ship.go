// Package ship tells JD that an order has left: outstorage and waybill correction for SOP, LBP
// and SOPL orders with the shop's carriers, checked before any call, sent exactly once through the
// journal's claims, and reconciled with 360buy.order.get when an outcome is unknown.
package ship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"station/jos"
	"station/journal"
	"station/printdata"
)

// JOS write methods (seed 004 §10-12, §15-17).
const (
	methodSOPOutstorage     = "360buy.order.sop.outstorage"
	methodLBPOutstorage     = "360buy.order.lbp.outstorage"
	methodSOPLOutstorage    = "360buy.order.sopl.outstorage"
	methodSOPWaybillUpdate  = "360buy.order.sop.waybill.update"
	methodLBPWaybillUpdate  = "360buy.order.lbp.waybill.update"
	methodSOPLWaybillUpdate = "360buy.order.sopl.waybill.update"
	// An overseas order ships in two writes, in this order (seed 004 §13-14).
	methodOverseasOutstorage = "360buy.overseas.order.sop.outstorage"
	methodOverseasDelivery   = "360buy.overseas.order.sop.delivery"
)

// DeliverToJD is the LBP and SOPL logistics_id by which the merchant takes the parcels to JD's
// sorting centre itself: no carrier, no waybill.
const DeliverToJD = "0"

// MaxPackages bounds a shipment's parcel count; more is a typo.
const MaxPackages = 999

// Shipment is what an outstorage tells JD.
type Shipment struct {
	OrderID  string
	Type     printdata.OrderType
	Carriers []journal.CarrierWaybills // SOP: one or more; LBP and SOPL: exactly one (DeliverToJD allowed)
	Packages int                       // parcels; 0 → one per waybill, at least one
	// TradeNo is JOS's 流水号. Leave it empty: Ship draws one per shipment, keeps it in the
	// journal and sends the same one again when the same shipment is retried.
	TradeNo   string
	AddressID int64 // SOPL only: address_id (reserved by JD); 0 = not sent
}

// Writer is the JOS write call shipping needs; *jos.Client implements it.
type Writer interface {
	Write(ctx context.Context, method string, params any, out any) error
}

// OrderStates tells an order's current state at JD (360buy.order.get), to reconcile a write
// whose outcome is unknown.
type OrderStates interface {
	OrderState(ctx context.Context, orderID string) (string, error)
}

// orderStatesFunc adapts a function to OrderStates.
type orderStatesFunc func(ctx context.Context, orderID string) (string, error)

func (f orderStatesFunc) OrderState(ctx context.Context, orderID string) (string, error) {
	return f(ctx, orderID)
}

// OrderGetter is printdata.Fetcher's 360buy.order.get.
type OrderGetter interface {
	Order(ctx context.Context, id string) (printdata.Order, error)
}

// FetcherStates reads order states with a printdata.Fetcher.
func FetcherStates(f OrderGetter) OrderStates {
	return orderStatesFunc(func(ctx context.Context, id string) (string, error) {
		o, err := f.Order(ctx, id)
		return o.State, err
	})
}

// ShipperConfig configures a Shipper.
type ShipperConfig struct {
	Journal  journal.Store
	JOS      Writer      // *jos.Client
	Carriers *Carriers   // the shop's carrier list, for validation
	States   OrderStates // for reconciliation; e.g. FetcherStates(printdata.NewFetcher(client))
	Logger   *slog.Logger
	// CallTimeout bounds one outstorage call and one reconciliation; default 30s.
	CallTimeout time.Duration
	// LeaseTTL is how long a claim on an order lasts; at least 2×CallTimeout+10s (the default).
	// A station that stops while holding a claim is taken over when the claim expires, or at
	// once when its process is known to be gone.
	LeaseTTL time.Duration
	Now      func() time.Time
}

// Shipper ships orders exactly once: it records "shipping" in the journal before it calls
// outstorage, never calls outstorage again while an outcome is unknown, and settles unknown
// outcomes with 360buy.order.get.
type Shipper struct {
	j           journal.Store
	jos         Writer
	carriers    *Carriers
	states      OrderStates
	log         *slog.Logger
	callTimeout time.Duration
	leaseTTL    time.Duration
	now         func() time.Time
	lease       func(expires time.Time) journal.Lease // journal.NewLease; a test names a stopped process
}

// NewShipper checks cfg and returns a Shipper.
func NewShipper(cfg ShipperConfig) (*Shipper, error) {
	if cfg.Journal == nil || cfg.JOS == nil || cfg.Carriers == nil || cfg.States == nil {
		return nil, errors.New("ship: a Shipper needs a Journal, a JOS writer, Carriers and OrderStates")
	}
	s := &Shipper{j: cfg.Journal, jos: cfg.JOS, carriers: cfg.Carriers, states: cfg.States, log: cfg.Logger,
		callTimeout: cfg.CallTimeout, leaseTTL: cfg.LeaseTTL, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.callTimeout <= 0 {
		s.callTimeout = 30 * time.Second
	}
	if least := 2*s.callTimeout + 10*time.Second; s.leaseTTL < least {
		s.leaseTTL = least
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.lease = journal.NewLease
	return s, nil
}

func (s *Shipper) newLease() journal.Lease { return s.lease(s.now().Add(s.leaseTTL)) }

var tradeNoShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Validate checks a shipment against the shop's carrier list and returns it normalized
// (trimmed ids, upper-case waybills, the package count filled in). It calls no JOS write;
// the carrier list may be read (and cached). A refused shipment gets an
// *InvalidShipmentError.
func (s *Shipper) Validate(ctx context.Context, sh Shipment) (Shipment, error) {
	sh, err := validate(ctx, s.carriers, sh, false)
	if err != nil {
		return sh, err
	}
	return sh, s.waybillsFree(ctx, sh)
}

// waybillsFree refuses a waybill the journal has for another order that is shipped or being
// shipped: one waybill is one parcel, and a second order on it would send one of them astray.
func (s *Shipper) waybillsFree(ctx context.Context, sh Shipment) error {
	for _, c := range sh.Carriers {
		for _, w := range c.Waybills {
			entries, err := s.j.ByWaybill(ctx, w)
			if err != nil {
				return fmt.Errorf("order %s: checking waybill %s in the journal: %w", sh.OrderID, w, err)
			}
			for _, e := range entries {
				if e.OrderID != sh.OrderID && (e.State == journal.StateShipped || e.State == journal.StateShipping) {
					return &InvalidShipmentError{Kind: InvalidWaybillUsed, OrderID: sh.OrderID, LogisticsID: c.LogisticsID,
						Waybill: w, UsedBy: e.OrderID,
						Msg: fmt.Sprintf("waybill %s is already used for order %s: scan this parcel's own waybill", w, e.OrderID)}
				}
			}
		}
	}
	return nil
}

func validate(ctx context.Context, carriers *Carriers, sh Shipment, update bool) (Shipment, error) {
	bad := func(k InvalidKind, logisticsID, waybill, format string, a ...any) error {
		return &InvalidShipmentError{Kind: k, OrderID: sh.OrderID, LogisticsID: logisticsID, Waybill: waybill,
			Msg: fmt.Sprintf(format, a...)}
	}
	id, err := printdata.CleanOrderID(sh.OrderID)
	if err != nil {
		return sh, bad(InvalidOrderID, "", "", "%q is not a JD order id (up to 20 digits): scan the order's barcode again", sh.OrderID)
	}
	sh.OrderID = id
	t := printdata.OrderType(strings.ToUpper(strings.TrimSpace(string(sh.Type))))
	switch t {
	case printdata.SOP, printdata.LBP, printdata.SOPL, printdata.Overseas:
		sh.Type = t
	default:
		return sh, bad(InvalidType, "", "", "order type %q: give SOP, LBP, SOPL or OVERSEAS", sh.Type)
	}
	jdDelivers := !sh.Type.MerchantShips()
	if sh.AddressID != 0 && sh.Type != printdata.SOPL {
		return sh, bad(InvalidAddress, "", "", "address_id is for SOPL orders only; this is a %s order", sh.Type)
	}
	if sh.AddressID < 0 {
		return sh, bad(InvalidAddress, "", "", "address_id %d is negative", sh.AddressID)
	}
	if sh.TradeNo = strings.TrimSpace(sh.TradeNo); sh.TradeNo != "" && !tradeNoShape.MatchString(sh.TradeNo) {
		return sh, bad(InvalidTradeNo, "", "", "trade_no %q: use up to 64 letters, digits, '-' or '_' (or leave it empty)", sh.TradeNo)
	}
	if sh.Packages < 0 || sh.Packages > MaxPackages {
		return sh, bad(InvalidPackages, "", "", "%d packages: give 1 to %d", sh.Packages, MaxPackages)
	}
	if len(sh.Carriers) == 0 {
		return sh, bad(InvalidNoCarrier, "", "", "no carrier given: choose the carrier (logistics id)")
	}
	if (jdDelivers || sh.Type == printdata.Overseas) && len(sh.Carriers) > 1 {
		return sh, bad(InvalidTooManyCarriers, "", "", "%s orders take one carrier, %d given", sh.Type, len(sh.Carriers))
	}
	// Normalize first, so that the checks below see what will be sent.
	cs := make([]journal.CarrierWaybills, len(sh.Carriers))
	for i, c := range sh.Carriers {
		cs[i].LogisticsID = strings.TrimSpace(c.LogisticsID)
		for _, w := range c.Waybills {
			if w = NormalizeWaybill(w); w != "" {
				cs[i].Waybills = append(cs[i].Waybills, w)
			}
		}
	}
	sh.Carriers = cs

	seenCarrier := map[string]bool{}
	seenWaybill := map[string]bool{}
	total := 0
	for _, c := range cs {
		lid := c.LogisticsID
		if lid == "" {
			return sh, bad(InvalidNoCarrier, "", "", "a carrier without a logistics id: choose the carrier")
		}
		if seenCarrier[lid] {
			return sh, bad(InvalidDuplicateCarrier, lid, "", "carrier %s is given twice: put all its waybills under one entry", lid)
		}
		seenCarrier[lid] = true
		for _, w := range c.Waybills {
			if seenWaybill[w] {
				return sh, bad(InvalidDuplicateWaybill, lid, w, "waybill %s is given twice", w)
			}
			seenWaybill[w] = true
		}
		total += len(c.Waybills)

		if lid == DeliverToJD {
			switch {
			case !jdDelivers:
				return sh, bad(InvalidDeliverToJD, lid, "", "logistics id 0 (taking the parcels to JD's sorting centre) is for LBP and SOPL orders; this %s order needs one of the shop's carriers", sh.Type)
			case update:
				return sh, bad(InvalidDeliverToJD, lid, "", "logistics id 0 carries no waybill: there is nothing to correct")
			case len(c.Waybills) > 0:
				return sh, bad(InvalidWaybillNotAllowed, lid, c.Waybills[0], "logistics id 0 means the parcels go to JD's sorting centre without a carrier: leave the waybill empty, or choose the carrier that has waybill %s", c.Waybills[0])
			}
			continue
		}
		k, err := carriers.ByID(ctx, lid)
		if errors.Is(err, ErrCarrierNotFound) {
			list, _ := carriers.List(ctx)
			return sh, bad(InvalidUnknownCarrier, lid, "", "carrier %s is not in this shop's carrier list (%s): choose one of these, or set the carrier up in JD's merchant backend and refresh the list", lid, Describe(list))
		}
		if err != nil {
			return sh, fmt.Errorf("order %s: checking carrier %s: %w", sh.OrderID, lid, err)
		}
		if len(c.Waybills) == 0 {
			if k.SelfDelivery() && !update {
				continue
			}
			return sh, bad(InvalidMissingWaybill, lid, "", "carrier %s needs a waybill: scan the parcel's waybill", k)
		}
		for _, w := range c.Waybills {
			if err := k.CheckWaybill(w); err != nil {
				return sh, bad(InvalidWaybill, lid, w, "%v: check the carrier or scan the waybill again", err)
			}
		}
	}
	if update {
		return sh, nil
	}
	if sh.Packages == 0 {
		sh.Packages = max(1, total, len(cs))
	}
	if total > sh.Packages {
		return sh, bad(InvalidWaybillCount, "", "", "%d waybills for %d packages: each waybill is at least one parcel; fix the package count or remove a waybill", total, sh.Packages)
	}
	if len(cs) > sh.Packages {
		return sh, bad(InvalidWaybillCount, "", "", "%d carriers for %d packages: each carrier takes at least one parcel", len(cs), sh.Packages)
	}
	return sh, nil
}

// Outstorage parameters per type (seed 004 §10-12), every value a JSON string as JD's own SDK
// request classes send them (OrderSopOutstorageRequest, OrderLbpOutstorageRequest,
// OrderSoplOutstorageRequest): "package_num":"2", never a number. send_type "1" is what those
// SDKs always send for LBP and SOPL, though the seed's tables leave it out.
type sopOutstorage struct {
	OrderID     string `json:"order_id"`
	LogisticsID string `json:"logistics_id"`
	Waybill     string `json:"waybill"`
	TradeNo     string `json:"trade_no"`
}

type lbpOutstorage struct {
	OrderID     string `json:"order_id"`
	PackageNum  string `json:"package_num"`
	LogisticsID string `json:"logistics_id"`
	Waybill     string `json:"waybill"`
	SendType    string `json:"send_type"`
	TradeNo     string `json:"trade_no"`
}

type soplOutstorage struct {
	OrderID     string `json:"order_id"`
	PackageNum  string `json:"package_num"`
	AddressID   string `json:"address_id,omitempty"` // reserved by JD: sent only when set
	LogisticsID string `json:"logistics_id"`
	Waybill     string `json:"waybill"`
	SendType    string `json:"send_type"`
	TradeNo     string `json:"trade_no"`
}

// sendTypeDefault is the only send_type JD's SDKs send.
const sendTypeDefault = "1"

type waybillUpdate struct {
	OrderID     string `json:"order_id"`
	LogisticsID string `json:"logistics_id"`
	Waybill     string `json:"waybill"`
	TradeNo     string `json:"trade_no"`
}

// outstorageMethod is the outstorage method of an order type.
func outstorageMethod(t printdata.OrderType) (string, bool) {
	switch t {
	case printdata.SOP:
		return methodSOPOutstorage, true
	case printdata.LBP:
		return methodLBPOutstorage, true
	case printdata.SOPL:
		return methodSOPLOutstorage, true
	case printdata.Overseas:
		return methodOverseasOutstorage, true
	}
	return "", false
}

// waybillUpdateMethod is the waybill correction method of an order type.
func waybillUpdateMethod(t printdata.OrderType) (string, bool) {
	switch t {
	case printdata.SOP:
		return methodSOPWaybillUpdate, true
	case printdata.LBP:
		return methodLBPWaybillUpdate, true
	case printdata.SOPL:
		return methodSOPLWaybillUpdate, true
	}
	return "", false
}

// outstorageCall builds the method and parameters of a validated shipment.
func outstorageCall(sh Shipment, tradeNo string) (string, any) {
	lg, wb := journal.JOSForm(sh.Carriers)
	method, _ := outstorageMethod(sh.Type)
	packages := strconv.Itoa(sh.Packages)
	switch sh.Type {
	case printdata.LBP:
		return method, lbpOutstorage{OrderID: sh.OrderID, PackageNum: packages, LogisticsID: lg, Waybill: wb,
			SendType: sendTypeDefault, TradeNo: tradeNo}
	case printdata.SOPL:
		address := ""
		if sh.AddressID != 0 {
			address = strconv.FormatInt(sh.AddressID, 10)
		}
		return method, soplOutstorage{OrderID: sh.OrderID, PackageNum: packages, AddressID: address, LogisticsID: lg,
			Waybill: wb, SendType: sendTypeDefault, TradeNo: tradeNo}
	}
	return method, sopOutstorage{OrderID: sh.OrderID, LogisticsID: lg, Waybill: wb, TradeNo: tradeNo}
}

// writeReply is the body of an outstorage or waybill update reply.
type writeReply struct {
	OrderID  jos.Str `json:"order_id"`
	Modified jos.Str `json:"modified"`
}

// Result is where an order stands after Ship, Reconcile or UpdateWaybill.
type Result struct {
	OrderID        string
	State          journal.State // the journal's state for the order now
	TradeNo        string
	Sent           bool   // this call sent a write to JD
	AlreadyShipped bool   // the journal already had the order shipped: nothing was sent
	Reconciled     bool   // the outcome was settled with 360buy.order.get
	JDState        string // the order state JD reported when reconciling
	// ShippedBefore: JD refused this station's outstorage because the order was already
	// shipped (elsewhere: another tool, JD's backend). The journal records it shipped.
	ShippedBefore bool
	Retryable     bool   // failed: trying the same shipment again may work
	Reason        string // why it failed or is still unsettled
}

// claimShip takes the order for an outstorage: when it returns journal.ClaimSend, "shipping"
// with the trade_no is committed.
func (s *Shipper) claimShip(ctx context.Context, sh Shipment) (journal.Claim, error) {
	method, _ := outstorageMethod(sh.Type)
	return s.j.ClaimShipment(ctx, journal.ShipmentClaim{OrderID: sh.OrderID, Type: sh.Type, Carriers: sh.Carriers,
		Packages: sh.Packages, Method: method, TradeNo: sh.TradeNo, NewTradeNo: jos.NewTradeNo(s.now()), Lease: s.newLease()})
}

// Ship tells JD that the order has left, once. In order:
//   - the shipment is validated (no call when it is refused);
//   - the order is claimed in the journal; an order the journal has as shipped is not sent
//     again (AlreadyShipped); one another station is working on returns ErrInProgress;
//   - an earlier outstorage with an unknown outcome is reconciled first;
//   - "shipping" and the trade_no are committed, and only then is outstorage called;
//   - success → shipped; a certain refusal → failed (ErrShipFailed, Retryable says whether as
//     it is); an unknown outcome or a conflict ("already shipped") → reconciled with
//     360buy.order.get, never sent again; when JD's order state cannot be read either, the
//     entry stays "shipping" and ErrNeedsReconcile is returned.
//
// The error is nil exactly when the order is shipped.
func (s *Shipper) Ship(ctx context.Context, sh Shipment) (Result, error) {
	sh, err := s.Validate(ctx, sh)
	if err == nil {
		err = CheckDeleteHold(ctx, s.j, sh.OrderID)
	}
	if err != nil {
		s.log.InfoContext(ctx, "shipment refused before sending", slog.String("order_id", sh.OrderID), slog.String("error", err.Error()))
		return Result{OrderID: sh.OrderID}, err
	}
	// At most: reconcile an earlier attempt, then send. A third round means another station
	// keeps taking the order in between; it is then theirs to finish.
	for round := 0; round < 3; round++ {
		c, err := s.claimShip(ctx, sh)
		if err != nil {
			return Result{OrderID: sh.OrderID}, fmt.Errorf("order %s: nothing was sent: %w", sh.OrderID, err)
		}
		switch c.Kind {
		case journal.ClaimDone:
			return Result{OrderID: sh.OrderID, State: journal.StateShipped, TradeNo: c.Entry.TradeNo, AlreadyShipped: true}, nil
		case journal.ClaimBusy:
			return Result{OrderID: sh.OrderID, State: c.Entry.State, TradeNo: c.Entry.TradeNo},
				fmt.Errorf("order %s: %w (claim %s until %s)", sh.OrderID, ErrInProgress, c.Entry.HeldBy, c.Entry.HeldUntil.Format(time.TimeOnly))
		case journal.ClaimReconcile:
			s.log.InfoContext(ctx, "reconciling an earlier outstorage before shipping", slog.String("order_id", sh.OrderID),
				slog.String("trade_no", c.Entry.TradeNo))
			r, err := s.reconcileClaimed(ctx, sh.OrderID, c, evidence{})
			if err != nil && !(errors.Is(err, ErrShipFailed) && r.Retryable) {
				return r, err
			}
			if r.State == journal.StateShipped {
				r.AlreadyShipped = true
				return r, nil
			}
			// The earlier attempt certainly did not take effect (or, for an overseas order,
			// only its outstorage did): send now.
			// The earlier attempt certainly did not take effect: send now.
		case journal.ClaimSend:
			r, err := s.send(ctx, sh, c)
			if deliveryDue(sh, r, err) {
				continue // the overseas outstorage took effect: the next round sends the delivery
			}
			return r, err
		}
	}
	return Result{OrderID: sh.OrderID}, fmt.Errorf("order %s: %w (it changed hands repeatedly)", sh.OrderID, ErrInProgress)
}

// evidence is what an outstorage said before a reconciliation.
type evidence struct {
	err          error
	tradeNoSeen  bool // code 17: JD has seen this trade_no
	stateRefused bool // JD refused for the order's state (locked, cancelled)
}

func (s *Shipper) send(ctx context.Context, sh Shipment, c journal.Claim) (Result, error) {
	if sh.Type == printdata.Overseas {
		return s.sendOverseas(ctx, sh, c)
	}
	method, params := outstorageCall(sh, c.TradeNo)
	return s.write(ctx, sh, c, method, params, c.TradeNo, true)
}

// write makes one write of a claimed shipment (attempt c.AttemptID) and records its outcome:
// success → shipped when last (else the caller goes on under the claim); a certain refusal →
// failed; a conflict or an unknown outcome → reconciled with JD's order state.
func (s *Shipper) write(ctx context.Context, sh Shipment, c journal.Claim, method string, params any, tradeNo string, last bool) (Result, error) {
	log := s.log.With(slog.String("order_id", sh.OrderID), slog.String("type", string(sh.Type)),
		slog.String("method", method), slog.String("trade_no", tradeNo))
	log.InfoContext(ctx, "outstorage sending", slog.Any("carriers", sh.Carriers), slog.Int("packages", sh.Packages))

	cctx, cancel := context.WithTimeout(ctx, s.callTimeout)
	var reply writeReply
	err := s.jos.Write(cctx, method, params, &reply)
	cancel()
	if err == nil {
		if got := strings.TrimSpace(string(reply.OrderID)); got != "" && got != sh.OrderID {
			err = &jos.Error{Method: method, Kind: jos.KindMalformed, Outcome: jos.MaybeApplied,
				Err: fmt.Errorf("JD answered for order %s", got)}
		}
	}
	// Whatever happens to the caller's context now, the outcome is written down.
	wctx := context.WithoutCancel(ctx)
	res := Result{OrderID: sh.OrderID, TradeNo: c.TradeNo, Sent: true}

	var je *jos.Error
	isJOS := errors.As(err, &je)
	switch {
	case err == nil && !last:
		log.InfoContext(ctx, "outstorage step accepted")
		res.State = journal.StateShipping
		return res, nil

	case err == nil:
		if ferr := s.j.Finish(wctx, sh.OrderID, c.Owner, c.AttemptID, journal.Outcome{State: journal.StateShipped, Shipped: true,
			Attempt: journal.AttemptEnd{Outcome: journal.OutcomeOK}}); ferr != nil {
			log.ErrorContext(ctx, "outstorage accepted but not recorded", slog.String("error", ferr.Error()))
			res.State, res.Reason = journal.StateShipping, "JD accepted the outstorage, but the journal could not record it"
			return res, fmt.Errorf("order %s: %w: %w", sh.OrderID, ErrNotRecorded, ferr)
		}
		log.InfoContext(ctx, "outstorage accepted")
		res.State = journal.StateShipped
		return res, nil

	case isJOS && je.Kind == jos.KindConflict:
		// "Already shipped", "being shipped", "trade_no exists", "state forbids it": JD knows
		// something we do not. Its order state decides.
		log.WarnContext(ctx, "outstorage conflict; reconciling", slog.String("code", je.Code), slog.String("desc", je.Desc()))
		// JD's business codes are not published: what the refusal means comes from its kind.
		// Code 17 says JD saw this trade_no; 70 that the order is being shipped right now; any
		// other conflict is JD refusing for the order's state.
		tradeNoSeen := je.Code == jos.CodeTradeNoExists
		ev := evidence{err: err, tradeNoSeen: tradeNoSeen, stateRefused: !tradeNoSeen && je.Code != jos.CodeOrderShipping}
		return s.reconcileAfter(ctx, sh.OrderID, c, journal.OutcomeConflict, je.Code, ev)

	case !isJOS || je.Outcome == jos.MaybeApplied:
		log.WarnContext(ctx, "outstorage outcome unknown; reconciling", slog.String("error", err.Error()))
		code := ""
		if isJOS {
			code = je.Code
		}
		return s.reconcileAfter(ctx, sh.OrderID, c, journal.OutcomeUnknown, code, evidence{err: err})
	}

	// JOS answered and refused: nothing happened at JD.
	retryable := je.Kind == jos.KindServer || je.Kind == jos.KindQuota || je.Kind == jos.KindTransport
	reason := "JD refused the outstorage: " + je.Error()
	if ferr := s.j.Finish(wctx, sh.OrderID, c.Owner, c.AttemptID, journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip,
		Reason: reason, Retryable: retryable, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeRefused, Code: je.Code, Note: je.Error()}}); ferr != nil {
		log.ErrorContext(ctx, "outstorage refusal not recorded", slog.String("error", ferr.Error()))
		res.State, res.Reason = journal.StateShipping, reason
		return res, fmt.Errorf("order %s: %w; the journal could not record it (%v), so it must be reconciled: %w", sh.OrderID, err, ferr, ErrNeedsReconcile)
	}
	log.WarnContext(ctx, "outstorage refused", slog.String("kind", je.Kind.String()), slog.String("code", je.Code), slog.Bool("retryable", retryable))
	res.State, res.Reason, res.Retryable = journal.StateFailed, reason, retryable
	return res, fmt.Errorf("order %s: %w: %w", sh.OrderID, ErrShipFailed, err)
}

// reconcileAfter closes the outstorage attempt row and settles the order under the same claim.
func (s *Shipper) reconcileAfter(ctx context.Context, orderID string, c journal.Claim, attemptOutcome, code string, ev evidence) (Result, error) {
	wctx := context.WithoutCancel(ctx)
	reason := "outstorage outcome unknown: " + ev.err.Error()
	recID, err := s.j.Unsettled(wctx, orderID, c.Owner, c.AttemptID,
		journal.AttemptEnd{Outcome: attemptOutcome, Code: code, Note: ev.err.Error()}, reason, c.TradeNo, s.now().Add(s.leaseTTL))
	res := Result{OrderID: orderID, TradeNo: c.TradeNo, Sent: true, State: journal.StateShipping}
	if err != nil {
		res.Reason = reason
		return res, fmt.Errorf("order %s: %v; %w", orderID, err, ErrNeedsReconcile)
	}
	c.AttemptID = recID
	r, err := s.reconcileClaimed(ctx, orderID, c, ev)
	r.Sent = true
	return r, err
}

// reconcileClaimed asks JD for the order's state and records what it means. The claim c (with
// its reconcile attempt row) is released in every case.
func (s *Shipper) reconcileClaimed(ctx context.Context, orderID string, c journal.Claim, ev evidence) (Result, error) {
	res := Result{OrderID: orderID, TradeNo: c.TradeNo, Reconciled: true}
	if res.TradeNo == "" {
		res.TradeNo = c.Entry.TradeNo
	}
	log := s.log.With(slog.String("order_id", orderID), slog.String("trade_no", res.TradeNo))
	wctx := context.WithoutCancel(ctx)
	finish := func(o journal.Outcome) error {
		res.State, res.Reason, res.Retryable = o.State, o.Reason, o.Retryable
		return s.j.Finish(wctx, orderID, c.Owner, c.AttemptID, o)
	}

	var (
		state string
		err   error
	)
	if ctx.Err() != nil {
		err = ctx.Err()
	} else {
		rctx, cancel := context.WithTimeout(ctx, s.callTimeout)
		state, err = s.states.OrderState(rctx, orderID)
		cancel()
	}
	state = strings.ToUpper(strings.TrimSpace(state))
	res.JDState = state
	why := ""
	if ev.err != nil {
		why = " (the outstorage call had answered: " + ev.err.Error() + ")"
	}
	switch {
	case err != nil:
		reason := "outstorage outcome unknown" + why + "; reading the order from JD failed: " + err.Error()
		if ferr := finish(journal.Outcome{State: journal.StateShipping, Reason: reason, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeError, Note: err.Error()}}); ferr != nil {
			log.ErrorContext(ctx, "journal", slog.String("error", ferr.Error()))
		}
		log.WarnContext(ctx, "reconcile failed; the order stays unsettled", slog.String("error", err.Error()))
		res.Reconciled = false
		return res, fmt.Errorf("order %s: %w (reading it from JD failed: %w)", orderID, ErrNeedsReconcile, err)

	case printdata.AlreadyOut(state):
		note := ""
		if ev.stateRefused {
			note = "JD already had the order shipped when this station sent its outstorage: the carriers and waybills at JD may differ from the ones recorded here"
		}
		if ferr := finish(journal.Outcome{State: journal.StateShipped, Shipped: true, Reason: note, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeShipped, Note: state}}); ferr != nil {
			log.ErrorContext(ctx, "journal", slog.String("error", ferr.Error()))
			res.State = journal.StateShipping
			return res, fmt.Errorf("order %s: JD shows it shipped (%s) but the journal could not record it (%v): %w", orderID, state, ferr, ErrNeedsReconcile)
		}
		log.InfoContext(ctx, "reconciled: shipped", slog.String("jd_state", state))
		res.ShippedBefore = ev.stateRefused
		return res, nil

	case state == printdata.StateWaitStockOut:
		reason := "JD shows the order still waiting to ship (" + state + "): the outstorage did not take effect" + why
		o := journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip, Reason: reason, Retryable: !ev.stateRefused,
			TradeNoUsed: ev.tradeNoSeen, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeNotShipped, Note: state}}
		if ferr := finish(o); ferr != nil {
			log.ErrorContext(ctx, "journal", slog.String("error", ferr.Error()))
			res.State = journal.StateShipping
			return res, fmt.Errorf("order %s: %s, but the journal could not record it (%v): %w", orderID, reason, ferr, ErrNeedsReconcile)
		}
		log.InfoContext(ctx, "reconciled: not shipped", slog.String("jd_state", state), slog.Bool("retryable", o.Retryable))
		return res, fmt.Errorf("order %s: %w: %s", orderID, ErrShipFailed, reason)

	case state == printdata.StateLocked || state == printdata.StateCanceled:
		reason := "JD shows the order " + state + ": it must not be shipped"
		if ferr := finish(journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip, Reason: reason, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeNotShipped, Note: state}}); ferr != nil {
			log.ErrorContext(ctx, "journal", slog.String("error", ferr.Error()))
		}
		log.WarnContext(ctx, "reconciled: not shippable", slog.String("jd_state", state))
		return res, fmt.Errorf("order %s is %s: %w: %w", orderID, state, ErrShipFailed, printdata.ErrNotShippable)
	}
	if state == printdata.StateWaitDelivery {
		// Only an overseas order waits here: its outstorage took effect and its delivery did
		// not. Shipping it again sends the delivery alone.
		reason := "JD shows the overseas order out of the warehouse and waiting for its delivery (" + state + "): the delivery is still to be sent" + why
		o := journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip, Reason: reason, Retryable: true,
			TradeNoUsed: ev.tradeNoSeen, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeNotShipped, Note: state}}
		if ferr := finish(o); ferr != nil {
			log.ErrorContext(ctx, "journal", slog.String("error", ferr.Error()))
			res.State = journal.StateShipping
			return res, fmt.Errorf("order %s: %s, but the journal could not record it (%v): %w", orderID, reason, ferr, ErrNeedsReconcile)
		}
		log.InfoContext(ctx, "reconciled: overseas delivery due", slog.String("jd_state", state))
		return res, fmt.Errorf("order %s: %w: %s", orderID, ErrShipFailed, reason)
	}
	reason := fmt.Sprintf("JD reports order state %q, which this station does not know: it cannot tell whether the outstorage took effect%s", state, why)
	if ferr := finish(journal.Outcome{State: journal.StateShipping, Reason: reason, Attempt: journal.AttemptEnd{Outcome: journal.OutcomeError, Note: state}}); ferr != nil {
		log.ErrorContext(ctx, "journal", slog.String("error", ferr.Error()))
	}
	res.Reconciled = false
	return res, fmt.Errorf("order %s: %w: %s; check the order in JD's merchant backend", orderID, ErrNeedsReconcile, reason)
}

// Reconcile settles an order whose outstorage outcome is unknown, with 360buy.order.get. An
// order that is not "shipping" is left as it is and its state returned.
func (s *Shipper) Reconcile(ctx context.Context, orderID string) (Result, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return Result{OrderID: orderID}, err
	}
	c, err := s.j.ClaimReconcile(ctx, id, s.newLease())
	if err != nil {
		return Result{OrderID: id}, err
	}
	switch c.Kind {
	case journal.ClaimNothing:
		return Result{OrderID: id, State: c.Entry.State, TradeNo: c.Entry.TradeNo, Reason: c.Entry.Reason, Retryable: c.Entry.Retryable}, nil
	case journal.ClaimBusy:
		return Result{OrderID: id, State: c.Entry.State, TradeNo: c.Entry.TradeNo},
			fmt.Errorf("order %s: %w (claim %s)", id, ErrInProgress, c.Entry.HeldBy)
	}
	return s.reconcileClaimed(ctx, id, c, evidence{})
}

// Recover reconciles every entry left "shipping" (a station stopped, or JD could not be
// reached): call it when the station starts. Entries another live station is working on are
// skipped. The error joins the failures; shipped and not-shipped outcomes are in the results.
func (s *Shipper) Recover(ctx context.Context) ([]Result, error) {
	pending, err := journal.PendingReconcile(ctx, s.j)
	if err != nil {
		return nil, err
	}
	var (
		out  []Result
		errs []error
	)
	for _, e := range pending {
		r, err := s.Reconcile(ctx, e.OrderID)
		out = append(out, r)
		if err != nil && !errors.Is(err, ErrInProgress) && !errors.Is(err, ErrShipFailed) {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// UpdateWaybill corrects the carriers and waybills of a shipped order (360buy.order.*.waybill.update).
// Only Type and Carriers of u are used. Sending the same correction twice changes nothing,
// so an unknown outcome is reported (ErrNeedsReconcile) for the packer to send it again; it
// is never retried silently.
func (s *Shipper) UpdateWaybill(ctx context.Context, u Shipment) (Result, error) {
	u.Packages, u.TradeNo, u.AddressID = 0, "", 0
	u, err := validate(ctx, s.carriers, u, true)
	if err == nil {
		err = s.waybillsFree(ctx, u)
	}
	if err != nil {
		return Result{OrderID: u.OrderID}, err
	}
	method, ok := waybillUpdateMethod(u.Type)
	if !ok {
		return Result{OrderID: u.OrderID}, &InvalidShipmentError{Kind: InvalidNoCorrection, OrderID: u.OrderID,
			Msg: fmt.Sprintf("JD has no waybill correction for %s orders: correct it in JD's merchant backend", u.Type)}
	}
	tradeNo := jos.NewTradeNo(s.now())
	rec := journal.WaybillUpdate{OrderID: u.OrderID, Type: u.Type, Method: method, TradeNo: tradeNo, Carriers: u.Carriers}
	e, found, attemptID, err := s.j.BeginWaybillUpdate(ctx, rec)
	switch {
	case errors.Is(err, journal.ErrClaimed):
		return Result{OrderID: u.OrderID}, fmt.Errorf("order %s: %w", u.OrderID, ErrInProgress)
	case errors.Is(err, journal.ErrUnsettled):
		return Result{OrderID: u.OrderID}, fmt.Errorf("order %s: an outstorage is unsettled; reconcile it before correcting the waybill: %w", u.OrderID, ErrNeedsReconcile)
	case err != nil:
		return Result{OrderID: u.OrderID}, err
	}
	lg, wb := journal.JOSForm(u.Carriers)
	log := s.log.With(slog.String("order_id", u.OrderID), slog.String("method", method), slog.String("trade_no", tradeNo))
	cctx, cancel := context.WithTimeout(ctx, s.callTimeout)
	var reply writeReply
	callErr := s.jos.Write(cctx, method, waybillUpdate{OrderID: u.OrderID, LogisticsID: lg, Waybill: wb, TradeNo: tradeNo}, &reply)
	cancel()

	res := Result{OrderID: u.OrderID, TradeNo: tradeNo, Sent: true, State: e.State}
	attemptOutcome, code, note := journal.OutcomeOK, "", ""
	var je *jos.Error
	switch {
	case callErr == nil:
	case jos.MayHaveTakenEffect(callErr) || !errors.As(callErr, &je):
		attemptOutcome, note = journal.OutcomeUnknown, callErr.Error()
	default:
		attemptOutcome, code, note = journal.OutcomeRefused, je.Code, callErr.Error()
	}
	jerr := s.j.EndWaybillUpdate(context.WithoutCancel(ctx), rec, attemptID, callErr == nil,
		journal.AttemptEnd{Outcome: attemptOutcome, Code: code, Note: note})
	if jerr != nil {
		log.ErrorContext(ctx, "waybill update not recorded", slog.String("error", jerr.Error()))
	}
	if callErr != nil {
		log.WarnContext(ctx, "waybill update failed", slog.String("outcome", attemptOutcome), slog.String("error", callErr.Error()))
		res.Reason = callErr.Error()
		if attemptOutcome == journal.OutcomeUnknown {
			return res, fmt.Errorf("order %s: the waybill correction may or may not have reached JD; send it again (it is harmless to repeat): %w: %w", u.OrderID, ErrNeedsReconcile, callErr)
		}
		return res, fmt.Errorf("order %s: JD refused the waybill correction: %w", u.OrderID, callErr)
	}
	log.InfoContext(ctx, "waybill updated", slog.Any("carriers", u.Carriers))
	if !found {
		res.State = journal.StateShipped
	}
	if jerr != nil {
		return res, fmt.Errorf("order %s: JD took the correction but the journal could not record it: %w", u.OrderID, jerr)
	}
	return res, nil
}
