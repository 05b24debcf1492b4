package say

import (
	"strings"
	"unicode"
)

// Safe is s with nothing a terminal or the window would act on: control characters (escape
// sequences, carriage returns, bells) and invisible format characters (bidi overrides) are
// dropped, tabs become spaces; line breaks stay.
func Safe(s string) string { return clean(s, '\n') }

// Plain is Safe on one line: line breaks become spaces too, so that a text from outside
// (JD's words, a file name, an error) cannot start a line of its own.
func Plain(s string) string { return clean(s, ' ') }

func clean(s string, newline rune) string {
	if strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\u2028' || r == '\u2029':
			return newline
		case r == '\t':
			return ' '
		case unsafe(r):
			return -1
		}
		return r
	}, s)
}

func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// Short is Plain cut to at most n characters (an ellipsis ends a cut text): for what a person
// typed or scanned, shown back in a list or a message.
func Short(s string, n int) string {
	s = Plain(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
