package raw

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"math"
	"station/internal/geom"
	"strconv"
	"sync"
)

// Encode writes the label b in the printer language opt.Lang, copies times. b must already be
// the size of the media (Rasterize does that). name (e.g. the order id) is carried only where
// the language has a harmless place for it, and then only as escaped safe characters.
func Encode(b *Bitmap, opt Options, name string, copies int) ([]byte, error) {
	if b.Width == 0 || b.Height == 0 {
		return nil, fmt.Errorf("empty label")
	}
	if copies < 1 {
		copies = 1
	}
	var buf bytes.Buffer
	buf.Grow(b.Stride*b.Height/4 + 1024)
	switch opt.Lang {
	case ZPL:
		if err := encodeZPL(&buf, b, opt, name, copies); err != nil {
			return nil, err
		}
	case TSPL:
		encodeTSPL(&buf, b, opt, copies)
	case ESCPOS:
		encodeESCPOS(&buf, b, opt, copies)
	default:
		return nil, fmt.Errorf("no printer language chosen (lang=zpl, tspl or escpos)")
	}
	return buf.Bytes(), nil
}

// ---- ZPL ----

// ZPLMaxGraphicBytes is the most bitmap bytes one ^GF field may hold; taller labels are sent
// as several fields stacked as horizontal strips.
const ZPLMaxGraphicBytes = 99999

// The CRC that ends a Z64 field ("…:Z64:<base64>:<crc>"), computed over the base64 text.
// Public encoders disagree on the variant; CRC-16/XMODEM (polynomial 0x1021, initial value 0,
// no reflection, no final xor) is the most common and is what we send. It still has to be
// confirmed on a real printer: with a wrong CRC the printer drops the graphic field and the
// label comes out blank.
const (
	Z64CRCVariant = "CRC-16/XMODEM"
	Z64CRCPoly    = 0x1021
	Z64CRCInit    = 0x0000
)

var crcTable = sync.OnceValue(func() *[256]uint16 {
	var t [256]uint16
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ Z64CRCPoly
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return &t
})

// Z64CRC is the checksum of a Z64 field's base64 text (see Z64CRCVariant).
func Z64CRC(p []byte) uint16 {
	t := crcTable()
	crc := uint16(Z64CRCInit)
	for _, b := range p {
		crc = crc<<8 ^ t[byte(crc>>8)^b]
	}
	return crc
}

func encodeZPL(w *bytes.Buffer, b *Bitmap, o Options, name string, copies int) error {
	if o.Darkness != NoDarkness {
		fmt.Fprintf(w, "~SD%02d\n", o.Darkness)
	}
	w.WriteString("^XA\n")
	if name != "" {
		// A comment, so that a saved stream says which label it is. ^FX runs to the next ^ or
		// ~, which zplText never lets through.
		fmt.Fprintf(w, "^FX %s\n", zplText(name, 64))
	}
	fmt.Fprintf(w, "^PW%d\n^LL%d\n^LH0,0\n", b.Width, b.Height)
	switch {
	case o.GapMM == 0:
		w.WriteString("^MNN\n")
	case o.GapMM > 0:
		w.WriteString("^MNY\n")
	}
	if o.Speed > 0 {
		fmt.Fprintf(w, "^PR%d\n", o.Speed)
	}
	rowsPerField := ZPLMaxGraphicBytes / b.Stride
	if rowsPerField < 1 {
		return fmt.Errorf("label too wide for a ZPL graphic field")
	}
	z := zlibPool.Get().(*zlibState)
	defer zlibPool.Put(z)
	for y := 0; y < b.Height; y += rowsPerField {
		rows := min(rowsPerField, b.Height-y)
		if allWhite(b.Pix[y*b.Stride : (y+rows)*b.Stride]) {
			continue // nothing to burn in this strip
		}
		n := rows * b.Stride
		fmt.Fprintf(w, "^FO0,%d^GFA,%d,%d,%d,", y, n, n, b.Stride)
		if o.Compression == ACS {
			writeACS(w, b, y, rows)
		} else {
			z.write(w, b.Pix[y*b.Stride:(y+rows)*b.Stride])
		}
		w.WriteString("^FS\n")
	}
	fmt.Fprintf(w, "^PQ%d\n^XZ\n", copies)
	return nil
}

type zlibState struct {
	raw bytes.Buffer
	zw  *zlib.Writer
	b64 []byte
}

var zlibPool = sync.Pool{New: func() any {
	z := &zlibState{}
	z.zw, _ = zlib.NewWriterLevel(&z.raw, zlib.DefaultCompression)
	return z
}}

// write appends ":Z64:" + base64(zlib(data)) + ":" + CRC to w.
func (z *zlibState) write(w *bytes.Buffer, data []byte) {
	z.raw.Reset()
	z.zw.Reset(&z.raw)
	z.zw.Write(data)
	z.zw.Close()
	n := base64.StdEncoding.EncodedLen(z.raw.Len())
	if cap(z.b64) < n {
		z.b64 = make([]byte, n)
	}
	z.b64 = z.b64[:n]
	base64.StdEncoding.Encode(z.b64, z.raw.Bytes())
	w.WriteString(":Z64:")
	w.Write(z.b64)
	fmt.Fprintf(w, ":%04X", Z64CRC(z.b64))
}

