// Package jostest is a simulator of the JD Open Platform (JOS) order and after-sales services, in the manner of
// net/http/httptest: an http.Handler that speaks JOS's wire protocol (signed form posts to
// /routerjson, JSON envelopes with JD's quirks) over a deterministic set of orders (made by jostest/shop).
//
// It is the station's built-in demo backend and the server every test talks to. It checks
// requests as JD does (signature, timestamp window, app key, token, version, method), keeps an
// order state machine (outstorage, waybill update), and can inject the faults a real network and
// a busy JD produce: HTTP 500, stalled replies, busy and quota errors, malformed JSON, and writes
// that took effect but whose reply was lost. GET /_sim/ledger tells tests exactly which
// outstorage calls were applied.
//
// Besides the order service it serves merchant remarks, delete requests, overseas outstorage and
// delivery, FBP orders, JD's own label (§3-5, §13-14, §18-21), the logistics track (seed 001)
// and the after-sales service (seed 000, afs.go).
//
// Reply shapes follow JD's reference (order-service §1-21): codes as strings, amounts as strings,
// the outstorage order_id as a number, pickUpSign_type as a number, "Consignee" capitalized and
// "ware" instead of "ware_id" in print data, waybill-update envelopes without a _response suffix,
// trailing spaces in some phone numbers. In 360buy.delivery.logistics.get, logistics_id is a
// number, sequence and agree_flag are strings and iscod is a boolean.
package jostest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

// Demo credentials: the simulator's defaults. They open nothing at JD.
const (
	DemoAppKey      = "demo-app-key"
	DemoAppSecret   = "demo-app-secret"
	DemoAccessToken = "demo-access-token"
)

const (
	DefaultSeed   = 1
	DefaultOrders = 200
	// The demo's overseas and FBP orders (Demo).
	DemoOverseas = 12
	DemoFBP      = 8
	// MaxOrders bounds Options.Orders; the orders live in memory.
	MaxOrders = 100000
)

const (
	routerPath = "/routerjson"
	ledgerPath = "/_sim/ledger"

	timeLayout = jos.TimeLayout
	// maxRequestBytes bounds a request body; JOS requests are a few hundred bytes.
	maxRequestBytes = 1 << 20
	// stallFor is how long a stalled reply is held: longer than any sane client timeout. It ends
	// earlier when the client gives up or the server closes.
	stallFor = 10 * time.Minute
)

// Options configures a simulator. The zero value is the demo: 200 orders from seed 1, demo
// credentials, no faults.
type Options struct {
	AppKey, AppSecret, AccessToken string // "" → the demo ones

	Orders int   // number of orders generated; 0 → DefaultOrders
	Seed   int64 // order generation seed; 0 → DefaultSeed
	// Overseas and FBP add 海外购 orders (shipped with the overseas outstorage and delivery)
	// and FBP orders (JD's warehouse ships them; only 360buy.order.fbp.* sees them) beside the
	// others, drawn from streams of their own: the first Orders orders stay as they are.
	Overseas, FBP int

	FaultRate float64 // 0..1: share of calls that fail with an injected fault
	FaultSeed int64
	Faults    []Fault // kinds to draw from; nil → all

	Latency time.Duration // added to every call (not to the ledger)

	// Quota is JOS's call quota: at most Quota calls per second (of the wall clock) per app
	// key; the rest are refused with error 2 and not carried out. 0: no quota.
	Quota int

	// Refusals is the shape of business refusals (order not found, already shipped, bad
	// waybill…): RefusalsMixed (the default) draws, from FaultSeed, for each one whether it
	// comes inside the method's envelope or as a top-level error_response with a 104xxxxx code,
	// as JD gives both.
	Refusals RefusalShape

	// Now is the server's clock, for the timestamp check, creation times and modification
	// times. nil → time.Now.
	Now func() time.Time
}

// Demo is the options of the built-in demo: the default orders, some overseas and FBP ones.
func Demo() Options { return Options{Overseas: DemoOverseas, FBP: DemoFBP} }

