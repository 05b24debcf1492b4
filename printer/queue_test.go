package printer_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"station/printer"
	"station/printer/usb/usbtest"
)

// gatePrinter records what the queue asks of it. Sending a job whose name has a gate waits
// until the gate is closed; results[name] lists the errors of its successive sends.
type gatePrinter struct {
	mu      sync.Mutex
	events  []string
	gates   map[string]chan struct{}
	results map[string][]error
	sending int
	maxSend int
	status  printer.Status
}

func newGatePrinter() *gatePrinter {
	return &gatePrinter{gates: map[string]chan struct{}{}, results: map[string][]error{}, status: printer.Status{State: printer.StateReady}}
}

func (g *gatePrinter) log(e string) {
	g.mu.Lock()
	g.events = append(g.events, e)
	g.mu.Unlock()
}

func (g *gatePrinter) Events() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.events...)
}

func (g *gatePrinter) Prepare(ctx context.Context, job printer.Job) (*printer.Prepared, error) {
	g.log("prepare " + job.Name)
	if job.Raster != nil {
		if _, err := job.Raster(203); err != nil {
			return nil, &printer.Error{Op: "print", Job: job.Name, Kind: printer.KindBadJob, Msg: err.Error()}
		}
	}
	return &printer.Prepared{Job: job, Data: []byte(job.Name)}, nil
}

func (g *gatePrinter) Send(ctx context.Context, p *printer.Prepared) error {
	name := p.Job.Name
	g.mu.Lock()
	g.sending++
	g.maxSend = max(g.maxSend, g.sending)
	gate := g.gates[name]
	var err error
	if r := g.results[name]; len(r) > 0 {
		err, g.results[name] = r[0], r[1:]
	}
	g.mu.Unlock()
	g.log("send " + name)
	if gate != nil {
		<-gate
	}
	g.mu.Lock()
	g.sending--
	g.mu.Unlock()
	return err
}

func (g *gatePrinter) Print(ctx context.Context, job printer.Job) error {
	p, err := g.Prepare(ctx, job)
	if err != nil {
		return err
	}
	return g.Send(ctx, p)
}

func (g *gatePrinter) Status(context.Context) (printer.Status, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.status, nil
}
func (g *gatePrinter) Close() error { return nil }
func (g *gatePrinter) Spec() string { return "fake:" }

func job(name string) printer.Job { return printer.Job{Name: name} }

