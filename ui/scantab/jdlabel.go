package scantab

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/jdorder"
	"station/ui/look"
)

// JD's own label of the previewed order (360buy.order.print), beside the station's: for a
// merchant comparing layouts. It is shown, never printed.

// JDLabelShown is the JD label the tab last showed beside its own (UI goroutine); nil when none.
func (t *Tab) JDLabelShown() *jdorder.JDLabel { return t.jdLabel }

// CompareJDLabel fetches JD's label of the previewed order and shows it beside the station's.
func (t *Tab) CompareJDLabel() {
	id := t.PreviewOf
	if id == "" {
		return
	}
	own := t.Preview.Image
	a := t.a
	a.Go("jd-label", func() {
		s, release, err := a.ScanSession(a.Ctx())
		var l jdorder.JDLabel
		if err == nil {
			l, err = s.Workflows().JDLabel(a.Ctx(), id)
			release()
		}
		a.Do(func() {
			tr := a.Tr()
			if err != nil {
				t.Banner.Show(look.Fail, func() (string, string) { return tr.T("jdlabel.failed") + "  " + id, tr.M(explain.Error(err)) })
				return
			}
			t.jdLabel = &l
			t.showJDLabel(l, own)
		})
	})
}

func (t *Tab) showJDLabel(l jdorder.JDLabel, own image.Image) {
	tr := t.a.Tr()
	ours := canvas.NewImageFromImage(own)
	ours.FillMode = canvas.ImageFillContain
	ours.SetMinSize(fyne.NewSize(260, 380))
	theirs := container.NewVBox()
	for _, line := range l.Lines {
		lbl := widget.NewLabel(line)
		lbl.Wrapping = fyne.TextWrapWord
		theirs.Add(lbl)
	}
	if l.Barcode != nil {
		bc := canvas.NewImageFromImage(l.Barcode)
		bc.FillMode = canvas.ImageFillContain
		bc.SetMinSize(fyne.NewSize(260, 80))
		theirs.Add(bc)
	} else {
		theirs.Add(widget.NewLabel(tr.T("jdlabel.none")))
	}
	split := container.NewHSplit(container.NewBorder(widget.NewLabel(tr.T("scan.preview")), nil, nil, nil, ours),
		container.NewBorder(widget.NewLabel(tr.T("jdlabel.show")), nil, nil, nil, container.NewVScroll(theirs)))
	d := dialog.NewCustom(tr.F("jdlabel.title", l.OrderID), tr.T("notes.cancel"), split, t.a.Window())
	d.Resize(fyne.NewSize(760, 560))
	t.a.ShowDialog(d)
}
