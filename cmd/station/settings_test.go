package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/printdata"
	"station/settings"
	"station/ui/uitest"
)

// saveWindowSettings saves settings as the window's Settings tab does: a custom endpoint on sim,
// the app key, the secrets in the (mock) keyring, a SOP carrier and a label size.
func saveWindowSettings(t *testing.T, sim *jostest.Running, dir string, sopCarrier string) {
	t.Helper()
	uitest.SaveSettings(t, dir, sim.URL, filepath.Join(dir, "labels"), func(cfg *settings.Settings) {
		cfg.Carriers["SOP"] = sopCarrier
		cfg.LabelSize = "76x130"
	})
}

// With the window's settings saved, `station batch -pending -ship` needs no flag: endpoint,
// credentials and the SOP carrier come from the settings; a flag given overrides its setting.
func TestCLIUsesSavedSettings(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 30})
	dir := t.TempDir()
	t.Setenv("STATION_CONFIG", dir)
	saveWindowSettings(t, sim, dir, "1274") // 厂家自送: no waybill needed
	journalPath := filepath.Join(dir, "j.db")

	code, out, errOut := runIn(t, "", "-journal", journalPath, "-rate=-1", "batch", "-pending", "-ship")
	if code != 0 {
		t.Fatalf("batch -pending -ship with saved settings: exit %d\n%s%s", code, out, errOut)
	}
	var sops int
	for _, o := range sim.Server.Ledger().Orders {
		if o.Type != shop.TypeSOP || o.OutstorageAccepted == 0 {
			continue
		}
		sops++
		if got := o.Shipments[0].LogisticsID; got != "1274" {
			t.Errorf("SOP order %s shipped with carrier %q, want the saved 1274", o.OrderID, got)
		}
	}
	if sops == 0 {
		t.Fatal("no SOP order shipped with the saved carrier")
	}

	// A flag overrides its setting: with SF saved (a carrier that needs a waybill) a SOP order
	// cannot ship in a batch, with -sop-logistics 1274 it does; a wrong app key is refused by JD.
	sim2 := jostest.StartT(t, jostest.Options{Orders: 30, Seed: 2})
	saveWindowSettings(t, sim2, dir, "467")
	sop := sim2.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitStockOut)[0]
	code, out, errOut = runIn(t, "", "-journal", filepath.Join(dir, "j2.db"), "-rate=-1", "batch", "-order", sop, "-ship")
	if lo := ledgerOf(t, sim2, sop); code != 1 || lo.OutstorageAttempts != 0 || !strings.Contains(out, "needs a waybill") {
		t.Errorf("the saved 467 without its waybill: exit %d, ledger %+v\n%s%s", code, lo, out, errOut)
	}
	code, out, errOut = runIn(t, "", "-journal", filepath.Join(dir, "j2.db"), "-rate=-1", "batch", "-order", sop, "-ship", "-sop-logistics", "1274")
	if lo := ledgerOf(t, sim2, sop); code != 0 || lo.OutstorageAccepted != 1 || lo.Shipments[0].LogisticsID != "1274" {
		t.Errorf("-sop-logistics 1274 over the saved 467: exit %d, ledger %+v\n%s%s", code, lo, out, errOut)
	}
	code, _, errOut = runIn(t, "", "-journal", filepath.Join(dir, "j2.db"), "-app-key", "someone-else", "orders")
	if code != 1 || !strings.Contains(errOut, "21") {
		t.Errorf("-app-key over the saved key: exit %d, %s", code, errOut)
	}
	// The saved label size is used, and -size overrides it.
	lbp := sim2.Server.OrderIDs(shop.TypeLBP, printdata.StateWaitStockOut)[0]
	for _, tt := range []struct {
		args []string
		want string
	}{{nil, "76x130"}, {[]string{"-size", "100x180"}, "100x180"}} {
		pdf := filepath.Join(dir, "l.pdf")
		args := append([]string{"-journal", filepath.Join(dir, "j3.db"), "print", "-order", lbp, "-o", pdf}, tt.args...)
		code, out, errOut := runIn(t, "", args...)
		if code != 0 || !strings.Contains(out, tt.want+" mm") {
			t.Errorf("print %v: exit %d, %q, want a %s label\n%s", tt.args, code, out, tt.want, errOut)
		}
	}
}

// Without saved settings the command line needs -endpoint or -demo: it never falls back to the
// simulator silently.
func TestCLIWithoutSettingsNeedsEndpoint(t *testing.T) {
	t.Setenv("STATION_CONFIG", t.TempDir())
	code, _, errOut := runIn(t, "", "orders")
	if code != 1 || !strings.Contains(errOut, "No JOS endpoint") {
		t.Errorf("orders without settings: exit %d, %s", code, errOut)
	}
}

