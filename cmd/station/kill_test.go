//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
	"station/printer/printertest"
)

// The station binary runs `batch -ship` against a simulator this test serves (with faults),
// is killed with SIGKILL at random points, and is started again until the batch completes:
// the ledger shows each order shipped exactly once, the journal each label printed once, and
// the PDFs of all the runs hold each label exactly once.
func TestBatchSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it several times")
	}
	bin := buildStation(t)
	sim := jostest.New(jostest.Options{Orders: 130, FaultRate: 0.15, FaultSeed: 21, Latency: 5 * time.Millisecond})
	srv := httptest.NewServer(sim)
	defer srv.Close()

	var ids []string
	for _, o := range sim.Ledger().Orders {
		if o.State == printdata.StateWaitStockOut && len(ids) < 80 {
			ids = append(ids, o.OrderID)
		}
	}
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.txt")
	os.WriteFile(orders, []byte(strings.Join(ids, "\n")+"\n"), 0o644)
	journalPath := filepath.Join(dir, "journal.db")
	args := []string{"-endpoint", srv.URL + "/routerjson", "-app-key", jostest.DemoAppKey, "-app-secret", jostest.DemoAppSecret,
		"-token", jostest.DemoAccessToken, "-rate=-1", "-timeout", "300ms", "-journal", journalPath,
		"batch", "-orders", orders, "-o", filepath.Join(dir, "labels.pdf"), "-ship", "-sop-logistics", "1274", "-concurrency", "4"}

	// runOnce runs the batch; it is killed after killAfter, or as soon as killAtLine orders
	// were finished by this run (progress lines other than "already done"), whichever is first
	// (0: never).
	runOnce := func(killAfter time.Duration, killAtLine int) (killed bool, code int, out string) {
		cmd := exec.Command(bin, args...)
		var errBuf bytes.Buffer
		cmd.Stderr = &errBuf
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1000)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var timer <-chan time.Time
		if killAfter > 0 {
			timer = time.After(killAfter)
		}
		limit := time.After(2 * time.Minute)
		var all []string
		progress := 0
		kill := func() {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			timer, killAtLine = nil, 0
		}
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				all = append(all, l)
				if strings.HasPrefix(l, "[") && !strings.Contains(l, "already done") {
					progress++
					if killAtLine > 0 && progress >= killAtLine {
						kill()
					}
				}
			case <-timer:
				kill()
			case <-limit:
				cmd.Process.Kill()
				t.Fatalf("a run did not finish in 2 minutes:\n%s", strings.Join(all, "\n"))
			}
		}
		err = cmd.Wait()
		out = strings.Join(all, "\n") + "\n" + errBuf.String()
		if killed {
			return true, -1, out
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return false, ee.ExitCode(), out
		}
		if err != nil {
			t.Fatal(err)
		}
		return false, 0, out
	}

	// Kills land while fetching and writing the PDF (by time), then while shipping (after a
	// random number of the orders left were shipped by the run).
	unshipped := func() int {
		n := 0
		l := sim.Ledger()
		for _, id := range ids {
			if lo, _ := l.Order(id); lo.OutstorageAccepted == 0 {
				n++
			}
		}
		return n
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill points drawn with seed %d", seed) // to replay a failure
	rng := rand.New(rand.NewPCG(seed, 5))
	kills, finished := 0, false
	for round := 0; round < 10 && kills < 6 && !finished; round++ {
		var d time.Duration
		atLine := 0
		left := unshipped()
		switch {
		case round == 0:
			d = 50*time.Millisecond + time.Duration(rng.Int64N(int64(time.Second)))
		case left == len(ids) || left <= 1:
			atLine = 1 // right after the PDF is written, while its prints are recorded
		default:
			atLine = 1 + rng.IntN(left-1)
		}
		killed, code, out := runOnce(d, atLine)
		if killed {
			kills++
			t.Logf("run %d: killed (after %v / at %d of %d left): %d left unshipped", round+1, d, atLine, left, unshipped())
			continue
		}
		t.Logf("run %d: finished before the kill, exit %d: %s", round+1, code, lastLine(out))
		finished = code == 0
	}
	if kills < 3 {
		t.Errorf("only %d runs were killed: the test did not test much", kills)
	}
	for round := 0; round < 3 && !finished; round++ {
		_, code, out := runOnce(0, 0)
		t.Logf("final run %d: exit %d: %s", round+1, code, lastLine(out))
		if code != 0 && round == 2 {
			t.Fatalf("the batch did not complete:\n%s", out)
		}
		finished = code == 0
	}

	ledger := sim.Ledger()
	for _, id := range ids {
		lo, _ := ledger.Order(id)
		if lo.OutstorageAccepted != 1 {
			t.Errorf("order %s: outstorage accepted %d times (%d calls)", id, lo.OutstorageAccepted, lo.OutstorageAttempts)
		}
	}
	ctx := context.Background()
	j, err := sqljournal.OpenSQLite(ctx, journalPath)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for _, id := range ids {
		e, ok, err := j.Get(ctx, id)
		if err != nil || !ok || e.State != journal.StateShipped || e.Prints != 1 {
			t.Errorf("order %s: journal %+v %v", id, e, err)
		}
		if p, _, _ := j.LastPrint(ctx, id); p.Outcome != journal.PrintDone {
			t.Errorf("order %s: last print %+v", id, p)
		}
	}

	// Each label is in exactly one of the PDFs the runs wrote.
	pdfs, _ := filepath.Glob(filepath.Join(dir, "labels*.pdf"))
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Logf("pdftotext not installed: the %d PDFs are not read", len(pdfs))
		return
	}
	seen := map[string]int{}
	for _, p := range pdfs {
		out, err := exec.Command(tool, p, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", p, err)
		}
		for _, page := range strings.Split(string(out), "\f") {
			for _, id := range ids {
				if regexp.MustCompile(`(?m)^` + id + `$`).MatchString(page) {
					seen[id]++
				}
			}
		}
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("order %s has %d labels in %d PDFs", id, seen[id], len(pdfs))
		}
	}
	t.Logf("%d kills, %d PDFs", kills, len(pdfs))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "Batch:") || strings.HasPrefix(lines[i], "[") {
			return lines[i]
		}
	}
	return lines[len(lines)-1]
}

