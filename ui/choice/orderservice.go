package choice

import (
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/jdorder"
	"station/ui/i18n"
)

// RemarkColour is a drop-down of JD's six remark colours, cur selected.
func RemarkColour(tr *i18n.Translator, cur jdorder.RemarkFlag) *widget.Select {
	names := make([]string, int(jdorder.FlagPurple)+1)
	for i := range names {
		names[i] = tr.M(jdorder.RemarkFlag(i).Name())
	}
	sel := widget.NewSelect(names, nil)
	sel.SetSelectedIndex(int(cur))
	return sel
}

// Flag is the colour chosen in a RemarkColour drop-down.
func Flag(sel *widget.Select) jdorder.RemarkFlag {
	return jdorder.RemarkFlag(max(sel.SelectedIndex(), 0))
}

// DeleteReason is a drop-down of JD's nine delete reasons, none chosen; chosen tells the one
// picked (ok false while none is).
func DeleteReason(tr *i18n.Translator) (sel *widget.Select, chosen func() (jdorder.DeleteReason, bool)) {
	reasons := jdorder.DeleteReasons()
	names := make([]string, len(reasons))
	for i, r := range reasons {
		names[i] = tr.M(explain.DeleteReason(int(r)))
	}
	sel = widget.NewSelect(names, nil)
	sel.PlaceHolder = tr.T("notes.delete.choose")
	return sel, func() (jdorder.DeleteReason, bool) {
		if i := sel.SelectedIndex(); i >= 0 {
			return reasons[i], true
		}
		return 0, false
	}
}
