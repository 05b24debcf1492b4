package look

import (
	"image/color"
	"station/ui/i18n"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Kind is what the result banner says, and so its colour.
type Kind int

const (
	Idle    Kind = iota // ready for a scan
	Working             // a scan is being handled
	OK                  // printed and/or shipped: green
	Wait                // waiting for the waybill scan: blue
	Warn                // already done, nothing printed: amber
	Fail                // refused or failed: red
)

// Color is the banner colour of a result kind.
func (k Kind) Color() color.Color {
	switch k {
	case Working:
		return colorWorking
	case OK:
		return colorOK
	case Wait:
		return colorWait
	case Warn:
		return colorWarn
	case Fail:
		return colorFail
	}
	return colorIdle
}

// Banner is the big coloured result box of the scan tab, readable from a metre away: a title
// line in very large bold type and an explanation below it, white on the result's colour.
type Banner struct {
	kind   Kind
	bg     *canvas.Rectangle
	title  *widget.Label
	detail *widget.Label
	// texts produces the title and the detail in the current language; kept so that a language
	// switch redraws the banner.
	texts   func() (title, detail string)
	Content fyne.CanvasObject
}

// NewBanner is an idle banner that redraws when tr switches language.
func NewBanner(tr *i18n.Translator) *Banner {
	b := &Banner{bg: canvas.NewRectangle(colorIdle)}
	b.bg.CornerRadius = 6
	b.title = widget.NewLabel("")
	b.title.SizeName = sizeBannerTitle
	b.title.TextStyle = fyne.TextStyle{Bold: true}
	b.title.Wrapping = fyne.TextWrapWord
	b.detail = widget.NewLabel("")
	b.detail.SizeName = sizeBannerText
	b.detail.Wrapping = fyne.TextWrapWord
	text := container.NewThemeOverride(container.NewVBox(b.title, b.detail), onColorTheme{})
	b.Content = container.NewStack(b.bg, container.NewPadded(text))
	b.texts = func() (string, string) { return "", "" }
	tr.Bind(b.render)
	return b
}

// Show sets the banner; texts is called now and after every language switch (UI goroutine).
func (b *Banner) Show(kind Kind, texts func() (title, detail string)) {
	b.kind = kind
	b.texts = texts
	b.render()
}

func (b *Banner) render() {
	t, d := b.texts()
	b.bg.FillColor = b.kind.Color()
	b.bg.Refresh()
	b.title.SetText(t)
	b.detail.SetText(d)
	b.detail.Hidden = d == ""
	b.detail.Refresh()
}

// Kind is what the banner shows now.
func (b *Banner) Kind() Kind { return b.kind }

// Title and Detail are the banner's two lines as shown.
func (b *Banner) Title() string  { return b.title.Text }
func (b *Banner) Detail() string { return b.detail.Text }

// Fill is the banner's colour as drawn.
func (b *Banner) Fill() color.Color { return b.bg.FillColor }
