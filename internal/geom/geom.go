// Package geom holds the label geometry every layer agrees on: how many dots a millimetre is at
// a printer's resolution, and how far a label may be moved on its media.
package geom

import "math"

// DotsPerMM is the resolution of a printer of the given dpi. Thermal heads sold as 203 dpi have
// 8 dots per mm exactly (their true pitch is 203.2 dpi), so a 100 mm label is 800 dots wide.
func DotsPerMM(dpi int) float64 {
	if dpi == 203 {
		return 8
	}
	return float64(dpi) / 25.4
}

// Dots converts millimetres to printer dots.
func Dots(mm float64, dpi int) int { return int(math.Round(mm * DotsPerMM(dpi))) }

// MaxOffset bounds a label's offset on its media (mm, either way, each axis): more is a wrong
// setting, not a printer feeding off-centre.
const MaxOffset = 10.0

// OffsetOK reports whether v is an offset within MaxOffset.
func OffsetOK(v float64) bool { return !math.IsNaN(v) && math.Abs(v) <= MaxOffset }
