package jos

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// Replies shaped like the samples of the order-service reference (seed 004), made valid JSON
// but keeping their quirks: "Consignee" and "consignee", "ware" and "ware_id", ids as
// numbers, code as a string or a number, "_responce", and a key without any suffix.
const (
	sopPrintData = `{"order_sop_printdata_response":{"code":"0","order_printdata":{
		"invoice_type":"普通发票","invoice_title":"个人","invoice_content":"明细","id":"240000019",
		"out_bound_date":"2012-06-04 16:48:38","should_pay":"90.00","generade":"","items_count":"2",
		"order_item":[{"price":"180.00","ware":"1001671149","jd_price":"90.00","ware_name":"cuteway2012夏装新品 净色女士短袖无袖T恤","num":"2"}],
		"Consignee":{"cons_name":"刘海林","cons_address":"北京昌平水关新村3号楼4单元302 ","cons_phone":"010-87636735","cons_handset":"13717578711"}}}}`
	lbpPrintData = `{"order_lbp_printdata_response":{"code":0,"order_printdata":{
		"pickUpSign":"R0lGODlhKAAoAPeCAE11pYsryAJ0OvKBT1gRAYC+MWtABkYUVxSAQEAOw==","pickUpSign_type":1,
		"id":610000455,"should_pay":"79.50","payment_typeStr":"货到付款","cky2_name":"LBP - 上海","items_count":"",
		"order_item":[{"price":"116.00","ware_id":1000259802,"jd_price":"116.00","ware_name":"鲜花速递","num":1}],
		"consignee":{"cons_name":"","cons_address":"北京海淀区三环到四环之间","cons_phone":"010-12345678","cons_handset":"18612345678"}}}}`
	sopOutstorage     = `{"order_sop_outstorage_response":{"code":"0","vender_id":"20032","modified":"2011-06-22 09:47:34","order_id":16050909}}`
	sopWaybillUpdate  = `{"order_sop_waybill_update":{"code":"0","vender_id":"20032","modified":"2011-06-22 09:47:34","order_id":16050909}}`
	venderRemark      = `{"jingdong_order_venderRemark_queryByOrderId_responce":{"code":0,"venderRemarkQueryResult":{"vender_remark":{"remark":"及时发货","order_id":"6000300009"}}}}`
	orderSearchBigIDs = `{"order_search_response":{"code":"0","order_search":{"order_total":"2","order_info_list":[{"order_id":123456789012345678},{"order_id":"25003609"}]}}}`
)

type printDataReply struct {
	PrintData struct {
		ID         Str `json:"id"`
		ShouldPay  Str `json:"should_pay"`
		ItemsCount Int `json:"items_count"`
		PickUpType Int `json:"pickUpSign_type"`
		Items      []struct {
			Ware   Str `json:"ware"`
			WareID Str `json:"ware_id"`
			Num    Int `json:"num"`
		} `json:"order_item"`
		// encoding/json matches keys case-insensitively: "Consignee" lands here too.
		Consignee struct {
			Name    Str `json:"cons_name"`
			Address Str `json:"cons_address"`
			Handset Str `json:"cons_handset"`
		} `json:"consignee"`
	} `json:"order_printdata"`
}

type shipReply struct {
	Code     Str `json:"code"`
	OrderID  Str `json:"order_id"`
	VenderID Str `json:"vender_id"`
	Modified Str `json:"modified"`
}

