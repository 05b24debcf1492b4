package jostest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

var outMethod = map[string]string{shop.TypeSOP: "360buy.order.sop.outstorage", shop.TypeLBP: "360buy.order.lbp.outstorage",
	shop.TypeSOPL: "360buy.order.sopl.outstorage"}
var outKey = map[string]string{shop.TypeSOP: "order_sop_outstorage_response", shop.TypeLBP: "order_lbp_outstorage_response",
	shop.TypeSOPL: "order_sopl_outstorage_response"}
var updMethod = map[string]string{shop.TypeSOP: "360buy.order.sop.waybill.update", shop.TypeLBP: "360buy.order.lbp.waybill.update",
	shop.TypeSOPL: "360buy.order.sopl.waybill.update"}
var updKey = map[string]string{shop.TypeSOP: "order_sop_waybill_update", shop.TypeLBP: "order_lbp_waybill_update",
	shop.TypeSOPL: "order_sopl_waybill_update"}

func TestOutstorageAccepted(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		params map[string]any
		want   shop.Shipment
		state  string
	}{
		{"SOP with SF", shop.TypeSOP, map[string]any{"logistics_id": "467", "waybill": "SF1234567890123", "trade_no": "t1"},
			shop.Shipment{LogisticsID: "467", Waybill: "SF1234567890123", PackageNum: 1}, shop.StateWaitReceive},
		{"SOP self delivery without waybill", shop.TypeSOP, map[string]any{"logistics_id": "1274"},
			shop.Shipment{LogisticsID: "1274", Waybill: "", PackageNum: 1}, shop.StateWaitReceive},
		{"SOP two carriers, three parcels", shop.TypeSOP, map[string]any{"logistics_id": "467|1499", "waybill": "SF1234567890123,SF1234567890124|751234567890"},
			shop.Shipment{LogisticsID: "467|1499", Waybill: "SF1234567890123,SF1234567890124|751234567890", PackageNum: 3}, shop.StateWaitReceive},
		{"SOP self and a carrier", shop.TypeSOP, map[string]any{"logistics_id": "1274|336878", "waybill": "|JDVA00000000001"},
			shop.Shipment{LogisticsID: "1274|336878", Waybill: "|JDVA00000000001", PackageNum: 1}, shop.StateWaitReceive},
		{"LBP to the sorting centre", shop.TypeLBP, map[string]any{"send_type": "1", "logistics_id": 0, "package_num": 2},
			shop.Shipment{LogisticsID: "0", Waybill: "", PackageNum: 2}, shop.StateSentToCenter},
		{"LBP with JD express", shop.TypeLBP, map[string]any{"send_type": "1", "logistics_id": "336878", "waybill": "JDVA00000000002", "package_num": "1"},
			shop.Shipment{LogisticsID: "336878", Waybill: "JDVA00000000002", PackageNum: 1}, shop.StateSentToCenter},
		{"SOPL to the sorting centre with address_id", shop.TypeSOPL, map[string]any{"send_type": "1", "logistics_id": "0", "address_id": 88},
			shop.Shipment{LogisticsID: "0", Waybill: "", PackageNum: 1}, shop.StateSentToCenter},
		{"SOPL with SF", shop.TypeSOPL, map[string]any{"send_type": "1", "logistics_id": 467, "waybill": "SF1234567890125", "package_num": 1, "trade_no": "t9"},
			shop.Shipment{LogisticsID: "467", Waybill: "SF1234567890125", PackageNum: 1}, shop.StateSentToCenter},
	}
	s, c := newSim(t, Options{})
	used := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id string
			for _, x := range s.OrderIDs(tt.typ, shop.StateWaitStockOut) {
				if !used[x] {
					id = x
					break
				}
			}
			used[id] = true
			p := map[string]any{"order_id": id}
			for k, v := range tt.params {
				p[k] = v
			}
			body := c.ok(outMethod[tt.typ], outKey[tt.typ], p)
			// order_id comes back as a number, as in JD's samples.
			if n, ok := body["order_id"].(json.Number); !ok || n.String() != id {
				t.Errorf("order_id %v (%T), want the number %s", body["order_id"], body["order_id"], id)
			}
			if str(t, body, "vender_id") == "" || str(t, body, "modified") != testNow.Format(jos.TimeLayout) {
				t.Errorf("reply %v", body)
			}
			lo := ledgerOrder(t, s, id)
			if lo.State != tt.state || lo.OutstorageAttempts != 1 || lo.OutstorageAccepted != 1 ||
				!slices.Equal(lo.Shipments, []shop.Shipment{tt.want}) {
				t.Errorf("ledger %+v, want state %s and shipment %+v", lo, tt.state, tt.want)
			}
			// The order now reads as shipped everywhere.
			info := obj(t, obj(t, c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id,
				"optional_fields": "order_state,logistics_id,waybill"}), "order"), "orderInfo")
			if info["order_state"] != tt.state || info["logistics_id"] != tt.want.LogisticsID || info["waybill"] != tt.want.Waybill {
				t.Errorf("order.get after outstorage: %v", info)
			}
			pd := obj(t, c.ok("360buy.order.print.data.get", "order_printdata_response", map[string]string{"order_id": id}), "order_printdata")
			if pd["out_bound_date"] != testNow.Format(jos.TimeLayout) {
				t.Errorf("out_bound_date %v", pd["out_bound_date"])
			}
			// A second outstorage is refused and counted.
			p["trade_no"] = "again-" + id
			c.fails(outMethod[tt.typ], outKey[tt.typ], gateway.CodeOrderShipped, p)
			if lo := ledgerOrder(t, s, id); lo.OutstorageAttempts != 2 || lo.OutstorageAccepted != 1 || len(lo.Shipments) != 1 {
				t.Errorf("after a second outstorage: %+v", lo)
			}
		})
	}
}

