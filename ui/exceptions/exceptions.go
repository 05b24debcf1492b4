// Package exceptions is the scan tab's exception list (异常单): every scan that did not go
// through stays listed, with what to do and a one-click way forward, until a person clears it.
// It only draws: which scans are kept, and why, is scan.Exceptions'.
package exceptions

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/say"
	"station/scan"
	"station/ui/i18n"
)

// List shows the open exceptions.
type List struct {
	Content fyne.CanvasObject
	title   *widget.Label
	rows    *fyne.Container
	items   []scan.Exception
	tr      *i18n.Translator
	act     func(scan.Exception)
	clear   func(i int)
	done    func()
}

// New makes the list. act runs an exception's way forward; clear removes the exception at
// index i; both are called on the UI goroutine, then done (for the scan field to take the
// keyboard back).
func New(tr *i18n.Translator, act func(scan.Exception), clear func(i int), done func()) *List {
	l := &List{tr: tr, act: act, clear: clear, done: done}
	l.title = widget.NewLabel("")
	l.title.TextStyle = fyne.TextStyle{Bold: true}
	l.rows = container.NewVBox()
	tr.Bind(l.refresh)
	l.Content = container.NewBorder(l.title, nil, nil, nil, container.NewVScroll(l.rows))
	return l
}

// row is one exception: what happened and what to do, its way forward, and 清除.
func (l *List) row(i int, e scan.Exception) fyne.CanvasObject {
	text := widget.NewLabel(l.text(e))
	text.Wrapping = fyne.TextWrapWord
	clearB := widget.NewButtonWithIcon(l.tr.T("exc.clear"), theme.DeleteIcon(), func() { l.clear(i); l.done() })
	buttons := container.NewHBox()
	if key, ok := actionKeys[e.Action]; ok {
		action := widget.NewButton(l.tr.T(key), func() { l.act(e); l.done() })
		action.Importance = widget.HighImportance
		buttons.Add(action)
	}
	buttons.Add(clearB)
	return container.NewVBox(container.NewBorder(nil, nil, nil, container.NewVBox(buttons), text), widget.NewSeparator())
}

var actionKeys = map[scan.Action]i18n.Key{
	scan.ActionRetry: "exc.retry", scan.ActionReprint: "exc.reprint", scan.ActionResume: "exc.resume",
}

// Set shows items (newest first).
func (l *List) Set(items []scan.Exception) {
	l.items = items
	l.refresh()
}

// Len is how many exceptions are shown.
func (l *List) Len() int { return len(l.items) }

// Title is the list's heading, with the count.
func (l *List) Title() string { return l.title.Text }

// Texts are the rows as they read.
func (l *List) Texts() []string {
	out := make([]string, len(l.items))
	for i, e := range l.items {
		out[i] = l.text(e)
	}
	return out
}

func (l *List) refresh() {
	l.title.SetText(l.tr.F("exc.title", len(l.items)))
	if len(l.items) == 0 {
		l.title.Importance = widget.MediumImportance
	} else {
		l.title.Importance = widget.DangerImportance
	}
	l.title.Refresh()
	objs := make([]fyne.CanvasObject, len(l.items))
	for i, e := range l.items {
		objs[i] = l.row(i, e)
	}
	l.rows.Objects = objs
	l.rows.Refresh()
}

func (l *List) text(e scan.Exception) string {
	r := e.Result
	id := r.OrderID
	if id == "" {
		id = say.Short(r.Input, 60) // what was scanned: from outside
	}
	line := fmt.Sprintf("%s  %s  %s", r.At.Format("15:04:05"), id, l.tr.M(explain.Scan(r)))
	if r.Remark != nil && r.Remark.Text != "" {
		line += "\n" + l.tr.F("notes.merchant", r.Remark.Text) // what the packer acts on goes with the order
	}
	return line
}