func TestDecodeSamples(t *testing.T) {
	t.Run("sop print data", func(t *testing.T) {
		var r printDataReply
		readSample(t, sopPrintData, &r)
		p := r.PrintData
		if p.ID != "240000019" || p.ShouldPay != "90.00" || p.ItemsCount != 2 || len(p.Items) != 1 ||
			p.Items[0].Ware != "1001671149" || p.Items[0].Num != 2 || p.Consignee.Name != "刘海林" ||
			p.Consignee.Address != "北京昌平水关新村3号楼4单元302 " || p.Consignee.Handset != "13717578711" {
			t.Errorf("decoded %+v", p)
		}
	})
	t.Run("lbp print data", func(t *testing.T) {
		var r printDataReply
		readSample(t, lbpPrintData, &r)
		p := r.PrintData
		if p.ID != "610000455" || p.PickUpType != 1 || p.ItemsCount != 0 || p.Items[0].WareID != "1000259802" ||
			p.Items[0].Num != 1 || p.Consignee.Handset != "18612345678" {
			t.Errorf("decoded %+v", p)
		}
	})
	for name, sample := range map[string]string{"sop outstorage": sopOutstorage, "waybill update without suffix": sopWaybillUpdate} {
		t.Run(name, func(t *testing.T) {
			var r shipReply
			readSample(t, sample, &r)
			if r.Code != "0" || r.OrderID != "16050909" || r.VenderID != "20032" || r.Modified != "2011-06-22 09:47:34" {
				t.Errorf("decoded %+v", r)
			}
		})
	}
	t.Run("responce with numeric code", func(t *testing.T) {
		var r struct {
			Result struct {
				Remark struct{ Remark Str } `json:"vender_remark"`
			} `json:"venderRemarkQueryResult"`
		}
		readSample(t, venderRemark, &r)
		if r.Result.Remark.Remark != "及时发货" {
			t.Errorf("decoded %+v", r)
		}
	})
	t.Run("ids beyond float64", func(t *testing.T) {
		var r struct {
			Search struct {
				Total  Int `json:"order_total"`
				Orders []struct {
					ID Str `json:"order_id"`
				} `json:"order_info_list"`
			} `json:"order_search"`
		}
		readSample(t, orderSearchBigIDs, &r)
		if r.Search.Total != 2 || r.Search.Orders[0].ID != "123456789012345678" || r.Search.Orders[1].ID != "25003609" {
			t.Errorf("decoded %+v", r)
		}
	})
	t.Run("raw body includes code", func(t *testing.T) {
		var raw json.RawMessage
		readSample(t, sopOutstorage, &raw)
		if !strings.HasPrefix(string(raw), `{"code":"0"`) {
			t.Errorf("raw body %s", raw)
		}
	})
	t.Run("nil out", func(t *testing.T) { readSample(t, sopOutstorage, nil) })
}

func readSample(t *testing.T, body string, out any) {
	t.Helper()
	f := newFakeJOS(t, replies(ok(body)))
	if err := newTestClient(t, f.URL).Read(background, "360buy.test", nil, out); err != nil {
		t.Fatalf("Read: %v", err)
	}
}

// JOS refusals, in the error envelope or inside the method's own, become typed errors.
func TestDecodeRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, body     string
		kind           Kind
		code, zh, en   string
		wantTextInside string
	}{
		{"token with en_desc", `{"error_response":{"code":"19","zh_desc":"无效access_token","en_desc":"Invalid access_token"}}`,
			KindAuth, "19", "无效access_token", "Invalid access_token", "无效access_token / Invalid access_token"},
		{"signature without en_desc", `{"error_response":{"code":"12","zh_desc":"签名无效"}}`,
			KindCredentials, "12", "签名无效", "", "JOS error 12 (签名无效)"},
		{"clock, numeric code", `{"error_response":{"code":8,"zh_desc":"时间戳错误","en_desc":"Invalid timestamp"}}`,
			KindClock, "8", "时间戳错误", "Invalid timestamp", "时间戳错误"},
		{"quota with msg only", `{"error_response":{"code":"2","msg":"call limit exceeded"}}`,
			KindQuota, "2", "", "call limit exceeded", "call limit exceeded"},
		{"permission", `{"error_response":{"code":"24","zh_desc":"无权调用此API"}}`, KindPermission, "24", "无权调用此API", "", "24"},
		{"missing token", `{"error_response":{"code":"18","en_desc":"Missing access_token"}}`, KindAuth, "18", "", "Missing access_token", "18"},
		{"bad app key", `{"error_response":{"code":"21"}}`, KindCredentials, "21", "", "", "JOS error 21"},
		{"invalid parameter", `{"error_response":{"code":"61","zh_desc":"参数值无效"}}`, KindInvalid, "61", "参数值无效", "", "61"},
		{"backend busy", `{"error_response":{"code":"66","zh_desc":"服务不可用"}}`, KindServer, "66", "服务不可用", "", "66"},
		{"already shipped in the success envelope", `{"order_sop_outstorage_response":{"code":"10100003","zh_desc":"订单已出库","order_id":16050909}}`,
			KindConflict, "10100003", "订单已出库", "", "订单已出库"},
		{"not found, numeric code", `{"order_get_response":{"code":10100001,"zh_desc":"订单不存在"}}`,
			KindNotFound, "10100001", "订单不存在", "", "10100001"},
		{"unknown business code classified by text", `{"order_sop_outstorage_response":{"code":"50100002","zh_desc":"该订单已发货，不能重复出库"}}`,
			KindConflict, "50100002", "该订单已发货，不能重复出库", "", "50100002"},
		// The after-sales service's codes (seed 000).
		{"afs parameter error", `{"error_response":{"code":"3001","zh_desc":"参数错误"}}`, KindInvalid, "3001", "参数错误", "", "3001"},
		{"afs no permission", `{"error_response":{"code":"403","zh_desc":"无权限调用"}}`, KindPermission, "403", "无权限调用", "", "403"},
		{"afs system exception", `{"error_response":{"code":"500","zh_desc":"系统异常"}}`, KindServer, "500", "系统异常", "", "500"},
		{"odd description type ignored", `{"error_response":{"code":"19","zh_desc":{"x":1},"en_desc":"Invalid access_token"}}`,
			KindAuth, "19", "", "Invalid access_token", "19"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeJOS(t, replies(ok(tc.body)))
			err := newTestClient(t, f.URL, func(c *Config) { c.MaxRetries, c.QuotaBudget = -1, time.Nanosecond }).Read(background, "360buy.order.get", nil, nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Method != "360buy.order.get" || e.Kind != tc.kind || e.Code != tc.code || e.ZhDesc != tc.zh || e.EnDesc != tc.en || e.HTTP != 0 {
				t.Errorf("got %#v, want kind %v code %s zh %q en %q", *e, tc.kind, tc.code, tc.zh, tc.en)
			}
			if !strings.Contains(e.Error(), tc.wantTextInside) || !strings.HasPrefix(e.Error(), "360buy.order.get: ") {
				t.Errorf("Error() = %q, want it to name the method and contain %q", e.Error(), tc.wantTextInside)
			}
		})
	}
}

