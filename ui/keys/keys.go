// Package keys keeps a barcode scanner's burst out of the window's other fields: an Entry that
// notices keys coming faster than anyone types (a keyboard-wedge scanner sends a code and Enter
// or Tab within a few milliseconds a key) and hands the code to the scan line instead of
// keeping it; and the scan field itself, with the drop-down beside it that hands it its keys.
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

// detector tells a scanner's burst from typing: keys under MaxGap apart, at least MinBurst of
// them, ended by Enter or Tab within EndGap.
type detector struct {
	now   func() time.Time
	last  time.Time
	burst []rune
}

// rune notes a key; it reports whether it starts a new run.
func (d *detector) rune(r rune) (started bool) {
	t := d.now()
	started = d.last.IsZero() || t.Sub(d.last) > MaxGap
	if started {
		d.burst = d.burst[:0]
	}
	d.last = t
	d.burst = append(d.burst, r)
	return started
}

// pending reports a run long and fast enough that an Enter or Tab now ends a scan.
func (d *detector) pending() bool {
	return len(d.burst) >= MinBurst && d.now().Sub(d.last) <= EndGap
}

// key takes a key press: for an Enter or Tab that ends a burst it returns the code; a key that
// is not part of typing (a move, a deletion) breaks the run.
func (d *detector) key(k *fyne.KeyEvent) (code string, ok bool) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		if d.pending() {
			code = string(d.burst)
			d.reset()
			return code, true
		}
	}
	// The desktop driver sends a digit or a letter as a key as well as a rune: part of the run.
	if len(k.Name) != 1 && k.Name != fyne.KeySpace {
		d.reset()
	}
	return "", false
}

func (d *detector) reset() { d.burst, d.last = d.burst[:0], time.Time{} }

// Entry is a widget.Entry that gives scanner bursts to OnBurst, leaving its text as it was
// before the burst.
type Entry struct {
	widget.Entry
	OnBurst func(code string)

	d         detector
	before    string // the text before the burst's first key
	cursorRow int
	cursorCol int
}

// NewEntry is an Entry; a password entry hides what is typed.
func NewEntry(onBurst func(code string), password bool) *Entry {
	e := &Entry{OnBurst: onBurst, d: detector{now: time.Now}}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune notes the key's timing, then types it as any entry does.
func (e *Entry) TypedRune(r rune) {
	if e.d.rune(r) {
		e.before, e.cursorRow, e.cursorCol = e.Text, e.CursorRow, e.CursorColumn
	}
	e.Entry.TypedRune(r)
}

// TypedKey ends a burst on Enter or Tab: a scanner's code goes to OnBurst and the field gets
// its text back; anything else is an ordinary key.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if code, ok := e.d.key(k); ok && e.OnBurst != nil {
		e.SetText(e.before)
		e.CursorRow, e.CursorColumn = e.cursorRow, e.cursorCol
		e.Refresh()
		e.OnBurst(code)
		return
	}
	e.Entry.TypedKey(k)
}

// AcceptsTab keeps a burst's closing Tab in the field (it is the scanner's, not a move).
func (e *Entry) AcceptsTab() bool { return e.d.pending() }

// Select is a widget.Select that gives a scanner's burst to OnBurst: a Select takes no text, so
// without it a scan typed while it has the keyboard would be dropped.
type Select struct {
	widget.Select
	OnBurst func(code string)
	d       detector
}

// NewSelect is a Select of options.
func NewSelect(options []string, changed func(string), onBurst func(code string)) *Select {
	s := &Select{OnBurst: onBurst, d: detector{now: time.Now}}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedRune gathers a burst's keys.
func (s *Select) TypedRune(r rune) {
	s.d.rune(r)
	s.Select.TypedRune(r)
}

// TypedKey ends a burst on Enter or Tab.
func (s *Select) TypedKey(k *fyne.KeyEvent) {
	if code, ok := s.d.key(k); ok && s.OnBurst != nil {
		s.OnBurst(code)
		return
	}
	s.Select.TypedKey(k)
}

// AcceptsTab keeps a burst's closing Tab (it is the scanner's, not a move).
func (s *Select) AcceptsTab() bool { return s.d.pending() }
