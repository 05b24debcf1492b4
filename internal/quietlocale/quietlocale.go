// Package quietlocale keeps Fyne from logging "Error parsing user locale" under LANG=C.UTF-8
// (the usual locale of scripts, containers and CI). Fyne's lang package reads the locale in its
// own init, before main runs, and cannot parse the language "C" that go-locale takes out of
// "C.UTF-8"; plain "C" it treats as "no locale" and falls back to English quietly.
//
// Import it (for its side effect) from the binary's main package: it sorts before text/template,
// which Fyne's lang package needs, so Go's initialisation order runs its init first. Restore puts
// the variable back as the user set it, for child processes such as lp.
package quietlocale

import (
	"os"
	"strings"
)

var (
	changed  string // the variable init rewrote, "" if none
	original string
)

func init() {
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if v != "C" && v != "POSIX" && isCLocale(v) {
			changed, original = name, v
			os.Setenv(name, "C")
		}
		return // the first one set is the one go-locale reads
	}
}

// isCLocale reports whether v names the C (POSIX) locale with an encoding or modifier, such as
// C.UTF-8 or POSIX@euro.
func isCLocale(v string) bool {
	lang, _, _ := strings.Cut(v, ".")
	lang, _, _ = strings.Cut(lang, "@")
	return strings.EqualFold(lang, "C") || strings.EqualFold(lang, "POSIX")
}

// Restore gives the environment variable init changed its original value.
func Restore() {
	if changed != "" {
		os.Setenv(changed, original)
		changed = ""
	}
}
