// Package choice binds the window's drop-down lists to what they choose: one of the shop's
// carriers, or one of a setting's values, kept across language switches.
package choice

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2/widget"

	"station/ship"
)

// Extra is an entry of a carrier choice that is not one of the shop's carriers, such as
// "detect from the waybill".
type Extra struct{ Name, ID string }

// Carrier lists the shop's carriers in sel, after first when it is given, selects cur and
// hands set the id the user picks. An id not in the list (not loaded yet) is kept, shown as the id.
func Carrier(sel *widget.Select, first *Extra, list []ship.Carrier, cur string, set func(id string)) {
	var opts []string
	selected := ""
	if first != nil {
		opts = append(opts, first.Name)
		if cur == first.ID {
			selected = first.Name
		}
	}
	for _, c := range list {
		opts = append(opts, c.String())
		if c.ID == cur {
			selected = c.String()
		}
	}
	if selected == "" && cur != "" {
		opts = append(opts, cur)
		selected = cur
	}
	sel.OnChanged = nil
	sel.Options = opts
	sel.Selected = selected
	sel.Refresh()
	sel.OnChanged = func(s string) {
		if first != nil && s == first.Name {
			set(first.ID)
		} else {
			set(CarrierID(s, list))
		}
	}
}

// CarrierID finds the carrier whose "ID name" text s is; a bare id is returned as it is.
func CarrierID(s string, list []ship.Carrier) string {
	for _, c := range list {
		if c.String() == s {
			return c.ID
		}
	}
	id, _, _ := strings.Cut(s, " ")
	return id
}

// Bind lists values in sel by their names, selects *chosen and keeps *chosen the value the
// user picks, calling changed after each pick. Calling it again (another language) keeps the choice.
func Bind[T comparable](sel *widget.Select, values []T, name func(T) string, chosen *T, changed func()) {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = name(v)
	}
	sel.OnChanged = nil
	sel.Options = names
	sel.Selected = name(*chosen)
	sel.Refresh()
	sel.OnChanged = func(s string) {
		if i := slices.Index(names, s); i >= 0 {
			*chosen = values[i]
		}
		changed()
	}
}
