package jos

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, ChinaTime)

// Calls arriving together are spaced one interval apart; after a quiet spell the next call goes
// at once, but the quiet time is not saved up into a burst.
func TestLimiterSpacing(t *testing.T) {
	l := newLimiter(10, 1, nil) // one call every 100ms
	ms := time.Millisecond
	for i, step := range []struct {
		at   time.Duration
		wait time.Duration
	}{
		{0, 0},
		{0, 100 * ms},
		{0, 200 * ms},
		{50 * ms, 250 * ms},
		{2 * time.Second, 0}, // idle: the next call goes at once…
		{2 * time.Second, 100 * ms},
		{2*time.Second + 150*ms, 50 * ms}, // …and only one
	} {
		wait, ok := l.reserve(t0.Add(step.at), time.Time{})
		if !ok || wait != step.wait {
			t.Errorf("call %d at +%v: wait %v (ok %v), want %v", i+1, step.at, wait, ok, step.wait)
		}
	}
}

// The bucket is shared: goroutines arriving at the same instant each get their own slot.
func TestLimiterSharedAcrossGoroutines(t *testing.T) {
	l := newLimiter(4, 1, nil) // 250ms
	const n = 40
	waits := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { waits[i], _ = l.reserve(t0, time.Time{}) })
	}
	wg.Wait()
	slices.Sort(waits)
	for i, w := range waits {
		if w != time.Duration(i)*250*time.Millisecond {
			t.Fatalf("sorted waits %v: slot %d is %v, want %v", waits, i, w, time.Duration(i)*250*time.Millisecond)
		}
	}
}

// A caller whose deadline comes before its slot is refused at once and books nothing.
func TestLimiterDeadline(t *testing.T) {
	l := newLimiter(1, 1, nil)
	if _, ok := l.reserve(t0, t0.Add(time.Millisecond)); !ok {
		t.Fatal("the first call was refused")
	}
	if _, ok := l.reserve(t0, t0.Add(999*time.Millisecond)); ok {
		t.Fatal("a call was booked after its deadline")
	}
	if wait, ok := l.reserve(t0, time.Time{}); !ok || wait != time.Second {
		t.Errorf("after a refusal the next slot is +%v, want +1s (the refused call booked nothing)", wait)
	}
}

func TestLimiterWaitCancelled(t *testing.T) {
	l := newLimiter(0.001, 1, time.Now) // one call every 1000s
	if err := l.wait(background); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(background)
	done := make(chan error)
	go func() { done <- l.wait(ctx) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("wait = %v, want context.Canceled", err)
	}
	dead, cancel2 := context.WithCancel(background)
	cancel2()
	if err := l.wait(dead); !errors.Is(err, context.Canceled) {
		t.Errorf("wait on a done context = %v", err)
	}
}

// Through the client: with 2.5 calls a second, callers sharing a deadline one second away get
// at most the slots at +0, +0.4s and +0.8s; the others are refused without reaching JOS.
func TestClientRateLimit(t *testing.T) {
	f := newFakeJOS(t, replies(ok(okOrder)))
	c := newTestClient(t, f.URL, func(c *Config) { c.RateLimit = 2.5; c.Burst = 1; c.MaxRetries = -1 })
	ctx, cancel := context.WithTimeout(background, time.Second)
	defer cancel()
	const callers = 8
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { errs[i] = c.Read(ctx, "360buy.order.get", nil, nil) })
	}
	wg.Wait()
	admitted := callers
	for _, err := range errs {
		if err != nil && errors.Is(err, context.DeadlineExceeded) && strings.Contains(err.Error(), "rate limit") {
			admitted--
		}
	}
	// An admitted call may still time out on the way under heavy load, hence calls <= admitted.
	calls := len(f.Calls())
	if admitted > 3 || calls > admitted || calls < 1 {
		t.Errorf("at 2.5/s within one second: %d admitted, %d reached JOS; want 1 <= reached <= admitted <= 3 (%v)",
			admitted, calls, errs)
	}
}

// A burst of 3 at one call a second: three calls start at once, the fourth a second after the
// first, and the schedule keeps the average at the rate from then on.
func TestLimiterBurst(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	l := newLimiter(1, 3, nil)
	var waits []time.Duration
	for range 5 {
		d, ok := l.reserve(t0, time.Time{})
		if !ok {
			t.Fatal("refused without a deadline")
		}
		waits = append(waits, d)
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits = %v, want %v", waits, want)
		}
	}
	// After a quiet spell the burst is available again, but not more than it.
	later := t0.Add(time.Minute)
	for i, want := range []time.Duration{0, 0, 0, time.Second} {
		if d, _ := l.reserve(later, time.Time{}); d != want {
			t.Fatalf("after a pause, call %d waits %v, want %v", i, d, want)
		}
	}
}
