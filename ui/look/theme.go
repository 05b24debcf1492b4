// Package look is how the window looks: Fyne's light theme with the embedded CJK font and the
// station's large sizes, and the big coloured result banner of the scan tab.
package look

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"station/assets"
)

// cjkFont is the embedded CJK font as a Fyne resource. Fyne draws the glyphs this font lacks
// (Latin letters and digits: it is a fallback font) with its own bundled font, so every string
// the window shows renders on a machine without any CJK system font.
var cjkFont = fyne.NewStaticResource("DroidSansFallbackFull.ttf", assets.CJKFontTTF)

// Theme sizes of the station's own elements, read through Label.SizeName.
const (
	sizeBannerTitle fyne.ThemeSizeName = "station.bannerTitle" // the result banner's first line
	sizeBannerText  fyne.ThemeSizeName = "station.bannerText"  // the banner's explanation
	sizeScan        fyne.ThemeSizeName = "station.scan"        // the scan field
	SizeCount       fyne.ThemeSizeName = "station.count"       // the package count
	SizeRemark      fyne.ThemeSizeName = "station.remark"      // the merchant's remark on the scan tab
)

// Theme is Fyne's default light theme with the embedded CJK font for every text style.
// The station is used in bright warehouses: it does not follow a dark desktop theme.
type Theme struct{}

var _ fyne.Theme = Theme{}

func (Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (Theme) Font(fyne.TextStyle) fyne.Resource { return cjkFont }

func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (Theme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case sizeBannerTitle:
		return 40
	case sizeBannerText:
		return 24
	case sizeScan:
		return 30
	case SizeCount:
		return 22
	case SizeRemark:
		return 26
	}
	return theme.DefaultTheme().Size(n)
}

// onColorTheme draws text in white, for labels on the coloured result banner.
type onColorTheme struct {
	Theme
	scale *float32 // the banner's text size, relative to a 1366x768 window's
}

func (t onColorTheme) Size(n fyne.ThemeSizeName) float32 {
	if (n == sizeBannerTitle || n == sizeBannerText) && t.scale != nil {
		return t.Theme.Size(n) * *t.scale
	}
	return t.Theme.Size(n)
}

func (t onColorTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return color.White
	}
	return t.Theme.Color(n, v)
}

// ScanField makes the text of the scan field large enough to check at a glance.
type ScanField struct{ Theme }

func (t ScanField) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return t.Theme.Size(sizeScan)
	case theme.SizeNameInputBorder:
		return 3
	}
	return t.Theme.Size(n)
}

// Banner colours: strong enough to tell apart from across the bench, with white text on them.
var (
	colorOK      = color.NRGBA{R: 0x1b, G: 0x7f, B: 0x3b, A: 0xff} // green
	colorFail    = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff} // red
	colorWait    = color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff} // blue: waiting for the waybill scan
	colorWarn    = color.NRGBA{R: 0xb2, G: 0x6a, B: 0x00, A: 0xff} // amber: already done, nothing printed
	colorIdle    = color.NRGBA{R: 0x54, G: 0x6e, B: 0x7a, A: 0xff} // grey: ready
	colorWorking = color.NRGBA{R: 0x37, G: 0x47, B: 0x4f, A: 0xff} // dark grey: working
)
