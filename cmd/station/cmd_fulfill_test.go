package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/printdata"
)

// runIn runs the command line in-process with stdin.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// simFlags are the global flags for a simulator served by the test, with a journal.
func simFlags(sim *jostest.Running, journal string) []string {
	return append(simArgs(sim), "-journal", journal)
}

// startSim serves a simulator for the test, closed when it ends.
func waitingIDs(t *testing.T, sim *jostest.Running, typ string, n int) []string {
	t.Helper()
	ids := sim.Server.OrderIDs(typ, printdata.StateWaitStockOut)
	if len(ids) < n {
		t.Fatalf("%d waiting %s orders, want %d", len(ids), typ, n)
	}
	return ids[:n]
}

func ledgerOf(t *testing.T, sim *jostest.Running, id string) jostest.LedgerOrder {
	t.Helper()
	lo, ok := sim.Server.Ledger().Order(id)
	if !ok {
		t.Fatalf("order %s not in the ledger", id)
	}
	return lo
}

func outstorageCalls(sim *jostest.Running) int {
	n := 0
	for _, o := range sim.Server.Ledger().Orders {
		n += o.OutstorageAttempts
	}
	return n
}

func TestCLIScan(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	dir := t.TempDir()
	g := simFlags(sim, filepath.Join(dir, "j.db"))
	lbp, sop := waitingIDs(t, sim, shop.TypeLBP, 1)[0], waitingIDs(t, sim, shop.TypeSOP, 2)
	labels := filepath.Join(dir, "labels")
	os.Mkdir(labels, 0o755)
	in := strings.Join([]string{
		"]C0" + lbp + "\r",       // LBP: printed, shipped with 0
		"SF1000000000101",        // a waybill first: refused
		"\x02" + sop[0] + "\x03", // SOP with SF, two parcels: waits for their waybills
		" sf1000000000102\t",     // the first, lower case with noise
		"SF1000000000103",        // the second: shipped
		lbp,                      // again: already done
		":carrier 1274",          // self delivery for the next SOP order
		sop[1],
	}, "\n") + "\n"
	code, out, errOut := runIn(t, in, append(g, "scan", "-o", labels, "-ship", "-logistics", "467", "-packages", "2")...)
	if code != 1 {
		t.Errorf("exit %d (a refused scan must make it 1)\n%s\n%s", code, out, errOut)
	}
	lines := []string{}
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, " ") {
			lines = append(lines, strings.Fields(l)[0])
		}
	}
	want := []string{"printed+shipped", "rejected", "need-waybill", "need-waybill", "printed+shipped", "already-done", "carrier", "printed+shipped"}
	if strings.Join(lines, " ") != strings.Join(want, " ") {
		t.Errorf("results %v, want %v\n%s", lines, want, out)
	}
	if !strings.Contains(out, "looks like a waybill") {
		t.Errorf("the refused waybill is not explained:\n%s", out)
	}
	for id, w := range map[string]shop.Shipment{
		lbp: {LogisticsID: "0", PackageNum: 2},
		// SOP outstorage has no package count: JD counts the waybills.
		sop[0]: {LogisticsID: "467", Waybill: "SF1000000000102,SF1000000000103", PackageNum: 2},
		sop[1]: {LogisticsID: "1274", PackageNum: 1},
	} {
		if lo := ledgerOf(t, sim, id); lo.OutstorageAccepted != 1 || lo.Shipments[0] != w {
			t.Errorf("order %s: ledger %+v, want %+v", id, lo, w)
		}
	}
	if files, _ := os.ReadDir(labels); len(files) != 6 {
		t.Errorf("%d label files, want 6 (2 parcels × 3 orders)", len(files))
	}

	// A print-only session on the same journal: all three are done already.
	code, out, _ = runIn(t, lbp+"\n"+sop[0]+"\n", append(g, "scan", "-o", labels)...)
	if code != 0 || strings.Count(out, "already-done") != 2 {
		t.Errorf("exit %d\n%s", code, out)
	}
	// Neither printer nor -ship: a usage error.
	if code, _, errOut := runIn(t, "", append(g, "scan")...); code != 2 || !strings.Contains(errOut, "-ship") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestCLIShipWaybillHistory(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	g := simFlags(sim, filepath.Join(t.TempDir(), "j.db"))
	lbp, sopl, sop := waitingIDs(t, sim, shop.TypeLBP, 1)[0], waitingIDs(t, sim, shop.TypeSOPL, 1)[0], waitingIDs(t, sim, shop.TypeSOP, 2)

	// Each validation error: exit 1, a message, no call.
	for _, args := range [][]string{
		{"-order", sop[0], "-logistics", "2100", "-waybill", "YT1234567890123"},
		{"-order", sop[0], "-logistics", "0"},
		{"-order", sop[0], "-logistics", "467"},
		{"-order", sop[0], "-logistics", "467", "-waybill", "JDVA0000000001"},
		{"-order", sop[0], "-logistics", "467", "-waybill", "SF1000000000201,SF1000000000202", "-packages", "1"},
		{"-order", lbp, "-logistics", "0|467", "-waybill", "|SF1000000000203"},
		{"-order", lbp, "-logistics", "0", "-waybill", "SF1000000000204"},
	} {
		code, out, errOut := runIn(t, "", append(append(g, "ship"), args...)...)
		if code != 1 || !strings.Contains(errOut, "Nothing was sent") || out != "" {
			t.Errorf("ship %v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"-order", "12x", "-logistics", "0"}, {"-order", lbp}, {"-order", lbp, "-logistics", "0", "-waybill", "a|b"}} {
		if code, _, _ := runIn(t, "", append(append(g, "ship"), args...)...); code != 2 {
			t.Errorf("ship %v: exit %d, want 2", args, code)
		}
	}
	if n := outstorageCalls(sim); n != 0 {
		t.Fatalf("%d outstorage calls after refused input", n)
	}

	for _, tt := range []struct {
		args []string
		id   string
		want shop.Shipment
	}{
		{[]string{"-order", lbp, "-logistics", "0", "-packages", "2"}, lbp, shop.Shipment{LogisticsID: "0", PackageNum: 2}},
		{[]string{"-order", sopl, "-logistics", "336878", "-waybill", "jdva00000000201"}, sopl, shop.Shipment{LogisticsID: "336878", Waybill: "JDVA00000000201", PackageNum: 1}},
		{[]string{"-order", sop[0], "-logistics", "467|1499", "-waybill", "SF1000000000205,SF1000000000206|731000000205", "-packages", "3"}, sop[0],
			shop.Shipment{LogisticsID: "467|1499", Waybill: "SF1000000000205,SF1000000000206|731000000205", PackageNum: 3}},
		{[]string{"-order", sop[1], "-logistics", "1274", "-type", "sop"}, sop[1], shop.Shipment{LogisticsID: "1274", PackageNum: 1}},
	} {
		code, out, errOut := runIn(t, "", append(append(g, "ship"), tt.args...)...)
		if code != 0 || !strings.Contains(out, "shipped") {
			t.Errorf("ship %v: exit %d\n%s%s", tt.args, code, out, errOut)
		}
		if lo := ledgerOf(t, sim, tt.id); lo.OutstorageAccepted != 1 || lo.Shipments[0] != tt.want {
			t.Errorf("ship %v: ledger %+v, want %+v", tt.args, lo, tt.want)
		}
	}
	// Again: nothing sent.
	code, out, _ := runIn(t, "", append(g, "ship", "-order", lbp, "-logistics", "0", "-packages", "2")...)
	if code != 0 || !strings.Contains(out, "already shipped") || ledgerOf(t, sim, lbp).OutstorageAttempts != 1 {
		t.Errorf("again: %d %s", code, out)
	}
	// A correction.
	code, out, errOut := runIn(t, "", append(g, "waybill", "-order", sop[0], "-logistics", "1499", "-waybill", "731000000299")...)
	if code != 0 {
		t.Fatalf("waybill: %d %s %s", code, out, errOut)
	}
	if lo := ledgerOf(t, sim, sop[0]); lo.Shipments[len(lo.Shipments)-1].Waybill != "731000000299" {
		t.Errorf("after the correction: %+v", lo)
	}

	// History, as JSON: every entry with its type, state, carriers, waybills and times.
	code, out, errOut = runIn(t, "", append(g, "history", "-json")...)
	if code != 0 {
		t.Fatalf("history: %d %s", code, errOut)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("%d entries", len(list))
	}
	for _, e := range list {
		for _, k := range []string{"order_id", "type", "state", "carriers", "waybills", "created_at", "updated_at", "shipped_at", "printed_at"} {
			if _, ok := e[k]; !ok {
				t.Errorf("entry %v lacks %s", e["order_id"], k)
			}
		}
		if e["state"] != "shipped" || e["shipped_at"] == nil {
			t.Errorf("entry %v", e)
		}
	}
	code, out, _ = runIn(t, "", append(g, "history", "-waybill", "731000000299", "-json")...)
	if code != 0 || !strings.Contains(out, `"order_id": "`+sop[0]+`"`) || !strings.Contains(out, `"logistics_id": "1499"`) {
		t.Errorf("by waybill: %d %s", code, out)
	}
	code, out, _ = runIn(t, "", append(g, "history", "-order", sopl)...)
	if code != 0 || !strings.Contains(out, "336878:JDVA00000000201") {
		t.Errorf("table: %d %s", code, out)
	}
}

func TestCLIBatch(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	dir := t.TempDir()
	g := simFlags(sim, filepath.Join(dir, "j.db"))
	lbp, sop := waitingIDs(t, sim, shop.TypeLBP, 2), waitingIDs(t, sim, shop.TypeSOP, 3)
	locked := sim.Server.OrderIDs("", printdata.StateLocked)[0]
	orders := filepath.Join(dir, "orders.txt")
	os.WriteFile(orders, []byte(strings.Join(append(append([]string{"# today"}, lbp...), sop...), "\n")+"\n"), 0o644)
	csv := filepath.Join(dir, "waybills.csv")
	pdf := filepath.Join(dir, "labels.pdf")

	// A waybill file with mistakes: every mistake listed with its line, nothing done.
	os.WriteFile(csv, []byte("order_id,logistics_id,waybill,packages\n"+
		sop[0]+",467,SF1000000000301\n"+
		sop[1]+",2100,YT1234567890123\n"+
		sop[2]+",467,\n"+
		lbp[0]+",0,,x\n"), 0o644)
	code, out, errOut := runIn(t, "", append(g, "batch", "-orders", orders, "-o", pdf, "-ship", "-waybills", csv)...)
	if code != 1 || !strings.Contains(errOut, "line 5") || strings.Contains(errOut, "line 2") {
		t.Errorf("syntax: exit %d\n%s%s", code, out, errOut)
	}
	os.WriteFile(csv, []byte("order_id,logistics_id,waybill,packages\n"+
		sop[0]+",467,SF1000000000301\n"+
		sop[1]+",2100,YT1234567890123\n"+
		sop[2]+",467,\n"+
		lbp[0]+",0,,2\n"), 0o644)
	code, out, errOut = runIn(t, "", append(g, "batch", "-orders", orders, "-o", pdf, "-ship", "-waybills", csv)...)
	if code != 1 || !strings.Contains(errOut, "line 3: carrier 2100") || !strings.Contains(errOut, "line 4: carrier 467") {
		t.Errorf("carriers: exit %d\n%s%s", code, out, errOut)
	}
	if outstorageCalls(sim) != 0 {
		t.Fatal("a bad waybill file led to outstorage calls")
	}
	if _, err := os.Stat(pdf); err == nil {
		t.Fatal("a bad waybill file led to a PDF")
	}

	os.WriteFile(csv, []byte(sop[0]+",467,SF1000000000301\n"+sop[1]+",467,SF1000000000302\n"+sop[1]+",1499,731000000302\n"+lbp[0]+",0,,2\n"), 0o644)
	code, out, errOut = runIn(t, "", append(g, "batch", "-orders", orders, "-o", pdf, "-ship", "-waybills", csv, "-sop-logistics", "1274", "-concurrency", "3")...)
	if code != 0 || !strings.Contains(out, "5 printed, 5 shipped, 0 already done, 0 failed") || !strings.Contains(out, "[5/5]") {
		t.Fatalf("batch: exit %d\n%s%s", code, out, errOut)
	}
	for id, w := range map[string]shop.Shipment{
		sop[0]: {LogisticsID: "467", Waybill: "SF1000000000301", PackageNum: 1},
		sop[1]: {LogisticsID: "467|1499", Waybill: "SF1000000000302|731000000302", PackageNum: 2},
		sop[2]: {LogisticsID: "1274", PackageNum: 1},
		lbp[0]: {LogisticsID: "0", PackageNum: 2},
		lbp[1]: {LogisticsID: "0", PackageNum: 1},
	} {
		if lo := ledgerOf(t, sim, id); lo.OutstorageAccepted != 1 || lo.Shipments[0] != w {
			t.Errorf("order %s: %+v, want %+v", id, lo, w)
		}
	}
	if _, err := os.Stat(pdf); err != nil {
		t.Fatal(err)
	}
	// Again, with a locked order added: the five are done, the locked one fails, exit 1.
	code, out, _ = runIn(t, "", append(g, "batch", "-order", strings.Join(append(append(lbp, sop...), locked), ","), "-o", pdf, "-ship", "-sop-logistics", "1274")...)
	if code != 1 || !strings.Contains(out, "0 printed, 0 shipped, 5 already done, 1 failed") || !strings.Contains(out, locked) || !strings.Contains(out, "LOCKED") {
		t.Errorf("again: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "labels-2.pdf")); err == nil {
		t.Error("a batch with nothing to print wrote a PDF")
	}
	// Usage errors.
	for _, args := range [][]string{{"batch", "-pending"}, {"batch", "-pending", "-order", "1", "-ship"}, {"batch", "-order", "1", "-waybills", csv}, {"batch", "-order", "1", "-ship", "-sop-logistics", "0"}} {
		if code, _, _ := runIn(t, "", append(g, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// Reprint into a PDF: never ships again.
	calls := outstorageCalls(sim)
	code, out, errOut = runIn(t, "", append(g, "reprint", "-order", lbp[0], "-o", pdf)...)
	if code != 0 || !strings.Contains(out, "labels-2.pdf") || outstorageCalls(sim) != calls {
		t.Errorf("reprint: %d %s %s", code, out, errOut)
	}
}

// -demo without -journal uses a temporary journal and says where.
func TestCLIDemoJournal(t *testing.T) {
	code, out, errOut := runIn(t, "", "-demo", "-rate=-1", "batch", "-pending", "-ship", "-sop-logistics", "1274")
	if code != 0 || !strings.Contains(errOut, "temporary journal at") || !strings.Contains(out, "already done, 0 failed") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestSmallRefusals: a word :reprint does not know is refused, not taken as off; ship
// -packages 0 is refused as scan refuses it, not taken as one parcel.
func TestSmallRefusals(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{})
	base := append(simArgs(sim), "-config", t.TempDir(), "-journal", filepath.Join(t.TempDir(), "j.db"))
	_, stdout, _ := runIn(t, ":reprint maybe\n:reprint off\n", append(slices.Clone(base), "scan", "-printer", "pdf:"+t.TempDir())...)
	if !strings.Contains(stdout, `:reprint "maybe": say :reprint on or :reprint off`) || !strings.Contains(stdout, "reprint         false") {
		t.Errorf(":reprint maybe:\n%s", stdout)
	}
	for _, rate := range []string{"NaN", "+Inf", "x"} {
		if code, _, stderr := runIn(t, "", append(slices.Clone(base), "-rate", rate, "orders")...); code != 2 || !strings.Contains(stderr, "calls per second") {
			t.Errorf("-rate %s: exit %d %s", rate, code, stderr)
		}
	}
	id := sim.Server.OrderIDs("SOP", printdata.StateWaitStockOut)[0]
	code, _, stderr := runIn(t, "", append(slices.Clone(base), "ship", "-order", id, "-logistics", "1274", "-packages", "0")...)
	if code == 0 || !strings.Contains(stderr, "-packages must be between 1 and") {
		t.Errorf("ship -packages 0: exit %d %s", code, stderr)
	}
	if lo := sim.Server.Ledger(); len(lo.Orders) == 0 {
		t.Fatal("no ledger")
	}
	for _, o := range sim.Server.Ledger().Orders {
		if o.OrderID == id && o.OutstorageAttempts != 0 {
			t.Errorf("ship -packages 0 called JD: %+v", o)
		}
	}
}

// TestReprintPackages: reprint -packages N prints N labels, into a PDF or onto a printer;
// 0 is refused.
func TestReprintPackages(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{})
	id := sim.Server.OrderIDs("SOPL", printdata.StateWaitStockOut)[0]
	base := append(simArgs(sim), "-config", t.TempDir(), "-journal", filepath.Join(t.TempDir(), "j.db"))
	out := filepath.Join(t.TempDir(), "again.pdf")
	if code, _, stderr := runIn(t, "", append(slices.Clone(base), "reprint", "-order", id, "-packages", "3", "-o", out)...); code != 0 {
		t.Fatalf("reprint -o: %s", stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := pdfPageCount(t, b); n != 3 {
		t.Errorf("%d pages, want 3", n)
	}
	zpl := filepath.Join(t.TempDir(), "labels.zpl")
	if code, _, stderr := runIn(t, "", append(slices.Clone(base), "reprint", "-order", id, "-packages", "2", "-printer", "file:"+zpl+"?lang=zpl")...); code != 0 {
		t.Fatalf("reprint -printer: %s", stderr)
	}
	if b, _ := os.ReadFile(zpl); bytes.Count(b, []byte("^XA")) != 2 {
		t.Errorf("%d labels on the printer, want 2", bytes.Count(b, []byte("^XA")))
	}
	if code, _, stderr := runIn(t, "", append(slices.Clone(base), "reprint", "-order", id, "-packages", "0", "-o", out)...); code == 0 || !strings.Contains(stderr, "-packages must be between 1") {
		t.Errorf("reprint -packages 0: exit %d %s", code, stderr)
	}
	// Without -packages: one label per parcel the order was shipped with.
	if code, _, stderr := runIn(t, "", append(slices.Clone(base), "ship", "-order", id, "-logistics", "0", "-packages", "2")...); code != 0 {
		t.Fatalf("ship: %s", stderr)
	}
	out = filepath.Join(t.TempDir(), "shipped.pdf")
	if code, _, stderr := runIn(t, "", append(slices.Clone(base), "reprint", "-order", id, "-o", out)...); code != 0 {
		t.Fatalf("reprint: %s", stderr)
	}
	if b, _ := os.ReadFile(out); pdfPageCount(t, b) != 2 {
		t.Errorf("reprint of a 2-parcel shipment: %d pages", pdfPageCount(t, b))
	}
	os.Remove(zpl)
	if code, _, stderr := runIn(t, "", append(slices.Clone(base), "reprint", "-order", id, "-printer", "file:"+zpl+"?lang=zpl")...); code != 0 {
		t.Fatalf("reprint -printer: %s", stderr)
	}
	if b, _ := os.ReadFile(zpl); bytes.Count(b, []byte("^XA")) != 2 {
		t.Errorf("reprint of a 2-parcel shipment on a printer: %d labels", bytes.Count(b, []byte("^XA")))
	}
}
