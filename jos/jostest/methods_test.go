package jostest

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

func TestLogisticsGet(t *testing.T) {
	_, c := newSim(t, Options{})
	body := c.ok("360buy.delivery.logistics.get", "delivery_logistics_get_response", nil)
	companies := obj(t, body, "logistics_companies")
	got := map[string]string{}
	for _, v := range list(t, companies, "logistics_list") {
		l := v.(map[string]any)
		id, ok := l["logistics_id"].(json.Number)
		if !ok {
			t.Fatalf("logistics_id should be a number: %v", l)
		}
		got[id.String()] = str(t, l, "logistics_name")
		for _, f := range []string{"logistics_remark", "sequence", "agree_flag"} {
			str(t, l, f)
		}
		if _, ok := l["iscod"].(bool); !ok {
			t.Errorf("iscod should be a boolean: %v", l)
		}
	}
	want := map[string]string{"1274": "厂家自送", "336878": "京东快递", "467": "顺丰速运", "1499": "中通快递"}
	if len(got) != len(want) {
		t.Fatalf("carriers %v, want %v", got, want)
	}
	for id, name := range want {
		if got[id] != name {
			t.Errorf("carrier %s = %q, want %q", id, got[id], name)
		}
	}
}

// searchAll pages through a search and returns the orders in reply order.
func searchAll(t *testing.T, c *caller, params map[string]any, pageSize int) (total int, infos []map[string]any) {
	t.Helper()
	for page := 1; ; page++ {
		p := map[string]any{"page": strconv.Itoa(page), "page_size": strconv.Itoa(pageSize)}
		for k, v := range params {
			p[k] = v
		}
		body := c.ok("360buy.order.search", "order_search_response", p)
		res := obj(t, body, "order_search")
		n, ok := res["order_total"].(json.Number)
		if !ok {
			t.Fatalf("order_total should be a number: %v", res["order_total"])
		}
		nt, _ := n.Int64()
		total = int(nt)
		l := list(t, res, "order_info_list")
		if len(l) > pageSize {
			t.Fatalf("page %d has %d orders, page_size %d", page, len(l), pageSize)
		}
		for _, v := range l {
			infos = append(infos, v.(map[string]any))
		}
		if len(l) < pageSize {
			return total, infos
		}
		if page > 1000 {
			t.Fatal("paging never ends")
		}
	}
}

