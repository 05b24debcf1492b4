// Package render lays a waybill out as a courier label and draws that one layout as a grayscale
// bitmap for thermal printers and previews; package render/pdf draws it as PDF.
//
// Layout computes, once per waybill and label size, the list of boxes in millimetres: text with
// its size, weight, alignment and the exact lines after fitting; barcodes; images; rules. Every
// backend draws that list and nothing else, so a change to the layout changes every output.
package render

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
)

// Size is a label size in mm.
type Size struct {
	Name string
	W, H float64
}

// The label sizes the station prints. 100x150 is the common 4x6-inch-class courier label.
var (
	Size100x150 = Size{"100x150", 100, 150}
	Size100x180 = Size{"100x180", 100, 180}
	Size76x130  = Size{"76x130", 76, 130}
	Size100x100 = Size{"100x100", 100, 100}
	Sizes       = []Size{Size100x150, Size100x180, Size76x130, Size100x100}
	DefaultSize = Size100x150
)

// ErrUnknownSize is wrapped when a size is not one the layout supports.
var ErrUnknownSize = errors.New("unknown label size")

// ParseSize reads "100x150" (also "100×150", "100X150", "100x150mm"); "" is the default size.
func ParseSize(s string) (Size, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.ReplaceAll(t, "×", "x"), "mm")
	if t == "" {
		return DefaultSize, nil
	}
	for _, z := range Sizes {
		if z.Name == t {
			return z, nil
		}
	}
	names := make([]string, len(Sizes))
	for i, z := range Sizes {
		names[i] = z.Name
	}
	return Size{}, fmt.Errorf("%w %q: use one of %s (width x height in mm)", ErrUnknownSize, s, strings.Join(names, ", "))
}

func (s Size) String() string { return s.Name }

// Options are the choices a packer makes per print run.
type Options struct {
	Size             Size
	OffsetX, OffsetY float64 // mm, added to every box: for printers that feed off-centre
	Privacy          bool    // 隐私面单: mask the consignee's name and phones
	Package          int     // this parcel's number, 1-based, when a shipment has several
	Packages         int     // parcels in the shipment; 0 or 1 = a single parcel
}

// Kind is what a box draws.
type Kind uint8

const (
	KindText    Kind = iota // Lines of text
	KindBarcode             // a Code 128 symbol: Modules, quiet zones included in the box
	KindImage               // Image, scaled to the box (whose aspect ratio is the image's)
	KindRule                // a solid black rectangle: frame edges and separators
)

func (k Kind) String() string {
	switch k {
	case KindText:
		return "text"
	case KindBarcode:
		return "barcode"
	case KindImage:
		return "image"
	case KindRule:
		return "rule"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Box is one thing drawn on the label, positioned in mm from the page's top-left corner.
type Box struct {
	Kind       Kind
	Field      string // what it shows, e.g. "sorting-code", "consignee-address"
	X, Y, W, H float64

	// Text: Lines, drawn from the top of the box (inset by Pad), each aligned in the box's width.
	Lines   []string
	Size    float64 // pt
	Bold    bool
	Align   Align
	Inverse bool    // white text on a black box
	Pad     float64 // mm between the box's edge and its text (inverse boxes)

	// Barcode: the bars of a Code 128 symbol, one entry per module (true = bar), without quiet
	// zones; Module is the module width for vector output, a whole number of 203-dpi dots.
	Data    string
	Modules []bool
	Module  float64

	// Image.
	Image image.Image
}

// Label is one laid-out waybill label.
type Label struct {
	OrderID string
	W, H    float64 // mm
	Size    Size
	Boxes   []Box
}

// validate checks what Layout promises: every box inside the page, no two boxes overlapping
// (rules may cross rules), text lines within their box at their size. Tests and the fuzz test use
// it; Layout itself Runs it too, so a layout bug shows as an error rather than a garbled label.
// Field is the label's boxes that show field (e.g. "order-barcode"), in drawing order.
func (l *Label) Field(field string) []Box {
	var out []Box
	for _, b := range l.Boxes {
		if b.Field == field {
			out = append(out, b)
		}
	}
	return out
}

func (l *Label) validate(offsetX, offsetY float64) error {
	const eps = 1e-6
	for i, b := range l.Boxes {
		x, y := b.X-offsetX, b.Y-offsetY
		if math.IsNaN(x+y+b.W+b.H) || b.W < 0 || b.H < 0 {
			return fmt.Errorf("box %d (%s %s) has a bad geometry", i, b.Kind, b.Field)
		}
		if x < -eps || y < -eps || x+b.W > l.W+eps || y+b.H > l.H+eps {
			return fmt.Errorf("box %d (%s %s) at %.3f,%.3f %.3fx%.3f leaves the %gx%g page", i, b.Kind, b.Field, x, y, b.W, b.H, l.W, l.H)
		}
		if b.Kind == KindText {
			if err := b.checkText(); err != nil {
				return fmt.Errorf("box %d (%s): %w", i, b.Field, err)
			}
		}
		for j := i + 1; j < len(l.Boxes); j++ {
			c := l.Boxes[j]
			if b.Kind == KindRule && c.Kind == KindRule {
				continue
			}
			if b.X < c.X+c.W-eps && c.X < b.X+b.W-eps && b.Y < c.Y+c.H-eps && c.Y < b.Y+b.H-eps {
				return fmt.Errorf("box %d (%s %s) overlaps box %d (%s %s)", i, b.Kind, b.Field, j, c.Kind, c.Field)
			}
		}
	}
	return nil
}

// checkText verifies that a text box's lines fit inside it at its size.
func (b *Box) checkText() error {
	const eps = 1e-6
	if len(b.Lines) == 0 {
		return errors.New("no lines")
	}
	em := b.Size * PtToMM
	if h := float64(len(b.Lines))*lineHeightMM(b.Size) + 2*b.Pad; h > b.H+eps {
		return fmt.Errorf("%d lines at %gpt need %.3f mm, box is %.3f", len(b.Lines), b.Size, h, b.H)
	}
	for _, line := range b.Lines {
		if w := widthEm(line, b.Bold)*em + 2*b.Pad; w > b.W+eps {
			return fmt.Errorf("line %q is %.3f mm wide, box is %.3f", line, w, b.W)
		}
		if clean(line) != line {
			return fmt.Errorf("line %q has characters no font draws", line)
		}
	}
	return nil
}

// LineX is where a text line starts, in mm, for its box's alignment.
func (b *Box) LineX(line string) float64 {
	w := widthEm(line, b.Bold) * b.Size * PtToMM
	inner := b.W - 2*b.Pad
	switch b.Align {
	case AlignCenter:
		return b.X + b.Pad + (inner-w)/2
	case AlignRight:
		return b.X + b.Pad + inner - w
	}
	return b.X + b.Pad
}

// Baseline is the Baseline of line i, in mm from the top of the page.
func (b *Box) Baseline(i int) float64 {
	return b.Y + b.Pad + float64(i)*lineHeightMM(b.Size) + ascentEm*b.Size*PtToMM
}
