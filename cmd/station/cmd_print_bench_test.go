//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"station/jos/jostest"
	"station/printdata"
)

// TestStationProcess is not a test: the benchmarks below run the test binary as a fresh station
// process through it, with the command line in STATION_CHILD_ARGS (separated by U+001F).
func TestStationProcess(t *testing.T) {
	args := os.Getenv("STATION_CHILD_ARGS")
	if args == "" {
		t.Skip("runs only as the benchmarks' child process")
	}
	os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
}

// stationProcess runs one cold station process and returns its wall time and peak RSS in bytes.
func stationProcess(b *testing.B, args ...string) (time.Duration, int64) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestStationProcess$")
	cmd.Env = append(os.Environ(), "STATION_CHILD_ARGS="+strings.Join(args, "\x1f"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("station %v: %v\n%s", args, err, stderr.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var rss int64
	if ru != nil {
		rss = int64(ru.Maxrss) * 1024 // Linux reports KB
	}
	return wall, rss
}

func simArgs(sim *jostest.Running) []string {
	return []string{"-endpoint", sim.URL, "-app-key", jostest.DemoAppKey, "-app-secret", jostest.DemoAppSecret,
		"-token", jostest.DemoAccessToken, "-rate=-1"}
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

// BenchmarkPrintPending1000: `station print -pending` of 1,000 orders from a simulator, as a new
// process: the search, 1,000 print-data calls, layout and the PDF. (1,301 generated orders give
// 1,000 waiting ones with the default seed.)
func BenchmarkPrintPending1000(b *testing.B) {
	sim := jostest.StartT(b, jostest.Options{Orders: 1301})
	pending := 0
	for _, o := range sim.Server.Ledger().Orders {
		if o.State == printdata.StateWaitStockOut {
			pending++
		}
	}
	out := filepath.Join(b.TempDir(), "batch.pdf")
	args := append(simArgs(sim), "print", "-pending", "-o", out)
	var peak int64
	for b.Loop() {
		_, rss := stationProcess(b, args...)
		peak = max(peak, rss)
	}
	st, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(pending), "labels")
	b.ReportMetric(float64(st.Size())/float64(pending), "bytes/label")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}