func TestSearchPagingAndStates(t *testing.T) {
	s, c := newSim(t, Options{Orders: 150})
	want := s.OrderIDs("", shop.StateWaitStockOut)
	if len(want) < 50 {
		t.Fatalf("only %d waiting orders of 150", len(want))
	}

	total, infos := searchAll(t, c, map[string]any{"order_state": shop.StateWaitStockOut}, 7)
	if total != len(want) || len(infos) != len(want) {
		t.Fatalf("order_total %d, %d orders listed, want %d", total, len(infos), len(want))
	}
	var got []string
	prev := ""
	for _, in := range infos {
		got = append(got, str(t, in, "order_id"))
		if in["order_state"] != shop.StateWaitStockOut {
			t.Errorf("order %s in state %v", in["order_id"], in["order_state"])
		}
		// Ascending by modification time by default.
		if m := str(t, in, "modified"); m < prev {
			t.Errorf("not sorted by modified: %s after %s", m, prev)
		} else {
			prev = m
		}
		for _, f := range optionalFields {
			if _, ok := in[f]; ok {
				t.Errorf("optional field %s returned without optional_fields", f)
			}
		}
		for _, f := range defaultFields {
			if _, ok := in[f]; !ok {
				t.Errorf("default field %s missing", f)
			}
		}
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Fatalf("paged search returned a different set of orders")
	}

	// Several states, with dates; sortType 1 is descending.
	window := map[string]any{"order_state": shop.StateLocked + "," + shop.StateCanceled, "sortType": "1",
		"start_date": testNow.AddDate(0, 0, -30).Format(jos.TimeLayout), "end_date": testNow.Format(jos.TimeLayout)}
	total, infos = searchAll(t, c, window, 100)
	wantN := len(s.OrderIDs("", shop.StateLocked)) + len(s.OrderIDs("", shop.StateCanceled))
	if total != wantN || len(infos) != wantN || wantN == 0 {
		t.Fatalf("locked+cancelled: total %d, listed %d, want %d (>0)", total, len(infos), wantN)
	}
	prev = "9999"
	for _, in := range infos {
		if st := in["order_state"]; st != shop.StateLocked && st != shop.StateCanceled {
			t.Errorf("state %v in a LOCKED,TRADE_CANCELED search", st)
		}
		if m := str(t, in, "modified"); m > prev {
			t.Errorf("not descending: %s after %s", m, prev)
		} else {
			prev = m
		}
	}

	// A page past the end is empty but still counts.
	body := c.ok("360buy.order.search", "order_search_response",
		map[string]any{"order_state": shop.StateWaitStockOut, "page": "50", "page_size": "100"})
	res := obj(t, body, "order_search")
	if l := list(t, res, "order_info_list"); len(l) != 0 || res["order_total"].(json.Number).String() != strconv.Itoa(len(want)) {
		t.Errorf("page past the end: %v", res)
	}
	// JD serves 50 pages and no more (§1).
	c.fails("360buy.order.search", "order_search_response", jos.CodeBadParamValue,
		map[string]any{"order_state": shop.StateWaitStockOut, "page": "51", "page_size": "100"})
}

func TestSearchDateTypes(t *testing.T) {
	s, c := newSim(t, Options{Orders: 120})
	// A shipped order was created days before it was modified: a window around its modification
	// time finds it by modified (dateType 0) but not by creation time (dateType 1).
	s.mu.Lock()
	var o *order
	for _, x := range s.orders {
		if shop.Shipped(x.State) && x.Modified.Sub(x.Created) > 3*time.Hour {
			o = x
			break
		}
	}
	s.mu.Unlock()
	if o == nil {
		t.Fatal("no shipped order with a late modification")
	}
	s.mu.Lock()
	mod, state := o.Modified, o.State
	s.mu.Unlock()
	p := map[string]any{"order_state": state, "optional_fields": "order_id",
		"start_date": mod.Add(-time.Minute).Format(jos.TimeLayout), "end_date": mod.Add(time.Minute).Format(jos.TimeLayout)}
	has := func(infos []map[string]any) bool {
		for _, in := range infos {
			if in["order_id"] == o.ID {
				return true
			}
		}
		return false
	}
	if _, infos := searchAll(t, c, p, 100); !has(infos) {
		t.Errorf("order %s not found by modification time", o.ID)
	}
	p["dateType"] = "1"
	if _, infos := searchAll(t, c, p, 100); has(infos) {
		t.Errorf("order %s found by creation time outside its creation window", o.ID)
	}
	p["start_date"] = o.Created.Format(jos.TimeLayout)
	p["end_date"] = o.Created.Format(jos.TimeLayout)
	if _, infos := searchAll(t, c, p, 100); !has(infos) {
		t.Errorf("order %s not found by its exact creation time", o.ID)
	}
}

func TestSearchOptionalFields(t *testing.T) {
	s, c := newSim(t, Options{Orders: 60})
	_, infos := searchAll(t, c, map[string]any{"order_state": shop.StateWaitStockOut,
		"optional_fields": "order_id, order_type,pay_type"}, 100)
	if len(infos) == 0 {
		t.Fatal("nothing found")
	}
	for _, in := range infos {
		if len(in) != 3 {
			t.Errorf("want exactly order_id, order_type, pay_type; got %v", in)
		}
		id := str(t, in, "order_id")
		wantType := orderTypeCodes[ledgerOrder(t, s, id).Type]
		if in["order_type"] != wantType {
			t.Errorf("order %s order_type %v, want %s", id, in["order_type"], wantType)
		}
		if pt := str(t, in, "pay_type"); pt != "1-货到付款" && pt != "4-在线支付" {
			t.Errorf("pay_type %q", pt)
		}
	}
}