func TestOutstorageRefused(t *testing.T) {
	s, c := newSim(t, Options{})
	sop := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	lbp := firstID(t, s, shop.TypeLBP, shop.StateWaitStockOut)
	sopl := firstID(t, s, shop.TypeSOPL, shop.StateWaitStockOut)
	sopShipped := firstID(t, s, shop.TypeSOP, shop.StateWaitReceive)
	lbpShipped := firstID(t, s, shop.TypeLBP, shop.StateSentToCenter)
	locked := firstID(t, s, shop.TypeSOP, shop.StateLocked)
	canceled := firstID(t, s, shop.TypeLBP, shop.StateCanceled)

	tests := []struct {
		name   string
		typ    string
		params map[string]any
		code   string
	}{
		{"unknown order", shop.TypeSOP, map[string]any{"order_id": "10000000001", "logistics_id": "1274"}, gateway.CodeOrderNotFound},
		{"SOP method on an LBP order", shop.TypeSOP, map[string]any{"order_id": lbp, "logistics_id": "1274"}, gateway.CodeOrderTypeMismatch},
		{"LBP method on a SOP order", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": sop, "logistics_id": 0}, gateway.CodeOrderTypeMismatch},
		{"SOPL method on an LBP order", shop.TypeSOPL, map[string]any{"send_type": "1", "order_id": lbp, "logistics_id": 0}, gateway.CodeOrderTypeMismatch},
		{"SOP already shipped", shop.TypeSOP, map[string]any{"order_id": sopShipped, "logistics_id": "1274"}, gateway.CodeOrderShipped},
		{"LBP already shipped", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": lbpShipped, "logistics_id": 0}, gateway.CodeOrderShipped},
		{"locked", shop.TypeSOP, map[string]any{"order_id": locked, "logistics_id": "1274"}, gateway.CodeOrderStateInvalid},
		{"cancelled", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": canceled, "logistics_id": 0}, gateway.CodeOrderStateInvalid},
		{"SOP no carrier", shop.TypeSOP, map[string]any{"order_id": sop}, gateway.CodeBadLogistics},
		{"SOP unknown carrier", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "9999", "waybill": "AB123456"}, gateway.CodeBadLogistics},
		{"SOP carrier 0", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "0"}, gateway.CodeBadLogistics},
		{"SOP one unknown of two", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "467|42", "waybill": "SF1234567890123|X1234567"}, gateway.CodeBadLogistics},
		{"SOP SF without waybill", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "467"}, gateway.CodeBadWaybill},
		{"SOP waybill groups fewer than carriers", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "467|1499", "waybill": "SF1234567890123"}, gateway.CodeBadWaybill},
		{"SOP second carrier's group empty", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "467|1499", "waybill": "SF1234567890123|"}, gateway.CodeBadWaybill},
		{"SOP malformed waybill", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "467", "waybill": "SF 123 456"}, gateway.CodeBadWaybill},
		{"SOP empty waybill in a list", shop.TypeSOP, map[string]any{"order_id": sop, "logistics_id": "467", "waybill": "SF1234567890123,,SF1234567890124"}, gateway.CodeBadWaybill},
		{"LBP no carrier", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": lbp}, gateway.CodeBadLogistics},
		{"LBP unknown carrier", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": lbp, "logistics_id": 65234, "waybill": "AFE234223"}, gateway.CodeBadLogistics},
		{"LBP two carriers", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": lbp, "logistics_id": "467|1499", "waybill": "SF1234567890123|751234567890"}, gateway.CodeBadLogistics},
		{"LBP JD express without waybill", shop.TypeLBP, map[string]any{"send_type": "1", "order_id": lbp, "logistics_id": 336878}, gateway.CodeBadWaybill},
		{"SOPL SF without waybill", shop.TypeSOPL, map[string]any{"send_type": "1", "order_id": sopl, "logistics_id": "467", "address_id": "1"}, gateway.CodeBadWaybill},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before LedgerOrder
			id, _ := tt.params["order_id"].(string)
			known := id != "10000000001"
			if known {
				before = ledgerOrder(t, s, id)
			}
			c.fails(outMethod[tt.typ], outKey[tt.typ], tt.code, tt.params)
			if !known {
				return
			}
			after := ledgerOrder(t, s, id)
			if after.State != before.State || after.OutstorageAccepted != before.OutstorageAccepted ||
				!slices.Equal(after.Shipments, before.Shipments) {
				t.Errorf("a refused outstorage changed the order: %+v → %+v", before, after)
			}
			if after.OutstorageAttempts != before.OutstorageAttempts+1 {
				t.Errorf("attempts %d → %d, want one more", before.OutstorageAttempts, after.OutstorageAttempts)
			}
		})
	}
}

