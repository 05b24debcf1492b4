package ui

import (
	"image/color"
	"station/ui/i18n"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// bannerKind is what the result banner says, and so its colour.
type bannerKind int

const (
	bannerIdle    bannerKind = iota // ready for a scan
	bannerWorking                   // a scan is being handled
	bannerOK                        // printed and/or shipped: green
	bannerWait                      // waiting for the waybill scan: blue
	bannerWarn                      // already done, nothing printed: amber
	bannerFail                      // refused or failed: red
)

func (k bannerKind) color() color.Color {
	switch k {
	case bannerWorking:
		return colorWorking
	case bannerOK:
		return colorOK
	case bannerWait:
		return colorWait
	case bannerWarn:
		return colorWarn
	case bannerFail:
		return colorFail
	}
	return colorIdle
}

// banner is the big coloured result box of the scan tab, readable from a metre away: a title
// line in very large bold type and an explanation below it, white on the result's colour.
type banner struct {
	kind   bannerKind
	bg     *canvas.Rectangle
	title  *widget.Label
	detail *widget.Label
	// texts produces the title and the detail in the current language; kept so that a language
	// switch redraws the banner.
	texts   func() (title, detail string)
	content fyne.CanvasObject
}

func newBanner(tr *i18n.Translator) *banner {
	b := &banner{bg: canvas.NewRectangle(colorIdle)}
	b.bg.CornerRadius = 6
	b.title = widget.NewLabel("")
	b.title.SizeName = sizeBannerTitle
	b.title.TextStyle = fyne.TextStyle{Bold: true}
	b.title.Wrapping = fyne.TextWrapWord
	b.detail = widget.NewLabel("")
	b.detail.SizeName = sizeBannerText
	b.detail.Wrapping = fyne.TextWrapWord
	text := container.NewThemeOverride(container.NewVBox(b.title, b.detail), onColorTheme{})
	b.content = container.NewStack(b.bg, container.NewPadded(text))
	b.texts = func() (string, string) { return "", "" }
	tr.Bind(b.render)
	return b
}

// show sets the banner; texts is called now and after every language switch (UI goroutine).
func (b *banner) show(kind bannerKind, texts func() (title, detail string)) {
	b.kind = kind
	b.texts = texts
	b.render()
}

func (b *banner) render() {
	t, d := b.texts()
	b.bg.FillColor = b.kind.color()
	b.bg.Refresh()
	b.title.SetText(t)
	b.detail.SetText(d)
	b.detail.Hidden = d == ""
	b.detail.Refresh()
}
