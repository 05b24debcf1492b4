package ship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"station/jos"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
)

func invalidWaybillErr(method string) error {
	return &jos.Error{Method: method, Kind: jos.KindInvalid, Code: "10100005", ZhDesc: "运单号缺失或格式不正确"}
}

func lostReply(method string) error {
	return &jos.Error{Method: method, Kind: jos.KindTransport, Outcome: jos.MaybeApplied, Err: errors.New("connection reset after the request was sent")}
}

func TestValidateRefusesWithoutCalling(t *testing.T) {
	tests := []struct {
		name string
		sh   Shipment
		kind InvalidKind
	}{
		{"order id with letters", sop("12a45", cw("467", "SF1234567890123")), InvalidOrderID},
		{"empty order id", sop("", cw("467", "SF1234567890123")), InvalidOrderID},
		{"order id too long", sop(strings.Repeat("1", 21), cw("467", "SF1234567890123")), InvalidOrderID},
		{"unknown type", Shipment{OrderID: "1", Type: "FBP", Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123")}}, InvalidType},
		{"no type", Shipment{OrderID: "1", Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123")}}, InvalidType},
		{"no carrier", sop("1"), InvalidNoCarrier},
		{"blank carrier id", sop("1", cw(" ", "SF1234567890123")), InvalidNoCarrier},
		{"carrier not in the shop's list", sop("1", cw("999", "SF1234567890123")), InvalidUnknownCarrier},
		{"0 on SOP", sop("1", cw("0")), InvalidDeliverToJD},
		{"LBP with two carriers", Shipment{OrderID: "1", Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123"), cw("1499", "731234567890")}}, InvalidTooManyCarriers},
		{"carrier twice", sop("1", cw("467", "SF1234567890123"), cw("467", "SF1234567890124")), InvalidDuplicateCarrier},
		{"carrier without waybill", sop("1", cw("467")), InvalidMissingWaybill},
		{"SF waybill too short", sop("1", cw("467", "SF12345")), InvalidWaybill},
		{"ZTO waybill given for SF", sop("1", cw("467", "731234567890")), InvalidWaybill},
		{"generic carrier, junk waybill", sop("1", cw("9001", "A|B")), InvalidWaybill},
		{"waybill twice", Shipment{OrderID: "1", Type: printdata.SOP, Packages: 2, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123", "sf1234567890123")}}, InvalidDuplicateWaybill},
		{"waybill twice across carriers", Shipment{OrderID: "1", Type: printdata.SOP, Packages: 2, Carriers: []journal.CarrierWaybills{cw("1499", "7712345678901"), cw("4700", "7712345678901")}}, InvalidDuplicateWaybill},
		{"LBP 0 with a waybill", Shipment{OrderID: "1", Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("0", "SF1234567890123")}}, InvalidWaybillNotAllowed},
		{"more waybills than packages", Shipment{OrderID: "1", Type: printdata.LBP, Packages: 1, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123", "SF1234567890124")}}, InvalidWaybillCount},
		{"more carriers than packages", Shipment{OrderID: "1", Type: printdata.SOP, Packages: 1, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123"), cw("1274")}}, InvalidWaybillCount},
		{"negative packages", Shipment{OrderID: "1", Type: printdata.LBP, Packages: -1, Carriers: []journal.CarrierWaybills{cw("0")}}, InvalidPackages},
		{"too many packages", Shipment{OrderID: "1", Type: printdata.LBP, Packages: MaxPackages + 1, Carriers: []journal.CarrierWaybills{cw("0")}}, InvalidPackages},
		{"address on LBP", Shipment{OrderID: "1", Type: printdata.LBP, AddressID: 5, Carriers: []journal.CarrierWaybills{cw("0")}}, InvalidAddress},
		{"bad trade_no", Shipment{OrderID: "1", Type: printdata.LBP, TradeNo: "a b|c", Carriers: []journal.CarrierWaybills{cw("0")}}, InvalidTradeNo},
	}
	r := newRig(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.shipper.Ship(context.Background(), tt.sh)
			if !errors.Is(err, ErrInvalidShipment) {
				t.Fatalf("error %v, want an invalid shipment", err)
			}
			if k := InvalidKindOf(err); k != tt.kind {
				t.Errorf("kind %v, want %v (%v)", k, tt.kind, err)
			}
			if res.Sent || res.State != "" {
				t.Errorf("result %+v", res)
			}
			t.Log(err)
		})
	}
	if n := len(r.jos.sent()); n != 0 {
		t.Errorf("%d writes sent for invalid shipments", n)
	}
	if es, _ := r.journal.Recent(context.Background(), 100); len(es) != 0 {
		t.Errorf("invalid shipments reached the journal: %v", es)
	}
}

func TestValidateNormalizes(t *testing.T) {
	r := newRig(t)
	sh, err := r.shipper.Validate(context.Background(), Shipment{OrderID: " 123 ", Type: "sop",
		Carriers: []journal.CarrierWaybills{{LogisticsID: " 467 ", Waybills: []string{" sf1234567890123\r", ""}}}})
	if err != nil {
		t.Fatal(err)
	}
	if sh.OrderID != "123" || sh.Type != printdata.SOP || sh.Packages != 1 || sh.Carriers[0].LogisticsID != "467" ||
		len(sh.Carriers[0].Waybills) != 1 || sh.Carriers[0].Waybills[0] != "SF1234567890123" {
		t.Errorf("normalized: %+v", sh)
	}
	// JD not reachable for the carrier list: no call either, and not an invalid-shipment error.
	r2 := newRig(t)
	r2.reader.err = &jos.Error{Method: methodLogisticsGet, Kind: jos.KindServer}
	_, err = r2.shipper.Ship(context.Background(), sop("1", cw("467", "SF1234567890123")))
	if err == nil || errors.Is(err, ErrInvalidShipment) || jos.KindOf(err) != jos.KindServer || len(r2.jos.sent()) != 0 {
		t.Errorf("carrier list unavailable: %v, %d writes", err, len(r2.jos.sent()))
	}
}

// The bytes of 360buy_param_json for each outstorage method, pinned: every value a JSON string as
// JD's SDK request classes send them (OrderSopOutstorageRequest, OrderLbpOutstorageRequest,
// OrderSoplOutstorageRequest), send_type "1" for LBP and SOPL. <T> stands for the trade_no.
func TestOutstorageParameters(t *testing.T) {
	tests := []struct {
		name   string
		sh     Shipment
		method string
		json   string
	}{
		{"SOP one carrier", sop("1001", cw("467", "SF1234567890123")), methodSOPOutstorage,
			`{"order_id":"1001","logistics_id":"467","waybill":"SF1234567890123","trade_no":"<T>"}`},
		{"SOP multi-carrier", Shipment{OrderID: "1002", Type: printdata.SOP, Packages: 3, Carriers: []journal.CarrierWaybills{
			cw("467", "SF1234567890123", "SF1234567890124"), cw("1499", "731234567890")}}, methodSOPOutstorage,
			`{"order_id":"1002","logistics_id":"467|1499","waybill":"SF1234567890123,SF1234567890124|731234567890","trade_no":"<T>"}`},
		{"SOP self delivery", sop("1003", cw("1274")), methodSOPOutstorage,
			`{"order_id":"1003","logistics_id":"1274","waybill":"","trade_no":"<T>"}`},
		{"SOP self delivery and a carrier", Shipment{OrderID: "1004", Type: printdata.SOP, Packages: 2, Carriers: []journal.CarrierWaybills{
			cw("1274"), cw("467", "SF1234567890123")}}, methodSOPOutstorage,
			`{"order_id":"1004","logistics_id":"1274|467","waybill":"|SF1234567890123","trade_no":"<T>"}`},
		{"LBP to JD's sorting centre", Shipment{OrderID: "2001", Type: printdata.LBP, Packages: 2, Carriers: []journal.CarrierWaybills{cw("0")}}, methodLBPOutstorage,
			`{"order_id":"2001","package_num":"2","logistics_id":"0","waybill":"","send_type":"1","trade_no":"<T>"}`},
		{"LBP with a carrier", Shipment{OrderID: "2002", Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("336878", "JDVA00123456789")}}, methodLBPOutstorage,
			`{"order_id":"2002","package_num":"1","logistics_id":"336878","waybill":"JDVA00123456789","send_type":"1","trade_no":"<T>"}`},
		{"SOPL with address", Shipment{OrderID: "3001", Type: printdata.SOPL, Packages: 1, AddressID: 8877, Carriers: []journal.CarrierWaybills{cw("0")}}, methodSOPLOutstorage,
			`{"order_id":"3001","package_num":"1","address_id":"8877","logistics_id":"0","waybill":"","send_type":"1","trade_no":"<T>"}`},
		{"SOPL without address", Shipment{OrderID: "3002", Type: printdata.SOPL, Carriers: []journal.CarrierWaybills{cw("1499", "731234567890")}}, methodSOPLOutstorage,
			`{"order_id":"3002","package_num":"1","logistics_id":"1499","waybill":"731234567890","send_type":"1","trade_no":"<T>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			res, err := r.shipper.Ship(context.Background(), tt.sh)
			if err != nil || res.State != journal.StateShipped || !res.Sent {
				t.Fatalf("Ship: %+v, %v", res, err)
			}
			calls := r.jos.sent()
			if len(calls) != 1 {
				t.Fatalf("%d calls", len(calls))
			}
			c := calls[0]
			if c.Method != tt.method {
				t.Errorf("method %s, want %s", c.Method, tt.method)
			}
			tn := c.param("trade_no")
			if tn == "" || tn != res.TradeNo || tn != r.entry(t, tt.sh.OrderID).TradeNo {
				t.Errorf("trade_no sent %q, result %q", tn, res.TradeNo)
			}
			if got := strings.Replace(c.JSON, `"trade_no":"`+tn+`"`, `"trade_no":"<T>"`, 1); got != tt.json {
				t.Errorf("360buy_param_json\n got %s\nwant %s", got, tt.json)
			}
		})
	}
}

// The "shipping" row and its trade_no are committed before outstorage is called: a second
// connection (another process) sees them while the call is in flight.
func TestShippingCommittedBeforeCall(t *testing.T) {
	r := newRig(t)
	other, err := sqljournal.OpenSQLite(context.Background(), r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	checked := false
	r.jos.before = func(c sent) {
		checked = true
		e, ok, err := other.Get(context.Background(), c.param("order_id"))
		if err != nil || !ok {
			t.Errorf("during the call the other connection sees no entry: %v %v", ok, err)
			return
		}
		if e.State != journal.StateShipping || e.TradeNo != c.param("trade_no") || e.ShipAttempts != 1 || e.HeldBy == "" {
			t.Errorf("during the call: %+v", e)
		}
		as, _ := other.Attempts(context.Background(), e.OrderID)
		if len(as) != 1 || as[0].Outcome != journal.OutcomePending || as[0].TradeNo != e.TradeNo {
			t.Errorf("attempts during the call: %+v", as)
		}
	}
	if _, err := r.shipper.Ship(context.Background(), sop("5001", cw("467", "SF1234567890123"))); err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Fatal("no call made")
	}
	e := r.entry(t, "5001")
	if e.State != journal.StateShipped || e.HeldBy != "" || e.ShippedAt.IsZero() {
		t.Errorf("after the call: %+v", e)
	}
}

// A journal that cannot record "shipping" means no call.
func TestNoCallWhenJournalFails(t *testing.T) {
	r := newRig(t)
	r.journal.Close()
	_, err := r.shipper.Ship(context.Background(), sop("5002", cw("467", "SF1234567890123")))
	if err == nil || len(r.jos.sent()) != 0 {
		t.Fatalf("closed journal: %v, %d calls", err, len(r.jos.sent()))
	}
}

func TestShipOutcomes(t *testing.T) {
	const id = "6001"
	tests := []struct {
		name      string
		respond   error
		jdState   string // 360buy.order.get's answer when reconciling; "" = it fails
		state     journal.State
		is        error // nil = shipped
		retryable bool
		reconcile bool
	}{
		{name: "accepted", state: journal.StateShipped},
		{name: "refused: bad waybill", respond: invalidWaybillErr(methodSOPOutstorage), state: journal.StateFailed, is: ErrShipFailed},
		{name: "refused: busy", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindServer, Code: jos.CodeServiceUnavailable},
			state: journal.StateFailed, is: ErrShipFailed, retryable: true},
		{name: "refused: quota", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindQuota, Code: jos.CodeQuota},
			state: journal.StateFailed, is: ErrShipFailed, retryable: true},
		{name: "lost reply, it took effect", respond: lostReply(methodSOPOutstorage), jdState: printdata.StateWaitReceive,
			state: journal.StateShipped, reconcile: true},
		{name: "HTTP 500, it took effect (LBP state)", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindServer, HTTP: 500, Outcome: jos.MaybeApplied},
			jdState: printdata.StateSentToDistribution, state: journal.StateShipped, reconcile: true},
		{name: "timeout, it did not take effect", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindTransport, Outcome: jos.MaybeApplied, Err: context.DeadlineExceeded},
			jdState: printdata.StateWaitStockOut, state: journal.StateFailed, is: ErrShipFailed, retryable: true, reconcile: true},
		{name: "malformed reply, order locked since", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindMalformed, Outcome: jos.MaybeApplied},
			jdState: printdata.StateLocked, state: journal.StateFailed, is: printdata.ErrNotShippable, reconcile: true},
		{name: "not a JOS error: treated as unknown", respond: errors.New("something odd"), jdState: printdata.StateFinished,
			state: journal.StateShipped, reconcile: true},
		{name: "lost reply and order.get fails", respond: lostReply(methodSOPOutstorage), state: journal.StateShipping, is: ErrNeedsReconcile},
		// Only an overseas order waits for its delivery: not shipped, and the delivery is due.
		{name: "lost reply and an overseas order", respond: lostReply(methodSOPOutstorage), jdState: "WAIT_SELLER_DELIVERY",
			state: journal.StateFailed, is: ErrShipFailed, retryable: true, reconcile: true},
		{name: "lost reply and a state JD never documented", respond: lostReply(methodSOPOutstorage), jdState: "SOMETHING_NEW", state: journal.StateShipping, is: ErrNeedsReconcile},
		{name: "conflict: already shipped", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindConflict, Code: "10400003", ZhDesc: "订单已出库"},
			jdState: printdata.StateWaitReceive, state: journal.StateShipped, reconcile: true},
		{name: "conflict: trade_no exists", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindConflict, Code: jos.CodeTradeNoExists},
			jdState: printdata.StateWaitReceive, state: journal.StateShipped, reconcile: true},
		{name: "conflict: being shipped, JD still waiting", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindConflict, Code: jos.CodeOrderShipping},
			jdState: printdata.StateWaitStockOut, state: journal.StateFailed, is: ErrShipFailed, retryable: true, reconcile: true},
		{name: "conflict: order cancelled", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindConflict, Code: "10400002", ZhDesc: "订单状态不允许出库:已取消"},
			jdState: printdata.StateCanceled, state: journal.StateFailed, is: printdata.ErrNotShippable, reconcile: true},
		{name: "conflict: already shipped but order.get fails", respond: &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindConflict, Code: "10400003", ZhDesc: "订单已出库"},
			state: journal.StateShipping, is: ErrNeedsReconcile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.jos.respond = func(sent) error { return tt.respond }
			if tt.jdState != "" {
				r.states.set(id, tt.jdState)
			} else {
				r.states.fail(id, &jos.Error{Method: printdata.MethodOrderGet, Kind: jos.KindTransport})
			}
			res, err := r.shipper.Ship(context.Background(), sop(id, cw("467", "SF1234567890123")))
			if tt.is == nil && err != nil || tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v, want %v", err, tt.is)
			}
			if tt.respond != nil && jos.KindOf(tt.respond) != jos.KindOther && tt.state == journal.StateFailed && !tt.reconcile {
				var je *jos.Error
				if !errors.As(err, &je) {
					t.Errorf("the JOS error is not reachable with errors.As: %v", err)
				}
			}
			if n := len(r.jos.sent()); n != 1 {
				t.Errorf("%d outstorage calls, want exactly 1", n)
			}
			if res.State != tt.state || res.Retryable != tt.retryable || res.Reconciled != (tt.reconcile) || !res.Sent {
				t.Errorf("result %+v", res)
			}
			e := r.entry(t, id)
			if e.State != tt.state || e.Retryable != tt.retryable || e.ShipAttempts != 1 || e.HeldBy != "" {
				t.Errorf("journal %+v", e)
			}
			if tt.state != journal.StateShipped && e.Reason == "" {
				t.Error("no reason recorded")
			}
			if (tt.state == journal.StateShipped) == e.ShippedAt.IsZero() {
				t.Errorf("shipped_at %v for state %s", e.ShippedAt, e.State)
			}
			if tt.state == journal.StateFailed && e.FailedStep != journal.StepShip {
				t.Errorf("failed step %q", e.FailedStep)
			}
			if tt.respond == nil && r.states.count() != 0 {
				t.Error("reconciled a plain success")
			}
			t.Logf("%v | %s", err, e.Reason)
		})
	}
}

// After an unknown outcome that could not be settled, nothing is sent again until JD's order
// state says what happened.
func TestUnsettledBlocksUntilReconciled(t *testing.T) {
	ctx := context.Background()
	const id = "7001"
	r := newRig(t)
	r.jos.respond = func(sent) error { return lostReply(methodSOPOutstorage) }
	r.states.fail(id, errors.New("network down"))
	sh := sop(id, cw("467", "SF1234567890123"))
	if _, err := r.shipper.Ship(ctx, sh); !errors.Is(err, ErrNeedsReconcile) {
		t.Fatal(err)
	}
	// Asking again while JD still cannot be read: no second outstorage.
	r.jos.respond = nil
	for range 3 {
		res, err := r.shipper.Ship(ctx, sh)
		if !errors.Is(err, ErrNeedsReconcile) || res.Sent {
			t.Fatalf("Ship of an unsettled order: %+v, %v", res, err)
		}
	}
	if n := len(r.jos.sent()); n != 1 {
		t.Fatalf("%d outstorage calls while unsettled", n)
	}
	// JD answers: the first call did take effect. Ship finds that out and sends nothing.
	r.states.set(id, printdata.StateWaitReceive)
	res, err := r.shipper.Ship(ctx, sh)
	if err != nil || res.State != journal.StateShipped || res.Sent || !res.AlreadyShipped || !res.Reconciled {
		t.Fatalf("after JD answered: %+v, %v", res, err)
	}
	if n := len(r.jos.sent()); n != 1 {
		t.Fatalf("%d outstorage calls in all", n)
	}
	// And once more: the journal says shipped, nothing is read or sent.
	reads := r.states.count()
	res, err = r.shipper.Ship(ctx, sh)
	if err != nil || !res.AlreadyShipped || r.states.count() != reads || len(r.jos.sent()) != 1 {
		t.Fatalf("a shipped order again: %+v, %v", res, err)
	}
}

// After an unknown outcome that JD shows did not take effect, a retry sends once more with the
// same trade_no; after "trade_no exists" with the order still waiting, a new one is drawn.
func TestRetryTradeNo(t *testing.T) {
	ctx := context.Background()
	const id = "7101"
	r := newRig(t)
	sh := sop(id, cw("467", "SF1234567890123"))
	r.states.set(id, printdata.StateWaitStockOut)

	r.jos.respond = func(sent) error { return lostReply(methodSOPOutstorage) }
	res1, err := r.shipper.Ship(ctx, sh)
	if !errors.Is(err, ErrShipFailed) || !res1.Retryable {
		t.Fatalf("first: %+v %v", res1, err)
	}
	r.jos.respond = func(sent) error {
		return &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindConflict, Code: jos.CodeTradeNoExists}
	}
	res2, err := r.shipper.Ship(ctx, sh)
	if !errors.Is(err, ErrShipFailed) || !res2.Retryable || res2.TradeNo != res1.TradeNo {
		t.Fatalf("second: %+v %v (first trade_no %s)", res2, err, res1.TradeNo)
	}
	r.jos.respond = nil
	res3, err := r.shipper.Ship(ctx, sh)
	if err != nil || res3.TradeNo == res1.TradeNo {
		t.Fatalf("third: %+v %v", res3, err)
	}
	// A changed shipment (another waybill) gets a new trade_no too.
	const id2 = "7102"
	r.jos.respond = func(sent) error { return invalidWaybillErr(methodSOPOutstorage) }
	a, _ := r.shipper.Ship(ctx, sop(id2, cw("467", "SF1234567890999")))
	b, _ := r.shipper.Ship(ctx, sop(id2, cw("467", "SF1234567890999")))
	r.jos.respond = nil
	c, err := r.shipper.Ship(ctx, sop(id2, cw("467", "SF9999999999999")))
	if err != nil || a.TradeNo != b.TradeNo || c.TradeNo == b.TradeNo {
		t.Errorf("trade_nos %s %s %s, %v", a.TradeNo, b.TradeNo, c.TradeNo, err)
	}
	if e := r.entry(t, id2); e.ShipAttempts != 3 || e.Waybills()[0] != "SF9999999999999" {
		t.Errorf("entry %+v", e)
	}
	// 7101 still has its waybill; 7102's was replaced by the new one.
	if w, _ := r.journal.ByWaybill(ctx, "SF1234567890123"); len(w) != 1 || w[0].OrderID != id {
		t.Errorf("ByWaybill of 7101's waybill: %+v", w)
	}
	if w, _ := r.journal.ByWaybill(ctx, "SF1234567890999"); len(w) != 0 {
		t.Errorf("ByWaybill of the replaced waybill: %+v", w)
	}
}

// The caller giving up in the middle of the call does not lose the outcome.
func TestCallerCancelsDuringCall(t *testing.T) {
	const id = "7201"
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	r.jos.respond = func(sent) error {
		cancel()
		return &jos.Error{Method: methodSOPOutstorage, Kind: jos.KindTransport, Outcome: jos.MaybeApplied, Err: context.Canceled}
	}
	r.states.set(id, printdata.StateWaitReceive)
	_, err := r.shipper.Ship(ctx, sop(id, cw("467", "SF1234567890123")))
	if !errors.Is(err, ErrNeedsReconcile) {
		t.Fatalf("error %v", err)
	}
	if e := r.entry(t, id); e.State != journal.StateShipping || e.HeldBy != "" {
		t.Fatalf("entry %+v", e)
	}
	// At the next start, Recover settles it.
	res, err := r.shipper.Recover(context.Background())
	if err != nil || len(res) != 1 || res[0].State != journal.StateShipped {
		t.Fatalf("Recover: %+v %v", res, err)
	}
	if len(r.jos.sent()) != 1 {
		t.Fatal("sent again")
	}
}

// Many goroutines of one station, and two stations on one journal file, ship the same order:
// exactly one outstorage.
func TestConcurrentShipOneCall(t *testing.T) {
	for _, handles := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d journal handles", handles), func(t *testing.T) {
			r := newRig(t)
			r.jos.delay = 30 * time.Millisecond // widen the window
			shippers := []*Shipper{r.shipper}
			if handles == 2 {
				j2, err := sqljournal.OpenSQLite(context.Background(), r.path)
				if err != nil {
					t.Fatal(err)
				}
				defer j2.Close()
				shippers = append(shippers, r.newShipper(t, j2))
			}
			const n = 8
			var (
				wg      sync.WaitGroup
				start   = make(chan struct{})
				results = make([]Result, n)
				errs    = make([]error, n)
			)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results[i], errs[i] = shippers[i%len(shippers)].Ship(context.Background(), sop("8001", cw("467", "SF1234567890123")))
				}()
			}
			close(start)
			wg.Wait()
			if c := len(r.jos.sent()); c != 1 {
				t.Fatalf("%d outstorage calls, want 1", c)
			}
			sentBy := 0
			for i := range n {
				switch {
				case errs[i] == nil && results[i].Sent:
					sentBy++
				case errs[i] == nil && results[i].AlreadyShipped:
				case errors.Is(errs[i], ErrInProgress):
				default:
					t.Errorf("goroutine %d: %+v %v", i, results[i], errs[i])
				}
			}
			if sentBy != 1 {
				t.Errorf("%d callers report sending", sentBy)
			}
			if e := r.entry(t, "8001"); e.State != journal.StateShipped || e.ShipAttempts != 1 {
				t.Errorf("entry %+v", e)
			}
		})
	}
}

// A station that stopped in the middle of an outstorage (its claim still on the row) is taken
// over only through reconciliation: at once when its process is gone, otherwise when the claim
// expires.
func TestTakeOverCrashedStation(t *testing.T) {
	ctx := context.Background()
	sh := sop("9001", cw("467", "SF1234567890123"))

	t.Run("dead process", func(t *testing.T) {
		r := newRig(t)
		crashed := r.newShipper(t, r.journal)
		dead := deadPID(t)
		crashed.lease = func(exp time.Time) journal.Lease { l := journal.NewLease(exp); l.PID = dead; return l }
		c, err := crashed.claimShip(ctx, mustValidate(t, r, sh)) // "shipping" committed, then the crash
		if err != nil || c.Kind != journal.ClaimSend {
			t.Fatal(c, err)
		}
		r.states.set("9001", printdata.StateWaitReceive) // its call had gone through
		res, err := r.shipper.Ship(ctx, sh)
		if err != nil || !res.AlreadyShipped || !res.Reconciled || res.Sent {
			t.Fatalf("%+v %v", res, err)
		}
		if len(r.jos.sent()) != 0 {
			t.Fatal("outstorage sent over a crashed station's unsettled call")
		}
	})

	t.Run("dead process, call did not arrive", func(t *testing.T) {
		r := newRig(t)
		crashed := r.newShipper(t, r.journal)
		dead := deadPID(t)
		crashed.lease = func(exp time.Time) journal.Lease { l := journal.NewLease(exp); l.PID = dead; return l }
		c, _ := crashed.claimShip(ctx, mustValidate(t, r, sh))
		r.states.set("9001", printdata.StateWaitStockOut)
		res, err := r.shipper.Ship(ctx, sh)
		if err != nil || !res.Sent || res.State != journal.StateShipped {
			t.Fatalf("%+v %v", res, err)
		}
		if calls := r.jos.sent(); len(calls) != 1 || calls[0].param("trade_no") != c.TradeNo {
			t.Errorf("calls %+v; the retry should reuse trade_no %s", calls, c.TradeNo)
		}
		as, _ := r.journal.Attempts(ctx, "9001")
		if len(as) != 3 || as[0].Outcome != journal.OutcomePending || as[1].Kind != journal.AttemptReconcile || as[1].Outcome != journal.OutcomeNotShipped || as[2].Outcome != journal.OutcomeOK {
			t.Errorf("attempts %+v", as)
		}
	})

	t.Run("live process, claim not expired", func(t *testing.T) {
		r := newRig(t)
		other := r.newShipper(t, r.journal) // same pid: alive
		if _, err := other.claimShip(ctx, mustValidate(t, r, sh)); err != nil {
			t.Fatal(err)
		}
		_, err := r.shipper.Ship(ctx, sh)
		if !errors.Is(err, ErrInProgress) {
			t.Fatalf("error %v", err)
		}
		if _, err := r.shipper.Reconcile(ctx, "9001"); !errors.Is(err, ErrInProgress) {
			t.Fatalf("Reconcile: %v", err)
		}
		if r.states.count() != 0 || len(r.jos.sent()) != 0 {
			t.Fatal("touched an order another live station holds")
		}
		// Once the claim has expired, it is reconciled and taken over.
		later := time.Now().Add(other.leaseTTL + time.Second)
		r.shipper.now = func() time.Time { return later }
		r.journal.SetClock(r.shipper.now)
		r.states.set("9001", printdata.StateWaitReceive)
		res, err := r.shipper.Ship(ctx, sh)
		if err != nil || !res.AlreadyShipped || len(r.jos.sent()) != 0 {
			t.Fatalf("after expiry: %+v %v", res, err)
		}
	})
}

func mustValidate(t *testing.T, r *rig, sh Shipment) Shipment {
	t.Helper()
	sh, err := r.shipper.Validate(context.Background(), sh)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestReconcileAndRecover(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	r.jos.respond = func(sent) error { return lostReply(methodSOPOutstorage) }
	ids := []string{"9101", "9102", "9103"}
	for _, id := range ids {
		r.states.fail(id, errors.New("down"))
		r.shipper.Ship(ctx, sop(id, cw("467", "SF123456789"+id)))
	}
	if p, _ := journal.PendingReconcile(ctx, r.journal); len(p) != 3 {
		t.Fatalf("%d pending", len(p))
	}
	if _, err := r.shipper.Reconcile(ctx, "9999"); !errors.Is(err, journal.ErrNotInJournal) {
		t.Errorf("Reconcile of an unknown order: %v", err)
	}
	r.states.set("9101", printdata.StateWaitReceive)
	r.states.set("9102", printdata.StateWaitStockOut)
	res, err := r.shipper.Recover(ctx)
	if !errors.Is(err, ErrNeedsReconcile) || len(res) != 3 {
		t.Fatalf("Recover: %+v %v", res, err)
	}
	want := map[string]journal.State{"9101": journal.StateShipped, "9102": journal.StateFailed, "9103": journal.StateShipping}
	for _, rr := range res {
		if rr.State != want[rr.OrderID] {
			t.Errorf("%s: %s, want %s", rr.OrderID, rr.State, want[rr.OrderID])
		}
	}
	// Reconcile of a settled order changes nothing and reads nothing.
	reads := r.states.count()
	if rr, err := r.shipper.Reconcile(ctx, "9101"); err != nil || rr.State != journal.StateShipped || r.states.count() != reads {
		t.Errorf("Reconcile of a shipped order: %+v %v", rr, err)
	}
	if len(r.jos.sent()) != 3 {
		t.Errorf("%d writes", len(r.jos.sent()))
	}
}

func TestUpdateWaybill(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	if _, err := r.shipper.Ship(ctx, sop("9201", cw("467", "SF1234567890123"))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		u      Shipment
		kind   InvalidKind
		method string
		json   string // 360buy_param_json; <T> is the trade_no
	}{
		{name: "SOP", u: sop("9201", cw("1499", "731234567890")), method: methodSOPWaybillUpdate,
			json: `{"order_id":"9201","logistics_id":"1499","waybill":"731234567890","trade_no":"<T>"}`},
		{name: "SOP two carriers", u: sop("9201", cw("1499", "731234567890"), cw("467", "SF1234567890123")), method: methodSOPWaybillUpdate,
			json: `{"order_id":"9201","logistics_id":"1499|467","waybill":"731234567890|SF1234567890123","trade_no":"<T>"}`},
		{name: "LBP", u: Shipment{OrderID: "9202", Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("336878", "JDVA00123456789")}}, method: methodLBPWaybillUpdate,
			json: `{"order_id":"9202","logistics_id":"336878","waybill":"JDVA00123456789","trade_no":"<T>"}`},
		{name: "SOPL", u: Shipment{OrderID: "9203", Type: printdata.SOPL, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890203")}}, method: methodSOPLWaybillUpdate,
			json: `{"order_id":"9203","logistics_id":"467","waybill":"SF1234567890203","trade_no":"<T>"}`},
		{name: "no waybill", u: sop("9201", cw("467")), kind: InvalidMissingWaybill},
		{name: "self delivery has nothing to correct", u: sop("9201", cw("1274")), kind: InvalidMissingWaybill},
		{name: "0", u: Shipment{OrderID: "9202", Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("0")}}, kind: InvalidDeliverToJD},
		{name: "bad shape", u: sop("9201", cw("467", "123")), kind: InvalidWaybill},
		{name: "unknown carrier", u: sop("9201", cw("5", "SF1234567890123")), kind: InvalidUnknownCarrier},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(r.jos.sent())
			res, err := r.shipper.UpdateWaybill(ctx, tt.u)
			calls := r.jos.sent()[before:]
			if tt.kind != 0 {
				if InvalidKindOf(err) != tt.kind || len(calls) != 0 {
					t.Fatalf("error %v (%d calls), want %v", err, len(calls), tt.kind)
				}
				return
			}
			if err != nil || len(calls) != 1 || res.State != journal.StateShipped {
				t.Fatalf("%+v %v, %d calls", res, err, len(calls))
			}
			if calls[0].Method != tt.method || calls[0].param("trade_no") == "" {
				t.Errorf("call %+v", calls[0])
			}
			tn := calls[0].param("trade_no")
			if got := strings.Replace(calls[0].JSON, `"trade_no":"`+tn+`"`, `"trade_no":"<T>"`, 1); got != tt.json {
				t.Errorf("360buy_param_json\n got %s\nwant %s", got, tt.json)
			}
			lg, _ := journal.JOSForm(r.entry(t, tt.u.OrderID).Carriers)
			if want, _ := journal.JOSForm(tt.u.Carriers); lg != want {
				t.Errorf("journal carriers %s, want %s", lg, want)
			}
		})
	}
	// The waybill lookup follows the correction.
	if es, _ := r.journal.ByWaybill(ctx, "731234567890"); len(es) != 1 || es[0].OrderID != "9201" {
		t.Errorf("ByWaybill after the correction: %v", es)
	}
	// A refused correction leaves the journal's waybills alone and is recorded.
	r.jos.respond = func(sent) error { return invalidWaybillErr(methodSOPWaybillUpdate) }
	if _, err := r.shipper.UpdateWaybill(ctx, sop("9201", cw("467", "SF5555555555555"))); err == nil {
		t.Fatal("refusal not reported")
	}
	if w := r.entry(t, "9201").Waybills(); w[0] != "731234567890" {
		t.Errorf("waybills after a refused correction: %v", w)
	}
	as, _ := r.journal.Attempts(ctx, "9201")
	if last := as[len(as)-1]; last.Kind != journal.AttemptWaybillUpdate || last.Outcome != journal.OutcomeRefused || last.Code != "10100005" {
		t.Errorf("last attempt %+v", last)
	}
	// An unknown outcome says so.
	r.jos.respond = func(sent) error { return lostReply(methodSOPWaybillUpdate) }
	if _, err := r.shipper.UpdateWaybill(ctx, sop("9201", cw("467", "SF5555555555555"))); !errors.Is(err, ErrNeedsReconcile) {
		t.Errorf("unknown outcome: %v", err)
	}
	// No correction while an outstorage is unsettled.
	r.jos.respond = func(sent) error { return lostReply(methodSOPOutstorage) }
	r.states.fail("9301", errors.New("down"))
	r.shipper.Ship(ctx, sop("9301", cw("467", "SF1234567890301")))
	r.jos.respond = nil
	before := len(r.jos.sent())
	if _, err := r.shipper.UpdateWaybill(ctx, sop("9301", cw("1499", "731234567301"))); !errors.Is(err, ErrNeedsReconcile) || len(r.jos.sent()) != before {
		t.Errorf("correction of an unsettled order: %v", err)
	}
}

// Shipping logs what happened to each order (ids, trade_no, outcome) through slog, and nothing
// about the consignee: fulfill never handles consignee data at all.
func TestShipLogs(t *testing.T) {
	var (
		mu  sync.Mutex
		buf strings.Builder
	)
	r := newRig(t)
	r.shipper.log = slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.jos.respond = func(sent) error { return lostReply(methodSOPOutstorage) }
	r.states.set("9401", printdata.StateWaitReceive)
	res, err := r.shipper.Ship(context.Background(), sop("9401", cw("467", "SF1234567890123")))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, want := range []string{`"msg":"outstorage sending"`, `"msg":"outstorage outcome unknown; reconciling"`,
		`"msg":"reconciled: shipped"`, `"order_id":"9401"`, `"trade_no":"` + res.TradeNo + `"`, `"jd_state":"WAIT_GOODS_RECEIVE_CONFIRM"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *strings.Builder
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A refusal the station cannot place is JD saying no: failed with JD's words, nothing shipped,
// not marked for trying again as it is, and sent once.
func TestUnknownRefusal(t *testing.T) {
	r := newRig(t)
	r.jos.respond = func(c sent) error {
		return &jos.Error{Method: c.Method, Kind: jos.KindOfCode("10499999", "商家发货受限", ""), Code: "10499999", ZhDesc: "商家发货受限"}
	}
	res, err := r.shipper.Ship(context.Background(), sop("9301", cw("1274")))
	if !errors.Is(err, ErrShipFailed) || jos.KindOf(err) != jos.KindRefused {
		t.Fatalf("err = %v", err)
	}
	if res.State != journal.StateFailed || res.Retryable || !strings.Contains(res.Reason, "商家发货受限") || len(r.jos.sent()) != 1 {
		t.Errorf("result %+v after %d calls", res, len(r.jos.sent()))
	}
}

// A waybill the journal has for another order (shipped or being shipped) is refused before any
// call, naming that order; the waybill of a shipment JD refused is free again; a correction to
// another order's waybill is refused the same way.
func TestWaybillUsedForAnotherOrder(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	if _, err := r.shipper.Ship(ctx, sop("9401", cw("467", "SF1234567890401"))); err != nil {
		t.Fatal(err)
	}
	before := len(r.jos.sent())
	_, err := r.shipper.Ship(ctx, sop("9402", cw("467", "sf1234567890401")))
	var ie *InvalidShipmentError
	if !errors.As(err, &ie) || ie.Kind != InvalidWaybillUsed || ie.UsedBy != "9401" || ie.Waybill != "SF1234567890401" {
		t.Fatalf("second order on the same waybill: %v", err)
	}
	if len(r.jos.sent()) != before {
		t.Error("a call went out for a waybill used by another order")
	}
	if _, err := r.shipper.UpdateWaybill(ctx, sop("9403", cw("467", "SF1234567890401"))); InvalidKindOf(err) != InvalidWaybillUsed {
		t.Errorf("correction onto another order's waybill: %v", err)
	}
	// The same order shipped again with its own waybill is not refused for it.
	if res, err := r.shipper.Ship(ctx, sop("9401", cw("467", "SF1234567890401"))); err != nil || !res.AlreadyShipped {
		t.Errorf("the order's own waybill: %+v %v", res, err)
	}
	r.jos.respond = func(sent) error { return invalidWaybillErr(methodSOPOutstorage) }
	r.shipper.Ship(ctx, sop("9404", cw("467", "SF1234567890404")))
	r.jos.respond = nil
	if _, err := r.shipper.Ship(ctx, sop("9405", cw("467", "SF1234567890404"))); err != nil {
		t.Errorf("the waybill of a refused shipment: %v", err)
	}
}