func TestOrderGet(t *testing.T) {
	s, c := newSim(t, Demo())
	for typ, code := range orderTypeCodes {
		id := firstID(t, s, typ, shop.StateWaitStockOut)
		body := c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id,
			"optional_fields": "order_id,order_type,order_state,logistics_id,waybill,modified,consignee_info,item_info_list"})
		info := obj(t, obj(t, body, "order"), "orderInfo")
		if info["order_id"] != id || info["order_type"] != code || info["order_state"] != shop.StateWaitStockOut {
			t.Errorf("%s: %v", typ, info)
		}
		if info["logistics_id"] != "" || info["waybill"] != "" {
			t.Errorf("unshipped order has a shipment: %v", info)
		}
		if _, err := time.ParseInLocation(jos.TimeLayout, str(t, info, "modified"), jos.ChinaTime); err != nil {
			t.Error(err)
		}
		cons := obj(t, info, "consignee_info")
		for _, f := range []string{"fullname", "full_address", "telephone", "mobile", "province", "city", "county"} {
			str(t, cons, f)
		}
		if !strings.HasPrefix(str(t, cons, "full_address"), str(t, cons, "province")+str(t, cons, "city")) {
			t.Errorf("address %q does not start with province and city", cons["full_address"])
		}
		items := list(t, info, "item_info_list")
		if len(items) == 0 {
			t.Errorf("no items")
		}
		if len(info) != 8 {
			t.Errorf("optional_fields not honoured: %d fields", len(info))
		}
	}

	// Default fields, and amounts as strings that add up.
	id := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	info := obj(t, obj(t, c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id}), "order"), "orderInfo")
	if _, ok := info["order_type"]; ok {
		t.Error("order_type returned without optional_fields")
	}
	total := fen(t, str(t, info, "order_total_price"))
	var sum int64
	for _, v := range list(t, info, "item_info_list") {
		it := v.(map[string]any)
		n, _ := strconv.Atoi(str(t, it, "item_total"))
		sum += fen(t, str(t, it, "jd_price")) * int64(n)
	}
	if sum != total {
		t.Errorf("items add up to %d fen, order_total_price %d", sum, total)
	}
	if pay := fen(t, str(t, info, "order_payment")); pay != total-fen(t, str(t, info, "seller_discount"))+fen(t, str(t, info, "freight_price")) {
		t.Errorf("order_payment %d does not match total, discount and freight: %v", pay, info)
	}

	// An order in another state than asked, an unknown order.
	c.fails("360buy.order.get", "order_get_response", gateway.CodeOrderNotFound, map[string]string{"order_id": id, "order_state": shop.StateLocked})
	c.fails("360buy.order.get", "order_get_response", gateway.CodeOrderNotFound, map[string]string{"order_id": "99"})
}

func fen(t testing.TB, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		t.Fatalf("amount %q is not like 12.34", s)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q", s)
	}
	return w*100 + f
}

