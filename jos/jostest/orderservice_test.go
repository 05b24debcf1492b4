package jostest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

func demoSim(t *testing.T) (*Server, *caller) {
	return newSim(t, Options{Orders: 60, Overseas: 10, FBP: 6})
}

func TestExtraOrdersLeaveTheOthersAlone(t *testing.T) {
	plain, _ := newSim(t, Options{Orders: 60})
	extra, _ := demoSim(t)
	a, b := plain.Ledger().Orders, extra.Ledger().Orders
	if len(b) != len(a)+10 {
		t.Fatalf("%d orders with 10 overseas ones, %d without", len(b), len(a))
	}
	for i := range a {
		if a[i].OrderID != b[i].OrderID || a[i].Type != b[i].Type || a[i].State != b[i].State {
			t.Fatalf("order %d changed: %+v → %+v", i, a[i], b[i])
		}
	}
	for _, o := range b[len(a):] {
		if o.Type != shop.TypeOverseas || o.OrderID <= a[len(a)-1].OrderID {
			t.Errorf("extra order %+v: want an overseas order after %s", o, a[len(a)-1].OrderID)
		}
	}
	if n := len(extra.FBPOrderIDs()); n != 6 {
		t.Errorf("%d FBP orders, want 6", n)
	}
}

func TestVenderRemarkMethods(t *testing.T) {
	s, c := demoSim(t)
	id := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	const queryKey = "jingdong_order_venderRemark_queryByOrderId_responce"
	body := c.ok("jingdong.order.venderRemark.queryByOrderId", queryKey, map[string]any{"order_id": id})
	res := obj(t, body, "venderRemarkQueryResult")
	if api := obj(t, res, "api_jos_result"); api["success"] != "true" || api["result_code"] != "10100000" {
		t.Fatalf("api_jos_result %v", api)
	}
	for _, f := range []string{"order_id", "remark", "created", "modified", "flag"} {
		if _, ok := obj(t, res, "vender_remark")[f]; !ok {
			t.Errorf("vender_remark has no %s: %v", f, res)
		}
	}

	up := c.ok("360buy.order.vender.remark.update", "order_vender_remark_update",
		map[string]any{"order_id": id, "remark": "缺货，已联系客户", "trade_no": "R1", "flag": "1"})
	if str(t, up, "order_id") != id || str(t, up, "vender_id") == "" || str(t, up, "modified") == "" {
		t.Fatalf("update reply %v", up)
	}
	res = obj(t, c.ok("jingdong.order.venderRemark.queryByOrderId", queryKey, map[string]any{"order_id": id}), "venderRemarkQueryResult")
	if vr := obj(t, res, "vender_remark"); vr["remark"] != "缺货，已联系客户" || vr["flag"] != json.Number("1") {
		t.Fatalf("after the update: %v", vr)
	}

	// Refusals: the same trade_no again, an unknown order, a remark too long, no trade_no.
	c.fails("360buy.order.vender.remark.update", "order_vender_remark_update", jos.CodeTradeNoExists,
		map[string]any{"order_id": id, "remark": "x", "trade_no": "R1"})
	c.fails("360buy.order.vender.remark.update", "order_vender_remark_update", gateway.CodeOrderNotFound,
		map[string]any{"order_id": "99999999999", "remark": "x", "trade_no": "R2"})
	c.fails("360buy.order.vender.remark.update", "error_response", jos.CodeBadParamValue,
		map[string]any{"order_id": id, "remark": strings.Repeat("长", 501), "trade_no": "R3"})
	c.fails("360buy.order.vender.remark.update", "error_response", jos.CodeBadParam,
		map[string]any{"order_id": id, "remark": "x"})
	res = obj(t, c.ok("jingdong.order.venderRemark.queryByOrderId", queryKey, map[string]any{"order_id": "99999999999"}), "venderRemarkQueryResult")
	if api := obj(t, res, "api_jos_result"); api["success"] != "false" || res["vender_remark"] != nil {
		t.Fatalf("unknown order: %v", res)
	}
	if n := ledgerOrder(t, s, id).RemarkUpdates; n != 1 {
		t.Errorf("%d remark updates applied, want 1", n)
	}
}

