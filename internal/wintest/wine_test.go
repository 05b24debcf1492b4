package wintest

import (
	"bytes"
	"context"
	"debug/pe"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"station/printer/printertest"
	"station/printer/raw"
)

// The tests share one prefix (booting one takes seconds) and one CUPS scheduler, made in
// TestMain for the exes in STATION_WINDOWS_DIST (make windows-test sets it).
var (
	wine  *Wine
	cups  *CUPS
	shots string // where the screenshots are kept: DIST/screenshots
)

// queue is the CUPS raw queue that Wine shows as a Windows printer. Its name says ZDesigner,
// as a Zebra's Windows driver does, so that the station reads ZPL from it.
const queue = "ZDesigner_ZD421"

func TestMain(m *testing.M) {
	dist := os.Getenv("STATION_WINDOWS_DIST")
	if dist == "" {
		// make test runs every package; these need the exes, which make windows-test builds
		// first (.ci/run runs both).
		fmt.Println("wintest: skipped: STATION_WINDOWS_DIST is not set (make windows-test runs these)")
		os.Exit(0)
	}
	if err := Tools(); err != nil {
		fmt.Fprintln(os.Stderr, "wintest:", err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "wintest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Chmod(dir, 0o755) // CUPS's backends run as lp
	code := func() int {
		defer os.RemoveAll(dir)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		var extra []string
		if c, err := StartCUPS(context.Background(), dir); err != nil {
			fmt.Println("wintest: no CUPS scheduler of its own, the spooler test will skip:", err)
		} else if err := c.AddRawQueue(ctx, queue); err != nil {
			c.Stop()
			fmt.Fprintln(os.Stderr, "wintest:", err)
			return 1
		} else {
			cups = c
			defer c.Stop()
			extra = append(extra, "CUPS_SERVER="+c.Socket)
		}
		start := time.Now()
		wine, err = NewWine(ctx, dir, dist, extra...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wintest:", err)
			return 1
		}
		defer wine.Kill()
		fmt.Printf("wintest: Wine prefix ready in %.1fs\n", time.Since(start).Seconds())
		shots = filepath.Join(dist, "screenshots")
		os.MkdirAll(shots, 0o755)
		return m.Run()
	}()
	os.Exit(code)
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// cli runs station-cli.exe and fails the test when it fails.
func cli(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	out, errOut, err := wine.Run(ctx, "station-cli.exe", args...)
	if err != nil {
		t.Fatalf("station-cli.exe %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// firstOrder is the skip-th waiting order of type typ (SOP, LBP, SOPL) of the demo simulator.
func firstOrder(t *testing.T, ctx context.Context, journal, typ string, skip int) string {
	t.Helper()
	out := cli(t, ctx, "-demo", "-journal", journal, "orders")
	if !utf8.ValidString(out) || !strings.ContainsFunc(out, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
		t.Fatalf("the order list is not UTF-8 Chinese:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && f[1] == typ && f[2] == "WAIT_SELLER_STOCK_OUT" {
			if skip == 0 {
				return f[0]
			}
			skip--
		}
	}
	t.Fatalf("no waiting %s order:\n%s", typ, out)
	return ""
}

// scanPDF reads the barcodes of a PDF's first page.
func scanPDF(t *testing.T, pdf string) string {
	t.Helper()
	png := strings.TrimSuffix(pdf, ".pdf")
	if out, err := exec.Command("pdftoppm", "-r", "200", "-png", "-singlefile", pdf, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, _ := exec.Command("zbarimg", "-q", "--raw", png+".png").Output()
	return string(out)
}

// wantLabel checks that job is one label in lang whose barcode is the order id.
func wantLabel(t *testing.T, lang raw.Language, job []byte, order string) {
	t.Helper()
	labels, err := printertest.Decode(lang, job, 203, raw.ZeroIsBlack)
	if err != nil || len(labels) != 1 {
		t.Fatalf("the job is not one %s label: %d labels, %v", lang, len(labels), err)
	}
	img := labels[0].Bitmap.Gray()
	if got, err := printertest.ScanCode128(img, img.Bounds()); err != nil || got != order {
		t.Fatalf("the job's label scans as %q (%v), want %s", got, err, order)
	}
}

// station-cli.exe under Wine prints an order's label into a PDF whose barcode is the order id.
func TestCLIPrintsAPDF(t *testing.T) {
	ctx := ctxFor(t, 3*time.Minute)
	order := firstOrder(t, ctx, `C:\cli.db`, "SOP", 0)
	out := cli(t, ctx, "-demo", "-journal", `C:\cli.db`, "print", "-order", order, "-o", `C:\label.pdf`)
	if !strings.Contains(out, `C:\label.pdf`) {
		t.Errorf("output %q does not name the PDF", out)
	}
	if codes := scanPDF(t, wine.Path(`C:\label.pdf`)); !strings.Contains(codes, order) {
		t.Fatalf("the PDF's barcodes %q do not hold %s", codes, order)
	}
}

// A label to a win: printer goes through Windows' spooler (Wine's maps to CUPS) as a RAW job:
// the raw queue gets ZPL that decodes to the label of the order, once; a batch over the same
// order then prints nothing, as the journal shows it printed.
func TestWindowsSpoolerPrintsRaw(t *testing.T) {
	if cups == nil {
		t.Skip("no CUPS scheduler of the test's own (needs root)")
	}
	ctx := ctxFor(t, 3*time.Minute)
	list := cli(t, ctx, "printers")
	if !strings.Contains(list, "win:"+queue+" (default)") || !strings.Contains(list, "zpl") {
		t.Fatalf("station printers does not offer the queue as a ZPL Windows printer:\n%s", list)
	}
	if !strings.Contains(list, "direct USB printing is not part of the Windows station") {
		t.Errorf("station printers does not say that USB is not built in:\n%s", list)
	}
	order := firstOrder(t, ctx, `C:\spool.db`, "SOP", 1)
	cli(t, ctx, "-demo", "-journal", `C:\spool.db`, "print", "-order", order, "-printer", "win:"+queue)
	var jobs [][]byte
	for end := time.Now().Add(30 * time.Second); len(jobs) == 0 && time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		jobs, _ = cups.Jobs()
	}
	if len(jobs) != 1 {
		t.Fatalf("%d jobs reached the queue, want 1\n%s", len(jobs), cups.Log())
	}
	wantLabel(t, raw.ZPL, jobs[0], order)
	out := cli(t, ctx, "-demo", "-journal", `C:\spool.db`, "batch", "-order", order, "-printer", "win:"+queue)
	time.Sleep(2 * time.Second)
	if again, _ := cups.Jobs(); len(again) != 1 {
		t.Errorf("%d jobs after a batch over the printed order:\n%s", len(again), out)
	}
	out, errOut, err := wine.Run(ctx, "station-cli.exe", "-demo", "-journal", `C:\spool.db`, "test-print", "-printer", "win:No Such Printer?lang=zpl")
	if err == nil || !strings.Contains(out+errOut, "no printer named") {
		t.Errorf("a missing Windows printer: %v\n%s%s", err, out, errOut)
	}
}

// station.exe -demo under Wine opens its window on Xvfb; an order scanned with xdotool prints
// and ships, as station-cli.exe history shows from the same journal; the settings live in
// %AppData%\station.
func TestWindowScansAndShips(t *testing.T) {
	ctx := ctxFor(t, 5*time.Minute)
	disp, err := StartDisplay(ctx, 1366, 768)
	if err != nil {
		t.Fatal(err)
	}
	defer disp.Stop()
	// A SOPL order: JD delivers it, so it ships without a waybill to scan.
	order := firstOrder(t, ctx, `C:\gui.db`, "SOPL", 0)
	// Verification off: the demo's orders would otherwise wait for their items to be scanned.
	cfgDir := filepath.Join(wine.Prefix, "AppData", "Roaming", "station")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "settings.json"), []byte(`{"verify": "off"}`), 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	gui := wine.Command(ctx, "station.exe", "-demo", "-journal", `C:\gui.db`)
	gui.Env = append(gui.Env, disp.Env(), "STATION_PACKER=9001 测试")
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		gui.Process.Kill()
		gui.Wait()
	}()
	id, err := disp.WaitWindow(ctx, "京东发货工作台")
	if err != nil {
		t.Fatal(err)
	}
	mapped := time.Since(start)
	// Usable: the scan line has the focus once the window has drawn; give it a moment.
	time.Sleep(2 * time.Second)
	t.Logf("the window was mapped %.1fs after start", mapped.Seconds())
	disp.X(ctx, "xdotool", "windowactivate", "--sync", id)
	if _, err := disp.X(ctx, "xdotool", "type", "--delay", "30", order); err != nil {
		t.Fatal(err)
	}
	disp.X(ctx, "xdotool", "key", "Return")
	var entry map[string]any
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		out, _, err := wine.Run(ctx, "station-cli.exe", "-journal", `C:\gui.db`, "history", "-order", order, "-json")
		var list []map[string]any
		if err == nil && json.Unmarshal([]byte(out), &list) == nil && len(list) == 1 && list[0]["state"] == "shipped" {
			entry = list[0]
			break
		}
	}
	time.Sleep(time.Second)
	disp.X(ctx, "import", "-window", "root", filepath.Join(shots, "windows-wine.png"))
	if entry == nil {
		t.Fatalf("%s was not shipped from the window (screenshot in %s)", order, shots)
	}
	if entry["prints"].(float64) != 1 || entry["packer"] != "9001 测试" {
		t.Errorf("history: %v", entry)
	}
	if _, err := os.Stat(filepath.Join(cfgDir, "settings.json")); err != nil {
		t.Errorf("the settings are not in %%AppData%%\\station: %v", err)
	}
}

// The installer installs silently for the user, without administrator rights: the exes, the
// shortcuts (Start menu with the demo and the command line, desktop) and the Apps & features
// entry; its uninstaller removes them again and keeps the user's settings.
func TestInstallerInstallsAndUninstalls(t *testing.T) {
	ctx := ctxFor(t, 5*time.Minute)
	if _, errOut, err := wine.Run(ctx, "station-setup.exe", "/S"); err != nil {
		t.Fatalf("station-setup.exe /S: %v\n%s", err, errOut)
	}
	wine.Wait(ctx)
	dir := filepath.Join(wine.Prefix, "AppData", "Local", "Programs", "station")
	for _, f := range []string{"station.exe", "station-cli.exe", "uninstall.exe", "station.ico"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("not installed: %v", err)
		}
	}
	// Wine speaks English here (LANG=C.UTF-8), so the installer does too.
	menu := filepath.Join(wine.Prefix, "AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "JD waybill station")
	for _, l := range []string{"JD waybill station.lnk", "JD waybill station (demo).lnk", "JD waybill station command line.lnk"} {
		if _, err := os.Stat(filepath.Join(menu, l)); err != nil {
			t.Errorf("no Start-menu shortcut: %v", err)
		}
	}
	desktop := filepath.Join(wine.Home, "Desktop", "JD waybill station.lnk")
	if _, err := os.Stat(desktop); err != nil {
		t.Errorf("no desktop shortcut: %v", err)
	}
	key := `HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\station`
	reg, _, err := wine.Run(ctx, "reg.exe", "query", key)
	if err != nil || !strings.Contains(reg, "UninstallString") || !strings.Contains(reg, "JD waybill station") {
		t.Errorf("no Apps & features entry: %v\n%s", err, reg)
	}
	// The installed exe is the one that was built.
	built, _ := os.ReadFile(filepath.Join(wine.Dist, "station-cli.exe"))
	inst, _ := os.ReadFile(filepath.Join(dir, "station-cli.exe"))
	if len(built) == 0 || string(built) != string(inst) {
		t.Errorf("the installed station-cli.exe (%d bytes) is not the built one (%d bytes)", len(inst), len(built))
	}
	if out, _, err := wine.Run(ctx, filepath.Join(dir, "station-cli.exe"), "-demo", "carriers"); err != nil || !strings.Contains(out, "336878") {
		t.Errorf("the installed station-cli.exe does not run: %v\n%s", err, out)
	}

	settingsFile := filepath.Join(wine.Prefix, "AppData", "Roaming", "station", "keep.json")
	os.MkdirAll(filepath.Dir(settingsFile), 0o755)
	os.WriteFile(settingsFile, []byte("{}"), 0o644)
	if _, errOut, err := wine.Run(ctx, filepath.Join(dir, "uninstall.exe"), "/S"); err != nil {
		t.Fatalf("uninstall.exe /S: %v\n%s", err, errOut)
	}
	// NSIS's uninstaller copies itself to a temporary folder and runs from there.
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "station.exe")); os.IsNotExist(err) {
			break
		}
	}
	wine.Wait(ctx)
	for _, p := range []string{filepath.Join(dir, "station.exe"), menu, desktop} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("left behind by the uninstaller: %s", p)
		}
	}
	if reg, _, err := wine.Run(ctx, "reg.exe", "query", key); err == nil {
		t.Errorf("the Apps & features entry is still there:\n%s", reg)
	}
	if _, err := os.Stat(settingsFile); err != nil {
		t.Errorf("the uninstaller removed the user's settings: %v", err)
	}
}

