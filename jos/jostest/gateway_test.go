package jostest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest/shop"
)

func TestGatewayRejections(t *testing.T) {
	s, c := newSim(t, Options{})
	id := s.OrderIDs("", "")[0]
	params := map[string]string{"order_id": id}
	const method = "360buy.order.print.data.get"

	tests := []struct {
		name string
		edit func(f url.Values) // applied to a correctly signed form
		code string
	}{
		{"missing method", func(f url.Values) { f.Del("method"); resign(f, c.secret) }, jos.CodeMissingMethod},
		{"missing app_key", func(f url.Values) { f.Del("app_key"); resign(f, c.secret) }, jos.CodeMissingAppKey},
		{"wrong app_key", func(f url.Values) { f.Set("app_key", "someone-else"); resign(f, c.secret) }, jos.CodeBadAppKey},
		{"missing v", func(f url.Values) { f.Del("v"); resign(f, c.secret) }, jos.CodeMissingVersion},
		{"v 1.0", func(f url.Values) { f.Set("v", "1.0"); resign(f, c.secret) }, jos.CodeBadVersion},
		{"missing timestamp", func(f url.Values) { f.Del("timestamp"); resign(f, c.secret) }, jos.CodeMissingTimestamp},
		{"timestamp not a time", func(f url.Values) { f.Set("timestamp", "2025/03/10 10:00"); resign(f, c.secret) }, jos.CodeBadTimestamp},
		{"timestamp in UTC instead of China time", func(f url.Values) {
			f.Set("timestamp", testNow.UTC().Format(jos.TimeLayout))
			resign(f, c.secret)
		}, jos.CodeBadTimestamp},
		{"clock 7 minutes slow", func(f url.Values) { setTime(f, testNow.Add(-7*time.Minute), c.secret) }, jos.CodeBadTimestamp},
		{"clock 6m1s fast", func(f url.Values) { setTime(f, testNow.Add(6*time.Minute+time.Second), c.secret) }, jos.CodeBadTimestamp},
		{"missing sign", func(f url.Values) { f.Del("sign") }, jos.CodeMissingSign},
		{"sign from another secret", func(f url.Values) { resign(f, "not-the-secret") }, jos.CodeBadSign},
		{"sign in lower case", func(f url.Values) { f.Set("sign", strings.ToLower(f.Get("sign"))) }, jos.CodeBadSign},
		{"params changed after signing", func(f url.Values) { f.Set("360buy_param_json", `{"order_id":"1"}`) }, jos.CodeBadSign},
		{"missing token", func(f url.Values) { f.Del("access_token"); resign(f, c.secret) }, jos.CodeMissingToken},
		{"wrong token", func(f url.Values) { f.Set("access_token", "expired"); resign(f, c.secret) }, jos.CodeBadToken},
		{"unknown method", func(f url.Values) { f.Set("method", "360buy.order.fly"); resign(f, c.secret) }, jos.CodeBadMethod},
		{"format xml", func(f url.Values) { f.Set("format", "xml"); resign(f, c.secret) }, jos.CodeBadFormat},
		{"param json broken", func(f url.Values) { f.Set("360buy_param_json", `{"order_id":`); resign(f, c.secret) }, jos.CodeBadJSON},
		{"param json an array", func(f url.Values) { f.Set("360buy_param_json", `["order_id"]`); resign(f, c.secret) }, jos.CodeBadJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := c.form(method, params)
			tt.edit(f)
			resp, body, err := c.send(f)
			if err != nil {
				t.Fatal(err)
			}
			key, e := envelope(t, resp.StatusCode, body)
			checkRefusal(t, key, e, "error_response", tt.code)
		})
	}

	// The boundaries that must still pass: 6 minutes either way, format=json signed like the rest.
	for _, edit := range []func(f url.Values){
		func(f url.Values) { setTime(f, testNow.Add(-6*time.Minute), c.secret) },
		func(f url.Values) { setTime(f, testNow.Add(6*time.Minute), c.secret) },
		func(f url.Values) { f.Set("format", "json"); resign(f, c.secret) },
	} {
		f := c.form(method, params)
		edit(f)
		resp, body, err := c.send(f)
		if err != nil {
			t.Fatal(err)
		}
		if key, e := envelope(t, resp.StatusCode, body); key != "order_printdata_response" || e["code"] != "0" {
			t.Errorf("got %s %v, want success", key, e)
		}
	}
}

func resign(f url.Values, secret string) {
	m := map[string]string{}
	for k := range f {
		m[k] = f.Get(k)
	}
	f.Set("sign", jos.Sign(secret, m))
}

func setTime(f url.Values, t time.Time, secret string) {
	f.Set("timestamp", t.In(jos.ChinaTime).Format(jos.TimeLayout))
	resign(f, secret)
}

// The error_response text is JD's own wording, as the client must show it.
func TestGatewayErrorShape(t *testing.T) {
	_, c := newSim(t, Options{})
	c.token = "expired"
	status, body := c.raw("360buy.order.get", map[string]string{"order_id": "1"})
	want := `{"error_response":{"code":"19","en_desc":"Invalid access_token","zh_desc":"无效access_token"}}`
	if status != 200 || string(body) != want {
		t.Fatalf("got %d %s\nwant 200 %s", status, body, want)
	}
}