func (o Options) check() error {
	if o.Orders < 0 || o.Orders > MaxOrders {
		return fmt.Errorf("jostest: Orders must be between 0 and %d, not %d", MaxOrders, o.Orders)
	}
	if o.Overseas < 0 || o.FBP < 0 || o.Overseas+o.FBP > MaxOrders {
		return fmt.Errorf("jostest: Overseas and FBP must be between 0 and %d together, not %d and %d", MaxOrders, o.Overseas, o.FBP)
	}
	if math.IsNaN(o.FaultRate) || o.FaultRate < 0 || o.FaultRate > 1 {
		return fmt.Errorf("jostest: FaultRate must be between 0 and 1, not %v", o.FaultRate)
	}
	for _, f := range o.Faults {
		if !f.valid() {
			return fmt.Errorf("jostest: unknown fault %q (known: %s)", f, faultNames())
		}
	}
	if o.Faults != nil && len(o.Faults) == 0 && o.FaultRate > 0 {
		return errors.New("jostest: FaultRate is set but Faults is empty")
	}
	if !o.Refusals.valid() {
		return fmt.Errorf("jostest: unknown refusal shape %q", o.Refusals)
	}
	if o.Quota < 0 {
		return fmt.Errorf("jostest: Quota must not be negative, not %d", o.Quota)
	}
	if o.Latency < 0 {
		return fmt.Errorf("jostest: Latency must not be negative, not %v", o.Latency)
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.AppKey == "" {
		o.AppKey = DemoAppKey
	}
	if o.AppSecret == "" {
		o.AppSecret = DemoAppSecret
	}
	if o.AccessToken == "" {
		o.AccessToken = DemoAccessToken
	}
	if o.Orders == 0 {
		o.Orders = DefaultOrders
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Faults == nil {
		o.Faults = allFaults
	}
	o.Faults = append([]Fault(nil), o.Faults...)
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Server is the simulator: an http.Handler. It is safe for concurrent use.
type Server struct {
	opts     Options
	venderID string

	mu      sync.Mutex // guards the mutable part of every order, and tradeNos
	orders  []*order   // sorted by id
	byID    map[string]*order
	fbp     []*order // FBP orders: only the FBP methods see them
	fbpByID map[string]*order

	afsCases   map[int64]*afsCase // after-sales cases by id
	afsByOrder map[string][]*afsCase
	afsNext    int64
	afsApplies int
	tradeNos   map[string]bool // trade_no values of applied writes

	images imageCache
	faults *faultSource
	shapes *shapeSource
	quota  quotaCounter

	quit     chan struct{} // closed by stop: ends stalls and latency sleeps
	quitOnce sync.Once
}

// New generates the orders and returns the simulator. It panics on invalid options (a
// FaultRate outside 0..1, an unknown fault, a negative Orders), as they are programming errors;
// Start returns them as errors instead.
func New(opts Options) *Server {
	if err := opts.check(); err != nil {
		panic(err.Error())
	}
	opts = opts.withDefaults()
	s := &Server{
		opts:     opts,
		byID:     make(map[string]*order, opts.Orders),
		tradeNos: map[string]bool{},
		faults:   newFaultSource(opts),
		shapes:   newShapeSource(opts),
		quit:     make(chan struct{}),
	}
	var generated []*shop.Order
	s.venderID, generated = shop.Generate(opts.Seed, opts.Orders, s.now())
	s.orders = make([]*order, len(generated))
	for i, g := range generated {
		s.orders[i] = &order{Order: *g}
		s.byID[g.ID] = s.orders[i]
	}
	last := "20000000000"
	if len(generated) > 0 {
		last = generated[len(generated)-1].ID
	}
	overseas, fbp := shop.Extra(opts.Seed, opts.Overseas, opts.FBP, s.now(), last)
	for _, g := range overseas {
		o := &order{Order: *g}
		s.orders = append(s.orders, o)
		s.byID[g.ID] = o
	}
	s.fbpByID = make(map[string]*order, len(fbp))
	for _, g := range fbp {
		o := &order{Order: *g}
		s.fbp = append(s.fbp, o)
		s.fbpByID[g.ID] = o
	}
	s.afsCases, s.afsByOrder = map[int64]*afsCase{}, map[string][]*afsCase{}
	s.seedAfs()
	return s
}

// now is the server's clock in China time, to the second (JOS times have no fractions).
func (s *Server) now() time.Time {
	return s.opts.Now().In(jos.ChinaTime).Truncate(time.Second)
}

func (s *Server) stop() { s.quitOnce.Do(func() { close(s.quit) }) }

// wait sleeps for d unless the request ends or the server stops first; it reports whether the
// full time passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.quit:
		return false
	}
}

// abandon ends a call that wait cut short: when the server is closing, the connection is dropped
// rather than answered with an empty reply.
func (s *Server) abandon() {
	select {
	case <-s.quit:
		panic(http.ErrAbortHandler)
	default: // the client hung up: nobody is listening
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case ledgerPath:
		s.serveLedger(w, r)
		return
	case routerPath, "/":
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed: JOS takes GET or POST", http.StatusMethodNotAllowed)
		return
	}
	// Reading the body first also lets net/http notice a client that hangs up during a stall.
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	if !s.wait(ctx, s.opts.Latency) {
		s.abandon()
		return
	}

	if s.opts.Quota > 0 && !s.quota.take(r.Form.Get("app_key"), s.opts.Quota, time.Now()) {
		gateway.WriteJSON(w, quotaRefusal().Reply("", false))
		return
	}

	f := s.faults.draw()
	m, known := methods[r.Form.Get("method")]
	switch f.kind {
	case FaultHTTP500:
		gateway.WriteHTML(w, http.StatusInternalServerError, "500 Internal Server Error")
		return
	case FaultStall: // before anything is applied
		if !s.wait(ctx, stallFor) {
			s.abandon()
			return
		}
		gateway.WriteHTML(w, http.StatusGatewayTimeout, "504 Gateway Time-out")
		return
	case FaultBusy:
		e := gateway.Gateway(jos.CodeBackendUnavailable, "服务繁忙,请稍后重试", "Backend service unavailable, please retry later")
		if f.variant%2 == 1 {
			e = gateway.Gateway(jos.CodeServiceUnavailable, "服务不可用", "Service unavailable")
		}
		gateway.WriteJSON(w, e.Reply("", false))
		return
	case FaultQuota:
		gateway.WriteJSON(w, quotaRefusal().Reply("", false))
		return
	case FaultMalformed:
		if known && m.write { // the reply is garbled and the write was not applied
			gateway.WriteJSON(w, []byte(`{"`+m.key+`":{"code":"0","vender_id":"`+s.venderID+`","modi`))
			return
		}
	}

	body := s.handle(r.Form)

	switch f.kind {
	case FaultMalformed: // a read cut off in transit
		gateway.WriteJSON(w, body[:len(body)/2])
	case FaultLostReply: // applied, but the reply never arrives
		s.loseReply(ctx, w, f.variant)
	default:
		gateway.WriteJSON(w, body)
	}
}

// handle verifies a request like the JOS gateway and runs the method; it returns the reply body.
func (s *Server) handle(form url.Values) []byte {
	name, p, aerr := gateway.Verify(form, gateway.Credentials{AppKey: s.opts.AppKey, AppSecret: s.opts.AppSecret,
		AccessToken: s.opts.AccessToken}, s.opts.Now(), func(name string) bool { _, ok := methods[name]; return ok })
	if aerr != nil {
		return aerr.Reply("", false)
	}
	m := methods[name]
	body, aerr := m.call(s, p)
	if aerr != nil {
		return aerr.Reply(m.key, s.shapes.topLevel())
	}
	body["code"] = "0"
	return gateway.Marshal(map[string]any{m.key: body})
}

// Start listens on addr ("" → 127.0.0.1 on a free port) and serves a new simulator until Close.
func Start(opts Options, addr string) (*Running, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("jostest: listening on %s: %w", addr, err)
	}
	s := New(opts)
	r := &Running{
		URL:    routerURL(ln.Addr()),
		Server: s,
		srv:    &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute},
		served: make(chan struct{}),
	}
	go func() {
		defer close(r.served)
		r.srv.Serve(ln)
	}()
	return r, nil
}

