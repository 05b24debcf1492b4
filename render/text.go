package render

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Align is the horizontal alignment of text lines in their box.
type Align uint8

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

func (a Align) String() string {
	switch a {
	case AlignCenter:
		return "center"
	case AlignRight:
		return "right"
	}
	return "left"
}

// style says how a field's text may be fitted: its natural size, the floor it may shrink to, and
// how many lines it may wrap into before it shrinks (0: as many as the box holds).
type style struct {
	max, min float64 // pt
	bold     bool
	align    Align
	lines    int
	balance  bool // when wrapped, make the lines about equally long (short labels, not paragraphs)
}

const sizeStep = 0.5 // pt

// fitted is text fitted to a width and height.
type fitted struct {
	lines []string
	size  float64 // pt
}

// height is the height of the fitted lines, in mm.
func (f fitted) height() float64 { return float64(len(f.lines)) * lineHeightMM(f.size) }

// fit fits clean text into w × h mm: the largest size (from st.max down to st.min, in 0.5 pt
// steps) at which it fits in at most st.lines lines; failing that, the floor size wrapped into all
// the lines the height holds, the last one ending in an ellipsis. Lines break between ideographs
// and at spaces, never inside a glyph; a word longer than the line breaks where it must.
func fit(s string, w, h float64, st style) fitted {
	if s == "" || w <= 0 || h <= 0 {
		return fitted{}
	}
	total := widthEm(s, st.bold)
	for size := st.max; size >= st.min-1e-9; size -= sizeStep {
		em := size * PtToMM
		room := int(h / lineHeightMM(size))
		if room < 1 {
			continue
		}
		allowed := room
		if st.lines > 0 {
			allowed = min(allowed, st.lines)
		}
		if total*em <= w {
			return fitted{lines: []string{s}, size: size}
		}
		if allowed < 2 || total*em > w*float64(allowed) {
			continue // cannot fit even if every line were full
		}
		if lines := wrap(s, w/em, st.bold, allowed+1); len(lines) <= allowed {
			return fitted{lines: balanced(s, lines, w/em, st), size: size}
		}
	}
	size := st.min
	if lh := lineHeightMM(size); h < lh {
		// A box lower than one line at the floor size is a layout mistake; keep the text inside
		// it rather than spill over the next field.
		size = math.Floor(h/(PtToMM*lineHeightEm)/sizeStep) * sizeStep
		if size <= 0 {
			return fitted{}
		}
	}
	em := size * PtToMM
	room := max(1, int(h/lineHeightMM(size)))
	lines := wrap(s, w/em, st.bold, room+1)
	if len(lines) > room {
		lines = lines[:room]
		lines[room-1] = ellipsize(lines[room-1], w/em, st.bold)
	} else {
		lines = balanced(s, lines, w/em, st)
	}
	return fitted{lines: lines, size: size}
}

// balanced rewraps text that took n lines at width em into the narrowest width that still takes
// n lines, so that a short label breaks as 地铁/自提 rather than 地铁自/提.
func balanced(s string, lines []string, width float64, st style) []string {
	if !st.balance || len(lines) < 2 {
		return lines
	}
	lo, hi := widthEm(s, st.bold)/float64(len(lines)), width
	best := lines
	for i := 0; i < 12 && hi-lo > 0.05; i++ {
		mid := (lo + hi) / 2
		if l := wrap(s, mid, st.bold, len(lines)+1); len(l) <= len(lines) {
			best, hi = l, mid
		} else {
			lo = mid
		}
	}
	return best
}

// fitLine fits text into one line at exactly size pt, ending it in an ellipsis when too long.
func fitLine(s string, w, size float64, bold bool) string {
	if s == "" {
		return ""
	}
	em := size * PtToMM
	if widthEm(s, bold)*em <= w {
		return s
	}
	return ellipsize(s, w/em, bold)
}

// ellipsize shortens s until s + "…" is at most width em wide (it always ends in "…").
func ellipsize(s string, width float64, bold bool) string {
	const dots = "…"
	budget := width - widthEm(dots, bold)
	if budget < 0 {
		return ""
	}
	w := 0.0
	end := 0
	for i, r := range s {
		_, adv, _ := Glyph(r, bold)
		if w+adv > budget {
			break
		}
		w += adv
		end = i + utf8.RuneLen(r)
	}
	return strings.TrimRight(s[:end], " ") + dots
}

// wrap breaks clean text into lines at most width em wide, stopping after limit lines (the last
// of which then holds the rest, unbroken). It breaks at spaces and between ideographs, keeps
// closing punctuation with the text before it, and breaks a word only when it alone is too long.
func wrap(s string, width float64, bold bool, limit int) []string {
	var lines []string
	rs := []rune(s)
	advs := make([]float64, len(rs))
	for i, r := range rs {
		_, advs[i], _ = Glyph(r, bold)
	}
	extra := 0.0
	if bold {
		extra = BoldStrokeEm
	}
	start := 0
	for start < len(rs) {
		if len(lines) == limit-1 {
			lines = append(lines, strings.TrimSpace(string(rs[start:])))
			break
		}
		w := extra
		end := start    // exclusive end of what fits
		lastBreak := -1 // a break allowed before rs[lastBreak]
		for end < len(rs) && w+advs[end] <= width {
			if end > start && canBreakBefore(rs, end) {
				lastBreak = end
			}
			w += advs[end]
			end++
		}
		if end == len(rs) {
			lines = append(lines, strings.TrimSpace(string(rs[start:])))
			break
		}
		if canBreakBefore(rs, end) {
			lastBreak = end
		}
		cut := end
		if lastBreak > start {
			cut = lastBreak
		}
		if cut == start { // not even one glyph fits: put one anyway rather than loop
			cut = start + 1
		}
		lines = append(lines, strings.TrimSpace(string(rs[start:cut])))
		start = cut
		for start < len(rs) && rs[start] == ' ' {
			start++
		}
	}
	// Lines made only of spaces carry nothing.
	out := lines[:0]
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// canBreakBefore says whether a line may end before rs[i].
func canBreakBefore(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	switch {
	case cur == ' ' || prev == ' ':
		return cur != ' ' || prev != ' '
	case isClosing(cur) || isOpening(prev):
		return false
	case wide(prev) || wide(cur):
		return true
	case prev == '-' || prev == '/' || prev == ',' || prev == ';':
		return true
	}
	return false
}

// wide reports runes that may break on either side, like ideographs and kana.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == replacementRune
}

func isClosing(r rune) bool {
	return strings.ContainsRune("，。、；：？！）」』】》〉”’,.;:?!)]}%…", r)
}

func isOpening(r rune) bool {
	return strings.ContainsRune("（「『【《〈“‘([{¥￥", r)
}
