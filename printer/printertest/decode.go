// Package printertest helps test code that prints: decoders that turn ZPL, TSPL and ESC/POS
// streams back into label bitmaps (strictly: anything but the commands station sends is an
// error), a fake raw-9100 network printer on 127.0.0.1, realistic sample labels, and the small
// helpers printer tests share (sample jobs, deadlines, leak checks).
package printertest

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"

	"station/internal/geom"
	"station/printer/raw"
)

// Label is one label decoded from a printer stream.
type Label struct {
	Bitmap   *raw.Bitmap
	Copies   int
	Commands []string          // the commands in order, e.g. "^XA", "^PW", "^GF", …
	Settings map[string]string // the commands' parameters, e.g. "^PW": "800", "SIZE": "100 mm,150 mm"
	Comment  string            // ZPL ^FX text
}

// Decode decodes a stream in lang. dpi and polarity matter for TSPL only.
func Decode(lang raw.Language, data []byte, dpi int, polarity raw.Polarity) ([]Label, error) {
	switch lang {
	case raw.ZPL:
		return DecodeZPL(data)
	case raw.TSPL:
		return DecodeTSPL(data, dpi, polarity)
	case raw.ESCPOS:
		return DecodeESCPOS(data)
	}
	return nil, fmt.Errorf("no decoder for language %q", lang)
}

// DecodeZPL decodes labels ^XA … ^XZ with ^GFA graphic fields (Z64, with its CRC checked, or
// ACS compressed hex).
func DecodeZPL(data []byte) ([]Label, error) {
	var labels []Label
	var cur *Label
	var x, y int
	pre := map[string]string{} // tilde commands before ^XA
	s := string(data)
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\r' || c == '\n' || c == ' ' {
			i++
			continue
		}
		if c != '^' && c != '~' {
			return nil, fmt.Errorf("byte %d: %q outside a command", i, c)
		}
		if i+3 > len(s) {
			return nil, fmt.Errorf("byte %d: truncated command", i)
		}
		name := strings.ToUpper(s[i : i+3])
		j := i + 3
		for j < len(s) && s[j] != '^' && s[j] != '~' {
			j++
		}
		param := strings.TrimRight(s[i+3:j], "\r\n")
		i = j
		switch name {
		case "~SD":
			pre[name] = param
			continue
		case "^XA":
			if cur != nil {
				return nil, fmt.Errorf("^XA inside a label")
			}
			cur = &Label{Settings: map[string]string{}, Copies: 1}
			for k, v := range pre {
				cur.Settings[k] = v
				cur.Commands = append(cur.Commands, k)
			}
			pre = map[string]string{}
			x, y = 0, 0
			cur.Commands = append(cur.Commands, name)
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("%s outside ^XA … ^XZ", name)
		}
		cur.Commands = append(cur.Commands, name)
		switch name {
		case "^XZ":
			if cur.Bitmap == nil {
				if err := zplCanvas(cur); err != nil {
					return nil, err
				}
			}
			labels = append(labels, *cur)
			cur = nil
		case "^FX":
			cur.Comment = strings.TrimSpace(param)
		case "^PW", "^LL", "^LH", "^MN", "^PR":
			cur.Settings[name] = param
		case "^PQ":
			n, err := strconv.Atoi(strings.Split(param, ",")[0])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("^PQ%s: bad quantity", param)
			}
			cur.Copies = n
		case "^FO":
			var err error
			if x, y, err = pair(param); err != nil {
				return nil, fmt.Errorf("^FO%s: %v", param, err)
			}
		case "^FS":
		case "^GF":
			if err := zplCanvas(cur); err != nil {
				return nil, err
			}
			if err := zplGraphic(cur.Bitmap, x, y, param); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unexpected ZPL command %s", name)
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("label without ^XZ")
	}
	return labels, nil
}

func pair(p string) (int, int, error) {
	a, b, ok := strings.Cut(p, ",")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("want two numbers")
	}
	return x, y, nil
}

