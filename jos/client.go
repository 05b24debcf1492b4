// Package jos is the client of JD's Open Platform (JOS): requests signed as JD signs them and
// sent as form POSTs in China time, replies unwrapped from their envelopes, failures as typed
// errors (kind, code, whether a write may have taken effect), the one retry layer for reads
// (never for writes) and a rate limit shared by every caller.
package jos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config configures a Client. AppSecret and AccessToken are credentials: Config's String,
// GoString and LogValue mask them so that printing or logging a Config cannot leak them.
type Config struct {
	Endpoint    string        // router URL, e.g. https://api.jd.com/routerjson; plain http only for loopback
	AppKey      string        // the app's key
	AppSecret   string        // the app's secret; only ever used to sign
	AccessToken string        // the merchant's OAuth token
	Timeout     time.Duration // per HTTP attempt; 0 → 10s
	MaxRetries  int           // extra attempts for reads; 0 → 6, negative → none
	// ReadBudget bounds the time one read may take with all its retries (a retry that would
	// start after it is not made); 0 → 30s.
	ReadBudget time.Duration
	// RateLimit is the most calls per second across the client; 0 → 50, negative → no limit
	// of its own. Below it, the client slows down on JD's quota refusals and creeps back up.
	RateLimit float64
	Burst     int // calls that may go out at once before the rate applies; 0 → 3
	// QuotaBudget bounds how long one call keeps trying while JD refuses it for its quota
	// (a refused call was not carried out, so a write may go again too); 0 → 2 minutes.
	QuotaBudget time.Duration
	// OnRateCut, if set, hears each slow-down for JD's quota, with the new calls per second.
	OnRateCut  func(perSecond float64)
	Backoff    time.Duration // first delay between read retries, doubled each time up to 25×; 0 → 200ms
	HTTPClient *http.Client  // optional; redirects are never followed whatever it says
	Logger     *slog.Logger  // optional; never given secrets, parameters or replies
	Now        func() time.Time
}

// DefaultRateLimit is the calls per second a client starts from when Config.RateLimit is 0;
// JD's quota cuts it further (see limiter).
const DefaultRateLimit = 50

const (
	defaultTimeout     = 10 * time.Second
	defaultMaxRetries  = 6
	defaultReadBudget  = 30 * time.Second
	defaultQuotaBudget = 2 * time.Minute
	defaultBurst       = 3
	defaultBackoff     = 200 * time.Millisecond
	backoffCapFactor   = 25 // 200ms doubles up to 5s
)

func (c Config) String() string {
	return fmt.Sprintf("jos.Config{Endpoint:%q AppKey:%q AppSecret:%s AccessToken:%s}",
		c.Endpoint, c.AppKey, mask(c.AppSecret), mask(c.AccessToken))
}

func (c Config) GoString() string { return c.String() }

// LogValue keeps the credentials out of slog output, whatever the handler.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("endpoint", c.Endpoint), slog.String("app_key", c.AppKey),
		slog.String("app_secret", mask(c.AppSecret)), slog.String("access_token", mask(c.AccessToken)))
}

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return "***"
}

// Client calls JOS methods. It is safe for concurrent use; its rate limit is shared by all
// the goroutines that use it.
type Client struct {
	endpoint    string
	appKey      string
	appSecret   string
	accessToken string
	timeout     time.Duration
	maxRetries  int
	readBudget  time.Duration
	quotaBudget time.Duration
	backoff     time.Duration
	http        *http.Client
	log         *slog.Logger
	now         func() time.Time
	limit       *limiter
}

