// Package office holds the window's back-office tabs: 批量打印 (finding orders and printing and
// shipping a selection with progress) and 记录 (the journal: search, reprint, waybill
// correction). They run on a Host, the window.
package office

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"station/fulfill"
	"station/settings"
	"station/ship"
	"station/ui/i18n"
)

// Host is what the tabs need of the window they are in.
type Host interface {
	Tr() *i18n.Translator
	// Do runs fn on the UI goroutine; Go runs fn on a tracked background goroutine.
	Do(fn func())
	Go(name string, fn func())
	Ctx() context.Context // ends when the window closes
	Window() fyne.Window
	ShowError(err error)
	ShowInfo(title, message string)
	ShowDialog(d dialog.Dialog)
	// ScanBurst takes a scanner's code typed while a date field had the keyboard: it goes to
	// the scan line, not into the field.
	ScanBurst(code string)
	// WithStation runs f off the UI goroutine with the connected station held, for at most
	// timeout; Use holds it until release is called.
	WithStation(timeout time.Duration, f func(ctx context.Context, st *fulfill.Station) error) error
	Use(ctx context.Context) (st *fulfill.Station, release func(), err error)
	LoadCarriers(refresh bool, then func(list []ship.Carrier, err error))
	CarrierText(id string) string
	RefreshStatus()
	Settings() settings.Settings // as saved
	// RateCut is JD's last slow-down of the station's calls for its quota: the calls per
	// second allowed since, and when (zero if none).
	RateCut() (perSecond float64, at time.Time)
}
