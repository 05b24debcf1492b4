package jostest

import (
	"encoding/json"
	"testing"
	"time"

	"station/jos/jostest/shop"
)

// The after-sales methods' shapes as the seed gives them (jingdong_*_responce, resultCode 100,
// afsServiceList, customerInfo/serviceDetailInfo, scheduleList) and their refusals (3001).
func TestAfsMethods(t *testing.T) {
	s, c := newSim(t, Options{Orders: 60})
	var id string
	for _, o := range s.orders {
		if shop.Shipped(o.State) && len(s.afsByOrder[o.ID]) == 0 {
			id = o.ID
			break
		}
	}
	apply := map[string]any{"afsApplyType": 10, "orderId": json.Number(id), "customerExpect": 10, "questionDesc": "无法开机",
		"isNeedDetectionReport": 0, "images": []string{"https://img.jd.com/abc.jpg"}}
	body := c.ok("jingdong.afsservice.apply.create", "jingdong_afsservice_apply_create_responce", apply)
	if body["resultCode"] != json.Number("100") || body["afsServiceId"] == nil {
		t.Fatalf("apply: %v", body)
	}
	caseID := body["afsServiceId"]
	again := c.ok("jingdong.afsservice.apply.create", "jingdong_afsservice_apply_create_responce", apply)
	if again["resultCode"] == json.Number("100") {
		t.Fatalf("the seed's duplicate check let a second application through: %v", again)
	}
	cases := list(t, c.ok("jingdong.afsservice.order.get", "jingdong_afsservice_order_get_responce", map[string]any{"orderId": id}), "afsServiceList")
	if len(cases) != 1 || cases[0].(map[string]any)["serviceStatus"] != json.Number("1") {
		t.Fatalf("order.get: %v", cases)
	}
	detail := c.ok("jingdong.afsservice.service.detail.get", "jingdong_afsservice_service_detail_get_responce", map[string]any{"afsServiceId": caseID})
	if obj(t, detail, "serviceDetailInfo")["questionDesc"] != "无法开机" || str(t, obj(t, detail, "customerInfo"), "linkMan") == "" {
		t.Fatalf("detail: %v", detail)
	}
	c.fails("jingdong.afsservice.service.detail.get", "error_response", afsCodeParam, map[string]any{"afsServiceId": 1})
	c.fails("jingdong.afsservice.apply.create", "error_response", afsCodeParam, map[string]any{"afsApplyType": 10, "orderId": id, "customerExpect": 20, "questionDesc": "x"})
	c.fails("jingdong.afsservice.order.get", "error_response", afsCodeParam, map[string]any{"orderId": "99999999999"})

	var n int64
	json.Unmarshal([]byte(caseID.(json.Number)), &n)
	if err := s.AgeAfsCase(n, 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	steps := list(t, c.ok("jingdong.afsservice.service.schedule.get", "jingdong_afsservice_service_schedule_get_responce", map[string]any{"afsServiceId": caseID}), "scheduleList")
	if len(steps) != 2 || str(t, steps[1].(map[string]any), "step") != "审核通过" {
		t.Fatalf("schedule two hours on: %v", steps)
	}
	c.ok("jingdong.afsservice.service.cancel", "jingdong_afsservice_service_cancel_responce", map[string]any{"afsServiceId": caseID})
	c.fails("jingdong.afsservice.service.cancel", "error_response", afsCodeParam, map[string]any{"afsServiceId": caseID})
	// Cancelled, the same application may be made again.
	if again := c.ok("jingdong.afsservice.apply.create", "jingdong_afsservice_apply_create_responce", apply); again["resultCode"] != json.Number("100") {
		t.Fatalf("after the cancel: %v", again)
	}
	unshipped := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	apply["orderId"] = unshipped
	if r := c.ok("jingdong.afsservice.apply.create", "jingdong_afsservice_apply_create_responce", apply); r["resultCode"] == json.Number("100") {
		t.Fatalf("an order not shipped got a case: %v", r)
	}
}
