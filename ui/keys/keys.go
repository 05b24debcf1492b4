// Package keys keeps a barcode scanner's burst out of the window's other fields: an Entry that
// notices keys coming faster than anyone types (a keyboard-wedge scanner sends a code and Enter
// or Tab within a few milliseconds a key) and hands the code to the scan line instead of
// keeping it.
package keys

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Burst timing: a scanner's keys come a few ms apart; nobody types 6 keys under 50 ms each.
const (
	MaxGap   = 50 * time.Millisecond
	MinBurst = 6
)

// Entry is a widget.Entry that gives scanner bursts to OnBurst, leaving its text as it was
// before the burst.
type Entry struct {
	widget.Entry
	OnBurst func(code string)

	now       func() time.Time
	last      time.Time
	burst     []rune
	before    string // the text before the burst's first key
	cursorRow int
	cursorCol int
}

// NewEntry is an Entry; a password entry hides what is typed.
func NewEntry(onBurst func(code string), password bool) *Entry {
	e := &Entry{OnBurst: onBurst, now: time.Now}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune notes the key's timing, then types it as any entry does.
func (e *Entry) TypedRune(r rune) {
	t := e.now()
	if e.last.IsZero() || t.Sub(e.last) > MaxGap {
		e.burst, e.before = e.burst[:0], e.Text
		e.cursorRow, e.cursorCol = e.CursorRow, e.CursorColumn
	}
	e.last = t
	e.burst = append(e.burst, r)
	e.Entry.TypedRune(r)
}

// TypedKey ends a burst on Enter or Tab: a scanner's code goes to OnBurst and the field gets
// its text back; anything else is an ordinary key.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		if e.OnBurst != nil && len(e.burst) >= MinBurst && e.now().Sub(e.last) <= MaxGap {
			code := string(e.burst)
			e.burst, e.last = e.burst[:0], time.Time{}
			e.SetText(e.before)
			e.CursorRow, e.CursorColumn = e.cursorRow, e.cursorCol
			e.Refresh()
			e.OnBurst(code)
			return
		}
	}
	e.burst, e.last = e.burst[:0], time.Time{}
	e.Entry.TypedKey(k)
}

// AcceptsTab keeps a burst's closing Tab in the field (it is the scanner's, not a move).
func (e *Entry) AcceptsTab() bool {
	return len(e.burst) >= MinBurst && e.now().Sub(e.last) <= MaxGap
}
