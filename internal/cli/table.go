package cli

import (
	"fmt"
	"io"
	"station/jos"
	"strings"
	"time"
	"unicode/utf8"
)

// FormatTime writes a time in China time, JD's clock ("" for none).
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(jos.ChinaTime).Format(jos.TimeLayout)
}

// WriteTable aligns columns by display width: Chinese characters take two terminal cells,
// which text/tabwriter does not know. Columns in right are right-aligned (numbers).
func WriteTable(w io.Writer, rows [][]string, right map[int]bool) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth counts terminal cells: East Asian wide and fullwidth characters take two.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r < 0x1100:
			n++
		case r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
			n += 2
		default:
			n++
		}
	}
	return n
}
