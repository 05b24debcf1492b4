package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"station/internal/app"
	"station/journal"
	"station/printdata"
	"station/ui/keys"
)

// The packer who works at the station: asked when the window opens (Options.SignIn) and again
// with Ctrl+L or the status bar's button; every print, check and shipment records them.

// SignIn is the sign-in dialog's fields (tests).
type SignIn struct {
	ID, Name *keys.Entry
	Dialog   dialog.Dialog
	ok       bool // Enter in the name field
}

// askPacker opens the sign-in dialog (UI goroutine).
func (a *App) askPacker() {
	if a.signIn != nil {
		return
	}
	tr := a.tr
	s := &SignIn{}
	// A badge scanned into the 工号 field is the 工号; a JD order scanned there is a scan.
	s.ID = keys.NewEntry(func(code string) {
		if looksLikeOrder(code) {
			a.ScanBurst(code)
			return
		}
		s.ID.SetText(code)
		a.win.Canvas().Focus(s.Name)
	}, false)
	s.Name = keys.NewEntry(a.ScanBurst, false)
	id, name := splitPacker(a.packer)
	s.ID.SetText(id)
	s.Name.SetText(name)
	items := []*widget.FormItem{widget.NewFormItem(tr.T("signin.id"), s.ID), widget.NewFormItem(tr.T("signin.name"), s.Name)}
	s.Dialog = dialog.NewForm(tr.T("signin.title"), tr.T("signin.ok"), tr.T("signin.cancel"), items, func(ok bool) {
		a.signIn = nil
		a.dialogs--
		if ok || s.ok {
			a.setPacker(strings.TrimSpace(s.ID.Text + " " + s.Name.Text))
		}
		a.refocus()
	}, a.win)
	s.ID.OnSubmitted = func(string) { a.win.Canvas().Focus(s.Name) }
	// Enter in the name field signs in, as the OK button does (Hide runs the callback).
	s.Name.OnSubmitted = func(string) { s.ok = true; s.Dialog.Hide() }
	a.signIn = s
	a.dialogs++
	s.Dialog.Resize(fyne.NewSize(420, 220))
	s.Dialog.Show()
	a.win.Canvas().Focus(s.ID)
}

// looksLikeOrder tells a JD order id (10 digits or more) from a 工号.
func looksLikeOrder(code string) bool {
	id, err := printdata.CleanOrderID(code)
	return err == nil && len(id) >= 10
}

func splitPacker(p string) (id, name string) {
	id, name, _ = strings.Cut(p, " ")
	return id, name
}

// setPacker makes p the packer recorded from now on, on the open session and the next ones.
func (a *App) setPacker(p string) {
	a.packer = app.Identity(p)
	a.opts.Flags.Packer = a.packer
	a.Go("packer", func() {
		s, release, err := a.use(a.ctx)
		if err != nil {
			return // not connected: the next session takes it from the flags
		}
		defer release()
		j := s.Workflows().Journal()
		w := j.Who()
		j.SetWho(journal.Who{Station: w.Station, Packer: a.packer})
	})
	a.status.render()
}

// Packer is the signed-in packer, "" when nobody is (tests).
func (a *App) Packer() string { return a.packer }

// SignInDialog is the open sign-in dialog, nil when none is (tests).
func (a *App) SignInDialog() *SignIn { return a.signIn }