// The installer's first page, for the README.
func TestInstallerScreenshot(t *testing.T) {
	ctx := ctxFor(t, 2*time.Minute)
	disp, err := StartDisplay(ctx, 1024, 768)
	if err != nil {
		t.Fatal(err)
	}
	defer disp.Stop()
	setup := wine.Command(ctx, "station-setup.exe")
	setup.Env = append(setup.Env, disp.Env())
	if err := setup.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		setup.Process.Kill()
		setup.Wait()
	}()
	if _, err := disp.WaitWindow(ctx, "JD waybill station"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if _, err := disp.X(ctx, "import", "-window", "root", filepath.Join(shots, "installer-wine.png")); err != nil {
		t.Fatal(err)
	}
}

// The settings package's tests, built for Windows and run under Wine: the settings directory
// and its files, and the secrets in the Windows Credential Manager (TestSystemKeyring).
func TestSettingsOnWindows(t *testing.T) {
	out := packageTestsUnderWine(t, "station/settings", false, "STATION_SYSTEM_KEYRING=1")
	for _, name := range []string{"TestSystemKeyring", "TestSecretsInKeyringNeverInFiles", "TestRoundTrip"} {
		if !strings.Contains(out, "=== RUN   "+name) || strings.Contains(out, "--- SKIP: "+name) {
			t.Errorf("under Wine %s did not run:\n%s", name, out)
		}
	}
}

