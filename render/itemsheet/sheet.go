// Package itemsheet draws a practice sheet of item barcodes: every product of the table with
// its barcode (EAN-13 or Code 128) and name, and the scan line's quantity and command codes,
// on A4 pages, so that a packer can try verification before the goods come.
package itemsheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/ean"

	"station/products"
	"station/render"
	"station/render/pdf"
)

// A4 is the sheet's page.
var A4 = render.Size{Name: "A4", W: 210, H: 297}

// The grid: three columns of eight cells.
const (
	margin = 10.0
	cols   = 3
	rows   = 8
	cellW  = (210 - 2*margin) / cols
	cellH  = (297 - 2*margin) / rows
	module = 0.33 // mm: EAN-13 at 100 %
	barH   = 14.0
)

// Command is a code of the scan line that is not a product.
type Command struct {
	Code  string // what the scanner types
	Label string // what it does
}

// Commands are the quantity and decision codes printed before the products.
var Commands = []Command{
	{"+1", "数量 +1"}, {"+2", "数量 +2"}, {"+5", "数量 +5"}, {"+10", "数量 +10"},
	{":aside", "放到异常单 set aside"}, {":weigh", "重新称重 weigh again"}, {":accept", "重量放行 accept weight"},
}

// Write draws the sheet: the commands, then the products, one cell each (a product with
// several barcodes shows its first). It returns the number of pages.
func Write(w io.Writer, ps []products.Product) (int, error) {
	type cell struct{ code, title, caption string }
	var cells []cell
	for _, c := range Commands {
		cells = append(cells, cell{c.Code, c.Label, c.Code})
	}
	for _, p := range ps {
		title := p.Name
		if p.OuterID != "" {
			title = p.OuterID + " " + title
		}
		c := cell{title: title, caption: "无可打印条码 no printable code"}
		for _, code := range p.Codes() {
			if printable(code) {
				c.code, c.caption = code, code
				break
			}
		}
		cells = append(cells, c)
	}
	out := pdf.NewWriter(w, A4)
	pages := 0
	for start := 0; start < len(cells); start += cols * rows {
		l := &render.Label{OrderID: fmt.Sprintf("items-%d", pages+1), W: A4.W, H: A4.H, Size: A4}
		for i, c := range cells[start:min(start+cols*rows, len(cells))] {
			x := margin + float64(i%cols)*cellW
			y := margin + float64(i/cols)*cellH
			l.Boxes = append(l.Boxes, render.Box{Kind: render.KindText, Field: "title", X: x + 2, Y: y + 1, W: cellW - 4, H: 7,
				Lines: []string{fit(c.title, 9, cellW-4)}, Size: 9})
			if c.code != "" {
				bx, err := bars(c.code, x, y+9)
				if err != nil {
					return pages, fmt.Errorf("item sheet: %s: %w", c.code, err)
				}
				l.Boxes = append(l.Boxes, bx)
			}
			l.Boxes = append(l.Boxes,
				render.Box{Kind: render.KindText, Field: "code", X: x + 2, Y: y + 9 + barH + 1, W: cellW - 4, H: 5,
					Lines: []string{fit(c.caption, 8, cellW-4)}, Size: 8, Align: render.AlignCenter})
		}
		if err := out.Add(l); err != nil {
			return pages, err
		}
		pages++
	}
	if err := out.Close(); err != nil {
		return pages, err
	}
	return pages, nil
}

// bars is a barcode box centred in its cell: EAN-13 for 13 digits with a right check digit
// (EAN-8 for 8, UPC-A as EAN-13 with a leading 0), Code 128 for the rest.
func bars(code string, x, y float64) (render.Box, error) {
	var bc barcode.Barcode
	var err error
	good := isDigits(code) && products.CheckBarcode(code) == nil
	switch {
	case good && (len(code) == 13 || len(code) == 8):
		bc, err = ean.Encode(code)
	case good && len(code) == 12:
		bc, err = ean.Encode("0" + code) // UPC-A is EAN-13 with a leading zero
	default:
		bc, err = code128.Encode(code)
	}
	if err != nil {
		return render.Box{}, err
	}
	b := bc.Bounds()
	mods := make([]bool, b.Dx())
	for i := range mods {
		r, _, _, _ := bc.At(b.Min.X+i, b.Min.Y).RGBA()
		mods[i] = r < 0x8000
	}
	m := module
	if w := float64(len(mods)+2*render.QuietModules) * m; w > cellW-2 {
		m = (cellW - 2) / float64(len(mods)+2*render.QuietModules)
	}
	w := float64(len(mods)+2*render.QuietModules) * m
	return render.Box{Kind: render.KindBarcode, Field: "barcode", X: x + (cellW-w)/2, Y: y, W: w, H: barH,
		Data: code, Modules: mods, Module: m}, nil
}

// printable reports whether Code 128 can carry the code: printable ASCII.
func printable(code string) bool {
	for _, r := range code {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return code != ""
}

func isDigits(s string) bool { return strings.Trim(s, "0123456789") == "" }

// fit cuts text to the width at size pt, with an ellipsis when it is cut.
func fit(s string, size, width float64) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	em := size * render.PtToMM
	total := 0.0
	runes := []rune(s)
	for i, r := range runes {
		_, adv, ok := render.Glyph(r, false)
		if !ok {
			adv = 1
		}
		total += adv * em
		if total > width-em {
			if i < len(runes)-1 {
				return string(runes[:i]) + "…"
			}
		}
	}
	return s
}
