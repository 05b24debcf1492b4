//go:build unix

package printer_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
)

// A FIFO is what a device node looks like to the file transport: a writer waits for a reader.
func TestFilePrinterFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	p := printertest.MustOpen(t, printer.Opener{}, "file:"+fifo+"?lang=zpl&timeout=300ms")
	start := time.Now()
	pe := wantErr(t, p.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("F1")), printer.KindTimeout, printer.SentNone)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %v; the timeout is 300ms", d)
	}
	if !strings.Contains(pe.Error(), "nothing was sent") {
		t.Errorf("message %q", pe)
	}

	slow := printertest.MustOpen(t, printer.Opener{}, "file:"+fifo+"?lang=zpl&timeout=1m")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	if err := slow.Print(ctx, printertest.LabelJob("F2")); err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("cancelled after %v: %v", time.Since(start), err)
	}

	got := make(chan []byte, 1)
	time.AfterFunc(200*time.Millisecond, func() {
		b, _ := os.ReadFile(fifo) // opens for reading, then reads until the writer closes
		got <- b
	})
	late := printertest.MustOpen(t, printer.Opener{}, "file:"+fifo+"?lang=zpl&timeout=5s")
	if err := late.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("F3")); err != nil {
		t.Fatal(err)
	}
	late.Close()
	select {
	case b := <-got:
		if s := printertest.Scanned(t, raw.ZPL, b, 203); !slices.Equal(s, []string{"F3"}) {
			t.Errorf("the reader got %v", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the reader got nothing")
	}
}