// TestStopsOnSIGTERM: a station process that waits on something that never comes stops within
// 5 s of SIGTERM, sent to the process itself: a file: printer on a FIFO nobody reads (the
// label's timeout is a minute), an order list on a pipe that sends nothing; and a device given
// as the order list is refused at once instead of being read without end.
func TestStopsOnSIGTERM(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{})
	id := sim.Server.OrderIDs("SOPL", printdata.StateWaitStockOut)[0]
	fifo := filepath.Join(t.TempDir(), "printer.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	base := append(simArgs(sim), "-config", t.TempDir())
	for _, tc := range []struct {
		name   string
		args   []string
		signal bool
		want   string
	}{
		{"FIFO printer", []string{"print", "-order", id, "-printer", "file:" + fifo + "?lang=zpl&timeout=1m"}, true, "Stopped: 0 label(s) printed, 1 order(s) not done"},
		{"order list on a silent pipe", []string{"batch", "-orders", "-", "-o", filepath.Join(t.TempDir(), "l.pdf")}, true, "Cancelled"},
		{"order list from /dev/urandom", []string{"batch", "-orders", "/dev/urandom", "-o", filepath.Join(t.TempDir(), "l.pdf")}, false, "binary data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append(slices.Clone(base), "-journal", filepath.Join(t.TempDir(), "j.db")), tc.args...)
			cmd := exec.Command(os.Args[0], "-test.run=^TestStationProcess$")
			cmd.Env = append(os.Environ(), "CHILD_STATION_ARGS="+strings.Join(args, "\x1f"))
			stdin, err := cmd.StdinPipe() // never written to: a pipe that sends nothing
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			if tc.signal {
				select {
				case err := <-exited:
					t.Fatalf("ended before the signal (%v): %s", err, stderr.String())
				case <-time.After(1500 * time.Millisecond):
				}
				cmd.Process.Signal(syscall.SIGTERM)
			}
			select {
			case err := <-exited:
				if err == nil {
					t.Errorf("exit 0 after SIGTERM: %s", stderr.String())
				}
				if !strings.Contains(stderr.String(), tc.want) || strings.Contains(stderr.String(), "Something went wrong") {
					t.Errorf("stderr %q lacks %q (or says something went wrong)", stderr.String(), tc.want)
				}
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 5 s after SIGTERM: %s", stderr.String())
			}
		})
	}
}

