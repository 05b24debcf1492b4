package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"station/jos"
	"station/jos/jostest"
)

// globals are the settings every command shares. Each flag also reads an environment variable,
// so that the secret need not sit in shell history.
type globals struct {
	endpoint  string
	appKey    string
	appSecret string
	token     string
	demo      bool
	journal   string
	rate      float64
	timeout   time.Duration
}

func (g *globals) fromEnv() {
	g.endpoint = os.Getenv("STATION_ENDPOINT")
	g.appKey = os.Getenv("STATION_APP_KEY")
	g.appSecret = os.Getenv("STATION_APP_SECRET")
	g.token = os.Getenv("STATION_ACCESS_TOKEN")
	g.rate = 10
	g.timeout = 10 * time.Second
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.endpoint, "endpoint", g.endpoint, "JOS router URL (env STATION_ENDPOINT), e.g. https://api.jd.com/routerjson")
	fs.StringVar(&g.appKey, "app-key", g.appKey, "JOS app key (env STATION_APP_KEY)")
	fs.StringVar(&g.appSecret, "app-secret", g.appSecret, "JOS app secret (env STATION_APP_SECRET)")
	fs.StringVar(&g.token, "token", g.token, "JOS access token (env STATION_ACCESS_TOKEN)")
	fs.BoolVar(&g.demo, "demo", g.demo, "use an in-process JOS simulator with demo orders and credentials")
	fs.StringVar(&g.journal, "journal", g.journal, "journal database `path` (default: in the user's config directory)")
	fs.Float64Var(&g.rate, "rate", g.rate, "JOS calls per second at most (negative: no limit, e.g. against a local simulator)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "time limit for one JOS call")
}

// connect returns a JOS client for the configured endpoint, or for an in-process simulator with
// -demo. close releases the simulator.
func (e *env) connect() (c *jos.Client, close func(), err error) {
	g := e.g
	close = func() {}
	if g.demo {
		sim, err := jostest.Start(jostest.Options{}, "")
		if err != nil {
			return nil, nil, fmt.Errorf("starting the demo simulator: %w", err)
		}
		close = func() { sim.Close() }
		g.endpoint, g.appKey, g.appSecret, g.token = sim.URL, jostest.DemoAppKey, jostest.DemoAppSecret, jostest.DemoAccessToken
	}
	if g.endpoint == "" {
		close()
		return nil, nil, usagef("no JOS endpoint: give -endpoint (or STATION_ENDPOINT) with -app-key, -app-secret and -token, or -demo for the built-in simulator")
	}
	c, err = jos.New(jos.Config{
		Endpoint:    g.endpoint,
		AppKey:      g.appKey,
		AppSecret:   g.appSecret,
		AccessToken: g.token,
		Timeout:     g.timeout,
		RateLimit:   g.rate,
	})
	if err != nil {
		close()
		return nil, nil, err
	}
	return c, close, nil
}

// explain turns an error into one line that says what failed and what to do.
func explain(err error) string {
	var je *jos.Error
	if !errors.As(err, &je) {
		return err.Error()
	}
	hint := ""
	switch je.Kind {
	case jos.KindAuth:
		hint = "the access token is missing, wrong or expired: get a new one from JD and set -token"
	case jos.KindCredentials:
		hint = "the signature was refused: check the app key and app secret"
	case jos.KindClock:
		hint = "JD refused the timestamp: set this computer's clock right (JD allows 6 minutes)"
	case jos.KindPermission:
		hint = "this app or shop may not call this API: enable it for the app on JD's open platform"
	case jos.KindQuota:
		hint = "JD's call quota is used up: wait and try again later"
	case jos.KindServer, jos.KindTransport:
		hint = "JD did not answer properly: check the network and try again"
	case jos.KindMalformed:
		hint = "JD's reply could not be read: try again; if it persists, report it"
	}
	if je.Outcome == jos.MaybeApplied {
		hint = "it is not known whether JD applied the change: check the order before trying again"
	}
	if hint == "" {
		return err.Error()
	}
	return err.Error() + " — " + hint
}
