package ship

// Tests against the JOS simulator over real HTTP with real signatures, checked with the
// simulator's ledger: what JD would have applied.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
)

// station is one station process: its own journal handle, JOS client and Shipper.
type station struct {
	journal *sqljournal.DB
	client  *jos.Client
	shipper *Shipper
}

func newStation(t *testing.T, sim *jostest.Running, journalPath string) *station {
	t.Helper()
	client, err := jos.New(jos.Config{Endpoint: sim.URL, AppKey: jostest.DemoAppKey, AppSecret: jostest.DemoAppSecret,
		AccessToken: jostest.DemoAccessToken, Timeout: 400 * time.Millisecond, RateLimit: -1, Backoff: 5 * time.Millisecond, MaxRetries: 10})
	if err != nil {
		t.Fatal(err)
	}
	j, err := sqljournal.OpenSQLite(context.Background(), journalPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	s, err := NewShipper(ShipperConfig{Journal: j, JOS: client, Carriers: NewCarriers(client, 0, nil),
		States: FetcherStates(printdata.NewFetcher(client)), CallTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &station{journal: j, client: client, shipper: s}
}

func TestSimulatorOutstorageParameters(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	st := newStation(t, sim, filepath.Join(t.TempDir(), "journal.db"))
	waiting := func(typ string) []string {
		ids := sim.Server.OrderIDs(typ, printdata.StateWaitStockOut)
		if len(ids) < 2 {
			t.Fatalf("the simulator has %d waiting %s orders", len(ids), typ)
		}
		return ids
	}
	sops, lbps, sopls := waiting(shop.TypeSOP), waiting(shop.TypeLBP), waiting(shop.TypeSOPL)
	tests := []struct {
		sh   Shipment
		want shop.Shipment
	}{
		{Shipment{OrderID: sops[0], Type: printdata.SOP, Packages: 3, Carriers: []journal.CarrierWaybills{
			cw("467", "SF1000000000001", "SF1000000000002"), cw("1499", "731000000001")}},
			shop.Shipment{LogisticsID: "467|1499", Waybill: "SF1000000000001,SF1000000000002|731000000001", PackageNum: 3}},
		{sop(sops[1], cw("1274")), shop.Shipment{LogisticsID: "1274", Waybill: "", PackageNum: 1}},
		{Shipment{OrderID: lbps[0], Type: printdata.LBP, Packages: 2, Carriers: []journal.CarrierWaybills{cw("0")}},
			shop.Shipment{LogisticsID: "0", PackageNum: 2}},
		{Shipment{OrderID: lbps[1], Type: printdata.LBP, Carriers: []journal.CarrierWaybills{cw("336878", "JDVA00000000001")}},
			shop.Shipment{LogisticsID: "336878", Waybill: "JDVA00000000001", PackageNum: 1}},
		{Shipment{OrderID: sopls[0], Type: printdata.SOPL, Packages: 2, AddressID: 4242, Carriers: []journal.CarrierWaybills{cw("0")}},
			shop.Shipment{LogisticsID: "0", PackageNum: 2}},
		{Shipment{OrderID: sopls[1], Type: printdata.SOPL, Carriers: []journal.CarrierWaybills{cw("467", "SF1000000000003")}},
			shop.Shipment{LogisticsID: "467", Waybill: "SF1000000000003", PackageNum: 1}},
	}
	for _, tt := range tests {
		t.Run(string(tt.sh.Type)+"/"+tt.want.LogisticsID, func(t *testing.T) {
			res, err := st.shipper.Ship(ctx, tt.sh)
			if err != nil || res.State != journal.StateShipped {
				t.Fatalf("%+v %v", res, err)
			}
			lo, _ := sim.Server.Ledger().Order(tt.sh.OrderID)
			if lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 || len(lo.Shipments) != 1 || lo.Shipments[0] != tt.want {
				t.Errorf("ledger %+v, want one shipment %+v", lo, tt.want)
			}
			// Shipping it again sends nothing.
			if res, err := st.shipper.Ship(ctx, tt.sh); err != nil || !res.AlreadyShipped {
				t.Errorf("again: %+v %v", res, err)
			}
			if lo, _ := sim.Server.Ledger().Order(tt.sh.OrderID); lo.OutstorageAttempts != 1 {
				t.Errorf("%d attempts after shipping twice", lo.OutstorageAttempts)
			}
		})
	}

	// Waybill correction of the SOP order: the ledger's shipment is corrected.
	if _, err := st.shipper.UpdateWaybill(ctx, sop(sops[0], cw("1499", "731000000009"))); err != nil {
		t.Fatal(err)
	}
	lo, _ := sim.Server.Ledger().Order(sops[0])
	if got := lo.Shipments[len(lo.Shipments)-1]; got.LogisticsID != "1499" || got.Waybill != "731000000009" || lo.OutstorageAccepted != 1 {
		t.Errorf("after the correction: %+v", lo)
	}
	// An LBP correction.
	if _, err := st.shipper.UpdateWaybill(ctx, Shipment{OrderID: lbps[1], Type: printdata.LBP,
		Carriers: []journal.CarrierWaybills{cw("467", "SF1000000000004")}}); err != nil {
		t.Fatal(err)
	}
	if lo, _ := sim.Server.Ledger().Order(lbps[1]); lo.Shipments[0].Waybill != "SF1000000000004" {
		t.Errorf("after the LBP correction: %+v", lo)
	}
}

func TestSimulatorConflicts(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	st := newStation(t, sim, filepath.Join(t.TempDir(), "journal.db"))
	ids := sim.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitStockOut)

	// Shipped outside the station (JD's backend): JD answers "already shipped", recorded as shipped.
	if err := sim.Server.SetState(ids[0], printdata.StateWaitReceive); err != nil {
		t.Fatal(err)
	}
	res, err := st.shipper.Ship(ctx, sop(ids[0], cw("467", "SF2000000000001")))
	if err != nil || res.State != journal.StateShipped || !res.Reconciled {
		t.Fatalf("already shipped at JD: %+v %v", res, err)
	}
	// Locked by customer service: refused, not retryable, said plainly.
	sim.Server.SetState(ids[1], printdata.StateLocked)
	res, err = st.shipper.Ship(ctx, sop(ids[1], cw("467", "SF2000000000002")))
	if !errors.Is(err, printdata.ErrNotShippable) || res.State != journal.StateFailed || res.Retryable {
		t.Fatalf("locked: %+v %v", res, err)
	}
	// A carrier JD does not know never leaves the station.
	before := sim.Server.Ledger()
	if _, err := st.shipper.Ship(ctx, sop(ids[2], cw("2100", "YT1234567890123"))); InvalidKindOf(err) != InvalidUnknownCarrier {
		t.Fatalf("unknown carrier: %v", err)
	}
	if lo, _ := before.Order(ids[2]); lo.OutstorageAttempts != 0 {
		t.Fatal("sent")
	}
	if lo, _ := sim.Server.Ledger().Order(ids[2]); lo.OutstorageAttempts != 0 {
		t.Fatal("an invalid shipment reached the simulator")
	}
}

// shipUntilSettled is a bounded retry loop, as a batch would run it: retry what is retryable,
// reconcile what is unsettled, wait for another station's claim.
func shipUntilSettled(ctx context.Context, s *Shipper, sh Shipment) (Result, error) {
	var (
		res Result
		err error
	)
	// Patient enough for the other station's call to ride out a quota refusal (its rate
	// limit slowed down) while it holds the claim.
	for range 100 {
		res, err = s.Ship(ctx, sh)
		switch {
		case err == nil:
			return res, nil
		case errors.Is(err, ErrInProgress), errors.Is(err, ErrNeedsReconcile):
			time.Sleep(50 * time.Millisecond)
		case errors.Is(err, ErrShipFailed) && res.Retryable:
		case errors.Is(err, ErrInvalidShipment) || errors.Is(err, ErrShipFailed):
			return res, err
		default:
			// e.g. the carrier list could not be read through the faults: nothing was sent.
		}
	}
	return res, fmt.Errorf("not settled after 100 tries: %w", err)
}

// simShipment is a valid shipment for a simulator order, varied by type.
func simShipment(o jostest.LedgerOrder, i int) Shipment {
	switch o.Type {
	case shop.TypeLBP:
		return Shipment{OrderID: o.OrderID, Type: printdata.LBP, Packages: 1 + i%3, Carriers: []journal.CarrierWaybills{cw("0")}}
	case shop.TypeSOPL:
		return Shipment{OrderID: o.OrderID, Type: printdata.SOPL, Carriers: []journal.CarrierWaybills{cw("336878", fmt.Sprintf("JDVA%011d", i))}}
	case shop.TypeOverseas:
		return Shipment{OrderID: o.OrderID, Type: printdata.Overseas, Carriers: []journal.CarrierWaybills{cw("467", fmt.Sprintf("SF%013d", i))}}
	}
	if i%4 == 0 {
		return Shipment{OrderID: o.OrderID, Type: printdata.SOP, Packages: 2, Carriers: []journal.CarrierWaybills{
			cw("467", fmt.Sprintf("SF%013d", i)), cw("1499", fmt.Sprintf("73%010d", i))}}
	}
	return sop(o.OrderID, cw("467", fmt.Sprintf("SF%013d", i)))
}

// runStations ships every waiting order of the simulator from several stations at once (each
// with its own journal handle on one file, and workers goroutines), each going through the
// orders in its own order, and checks the ledger: every order shipped exactly once.
func runStations(t *testing.T, sim *jostest.Running, stations, workers int) map[string]int {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	var sts []*station
	for range stations {
		sts = append(sts, newStation(t, sim, path))
	}
	var orders []jostest.LedgerOrder
	for _, o := range sim.Server.Ledger().Orders {
		if o.State == printdata.StateWaitStockOut {
			orders = append(orders, o)
		}
	}
	shipments := make([]Shipment, len(orders))
	for i, o := range orders {
		shipments[i] = simShipment(o, i)
	}

	var wg sync.WaitGroup
	errs := make(chan error, len(orders)*stations)
	for si, st := range sts {
		queue := make(chan int)
		go func() {
			for _, i := range rand.New(rand.NewPCG(uint64(si), 7)).Perm(len(orders)) {
				queue <- i
			}
			close(queue)
		}()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range queue {
					if _, err := shipUntilSettled(ctx, st.shipper, shipments[i]); err != nil {
						errs <- fmt.Errorf("station %d, order %s: %w", si, orders[i].OrderID, err)
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	ledger := sim.Server.Ledger()
	calls, shippedN := 0, 0
	for _, o := range orders {
		lo, _ := ledger.Order(o.OrderID)
		calls += lo.OutstorageAttempts
		if lo.OutstorageAccepted != 1 {
			t.Errorf("order %s: outstorage accepted %d times (%d calls)", o.OrderID, lo.OutstorageAccepted, lo.OutstorageAttempts)
		}
		if o.Type == shop.TypeOverseas && (lo.DeliveryAccepted != 1 || lo.State != printdata.StateWaitReceive) {
			t.Errorf("overseas order %s: delivery accepted %d times (%d calls), state %s", o.OrderID, lo.DeliveryAccepted, lo.DeliveryAttempts, lo.State)
		}
		e, ok, err := sts[0].journal.Get(ctx, o.OrderID)
		if err != nil || !ok || e.State != journal.StateShipped {
			t.Errorf("order %s: journal %+v %v", o.OrderID, e, err)
		} else {
			shippedN++
		}
	}
	t.Logf("%d orders, %d shipped, %d outstorage calls reached the simulator's order logic", len(orders), shippedN, calls)

	// What the stations went through, from the journal: kind/outcome → count.
	seen := map[string]int{}
	for _, o := range orders {
		as, err := sts[0].journal.Attempts(ctx, o.OrderID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			seen[string(a.Kind)+"/"+a.Outcome]++
		}
	}
	t.Logf("journal attempts: %v", seen)
	return seen
}

// Lost replies only: every outstorage that reaches JD takes effect, so any second call would
// show in the ledger. Exactly one call per order.
func TestSimulatorLostReplyNeverShipsTwice(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 40, Overseas: 12, FaultRate: 0.4, FaultSeed: 11, Faults: []jostest.Fault{jostest.FaultLostReply}})
	seen := runStations(t, sim, 1, 3)
	if seen["outstorage/unknown"] == 0 || seen["reconcile/shipped"] == 0 {
		t.Errorf("no outstorage reply was lost (%v): the test did not test anything", seen)
	}
	for _, o := range sim.Server.Ledger().Orders {
		if o.OutstorageAttempts > 1 || o.DeliveryAttempts > 1 {
			t.Errorf("order %s: %d outstorage and %d delivery calls after lost replies", o.OrderID, o.OutstorageAttempts, o.DeliveryAttempts)
		}
	}
}

// About 60 waiting orders (of 90), 30% of all calls failing with every kind of fault, two stations on one journal
// shipping the same orders at once.
func TestSimulatorFaultsTwoStations(t *testing.T) {
	if testing.Short() {
		t.Skip("several seconds of faults")
	}
	sim := jostest.StartT(t, jostest.Options{Orders: 90, Overseas: 15, FaultRate: 0.3, FaultSeed: 5})
	seen := runStations(t, sim, 2, 3)
	// Which call draws which fault depends on the goroutines' interleaving, so only what is
	// certain at this rate is required: calls that went through and calls the faults broke.
	// The lost-reply test above covers reconciling to shipped deterministically.
	if seen["outstorage/ok"] == 0 || seen["outstorage/unknown"]+seen["outstorage/refused"] == 0 {
		t.Errorf("the faults did not reach outstorage (%v): the test did not test anything", seen)
	}
}

// JD gives business refusals in two shapes: inside the method's envelope, or as a top-level
// error_response with a 104xxxxx code. The client reads both the same way, by JD's words, for
// outstorage, waybill update and print data.
func TestRefusalShapes(t *testing.T) {
	ctx := context.Background()
	for _, shape := range []jostest.RefusalShape{jostest.RefusalsEnvelope, jostest.RefusalsTopLevel} {
		t.Run(string(shape), func(t *testing.T) {
			sim := jostest.StartT(t, jostest.Options{Orders: 60, Refusals: shape})
			st := newStation(t, sim, filepath.Join(t.TempDir(), "journal.db"))
			shipped := sim.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitReceive)[0]
			waiting := sim.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitStockOut)[0]
			lbp := sim.Server.OrderIDs(shop.TypeLBP, printdata.StateWaitStockOut)[0]
			for _, tc := range []struct {
				name, method string
				params       any
				write        bool
				kind         jos.Kind
			}{
				{"outstorage of a shipped order", methodSOPOutstorage, sopOutstorage{OrderID: shipped, LogisticsID: "1274", TradeNo: "t1"}, true, jos.KindConflict},
				{"outstorage with a bad waybill", methodSOPOutstorage, sopOutstorage{OrderID: waiting, LogisticsID: "467", Waybill: "x", TradeNo: "t2"}, true, jos.KindInvalid},
				{"outstorage with an unknown carrier", methodSOPOutstorage, sopOutstorage{OrderID: waiting, LogisticsID: "31337", Waybill: "AB1234567", TradeNo: "t3"}, true, jos.KindInvalid},
				{"waybill update of a waiting order", methodSOPWaybillUpdate, waybillUpdate{OrderID: waiting, LogisticsID: "467", Waybill: "SF1234567890123", TradeNo: "t4"}, true, jos.KindConflict},
				{"print data of no such order", "360buy.order.sop.print.data.get", map[string]string{"order_id": "10000000001"}, false, jos.KindNotFound},
				{"print data through another type's method", "360buy.order.sop.print.data.get", map[string]string{"order_id": lbp}, false, jos.KindInvalid},
			} {
				var err error
				if tc.write {
					err = st.client.Write(ctx, tc.method, tc.params, nil)
				} else {
					err = st.client.Read(ctx, tc.method, tc.params, nil)
				}
				var je *jos.Error
				if !errors.As(err, &je) || je.Kind != tc.kind || je.Outcome != jos.NotApplied || je.ZhDesc == "" {
					t.Errorf("%s: %v (%+v), want %v, not applied, with JD's words", tc.name, err, je, tc.kind)
					continue
				}
				if top := je.Code[:4] == "1040"; top != (shape == jostest.RefusalsTopLevel) {
					t.Errorf("%s: code %s in the %s shape", tc.name, je.Code, shape)
				}
			}
			if lo, _ := sim.Server.Ledger().Order(shipped); lo.OutstorageAccepted != 0 {
				t.Errorf("a refused outstorage was applied: %+v", lo)
			}
		})
	}
}

// An overseas order: the outstorage and then the delivery, each once, in that order; one
// already out of the warehouse gets the delivery alone; JD's refusals come through as such.
func TestSimulatorOverseas(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 20, Overseas: 16})
	st := newStation(t, sim, filepath.Join(t.TempDir(), "journal.db"))
	waiting := sim.Server.OrderIDs(shop.TypeOverseas, printdata.StateWaitStockOut)
	out := sim.Server.OrderIDs(shop.TypeOverseas, printdata.StateWaitDelivery)
	if len(waiting) < 2 || len(out) == 0 {
		t.Fatalf("%d waiting and %d out-of-warehouse overseas orders", len(waiting), len(out))
	}
	for _, id := range []string{waiting[0], out[0]} {
		res, err := st.shipper.Ship(ctx, Shipment{OrderID: id, Type: printdata.Overseas, Carriers: []journal.CarrierWaybills{cw("467", "SF"+id[len(id)-11:]+"00")}})
		if err != nil || res.State != journal.StateShipped {
			t.Fatalf("order %s: %+v %v", id, res, err)
		}
		as, _ := st.journal.Attempts(ctx, id)
		var methods []string
		for _, a := range as {
			methods = append(methods, a.Method+"/"+a.Outcome)
		}
		t.Logf("order %s: %v", id, methods)
		if last := as[len(as)-1]; last.Method != methodOverseasDelivery || last.TradeNo != deliveryTradeNo(res.TradeNo) {
			t.Errorf("order %s: the last attempt %+v is not the delivery with its own trade_no", id, last)
		}
	}
	l, _ := sim.Server.Ledger().Order(waiting[0])
	if l.OutstorageAccepted != 1 || l.DeliveryAccepted != 1 || l.State != printdata.StateWaitReceive || l.Shipments[0].LogisticsID != "467" {
		t.Errorf("the waiting order: %+v", l)
	}
	if l, _ = sim.Server.Ledger().Order(out[0]); l.OutstorageAttempts != 0 || l.DeliveryAccepted != 1 {
		t.Errorf("the order already out: %+v (its outstorage must not be sent again)", l)
	}
	// A second Ship sends nothing.
	if res, err := st.shipper.Ship(ctx, Shipment{OrderID: waiting[0], Type: printdata.Overseas, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890123")}}); err != nil || !res.AlreadyShipped {
		t.Errorf("a second ship: %+v %v", res, err)
	}
	// An overseas order takes one carrier, and never logistics id 0.
	for _, cs := range [][]journal.CarrierWaybills{{cw("467", "SF1234567890123"), cw("1499", "731234567890")}, {cw("0")}} {
		if _, err := st.shipper.Ship(ctx, Shipment{OrderID: waiting[1], Type: printdata.Overseas, Carriers: cs}); !errors.Is(err, ErrInvalidShipment) {
			t.Errorf("carriers %v: %v, want refused before sending", cs, err)
		}
	}
	// Shipping an overseas order with the domestic SOP outstorage: JD refuses, nothing changes.
	if _, err := st.shipper.Ship(ctx, sop(waiting[1], cw("467", "SF1234567890125"))); err == nil {
		t.Error("a domestic outstorage of an overseas order went through")
	}
	if l, _ = sim.Server.Ledger().Order(waiting[1]); l.OutstorageAccepted != 0 || l.State != printdata.StateWaitStockOut {
		t.Errorf("after the wrong method: %+v", l)
	}
	// An overseas correction of the waybill has no method at JD: refused before sending.
	if _, err := st.shipper.UpdateWaybill(ctx, Shipment{OrderID: waiting[0], Type: printdata.Overseas, Carriers: []journal.CarrierWaybills{cw("467", "SF1234567890126")}}); !errors.Is(err, ErrInvalidShipment) {
		t.Errorf("overseas waybill update: %v", err)
	}
}
