package look

import (
	"image/color"
	"station/ui/i18n"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
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
	text    *container.ThemeOverride
	scale   float32 // text size relative to the banner's at a 768-high window
}

// SetHeight scales the banner's text with the height it is given (see Column): larger type on
// a larger screen, readable from two metres at 1920x1080.
func (b *Banner) SetHeight(h float32) {
	s := min(max(h/BannerHeight(768), 1), 1.6)
	if d := s - b.scale; d < 0.02 && d > -0.02 {
		return
	}
	b.scale = s
	b.text.Refresh()
}

// Scale is the banner's text size relative to a 768-high window's.
func (b *Banner) Scale() float32 { return b.scale }

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
	b.scale = 1
	b.text = container.NewThemeOverride(container.NewVBox(b.title, b.detail), onColorTheme{scale: &b.scale})
	text := b.text
	// The banner's height is set by the column it sits in (see Column), not by its text: a long
	// explanation scrolls inside it instead of pushing everything below off the screen.
	scroll := container.NewVScroll(container.NewPadded(text))
	b.Content = container.NewStack(b.bg, scroll)
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

// BannerHeight is the banner's height in a column of height total: a quarter of it, at least
// enough for the title and two lines, at most what leaves room for the rest at 1920x1080.
func BannerHeight(total float32) float32 {
	return min(max(total*0.26, 170), 330)
}

// Column lays out a scan page: every object at its minimum height, top to bottom, except the
// banner (at index Banner), which gets BannerHeight of the whole, and the last object, which
// gets what is left. The banner's height depends only on the window's, so nothing moves when
// its text changes between idle, working and a result.
type Column struct {
	Banner int
	// OnBannerHeight hears the banner's height at each layout (Banner.SetHeight).
	OnBannerHeight func(h float32)
}

func (c Column) heights(objs []fyne.CanvasObject, total float32) []float32 {
	hs := make([]float32, len(objs))
	for i, o := range objs {
		switch {
		case !o.Visible():
		case i == c.Banner:
			hs[i] = BannerHeight(total)
		case i < len(objs)-1:
			hs[i] = o.MinSize().Height
		}
	}
	return hs
}

// Layout places objs in size.
func (c Column) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	hs := c.heights(objs, size.Height)
	used := float32(0)
	for i, h := range hs[:len(hs)-1] {
		if objs[i].Visible() {
			used += h + pad
		}
	}
	hs[len(hs)-1] = max(size.Height-used, 0)
	if c.OnBannerHeight != nil {
		c.OnBannerHeight(hs[c.Banner])
	}
	y := float32(0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, hs[i]))
		y += hs[i] + pad
	}
}

// MinSize is the rows' minimum heights with the banner at its smallest, and the widest row.
func (c Column) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		if i == c.Banner {
			h += BannerHeight(0) + pad
		} else {
			h += m.Height + pad
		}
	}
	return fyne.NewSize(w, h)
}
