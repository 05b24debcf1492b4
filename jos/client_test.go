package jos

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestNewEndpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint string
		ok       bool
	}{
		{"https://api.jd.com/routerjson", true},
		{"https://api-dev.jd.com/routerjson", true},
		{"  https://api.jd.com/routerjson  ", true},
		{"http://127.0.0.1:8790/routerjson", true},
		{"http://127.9.8.7/routerjson", true},
		{"http://[::1]:8790/routerjson", true},
		{"http://localhost:8790/routerjson", true},
		{"http://LocalHost/", true},
		{"http://api.jd.com/routerjson", false},
		{"http://192.168.1.10:8790/routerjson", false},
		{"http://10.0.0.1/routerjson", false},
		{"http://localhost.example.com/routerjson", false},
		{"http://127.0.0.1.nip.io/routerjson", false},
		{"http://[::2]/routerjson", false},
		{"ftp://api.jd.com/routerjson", false},
		{"api.jd.com/routerjson", false},
		{"", false},
		{"https://", false},
		{"://api.jd.com", false},
		{"https://user:pw@api.jd.com/routerjson", false},
		{"https://api.jd.com/routerjson?access_token=x", false},
		{"https://api.jd.com/routerjson#x", false},
		{"http://127.0.0.1:8790/routerjson?access_token=" + testToken, false},
		{"ftp://u:" + testSecret + "@h/?access_token=" + testToken, false},
	} {
		_, err := New(Config{Endpoint: tc.endpoint, AppKey: "k", AppSecret: testSecret, AccessToken: testToken})
		if (err == nil) != tc.ok {
			t.Errorf("New(%q): err = %v, want ok=%v", tc.endpoint, err, tc.ok)
		}
		if err != nil && (strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), testToken) ||
			strings.Contains(err.Error(), "pw@") || strings.Contains(err.Error(), "access_token=")) {
			t.Errorf("New(%q) error leaks a credential: %v", tc.endpoint, err)
		}
	}
}

func TestNewCredentials(t *testing.T) {
	good := Config{Endpoint: "https://api.jd.com/routerjson", AppKey: "k", AppSecret: "s", AccessToken: "t"}
	for name, mod := range map[string]func(*Config){
		"no app key":      func(c *Config) { c.AppKey = "" },
		"no app secret":   func(c *Config) { c.AppSecret = "" },
		"blank secret":    func(c *Config) { c.AppSecret = "   " },
		"no token":        func(c *Config) { c.AccessToken = "" },
		"negative period": func(c *Config) { c.Timeout = -time.Second },
	} {
		cfg := good
		mod(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted %v", name, cfg)
		}
	}
	if _, err := New(good); err != nil {
		t.Errorf("New(good config): %v", err)
	}
}

// Printing a Config or a Client, however it is done, does not show the credentials.
func TestConfigAndClientHideCredentials(t *testing.T) {
	cfg := Config{Endpoint: "https://api.jd.com/routerjson", AppKey: testAppKey, AppSecret: testSecret, AccessToken: testToken}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	logs.logger().Info("config", "cfg", cfg, "client", c)
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg),
		fmt.Sprint(c), fmt.Sprintf("%+v", c), logs.String()} {
		if strings.Contains(s, testSecret) || strings.Contains(s, testToken) {
			t.Errorf("credentials shown in %q", s)
		}
		if !strings.Contains(s, testAppKey) {
			t.Errorf("%q does not even show the app key", s)
		}
	}
}