// Anything that is not one JSON object with one key holding an object is malformed.
func TestDecodeMalformed(t *testing.T) {
	for _, tc := range []struct{ name, body, mention string }{
		{"empty", "", "empty"},
		{"blank", " \r\n ", "empty"},
		{"truncated", `{"order_sop_outstorage_response":{"code":"0","order_id":1605`, "ends early"},
		{"html page with 200", "<html><body><h1>502 Bad Gateway</h1></body></html>", "HTML"},
		{"two keys", `{"order_get_response":{"code":"0"},"error_response":{"code":"19"}}`, `2 ["error_response" "order_get_response"]`},
		{"no key", `{}`, "got 0"},
		{"null", `null`, "got 0"},
		{"array", `[{"order_get_response":{}}]`, "array"},
		{"string", `"ok"`, "string"},
		{"body not an object", `{"order_get_response":"ok"}`, "holds no JSON object"},
		{"body null", `{"order_get_response":null}`, "holds no JSON object"},
		{"code is an object", `{"order_get_response":{"code":{"v":0}}}`, "not a plain value"},
		{"trailing garbage", `{"order_get_response":{"code":"0"}} {"x":1}`, "invalid JSON"},
		{"seed sample as printed (missing comma)", `{"order_sop_outstorage_response":{"code": "0" "vender_id": "20032"}}`, "invalid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeJOS(t, replies(ok(tc.body)))
			var out map[string]any
			err := newTestClient(t, f.URL, func(c *Config) { c.MaxRetries = -1 }).Read(background, "360buy.order.get", nil, &out)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindMalformed || !errors.Is(err, errMalformed) || e.Method != "360buy.order.get" {
				t.Fatalf("err = %v, want a malformed *Error", err)
			}
			if !strings.Contains(e.Error(), tc.mention) {
				t.Errorf("Error() = %q, want it to mention %q", e.Error(), tc.mention)
			}
			if out != nil {
				t.Errorf("out filled from a malformed reply: %v", out)
			}
		})
	}
}

// A body that does not fit out names the field and type, never the value (a phone here).
func TestDecodeBodyMismatch(t *testing.T) {
	f := newFakeJOS(t, replies(ok(`{"order_get_response":{"code":"0","cons_handset":13717578711}}`)))
	var out struct {
		Handset int8 `json:"cons_handset"`
	}
	err := newTestClient(t, f.URL).Read(background, "360buy.order.get", nil, &out)
	if KindOf(err) != KindMalformed || !strings.Contains(err.Error(), "cons_handset of type int8") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "13717578711") {
		t.Errorf("Error() shows the value: %v", err)
	}
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) || typ.Field != "cons_handset" || strings.Contains(typ.Value, "13717578711") {
		t.Errorf("the wrapped json error: %#v", typ)
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("a body mismatch was tried %d times; asking again gets the same body", n)
	}
}

func TestDecodeBOM(t *testing.T) {
	var r shipReply
	readSample(t, "\xef\xbb\xbf"+sopOutstorage, &r)
	if r.OrderID != "16050909" {
		t.Errorf("decoded %+v", r)
	}
}
