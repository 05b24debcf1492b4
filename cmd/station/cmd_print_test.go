package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"station/jos/jostest"
	"station/printdata"
)

// station runs the command line in-process, like main does.
func runStation(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runIn(t, "", args...)
}

// demoOrders lists the demo simulator's orders as `station orders -json` does.
func demoOrders(t *testing.T) []orderJSON {
	t.Helper()
	code, out, errOut := runStation(t, "-demo", "-rate=-1", "orders", "-json")
	if code != 0 {
		t.Fatalf("orders: %d %s", code, errOut)
	}
	var list []orderJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	return list
}

func pdfPageCount(t testing.TB, b []byte) int {
	t.Helper()
	m := regexp.MustCompile(`/Type /Pages\n/Kids \[[^\]]*\]\n/Count (\d+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no page tree in the PDF")
	}
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
	}
	return n
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestPrintOrdersToPDF(t *testing.T) {
	waiting := demoOrders(t)
	if len(waiting) < 3 {
		t.Fatalf("demo has %d waiting orders", len(waiting))
	}
	ids := []string{waiting[2].OrderID, waiting[0].OrderID, waiting[1].OrderID}
	dir := t.TempDir()
	out := filepath.Join(dir, "labels.pdf")
	code, stdout, stderr := runStation(t, "-demo", "-rate=-1", "print", "-order", strings.Join(ids, ","), "-o", out,
		"-size", "100x180", "-privacy", "-offset-x", "1.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Wrote 3 label(s), 100x180 mm") {
		t.Errorf("stdout = %q", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := pdfPageCount(t, b); n != 3 {
		t.Errorf("%d pages", n)
	}
	if !bytes.Contains(b, []byte("/MediaBox [0 0 283.46 510.24]")) {
		t.Errorf("not 100x180 mm")
	}
	noTempFiles(t, dir)
	if tool, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command(tool, out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(string(text), "\f")
		for i, id := range ids {
			if !strings.Contains(pages[i], id) {
				t.Errorf("page %d lacks order %s", i+1, id)
			}
		}
	}
}

func TestPrintPendingAndPartialFailure(t *testing.T) {
	waiting := demoOrders(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "pending.pdf")
	code, stdout, stderr := runStation(t, "-demo", "-rate=-1", "print", "-pending", "-o", out, "-concurrency", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := pdfPageCount(t, b); n != len(waiting) {
		t.Errorf("%d pages for %d waiting orders (%s)", n, len(waiting), stdout)
	}

	// A locked or cancelled order gets no label; the others still print, and the exit status
	// says something is missing.
	// -demo serves jostest's default orders, the same every time.
	var blocked string
	for _, o := range jostest.New(jostest.Options{}).Ledger().Orders {
		if o.State == "LOCKED" || o.State == "TRADE_CANCELED" {
			blocked = o.OrderID
		}
	}
	if blocked == "" {
		t.Skip("the demo has no locked or cancelled order")
	}
	out2 := filepath.Join(dir, "partial.pdf")
	code, _, stderr = runStation(t, "-demo", "-rate=-1", "print", "-order", waiting[0].OrderID+","+blocked, "-o", out2)
	if code != 1 || !strings.Contains(stderr, "no label for order "+blocked) || !strings.Contains(stderr, "1 of 2 orders have no label") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	b, err = os.ReadFile(out2)
	if err != nil || pdfPageCount(t, b) != 1 {
		t.Fatalf("partial PDF: %v", err)
	}

	// Nothing printable: no file at all.
	out3 := filepath.Join(dir, "none.pdf")
	code, _, stderr = runStation(t, "-demo", "-rate=-1", "print", "-order", blocked, "-o", out3)
	if code != 1 || !strings.Contains(stderr, "no PDF written") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out3); !os.IsNotExist(err) {
		t.Errorf("a failed print left %s", out3)
	}
	noTempFiles(t, dir)
}

func TestPrintFailureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "labels.pdf")
	if err := os.WriteFile(out, []byte("yesterday's labels"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A wrong secret: JOS refuses every call, the batch stops, the old file stays as it was.
	code, _, stderr := runStation(t, "-demo", "-rate=-1", "-app-secret", "wrong", "print", "-order", "1234567890", "-o", out)
	if code == 0 {
		t.Fatalf("print with a bad order succeeded")
	}
	if b, _ := os.ReadFile(out); string(b) != "yesterday's labels" {
		t.Errorf("the old file was replaced by %q (stderr %s)", b[:min(len(b), 20)], stderr)
	}
	noTempFiles(t, dir)
}

func TestPrintUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"print", "-o", "x.pdf"}, "either -order"},
		{[]string{"print", "-pending", "-order", "1234567890", "-o", "x.pdf"}, "either -order"},
		{[]string{"print", "-pending"}, "give either -o FILE.pdf or -printer SPEC"},
		{[]string{"print", "-pending", "-o", "x.pdf", "-size", "4x6"}, "unknown label size"},
		{[]string{"print", "-pending", "-o", "x.pdf", "-offset-x", "20"}, "-offset-x must be between"},
		{[]string{"print", "-order", "12ab", "-o", "x.pdf"}, "not a JD order id"},
		{[]string{"print", "-order", "1234567890,1234567890", "-o", "x.pdf"}, "listed twice"},
		{[]string{"print", "-pending", "-o", "x.pdf", "-concurrency", "0"}, "-concurrency"},
		{[]string{"preview", "-o", "x.png"}, "-order is required"},
		{[]string{"preview", "-order", "1234567890", "-o", "x.png", "-dpi", "5000"}, "-dpi"},
	} {
		code, _, stderr := runStation(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestPreviewPNG(t *testing.T) {
	waiting := demoOrders(t)
	dir := t.TempDir()
	for _, dpi := range []string{"203", "300"} {
		out := filepath.Join(dir, "label-"+dpi+".png")
		code, stdout, stderr := runStation(t, "-demo", "-rate=-1", "preview", "-order", waiting[0].OrderID, "-o", out, "-dpi", dpi, "-size", "76x130")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int{"203": {608, 1040}, "300": {898, 1535}}[dpi]
		if b := img.Bounds(); b.Dx() != want[0] || b.Dy() != want[1] {
			t.Errorf("%s dpi: %v, want %v (%s)", dpi, b, want, stdout)
		}
	}
	noTempFiles(t, dir)
}

// Under JD's quota a print run slows down, says so on the terminal (not at every cut), and
// prints every label.
func TestPrintUnderQuota(t *testing.T) {
	// A quota low enough that even a slow run (-race, a busy CI machine) goes past it.
	sim := jostest.StartT(t, jostest.Options{Orders: 40, Quota: 4})
	out := filepath.Join(t.TempDir(), "labels.pdf")
	args := append(simArgs(sim)[:8:8], "-config", t.TempDir(), "print", "-pending", "-o", out)
	code, stdout, stderr := runStation(t, args...)
	if code != 0 || !strings.Contains(stdout, "Wrote") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Told, but not at every cut: at most once per 10 s of the run.
	if n := strings.Count(stderr, "京东限流：已降至"); n < 1 || n > 2 || !strings.Contains(stderr, "JD is limiting calls") || sim.Server.QuotaRefusals() == 0 {
		t.Errorf("the slow-down told %d times after %d refusals: %s", n, sim.Server.QuotaRefusals(), stderr)
	}
}

// TestOrdersPastJDsWindow: a shop with more orders waiting than JD hands out in one search
// (5,000) gets them all from `station orders`, each once, and is told the listing's progress.
func TestOrdersPastJDsWindow(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 7000})
	want := sim.Server.OrderIDs("", printdata.StateWaitStockOut)
	if len(want) <= printdata.SearchWindow {
		t.Fatalf("only %d orders waiting: the test needs more than JD's %d", len(want), printdata.SearchWindow)
	}
	code, stdout, stderr := runStation(t, append(simArgs(sim), "-config", t.TempDir(), "orders", "-json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var list []orderJSON
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(list))
	for i, o := range list {
		got[i] = o.OrderID
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("listed %d orders, %d distinct; the simulator has %d waiting", len(got), len(slices.Compact(slices.Clone(got))), len(want))
	}
	if !strings.Contains(stderr, "正在列出订单：已列 5") || !strings.Contains(stderr, "listing orders:") {
		t.Errorf("no progress while listing: %q", stderr)
	}
}

// TestScanSurvivesAHugeLine: a 1 MB line on station scan's input (a scanner gone wild, a paste)
// is refused as a bad scan, and the scan after it is printed: the session goes on.
func TestScanSurvivesAHugeLine(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{})
	id := sim.Server.OrderIDs("SOPL", printdata.StateWaitStockOut)[0]
	labels := t.TempDir()
	stdin := strings.Repeat("9", 1<<20) + "\n" + id + "\n"
	args := append(simArgs(sim), "-config", t.TempDir(), "-journal", filepath.Join(t.TempDir(), "j.db"), "scan", "-printer", "pdf:"+labels)
	code, stdout, stderr := runIn(t, stdin, args...)
	if code == 0 || !strings.Contains(stdout, "a scan of 1048576 bytes is far too long") {
		t.Errorf("exit %d; the long line was not refused on its own:\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, id) || strings.Contains(stderr, "token too long") {
		t.Errorf("the scan after the long line was not handled:\n%s\n%s", stdout, stderr)
	}
	if ents, _ := os.ReadDir(labels); len(ents) != 1 {
		t.Errorf("%d labels printed, want 1 (the order scanned after the long line)", len(ents))
	}
}

// TestCarriers: station carriers lists the shop's carriers with the logistics ids the other
// commands take (the hints of waybill-file mistakes name it).
func TestCarriers(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{})
	code, stdout, stderr := runStation(t, append(simArgs(sim), "-config", t.TempDir(), "carriers", "-json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var list []struct {
		ID   string `json:"logistics_id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, c := range list {
		ids[c.ID] = c.Name
	}
	if ids["1274"] == "" || ids["467"] == "" || len(list) < 3 {
		t.Errorf("carriers %v: want the simulator's shop, 1274 and 467 among them", list)
	}
	code, stdout, _ = runStation(t, append(simArgs(sim), "-config", t.TempDir(), "carriers")...)
	if code != 0 || !strings.Contains(stdout, "LOGISTICS_ID") || !strings.Contains(stdout, ids["467"]) {
		t.Errorf("table: exit %d\n%s", code, stdout)
	}
}