// The published test vector, end to end: the fake router receives exactly the form JOS
// documents, with the timestamp converted to China time whatever the PC's zone.
func TestRequestForm(t *testing.T) {
	var got joscall
	f := newFakeJOS(t, func(c joscall) reply { got = c; return ok(`{"order_sop_printdata_response":{"code":"0"}}`) })
	f.secret = "test_secret_0123"
	newYork := time.FixedZone("EDT", -4*3600)
	c, err := New(Config{Endpoint: f.URL + "/routerjson", AppKey: "TEST_APP_KEY", AppSecret: "test_secret_0123",
		AccessToken: "test_token_abc", RateLimit: -1,
		Now: func() time.Time { return time.Date(2024, 5, 1, 0, 0, 0, 0, newYork) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Read(background, "360buy.order.sop.print.data.get", map[string]string{"order_id": "1234567890"}, nil); err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := map[string]string{
		"method":            "360buy.order.sop.print.data.get",
		"app_key":           "TEST_APP_KEY",
		"access_token":      "test_token_abc",
		"timestamp":         "2024-05-01 12:00:00",
		"v":                 "2.0",
		"360buy_param_json": `{"order_id":"1234567890"}`,
		"sign":              "9173DD69965A13D026435C7FBBDC6C12",
	}
	if keys := sortedKeys(got.Form); len(keys) != len(want) {
		t.Errorf("form fields %v, want exactly %d", keys, len(want))
	}
	for k, v := range want {
		if g := got.Form.Get(k); g != v {
			t.Errorf("form %s = %q, want %q", k, g, v)
		}
	}
}

// 360buy_param_json carries encoding/json's bytes, and those are the bytes signed (the fake
// checks every signature).
func TestRequestParams(t *testing.T) {
	type outstorage struct {
		OrderID     string `json:"order_id"`
		LogisticsID string `json:"logistics_id"`
		Waybill     string `json:"waybill"`
		TradeNo     string `json:"trade_no,omitempty"`
	}
	var nilMap map[string]string
	for _, tc := range []struct {
		name   string
		params any
		want   string
	}{
		{"nil", nil, "{}"},
		{"nil map", nilMap, "{}"},
		{"empty map", map[string]string{}, "{}"},
		{"struct", outstorage{"16050909", "2100|4700", "1200458628372,111232|468778814888", ""},
			`{"order_id":"16050909","logistics_id":"2100|4700","waybill":"1200458628372,111232|468778814888"}`},
		{"chinese and html characters", map[string]string{"remark": "当日配送 <17点> & 签收"},
			`{"remark":"当日配送 \u003c17点\u003e \u0026 签收"}`},
		{"raw json", json.RawMessage(`{"order_id": 16050909}`), `{"order_id":16050909}`},
		{"long id as number", map[string]any{"order_id": json.Number("1234567890123456789")}, `{"order_id":1234567890123456789}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeJOS(t, replies(ok(`{"order_get_response":{"code":"0"}}`)))
			c := newTestClient(t, f.URL)
			if err := c.Read(background, "360buy.order.get", tc.params, nil); err != nil {
				t.Fatalf("Read: %v", err)
			}
			if calls := f.Calls(); len(calls) != 1 || calls[0].Params != tc.want {
				t.Errorf("360buy_param_json = %q, want %q", calls[0].Params, tc.want)
			}
		})
	}
}

func TestRequestParamsNotEncodable(t *testing.T) {
	f := newFakeJOS(t, replies(ok(`{"x":{}}`)))
	err := newTestClient(t, f.URL).Write(background, "360buy.order.sop.outstorage", map[string]any{"c": make(chan int)}, nil)
	if KindOf(err) != KindInvalid || MayHaveTakenEffect(err) {
		t.Errorf("err = %v (kind %v), want an invalid, not-applied error", err, KindOf(err))
	}
	if len(f.Calls()) != 0 {
		t.Error("a call with unencodable parameters was sent")
	}
}

// Each attempt is signed afresh with its own timestamp: a retry late in a backoff must not be
// rejected as clock skew.
func TestRetrySignsAfresh(t *testing.T) {
	f := newFakeJOS(t, replies(reply{status: 502}, ok(`{"order_get_response":{"code":"0"}}`)))
	base := time.Date(2024, 5, 1, 4, 0, 0, 0, time.UTC)
	n := 0
	c := newTestClient(t, f.URL, func(c *Config) {
		c.Now = func() time.Time { n++; return base.Add(time.Duration(n) * time.Minute) }
	})
	if err := c.Read(background, "360buy.order.get", nil, nil); err != nil {
		t.Fatalf("Read: %v", err)
	}
	calls := f.Calls()
	if len(calls) != 2 || calls[0].Timestamp != "2024-05-01 12:01:00" || calls[1].Timestamp != "2024-05-01 12:02:00" {
		t.Errorf("timestamps %v, want 12:01:00 then 12:02:00", calls)
	}
}

// TestRefusalTextScrubbed: a gateway that quotes the token or the secret back in its refusal
// does not carry them into the error the station shows and logs.
func TestRefusalTextScrubbed(t *testing.T) {
	body := `{"error_response":{"code":"19","zh_desc":"token ` + testToken + ` 无效\u001b[2J","en_desc":"invalid access_token ` + testToken + ` (secret ` + testSecret + `)\r\n[1/1] forged"}}`
	f := newFakeJOS(t, replies(ok(body)))
	err := newTestClient(t, f.URL).Read(background, "360buy.order.get", nil, nil)
	var e *Error
	if !errors.As(err, &e) || e.Code != "19" {
		t.Fatalf("error %v", err)
	}
	if s := err.Error() + e.ZhDesc + e.EnDesc; strings.Contains(s, testToken) || strings.Contains(s, testSecret) || !strings.Contains(s, "****") {
		t.Errorf("the refusal shows a credential: %q", s)
	}
	if s := err.Error(); strings.ContainsAny(s, "\x1b\r\n") {
		t.Errorf("the refusal carries control characters to the terminal: %q", s)
	}
}

func TestWrongSecretIsCredentials(t *testing.T) {
	f := newFakeJOS(t, replies(ok(`{"x":{}}`)))
	c := newTestClient(t, f.URL, func(c *Config) { c.AppSecret = "not-the-secret" })
	err := c.Read(background, "360buy.order.get", nil, nil)
	if KindOf(err) != KindCredentials || !strings.Contains(err.Error(), "签名无效") {
		t.Errorf("err = %v, want a credentials error quoting JOS", err)
	}
}

func TestHTTPS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"order_get_response":{"code":"0","order":{"orderInfo":{"order_id":"25002825"}}}}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted-certificate case below is expected
	srv.StartTLS()
	defer srv.Close()
	c := newTestClient(t, srv.URL+"/routerjson", func(c *Config) { c.HTTPClient = srv.Client() })
	var out struct {
		Order struct {
			Info struct {
				OrderID Str `json:"order_id"`
			} `json:"orderInfo"`
		} `json:"order"`
	}
	if err := c.Read(background, "360buy.order.get", nil, &out); err != nil || out.Order.Info.OrderID != "25002825" {
		t.Fatalf("Read over https: %v, order id %q", err, out.Order.Info.OrderID)
	}

	// A certificate that does not verify is a transport error, and not worth retrying.
	ct := &countingTransport{next: http.DefaultTransport}
	err := newTestClient(t, srv.URL, withCounter(ct), func(c *Config) { c.MaxRetries = 3 }).Read(background, "360buy.order.get", nil, nil)
	if KindOf(err) != KindTransport || ct.n.Load() != 1 {
		t.Errorf("untrusted certificate: err = %v after %d attempts, want transport after 1", err, ct.n.Load())
	}
}

// A redirect is never followed: it would carry the signed form, token included, elsewhere.
func TestRedirectNotFollowed(t *testing.T) {
	elsewhere := newFakeJOS(t, replies(ok(`{"x":{}}`)))
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL, status)
		}))
		err := newTestClient(t, srv.URL).Write(background, "360buy.order.sop.outstorage", nil, nil)
		srv.Close()
		var e *Error
		if !asError(err, &e) || e.HTTP != status || e.Outcome != NotApplied {
			t.Errorf("redirect %d: err = %v, want HTTP %d, not applied", status, err, status)
		}
	}
	if n := len(elsewhere.Calls()); n != 0 {
		t.Errorf("the redirect target got %d calls", n)
	}
}

func TestNoMethod(t *testing.T) {
	f := newFakeJOS(t, replies(ok(`{"x":{}}`)))
	if err := newTestClient(t, f.URL).Read(background, " ", nil, nil); KindOf(err) != KindInvalid {
		t.Errorf("empty method: %v", err)
	}
	if len(f.Calls()) != 0 {
		t.Error("a call without a method was sent")
	}
}

// asError is errors.As for *Error, false for nil.
func asError(err error, e **Error) bool { return errors.As(err, e) }

func TestDefaults(t *testing.T) {
	cfg := Config{Endpoint: "https://api.jd.com/routerjson", AppKey: "k", AppSecret: "s", AccessToken: "t"}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != 10*time.Second || c.maxRetries != 6 || c.readBudget != 30*time.Second || c.backoff != 200*time.Millisecond ||
		c.quotaBudget != 2*time.Minute || c.Rate() != 50 || c.limit.interval() != 20*time.Millisecond {
		t.Errorf("defaults: timeout %v, retries %d, backoff %v, rate %v", c.timeout, c.maxRetries, c.backoff, c.Rate())
	}
	cfg.RateLimit, cfg.MaxRetries = -1, -1
	if c, _ = New(cfg); !math.IsInf(c.Rate(), 1) || c.limit.interval() != 0 || c.maxRetries != 0 {
		t.Errorf("negative rate limit and retries: rate %v, retries %d", c.Rate(), c.maxRetries)
	}
	cfg.RateLimit = math.NaN()
	if _, err := New(cfg); err == nil {
		t.Error("a NaN rate limit was accepted")
	}
}

// The caller's HTTP client is used (its transport) but not modified.
func TestHTTPClientNotModified(t *testing.T) {
	f := newFakeJOS(t, replies(ok(okOrder)))
	ct := &countingTransport{next: http.DefaultTransport}
	hc := &http.Client{Transport: ct}
	c := newTestClient(t, f.URL, func(c *Config) { c.HTTPClient = hc })
	if err := c.Read(background, "360buy.order.get", nil, nil); err != nil || ct.n.Load() != 1 {
		t.Fatalf("Read: %v, %d attempts through the caller's transport", err, ct.n.Load())
	}
	if hc.CheckRedirect != nil {
		t.Error("New changed the caller's http.Client")
	}
}
