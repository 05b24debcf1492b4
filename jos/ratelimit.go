package jos

import (
	"context"
	"fmt"
	"station/internal/ctxtime"
	"sync"
	"time"
)

// limiter is a token bucket kept as a virtual schedule (GCRA): next is when the bucket would
// be empty again if calls went out at exactly the rate; a call may start up to burst-1
// intervals before that. Each caller books the next free slot and sleeps until it. The bucket
// is shared by every goroutine using the client, retries included. A small burst lets one
// scan's few calls (order, print data, outstorage) go out at once, while a batch still
// averages the rate.
type limiter struct {
	interval time.Duration
	slack    time.Duration // (burst-1) intervals
	now      func() time.Time

	mu   sync.Mutex
	next time.Time
}

func newLimiter(perSecond float64, burst int, now func() time.Time) *limiter {
	interval := time.Duration(float64(time.Second) / perSecond)
	return &limiter{interval: interval, slack: time.Duration(max(burst, 1)-1) * interval, now: now}
}

// reserve books the next slot at or after now and returns how long to wait for it. If the
// slot would start after deadline (when set), nothing is booked and ok is false.
func (l *limiter) reserve(now, deadline time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.next
	if next.Before(now) {
		next = now
	}
	start := next.Add(-l.slack)
	if start.Before(now) {
		start = now
	}
	if !deadline.IsZero() && start.After(deadline) {
		return 0, false
	}
	l.next = next.Add(l.interval)
	return start.Sub(now), true
}

// wait blocks until the caller's slot, or until ctx ends. A slot booked by a caller that then
// gives up stays used: that only makes later callers a little slower, never faster.
func (l *limiter) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	d, ok := l.reserve(l.now(), deadline)
	if !ok {
		return fmt.Errorf("the rate limit (one call every %v) leaves no slot before the deadline: %w",
			l.interval, context.DeadlineExceeded)
	}
	if d <= 0 {
		return nil
	}
	return ctxtime.Sleep(ctx, d)
}
