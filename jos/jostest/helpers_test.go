package jostest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest/gateway"
)

// testNow is the simulator's clock in tests.
var testNow = time.Date(2025, 3, 10, 10, 0, 0, 0, jos.ChinaTime)

func fixedNow() time.Time { return testNow }

// caller sends raw JOS requests, signed like a real client, without station/jos's client.
type caller struct {
	t      testing.TB
	url    string
	key    string
	secret string
	token  string
	now    time.Time
	client *http.Client
	get    bool // send as GET with a query string instead of a form POST
}

func newSim(t testing.TB, opts Options) (*Server, *caller) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, &caller{t: t, url: ts.URL + "/routerjson", key: s.opts.AppKey, secret: s.opts.AppSecret,
		token: s.opts.AccessToken, now: testNow, client: &http.Client{Timeout: 10 * time.Second}}
}

// form builds the signed system parameters for method with params marshalled as JSON.
func (c *caller) form(method string, params any) url.Values {
	c.t.Helper()
	pj := "{}"
	if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			c.t.Fatal(err)
		}
		pj = string(b)
	}
	m := map[string]string{
		"method":            method,
		"app_key":           c.key,
		"access_token":      c.token,
		"timestamp":         c.now.In(jos.ChinaTime).Format(jos.TimeLayout),
		"v":                 "2.0",
		"360buy_param_json": pj,
	}
	m["sign"] = jos.Sign(c.secret, m)
	f := url.Values{}
	for k, v := range m {
		f.Set(k, v)
	}
	return f
}

// send posts form (or GETs it) and returns the response or the transport error.
func (c *caller) send(f url.Values) (*http.Response, []byte, error) {
	var resp *http.Response
	var err error
	if c.get {
		resp, err = c.client.Get(c.url + "?" + f.Encode())
	} else {
		resp, err = c.client.Post(c.url, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(f.Encode()))
	}
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// raw sends a signed call and returns the HTTP status and body; it fails the test on a
// transport error.
func (c *caller) raw(method string, params any) (int, []byte) {
	c.t.Helper()
	resp, body, err := c.send(c.form(method, params))
	if err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	return resp.StatusCode, body
}

// envelope decodes a 200 reply into its single top-level key and object (numbers kept exact).
func envelope(t testing.TB, status int, body []byte) (string, map[string]any) {
	t.Helper()
	if status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", status, body)
	}
	var top map[string]any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&top); err != nil {
		t.Fatalf("reply is not JSON: %v: %.300s", err, body)
	}
	if len(top) != 1 {
		t.Fatalf("reply has %d top-level keys, want 1: %.300s", len(top), body)
	}
	for k, v := range top {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object: %.300s", k, body)
		}
		return k, obj
	}
	panic("unreachable")
}

// call sends a signed call and returns the envelope key and body.
func (c *caller) call(method string, params any) (string, map[string]any) {
	c.t.Helper()
	status, body := c.raw(method, params)
	return envelope(c.t, status, body)
}

// ok calls method, insists on success under wantKey, and returns the body.
func (c *caller) ok(method, wantKey string, params any) map[string]any {
	c.t.Helper()
	key, body := c.call(method, params)
	if key != wantKey || body["code"] != "0" {
		c.t.Fatalf("%s: got %s %v, want %s with code \"0\"", method, key, body, wantKey)
	}
	return body
}

// fails calls method and insists on a refusal with code under key ("error_response" for the
// gateway).
func (c *caller) fails(method, wantKey, wantCode string, params any) map[string]any {
	c.t.Helper()
	key, body := c.call(method, params)
	checkRefusal(c.t, key, body, wantKey, wantCode)
	return body
}

func checkRefusal(t testing.TB, key string, body map[string]any, wantKey, wantCode string) {
	t.Helper()
	// A business refusal may come in either of JD's shapes (Options.Refusals).
	top := key == "error_response" && wantKey != "error_response" && body["code"] == gateway.TopLevelCode(wantCode)
	if !top && (key != wantKey || body["code"] != wantCode) {
		t.Fatalf("got %s %v, want %s with code %q (or error_response with %q)", key, body, wantKey, wantCode, gateway.TopLevelCode(wantCode))
	}
	for _, f := range []string{"zh_desc", "en_desc"} {
		if s, _ := body[f].(string); s == "" {
			t.Errorf("%s: %s missing or not a string: %v", key, f, body)
		}
	}
}

func obj(t testing.TB, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%s: not an object in %v", key, m)
	}
	return v
}

func list(t testing.TB, m map[string]any, key string) []any {
	t.Helper()
	v, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%s: not a list in %v", key, m)
	}
	return v
}

func str(t testing.TB, m map[string]any, key string) string {
	t.Helper()
	v, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s: not a string (%T) in %v", key, m[key], m)
	}
	return v
}

// firstID returns an order of type typ in state, failing if there is none.
func firstID(t testing.TB, s *Server, typ, state string) string {
	t.Helper()
	ids := s.OrderIDs(typ, state)
	if len(ids) == 0 {
		t.Fatalf("no %s order in state %s", typ, state)
	}
	return ids[0]
}

func ledgerOrder(t testing.TB, s *Server, id string) LedgerOrder {
	t.Helper()
	o, ok := s.Ledger().Order(id)
	if !ok {
		t.Fatalf("order %s not in the ledger", id)
	}
	return o
}

// findOrder returns the first order matching pred (internal access, for picking fixtures).
func findOrder(t testing.TB, s *Server, pred func(o *order) bool) *order {
	t.Helper()
	for _, o := range s.orders {
		if pred(o) {
			return o
		}
	}
	t.Fatal("no order matches")
	return nil
}