func zplCanvas(l *Label) error {
	if l.Bitmap != nil {
		return nil
	}
	w, err1 := strconv.Atoi(l.Settings["^PW"])
	h, err2 := strconv.Atoi(l.Settings["^LL"])
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return fmt.Errorf("graphic before ^PW and ^LL")
	}
	l.Bitmap = raw.NewBitmap(w, h)
	return nil
}

// zplGraphic decodes "A,b,c,d,DATA" and draws it at (x, y).
func zplGraphic(dst *raw.Bitmap, x, y int, param string) error {
	f := strings.SplitN(param, ",", 5)
	if len(f) != 5 || f[0] != "A" {
		return fmt.Errorf("^GF%.20s: want A,b,c,d,data", param)
	}
	b, err1 := strconv.Atoi(f[1])
	c, err2 := strconv.Atoi(f[2])
	d, err3 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || err3 != nil || d <= 0 || c%d != 0 {
		return fmt.Errorf("^GF: bad sizes %s,%s,%s", f[1], f[2], f[3])
	}
	if b != c || c > raw.ZPLMaxGraphicBytes {
		return fmt.Errorf("^GF: byte counts %d,%d (must match and be at most %d)", b, c, raw.ZPLMaxGraphicBytes)
	}
	var raw []byte
	var err error
	if strings.HasPrefix(f[4], ":Z64:") {
		raw, err = inflateZ64(f[4])
	} else {
		raw, err = expandACS(f[4], d, c/d)
	}
	if err != nil {
		return err
	}
	if len(raw) != c {
		return fmt.Errorf("^GF: %d bytes of bitmap, %d announced", len(raw), c)
	}
	if x%8 != 0 {
		return fmt.Errorf("^GF at x=%d: not on a byte boundary", x)
	}
	rows := c / d
	if x/8+d > dst.Stride || y+rows > dst.Height || x < 0 || y < 0 {
		return fmt.Errorf("^GF %dx%d at %d,%d does not fit the %dx%d label", d*8, rows, x, y, dst.Width, dst.Height)
	}
	for r := 0; r < rows; r++ {
		copy(dst.Row(y + r)[x/8:], raw[r*d:(r+1)*d])
	}
	return nil
}

func inflateZ64(field string) ([]byte, error) {
	body := strings.TrimPrefix(field, ":Z64:")
	k := strings.LastIndexByte(body, ':')
	if k < 0 || len(body)-k-1 != 4 {
		return nil, fmt.Errorf("Z64 field without its :CRC")
	}
	b64, crcHex := body[:k], body[k+1:]
	want, err := strconv.ParseUint(crcHex, 16, 16)
	if err != nil {
		return nil, fmt.Errorf("Z64 CRC %q: %v", crcHex, err)
	}
	if got := raw.Z64CRC([]byte(b64)); uint64(got) != want {
		return nil, fmt.Errorf("Z64 CRC mismatch: field says %04X, data gives %04X", want, got)
	}
	z, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("Z64 base64: %v", err)
	}
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("Z64 zlib: %v", err)
	}
	return io.ReadAll(r)
}

// expandACS expands Zebra's compressed ASCII hex: counts G..Y (1-19) and g..z (20-400, summed)
// before a hex digit, "," fills the row with 0, "!" with F, ":" repeats the previous row.
func expandACS(s string, bytesPerRow, rows int) ([]byte, error) {
	nPerRow := 2 * bytesPerRow
	var nib []byte
	var row []byte
	var prev []byte
	count := 0
	endRow := func() {
		prev = row
		nib = append(nib, row...)
		row = nil
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'G' && ch <= 'Y':
			count += int(ch-'G') + 1
		case ch >= 'g' && ch <= 'z':
			count += 20 * (int(ch-'g') + 1)
		case ch == ',' || ch == '!':
			if count != 0 {
				return nil, fmt.Errorf("ACS: count before %q", ch)
			}
			fill := byte(0)
			if ch == '!' {
				fill = 0xf
			}
			for len(row) < nPerRow {
				row = append(row, fill)
			}
			endRow()
		case ch == ':':
			if count != 0 || len(row) != 0 || prev == nil {
				return nil, fmt.Errorf("ACS: ':' not at the start of a row after another")
			}
			row = append([]byte(nil), prev...)
			endRow()
		case ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'F':
			v := hexVal(ch)
			n := max(count, 1)
			count = 0
			for range n {
				row = append(row, v)
				if len(row) == nPerRow {
					endRow()
				}
			}
			if len(row) > nPerRow {
				return nil, fmt.Errorf("ACS: row overflow")
			}
		case ch == '\r' || ch == '\n':
		default:
			return nil, fmt.Errorf("ACS: unexpected %q", ch)
		}
	}
	if count != 0 || len(row) != 0 {
		return nil, fmt.Errorf("ACS: data ends inside a row")
	}
	if len(nib) != rows*nPerRow {
		return nil, fmt.Errorf("ACS: %d rows decoded, %d announced", len(nib)/nPerRow, rows)
	}
	out := make([]byte, len(nib)/2)
	for i := range out {
		out[i] = nib[2*i]<<4 | nib[2*i+1]
	}
	return out, nil
}

