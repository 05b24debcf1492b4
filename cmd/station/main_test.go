package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"station/jos/jostest"
)

// The tests run the command line in-process: none of them may read the developer's own saved
// settings or STATION_* variables.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "station-test-config-")
	if err != nil {
		panic(err)
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "STATION_") {
			os.Unsetenv(name)
		}
	}
	os.Setenv("STATION_CONFIG", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// simArgs points the station at a running simulator with its demo credentials.
func simArgs(sim *jostest.Running) []string {
	return []string{"-endpoint", sim.URL, "-app-key", jostest.DemoAppKey, "-app-secret", jostest.DemoAppSecret,
		"-token", jostest.DemoAccessToken, "-rate=-1"}
}

// buildStation builds the station binary into a temporary directory.
func buildStation(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "station")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