// The CLI's console takes UTF-8 while it runs and gets its code page (936 here) back after:
// the console package's test, run under Wine in a pseudo-terminal so that Wine gives it a
// console.
func TestConsoleTakesUTF8(t *testing.T) {
	out := packageTestsUnderWine(t, "station/internal/console", true)
	if !strings.Contains(out, "--- PASS: TestUTF8WhileRunning") {
		t.Errorf("the console test did not pass under Wine:\n%s", out)
	}
}

// packageTestsUnderWine builds pkg's tests for Windows (no cgo), runs them under Wine with env
// (in a pseudo-terminal when console), fails t on a real failure, and returns the -test.v output.
func packageTestsUnderWine(t *testing.T, pkg string, console bool, env ...string) string {
	t.Helper()
	ctx := ctxFor(t, 5*time.Minute)
	exe := filepath.Join(t.TempDir(), filepath.Base(pkg)+".test.exe")
	build := exec.CommandContext(ctx, "go", "test", "-c", "-o", exe, pkg)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building %s's tests for Windows: %v\n%s", pkg, err, out)
	}
	c := wine.Command(ctx, exe, "-test.v", "-test.count=1")
	if console {
		// script(1) runs it on a pseudo-terminal; -e passes its exit status on.
		c = exec.CommandContext(ctx, "script", "-qec", "wine "+exe+" -test.v -test.count=1", "/dev/null")
		c.Env = wine.Env
	}
	c.Env = append(c.Env, env...)
	out, _ := c.CombinedOutput()
	if bad := realFailures(string(out)); len(bad) > 0 {
		t.Fatalf("%s's tests fail under Wine: %s\n%s", pkg, strings.Join(bad, ", "), out)
	}
	return string(out)
}

