// Package scaletest is a fake packing-table scale for tests: an indicator on the far side of a
// pseudo-terminal that sends its continuous output (the text format, "ST,GS,+  1.234kg") every
// 15 ms, with the weight the test sets. The station opens the pty's tty as a real serial port.
package scaletest

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Indicator is the fake scale.
type Indicator struct {
	Port   string // the tty the station opens
	master *os.File
	grams  atomic.Int64
}

// Start sends readings of 0 g until Set; it stops when the test ends. Without pseudo-terminals
// the test is skipped.
func Start(t testing.TB) *Indicator {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	ind := &Indicator{Port: tty.Name(), master: master}
	tty.Close()
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			case <-time.After(15 * time.Millisecond):
			}
			g := ind.grams.Load()
			fmt.Fprintf(master, "ST,GS,+%3d.%03dkg\r\n", g/1000, g%1000)
		}
	}()
	t.Cleanup(func() { close(stop); <-stopped; master.Close() })
	return ind
}

// Spec is the scale spec that opens the indicator.
func (i *Indicator) Spec() string { return "serial:" + i.Port }

// Set puts a parcel of grams on the scale (0: takes it off).
func (i *Indicator) Set(grams int) { i.grams.Store(int64(grams)) }