func TestTradeNo(t *testing.T) {
	s, c := newSim(t, Options{})
	ids := s.OrderIDs(shop.TypeSOP, shop.StateWaitStockOut)
	c.ok(outMethod[shop.TypeSOP], outKey[shop.TypeSOP], map[string]any{"order_id": ids[0], "logistics_id": "1274", "trade_no": "T-1"})
	// The same serial on another order, and on a waybill update, is refused.
	c.fails(outMethod[shop.TypeSOP], outKey[shop.TypeSOP], jos.CodeTradeNoExists, map[string]any{"order_id": ids[1], "logistics_id": "1274", "trade_no": "T-1"})
	c.fails(updMethod[shop.TypeSOP], updKey[shop.TypeSOP], jos.CodeTradeNoExists, map[string]any{"order_id": ids[0], "logistics_id": "1274", "trade_no": "T-1"})
	// A retry of the applied call with its serial says so, rather than "already shipped".
	c.fails(outMethod[shop.TypeSOP], outKey[shop.TypeSOP], jos.CodeTradeNoExists, map[string]any{"order_id": ids[0], "logistics_id": "1274", "trade_no": "T-1"})
	if lo := ledgerOrder(t, s, ids[1]); lo.State != shop.StateWaitStockOut || lo.OutstorageAccepted != 0 {
		t.Errorf("refused order changed: %+v", lo)
	}
	// A refused call does not use up its serial.
	c.fails(outMethod[shop.TypeSOP], outKey[shop.TypeSOP], gateway.CodeBadWaybill, map[string]any{"order_id": ids[1], "logistics_id": "467", "trade_no": "T-2"})
	c.ok(outMethod[shop.TypeSOP], outKey[shop.TypeSOP], map[string]any{"order_id": ids[1], "logistics_id": "467", "waybill": "SF1234567890123", "trade_no": "T-2"})
}

