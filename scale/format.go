// Package scale reads a packing-table scale on a serial port (USB-serial adapters included):
// the continuous output of its indicator, in one of the two formats such scales send, turned
// into steady weights. A weight is taken only once the same value came N times in a row, and
// a parcel is not taken twice: the scale must be emptied between two parcels.
package scale

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// Reading is one weight the indicator sent.
type Reading struct {
	Grams  int
	Stable bool // the indicator says the weight is steady (ST, no motion)
	Over   bool // out of range (overload, or below zero): no weight
	Net    bool // net (tare taken off), else gross
}

// Format is how an indicator frames its continuous output.
type Format string

const (
	// FormatAuto tells the two apart by each frame: Toledo frames start with STX.
	FormatAuto Format = "auto"
	// FormatText is the comma-separated text line of A&D's indicators and of the many Chinese
	// indicators that copy it: a stability header (ST stable, US unstable, OL overload), an
	// optional gross/net field (GS, NT), a signed number and a unit: "ST,GS,+  1.234kg",
	// "US,NT,-0000.12 kg", "ST,+00001.23  kg". Ended by CR LF.
	FormatText Format = "text"
	// FormatToledo is Mettler Toledo's standard continuous output: STX, status words A, B and
	// C, six digits of weight, six of tare, CR, and an optional checksum byte.
	FormatToledo Format = "toledo"
)

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "", FormatAuto:
		return FormatAuto, nil
	case FormatText, FormatToledo:
		return f, nil
	case "ad", "a&d", "csv":
		return FormatText, nil
	case "mettler", "mt":
		return FormatToledo, nil
	}
	return "", fmt.Errorf("scale format %q: choose auto, text (ST,GS,+  1.234kg) or toledo", s)
}

// ErrFrame: a frame from the scale could not be read (noise, a wrong baud rate or format).
var ErrFrame = errors.New("the scale sent something that is not a weight")

const (
	stx = 0x02
	cr  = '\r'
	lf  = '\n'
)

var textFrame = regexp.MustCompile(`^(ST|US|OL)\s*,\s*(?:(GS|NT|TR|G|N)\s*,\s*)?([+-]?)\s*([0-9]*\.?[0-9]*)\s*(kg|g|lb|KG|G|LB)?\s*$`)

// parseText reads a FormatText line.
func parseText(line []byte) (Reading, error) {
	m := textFrame.FindSubmatch(bytes.TrimSpace(line))
	if m == nil {
		return Reading{}, fmt.Errorf("%w: %q", ErrFrame, printable(line))
	}
	r := Reading{Stable: string(m[1]) == "ST", Over: string(m[1]) == "OL", Net: string(m[2]) == "NT" || string(m[2]) == "N"}
	if r.Over {
		return r, nil
	}
	if len(m[4]) == 0 || string(m[4]) == "." {
		return Reading{}, fmt.Errorf("%w: no number in %q", ErrFrame, printable(line))
	}
	g, err := grams(string(m[4]), strings.ToLower(string(m[5])))
	if err != nil {
		return Reading{}, fmt.Errorf("%w: %v", ErrFrame, err)
	}
	if string(m[3]) == "-" {
		g = -g
	}
	r.Grams = g
	return r, nil
}

// grams converts a decimal number in unit (kg when none) to whole grams, exactly: 1.234 kg is
// 1234 g, never 1233.
func grams(num, unit string) (int, error) {
	v, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("%q is not a number", num)
	}
	switch unit {
	case "", "kg":
		v.Mul(v, big.NewRat(1000, 1))
	case "g":
	case "lb":
		v.Mul(v, big.NewRat(45359237, 100000))
	default:
		return 0, fmt.Errorf("unit %q", unit)
	}
	f, _ := v.Float64()
	if f > 1e7 {
		return 0, fmt.Errorf("%s %s is beyond any packing scale", num, unit)
	}
	return int(f + 0.5), nil
}

// toledoPower is status word A's bits 0-2: where the decimal point is, as a power of ten
// applied to the six weight digits (000 → ×100 … 111 → ×0.00001).
var toledoPower = [8]int{2, 1, 0, -1, -2, -3, -4, -5}

