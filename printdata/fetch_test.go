package printdata

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"station/jos"
)

// orderGetBody is a 360buy.order.get body for one order.
func orderGetBody(id, typeCode, state, payType string) string {
	return fmt.Sprintf(`{"code":"0","order":{"orderInfo":{"order_id":%q,"order_type":%q,"order_state":%q,
		"order_state_remark":"等待出库","pay_type":%q,"order_total_price":"1,299.00","order_payment":"79.5",
		"order_start_time":"2024-05-01 09:30:00","consignee_info":{"fullname":"张三丰 ","province":"北京","city":"海淀区"},
		"item_info_list":[{"item_total":"2"},{"item_total":1}]}}}`, id, typeCode, state, payType)
}

func lbpBodyWithImages(t *testing.T) string {
	body := readTestdata(t, "lbp_printdata.json")
	body = strings.ReplaceAll(body, seedLBPPickUpSign, b64(gifBytes(t, 40, 40)))
	return strings.ReplaceAll(body, seedLBPGenerade, b64(jpegBytes(t, 160, 50)))
}

func TestOrder(t *testing.T) {
	fc := bodies(map[string]string{MethodOrderGet: readTestdata(t, "order_get.json")})
	o, err := NewFetcher(fc).Order(context.Background(), " 25002825\n")
	if err != nil {
		t.Fatal(err)
	}
	want := Order{ID: "25002825", State: StateWaitStockOut, CreatedAt: china(2011, 4, 8, 17, 40, 0),
		PayType: "1-货到付款", Payment: 1564310, ConsigneeName: "ai", Province: "北京", City: "海淀区", ItemCount: 1,
		Lines: []Line{{SkuID: "1100037898", Name: "大苹果", Quantity: 1}}}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("order\n got %+v\nwant %+v", o, want)
	}
	if !o.COD() {
		t.Error("pay_type 1-货到付款 is not COD")
	}
	p := fc.calls[0].params
	if p["order_id"] != "25002825" {
		t.Errorf("order_id sent %q", p["order_id"])
	}
	fields := strings.Split(p["optional_fields"], ",")
	for _, need := range []string{"order_type", "order_state", "order_id", "pay_type", "consignee_info", "item_info_list"} {
		if !contains(fields, need) {
			t.Errorf("optional_fields %q lacks %s", p["optional_fields"], need)
		}
	}
}

