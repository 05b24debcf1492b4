package jos

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	okOrder     = `{"order_get_response":{"code":"0","order":{"orderInfo":{"order_id":"25002825"}}}}`
	busyReply   = `{"error_response":{"code":"66","zh_desc":"服务不可用"}}`
	quotaReply  = `{"error_response":{"code":"2","zh_desc":"调用次数超限"}}`
	tokenReply  = `{"error_response":{"code":"19","zh_desc":"无效access_token"}}`
	shipped     = `{"order_sop_outstorage_response":{"code":"10100003","zh_desc":"订单已出库"}}`
	backendLost = `{"error_response":{"code":"65","zh_desc":"后端服务超时"}}`
)

func TestReadRetriesUntilSuccess(t *testing.T) {
	f := newFakeJOS(t, replies(
		reply{status: 500, body: "Internal Server Error"},
		ok(busyReply),
		ok(quotaReply),
		reply{status: 429},
		ok(`{"order_get_response":{"code":"0",`), // truncated
		reply{status: 503, body: "<html>busy</html>"},
		ok(okOrder),
	))
	c := newTestClient(t, f.URL, func(c *Config) { c.MaxRetries = 6 })
	var out struct {
		Order struct {
			Info struct {
				OrderID Str `json:"order_id"`
			} `json:"orderInfo"`
		} `json:"order"`
	}
	if err := c.Read(background, "360buy.order.get", map[string]string{"order_id": "25002825"}, &out); err != nil {
		t.Fatalf("Read: %v", err)
	}
	if n := len(f.Calls()); n != 7 || out.Order.Info.OrderID != "25002825" {
		t.Errorf("%d calls, order id %q; want success on the 7th", n, out.Order.Info.OrderID)
	}
}

func TestReadStopsAfterMaxRetries(t *testing.T) {
	for _, tc := range []struct {
		name       string
		maxRetries int
		rep        reply
		kind       Kind
		calls      int
	}{
		{"500 with 2 retries", 2, reply{status: 500}, KindServer, 3},
		{"busy with default retries", 0, ok(busyReply), KindServer, 1 + defaultMaxRetries},
		{"malformed with 2 retries", 2, ok("<html>oops</html>"), KindMalformed, 3},
		{"retries disabled", -1, reply{status: 500}, KindServer, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeJOS(t, replies(tc.rep))
			err := newTestClient(t, f.URL, func(c *Config) { c.MaxRetries = tc.maxRetries }).Read(background, "360buy.order.get", nil, nil)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Outcome != NotApplied {
				t.Errorf("err = %v, want kind %v, not applied (a read changes nothing)", err, tc.kind)
			}
			if n := len(f.Calls()); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
		})
	}
}

// Retrying cannot fix a refusal: wrong credentials, clock, permission, parameters, state.
func TestReadNeverRetriesRefusals(t *testing.T) {
	for _, tc := range []struct {
		body string
		kind Kind
	}{
		{tokenReply, KindAuth},
		{`{"error_response":{"code":"18"}}`, KindAuth},
		{`{"error_response":{"code":"12"}}`, KindCredentials},
		{`{"error_response":{"code":"21"}}`, KindCredentials},
		{`{"error_response":{"code":"8"}}`, KindClock},
		{`{"error_response":{"code":"24"}}`, KindPermission},
		{`{"error_response":{"code":"61"}}`, KindInvalid},
		{`{"order_get_response":{"code":"10100001","zh_desc":"订单不存在"}}`, KindNotFound},
		{`{"error_response":{"code":"10400001","zh_desc":"订单不存在"}}`, KindNotFound},
		{`{"order_get_response":{"code":"10100001"}}`, KindRefused},
		{`{"error_response":{"code":"10499999","zh_desc":"不允许的操作"}}`, KindRefused},
		{`{"error_response":{"code":"28","zh_desc":"接口已停用"}}`, KindRetired},
		{`{"error_response":{"code":"80"}}`, KindIPBlocked},
		{`{"error_response":{"code":"85"}}`, KindDataSecurity},
		{`{"error_response":{"code":"10"}}`, KindVender},
		{shipped, KindConflict},
	} {
		f := newFakeJOS(t, replies(ok(tc.body)))
		err := newTestClient(t, f.URL, func(c *Config) { c.MaxRetries = 5 }).Read(background, "360buy.order.get", nil, nil)
		if KindOf(err) != tc.kind {
			t.Errorf("%s: err = %v, want kind %v", tc.body, err, tc.kind)
		}
		if n := len(f.Calls()); n != 1 {
			t.Errorf("%s: %d calls, want 1", tc.body, n)
		}
	}
	// A 4xx other than 429 means the URL or the request is wrong: asking again will not help.
	f := newFakeJOS(t, replies(reply{status: 404}))
	if err := newTestClient(t, f.URL).Read(background, "360buy.order.get", nil, nil); KindOf(err) != KindServer || len(f.Calls()) != 1 {
		t.Errorf("404: err = %v after %d calls", err, len(f.Calls()))
	}
}