// TestOutputOnlyToFiles: print -o and preview -o onto a symbolic link, a FIFO or a folder are
// refused with a message and leave it as it was (the PDF is renamed into place, which would
// replace a link or a device with a plain file).
func TestOutputOnlyToFiles(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{})
	id := sim.Server.OrderIDs("SOPL", printdata.StateWaitStockOut)[0]
	dir := t.TempDir()
	target := filepath.Join(dir, "precious.txt")
	os.WriteFile(target, []byte("keep me"), 0o644)
	link := filepath.Join(dir, "link.pdf")
	fifo := filepath.Join(dir, "fifo.pdf")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	base := append(simArgs(sim), "-config", t.TempDir(), "-journal", filepath.Join(t.TempDir(), "j.db"))
	for _, tc := range []struct{ path, what string }{{link, "a symbolic link"}, {fifo, "a device or a FIFO"}, {dir, "a folder"}} {
		for _, cmd := range [][]string{{"print", "-order", id, "-o", tc.path}, {"preview", "-order", id, "-o", tc.path}} {
			code, _, stderr := runStation(t, append(slices.Clone(base), cmd...)...)
			if code == 0 || !strings.Contains(stderr, tc.what) {
				t.Errorf("%s onto %s: exit %d, %s", cmd[0], tc.what, code, stderr)
			}
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Errorf("the link's target now holds %q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Error("the FIFO was replaced")
	}
}

// TestTwoProcessesOneLabelEach: two `station batch -pending` processes started together on one
// journal and one printer (a raw 9100 fake) print each waiting order once between them: the
// second sees the first one's print and skips the order.
func TestTwoProcessesOneLabelEach(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	waiting := len(sim.Server.OrderIDs("", printdata.StateWaitStockOut))
	srv, err := printertest.StartServer(printertest.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	args := append(simArgs(sim), "-config", t.TempDir(), "-journal", filepath.Join(t.TempDir(), "j.db"),
		"batch", "-pending", "-ship", "-sop-logistics", "1274", "-printer", "tcp:"+srv.Addr+"?lang=zpl")
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStationProcess$")
		cmd.Env = append(os.Environ(), "CHILD_STATION_ARGS="+strings.Join(args, "\x1f"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	labels := 0
	for _, job := range srv.Jobs() {
		labels += bytes.Count(job, []byte("^XA"))
	}
	if labels != waiting {
		t.Errorf("%d labels printed for %d waiting orders by two processes:\n%s\n%s", labels, waiting, outs[0], outs[1])
	}
	// Each process counts its own work: together they printed and shipped each order once.
	summary := regexp.MustCompile(`Batch: (\d+) orders .*: (\d+) printed, (\d+) shipped, (\d+) already done, (\d+) failed`)
	var printed, shipped int
	for i, out := range outs {
		m := summary.FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("process %d printed no summary:\n%s", i, out)
		}
		p, _ := strconv.Atoi(m[2])
		sh, _ := strconv.Atoi(m[3])
		printed, shipped = printed+p, shipped+sh
	}
	if printed != waiting || shipped != waiting {
		t.Errorf("the two processes report %d printed and %d shipped for %d orders:\n%s\n%s", printed, shipped, waiting, outs[0], outs[1])
	}
	accepted := 0
	for _, o := range sim.Server.Ledger().Orders {
		if o.OutstorageAccepted > 1 {
			t.Errorf("order %s shipped %d times", o.OrderID, o.OutstorageAccepted)
		}
		accepted += o.OutstorageAccepted
	}
	if accepted != waiting {
		t.Errorf("JD accepted %d outstorages for %d orders", accepted, waiting)
	}
}

// Two `station scan -ship` processes on one journal, fed the same five ids at the same time,
// print one label per order and ship each once: the second to reach an order sees it printed
// (or being printed) and prints nothing.
func TestTwoScanProcessesOneLabelEach(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	ids := waitingIDs(t, sim, shop.TypeLBP, 5)
	srv, err := printertest.StartServer(printertest.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	args := append(simArgs(sim), "-config", t.TempDir(), "-journal", filepath.Join(t.TempDir(), "j.db"),
		"scan", "-ship", "-printer", "tcp:"+srv.Addr+"?lang=zpl")
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStationProcess$")
		cmd.Env = append(os.Environ(), "CHILD_STATION_ARGS="+strings.Join(args, "\x1f"))
		cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for _, cmd := range cmds {
		cmd.Wait() // a scan the other process had in hand ends the session with exit 1
	}
	if testing.Verbose() {
		t.Logf("%s\n%s", outs[0], outs[1])
	}
	labels := 0
	for _, job := range srv.Jobs() {
		labels += bytes.Count(job, []byte("^XA"))
	}
	if labels != len(ids) {
		t.Errorf("%d labels for %d orders scanned in two processes:\n%s\n%s", labels, len(ids), outs[0], outs[1])
	}
	for _, id := range ids {
		if lo, _ := sim.Server.Ledger().Order(id); lo.OutstorageAccepted != 1 {
			t.Errorf("order %s shipped %d times:\n%s\n%s", id, lo.OutstorageAccepted, outs[0], outs[1])
		}
	}
}
