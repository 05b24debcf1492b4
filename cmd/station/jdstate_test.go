package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/printdata"
)

// station scan and station batch refuse an order JD shows shipped elsewhere (not in this
// journal) before any label: the scan says so and exits non-zero; nothing is printed or sent.
func TestCLIRefusesWhatJDShipped(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ids := waitingIDs(t, sim, shop.TypeSOP, 2)
	for _, id := range ids {
		if err := sim.Server.SetState(id, printdata.StateWaitReceive); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	g := append(simFlags(sim, filepath.Join(dir, "j.db")), "-config", t.TempDir())
	labels := filepath.Join(dir, "labels")
	os.Mkdir(labels, 0o700)
	code, out, errOut := runIn(t, ids[0]+"\n", append(append([]string{}, g...), "scan", "-ship", "-printer", "pdf:"+labels, "-logistics", "1274")...)
	if code == 0 || !strings.Contains(out, "JD shows order "+ids[0]+" as already shipped") || strings.Contains(out, "printed+shipped") {
		t.Errorf("scan: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runIn(t, "", append(append([]string{}, g...), "batch", "-order", ids[1], "-ship", "-sop-logistics", "1274", "-printer", "pdf:"+labels)...)
	if code == 0 || !strings.Contains(out+errOut, "already shipped") {
		t.Errorf("batch: exit %d\n%s%s", code, out, errOut)
	}
	if files, _ := os.ReadDir(labels); len(files) != 0 {
		t.Errorf("%d labels written for orders JD shows shipped", len(files))
	}
	for _, id := range ids {
		if lo, _ := sim.Server.Ledger().Order(id); lo.OutstorageAttempts != 0 {
			t.Errorf("%s: outstorage sent: %+v", id, lo)
		}
	}
}