func TestReadRetriesTransport(t *testing.T) {
	ct := &countingTransport{next: http.DefaultTransport}
	err := newTestClient(t, refusedURL(t), withCounter(ct), func(c *Config) { c.MaxRetries = 2 }).Read(background, "360buy.order.get", nil, nil)
	if KindOf(err) != KindTransport || ct.n.Load() != 3 {
		t.Errorf("connection refused: err = %v after %d attempts, want transport after 3", err, ct.n.Load())
	}
}

// The caller's cancellation ends the wait between attempts at once.
func TestReadBackoffHonoursContext(t *testing.T) {
	f := newFakeJOS(t, replies(reply{status: 500}))
	ctx, cancel := context.WithCancel(background)
	defer cancel()
	// The failed attempt is logged just before the wait: cancel then.
	onLog := slog.New(handlerFunc(func(r slog.Record) {
		if r.Level == slog.LevelWarn {
			cancel()
		}
	}))
	c := newTestClient(t, f.URL, func(c *Config) {
		c.Backoff = time.Hour
		c.ReadBudget = 2 * time.Hour
		c.MaxRetries = 3
		c.Logger = onLog
	})
	err := c.Read(ctx, "360buy.order.get", nil, nil)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, context.Canceled) || e.HTTP != 500 {
		t.Errorf("err = %v, want the HTTP 500 that was being retried, wrapping context.Canceled", err)
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// handlerFunc is a slog.Handler that hands every record to a function.
type handlerFunc func(slog.Record)

func (h handlerFunc) Enabled(context.Context, slog.Level) bool      { return true }
func (h handlerFunc) Handle(_ context.Context, r slog.Record) error { h(r); return nil }
func (h handlerFunc) WithAttrs([]slog.Attr) slog.Handler            { return h }
func (h handlerFunc) WithGroup(string) slog.Handler                 { return h }

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1/", func(c *Config) { c.Backoff = 200 * time.Millisecond })
	for n, max := range map[int]time.Duration{1: 200 * time.Millisecond, 2: 400 * time.Millisecond, 3: 800 * time.Millisecond,
		6: 5 * time.Second, 40: 5 * time.Second} {
		for range 50 {
			if d := c.backoffBefore(n); d < max/2 || d > max {
				t.Fatalf("backoff before attempt %d = %v, want in [%v, %v]", n+1, d, max/2, max)
			}
		}
	}
}