func TestPrintData(t *testing.T) {
	s, c := newSim(t, Options{})
	common := []string{"id", "out_bound_date", "bf_deli_good_glag", "cod_time_name", "remark", "cky2_name",
		"sorting_code", "create_date", "should_pay", "payment_typeStr", "partner", "generade", "items_count"}
	methodOf := map[string]string{shop.TypeSOP: "360buy.order.sop.print.data.get", shop.TypeLBP: "360buy.order.lbp.print.data.get",
		shop.TypeSOPL: "360buy.order.sopl.print.data.get"}
	keyOf := map[string]string{shop.TypeSOP: "order_sop_printdata_response", shop.TypeLBP: "order_lbp_printdata_response",
		shop.TypeSOPL: "order_sopl_printdata_response"}

	for _, typ := range []string{shop.TypeSOP, shop.TypeLBP, shop.TypeSOPL} {
		t.Run(typ, func(t *testing.T) {
			id := firstID(t, s, typ, shop.StateWaitStockOut)
			p := map[string]string{"order_id": id}
			pd := obj(t, c.ok(methodOf[typ], keyOf[typ], p), "order_printdata")
			generic := obj(t, c.ok("360buy.order.print.data.get", "order_printdata_response", p), "order_printdata")
			if a, b := mustJSON(t, pd), mustJSON(t, generic); a != b {
				t.Errorf("generic print data differs from the %s one:\n%s\n%s", typ, a, b)
			}
			for _, f := range common {
				str(t, pd, f)
			}
			if pd["id"] != id {
				t.Errorf("id %v, want %s", pd["id"], id)
			}
			cons := obj(t, pd, "Consignee")
			for _, f := range []string{"cons_name", "cons_phone", "cons_address", "cons_handset"} {
				str(t, cons, f)
			}
			if _, ok := pd["consignee"]; ok {
				t.Error("print data has a lower-case consignee")
			}
			items := list(t, pd, "order_item")
			n := 0
			for _, v := range items {
				it := v.(map[string]any)
				for _, f := range []string{"ware", "ware_name", "num", "jd_price", "price", "produce_no"} {
					str(t, it, f)
				}
				k, _ := strconv.Atoi(str(t, it, "num"))
				if fen(t, str(t, it, "price")) != fen(t, str(t, it, "jd_price"))*int64(k) {
					t.Errorf("price is not jd_price × num: %v", it)
				}
				n += k
			}
			if pd["items_count"] != strconv.Itoa(n) {
				t.Errorf("items_count %v, items add up to %d", pd["items_count"], n)
			}
			if pd["out_bound_date"] != "" {
				t.Errorf("unshipped order has out_bound_date %v", pd["out_bound_date"])
			}
			switch typ {
			case shop.TypeSOP:
				for _, f := range []string{"freight", "invoice_title", "invoice_type", "invoice_content"} {
					str(t, pd, f)
				}
				for _, f := range []string{"pickUpSign", "pickUpSign_type", "orderLevelSign", "orderLevel_Type"} {
					if _, ok := pd[f]; ok {
						t.Errorf("SOP print data has %s", f)
					}
				}
				if pd["cky2_name"] != "" {
					t.Errorf("SOP cky2_name %v", pd["cky2_name"])
				}
			default:
				if !strings.HasPrefix(str(t, pd, "cky2_name"), typ+" - ") {
					t.Errorf("cky2_name %q", pd["cky2_name"])
				}
				if str(t, pd, "generade") == "" || str(t, pd, "partner") == "" {
					t.Errorf("%s print data lacks generade or partner", typ)
				}
				for _, f := range []string{"pickUpSign_type", "orderLevel_Type"} {
					if _, ok := pd[f].(json.Number); !ok {
						t.Errorf("%s should be a number: %v", f, pd[f])
					}
				}
				str(t, pd, "pickUpSign")
				str(t, pd, "orderLevelSign")
				if _, ok := pd["invoice_title"]; ok {
					t.Errorf("%s print data has an invoice", typ)
				}
			}
		})
	}

	// The type-specific method on another type's order, and unknown orders.
	lbp := firstID(t, s, shop.TypeLBP, shop.StateWaitStockOut)
	e := c.fails("360buy.order.sop.print.data.get", "order_sop_printdata_response", gateway.CodeOrderTypeMismatch, map[string]string{"order_id": lbp})
	if !strings.Contains(str(t, e, "en_desc"), "360buy.order.lbp.print.data.get") {
		t.Errorf("mismatch message does not name the right method: %v", e)
	}
	c.fails("360buy.order.sopl.print.data.get", "order_sopl_printdata_response", gateway.CodeOrderTypeMismatch, map[string]string{"order_id": lbp})
	c.fails("360buy.order.lbp.print.data.get", "order_lbp_printdata_response", gateway.CodeOrderNotFound, map[string]string{"order_id": "12345"})
	c.fails("360buy.order.print.data.get", "order_printdata_response", gateway.CodeOrderNotFound, map[string]string{"order_id": "12345"})

	// Locked and cancelled orders still have print data: refusing them is the station's job.
	for _, st := range []string{shop.StateLocked, shop.StateCanceled} {
		c.ok("360buy.order.print.data.get", "order_printdata_response", map[string]string{"order_id": firstID(t, s, "", st)})
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The generated orders have the variety the station must cope with.
func TestOrderVariety(t *testing.T) {
	s := New(Options{Now: fixedNow})
	count := map[string]int{}
	provinces := map[string]bool{}
	maxName, maxItems := 0, 0
	for _, o := range s.orders {
		count[o.Type]++
		count[o.State]++
		provinces[o.Cons.Province] = true
		if o.COD {
			count["cod"]++
		}
		if o.Pickup != 0 {
			count["pickup"]++
		}
		if o.Level != 0 {
			count["level"]++
		}
		if strings.HasSuffix(o.Cons.Mobile, " ") {
			count["padded"]++
		}
		if strings.HasPrefix(o.Cons.Phone, "0") {
			count["landline"]++
		}
		if o.Remark != "" {
			count["remark"]++
		}
		if o.Inv.Kind != "" {
			count["invoice"]++
		}
		if o.Type == shop.TypeSOP && o.Barcode {
			count["sopBarcode"]++
		}
		if shop.Shipped(o.State) {
			count["shipped"]++
		}
		maxItems = max(maxItems, len(o.Items))
		for _, it := range o.Items {
			maxName = max(maxName, len([]rune(it.Name)))
		}
		if !o.Created.Before(testNow) || o.Created.Before(testNow.AddDate(0, 0, -22)) {
			t.Errorf("order %s created %v, not in the past three weeks", o.ID, o.Created)
		}
		if len(o.ID) < 11 || len(o.ID) > 12 {
			t.Errorf("order id %s is not 11-12 digits", o.ID)
		}
	}
	for _, k := range []string{shop.TypeSOP, shop.TypeLBP, shop.TypeSOPL, shop.StateWaitStockOut, shop.StateLocked, shop.StateCanceled,
		"shipped", "cod", "pickup", "level", "padded", "landline", "remark", "invoice", "sopBarcode"} {
		if count[k] == 0 {
			t.Errorf("no %s orders among %d", k, len(s.orders))
		}
	}
	if count[shop.StateWaitStockOut] < len(s.orders)/2 {
		t.Errorf("only %d of %d orders wait to be shipped", count[shop.StateWaitStockOut], len(s.orders))
	}
	if len(provinces) < 10 {
		t.Errorf("addresses in only %d provinces", len(provinces))
	}
	if maxName < 60 || maxItems < 6 {
		t.Errorf("longest product name %d runes, most items %d: want long names and big orders", maxName, maxItems)
	}
	for i := 1; i < len(s.orders); i++ {
		a, b := s.orders[i-1], s.orders[i]
		if len(a.ID) > len(b.ID) || (len(a.ID) == len(b.ID) && a.ID >= b.ID) {
			t.Fatalf("ids not increasing: %s then %s", a.ID, b.ID)
		}
	}
}

func TestDeterminism(t *testing.T) {
	snapshot := func(opts Options) string {
		s, c := newSim(t, opts)
		var b bytes.Buffer
		b.WriteString(mustJSON(t, s.Ledger()))
		for _, id := range s.OrderIDs("", "") {
			b.WriteString(mustJSON(t, c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id,
				"optional_fields": strings.Join(append(append([]string{}, defaultFields...), optionalFields...), ",")})))
		}
		for _, typ := range []string{shop.TypeSOP, shop.TypeLBP, shop.TypeSOPL} {
			b.WriteString(mustJSON(t, c.ok("360buy.order.print.data.get", "order_printdata_response",
				map[string]string{"order_id": firstID(t, s, typ, shop.StateWaitStockOut)})))
		}
		return b.String()
	}
	a := snapshot(Options{Orders: 40, Seed: 7})
	if b := snapshot(Options{Orders: 40, Seed: 7}); a != b {
		t.Fatal("the same seed gave different orders")
	}
	if b := snapshot(Options{Orders: 40, Seed: 8}); a == b {
		t.Fatal("different seeds gave the same orders")
	}

	// Ids and contents do not depend on the clock; only the times move with it.
	later := func() time.Time { return testNow.Add(72 * time.Hour) }
	s1, s2 := New(Options{Orders: 40, Seed: 7, Now: fixedNow}), New(Options{Orders: 40, Seed: 7, Now: later})
	if !slices.Equal(s1.OrderIDs("", ""), s2.OrderIDs("", "")) {
		t.Fatal("order ids depend on Now")
	}
	for i := range s1.orders {
		a, b := s1.orders[i], s2.orders[i]
		if a.Cons != b.Cons || a.State != b.State || b.Created.Sub(a.Created) != 72*time.Hour {
			t.Fatalf("order %s differs beyond its times", a.ID)
		}
	}
	if New(Options{Now: fixedNow}).OrderIDs("", "")[0] != New(Options{Seed: DefaultSeed, Orders: DefaultOrders, Now: fixedNow}).OrderIDs("", "")[0] {
		t.Error("zero options are not the defaults")
	}
}

