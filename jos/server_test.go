package jos

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Credentials the tests look for in every error text and log line: they must never show up.
const (
	testAppKey = "station-test-app"
	testSecret = "SECRET-f00d-must-not-leak"
	testToken  = "TOKEN-beef-must-not-leak"
)

// joscall is what the fake JOS router received, after checking the signature.
type joscall struct {
	N         int // 1-based call number
	Method    string
	Params    string // 360buy_param_json as received
	Timestamp string
	Form      url.Values
}

// reply is what a fake JOS answers: an HTTP status and a body, or a special behaviour.
type reply struct {
	status int
	body   string
	stall  bool // hold the reply until the client gives up
	reset  bool // read the request, then drop the connection without answering
	short  bool // promise more bytes than sent, then drop the connection
}

func ok(body string) reply { return reply{status: 200, body: body} }

// fakeJOS is a JOS router speaking the real wire format: it accepts only signed form POSTs
// (answering error 12 like JOS when the signature is wrong) and records every call.
type fakeJOS struct {
	*httptest.Server
	t      testing.TB
	secret string
	answer func(c joscall) reply

	mu    sync.Mutex
	calls []joscall
}

func newFakeJOS(t testing.TB, answer func(c joscall) reply) *fakeJOS {
	f := &fakeJOS{t: t, secret: testSecret, answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// replies answers the calls in order, repeating the last reply.
func replies(rs ...reply) func(joscall) reply {
	return func(c joscall) reply { return rs[min(c.N, len(rs))-1] }
}

func (f *fakeJOS) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.RawQuery != "" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		f.t.Errorf("fake JOS: got %s %s with Content-Type %q, want a form POST without query",
			r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	params := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) != 1 {
			f.t.Errorf("fake JOS: form field %s sent %d times", k, len(v))
		}
		params[k] = v[0]
	}
	if got, want := params["sign"], Sign(f.secret, params); got != want {
		w.Write([]byte(`{"error_response":{"code":"12","zh_desc":"签名无效","en_desc":"Invalid signature"}}`))
		return
	}
	f.mu.Lock()
	c := joscall{N: len(f.calls) + 1, Method: params["method"], Params: params["360buy_param_json"],
		Timestamp: params["timestamp"], Form: r.PostForm}
	f.calls = append(f.calls, c)
	f.mu.Unlock()

	rep := f.answer(c)
	switch {
	case rep.stall:
		<-r.Context().Done()
	case rep.reset:
		hijackAndClose(f.t, w, "")
	case rep.short:
		hijackAndClose(f.t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"+rep.body)
	default:
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(rep.status)
		w.Write([]byte(rep.body))
	}
}

func hijackAndClose(t testing.TB, w http.ResponseWriter, raw string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	buf.WriteString(raw)
	buf.Flush()
	conn.Close()
}

func (f *fakeJOS) Calls() []joscall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]joscall(nil), f.calls...)
}

// newTestClient is a client for the fake: no rate limit, near-zero backoff, 2s per attempt.
func newTestClient(t testing.TB, endpoint string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Endpoint: endpoint, AppKey: testAppKey, AppSecret: testSecret, AccessToken: testToken,
		Timeout: 2 * time.Second, RateLimit: -1, Backoff: time.Microsecond}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// countingTransport counts the HTTP attempts that left the client, reachable server or not.
type countingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
	// after, if set, runs when an attempt returns (to cancel a context mid-call, say).
	after func()
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.n.Add(1)
	resp, err := ct.next.RoundTrip(r)
	if ct.after != nil {
		ct.after()
	}
	return resp, err
}

func withCounter(ct *countingTransport) func(*Config) {
	return func(c *Config) { c.HTTPClient = &http.Client{Transport: ct} }
}

// refusedURL is a loopback URL where nothing listens.
func refusedURL(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/routerjson"
}

// logBuffer collects a client's log output (every level) for inspection.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var background = context.Background()