func TestQueueOrderAndPipelining(t *testing.T) {
	noLeak(t)
	g := newGatePrinter()
	gateA := make(chan struct{})
	g.gates["A"] = gateA
	q := printer.NewQueue(g, printer.QueueOptions{})
	defer q.Close()
	var tickets []*printer.Ticket
	for _, n := range []string{"A", "B", "C", "D"} {
		tk, err := q.Submit(job(n))
		if err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, tk)
	}
	// While A is being written, B is prepared, and nothing else is sent.
	eventually(t, "B prepared while A is sent", func() bool { return slices.Contains(g.Events(), "prepare B") })
	time.Sleep(20 * time.Millisecond)
	if ev := g.Events(); slices.Contains(ev, "send B") || slices.Contains(ev, "prepare C") {
		t.Errorf("while A is sent: %v (only one job may be prepared ahead)", ev)
	}
	if st, _ := tickets[1].State(); st != printer.JobReady {
		t.Errorf("B is %v while A is sent, want ready", st)
	}
	close(gateA)
	for _, tk := range tickets {
		if err := tk.Wait(ctxT(t, 5*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	var sends []string
	for _, e := range g.Events() {
		if strings.HasPrefix(e, "send ") {
			sends = append(sends, e[5:])
		}
	}
	if !slices.Equal(sends, []string{"A", "B", "C", "D"}) || g.maxSend != 1 {
		t.Errorf("sends %v, at most %d at once", sends, g.maxSend)
	}
}

func TestQueueNeverResendsWhatWentOut(t *testing.T) {
	noLeak(t)
	g := newGatePrinter()
	g.results["A"] = []error{&printer.Error{Kind: printer.KindDropped, Sent: printer.SentAll, Msg: "closed after the last byte"}}
	g.results["B"] = []error{&printer.Error{Kind: printer.KindNotFound, Sent: printer.SentNone, Msg: "unplugged"}}
	q := printer.NewQueue(g, printer.QueueOptions{RetryEvery: 10 * time.Millisecond})
	defer q.Close()
	a, _ := q.Submit(job("A"))
	b, _ := q.Submit(job("B"))
	if err := a.Wait(ctxT(t, 5*time.Second)); err == nil {
		t.Error("A's error was lost")
	}
	if st, _ := a.State(); st != printer.JobDone {
		t.Errorf("A (fully sent, then an error) is %v, want done", st)
	}
	if err := b.Wait(ctxT(t, 5*time.Second)); err != nil {
		t.Errorf("B (never started, then retried): %v", err)
	}
	count := map[string]int{}
	for _, e := range g.Events() {
		count[e]++
	}
	if count["send A"] != 1 || count["send B"] != 2 || count["prepare B"] != 1 {
		t.Errorf("events %v: A must go once, B twice with the same bytes", g.Events())
	}
}

func TestQueueFailsBadJobsAndGoesOn(t *testing.T) {
	noLeak(t)
	g := newGatePrinter()
	q := printer.NewQueue(g, printer.QueueOptions{RetryEvery: 10 * time.Millisecond})
	defer q.Close()
	bad := printer.Job{Name: "BAD", Raster: func(int) (image.Image, error) { return nil, errors.New("broken image") }}
	tb, _ := q.Submit(bad)
	tg, _ := q.Submit(job("GOOD"))
	if err := tb.Wait(ctxT(t, 5*time.Second)); printer.KindOf(err) != printer.KindBadJob {
		t.Errorf("bad job: %v", err)
	}
	if st, _ := tb.State(); st != printer.JobFailed {
		t.Errorf("bad job is %v", st)
	}
	if err := tg.Wait(ctxT(t, 5*time.Second)); err != nil {
		t.Error(err)
	}
}

func TestQueueWithPlainPrinter(t *testing.T) {
	noLeak(t)
	g := newGatePrinter()
	var plain struct{ printer.Printer } // hides Prepare/Send: the queue must use Print
	plain.Printer = g
	q := printer.NewQueue(plain, printer.QueueOptions{})
	defer q.Close()
	var ts []*printer.Ticket
	for i := range 5 {
		tk, _ := q.Submit(job(fmt.Sprint(i)))
		ts = append(ts, tk)
	}
	for _, tk := range ts {
		if err := tk.Wait(ctxT(t, 5*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if ev := g.Events(); len(ev) != 10 || ev[8] != "prepare 4" {
		t.Errorf("events %v", ev)
	}
}

// usbQueue is a queue on a real printer over a fake USB printer.
func usbQueue(t *testing.T, spec string) (*usbtest.Host, *usbtest.Printer, *printer.Queue, *[]string) {
	host := &usbtest.Host{}
	dev := zebra(1, []int{1}, "Q")
	p := mustOpen(t, printer.Opener{USB: host}, spec)
	var mu sync.Mutex
	var changes []string
	q := printer.NewQueue(p, printer.QueueOptions{RetryEvery: 20 * time.Millisecond, OnChange: func(tk *printer.Ticket) {
		st, _ := tk.State()
		mu.Lock()
		changes = append(changes, tk.Job.Name+" "+st.String())
		mu.Unlock()
	}})
	t.Cleanup(func() { q.Close() })
	return host, dev, q, &changes
}

func TestQueueWaitsForAnUnpluggedPrinter(t *testing.T) {
	noLeak(t)
	host, dev, q, _ := usbQueue(t, "usb:auto")
	a, _ := q.Submit(labelJob("A"))
	b, _ := q.Submit(labelJob("B"))
	// The printer is not there: A fails with a clear message and stays queued.
	eventually(t, "A waiting", func() bool { st, _ := a.State(); return st == printer.JobWaiting })
	_, err := a.State()
	if printer.KindOf(err) != printer.KindNotFound || !strings.Contains(err.Error(), "plugged in") || printer.SentOf(err) != printer.SentNone {
		t.Errorf("A waits with %v", err)
	}
	time.Sleep(60 * time.Millisecond)
	if st, _ := b.State(); st.Final() {
		t.Errorf("B is %v before A went out", st)
	}
	host.Plug(dev)
	for _, tk := range []*printer.Ticket{a, b} {
		if err := tk.Wait(ctxT(t, 5*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if got := scanned(t, printer.ZPL, dev.Received(), 203); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("printer got %v", got)
	}
}

func TestQueueStopsAtAPartlySentLabel(t *testing.T) {
	noLeak(t)
	host, dev, q, _ := usbQueue(t, "usb:auto?lang=escpos")
	host.Plug(dev)
	a, _ := q.Submit(labelJob("A"))
	if err := a.Wait(ctxT(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	first := len(dev.Received())
	dev.Lock()
	dev.UnplugAfter = first + 30000
	dev.Unlock()
	b, _ := q.Submit(labelJob("B"))
	c, _ := q.Submit(labelJob("C"))
	err := b.Wait(ctxT(t, 5*time.Second))
	if st, _ := b.State(); st != printer.JobPartial || printer.SentOf(err) != printer.SentPartial {
		t.Fatalf("B: %v, %v", st, err)
	}
	eventually(t, "the queue stopped at B", func() bool { return q.Paused() == b })
	host.Plug(dev)
	time.Sleep(100 * time.Millisecond)
	if st, _ := c.State(); st.Final() || len(dev.Received()) != first+30000 {
		t.Fatalf("C is %v and %d bytes went out while the queue should wait for a decision", st, len(dev.Received())-first-30000)
	}
	// The person checked: B did not come out. Reprint it, then C follows.
	b2, err := q.Reprint(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range []*printer.Ticket{b2, c} {
		if err := tk.Wait(ctxT(t, 5*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	all := dev.Received()
	got := scanned(t, printer.ESCPOS, append(all[:first:first], all[first+30000:]...), 203)
	if !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("printer got %v (plus 30000 bytes of the partial B)", got)
	}
	if _, err := q.Reprint(b); err == nil {
		t.Error("reprint allowed when the queue is not stopped")
	}

	// Resume instead: the partial label is not sent again.
	dev.Lock()
	dev.UnplugAfter = len(all) + 5000
	dev.Unlock()
	d, _ := q.Submit(labelJob("D"))
	e, _ := q.Submit(labelJob("E"))
	d.Wait(ctxT(t, 5*time.Second))
	eventually(t, "the queue stopped at D", func() bool { return q.Paused() == d })
	host.Plug(dev)
	if err := q.Resume(); err != nil {
		t.Fatal(err)
	}
	if err := e.Wait(ctxT(t, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	rest := dev.Received()[len(all)+5000:]
	if got := scanned(t, printer.ESCPOS, rest, 203); !slices.Equal(got, []string{"E"}) {
		t.Errorf("after resuming the printer got %v", got)
	}
}

func TestQueueCloseFailsWhatIsLeft(t *testing.T) {
	noLeak(t)
	_, dev, q, _ := usbQueue(t, "usb:auto")
	a, _ := q.Submit(labelJob("A"))
	b, _ := q.Submit(labelJob("B"))
	eventually(t, "A waiting", func() bool { st, _ := a.State(); return st == printer.JobWaiting })
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tk := range []*printer.Ticket{a, b} {
		err := tk.Wait(ctxT(t, time.Second))
		if st, _ := tk.State(); st != printer.JobFailed || printer.KindOf(err) != printer.KindClosed || printer.SentOf(err) != printer.SentNone {
			t.Errorf("%s after Close: %v %v", tk.Job.Name, st, err)
		}
	}
	if _, err := q.Submit(labelJob("C")); printer.KindOf(err) != printer.KindClosed {
		t.Errorf("submit after close: %v", err)
	}
	if len(dev.Received()) != 0 {
		t.Error("something was sent")
	}
}
