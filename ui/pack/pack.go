// Package pack is the scan tab's verification panel (验货): the order's lines in large type,
// counted as items are scanned, the last refusal in red, and the packer's decisions (skip with
// a reason, set aside, weigh again, accept the weight). It only draws: scan decides.
package pack

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/say"
	"station/scan"
	"station/ui/i18n"
	"station/ui/keys"
	"station/ui/look"
	"station/verify"
)

// Panel shows the order under verification.
type Panel struct {
	Content fyne.CanvasObject
	tr      *i18n.Translator
	title   *widget.Label
	pieces  *widget.Label
	lines   *fyne.Container
	scroll  *container.Scroll
	refusal *widget.Label
	weight  *widget.Label
	skip    *widget.Button
	aside   *widget.Button
	weigh   *widget.Button
	accept  *widget.Button

	view   *verify.View
	last   scan.Result
	decide func(cmd, arg string)
	reason func(done func(reason string))
}

// New makes the panel. decide sends a decision to the scan line (":skip REASON", ":aside",
// ":weigh", ":accept"); reason asks the packer why verification is skipped and calls done
// with it (never with ""). Both run on the UI goroutine.
func New(tr *i18n.Translator, decide func(cmd, arg string), reason func(done func(string))) *Panel {
	p := &Panel{tr: tr, decide: decide, reason: reason}
	p.title = widget.NewLabel("")
	p.title.TextStyle = fyne.TextStyle{Bold: true}
	p.pieces = widget.NewLabel("")
	p.pieces.SizeName = look.SizeCount
	p.pieces.TextStyle = fyne.TextStyle{Bold: true}
	p.lines = container.NewVBox()
	p.refusal = widget.NewLabel("")
	p.refusal.Importance = widget.DangerImportance
	p.refusal.Wrapping = fyne.TextWrapWord
	p.refusal.TextStyle = fyne.TextStyle{Bold: true}
	p.refusal.Hide()
	p.weight = widget.NewLabel("")
	p.weight.Wrapping = fyne.TextWrapWord
	p.weight.Hide()
	p.skip = widget.NewButtonWithIcon("", theme.MediaSkipNextIcon(), func() {
		p.reason(func(r string) { p.decide("skip", r) })
	})
	p.aside = widget.NewButtonWithIcon("", theme.ContentUndoIcon(), func() { p.decide("aside", "") })
	p.weigh = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { p.decide("weigh", "") })
	p.accept = widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() { p.decide("accept", "") })
	p.accept.Importance = widget.WarningImportance
	p.weigh.Hide()
	p.accept.Hide()
	tr.Bind(p.refresh)
	buttons := container.NewHBox(p.skip, p.aside, p.weigh, p.accept)
	head := container.NewBorder(nil, nil, nil, p.pieces, p.title)
	p.scroll = container.NewVScroll(p.lines)
	p.Content = container.NewBorder(container.NewVBox(head, widget.NewSeparator()),
		container.NewVBox(p.refusal, p.weight, buttons), nil, nil, p.scroll)
	return p
}

// Tap taps the decision button labelled text, if it is shown (for tests); it reports whether
// it was.
func (p *Panel) Tap(text string) bool {
	for _, b := range []*widget.Button{p.skip, p.aside, p.weigh, p.accept} {
		if b.Text == text && b.Visible() {
			b.OnTapped()
			return true
		}
	}
	return false
}

// RefusalShown reports whether a refusal is on the panel (for tests).
func (p *Panel) RefusalShown() bool { return p.refusal.Visible() && p.refusal.Text != "" }

// View is the order the panel shows, nil when none.
func (p *Panel) View() *verify.View { return p.view }

// Show puts the order under verification on the panel, with the result of the last scan (a
// refusal is shown in red until the next count).
func (p *Panel) Show(v verify.View, r scan.Result) {
	p.view, p.last = &v, r
	p.refresh()
}

// Clear empties the panel (the order went on, or was set aside).
func (p *Panel) Clear() {
	p.view, p.last = nil, scan.Result{}
	p.refresh()
}

