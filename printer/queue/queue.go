// Package queue is the gate every label goes through to one printer: one order's labels at a
// time, each at most once, held while the printer is away and let go when it is back.
package queue

import (
	"context"
	"station/printer"
	"sync"
	"time"
)

// Queue is the gate every label goes through to one printer: one order's labels at a time, in
// the order they asked, and each label at most once. A printer that is away before a label
// starts — unplugged, off, out of paper, head open, refusing the connection — holds the labels:
// Hold waits, asking the printer every RetryEvery, and lets them go on by themselves when it
// answers again. A label cut off mid-way is never sent again by the queue: Print and Send
// return the error (SentPartial) and the caller asks a person.
//
// The queue does not retry a failed send itself: the caller records it (nothing came out),
// then holds again, so that a label waiting for paper is never half in a journal as "sent".
type Queue struct {
	p    printer.Printer
	prep printer.Preparer
	opt  Options
	sem  chan struct{} // the printer, held by one order at a time

	mu      sync.Mutex
	away    error // why the printer cannot take labels now; nil when it can (or is not known not to)
	since   time.Time
	waiting int // labels held or in line for the printer
}

// Options tune a queue.
type Options struct {
	// RetryEvery is how often a held label asks whether the printer is back (default 2s).
	RetryEvery time.Duration
	// OnChange is called after the queue's state changes (from the goroutine that changed it);
	// it must not block.
	OnChange func(State)
}

// State is what the queue can tell about its printer.
type State struct {
	Away    error     // why the printer is not taking labels; nil when it is
	Since   time.Time // when it went away
	Waiting int       // labels held or in line
}

// New makes the queue of p.
func New(p printer.Printer, opt Options) *Queue {
	if opt.RetryEvery <= 0 {
		opt.RetryEvery = 2 * time.Second
	}
	q := &Queue{p: p, opt: opt, sem: make(chan struct{}, 1)}
	q.prep, _ = p.(printer.Preparer)
	return q
}

// Printer is the queue's printer.
func (q *Queue) Printer() printer.Printer { return q.p }

// State returns the queue's state now.
func (q *Queue) State() State {
	q.mu.Lock()
	defer q.mu.Unlock()
	return State{Away: q.away, Since: q.since, Waiting: q.waiting}
}

func (q *Queue) update(fn func()) {
	q.mu.Lock()
	fn()
	st := State{Away: q.away, Since: q.since, Waiting: q.waiting}
	q.mu.Unlock()
	if q.opt.OnChange != nil {
		q.opt.OnChange(st)
	}
}

// Hold waits until the printer is this caller's and, as far as anyone knows, can take labels,
// then returns; the caller sends its labels (Print or Send) and calls release. labels is how
// many labels it brings, for State. onAway (may be nil) hears each reason the labels are held
// for. A cancelled ctx ends the wait with a printer.SentNone error: nothing was sent.
func (q *Queue) Hold(ctx context.Context, labels int, onAway func(error)) (release func(), err error) {
	q.update(func() { q.waiting += labels })
	done := func() { q.update(func() { q.waiting -= labels }) }
	select {
	case q.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, q.stopped(ctx, nil)
	}
	release = func() {
		<-q.sem
		done()
	}
	for {
		q.mu.Lock()
		away := q.away
		q.mu.Unlock()
		if away == nil {
			return release, nil
		}
		if onAway != nil {
			onAway(away)
		}
		t := time.NewTimer(q.opt.RetryEvery)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			release()
			return nil, q.stopped(ctx, away)
		}
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		st, err := q.p.Status(sctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			release()
			return nil, q.stopped(ctx, away)
		case err == nil && st.OK():
			// Back, or it cannot say: the next send tells.
			q.update(func() { q.away = nil })
		case err == nil:
			q.update(func() { q.away = &printer.Error{Op: "print", Printer: q.p.Spec(), Kind: st.Kind(), Msg: st.Message.EN} })
		case printer.Away(err):
			q.update(func() { q.away = err })
		}
	}
}

// stopped is the error of a hold given up: nothing was sent.
func (q *Queue) stopped(ctx context.Context, away error) error {
	msg := "stopped before the label was sent"
	if away != nil {
		msg = "stopped while the printer was away (" + away.Error() + ")"
	}
	return &printer.Error{Op: "print", Printer: q.p.Spec(), Kind: printer.KindCanceled, Sent: printer.SentNone, Msg: msg, Err: ctx.Err()}
}

// Print sends one label (drawn and encoded now). Call it between Hold and release. A failure
// before any byte went out that the printer can recover from marks the printer away: the next
// Hold waits for it.
func (q *Queue) Print(ctx context.Context, job printer.Job) error { return q.sent(q.p.Print(ctx, job)) }

// Send sends a label the printer prepared (see printer.Preparer); as Print.
func (q *Queue) Send(ctx context.Context, p *printer.Prepared) error {
	return q.sent(q.prep.Send(ctx, p))
}

func (q *Queue) sent(err error) error {
	if printer.Away(err) {
		q.update(func() {
			if q.away == nil {
				q.since = time.Now()
			}
			q.away = err
		})
	}
	return err
}
