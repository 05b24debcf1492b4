//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"station/jos/jostest"
	"station/printdata"
)

// TestStationProcess is not a test: the benchmarks below run the test binary as a fresh station
// process through it, with the command line in CHILD_STATION_ARGS (separated by U+001F; not a
// STATION_ variable, which TestMain clears). Before it exits it writes its peak resident memory
// (VmHWM, kB) to the file CHILD_STATION_PEAK: the rusage of a child counts the parent's memory
// too, as the child had it until exec, and the parent may hold a 64,000-order simulator.
func TestStationProcess(t *testing.T) {
	args := os.Getenv("CHILD_STATION_ARGS")
	if args == "" {
		t.Skip("runs only as the benchmarks' child process")
	}
	// As main does: SIGINT and SIGTERM end the context.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr)
	stop()
	if path := os.Getenv("CHILD_STATION_PEAK"); path != "" {
		status, err := os.ReadFile("/proc/self/status")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				os.WriteFile(path, []byte(strings.TrimSuffix(strings.TrimSpace(v), " kB")), 0o600)
			}
		}
	}
	os.Exit(code)
}

// stationProcess runs one cold station process and returns its wall time and peak RSS in bytes.
func stationProcess(b *testing.B, args ...string) (time.Duration, int64) {
	peakFile := filepath.Join(b.TempDir(), "peak")
	cmd := exec.Command(os.Args[0], "-test.run=^TestStationProcess$")
	cmd.Env = append(os.Environ(), "CHILD_STATION_ARGS="+strings.Join(args, "\x1f"), "CHILD_STATION_PEAK="+peakFile)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("station %v: %v\n%s", args, err, stderr.String())
	}
	// The station exits before the test framework could say PASS: a PASS means it never ran.
	if strings.HasSuffix(stdout.String(), "PASS\n") {
		b.Fatalf("the station process did not run: %s", stdout.String())
	}
	kb, err := os.ReadFile(peakFile)
	if err != nil {
		b.Fatalf("the station process did not tell its peak memory: %v", err)
	}
	n, err := strconv.ParseInt(string(kb), 10, 64)
	if err != nil {
		b.Fatalf("peak memory %q: %v", kb, err)
	}
	return wall, n * 1024
}

// BenchmarkColdPrintOneLabel: `station print -order ID -o FILE.pdf` as a new process against a
// running simulator: process start, two JOS calls, layout, PDF, rename.
func BenchmarkColdPrintOneLabel(b *testing.B) {
	sim := jostest.StartT(b, jostest.Options{})
	ids := sim.Server.OrderIDs("SOPL", printdata.StateWaitStockOut)
	if len(ids) == 0 {
		b.Fatal("the simulator has no waiting SOPL order")
	}
	id := ids[0]
	out := filepath.Join(b.TempDir(), "one.pdf")
	args := append(simArgs(sim), "print", "-order", id, "-o", out)
	var peak int64
	for b.Loop() {
		_, rss := stationProcess(b, args...)
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}

// BenchmarkPrintPending: `station print -pending -o FILE.pdf` as a new process against a
// simulator with 1,000 and with 50,000 orders waiting: the listing (past JD's 5,000 a search
// for the larger), one print-data call per order, layout and the PDF. Time per label and peak
// memory should not grow with the count. (The default seed gives 1,000 waiting orders of
// 1,301 generated, about 50,000 of 64,000.)
func BenchmarkPrintPending(b *testing.B) {
	for _, size := range []struct{ labels, generated int }{{1000, 1301}, {50000, 64000}} {
		b.Run(fmt.Sprintf("labels=%d", size.labels), func(b *testing.B) {
			sim := jostest.StartT(b, jostest.Options{Orders: size.generated})
			pending := len(sim.Server.OrderIDs("", printdata.StateWaitStockOut))
			out := filepath.Join(b.TempDir(), "batch.pdf")
			args := append(simArgs(sim), "-journal", filepath.Join(b.TempDir(), "journal.db"), "print", "-pending", "-o", out)
			var peak int64
			var wall time.Duration
			for b.Loop() {
				w, rss := stationProcess(b, args...)
				peak, wall = max(peak, rss), wall+w
			}
			st, err := os.Stat(out)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(pending), "labels")
			b.ReportMetric(float64(wall.Microseconds())/float64(b.N)/float64(pending), "µs/label")
			b.ReportMetric(float64(st.Size())/float64(pending), "bytes/label")
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
		})
	}
}

// BenchmarkPrintPendingUnderQuota: `station print -pending` of 1,000 orders with the default
// rate against a simulator whose quota is 20 calls a second: how much of the quota the station
// uses (quota-used, goal 0.8 or more) as it backs off and creeps back up, with every label printed.
func BenchmarkPrintPendingUnderQuota(b *testing.B) {
	const quota = 20
	sim := jostest.StartT(b, jostest.Options{Orders: 1301, Quota: quota})
	pending := len(sim.Server.OrderIDs("", printdata.StateWaitStockOut))
	out := filepath.Join(b.TempDir(), "batch.pdf")
	args := append(simArgs(sim)[:8:8], "-config", b.TempDir(), "-journal", filepath.Join(b.TempDir(), "journal.db"), "print", "-pending", "-o", out)
	var wall time.Duration
	accepted0, refused0 := sim.Server.QuotaAccepted(), sim.Server.QuotaRefusals()
	for b.Loop() {
		w, _ := stationProcess(b, args...)
		wall += w
		body, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		if n := pdfPageCount(b, body); n != pending {
			b.Fatalf("%d labels for %d orders", n, pending)
		}
	}
	accepted, refused := sim.Server.QuotaAccepted()-accepted0, sim.Server.QuotaRefusals()-refused0
	b.ReportMetric(float64(accepted)/wall.Seconds()/quota, "quota-used")
	b.ReportMetric(float64(refused)/float64(b.N), "refused/op")
	b.ReportMetric(float64(pending), "labels")
}