func TestCustomCredentials(t *testing.T) {
	opts := Options{AppKey: "k1", AppSecret: "s1", AccessToken: "t1"}
	_, c := newSim(t, opts)
	c.ok("360buy.delivery.logistics.get", "delivery_logistics_get_response", nil)
	c.key, c.secret, c.token = DemoAppKey, DemoAppSecret, DemoAccessToken
	c.fails("360buy.delivery.logistics.get", "error_response", jos.CodeBadAppKey, nil)
}

func TestTransportForms(t *testing.T) {
	s, c := newSim(t, Options{})
	id := s.OrderIDs("", "")[0]
	// GET with a query string, on /routerjson and on /.
	c.get = true
	c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id})
	c.url = strings.TrimSuffix(c.url, "routerjson")
	c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id})
	c.get = false
	c.ok("360buy.order.get", "order_get_response", map[string]string{"order_id": id})

	// Numbers where strings are expected are accepted, as JD's Java SDK sends them.
	c.ok("360buy.order.search", "order_search_response", map[string]any{"order_state": shop.StateWaitStockOut, "page": 1, "page_size": 5})
	// Missing 360buy_param_json counts as {}.
	f := c.form("360buy.delivery.logistics.get", nil)
	f.Del("360buy_param_json")
	resign(f, c.secret)
	resp, body, err := c.send(f)
	if err != nil {
		t.Fatal(err)
	}
	if key, e := envelope(t, resp.StatusCode, body); key != "delivery_logistics_get_response" || e["code"] != "0" {
		t.Fatalf("got %s %v", key, e)
	}

	base := strings.TrimSuffix(c.url, "/")
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/nowhere", http.StatusNotFound},
		{http.MethodPut, "/routerjson", http.StatusMethodNotAllowed},
		{http.MethodPost, "/_sim/ledger", http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(tc.method, base+tc.path, nil)
		resp, err := c.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: HTTP %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
}

func TestParamErrors(t *testing.T) {
	s, c := newSim(t, Options{})
	id := firstID(t, s, shop.TypeLBP, shop.StateWaitStockOut)
	tests := []struct {
		method string
		params any
		code   string
	}{
		{"360buy.order.get", nil, jos.CodeBadParam},
		{"360buy.order.get", map[string]string{"order_id": "12a45"}, jos.CodeBadParamValue},
		{"360buy.order.get", map[string]any{"order_id": map[string]string{}}, jos.CodeBadParamValue},
		{"360buy.order.get", map[string]string{"order_id": id, "optional_fields": "order_id,shoe_size"}, jos.CodeBadOptionalFields},
		{"360buy.order.get", map[string]string{"order_id": id, "order_state": "SHIPPED"}, jos.CodeBadParamValue},
		{"360buy.order.search", map[string]string{}, jos.CodeBadParam},
		{"360buy.order.search", map[string]string{"order_state": "NOPE"}, jos.CodeBadParamValue},
		{"360buy.order.search", map[string]string{"order_state": shop.StateWaitStockOut, "page_size": "101"}, jos.CodeBadParamValue},
		{"360buy.order.search", map[string]string{"order_state": shop.StateWaitStockOut, "page": "0"}, jos.CodeBadParamValue},
		{"360buy.order.search", map[string]string{"order_state": shop.StateLocked}, jos.CodeBadParam},
		{"360buy.order.search", map[string]string{"order_state": shop.StateWaitStockOut, "start_date": "yesterday"}, jos.CodeBadParamValue},
		{"360buy.order.search", map[string]string{"order_state": shop.StateLocked,
			"start_date": "2025-01-01 00:00:00", "end_date": "2025-03-01 00:00:00"}, jos.CodeBadParamValue},
		{"360buy.order.search", map[string]string{"order_state": shop.StateLocked,
			"start_date": "2025-03-01 00:00:00", "end_date": "2025-02-01 00:00:00"}, jos.CodeBadParamValue},
		{"360buy.order.lbp.outstorage", map[string]any{"order_id": id, "logistics_id": 0, "package_num": "two"}, jos.CodeBadParamValue},
		{"360buy.order.lbp.outstorage", map[string]any{"order_id": id, "logistics_id": 0, "package_num": -1}, jos.CodeBadParamValue},
		{"360buy.order.sopl.outstorage", map[string]any{"order_id": id, "logistics_id": 0, "send_type": "1", "address_id": "home"}, jos.CodeBadParamValue},
		{"360buy.order.lbp.outstorage", map[string]any{"order_id": id, "logistics_id": 0, "package_num": "1"}, jos.CodeBadParam},
		{"360buy.order.sopl.outstorage", map[string]any{"order_id": id, "logistics_id": 0, "send_type": "one"}, jos.CodeBadParamValue},
	}
	for _, tt := range tests {
		c.fails(tt.method, "error_response", tt.code, tt.params)
	}
	if o := ledgerOrder(t, s, id); o.OutstorageAttempts != 0 || o.State != shop.StateWaitStockOut {
		t.Errorf("malformed outstorage calls reached the order: %+v", o)
	}
}