// Running is a simulator serving on a real port.
type Running struct {
	URL    string // router URL, ending /routerjson
	Server *Server

	srv    *http.Server
	served chan struct{}
}

// Close stops serving: stalled and delayed calls are cut short, the others are given a few
// seconds to finish.
func (r *Running) Close() error {
	r.Server.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if err != nil {
		err = r.srv.Close()
	}
	<-r.served
	return err
}

func routerURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + routerPath
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + routerPath
}

// StartT starts a simulator for a test (on a loopback port) and closes it when the test ends.
func StartT(tb testing.TB, opts Options) *Running {
	tb.Helper()
	sim, err := Start(opts, "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sim.Close() })
	return sim
}

func quotaRefusal() *gateway.Error {
	return gateway.Gateway(jos.CodeQuota, "调用次数超限", "Call quota exceeded")
}

// quotaCounter counts each app's calls in the current second of the wall clock, as a gateway's
// per-second quota does.
type quotaCounter struct {
	mu       sync.Mutex
	second   int64
	calls    map[string]int
	refused  int // calls refused for the quota since the start
	accepted int // calls let through under the quota since the start
}

// QuotaRefusals counts the calls Options.Quota refused (not the injected quota faults).
func (s *Server) QuotaRefusals() int {
	s.quota.mu.Lock()
	defer s.quota.mu.Unlock()
	return s.quota.refused
}

// QuotaAccepted counts the calls Options.Quota let through: with the wall time of a run, the
// share of the quota a client used.
func (s *Server) QuotaAccepted() int {
	s.quota.mu.Lock()
	defer s.quota.mu.Unlock()
	return s.quota.accepted
}

// take reports whether app may make one more call at now within a quota of perSecond.
func (q *quotaCounter) take(app string, perSecond int, now time.Time) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if sec := now.Unix(); sec != q.second || q.calls == nil {
		q.second, q.calls = sec, map[string]int{}
	}
	if q.calls[app] >= perSecond {
		q.refused++
		return false
	}
	q.calls[app]++
	q.accepted++
	return true
}

// ClientT is a JOS client on a running simulator with its demo credentials, for tests: no
// rate limit, quick retries of reads, timeout for each call.
func ClientT(tb testing.TB, sim *Running, timeout time.Duration) *jos.Client {
	tb.Helper()
	c, err := jos.New(jos.Config{Endpoint: sim.URL, AppKey: DemoAppKey, AppSecret: DemoAppSecret, AccessToken: DemoAccessToken,
		Timeout: timeout, RateLimit: -1, Backoff: time.Millisecond, MaxRetries: 5})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
