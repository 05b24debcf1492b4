package jos

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"station/internal/ctxtime"
	"strings"
	"time"
)

// call runs a method: reads up to 1+maxRetries attempts within readBudget, writes exactly one.
// A call refused for JD's quota is the exception for both: JD did not carry it out, so it goes
// again once the slowed-down rate limit gives it a slot, for up to quotaBudget, without using
// up the read's attempts. This is the station's one retry layer for JOS reads: nothing above
// it repeats a read.
func (c *Client) call(ctx context.Context, method string, params any, out any, write bool) error {
	if strings.TrimSpace(method) == "" {
		return &Error{Method: "(no method)", Kind: KindInvalid, Err: fmt.Errorf("jos: no method name")}
	}
	pj, err := paramJSON(params)
	if err != nil {
		return &Error{Method: method, Kind: KindInvalid, Err: fmt.Errorf("encoding the parameters: %w", err)}
	}
	attempts := 1
	if !write {
		attempts += c.maxRetries
	}
	begin := time.Now()
	budgetEnd, quotaEnd := begin.Add(c.readBudget), begin.Add(c.quotaBudget)
	for n, try := 1, 1; ; try++ {
		if err := c.limit.wait(ctx); err != nil {
			return &Error{Method: method, Kind: KindTransport, Err: fmt.Errorf("waiting for the rate limit: %w", err)}
		}
		start := time.Now()
		f := c.attempt(ctx, method, pj, out)
		quota := f != nil && f.err.Kind == KindQuota && f.err.Outcome == NotApplied
		var retry bool
		if quota {
			c.limit.quota(start)
			retry = time.Now().Before(quotaEnd) && ctx.Err() == nil
		} else {
			c.limit.ok()
			retry = f != nil && f.retry && !write && n < attempts && ctx.Err() == nil
		}
		c.logAttempt(ctx, method, try, write, time.Since(start), f, retry)
		if f == nil {
			return nil
		}
		if !write {
			// For a read nothing can have been applied; the flag only matters to writes.
			f.err.Outcome = NotApplied
		}
		if quota {
			if !retry {
				return gaveUp(f.err, fmt.Errorf("JD still refused it for its quota after %s", time.Since(begin).Round(time.Second)))
			}
			continue // the limiter, cut for the refusal, spaces the next try
		}
		if !retry {
			return f.err
		}
		wait := c.backoffBefore(n)
		if time.Now().Add(wait).After(budgetEnd) {
			return gaveUp(f.err, fmt.Errorf("gave up after %d attempts within %s", n, c.readBudget))
		}
		if err := ctxtime.Sleep(ctx, wait); err != nil {
			return gaveUp(f.err, fmt.Errorf("stopped retrying: %w", err))
		}
		n++
	}
}

// gaveUp is the last attempt's error with why no more attempts were made.
func gaveUp(last *Error, why error) *Error {
	e := *last
	if e.Err != nil {
		e.Err = fmt.Errorf("%w; %w", e.Err, why)
	} else {
		e.Err = why
	}
	return &e
}

// backoffBefore is the delay before attempt n+1: exponential from c.backoff, capped at 25
// times it, with "equal jitter" (half fixed, half random) so that many stations hitting the
// same outage do not come back in step.
func (c *Client) backoffBefore(n int) time.Duration {
	d := c.backoff
	for i := 1; i < n && d < c.backoff*backoffCapFactor; i++ {
		d *= 2
	}
	d = min(d, c.backoff*backoffCapFactor)
	return d/2 + rand.N(d/2+1)
}

// logAttempt records one attempt: method, attempt number, duration and result. Never the
// parameters or the reply (consignee data), never the credentials.
func (c *Client) logAttempt(ctx context.Context, method string, n int, write bool, d time.Duration, f *failure, retry bool) {
	attrs := []slog.Attr{
		slog.String("method", method),
		slog.Int("attempt", n),
		slog.Duration("duration", d),
	}
	if f == nil {
		c.log.LogAttrs(ctx, slog.LevelDebug, "jos call", append(attrs, slog.String("result", "ok"))...)
		return
	}
	e := f.err
	attrs = append(attrs, slog.String("result", e.Kind.String()))
	if e.Code != "" {
		attrs = append(attrs, slog.String("code", e.Code), slog.String("desc", e.Desc()))
	}
	if e.HTTP != 0 {
		attrs = append(attrs, slog.Int("http", e.HTTP))
	}
	if e.Kind == KindTransport && e.Err != nil {
		attrs = append(attrs, slog.String("cause", e.Err.Error())) // network errors: host and port, no content
	}
	if write {
		attrs = append(attrs, slog.String("outcome", e.Outcome.String()))
	}
	attrs = append(attrs, slog.Bool("retry", retry))
	c.log.LogAttrs(ctx, slog.LevelWarn, "jos call failed", attrs...)
}