// parseToledo reads a FormatToledo frame: from STX to CR, both included.
func parseToledo(f []byte) (Reading, error) {
	if len(f) != 17 || f[0] != stx || f[16] != cr {
		return Reading{}, fmt.Errorf("%w: a Toledo frame is STX, 3 status bytes, 12 digits and CR; got %d bytes", ErrFrame, len(f))
	}
	swa, swb, swc := f[1], f[2], f[3]
	digits := f[4:10]
	for _, d := range f[4:16] {
		if d != ' ' && (d < '0' || d > '9') {
			return Reading{}, fmt.Errorf("%w: %q in the weight digits", ErrFrame, printable(f[4:16]))
		}
	}
	if swa&0x20 == 0 || swb&0x20 == 0 {
		return Reading{}, fmt.Errorf("%w: status bytes %#x %#x lack bit 5", ErrFrame, swa, swb)
	}
	r := Reading{Net: swb&0x01 != 0, Over: swb&0x04 != 0, Stable: swb&0x08 == 0}
	if r.Over {
		return r, nil
	}
	num := strings.TrimSpace(string(digits))
	if num == "" {
		num = "0"
	}
	if p := toledoPower[swa&0x07]; p >= 0 {
		num += strings.Repeat("0", p)
	} else {
		num = strings.Repeat("0", -p) + num
		num = num[:len(num)+p] + "." + num[len(num)+p:]
	}
	unit := "lb"
	switch {
	case swc&0x07 == 1:
		unit = "g"
	case swb&0x10 != 0:
		unit = "kg"
	}
	g, err := grams(num, unit)
	if err != nil {
		return Reading{}, fmt.Errorf("%w: %v", ErrFrame, err)
	}
	if swb&0x02 != 0 {
		g = -g
	}
	r.Grams = g
	return r, nil
}

// toledoChecksum is the checksum byte a Toledo frame may carry after its CR: the two's
// complement of the 7 low bits of the sum of every byte from STX to CR.
func toledoChecksum(f []byte) byte {
	var sum byte
	for _, b := range f {
		sum += b
	}
	return (-sum) & 0x7f
}

// frames splits the stream into frames: Toledo frames from STX to CR (a checksum after the CR
// is checked when it is there), text lines at CR or LF.
type frames struct {
	format Format
	buf    []byte
}

// maxFrame bounds what is kept of a frame: noise on a wrong baud rate never ends a line.
const maxFrame = 256

// toledoLen is a Toledo frame from STX to CR.
const toledoLen = 17

// feed takes bytes off the port and hands on each frame's reading (or why it is none).
func (s *frames) feed(p []byte, out func(Reading, error)) {
	s.buf = append(s.buf, p...)
	for len(s.buf) > 0 {
		n := s.one(out)
		if n == 0 {
			break
		}
		s.buf = s.buf[n:]
	}
	if len(s.buf) > maxFrame {
		out(Reading{}, fmt.Errorf("%w: %d bytes without an end of frame (a wrong baud rate or format?)", ErrFrame, len(s.buf)))
		s.buf = s.buf[:0]
	}
}

// one takes the frame at the start of buf and returns its length, or 0 when it is not all in.
func (s *frames) one(out func(Reading, error)) int {
	b := s.buf
	toledo := s.format == FormatToledo || s.format != FormatText && b[0] == stx
	if !toledo {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			return 0
		}
		if line := bytes.TrimSpace(b[:i]); len(line) > 0 {
			out(parseText(line))
		}
		return i + 1
	}
	if b[0] != stx {
		// The tail of a frame the port opened in the middle of, or a checksum: up to the next STX.
		if i := bytes.IndexByte(b, stx); i > 0 {
			return i
		}
		if len(b) > toledoLen+1 {
			out(Reading{}, fmt.Errorf("%w: no STX in %d bytes (not a Toledo scale?)", ErrFrame, len(b)))
			return len(b)
		}
		return 0
	}
	if len(b) < toledoLen+1 {
		return 0 // the byte after CR tells whether a checksum follows
	}
	f := b[:toledoLen]
	if b[toledoLen] != stx {
		if toledoChecksum(f) != b[toledoLen] {
			out(Reading{}, fmt.Errorf("%w: checksum %#x, want %#x", ErrFrame, b[toledoLen], toledoChecksum(f)))
			return toledoLen + 1
		}
		out(parseToledo(f))
		return toledoLen + 1
	}
	out(parseToledo(f))
	return toledoLen
}

// printable is text from the scale, safe to show.
func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return '.'
		}
		return r
	}, string(b))
}
