package sample

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"

	"github.com/boombuler/barcode/code128"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// QuietZone is the blank margin of BarcodeJPEG's Code 128, in modules, on each side.
const QuietZone = 10

// Barcode geometry: JD's generade images are read by hand scanners off a printed label, so every
// module is at least two pixels and the quiet zone is ten modules, as Code 128 requires.
const (
	barModulePx   = 2
	barQuietZone  = QuietZone
	barHeightPx   = 64
	barMarginPx   = 6
	barTextHeight = 13 // basicfont.Face7x13
)

// BarcodeJPEG draws the Code 128 barcode of text with the digits printed underneath.
func BarcodeJPEG(text string) ([]byte, error) {
	bc, err := code128.Encode(text)
	if err != nil {
		return nil, fmt.Errorf("barcode for %q: %w", text, err)
	}
	modules := bc.Bounds().Dx()
	w := (modules + 2*barQuietZone) * barModulePx
	h := barMarginPx + barHeightPx + 4 + barTextHeight + barMarginPx
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	x0 := barQuietZone * barModulePx
	for m := range modules {
		if color.GrayModel.Convert(bc.At(bc.Bounds().Min.X+m, bc.Bounds().Min.Y)).(color.Gray).Y >= 128 {
			continue
		}
		bar := image.Rect(x0+m*barModulePx, barMarginPx, x0+(m+1)*barModulePx, barMarginPx+barHeightPx)
		draw.Draw(img, bar, image.Black, image.Point{}, draw.Src)
	}
	d := font.Drawer{Dst: img, Src: image.Black, Face: basicfont.Face7x13}
	tw := d.MeasureString(text).Ceil()
	d.Dot = fixed.P((w-tw)/2, barMarginPx+barHeightPx+4+basicfont.Face7x13.Ascent)
	d.DrawString(text)

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return withJFIF(buf.Bytes()), nil
}

// jfifHeader is the APP0 segment JD's images carry (base64 "/9j/4AAQSkZJRg…") and Go's
// encoder leaves out: JFIF 1.1, no density units, 1:1 aspect, no thumbnail.
var jfifHeader = []byte{0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}

// withJFIF inserts the JFIF header right after the start-of-image marker.
func withJFIF(j []byte) []byte {
	out := make([]byte, 0, len(j)+len(jfifHeader))
	out = append(out, j[:2]...)
	out = append(out, jfifHeader...)
	return append(out, j[2:]...)
}

// badge palette: JD's sign images are small paletted GIFs.
var badgePalette = color.Palette{color.White, color.Black, color.RGBA{0xc8, 0x10, 0x2e, 0xff}}

// BadgeSize is the side of BadgeGIF's square image, in pixels.
const BadgeSize = 40

// BadgeGIF draws a 40×40 bordered badge with a two-letter label at twice the font size, in ink
// (a palette index).
func BadgeGIF(label string, ink uint8, double bool) ([]byte, error) {
	img := image.NewPaletted(image.Rect(0, 0, BadgeSize, BadgeSize), badgePalette)
	inkC := image.NewUniform(badgePalette[ink])
	frame := func(inset, width int) {
		r := image.Rect(inset, inset, BadgeSize-inset, BadgeSize-inset)
		inner := r.Inset(width)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if !(image.Point{x, y}).In(inner) {
					img.Set(x, y, inkC.C)
				}
			}
		}
	}
	frame(0, 2)
	if double {
		frame(4, 1)
	}

	// Draw the label at 1× into a mask, then scale it 2× onto the badge.
	face := basicfont.Face7x13
	mask := image.NewAlpha(image.Rect(0, 0, 7*len(label), 13))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(label)
	ox := (BadgeSize - 2*mask.Bounds().Dx()) / 2
	oy := (BadgeSize - 2*mask.Bounds().Dy()) / 2
	for y := range mask.Bounds().Dy() {
		for x := range mask.Bounds().Dx() {
			if mask.AlphaAt(x, y).A < 128 {
				continue
			}
			for dy := range 2 {
				for dx := range 2 {
					img.SetColorIndex(ox+2*x+dx, oy+2*y+dy, ink)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