func hexVal(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'A' + 10
}

// DecodeTSPL decodes TSPL labels (SIZE … PRINT) whose image is one or more BITMAP commands.
// Lines must end with CR LF. dpi converts SIZE to dots; polarity says which bit value is black.
func DecodeTSPL(data []byte, dpi int, polarity raw.Polarity) ([]Label, error) {
	var labels []Label
	cur := &Label{Settings: map[string]string{}}
	perMM := geom.DotsPerMM(dpi)
	for len(data) > 0 {
		k := bytes.IndexByte(data, '\n')
		if k < 0 {
			return nil, fmt.Errorf("TSPL: line without its end: %.30q", data)
		}
		line := string(data[:k])
		if strings.HasPrefix(line, "BITMAP ") {
			// BITMAP x,y,w,h,mode,<w*h raw bytes>CRLF: the payload may hold any byte.
			f := strings.SplitN(line[len("BITMAP "):], ",", 6)
			if len(f) < 6 {
				return nil, fmt.Errorf("TSPL: short BITMAP header")
			}
			hdr := len("BITMAP ") + len(strings.Join(f[:5], ",")) + 1
			var v [5]int
			for i := range v {
				n, err := strconv.Atoi(strings.TrimSpace(f[i]))
				if err != nil {
					return nil, fmt.Errorf("TSPL: BITMAP parameter %q", f[i])
				}
				v[i] = n
			}
			bx, by, wb, h, mode := v[0], v[1], v[2], v[3], v[4]
			n := wb * h
			if mode != 0 || len(data) < hdr+n+2 || string(data[hdr+n:hdr+n+2]) != "\r\n" {
				return nil, fmt.Errorf("TSPL: BITMAP payload of %d bytes (mode %d) not followed by CR LF", n, mode)
			}
			if cur.Bitmap == nil {
				return nil, fmt.Errorf("TSPL: BITMAP before SIZE")
			}
			payload := data[hdr : hdr+n]
			if bx%8 != 0 || bx/8+wb > cur.Bitmap.Stride || by+h > cur.Bitmap.Height {
				return nil, fmt.Errorf("TSPL: BITMAP %dx%d at %d,%d does not fit the label", wb*8, h, bx, by)
			}
			for r := 0; r < h; r++ {
				dst := cur.Bitmap.Row(by + r)[bx/8:]
				for i := 0; i < wb; i++ {
					b := payload[r*wb+i]
					if polarity == raw.ZeroIsBlack {
						b = ^b
					}
					dst[i] = b
				}
			}
			cur.Commands = append(cur.Commands, "BITMAP")
			data = data[hdr+n+2:]
			continue
		}
		if !strings.HasSuffix(line, "\r") {
			return nil, fmt.Errorf("TSPL: line %q ends with LF alone", line)
		}
		line = strings.TrimSuffix(line, "\r")
		data = data[k+1:]
		cmd, arg, _ := strings.Cut(line, " ")
		cur.Commands = append(cur.Commands, cmd)
		switch cmd {
		case "SIZE":
			cur.Settings[cmd] = arg
			ws, hs, ok := strings.Cut(arg, ",")
			w, err1 := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ws), "mm")), 64)
			h, err2 := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(hs), "mm")), 64)
			if !ok || err1 != nil || err2 != nil {
				return nil, fmt.Errorf("TSPL: SIZE %q", arg)
			}
			cur.Bitmap = raw.NewBitmap(int(w*perMM+0.5), int(h*perMM+0.5))
		case "GAP", "DIRECTION", "DENSITY", "SPEED":
			cur.Settings[cmd] = arg
		case "CLS":
		case "PRINT":
			m, n, _ := strings.Cut(arg, ",")
			sets, err1 := strconv.Atoi(m)
			copies, err2 := strconv.Atoi(n)
			if err1 != nil || err2 != nil || sets != 1 || copies < 1 {
				return nil, fmt.Errorf("TSPL: PRINT %q", arg)
			}
			if cur.Bitmap == nil {
				return nil, fmt.Errorf("TSPL: PRINT without SIZE")
			}
			cur.Copies = copies
			labels = append(labels, *cur)
			cur = &Label{Settings: map[string]string{}}
		default:
			return nil, fmt.Errorf("TSPL: unexpected command %q", line)
		}
	}
	if len(cur.Commands) > 0 {
		return nil, fmt.Errorf("TSPL: commands after the last PRINT")
	}
	return labels, nil
}

