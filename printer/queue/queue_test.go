package queue_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"station/printer"
	"station/printer/printertest"
	"station/printer/queue"
	"station/printer/raw"
	"station/printer/usb/usbtest"
)

// printHeld sends jobs through q as the station does: hold, send, release; a label the printer
// was away for is sent again after the next hold, nothing else is.
func printHeld(ctx context.Context, q *queue.Queue, names ...string) error {
	for _, n := range names {
		for {
			release, err := q.Hold(ctx, 1, nil)
			if err != nil {
				return err
			}
			err = q.Print(ctx, printertest.LabelJob(n))
			release()
			if err == nil {
				break
			}
			if !printer.Away(err) {
				return err
			}
		}
	}
	return nil
}

// A USB printer out of paper holds the labels (nothing is sent into it); with paper loaded they
// go out by themselves, each once, in order.
func TestQueueHoldsForPaper(t *testing.T) {
	printertest.NoLeak(t)
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "Q")
	host.Plug(dev)
	dev.Lock()
	dev.Status = 0x38 // selected, no error, paper empty
	dev.Unlock()
	var mu sync.Mutex
	var states []queue.State
	p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto")
	q := queue.New(p, queue.Options{RetryEvery: 20 * time.Millisecond, OnChange: func(s queue.State) {
		mu.Lock()
		states = append(states, s)
		mu.Unlock()
	}})
	done := make(chan error, 1)
	go func() { done <- printHeld(printertest.Ctx(t, 10*time.Second), q, "A", "B") }()
	printertest.Eventually(t, "the printer is away for paper", func() bool { return printer.KindOf(q.State().Away) == printer.KindPaperOut })
	time.Sleep(80 * time.Millisecond)
	if n := len(dev.Received()); n != 0 {
		t.Fatalf("%d bytes sent to a printer without paper", n)
	}
	if st := q.State(); st.Waiting != 1 || st.Since.IsZero() {
		t.Errorf("state while held: %+v", st)
	}
	dev.Lock()
	dev.Status = 0x18 // paper loaded
	dev.Unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := printertest.Scanned(t, raw.ZPL, dev.Received(), 203); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("printer got %v, want A and B once each", got)
	}
	if st := q.State(); st.Away != nil || st.Waiting != 0 {
		t.Errorf("state after: %+v", st)
	}
}

// A network printer that refuses connections holds the labels; when it listens again they all
// arrive, each once.
func TestQueueHoldsForRefusingPrinter(t *testing.T) {
	addr, err := printertest.ClosedAddr()
	if err != nil {
		t.Fatal(err)
	}
	p := printertest.MustOpen(t, printer.Opener{}, "tcp:"+addr+"?lang=zpl&timeout=500ms")
	q := queue.New(p, queue.Options{RetryEvery: 30 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- printHeld(printertest.Ctx(t, 10*time.Second), q, "A", "B", "C") }()
	printertest.Eventually(t, "the printer is away", func() bool { return printer.KindOf(q.State().Away) == printer.KindRefused })
	time.Sleep(100 * time.Millisecond)
	srv, err := printertest.StartServer(printertest.ServerOptions{Addr: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range srv.Jobs() {
		if string(j) == "~HS" {
			continue // the queue asking whether the printer is back
		}
		got = append(got, printertest.Scanned(t, raw.ZPL, j, 203)...)
	}
	if !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("printer got %v", got)
	}
}

// A label cut off in the middle is not sent again: the error (partly sent) goes to the caller.
func TestQueueReturnsPartlySent(t *testing.T) {
	printertest.NoLeak(t)
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "Q")
	host.Plug(dev)
	dev.Lock()
	dev.UnplugAfter = 3000
	dev.Unlock()
	q := queue.New(printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto?lang=escpos"), queue.Options{RetryEvery: 20 * time.Millisecond})
	err := printHeld(printertest.Ctx(t, 5*time.Second), q, "A")
	if printer.SentOf(err) != printer.SentPartial || printer.Away(err) {
		t.Fatalf("err = %v, want partly sent", err)
	}
	if q.State().Away != nil {
		t.Error("a partly sent label marked the printer away: the next label would go out without a person deciding")
	}
}

// Stopping while the printer is away returns at once, saying nothing was sent.
func TestQueueHoldStops(t *testing.T) {
	addr, _ := printertest.ClosedAddr()
	q := queue.New(printertest.MustOpen(t, printer.Opener{}, "tcp:"+addr), queue.Options{RetryEvery: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- printHeld(ctx, q, "A") }()
	printertest.Eventually(t, "away", func() bool { return q.State().Away != nil })
	cancel()
	select {
	case err := <-done:
		if printer.SentOf(err) != printer.SentNone || printer.KindOf(err) != printer.KindCanceled || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Hold did not stop")
	}
	if st := q.State(); st.Waiting != 0 {
		t.Errorf("state after stopping: %+v", st)
	}
}

// One order's labels at a time: a second holder waits for the first to release.
func TestQueueOneOrderAtATime(t *testing.T) {
	addr, _ := printertest.ClosedAddr()
	q := queue.New(printertest.MustOpen(t, printer.Opener{}, "tcp:"+addr), queue.Options{})
	release, err := q.Hold(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		r2, err := q.Hold(context.Background(), 1, nil)
		if err == nil {
			r2()
		}
		close(got)
	}()
	printertest.Eventually(t, "both in line", func() bool { return q.State().Waiting == 3 })
	select {
	case <-got:
		t.Fatal("a second order took the printer while the first held it")
	case <-time.After(50 * time.Millisecond):
	}
	release()
	<-got
}
