// Package ascii holds the one check of the digit strings JD uses for ids, amounts and codes.
package ascii

// Digits reports whether s is one or more ASCII digits 0-9 (no sign, no space, no full-width
// digits: those are cleaned up before, where scanners send them).
func Digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