// DecodeESCPOS decodes ESC @, GS v 0 raster strips, ESC d feeds and GS V cuts. A label ends at
// a cut (or at the end of the stream).
func DecodeESCPOS(data []byte) ([]Label, error) {
	var labels []Label
	var rows [][]byte
	stride := -1
	var cmds []string
	settings := map[string]string{}
	flush := func() {
		if len(rows) == 0 {
			return
		}
		b := raw.NewBitmap(stride*8, len(rows))
		for i, r := range rows {
			copy(b.Row(i), r)
		}
		labels = append(labels, Label{Bitmap: b, Copies: 1, Commands: cmds, Settings: settings})
		rows, cmds, settings = nil, nil, map[string]string{}
	}
	for i := 0; i < len(data); {
		switch {
		case bytes.HasPrefix(data[i:], []byte{0x1b, '@'}):
			cmds = append(cmds, "ESC @")
			i += 2
		case bytes.HasPrefix(data[i:], []byte{0x1d, 'v', '0'}):
			if i+8 > len(data) {
				return nil, fmt.Errorf("ESC/POS: truncated GS v 0")
			}
			m, x, y := data[i+3], int(data[i+4])|int(data[i+5])<<8, int(data[i+6])|int(data[i+7])<<8
			if m != 0 || x == 0 || y == 0 || i+8+x*y > len(data) {
				return nil, fmt.Errorf("ESC/POS: GS v 0 m=%d x=%d y=%d", m, x, y)
			}
			if stride >= 0 && x != stride && len(rows) > 0 {
				return nil, fmt.Errorf("ESC/POS: strip width changes from %d to %d", stride, x)
			}
			stride = x
			for r := 0; r < y; r++ {
				rows = append(rows, data[i+8+r*x:i+8+(r+1)*x])
			}
			cmds = append(cmds, "GS v 0")
			settings["rows"] = strconv.Itoa(y)
			i += 8 + x*y
		case bytes.HasPrefix(data[i:], []byte{0x1b, 'd'}):
			if i+3 > len(data) {
				return nil, fmt.Errorf("ESC/POS: truncated ESC d")
			}
			cmds = append(cmds, "ESC d")
			settings["feed"] = strconv.Itoa(int(data[i+2]))
			i += 3
		case bytes.HasPrefix(data[i:], []byte{0x1d, 'V'}):
			if i+3 > len(data) {
				return nil, fmt.Errorf("ESC/POS: truncated GS V")
			}
			cmds = append(cmds, "GS V")
			settings["cut"] = strconv.Itoa(int(data[i+2]))
			i += 3
			flush()
		default:
			return nil, fmt.Errorf("ESC/POS: unexpected byte 0x%02x at %d", data[i], i)
		}
	}
	flush()
	return labels, nil
}