// New checks cfg and returns a client. It does no I/O.
func New(cfg Config) (*Client, error) {
	endpoint, err := checkEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, value string }{
		{"app key", cfg.AppKey}, {"app secret", cfg.AppSecret}, {"access token", cfg.AccessToken},
	} {
		if strings.TrimSpace(f.value) == "" {
			return nil, fmt.Errorf("jos: the %s is empty: set it in the settings (or the STATION_* environment)", f.name)
		}
	}
	if cfg.Timeout < 0 || cfg.Backoff < 0 || cfg.ReadBudget < 0 || cfg.QuotaBudget < 0 {
		return nil, errors.New("jos: negative timeout, backoff or budget")
	}
	if math.IsNaN(cfg.RateLimit) {
		return nil, errors.New("jos: the rate limit is not a number")
	}
	c := &Client{
		endpoint:    endpoint,
		appKey:      cfg.AppKey,
		appSecret:   cfg.AppSecret,
		accessToken: cfg.AccessToken,
		timeout:     cfg.Timeout,
		maxRetries:  cfg.MaxRetries,
		readBudget:  cfg.ReadBudget,
		quotaBudget: cfg.QuotaBudget,
		backoff:     cfg.Backoff,
		log:         cfg.Logger,
		now:         cfg.Now,
	}
	if c.timeout == 0 {
		c.timeout = defaultTimeout
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.backoff == 0 {
		c.backoff = defaultBackoff
	}
	if c.readBudget == 0 {
		c.readBudget = defaultReadBudget
	}
	if c.quotaBudget == 0 {
		c.quotaBudget = defaultQuotaBudget
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	burst := cfg.Burst
	if burst == 0 {
		burst = defaultBurst
	}
	rate := cfg.RateLimit
	if rate == 0 {
		rate = DefaultRateLimit
	}
	c.limit = newLimiter(rate, burst, time.Now) // negative: no ceiling
	c.limit.onCut = cfg.OnRateCut
	// A copy, so that the caller's client keeps its own redirect policy. Following a redirect
	// would re-send the signed form (token included) to wherever the redirect points, and a
	// 301/302 would even turn the write into a GET without a body.
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	return c, nil
}

// checkEndpoint accepts https anywhere and plain http only on the loopback interface (the
// built-in simulator): the form carries the access token and must not cross a network in clear.
func checkEndpoint(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("jos: the endpoint %q is not a URL", shownEndpoint(raw))
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("jos: the endpoint %q must be an https URL such as https://api.jd.com/routerjson", shownEndpoint(raw))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		// Whatever sits in the URL shows up in every transport error; parameters go in the form.
		return "", fmt.Errorf("jos: the endpoint %s must not carry a user, query or fragment", shownEndpoint(raw))
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("jos: the endpoint %s uses plain http: use https (plain http is only for a simulator on 127.0.0.1)", u)
	}
	return u.String(), nil
}

// shownEndpoint is an endpoint as it may be shown: without what may carry a credential (a
// user and password, a query such as ?access_token=…, a fragment), each replaced by "…".
func shownEndpoint(raw string) string {
	raw = strings.TrimSpace(raw)
	cut := false
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw, cut = raw[:i], true
	}
	if i := strings.Index(raw, "//"); i >= 0 {
		if at := strings.LastIndex(raw[i+2:], "@"); at >= 0 {
			raw = raw[:i+2] + "…@" + raw[i+2+at+1:]
		}
	}
	if cut {
		raw += "?…"
	}
	return raw
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Rate is the calls per second the client allows itself now: the configured limit, or less
// after JD refused calls for its quota; +Inf when there is no limit.
func (c *Client) Rate() float64 { return c.limit.Rate() }

// String shows the endpoint and app key, never the credentials.
func (c *Client) String() string {
	return fmt.Sprintf("jos.Client{%s app_key=%s}", c.endpoint, c.appKey)
}

// Read calls a method that changes nothing at JD. Retried with jittered exponential backoff on
// transport errors, HTTP 5xx and 429, malformed replies, JOS busy/backend codes and quota errors.
// out (may be nil) receives the JSON object under the reply's top-level key.
func (c *Client) Read(ctx context.Context, method string, params any, out any) error {
	return c.call(ctx, method, params, out, false)
}

// Write calls a method that changes state at JD (outstorage, waybill update). Never retried.
// A failure whose outcome is unknown (timeout or connection lost after sending, HTTP 5xx,
// malformed reply, backend timeout codes) is an *Error with Outcome MaybeApplied: reconcile by
// reading the order, never by calling again blindly.
func (c *Client) Write(ctx context.Context, method string, params any, out any) error {
	return c.call(ctx, method, params, out, true)
}