func TestWaybillUpdate(t *testing.T) {
	s, c := newSim(t, Options{})
	for _, typ := range []string{shop.TypeSOP, shop.TypeLBP, shop.TypeSOPL} {
		t.Run(typ, func(t *testing.T) {
			id := firstID(t, s, typ, shop.StateWaitStockOut)
			p := map[string]any{"order_id": id, "logistics_id": "467", "waybill": "SF1234567890123"}
			// Not shipped yet.
			c.fails(updMethod[typ], updKey[typ], gateway.CodeWaybillLocked, p)

			out := map[string]any{"order_id": id, "logistics_id": "336878", "waybill": "JDVA00000000009", "send_type": "1"}
			c.ok(outMethod[typ], outKey[typ], out)
			body := c.ok(updMethod[typ], updKey[typ], p)
			if n, ok := body["order_id"].(json.Number); !ok || n.String() != id {
				t.Errorf("order_id %v", body["order_id"])
			}
			lo := ledgerOrder(t, s, id)
			if len(lo.Shipments) != 1 || lo.Shipments[0].LogisticsID != "467" || lo.Shipments[0].Waybill != "SF1234567890123" {
				t.Errorf("shipment not replaced: %+v", lo.Shipments)
			}
			if lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 {
				t.Errorf("waybill update counted as outstorage: %+v", lo)
			}
			// The same validation as outstorage.
			c.fails(updMethod[typ], updKey[typ], gateway.CodeBadWaybill, map[string]any{"order_id": id, "logistics_id": "467"})
			c.fails(updMethod[typ], updKey[typ], gateway.CodeBadLogistics, map[string]any{"order_id": id, "logistics_id": "31337", "waybill": "X1234567"})
			// Another type's method.
			other := map[string]string{shop.TypeSOP: shop.TypeLBP, shop.TypeLBP: shop.TypeSOPL, shop.TypeSOPL: shop.TypeSOP}[typ]
			c.fails(updMethod[other], updKey[other], gateway.CodeOrderTypeMismatch, p)
		})
	}
	// LBP: back to self delivery to the sorting centre.
	id := firstID(t, s, shop.TypeLBP, shop.StateSentToCenter)
	c.ok(updMethod[shop.TypeLBP], updKey[shop.TypeLBP], map[string]any{"order_id": id, "logistics_id": 0})
	if sh := ledgerOrder(t, s, id).Shipments; len(sh) != 1 || sh[0].LogisticsID != "0" || sh[0].Waybill != "" {
		t.Errorf("shipments %+v", sh)
	}
	c.fails(updMethod[shop.TypeSOP], updKey[shop.TypeSOP], gateway.CodeOrderNotFound, map[string]any{"order_id": "5", "logistics_id": "1274"})
	c.fails(updMethod[shop.TypeSOP], updKey[shop.TypeSOP], gateway.CodeWaybillLocked,
		map[string]any{"order_id": firstID(t, s, shop.TypeSOP, shop.StateLocked), "logistics_id": "1274"})
}

// Many packers (or a retrying client) confirm the same order at once: exactly one wins.
func TestConcurrentOutstorage(t *testing.T) {
	s, c := newSim(t, Options{})
	for _, typ := range []string{shop.TypeSOP, shop.TypeLBP} {
		id := firstID(t, s, typ, shop.StateWaitStockOut)
		const n = 24
		codes := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := map[string]any{"order_id": id, "logistics_id": "1274", "trade_no": fmt.Sprintf("%s-%d", id, i)}
				if typ == shop.TypeLBP {
					p["logistics_id"], p["send_type"] = 0, "1"
				}
				_, body := c.call(outMethod[typ], p)
				codes[i], _ = body["code"].(string)
			}()
		}
		wg.Wait()
		ok, shippedN := 0, 0
		for _, code := range codes {
			switch code {
			case "0":
				ok++
			case gateway.CodeOrderShipped, gateway.TopLevelCode(gateway.CodeOrderShipped):
				shippedN++
			default:
				t.Errorf("unexpected code %q", code)
			}
		}
		lo := ledgerOrder(t, s, id)
		if ok != 1 || shippedN != n-1 || lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != n || len(lo.Shipments) != 1 {
			t.Errorf("%s: %d accepted, %d refused as shipped; ledger %+v", typ, ok, shippedN, lo)
		}
	}
}