// A write goes out exactly once, whatever happens, and says whether it may have been applied.
func TestWriteOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rep     reply
		kind    Kind
		outcome Outcome
	}{
		{"http 500", reply{status: 500}, KindServer, MaybeApplied},
		{"http 502 html", reply{status: 502, body: "<html>Bad Gateway</html>"}, KindServer, MaybeApplied},
		{"http 404", reply{status: 404}, KindServer, NotApplied},
		{"stalled reply", reply{stall: true}, KindTransport, MaybeApplied},
		{"connection dropped after the request", reply{reset: true}, KindTransport, MaybeApplied},
		{"reply cut off", reply{short: true, body: `{"order_sop_outstorage_response":{"code":"0"`}, KindTransport, MaybeApplied},
		{"malformed reply", ok(`{"order_sop_outstorage_response":{"code":"0",`), KindMalformed, MaybeApplied},
		{"backend timeout code", ok(backendLost), KindServer, MaybeApplied},
		{"system error code", ok(`{"error_response":{"code":"43","zh_desc":"系统处理错误"}}`), KindServer, MaybeApplied},
		// The after-sales service's 500 (系统异常) may come after the case was made.
		{"afs system exception", ok(`{"error_response":{"code":"500","zh_desc":"系统异常"}}`), KindServer, MaybeApplied},
		{"afs parameter error", ok(`{"error_response":{"code":"3001","zh_desc":"参数错误"}}`), KindInvalid, NotApplied},
		{"backend unavailable code", ok(busyReply), KindServer, NotApplied},
		{"token", ok(tokenReply), KindAuth, NotApplied},
		{"already shipped", ok(shipped), KindConflict, NotApplied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeJOS(t, replies(tc.rep))
			c := newTestClient(t, f.URL, func(c *Config) { c.Timeout = 300 * time.Millisecond; c.MaxRetries = 5 })
			err := c.Write(background, "360buy.order.sop.outstorage", map[string]string{"order_id": "16050909"}, nil)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Outcome != tc.outcome || e.Method != "360buy.order.sop.outstorage" {
				t.Fatalf("err = %v (%#v), want kind %v outcome %v", err, e, tc.kind, tc.outcome)
			}
			if MayHaveTakenEffect(err) != (tc.outcome == MaybeApplied) {
				t.Error("MayHaveTakenEffect disagrees with Outcome")
			}
			if n := len(f.Calls()); n != 1 {
				t.Errorf("%d calls, want exactly 1", n)
			}
		})
	}
}

func TestWriteStallIsTimeout(t *testing.T) {
	f := newFakeJOS(t, replies(reply{stall: true}))
	err := newTestClient(t, f.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond }).
		Write(background, "360buy.order.sop.outstorage", nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !MayHaveTakenEffect(err) {
		t.Errorf("err = %v, want a deadline that may have taken effect", err)
	}
}