// realFailures names the tests of a -test.v output that failed for a reason of their own. Wine 8
// lacks FileDispositionInformationEx, which Go's os.RemoveAll uses on Windows, so t.TempDir's
// cleanup fails there after a test passed; a test whose only failure is that counts as passed.
func realFailures(out string) []string {
	var bad []string
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "=== RUN"):
			lines = nil
		case strings.HasPrefix(trimmed, "--- FAIL:"):
			for _, l := range lines {
				if !strings.Contains(l, "TempDir RemoveAll cleanup") {
					bad = append(bad, strings.Fields(trimmed)[2])
					break
				}
			}
			lines = nil
		case strings.HasPrefix(trimmed, "--- "):
			lines = nil
		case strings.Contains(trimmed, ".go:"):
			lines = append(lines, trimmed)
		case trimmed == "FAIL" || strings.HasPrefix(trimmed, "panic:"):
			if strings.HasPrefix(trimmed, "panic:") {
				bad = append(bad, trimmed)
			}
		}
	}
	if !strings.Contains(out, "\n--- ") && !strings.Contains(out, "--- PASS") {
		bad = append(bad, "no test ran")
	}
	return bad
}

// A network label printer (raw port 9100, here a fake on loopback) works from Windows as from
// Linux: a batch prints and ships an order onto it, once.
func TestNetworkPrinterFromWindows(t *testing.T) {
	ctx := ctxFor(t, 3*time.Minute)
	srv, err := printertest.StartServer(printertest.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	order := firstOrder(t, ctx, `C:\tcp.db`, "LBP", 0)
	spec := "tcp:" + srv.Addr + "?lang=tspl"
	out := cli(t, ctx, "-demo", "-journal", `C:\tcp.db`, "batch", "-order", order, "-printer", spec, "-ship")
	var jobs [][]byte
	for end := time.Now().Add(10 * time.Second); len(jobs) == 0 && time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		jobs = srv.Jobs()
	}
	if len(jobs) != 1 {
		t.Fatalf("%d jobs reached the network printer, want 1:\n%s", len(jobs), out)
	}
	wantLabel(t, raw.TSPL, jobs[0], order)
	hist := cli(t, ctx, "-journal", `C:\tcp.db`, "history", "-order", order, "-json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(hist), &list); err != nil || len(list) != 1 || list[0]["state"] != "shipped" || list[0]["prints"].(float64) != 1 {
		t.Fatalf("history after the batch: %v\n%s", err, hist)
	}
}