func allWhite(p []byte) bool {
	for _, v := range p {
		if v != 0 {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789ABCDEF"

// writeACS appends rows [y, y+rows) of b in Zebra's compressed ASCII hex: a run of one hex
// digit is prefixed by a count (G..Y = 1..19, g..z = 20..400, summed), "," ends a row with
// zeros, "!" with ones (F), and ":" repeats the previous row.
func writeACS(w *bytes.Buffer, b *Bitmap, y0, rows int) {
	nib := make([]byte, 2*b.Stride)
	for y := y0; y < y0+rows; y++ {
		row := b.Row(y)
		if y > y0 && bytes.Equal(row, b.Row(y-1)) {
			w.WriteByte(':')
			continue
		}
		for i, v := range row {
			nib[2*i], nib[2*i+1] = v>>4, v&0xf
		}
		end := len(nib)
		var fill byte
		if last := nib[end-1]; last == 0 || last == 0xf {
			for end > 0 && nib[end-1] == last {
				end--
			}
			if len(nib)-end >= 2 || end == 0 {
				fill = ','
				if last == 0xf {
					fill = '!'
				}
			} else {
				end = len(nib)
			}
		}
		for i := 0; i < end; {
			j := i + 1
			for j < end && nib[j] == nib[i] {
				j++
			}
			writeRun(w, j-i, hexDigits[nib[i]])
			i = j
		}
		if fill != 0 {
			w.WriteByte(fill)
		}
	}
}

func writeRun(w *bytes.Buffer, n int, digit byte) {
	if n <= 2 {
		for range n {
			w.WriteByte(digit)
		}
		return
	}
	for ; n >= 400; n -= 400 {
		w.WriteByte('z')
	}
	if n >= 20 {
		w.WriteByte('g' + byte(n/20-1))
		n %= 20
	}
	if n > 0 {
		w.WriteByte('G' + byte(n-1))
	}
	w.WriteByte(digit)
}

// zplText keeps letters, digits, space and . - : / of s and writes every other byte as _XX,
// the hex escape ^FH enables, so that ^, ~ and _ never reach the printer raw. At most max
// input bytes are kept.
func zplText(s string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safeText(c) {
			out = append(out, c)
			continue
		}
		out = append(out, '_', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return string(out)
}

// ZPLFieldData returns s as a complete, escaped ZPL field: ^FH^FD<escaped>^FS. It is the only
// way text may enter a ZPL stream.
func ZPLFieldData(s string) string { return "^FH^FD" + zplText(s, 256) + "^FS" }

func safeText(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == ' ' || c == '.' || c == '-' || c == ':' || c == '/'
}

// ---- TSPL ----

func encodeTSPL(w *bytes.Buffer, b *Bitmap, o Options, copies int) {
	mm := func(dots int) string {
		return strconv.FormatFloat(math.Round(float64(dots)/geom.DotsPerMM(o.DPI)*10)/10, 'f', -1, 64)
	}
	fmt.Fprintf(w, "SIZE %s mm,%s mm\r\n", mm(b.Width), mm(b.Height))
	switch {
	case o.GapMM == 0:
		w.WriteString("GAP 0,0\r\n")
	case o.GapMM > 0:
		fmt.Fprintf(w, "GAP %s mm,0 mm\r\n", strconv.FormatFloat(o.GapMM, 'f', -1, 64))
	default:
		w.WriteString("GAP 2 mm,0 mm\r\n")
	}
	fmt.Fprintf(w, "DIRECTION %d\r\n", o.Direction)
	if o.Darkness != NoDarkness {
		fmt.Fprintf(w, "DENSITY %d\r\n", o.Darkness)
	}
	if o.Speed > 0 {
		fmt.Fprintf(w, "SPEED %d\r\n", o.Speed)
	}
	w.WriteString("CLS\r\n")
	// BITMAP's payload is counted (width bytes x height), so any byte value is safe in it.
	fmt.Fprintf(w, "BITMAP 0,0,%d,%d,0,", b.Stride, b.Height)
	if o.Polarity == ZeroIsBlack {
		start := w.Len()
		w.Write(b.Pix)
		p := w.Bytes()[start:]
		for i := range p {
			p[i] = ^p[i] // row padding turns to 1, which is white too
		}
	} else {
		w.Write(b.Pix)
	}
	fmt.Fprintf(w, "\r\nPRINT 1,%d\r\n", copies)
}

// TSPLString returns s as a TSPL string argument, quotes included: printable ASCII only (CR, LF
// and other bytes become ?), and " escaped as \["]. It is the only way text may enter a TSPL
// stream.
func TSPLString(s string) string {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			out = append(out, `\["]`...)
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
		default:
			out = append(out, '?')
		}
	}
	return string(append(out, '"'))
}

// ---- ESC/POS ----

// ESCPOSStripRows is the most rows sent in one GS v 0 raster command: some printers take only a
// few hundred rows per command.
const ESCPOSStripRows = 240

func encodeESCPOS(w *bytes.Buffer, b *Bitmap, o Options, copies int) {
	w.Write([]byte{0x1b, '@'}) // ESC @: initialize
	for range copies {
		for y := 0; y < b.Height; y += ESCPOSStripRows {
			rows := min(ESCPOSStripRows, b.Height-y)
			w.Write([]byte{0x1d, 'v', '0', 0, byte(b.Stride), byte(b.Stride >> 8), byte(rows), byte(rows >> 8)})
			w.Write(b.Pix[y*b.Stride : (y+rows)*b.Stride])
		}
		if o.FeedLines > 0 {
			w.Write([]byte{0x1b, 'd', byte(o.FeedLines)}) // ESC d n: feed n lines
		}
		switch o.Cut {
		case CutFull:
			w.Write([]byte{0x1d, 'V', 0})
		case CutPartial:
			w.Write([]byte{0x1d, 'V', 1})
		}
	}
}