func TestWriteConnectionRefused(t *testing.T) {
	ct := &countingTransport{next: http.DefaultTransport}
	err := newTestClient(t, refusedURL(t), withCounter(ct), func(c *Config) { c.MaxRetries = 3 }).
		Write(background, "360buy.order.sop.outstorage", nil, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTransport || e.Outcome != NotApplied {
		t.Errorf("err = %v, want transport, not applied", err)
	}
	if n := ct.n.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestWriteSuccess(t *testing.T) {
	f := newFakeJOS(t, replies(ok(sopOutstorage)))
	var r shipReply
	if err := newTestClient(t, f.URL).Write(background, "360buy.order.sop.outstorage", nil, &r); err != nil || r.OrderID != "16050909" {
		t.Fatalf("Write: %v, %+v", err, r)
	}
}

// JOS said yes but the body does not fit: the write happened, so it is reported as such.
func TestWriteBodyMismatchMayHaveTakenEffect(t *testing.T) {
	f := newFakeJOS(t, replies(ok(sopOutstorage)))
	var r struct {
		OrderID bool `json:"order_id"`
	}
	err := newTestClient(t, f.URL).Write(background, "360buy.order.sop.outstorage", nil, &r)
	if KindOf(err) != KindMalformed || !MayHaveTakenEffect(err) {
		t.Errorf("err = %v", err)
	}
}

// The caller's own cancellation mid-call stops a read without retrying.
func TestReadCallerCancelNotRetried(t *testing.T) {
	f := newFakeJOS(t, replies(reply{stall: true}))
	ctx, cancel := context.WithTimeout(background, 100*time.Millisecond)
	defer cancel()
	err := newTestClient(t, f.URL, func(c *Config) { c.MaxRetries = 3 }).Read(ctx, "360buy.order.get", nil, nil)
	if KindOf(err) != KindTransport || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// A read stops retrying when the next attempt would start after its time budget, whatever
// MaxRetries allows: one read never keeps a batch waiting for minutes.
func TestReadStopsAtItsBudget(t *testing.T) {
	f := newFakeJOS(t, replies(ok(busyReply)))
	err := newTestClient(t, f.URL, func(c *Config) {
		c.MaxRetries, c.Backoff, c.ReadBudget = 50, 40*time.Millisecond, 300*time.Millisecond
	}).Read(background, "360buy.order.get", nil, nil)
	if KindOf(err) != KindServer || !strings.Contains(err.Error(), "gave up after") {
		t.Fatalf("err = %v", err)
	}
	// Backoffs of 20-40, 40-80, 80-160 ms… fit at most a handful of attempts into 300 ms.
	if n := len(f.Calls()); n < 2 || n > 8 {
		t.Errorf("%d calls within the budget", n)
	}
}

// A call JD refused for its quota was not carried out: it goes again, a read without using up
// its retries and a write too, once the rate limit, cut for the refusal, gives it a slot.
func TestQuotaRefusals(t *testing.T) {
	var cuts []float64
	f := newFakeJOS(t, replies(ok(quotaReply), reply{status: 429}, ok(okOrder)))
	c := newTestClient(t, f.URL, func(c *Config) {
		c.MaxRetries, c.RateLimit = 1, 40
		c.OnRateCut = func(r float64) { cuts = append(cuts, r) }
	})
	if err := c.Read(background, "360buy.order.get", nil, nil); err != nil || len(f.Calls()) != 3 {
		t.Fatalf("read: %v after %d calls, want success on the 3rd", err, len(f.Calls()))
	}
	if len(cuts) != 2 || cuts[1] >= cuts[0] || cuts[0] >= 40 || c.Rate() >= 40 {
		t.Errorf("rate cuts %v, rate now %v", cuts, c.Rate())
	}
	// Successes bring the rate back up, never past the configured one.
	before := c.Rate()
	for range 3 {
		c.limit.ok()
	}
	if r := c.Rate(); r <= before || r > 40 {
		t.Errorf("rate %v after successes, was %v", r, before)
	}

	w := newFakeJOS(t, replies(ok(quotaReply), ok(`{"order_sop_outstorage_response":{"code":"0"}}`)))
	if err := newTestClient(t, w.URL).Write(background, "360buy.order.sop.outstorage", map[string]string{"order_id": "1"}, nil); err != nil || len(w.Calls()) != 2 {
		t.Errorf("write: %v after %d calls, want success on the 2nd", err, len(w.Calls()))
	}

	// A quota that does not lift (a daily one) ends within QuotaBudget, as a quota error.
	q := newFakeJOS(t, replies(ok(quotaReply)))
	err := newTestClient(t, q.URL, func(c *Config) { c.QuotaBudget = 100 * time.Millisecond }).Read(background, "360buy.order.get", nil, nil)
	if KindOf(err) != KindQuota || !strings.Contains(err.Error(), "still refused it for its quota") || len(q.Calls()) < 2 {
		t.Errorf("lasting quota: %v after %d calls", err, len(q.Calls()))
	}
}

// Many goroutines refused at once cut the rate once, not once each, and the cut starts from
// what JD accepted in the last second when that is below the limit.
func TestLimiterQuotaCutsOnce(t *testing.T) {
	now := t0
	l := newLimiter(100, 1, func() time.Time { return now })
	for range 30 {
		now = now.Add(10 * time.Millisecond)
		l.reserve(now, time.Time{})
		l.ok()
	}
	started := now.Add(-time.Millisecond)
	for range 10 {
		l.quota(started)
	}
	if r := l.Rate(); r != 30*quotaCut {
		t.Errorf("rate %v after 10 refusals of calls under way, want one cut from the 30 calls/s JD accepted: %v", r, 30*quotaCut)
	}
	l.quota(now.Add(time.Millisecond))
	if r := l.Rate(); r >= 30*quotaCut {
		t.Errorf("a refusal after the cut did not cut again: %v", r)
	}
}