// station.exe is a window program (no console window opens with it) and station-cli.exe a
// console program; both carry the icon, the version information and the DPI-aware manifest.
func TestExesCarryTheirResources(t *testing.T) {
	for exe, subsystem := range map[string]uint16{"station.exe": pe.IMAGE_SUBSYSTEM_WINDOWS_GUI, "station-cli.exe": pe.IMAGE_SUBSYSTEM_WINDOWS_CUI} {
		path := filepath.Join(wine.Dist, exe)
		f, err := pe.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if !ok || oh.Subsystem != subsystem {
			t.Errorf("%s: subsystem %v, want %d", exe, f.OptionalHeader, subsystem)
		}
		rsrc := f.Section(".rsrc")
		if rsrc == nil {
			t.Fatalf("%s has no resources", exe)
		}
		b, err := rsrc.Data()
		if err != nil {
			t.Fatal(err)
		}
		utf16le := func(s string) []byte {
			var out []byte
			for _, r := range s {
				out = append(out, byte(r), byte(r>>8))
			}
			return out
		}
		for what, want := range map[string][]byte{
			"the DPI-aware manifest":   []byte("permonitorv2"),
			"the Chinese product name": utf16le("京东发货工作台"),
			"the English product name": utf16le("JD waybill station"),
			"the icon group named APP": append([]byte{3, 0}, utf16le("APP")...), // a resource name: its length, then UTF-16
			"the 256-pixel icon (PNG)": []byte("\x89PNG\r\n\x1a\n"),
		} {
			if !bytes.Contains(b, want) {
				t.Errorf("%s lacks %s", exe, what)
			}
		}
	}
}

// In the window under Wine, Settings → 打印机 → Windows 打印机 → 列出 Windows 打印机 offers the
// spooler's printers (the CUPS queue, as ZPL), and 打印测试页 sends the calibration label to it
// through the spooler. The clicks are at the places of the 1366x768 layout; the screenshot
// shows the page if they miss.
func TestWindowSettingsPicksAWindowsPrinter(t *testing.T) {
	if cups == nil {
		t.Skip("no CUPS scheduler of the test's own (needs root)")
	}
	ctx := ctxFor(t, 5*time.Minute)
	disp, err := StartDisplay(ctx, 1366, 768)
	if err != nil {
		t.Fatal(err)
	}
	defer disp.Stop()
	before, _ := cups.Jobs()
	gui := wine.Command(ctx, "station.exe", "-demo", "-journal", `C:\settings.db`)
	gui.Env = append(gui.Env, disp.Env(), "STATION_PACKER=9001 Li")
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		gui.Process.Kill()
		gui.Wait()
	}()
	if _, err := disp.WaitWindow(ctx, "京东发货工作台"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	shot := filepath.Join(shots, "windows-printers.png")
	steps := [][]string{
		{"key", "ctrl+4"},                          // 设置
		{"mousemove", "1065", "172", "click", "1"}, // 打印方式
		{"mousemove", "860", "244", "click", "1"},  // Windows 打印机
		{"mousemove", "1266", "211", "click", "1"}, // 列出 Windows 打印机
	}
	for _, s := range steps {
		if _, err := disp.X(ctx, "xdotool", s...); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond)
	}
	disp.X(ctx, "import", "-window", "root", shot)
	disp.X(ctx, "xdotool", "mousemove", "840", "519", "click", "1") // 打印测试页
	var jobs [][]byte
	for end := time.Now().Add(30 * time.Second); len(jobs) <= len(before) && time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		jobs, _ = cups.Jobs()
	}
	if len(jobs) != len(before)+1 {
		t.Fatalf("%d new jobs after 打印测试页, want 1 (screenshot: %s)", len(jobs)-len(before), shot)
	}
	if !bytes.HasPrefix(jobs[len(jobs)-1], []byte("^XA")) || !bytes.Contains(jobs[len(jobs)-1], []byte("test-label")) {
		t.Errorf("the test page is not the ZPL calibration label: %.60q", jobs[len(jobs)-1])
	}
}
