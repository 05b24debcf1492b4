package main

import (
	"os"
	"strings"
	"testing"
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
