package ui

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// fitScreen sizes the window to the primary monitor's work area once the desktop driver runs:
// the whole of a 1024x768 or 1366x768 screen (without its task bar), at most 1600x900 on a big
// one. Fyne has no monitor size of its own; GLFW, which its desktop driver runs on, has. Outside
// that driver (the test driver), GLFW is not running and the size stays as it was.
func fitScreen(w fyne.Window) {
	defer func() { _ = recover() }() // GLFW not initialised: not the desktop driver
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return
	}
	_, _, width, height := m.GetWorkarea()
	scale := w.Canvas().Scale()
	if width <= 0 || height <= 0 || scale <= 0 {
		return
	}
	// Leave room for the window's frame and title bar.
	wu, hu := float32(width)/scale-16, float32(height)/scale-48
	w.Resize(fyne.NewSize(min(wu, 1600), min(hu, 900)))
}