// station print is an explicit request: asked twice, it prints twice, and both prints are in
// the journal; station batch then skips the order as printed.
func TestCLIPrintTwiceBatchSkips(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 30})
	dir := t.TempDir()
	g := simFlags(sim, filepath.Join(dir, "j.db"))
	id := waitingIDs(t, sim, shop.TypeLBP, 1)[0]
	out := filepath.Join(dir, "labels.zpl")
	spec := "file:" + out + "?lang=zpl"
	for i := 1; i <= 2; i++ {
		os.Remove(out)
		if code, stdout, errOut := runIn(t, "", append(g, "print", "-order", id, "-printer", spec)...); code != 0 || !strings.Contains(stdout, "Wrote 1 label") {
			t.Fatalf("print #%d: exit %d\n%s%s", i, code, stdout, errOut)
		}
		if b, _ := os.ReadFile(out); strings.Count(string(b), "^XA") != 1 {
			t.Fatalf("print #%d: %d labels sent, want 1", i, strings.Count(string(b), "^XA"))
		}
	}
	// -o too: the same pipeline, journaled.
	pdf := filepath.Join(dir, "again.pdf")
	if code, stdout, errOut := runIn(t, "", append(g, "print", "-order", id, "-o", pdf)...); code != 0 {
		t.Fatalf("print -o: exit %d\n%s%s", code, stdout, errOut)
	}
	if _, err := os.Stat(pdf); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runIn(t, "", append(g, "history", "-order", id, "-json")...)
	if code != 0 {
		t.Fatalf("history: %d %s", code, errOut)
	}
	var hist []historyJSON
	if err := json.Unmarshal([]byte(stdout), &hist); err != nil || len(hist) != 1 {
		t.Fatalf("history %q: %v", stdout, err)
	}
	if hist[0].Prints != 3 || hist[0].State != "printed" {
		t.Errorf("journal: %d prints, state %s; want 3 prints, printed", hist[0].Prints, hist[0].State)
	}
	before, _ := os.ReadFile(out)
	code, stdout, errOut = runIn(t, "", append(g, "batch", "-order", id, "-printer", spec)...)
	after, _ := os.ReadFile(out)
	if code != 0 || !strings.Contains(stdout, "1 already done") || len(after) != len(before) {
		t.Errorf("batch after the prints: exit %d, %d more bytes\n%s%s", code, len(after)-len(before), stdout, errOut)
	}
	if n := strings.Count(string(after), "^XA"); n != 1 {
		t.Errorf("%d labels in the printer's file after the batch, want the second print's 1", n)
	}
}

// station reprint with no -printer prints on the saved printer (a PDF folder here).
func TestCLIReprintOnSavedPrinter(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 30})
	dir := t.TempDir()
	t.Setenv("STATION_CONFIG", dir)
	saveWindowSettings(t, sim, dir, "1274")
	id := sim.Server.OrderIDs(shop.TypeLBP, printdata.StateWaitStockOut)[0]
	code, out, errOut := runIn(t, "", "-journal", filepath.Join(dir, "j.db"), "-rate=-1", "reprint", "-order", id)
	if code != 0 {
		t.Fatalf("reprint: exit %d\n%s%s", code, out, errOut)
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, "labels", id+"-*.pdf"))
	if len(pdfs) != 1 {
		t.Errorf("labels in the saved PDF folder: %v", pdfs)
	}
}

// TestNoSecretInAnyOutput: with the secret and the token set in the environment and on the
// command line, no command's -h, no bad flag and none of these error paths shows them.
func TestNoSecretInAnyOutput(t *testing.T) {
	const secret, token = "SENTINEL-secret-4711", "SENTINEL-token-0815"
	t.Setenv("STATION_APP_SECRET", secret)
	t.Setenv("STATION_ACCESS_TOKEN", token)
	_, usage, usageErr := runIn(t, "", "-h")
	usage += usageErr
	var names []string
	if _, list, ok := strings.Cut(usage, "commands:\n"); ok {
		list, _, _ = strings.Cut(list, "\n\n")
		for _, line := range strings.Split(list, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] != "gui" {
				names = append(names, f[0])
			}
		}
	}
	if len(names) < 10 {
		t.Fatalf("commands %v from:\n%s", names, usage)
	}
	var runs [][]string
	for _, n := range names {
		runs = append(runs, []string{n, "-h"}, []string{n, "-bogus-flag"},
			[]string{"-app-secret", secret, "-token", token, n, "-bogus-flag"})
	}
	runs = append(runs,
		[]string{"-endpoint", "http://127.0.0.1:9/routerjson?access_token=" + token, "-app-key", "k", "orders"},
		[]string{"-endpoint", "http://127.0.0.1:9/routerjson", "-app-key", "k", "-timeout", "200ms", "orders"},
		[]string{"-endpoint", "https://u:" + secret + "@api.jd.com/routerjson", "-app-key", "k", "carriers"},
	)
	for _, args := range runs {
		_, stdout, stderr := runIn(t, "", append([]string{"-config", t.TempDir()}, args...)...)
		if out := stdout + stderr; strings.Contains(out, secret) || strings.Contains(out, token) {
			t.Errorf("station %v shows a credential:\n%s", args, out)
		}
	}
}
