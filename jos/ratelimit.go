package jos

import (
	"context"
	"fmt"
	"math"
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
//
// The rate adapts to JD's quota as TCP does to a congested link: a quota refusal cuts it to
// quotaCut of what JD accepted in the last second (the quota, when it is the limit), once per
// cut however many calls were already under way; each success adds 1/rate, so that it creeps
// back by about one call per second each second, up to the configured ceiling. An unlimited
// client (ceiling +Inf) becomes limited at its first quota refusal.
type limiter struct {
	burst   int
	ceiling float64 // the configured rate; +Inf: none
	now     func() time.Time
	onCut   func(perSecond float64) // may be nil; called outside the lock

	mu    sync.Mutex
	rate  float64 // calls per second now; +Inf: no spacing
	next  time.Time
	cutAt time.Time   // the last cut: refusals of calls started before it are already answered
	oks   []time.Time // calls JD did not refuse for its quota within the last second
}

const (
	// quotaCut is the multiplicative decrease on a quota refusal, from the rate JD accepted.
	// Gentler than TCP's half: a sawtooth between 0.9 and 1 of the quota keeps most of it.
	quotaCut = 0.9
	// minRate is the slowest the limiter goes on its own: one call every five seconds.
	minRate = 0.2
)

func newLimiter(perSecond float64, burst int, now func() time.Time) *limiter {
	if perSecond <= 0 {
		perSecond = math.Inf(1)
	}
	return &limiter{burst: max(burst, 1), ceiling: perSecond, rate: perSecond, now: now}
}

func (l *limiter) interval() time.Duration {
	if math.IsInf(l.rate, 1) {
		return 0
	}
	return time.Duration(float64(time.Second) / l.rate)
}

// reserve books the next slot at or after now and returns how long to wait for it. If the
// slot would start after deadline (when set), nothing is booked and ok is false.
func (l *limiter) reserve(now, deadline time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	interval := l.interval()
	next := l.next
	if next.Before(now) {
		next = now
	}
	start := next.Add(-time.Duration(l.burst-1) * interval)
	if start.Before(now) {
		start = now
	}
	if !deadline.IsZero() && start.After(deadline) {
		return 0, false
	}
	l.next = next.Add(interval)
	return start.Sub(now), true
}

// lastSecond drops the times older than a second before now.
func lastSecond(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(now.Add(-time.Second)) {
		i++
	}
	return append(ts[:0], ts[i:]...)
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
			l.current(), context.DeadlineExceeded)
	}
	if d <= 0 {
		return nil
	}
	return ctxtime.Sleep(ctx, d)
}

func (l *limiter) current() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.interval()
}

// Rate is the calls per second the limiter allows now (+Inf: no limit).
func (l *limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

// quota hears that a call started at started was refused for JD's quota, and slows down,
// unless a cut since the call started has answered it already.
func (l *limiter) quota(started time.Time) {
	l.mu.Lock()
	now := l.now()
	if started.Before(l.cutAt) {
		l.mu.Unlock()
		return
	}
	l.oks = lastSecond(l.oks, now)
	base := min(l.rate, float64(max(len(l.oks), 1)))
	l.rate = max(minRate, base*quotaCut)
	l.cutAt = now
	// The slots booked at the old rate are not taken back; the next one is spaced at the new.
	if next := now.Add(l.interval()); l.next.Before(next) {
		l.next = next
	}
	rate, onCut := l.rate, l.onCut
	l.mu.Unlock()
	if onCut != nil {
		onCut(rate)
	}
}

// ok hears a call that JD did not refuse for its quota: the rate creeps back up.
func (l *limiter) ok() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.oks = append(lastSecond(l.oks, now), now)
	if l.rate < l.ceiling {
		l.rate = min(l.ceiling, l.rate+1/l.rate)
	}
}
