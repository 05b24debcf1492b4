package keys

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// ScanField is the scan tab's field: an Entry that hands keys to OnKey first (the mode
// hotkeys), lets the window's shortcuts through, takes Tab as the end of a scan when TabSubmits
// says so, and reports losing the keyboard.
type ScanField struct {
	widget.Entry
	OnKey       func(*fyne.KeyEvent) bool // true: the key was handled
	OnShortcut  func(fyne.Shortcut) bool
	OnFocusLost func()
	TabSubmits  func() bool
}

// TypedShortcut lets the window's own shortcuts (Ctrl+1…4 for the tabs) through: a focused
// entry would otherwise swallow them.
func (e *ScanField) TypedShortcut(s fyne.Shortcut) {
	if e.OnShortcut != nil && e.OnShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// NewScanField makes the scan field.
func NewScanField() *ScanField {
	e := &ScanField{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *ScanField) TypedKey(k *fyne.KeyEvent) {
	if e.OnKey != nil && e.OnKey(k) {
		return
	}
	if k.Name == fyne.KeyTab {
		// Many scanners end a code with Tab instead of Enter: it submits the line (unless the
		// settings say only Enter does), and the keyboard never leaves the scan field.
		if e.TabSubmits() && strings.TrimSpace(e.Text) != "" && e.OnSubmitted != nil {
			e.OnSubmitted(e.Text)
		}
		return
	}
	e.Entry.TypedKey(k)
}

// AcceptsTab keeps Tab in the scan field (see TypedKey).
func (e *ScanField) AcceptsTab() bool { return true }

// SinkSelect is a drop-down beside the scan field (the scan tab's carrier): a Select that, when it has the keyboard
// (after it was opened and closed), hands whatever is typed to the scan field, so that a
// scanner's burst is never dropped into a dropdown.
type SinkSelect struct {
	widget.Select
	to   *ScanField
	Menu *widget.PopUp // the list, while open
}

// NewSinkSelect makes a drop-down whose typed keys go to the scan field to.
func NewSinkSelect(to *ScanField) *SinkSelect {
	s := &SinkSelect{to: to}
	s.OnChanged = func(string) {}
	s.ExtendBaseWidget(s)
	return s
}

// Tapped opens the carrier list as a pop-up of buttons that never takes the keyboard: Fyne's own
// list would, and then a scan typed while it is open is lost and its Enter picks the
// highlighted carrier. With this one the keys go on to the scan field (see installFallback);
// a scan, Esc or a click outside closes it.
func (s *SinkSelect) Tapped(*fyne.PointEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(s)
	if c == nil || s.Disabled() {
		return
	}
	box := container.NewVBox()
	var pop *widget.PopUp
	for _, opt := range s.Options {
		b := widget.NewButton(opt, func() {
			pop.Hide()
			s.SetSelected(opt)
			c.Focus(s.to)
		})
		b.Alignment = widget.ButtonAlignLeading
		if opt == s.Selected {
			b.Importance = widget.HighImportance
		}
		box.Add(b)
	}
	pop = widget.NewPopUp(box, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s)
	pop.ShowAtPosition(pos.Add(fyne.NewPos(0, s.Size().Height)))
	pop.Resize(fyne.NewSize(max(s.Size().Width, box.MinSize().Width), box.MinSize().Height))
	s.Menu = pop
}

// CloseMenu closes the carrier list when it is open, and reports whether it was.
func (s *SinkSelect) CloseMenu() bool {
	if s.Menu == nil || !s.Menu.Visible() {
		return false
	}
	s.Menu.Hide()
	return true
}

func (s *SinkSelect) TypedRune(r rune) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(s); c != nil {
		c.Focus(s.to)
	}
	s.to.TypedRune(r)
}

func (s *SinkSelect) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		if c := fyne.CurrentApp().Driver().CanvasForObject(s); c != nil {
			c.Focus(s.to)
		}
		s.to.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		return
	}
	s.Select.TypedKey(k)
}

// FocusLost tells OnFocusLost.
func (e *ScanField) FocusLost() {
	e.Entry.FocusLost()
	if e.OnFocusLost != nil {
		e.OnFocusLost()
	}
}
