package scantab

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"station/fulfill"
	"station/products"
	"station/scan"
	"station/settings"
	"station/ship"
	"station/sound"
	"station/ui/i18n"
)

// Host is what the tab needs of the window it is in.
type Host interface {
	Tr() *i18n.Translator
	Ctx() context.Context // ends when the window closes
	Window() fyne.Window
	// Do runs fn on the UI goroutine; Go runs fn on a tracked background goroutine.
	Do(fn func())
	Go(name string, fn func())
	// WorkAdd and WorkDone track a scan handed to the worker until it is on screen.
	WorkAdd()
	WorkDone()
	RecoverTo(name string)     // deferred in a goroutine: a panic is reported, not fatal
	Stopping() <-chan struct{} // closed when the window closes

	Settings() settings.Settings
	SetScanMode(m settings.ScanMode)        // and save it, quietly
	Showing(content fyne.CanvasObject) bool // the tab with this content is on screen
	Refocus()                               // the scan field takes the keyboard back
	Shortcut(s fyne.Shortcut) bool          // the window's shortcuts (Ctrl+1…4)
	Button(label string, tapped func()) *widget.Button
	ShowDialog(d dialog.Dialog)
	DialogsOpen() int
	Play(p sound.Prompt)
	RefreshStatus()
	LoadCarriers(refresh bool, then func(list []ship.Carrier, err error))
	// ScanSession holds the connected station until release.
	ScanSession(ctx context.Context) (s Session, release func(), err error)
}

// Session is the connected station as the scan tab uses it.
type Session interface {
	Workflows() *fulfill.Station
	Catalog(ctx context.Context) (*products.Catalog, error) // the product table for verification
	Scale() scan.Weigher                                    // nil when there is none
}
