package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/printer/printertest"
)

// A batch onto a network printer that refuses connections pauses: the terminal says once why and
// that it goes on by itself; once the printer listens, every label arrives once.
func TestCLIBatchWaitsForPrinter(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	dir := t.TempDir()
	addr, err := printertest.ClosedAddr()
	if err != nil {
		t.Fatal(err)
	}
	ids := waitingIDs(t, sim, shop.TypeLBP, 3)
	started := make(chan *printertest.Server, 1)
	go func() {
		time.Sleep(1500 * time.Millisecond)
		srv, _ := printertest.StartServer(printertest.ServerOptions{Addr: addr})
		started <- srv
	}()
	code, out, errOut := runIn(t, "", append(simFlags(sim, filepath.Join(dir, "j.db")), "batch", "-order", strings.Join(ids, ","),
		"-printer", "tcp:"+addr+"?lang=zpl&timeout=500ms")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if n := strings.Count(out+errOut, "自动继续"); n != 1 {
		t.Errorf("the printer-away message shows %d times, want once:\n%s%s", n, out, errOut)
	}
	back := <-started
	if back == nil {
		t.Fatal("the printer never came back")
	}
	defer back.Close()
	var got int
	for _, j := range back.Jobs() {
		got += strings.Count(string(j), "^XA")
	}
	if got != len(ids) {
		t.Errorf("%d labels arrived, want %d", got, len(ids))
	}
	// A refused connection sent nothing: nothing says the label may have printed, and the
	// journal has the held attempt as failed with nothing sent, not as unsure.
	if strings.Contains(out+errOut, "may") || strings.Contains(out+errOut, "可能") {
		t.Errorf("a refused connection reads as a label that may have printed:\n%s%s", out, errOut)
	}
	_, hist, _ := runIn(t, "", "history", "-journal", filepath.Join(dir, "j.db"), "-order", ids[0], "-json")
	if !strings.Contains(hist, `"state": "shipped"`) && !strings.Contains(hist, `"state": "printed"`) {
		t.Errorf("history: %s", hist)
	}
	j, err := sqljournal.OpenSQLite(context.Background(), filepath.Join(dir, "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ps, err := j.Prints(context.Background(), ids[0])
	if err != nil || len(ps) < 2 || ps[0].Outcome != journal.PrintFailed || !strings.Contains(ps[0].Reason, "nothing was sent") {
		t.Errorf("prints of %s: %+v %v", ids[0], ps, err)
	}
}
