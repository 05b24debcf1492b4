package printer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// JobState is where a queued job stands.
type JobState int

const (
	JobQueued    JobState = iota // waiting its turn
	JobPreparing                 // being drawn and encoded
	JobReady                     // encoded, waiting for the printer to finish the one before
	JobSending                   // being written to the printer
	JobWaiting                   // the printer is not available; nothing was sent, and the job goes out when it is back (Err says why)
	JobDone                      // fully sent
	JobFailed                    // not sent and will not be: the label or setting is wrong, or the queue closed (Err)
	JobPartial                   // partly sent and not sent again: a person checks the printer and decides (Queue.Reprint or Queue.Resume)
)

var jobStateNames = [...]string{"queued", "preparing", "ready", "sending", "waiting", "done", "failed", "partial"}

func (s JobState) String() string {
	if s >= 0 && int(s) < len(jobStateNames) {
		return jobStateNames[s]
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Final reports whether the job is over (done, failed or partial).
func (s JobState) Final() bool { return s >= JobDone }

// Ticket follows one job through a queue.
type Ticket struct {
	ID  int
	Job Job

	mu       sync.Mutex
	state    JobState
	err      error
	finished bool
	done     chan struct{}
}

// State returns the job's state and, when it is waiting or over with a failure, why.
func (t *Ticket) State() (JobState, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state, t.err
}

// Done is closed when the job is over.
func (t *Ticket) Done() <-chan struct{} { return t.done }

// Wait waits until the job is over and returns its error (nil when fully sent).
func (t *Ticket) Wait(ctx context.Context) error {
	select {
	case <-t.done:
		_, err := t.State()
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// QueueOptions tune a queue.
type QueueOptions struct {
	// RetryEvery is how often a waiting job checks whether the printer is back (default 2s).
	RetryEvery time.Duration
	// OnChange is called, from a queue goroutine, after a ticket changes state. It must not
	// block for long.
	OnChange func(*Ticket)
}

// Queue prints jobs on one printer in order, one at a time. While a label is being written,
// the next one is drawn and encoded. A label whose bytes were all written is never sent again;
// one that never started waits for the printer to come back and then goes out; one that was
// partly sent stops the queue until a person decides (Reprint or Resume).
type Queue struct {
	p    Printer
	prep Preparer
	opt  QueueOptions

	ctx    context.Context // canceled by Close: stops waiting and preparing, never a write
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{}
	ready  chan readyItem
	decide chan *Ticket // a reprint (or nil to resume) for a paused queue

	mu      sync.Mutex
	pending []*Ticket
	nextID  int
	closed  bool
	paused  *Ticket // the partly sent job the queue stopped at
}

type readyItem struct {
	t    *Ticket
	prep *Prepared
	err  error
}

// ErrQueueClosed is the error of jobs left in a queue when it is closed.
var ErrQueueClosed = errors.New("the print queue was closed before this label was sent")

// NewQueue starts a queue for p. Close it to stop its goroutines.
func NewQueue(p Printer, opt QueueOptions) *Queue {
	if opt.RetryEvery <= 0 {
		opt.RetryEvery = 2 * time.Second
	}
	q := &Queue{p: p, opt: opt, wake: make(chan struct{}, 1), ready: make(chan readyItem), decide: make(chan *Ticket)}
	q.prep, _ = p.(Preparer)
	q.ctx, q.cancel = context.WithCancel(context.Background())
	q.wg.Add(2)
	go q.prepareLoop()
	go q.sendLoop()
	return q
}

// Submit adds job at the end of the queue.
func (q *Queue) Submit(job Job) (*Ticket, error) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil, q.closedErr(job.Name)
	}
	q.nextID++
	t := &Ticket{ID: q.nextID, Job: job, done: make(chan struct{})}
	q.pending = append(q.pending, t)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	q.changed(t)
	return t, nil
}

// Paused returns the partly sent job the queue stopped at, or nil.
func (q *Queue) Paused() *Ticket {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.paused
}

// Resume continues with the next jobs after a partly sent one, which is not sent again.
func (q *Queue) Resume() error { return q.resolve(nil) }

// Reprint sends the partly sent job t again, first, and then continues: the person at the
// printer checked that it did not come out whole. It returns the new job's ticket.
func (q *Queue) Reprint(t *Ticket) (*Ticket, error) {
	q.mu.Lock()
	if q.paused != t || t == nil {
		q.mu.Unlock()
		return nil, fmt.Errorf("only the partly sent label the queue stopped at can be reprinted")
	}
	q.nextID++
	again := &Ticket{ID: q.nextID, Job: t.Job, done: make(chan struct{})}
	q.mu.Unlock()
	if err := q.resolve(again); err != nil {
		return nil, err
	}
	return again, nil
}

func (q *Queue) resolve(t *Ticket) error {
	q.mu.Lock()
	if q.paused == nil {
		q.mu.Unlock()
		return fmt.Errorf("the queue is not stopped at a partly sent label")
	}
	q.mu.Unlock()
	select {
	case q.decide <- t:
		return nil
	case <-q.ctx.Done():
		return &Error{Op: "print", Printer: q.p.Spec(), Kind: KindClosed, Msg: ErrQueueClosed.Error()}
	}
}

// Close stops the queue. A label being written is finished first; jobs not sent yet fail with
// ErrQueueClosed (nothing of them was sent).
func (q *Queue) Close() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
	q.mu.Lock()
	left := q.pending
	q.pending = nil
	q.mu.Unlock()
	for _, t := range left {
		q.finish(t, JobFailed, q.closedErr(t.Job.Name))
	}
	return nil
}

// closedErr is the error of a job the queue closed on: nothing of it was sent.
func (q *Queue) closedErr(job string) error {
	return &Error{Op: "print", Printer: q.p.Spec(), Job: job, Kind: KindClosed, Sent: SentNone, Msg: ErrQueueClosed.Error(), Err: ErrQueueClosed}
}

func (q *Queue) set(t *Ticket, s JobState, err error) {
	t.mu.Lock()
	t.state, t.err = s, err
	t.mu.Unlock()
	q.changed(t)
}

func (q *Queue) finish(t *Ticket, s JobState, err error) {
	t.mu.Lock()
	if t.finished {
		t.mu.Unlock()
		return
	}
	t.finished = true
	t.state, t.err = s, err
	close(t.done)
	t.mu.Unlock()
	q.changed(t)
}

func (q *Queue) changed(t *Ticket) {
	if q.opt.OnChange != nil {
		q.opt.OnChange(t)
	}
}

// prepareLoop draws and encodes jobs in order, one ahead of the sender.
func (q *Queue) prepareLoop() {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		var t *Ticket
		if len(q.pending) > 0 {
			t = q.pending[0]
			q.pending = q.pending[1:]
		}
		q.mu.Unlock()
		if t == nil {
			select {
			case <-q.wake:
				continue
			case <-q.ctx.Done():
				return
			}
		}
		item := q.prepare(t)
		if item.err == nil {
			q.set(t, JobReady, nil)
		}
		select {
		case q.ready <- item:
		case <-q.ctx.Done():
			q.finish(t, JobFailed, q.closedErr(t.Job.Name))
			return
		}
	}
}

