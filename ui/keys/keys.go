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

// Burst timing: a scanner's keys come a few ms apart (a busy window may deliver them a little
// later); nobody types 6 keys under 60 ms each. The closing Enter or Tab may come a little
// after the last key (some scanners pause before the suffix).
const (
	MaxGap   = 60 * time.Millisecond
	EndGap   = 250 * time.Millisecond
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
		if e.OnBurst != nil && len(e.burst) >= MinBurst && e.now().Sub(e.last) <= EndGap {
			code := string(e.burst)
			e.burst, e.last = e.burst[:0], time.Time{}
			e.SetText(e.before)
			e.CursorRow, e.CursorColumn = e.cursorRow, e.cursorCol
			e.Refresh()
			e.OnBurst(code)
			return
		}
	}
	if !printable(k) {
		e.burst, e.last = e.burst[:0], time.Time{}
	}
	e.Entry.TypedKey(k)
}

// printable reports a key whose rune also comes as TypedRune (the desktop driver sends both for
// a digit or a letter): it is part of a burst, not a break in it.
func printable(k *fyne.KeyEvent) bool { return len(k.Name) == 1 || k.Name == fyne.KeySpace }

// AcceptsTab keeps a burst's closing Tab in the field (it is the scanner's, not a move).
func (e *Entry) AcceptsTab() bool {
	return len(e.burst) >= MinBurst && e.now().Sub(e.last) <= EndGap
}

// Select is a widget.Select that gives a scanner's burst to OnBurst: a Select takes no text, so
// without it a scan typed while it has the keyboard would be dropped.
type Select struct {
	widget.Select
	OnBurst func(code string)

	now   func() time.Time
	last  time.Time
	burst []rune
}

// NewSelect is a Select of options.
func NewSelect(options []string, changed func(string), onBurst func(code string)) *Select {
	s := &Select{OnBurst: onBurst, now: time.Now}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedRune gathers a burst's keys.
func (s *Select) TypedRune(r rune) {
	t := s.now()
	if s.last.IsZero() || t.Sub(s.last) > MaxGap {
		s.burst = s.burst[:0]
	}
	s.last = t
	s.burst = append(s.burst, r)
	s.Select.TypedRune(r)
}

// TypedKey ends a burst on Enter or Tab.
func (s *Select) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		if s.OnBurst != nil && len(s.burst) >= MinBurst && s.now().Sub(s.last) <= EndGap {
			code := string(s.burst)
			s.burst, s.last = s.burst[:0], time.Time{}
			s.OnBurst(code)
			return
		}
	}
	if !printable(k) {
		s.burst, s.last = s.burst[:0], time.Time{}
	}
	s.Select.TypedKey(k)
}

// AcceptsTab keeps a burst's closing Tab (it is the scanner's, not a move).
func (s *Select) AcceptsTab() bool {
	return len(s.burst) >= MinBurst && s.now().Sub(s.last) <= EndGap
}