func (p *Panel) refresh() {
	tr := p.tr
	p.skip.SetText(tr.T("pack.skip"))
	p.aside.SetText(tr.T("pack.aside"))
	p.weigh.SetText(tr.T("pack.weigh"))
	p.accept.SetText(tr.T("pack.accept"))
	p.lines.RemoveAll()
	if p.view == nil {
		p.title.SetText(tr.T("pack.none"))
		p.pieces.SetText("")
		p.refusal.Hide()
		p.weight.Hide()
		p.weigh.Hide()
		p.accept.Hide()
		return
	}
	v := p.view
	p.title.SetText(tr.F("pack.title", v.OrderID))
	p.pieces.SetText(fmt.Sprintf("%d/%d", v.Got, v.Want))
	counted := -1
	if p.last.Item != nil && p.last.Item.Outcome == verify.Counted {
		counted = p.last.Item.Line
	}
	for i, l := range v.Lines {
		p.lines.Add(p.line(l, i == counted))
	}
	p.showLine(counted)
	if scan.Refusal(p.last) != 0 || p.last.Status == scan.Rejected {
		p.refusal.SetText(tr.M(explain.Scan(p.last)))
		p.refusal.Show()
	} else {
		p.refusal.Hide()
	}
	held := p.last.Status == scan.Held && (p.last.Note == scan.NoteWeightOff || p.last.Note == scan.NoteNoWeight)
	if held || v.Weight != nil {
		p.weight.SetText(tr.M(explain.Scan(p.last)))
		p.weight.Importance = widget.DangerImportance
		p.weight.Show()
	} else {
		p.weight.Hide()
	}
	p.weigh.Hidden, p.accept.Hidden = !held, !held
	p.weigh.Refresh()
	p.accept.Refresh()
}

// showLine scrolls an order of many lines to the one just counted, so that its new count is in
// view.
func (p *Panel) showLine(i int) {
	if i < 0 || i >= len(p.lines.Objects) {
		return
	}
	y, h := float32(0), p.lines.Objects[i].MinSize().Height
	pad := theme.Padding()
	for _, o := range p.lines.Objects[:i] {
		y += o.MinSize().Height + pad
	}
	if view := p.scroll.Size().Height; y < p.scroll.Offset.Y || y+h > p.scroll.Offset.Y+view {
		p.scroll.ScrollToOffset(fyne.NewPos(0, y)) // the line at the top, the next ones under it
	}
}

// line is one product: its count large, its name and code.
func (p *Panel) line(l verify.Line, justCounted bool) fyne.CanvasObject {
	count := widget.NewLabel(fmt.Sprintf("%d/%d", l.Got, l.Want))
	count.SizeName = look.SizeCount
	count.TextStyle = fyne.TextStyle{Bold: true}
	icon := widget.NewIcon(nil)
	switch {
	case l.Done():
		count.Importance = widget.SuccessImportance
		icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	case len(l.Codes) == 0:
		count.Importance = widget.WarningImportance
		icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	}
	name := widget.NewLabel(say.Short(l.Name, 60))
	name.Truncation = fyne.TextTruncateEllipsis
	if justCounted {
		name.TextStyle = fyne.TextStyle{Bold: true}
	}
	code := p.tr.T("pack.nocode")
	if len(l.Codes) > 0 {
		code = say.Short(strings.Join(l.Codes, " · "), 60)
	}
	codeL := widget.NewLabel(code)
	codeL.Truncation = fyne.TextTruncateEllipsis
	codeL.Importance = widget.LowImportance
	text := container.NewVBox(name, codeL)
	return container.NewBorder(nil, nil, container.NewHBox(icon, count), nil, text)
}

// AskReason asks why verification is skipped: skipping needs a reason, which is recorded. done
// hears it (never ""); show puts the dialog on screen; closed runs when it goes. A scanner's
// code typed while the dialog is open is never the reason: it goes to scanned, as a scan.
func AskReason(tr *i18n.Translator, win fyne.Window, show func(dialog.Dialog), closed func(), scanned, done func(string)) dialog.Dialog {
	reason := keys.NewEntry(scanned, false)
	reason.SetPlaceHolder(tr.T("pack.reason.hint"))
	var d dialog.Dialog
	ok := widget.NewButton(tr.T("pack.reason.ok"), func() {
		if r := strings.TrimSpace(reason.Text); r != "" {
			d.Hide()
			done(r)
		}
	})
	ok.Importance = widget.HighImportance
	ok.Disable()
	reason.OnChanged = func(s string) {
		if strings.TrimSpace(s) == "" {
			ok.Disable()
		} else {
			ok.Enable()
		}
	}
	reason.OnSubmitted = func(string) { ok.OnTapped() }
	body := container.NewVBox(widget.NewLabel(tr.T("pack.reason")), reason, ok)
	d = dialog.NewCustom(tr.T("pack.skip"), tr.T("pack.cancel"), body, win)
	d.SetOnClosed(closed)
	show(d)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	win.Canvas().Focus(reason)
	return d
}