func TestDeleteRequestMethods(t *testing.T) {
	s, c := demoSim(t)
	id := firstID(t, s, shop.TypeLBP, shop.StateWaitStockOut)
	const applyKey, cancelKey = "jingdong_order_orderDelete_apply_responce", "jingdong_order_orderDelete_cancelApply_responce"
	result := func(method, key string, p map[string]any) map[string]any {
		t.Helper()
		return obj(t, c.ok(method, key, p), "result")
	}
	if r := result("jingdong.order.orderDelete.apply", applyKey, map[string]any{"order_id": id, "del_apply_type": "9"}); r["success"] != "false" {
		t.Fatalf("reason 9 without a description: %v", r)
	}
	if r := result("jingdong.order.orderDelete.apply", applyKey, map[string]any{"order_id": id, "del_apply_type": 1}); r["success"] != "true" {
		t.Fatalf("apply: %v", r)
	}
	if l := ledgerOrder(t, s, id); l.State != shop.StateLocked || !l.DeletePending {
		t.Fatalf("after the apply the order is %s, pending %v: want LOCKED and pending", l.State, l.DeletePending)
	}
	if r := result("jingdong.order.orderDelete.apply", applyKey, map[string]any{"order_id": id, "del_apply_type": 3}); r["success"] != "false" ||
		!strings.Contains(r["result_describe"].(string), "已有删单申请") {
		t.Fatalf("a second apply: %v", r)
	}
	c.fails("jingdong.order.orderDelete.apply", "error_response", jos.CodeBadParamValue, map[string]any{"order_id": id, "del_apply_type": 10})
	if r := result("jingdong.order.orderDelete.cancelApply", cancelKey, map[string]any{"order_id": id}); r["success"] != "true" {
		t.Fatalf("cancel: %v", r)
	}
	if l := ledgerOrder(t, s, id); l.State != shop.StateWaitStockOut || l.DeletePending {
		t.Fatalf("after the cancel the order is %s, pending %v", l.State, l.DeletePending)
	}
	if r := result("jingdong.order.orderDelete.cancelApply", cancelKey, map[string]any{"order_id": id}); r["success"] != "false" {
		t.Fatalf("cancel without a request: %v", r)
	}
	shipped := firstID(t, s, shop.TypeSOP, shop.StateWaitReceive)
	if r := result("jingdong.order.orderDelete.apply", applyKey, map[string]any{"order_id": shipped, "del_apply_type": 2}); r["success"] != "false" {
		t.Fatalf("a delete request on a shipped order: %v", r)
	}
}

func TestOverseasMethods(t *testing.T) {
	s, c := demoSim(t)
	id := firstID(t, s, shop.TypeOverseas, shop.StateWaitStockOut)
	const outKey, delKey = "overseas_order_sop_outstorage_response", "overseas_order_sop_delivery_response"
	delivery := map[string]any{"order_id": id, "logistics_id": "467", "waybill": "SF1234567890123", "trade_no": "D1"}
	c.fails("360buy.overseas.order.sop.delivery", delKey, codeDeliveryTooEarly, delivery)
	c.fails("360buy.order.sop.outstorage", "order_sop_outstorage_response", gateway.CodeOrderTypeMismatch,
		map[string]any{"order_id": id, "logistics_id": "467", "waybill": "SF1234567890123", "trade_no": "X1"})
	body := c.ok("360buy.overseas.order.sop.outstorage", outKey, map[string]any{"order_id": id, "trade_no": "O1"})
	if str(t, body, "vender_id") == "" || str(t, body, "modified") == "" {
		t.Fatalf("outstorage reply %v", body)
	}
	if _, isNumber := body["order_id"].(json.Number); !isNumber {
		t.Errorf("order_id %v: the seed's sample gives a number", body["order_id"])
	}
	if st := ledgerOrder(t, s, id).State; st != shop.StateWaitSellerDelivery {
		t.Fatalf("after the outstorage: %s", st)
	}
	c.fails("360buy.overseas.order.sop.outstorage", outKey, gateway.CodeOrderShipped, map[string]any{"order_id": id, "trade_no": "O2"})
	c.ok("360buy.overseas.order.sop.delivery", delKey, delivery)
	c.fails("360buy.overseas.order.sop.delivery", delKey, gateway.CodeOrderShipped, map[string]any{"order_id": id,
		"logistics_id": "467", "waybill": "SF1234567890124", "trade_no": "D2"})
	l := ledgerOrder(t, s, id)
	if l.State != shop.StateWaitReceive || l.OutstorageAccepted != 1 || l.DeliveryAccepted != 1 || len(l.Shipments) != 1 ||
		l.Shipments[0].Waybill != "SF1234567890123" {
		t.Fatalf("ledger %+v", l)
	}
	domestic := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	c.fails("360buy.overseas.order.sop.outstorage", outKey, CodeNotOverseas, map[string]any{"order_id": domestic, "trade_no": "O3"})
	// The order_type marks an overseas order.
	got := c.ok("360buy.order.get", "order_get_response", map[string]any{"order_id": id, "optional_fields": "order_id,order_type"})
	if info := obj(t, obj(t, got, "order"), "orderInfo"); info["order_type"] != OverseasTypeCode {
		t.Errorf("order_type %v, want %s", info["order_type"], OverseasTypeCode)
	}
}