func (q *Queue) prepare(t *Ticket) readyItem {
	if q.prep == nil {
		return readyItem{t: t}
	}
	q.set(t, JobPreparing, nil)
	prep, err := q.prep.Prepare(q.ctx, t.Job)
	return readyItem{t: t, prep: prep, err: err}
}

// sendLoop sends prepared jobs one at a time.
func (q *Queue) sendLoop() {
	defer q.wg.Done()
	for {
		select {
		case item := <-q.ready:
			if !q.run(item) {
				return
			}
		case <-q.ctx.Done():
			return
		}
	}
}

// run sends one job until it is over; false when the queue is closing.
func (q *Queue) run(item readyItem) bool {
	t := item.t
	for {
		var err error
		switch {
		case item.err != nil:
			err = item.err
		case q.prep == nil:
			q.set(t, JobSending, nil)
			// The write is not tied to the queue's context: Close must not cut a label in half.
			err = q.p.Print(context.WithoutCancel(q.ctx), t.Job)
		default:
			q.set(t, JobSending, nil)
			err = q.prep.Send(context.WithoutCancel(q.ctx), item.prep)
		}
		if err == nil {
			q.finish(t, JobDone, nil)
			return true
		}
		switch SentOf(err) {
		case SentAll:
			q.finish(t, JobDone, err) // it went out: never again
			return true
		case SentPartial:
			q.finish(t, JobPartial, err)
			return q.pause(t)
		}
		if !Retryable(err) {
			if q.ctx.Err() != nil {
				err = q.closedErr(t.Job.Name)
			}
			q.finish(t, JobFailed, err)
			return q.ctx.Err() == nil
		}
		// Nothing was sent and the printer is not available: wait until it is back.
		q.set(t, JobWaiting, err)
		if !q.waitForPrinter(t) {
			q.finish(t, JobFailed, q.closedErr(t.Job.Name))
			return false
		}
		if item.err != nil || item.prep == nil && q.prep != nil {
			item = q.prepare(t) // preparing failed (e.g. the USB printer was away): do it again
		}
	}
}

// waitForPrinter polls the printer's status until it can take labels; false if the queue
// closes first.
func (q *Queue) waitForPrinter(t *Ticket) bool {
	for {
		select {
		case <-time.After(q.opt.RetryEvery):
		case <-q.ctx.Done():
			return false
		}
		ctx, cancel := context.WithTimeout(q.ctx, 5*time.Second)
		st, err := q.p.Status(ctx)
		cancel()
		if q.ctx.Err() != nil {
			return false
		}
		if err == nil && st.OK() {
			return true
		}
		if err == nil {
			err = &Error{Op: "print", Printer: q.p.Spec(), Job: t.Job.Name, Kind: st.Kind(), Msg: st.Message}
		}
		if t2, _ := t.State(); t2 == JobWaiting {
			q.set(t, JobWaiting, err) // show the latest reason
		}
	}
}

// pause holds the queue after a partly sent job until a person decides.
func (q *Queue) pause(t *Ticket) bool {
	q.mu.Lock()
	q.paused = t
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		q.paused = nil
		q.mu.Unlock()
	}()
	select {
	case again := <-q.decide:
		if again == nil {
			return true
		}
		q.changed(again)
		q.mu.Lock()
		q.paused = nil
		q.mu.Unlock()
		return q.run(q.prepare(again))
	case <-q.ctx.Done():
		return false
	}
}
