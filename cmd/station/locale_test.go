package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Under a C locale with an encoding (the usual one of scripts and CI), a CLI command prints
// nothing of Fyne's: Fyne's lang package parses the locale in its init, before main.
func TestCLIPrintsNoFyneLocaleError(t *testing.T) {
	bin := buildStation(t)
	for _, env := range []string{"LANG=C.UTF-8", "LANG=C", "LC_ALL=C.utf8", "LANG=POSIX"} {
		cmd := exec.Command(bin, "orders", "-demo")
		cmd.Env = append(cleanLocaleEnv(), env)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s station orders -demo: %v\n%s", env, err, stderr.String())
		}
		if !strings.Contains(string(out), "WAIT_SELLER_STOCK_OUT") {
			t.Errorf("%s: no orders listed:\n%s", env, out)
		}
		if s := stderr.String(); strings.Contains(s, "Fyne") || strings.Contains(s, "locale") {
			t.Errorf("%s: stderr has Fyne's locale complaint:\n%s", env, s)
		}
	}
}

// cleanLocaleEnv is the test's environment without any locale variable.
func cleanLocaleEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE":
			continue
		}
		out = append(out, kv)
	}
	return out
}