func TestTrackAdvancesWithTime(t *testing.T) {
	now := testNow
	s, c := newSim(t, Options{Orders: 60, Now: func() time.Time { return now }})
	c.now = now
	id := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	tracks := func() []any {
		t.Helper()
		c.now = now
		return list(t, c.ok("jingdong.pop.order.track", "jingdong_pop_order_track_responce", map[string]any{"order_id": id}), "order_tracks")
	}
	if n := len(tracks()); n != 0 {
		t.Fatalf("%d track events before the order left", n)
	}
	c.ok("360buy.order.sop.outstorage", "order_sop_outstorage_response", map[string]any{"order_id": id, "logistics_id": "467",
		"waybill": "SF1234567890123", "trade_no": "T1"})
	first := tracks()
	if len(first) != 1 || !strings.Contains(str(t, first[0].(map[string]any), "content"), "顺丰速运") {
		t.Fatalf("just after outstorage: %v", first)
	}
	now = now.Add(30 * time.Hour)
	all := tracks()
	if len(all) != len(trackSteps) {
		t.Fatalf("%d events after 30 hours, want %d", len(all), len(trackSteps))
	}
	if !strings.Contains(str(t, all[len(all)-1].(map[string]any), "content"), "签收") {
		t.Errorf("the last event %v is not the delivery", all[len(all)-1])
	}
	c.fails("jingdong.pop.order.track", "jingdong_pop_order_track_responce", gateway.CodeOrderNotFound, map[string]any{"order_id": "99999999999"})
}

func TestFBPMethods(t *testing.T) {
	s, c := demoSim(t)
	ids := s.FBPOrderIDs()
	get := c.ok("360buy.order.fbp.get", "order_fbp_get_response", map[string]any{"order_id": ids[0]})
	info := obj(t, obj(t, get, "order"), "orderInfo")
	if info["order_id"] != ids[0] || !strings.HasPrefix(info["order_state"].(string), "DengDai") {
		t.Fatalf("fbp.get: %v", info)
	}
	// FBP orders are not the order service's: 360buy.order.get does not know them.
	c.fails("360buy.order.get", "order_get_response", gateway.CodeOrderNotFound, map[string]any{"order_id": ids[0]})
	c.fails("360buy.order.fbp.get", "order_fbp_get_response", gateway.CodeOrderNotFound,
		map[string]any{"order_id": firstID(t, s, shop.TypeSOP, "")})

	window := map[string]any{"start_date": testNow.AddDate(0, 0, -30).Format(jos.TimeLayout), "end_date": testNow.Format(jos.TimeLayout),
		"page": "1", "page_size": "100"}
	search := obj(t, c.ok("360buy.order.fbp.search", "order_fbp_search_response", window), "order_search")
	if total := search["order_total"].(json.Number).String(); total == "0" || total != fmt.Sprint(len(list(t, search, "order_info_list"))) {
		t.Fatalf("fbp.search: %v", search)
	}
	c.fails("360buy.order.fbp.search", "error_response", jos.CodeBadParam, map[string]any{"page": "1"})
	c.fails("360buy.order.fbp.search", "error_response", jos.CodeBadParamValue, map[string]any{
		"start_date": testNow.AddDate(0, -2, 0).Format(jos.TimeLayout), "end_date": testNow.Format(jos.TimeLayout)})
}

func TestOrderPrint(t *testing.T) {
	s, c := demoSim(t)
	for _, typ := range []string{shop.TypeSOP, shop.TypeLBP} {
		id := firstID(t, s, typ, "")
		res := obj(t, c.ok("360buy.order.print", "order_print_response", map[string]any{"order_id": id}), "print_result")
		page, err := base64.StdEncoding.DecodeString(str(t, res, "html_content"))
		if err != nil || !strings.Contains(string(page), id) || !strings.Contains(string(page), "<img") {
			t.Fatalf("%s html_content: %v %q", typ, err, page)
		}
		if img := str(t, res, "image_data"); (typ == shop.TypeSOP) != (img == "") {
			t.Errorf("%s image_data %d bytes: SOP gets none, LBP a barcode", typ, len(img))
		}
	}
	c.fails("360buy.order.print", "order_print_response", gateway.CodeOrderNotFound, map[string]any{"order_id": "99999999999"})
}

func TestOrderPrintEscapesTheOrdersText(t *testing.T) {
	s, c := newSim(t, Options{Orders: 20})
	id := firstID(t, s, shop.TypeSOP, "")
	if err := s.Edit(id, func(o *shop.Order) { o.Cons.Name = `<script>alert(1)</script>` }); err != nil {
		t.Fatal(err)
	}
	res := obj(t, c.ok("360buy.order.print", "order_print_response", map[string]any{"order_id": id}), "print_result")
	page, _ := base64.StdEncoding.DecodeString(str(t, res, "html_content"))
	if strings.Contains(string(page), "<script>") {
		t.Fatalf("the consignee's name went into the page as markup: %s", page)
	}
}