func TestSetStateAndOrderIDs(t *testing.T) {
	s := New(Options{Orders: 30, Now: fixedNow})
	id := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	if err := s.SetState(id, shop.StateLocked); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(s.OrderIDs(shop.TypeSOP, shop.StateLocked), id) || slices.Contains(s.OrderIDs("", shop.StateWaitStockOut), id) {
		t.Error("SetState did not move the order")
	}
	if err := s.SetState(id, "GONE"); err == nil {
		t.Error("unknown state accepted")
	}
	if err := s.SetState("1", shop.StateLocked); err == nil {
		t.Error("unknown order accepted")
	}
	if n := len(s.OrderIDs("", "")); n != 30 {
		t.Errorf("%d orders, want 30", n)
	}
}

// TestQuotaPerSecond: with Options.Quota, calls past the quota within one second of the wall
// clock are refused with JOS's quota error (code 2), and the server counts both kinds.
func TestQuotaPerSecond(t *testing.T) {
	s, c := newSim(t, Options{Orders: 10, Quota: 5})
	for attempt := 0; ; attempt++ {
		// Start just after a second begins, so that eight quick calls fall within it.
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 20*time.Millisecond)))
		start, accepted0, refused0 := time.Now(), s.QuotaAccepted(), s.QuotaRefusals()
		var codes []string
		for range 8 {
			_, body := c.call("360buy.order.search", map[string]any{"order_state": shop.StateWaitStockOut, "page": "1", "page_size": "10"})
			code, _ := body["code"].(string)
			codes = append(codes, code)
		}
		if time.Since(start) > 900*time.Millisecond && attempt < 3 {
			continue // a slow machine crossed into the next second: try again
		}
		if got := strings.Join(codes, ","); got != "0,0,0,0,0,2,2,2" {
			t.Errorf("codes %s, want five accepted and three refused for the quota", got)
		}
		if a, r := s.QuotaAccepted()-accepted0, s.QuotaRefusals()-refused0; a != 5 || r != 3 {
			t.Errorf("counted %d accepted, %d refused; want 5 and 3", a, r)
		}
		return
	}
}