// The order's lines carry what verification counts: sku, the merchant's code, the quantity.
func TestOrderLines(t *testing.T) {
	fc := bodies(map[string]string{MethodOrderGet: `{"code":"0","order":{"orderInfo":{"order_id":"1001","order_state":"WAIT_SELLER_STOCK_OUT",
		"item_info_list":[{"sku_id":"10086","outer_sku_id":"HM-0001","sku_name":"保温杯","item_total":"2"},
		{"sku_id":10087,"outer_sku_id":"","sku_name":"杯刷","item_total":1}]}}}`})
	o, err := NewFetcher(fc).Order(context.Background(), "1001")
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{{SkuID: "10086", OuterID: "HM-0001", Name: "保温杯", Quantity: 2}, {SkuID: "10087", Name: "杯刷", Quantity: 1}}
	if !reflect.DeepEqual(o.Lines, want) || o.ItemCount != 3 {
		t.Errorf("lines %+v (count %d), want %+v (3)", o.Lines, o.ItemCount, want)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestOrderTypes(t *testing.T) {
	for _, tc := range []struct {
		code string
		want OrderType
	}{{"22", SOP}, {"23", LBP}, {"25", SOPL}, {"21", ""}, {"", ""}} {
		fc := bodies(map[string]string{MethodOrderGet: orderGetBody("1001", tc.code, StateWaitStockOut, "4")})
		o, err := NewFetcher(fc).Order(context.Background(), "1001")
		if err != nil {
			t.Fatal(err)
		}
		if o.Type != tc.want || o.TypeCode != tc.code {
			t.Errorf("order_type %q: type %q (code %q), want %q", tc.code, o.Type, o.TypeCode, tc.want)
		}
	}
	// A numeric order_type decodes the same.
	fc := bodies(map[string]string{MethodOrderGet: `{"code":"0","order":{"order_info":{"order_id":1001,"order_type":25}}}`})
	if o, err := NewFetcher(fc).Order(context.Background(), "1001"); err != nil || o.Type != SOPL {
		t.Errorf("numeric order_type: %+v, %v", o, err)
	}
}

func TestOrderErrors(t *testing.T) {
	notFound := &jos.Error{Method: MethodOrderGet, Kind: jos.KindNotFound, Code: "10400001", ZhDesc: "订单不存在"}
	for _, tc := range []struct {
		name string
		id   string
		body string
		err  error
		kind jos.Kind
		is   error
		msg  string
	}{
		{name: "JOS error kept", id: "2400001234", err: notFound, kind: jos.KindNotFound, msg: "order 2400001234: 360buy.order.get"},
		{name: "empty order", id: "2400001234", body: `{"code":"0","order":{}}`, kind: jos.KindNotFound, msg: "order 2400001234"},
		{name: "another order", id: "2400001234", body: orderGetBody("2400009999", "22", StateWaitStockOut, "4"), kind: jos.KindMalformed, msg: "order 2400009999"},
		{name: "bad amount", id: "1001", body: `{"order":{"orderInfo":{"order_id":"1001","order_total_price":"x"}}}`, kind: jos.KindMalformed, msg: "order_total_price"},
		{name: "scanner typo", id: "24000O1234", is: ErrBadOrderID, msg: `"24000O1234"`},
		{name: "empty id", id: "  ", is: ErrBadOrderID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := &fakeCaller{serve: func(string, map[string]string) (string, error) { return tc.body, tc.err }}
			_, err := NewFetcher(fc).Order(context.Background(), tc.id)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if tc.is == nil && jos.KindOf(err) != tc.kind {
				t.Errorf("error %v: kind %v, want %v", err, jos.KindOf(err), tc.kind)
			}
			if tc.err != nil {
				var je *jos.Error
				if !errors.As(err, &je) || je != notFound {
					t.Errorf("the *jos.Error was not kept: %v", err)
				}
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
			if tc.is == ErrBadOrderID && len(fc.calls) > 0 {
				t.Error("a bad order id went to JD")
			}
		})
	}
}

func TestFetchEachType(t *testing.T) {
	sop := readTestdata(t, "sop_printdata.json")
	lbp := lbpBodyWithImages(t)
	sopl := strings.ReplaceAll(strings.ReplaceAll(readTestdata(t, "sopl_printdata.json"),
		seedSOPLGenerade, b64(jpegBytes(t, 160, 50))), seedSOPLPickUpSign, "")
	for _, tc := range []struct {
		id, code string
		given    OrderType
		want     OrderType
		method   string
		body     string
	}{
		{"240000019", "22", "", SOP, methodSOPPrintData, sop},
		{"610000455", "23", "", LBP, methodLBPPrintData, lbp},
		{"620000566", "25", "", SOPL, methodSOPLPrintData, sopl},
		{"620000566", "25", SOPL, SOPL, methodSOPLPrintData, sopl}, // given and confirmed
		{"610000455", "", LBP, LBP, methodLBPPrintData, lbp},       // JD did not say: the given type
	} {
		fc := bodies(map[string]string{
			MethodOrderGet: orderGetBody(tc.id, tc.code, StateWaitStockOut, "4-在线支付"),
			tc.method:      tc.body,
		})
		w, err := NewFetcher(fc).Fetch(context.Background(), tc.id, tc.given)
		if err != nil {
			t.Errorf("%s (%s): %v", tc.id, tc.want, err)
			continue
		}
		if w.OrderID != tc.id || w.Type != tc.want {
			t.Errorf("%s: waybill %s %s, want %s", tc.id, w.OrderID, w.Type, tc.want)
		}
		if got := fc.methods(); !reflect.DeepEqual(got, []string{MethodOrderGet, tc.method}) {
			t.Errorf("%s: calls %v", tc.id, got)
		}
		if p := fc.calls[1].params; p["order_id"] != tc.id {
			t.Errorf("%s: print data asked for %q", tc.id, p["order_id"])
		}
		if tc.want != SOP && w.JDBarcode == nil {
			t.Errorf("%s: no barcode", tc.id)
		}
	}
}

func TestFetchRefusesUnshippable(t *testing.T) {
	for _, tc := range []struct{ state, want string }{
		{StateLocked, "order 2400001234 is LOCKED: JD does not allow it to be shipped"},
		{StateCanceled, "order 2400001234 is TRADE_CANCELED: JD does not allow it to be shipped"},
	} {
		for _, given := range []OrderType{"", LBP} {
			fc := bodies(map[string]string{
				MethodOrderGet:     orderGetBody("2400001234", "23", tc.state, "1"),
				methodLBPPrintData: lbpBodyWithImages(t),
			})
			w, err := NewFetcher(fc).Fetch(context.Background(), "2400001234", given)
			if !errors.Is(err, ErrNotShippable) || w != nil {
				t.Fatalf("%s: %v, %v; want ErrNotShippable", tc.state, w, err)
			}
			var ne *NotShippableError
			if !strings.HasPrefix(err.Error(), tc.want) || !errors.As(err, &ne) || ne.State != tc.state || ne.OrderID != "2400001234" {
				t.Errorf("%s: %q, want %q… carrying the order and its state", tc.state, err, tc.want)
			}
			if got := fc.methods(); !reflect.DeepEqual(got, []string{MethodOrderGet}) {
				t.Errorf("%s: print data was fetched anyway: %v", tc.state, got)
			}
		}
		// Waybill on its own refuses too.
		fc := bodies(map[string]string{methodLBPPrintData: lbpBodyWithImages(t)})
		_, err := NewFetcher(fc).Waybill(context.Background(), Order{ID: "2400001234", Type: LBP, State: tc.state})
		if !errors.Is(err, ErrNotShippable) || len(fc.calls) != 0 {
			t.Errorf("Waybill %s: %v after %d calls", tc.state, err, len(fc.calls))
		}
	}
}

func TestFetchTypeProblems(t *testing.T) {
	for _, tc := range []struct {
		name, code string
		given      OrderType
		is         error
		msg        string
	}{
		{"type given differs from JD's", "22", LBP, nil, "order 1001 is SOP at JD, not LBP"},
		{"type JD does not ship here", "21", "", ErrUnknownType, "order_type is 21"},
		{"no type anywhere", "", "", ErrUnknownType, "give it"},
	} {
		fc := bodies(map[string]string{MethodOrderGet: orderGetBody("1001", tc.code, StateWaitStockOut, "4")})
		_, err := NewFetcher(fc).Fetch(context.Background(), "1001", tc.given)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
		if len(fc.calls) != 1 {
			t.Errorf("%s: %v", tc.name, fc.methods())
		}
	}
}

func TestFetchKeepsJOSErrors(t *testing.T) {
	jerr := &jos.Error{Method: methodLBPPrintData, Kind: jos.KindPermission, Code: jos.CodeNoPermission}
	fc := &fakeCaller{serve: func(m string, _ map[string]string) (string, error) {
		if m == MethodOrderGet {
			return orderGetBody("1001", "23", StateWaitStockOut, "4"), nil
		}
		return "", jerr
	}}
	_, err := NewFetcher(fc).Fetch(context.Background(), "1001", "")
	var je *jos.Error
	if !errors.As(err, &je) || je != jerr || !strings.HasPrefix(err.Error(), "order 1001: "+methodLBPPrintData) {
		t.Errorf("error %v, want the *jos.Error with the order and method", err)
	}
	// A plain error from another Caller gets the method named.
	fc = &fakeCaller{serve: func(string, map[string]string) (string, error) { return "", errors.New("connection refused") }}
	_, err = NewFetcher(fc).Fetch(context.Background(), "1001", "")
	if err == nil || err.Error() != "order 1001: 360buy.order.get: connection refused" {
		t.Errorf("plain error: %v", err)
	}
}

func TestWaybillCOD(t *testing.T) {
	for _, tc := range []struct {
		payTypeStr, orderPayType string
		want                     bool
	}{
		{"货到付款", "", true},
		{"", "1-货到付款", true},
		{"", "1", true},
		{"在线支付", "4-在线支付", false},
		{"", "", false},
		{"自提", "3-自提", false},
	} {
		body := `{"order_printdata":{"id":"1001","payment_typeStr":"` + tc.payTypeStr + `"}}`
		fc := bodies(map[string]string{methodSOPPrintData: body})
		w, err := NewFetcher(fc).Waybill(context.Background(), Order{ID: "1001", Type: SOP, State: StateWaitStockOut, PayType: tc.orderPayType})
		if err != nil {
			t.Fatal(err)
		}
		if w.COD != tc.want {
			t.Errorf("payment_typeStr %q, pay_type %q: COD %v", tc.payTypeStr, tc.orderPayType, w.COD)
		}
	}
}

// searchServer serves n orders in pages as JOS does, cycling through the types.
func searchServer(n int) *fakeCaller {
	codes := []string{"22", "23", "25"}
	return &fakeCaller{serve: func(method string, p map[string]string) (string, error) {
		if method != methodOrderSearch {
			return "", fmt.Errorf("unexpected %s", method)
		}
		page, _ := strconv.Atoi(p["page"])
		size, _ := strconv.Atoi(p["page_size"])
		var list []string
		for i := (page - 1) * size; i < page*size && i < n; i++ {
			id := strconv.Itoa(2400000000 + i)
			if i%2 == 0 {
				id = strconv.Quote(id) // ids as strings and as numbers
			}
			list = append(list, fmt.Sprintf(`{"order_id":%s,"order_type":%q,"order_state":"WAIT_SELLER_STOCK_OUT",
				"order_total_price":"%d.00","consignee_info":{"fullname":"李四"},"item_info_list":[{"item_total":"1"}]}`,
				id, codes[i%3], i))
		}
		return fmt.Sprintf(`{"code":"0","order_search":{"order_total":%d,"order_info_list":[%s]}}`, n, strings.Join(list, ",")), nil
	}}
}

func TestSearchPage(t *testing.T) {
	fc := searchServer(250)
	var orders []Order
	for page := 1; page <= 3; page++ {
		pg, err := NewFetcher(fc).SearchPage(context.Background(), Query{}, page)
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != 250 {
			t.Errorf("page %d: total %d, want 250", page, pg.Total)
		}
		orders = append(orders, pg.Orders...)
	}
	if len(orders) != 250 {
		t.Fatalf("%d orders, want 250", len(orders))
	}
	types := map[OrderType]int{}
	for i, o := range orders {
		types[o.Type]++
		if o.ID != strconv.Itoa(2400000000+i) || o.Total != Fen(i*100) || o.ItemCount != 1 {
			t.Fatalf("order %d: %+v", i, o)
		}
	}
	if types[SOP] == 0 || types[LBP] == 0 || types[SOPL] == 0 {
		t.Errorf("types %v", types)
	}
	for i, c := range fc.calls {
		p := c.params
		if p["page"] != strconv.Itoa(i+1) || p["page_size"] != "100" || p["order_state"] != StateWaitStockOut {
			t.Errorf("call %d: %v", i, p)
		}
		if !contains(strings.Split(p["optional_fields"], ","), "order_type") {
			t.Errorf("call %d: optional_fields %q", i, p["optional_fields"])
		}
		if _, ok := p["start_date"]; ok {
			t.Errorf("call %d: a start date without asking: %v", i, p)
		}
	}
}

func TestSearchDates(t *testing.T) {
	fc := searchServer(3)
	start := time.Date(2024, 4, 30, 16, 0, 0, 0, time.UTC) // 2024-05-01 00:00:00 in Beijing
	end := start.Add(48 * time.Hour)
	_, err := NewFetcher(fc).SearchPage(context.Background(), Query{
		States: []string{"wait_seller_stock_out", "LOCKED"}, Start: start, End: end, DateType: 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := fc.calls[0].params
	want := map[string]string{"order_state": "WAIT_SELLER_STOCK_OUT,LOCKED", "start_date": "2024-05-01 00:00:00",
		"end_date": "2024-05-03 00:00:00", "dateType": "1"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %q, want %q", k, p[k], v)
		}
	}
}

func TestSearchQueryErrors(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, jos.ChinaTime)
	for _, tc := range []struct {
		name string
		q    Query
		page int
		msg  string
	}{
		{"dates needed", Query{States: []string{StateFinished}}, 1, "needs a start and an end date"},
		{"unknown state", Query{States: []string{"WAIT_SELLER_STOCKOUT"}}, 1, `unknown order state "WAIT_SELLER_STOCKOUT"`},
		{"end only", Query{End: now}, 1, "give both"},
		{"backwards", Query{Start: now, End: now.Add(-time.Hour)}, 1, "before the start"},
		{"over a month", Query{Start: now.AddDate(0, -2, 0), End: now}, 1, "one month"},
		{"page 0", Query{}, 0, "pages 1 to 50"},
		{"past JD's 50 pages", Query{}, 51, "pages 1 to 50"},
	} {
		fc := searchServer(3)
		_, err := NewFetcher(fc).SearchPage(context.Background(), tc.q, tc.page)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
		if len(fc.calls) != 0 {
			t.Errorf("%s: called JD anyway", tc.name)
		}
	}
}

func TestSearchSeedSample(t *testing.T) {
	fc := bodies(map[string]string{methodOrderSearch: readTestdata(t, "order_search.json")})
	pg, err := NewFetcher(fc).SearchPage(context.Background(), Query{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	orders := pg.Orders
	var ids []string
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	if want := []string{"25003603", "25003613", "25003765"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if !orders[1].COD() || orders[0].COD() {
		t.Error("COD from pay_type wrong")
	}
}

func TestSearchKeepsJOSErrors(t *testing.T) {
	jerr := &jos.Error{Method: methodOrderSearch, Kind: jos.KindAuth, Code: jos.CodeBadToken}
	fc := &fakeCaller{serve: func(string, map[string]string) (string, error) { return "", jerr }}
	_, err := NewFetcher(fc).SearchPage(context.Background(), Query{}, 1)
	var je *jos.Error
	if !errors.As(err, &je) || je != jerr {
		t.Errorf("error %v, want the *jos.Error", err)
	}
}

// TestWaybillWithoutState: an Order that does not say its state is looked up first, so that a
// locked order cannot slip through; its type and pay type come from JD too.
func TestWaybillWithoutState(t *testing.T) {
	for _, tc := range []struct {
		state string
		given OrderType
		ok    bool
	}{
		{StateLocked, LBP, false},
		{StateCanceled, "", false},
		{StateWaitStockOut, "", true},
		{StateWaitStockOut, LBP, true},
		{StateWaitStockOut, SOP, false}, // JD says LBP
	} {
		fc := bodies(map[string]string{
			MethodOrderGet:     orderGetBody("610000455", "23", tc.state, "1-货到付款"),
			methodLBPPrintData: lbpBodyWithImages(t),
		})
		w, err := NewFetcher(fc).Waybill(context.Background(), Order{ID: "610000455", Type: tc.given})
		if tc.ok != (err == nil) {
			t.Errorf("%s, %q: %v", tc.state, tc.given, err)
			continue
		}
		if !tc.ok {
			if got := fc.methods(); !reflect.DeepEqual(got, []string{MethodOrderGet}) {
				t.Errorf("%s, %q: calls %v", tc.state, tc.given, got)
			}
			continue
		}
		if w.Type != LBP || !w.COD {
			t.Errorf("%s, %q: waybill %s COD %v", tc.state, tc.given, w.Type, w.COD)
		}
	}
}

// TestFetchReadsTheOrderOnce: Fetch asks for the order once, even when JD leaves its state out.
func TestFetchReadsTheOrderOnce(t *testing.T) {
	for _, state := range []string{StateWaitStockOut, ""} {
		fc := bodies(map[string]string{
			MethodOrderGet:     orderGetBody("610000455", "23", state, "1-货到付款"),
			methodLBPPrintData: lbpBodyWithImages(t),
		})
		w, err := NewFetcher(fc).Fetch(context.Background(), "610000455", "")
		if err != nil {
			t.Fatalf("state %q: %v", state, err)
		}
		if w.Type != LBP {
			t.Errorf("state %q: type %s, want LBP", state, w.Type)
		}
		if got, want := fc.methods(), []string{MethodOrderGet, methodLBPPrintData}; !reflect.DeepEqual(got, want) {
			t.Errorf("state %q: calls %v, want %v", state, got, want)
		}
	}
}

// TestHostileTextIsPlain: escape sequences, carriage returns and bidi overrides in JD's fields
// reach neither the terminal nor the window nor the label: the order and the waybill hold them
// replaced, while the images' base64 (where line breaks belong) is kept as it came.
func TestHostileTextIsPlain(t *testing.T) {
	const evil = `张\u001b[2J三\r[1/1] 244991088626 printed\u202e`
	body := `{"order_printdata":{"id":"1001","remark":"` + evil + `","consignee":{"cons_name":"` + evil +
		`","cons_address":"` + evil + `"}}}`
	fc := bodies(map[string]string{methodSOPPrintData: body})
	w, err := NewFetcher(fc).Waybill(context.Background(), Order{ID: "1001", Type: SOP, State: StateWaitStockOut})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{w.Remark, w.Consignee.Name, w.Consignee.Address} {
		if strings.ContainsAny(s, "\x1b\r\n\u202e") || !strings.Contains(s, "三") {
			t.Errorf("field %q keeps a control character (or lost its text)", s)
		}
	}
	search := `{"order_search":{"order_total":1,"order_info_list":[{"order_id":"1001","consignee_info":{"fullname":"` + evil + `","city":"` + evil + `"}}]}}`
	pg, err := NewFetcher(bodies(map[string]string{methodOrderSearch: search})).SearchPage(context.Background(), Query{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if o := pg.Orders[0]; strings.ContainsAny(o.ConsigneeName+o.City, "\x1b\r\n\u202e") {
		t.Errorf("order %+v keeps a control character", o)
	}
	if got := wireObj(t, `{"generade":"iVBORw0K\nGgo="}`).data("generade"); got != "iVBORw0K\nGgo=" {
		t.Errorf("base64 changed to %q", got)
	}
}

func wireObj(t *testing.T, s string) obj {
	t.Helper()
	var err error
	return newObj("", []byte(s), &err)
}
