// Package raw is a label in a thermal printer's own language: a 1-bit bitmap of the drawn label
// (FromImage) and its encoding as ZPL, TSPL or ESC/POS (Encode) with the options those
// languages take. Text never enters the command stream: everything on the label is pixels.
package raw

import "time"

// Language is a printer command language.
type Language string

const (
	LangAuto Language = ""       // USB: from the printer's IEEE 1284 device id; elsewhere ZPL
	ZPL      Language = "zpl"    // Zebra and compatibles
	TSPL     Language = "tspl"   // TSC, Xprinter, Gprinter and other Chinese label printers
	ESCPOS   Language = "escpos" // receipt-style printers
)

// Polarity says which bit value a TSPL printer burns black.
type Polarity int

const (
	ZeroIsBlack Polarity = 0 // TSC's own printers: bit 0 prints black
	OneIsBlack  Polarity = 1 // some clones
)

// Compression is how ZPL graphic fields are packed.
type Compression string

const (
	Z64 Compression = "z64" // zlib + base64 with a CRC: smallest
	ACS Compression = "acs" // Zebra's run-length coded hex: for old firmware without Z64
)

// Cut is what an ESC/POS printer does after a label.
type Cut string

const (
	CutNone    Cut = "none"
	CutPartial Cut = "partial"
	CutFull    Cut = "full"
)

// NoDarkness means "leave the printer's own darkness setting alone".
const NoDarkness = -1

// defaultTimeout is how long a printer may take data without progress (or take to answer)
// before the operation fails.
const defaultTimeout = 10 * time.Second

// Options are a printer's settings, from the spec's query string.
type Options struct {
	Lang              Language
	DPI               int     // 203 (8 dots/mm), 300 or 600
	WidthMM, HeightMM float64 // the loaded labels; 0: the job's size
	Darkness          int     // NoDarkness, or ZPL ~SD 0-30, TSPL DENSITY 0-15
	Speed             int     // 0: the printer's; ZPL ^PR 1-14, TSPL SPEED 1-15 (inches per second)
	Copies            int     // copies of every job (multiplies the job's own copies)
	Polarity          Polarity
	OffsetXMM         float64 // moves the label right on the media
	OffsetYMM         float64 // moves the label down on the media
	GapMM             float64 // gap between labels; 0 = continuous media; -1 = the printer's (ZPL) or 2 mm (TSPL)
	Direction         int     // TSPL DIRECTION 0 or 1
	Compression       Compression
	Cut               Cut
	FeedLines         int // ESC/POS: lines fed before the cut
	Timeout           time.Duration
}

// DefaultOptions are the settings when the spec gives none.
func DefaultOptions() Options {
	return Options{DPI: 203, Darkness: NoDarkness, Copies: 1, GapMM: -1, Direction: 1,
		Compression: Z64, Cut: CutPartial, FeedLines: 4, Timeout: defaultTimeout}
}
