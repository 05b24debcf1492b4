package render

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"station/assets"
)

// face is one of the three embedded fonts. A rune is drawn with the first face that has it: the
// Latin face (Go Regular or Go Bold) for letters, digits and symbols, the CJK face (Droid Sans
// Fallback, which has no Latin glyphs at all) for the rest.
type Face uint8

const (
	FaceLatin     Face = iota // Go Regular
	FaceLatinBold             // Go Bold
	FaceCJK                   // Droid Sans Fallback; it has no bold, so bold CJK is stroked
	NumFaces
	faceNone = NumFaces // no embedded font draws the rune
)

// Vertical metrics shared by every Face, in em. They enclose the ink of the glyphs the fonts have
// (measured over both fonts: CJK ideographs reach 0.83 above and 0.12 below the Baseline, Latin
// accented capitals 0.98, descenders 0.265), so a line of text never spills out of its box.
const (
	ascentEm     = 0.99
	descentEm    = 0.27
	lineHeightEm = ascentEm + descentEm
	// BoldStrokeEm is the outline stroke that emboldens CJK glyphs (and the extra ink width it adds).
	BoldStrokeEm = 0.04
)

// replacementRune stands in for text no embedded font can draw (emoji, rare ideographs beyond the
// CJK font, private-use characters, invalid UTF-8). It is in the Latin fonts.
const replacementRune = '□'

// maxTextRunes bounds the text a single field may carry into the layout: no box on a label holds
// more, and it keeps a pathological remark from costing time.
const maxTextRunes = 2000

type fontSet struct {
	ttf  [NumFaces][]byte
	sfnt [NumFaces]*sfnt.Font
	upem [NumFaces]float64
}

var (
	fontsOnce sync.Once
	theFonts  *fontSet
	fontsErr  error
	bufPool   = sync.Pool{New: func() any { return new(sfnt.Buffer) }}
)

// fonts parses the embedded fonts once per process. sfnt parses lazily (about 0.1 ms for the 4 MB
// CJK font); glyph advances are looked up per rune on demand and cached in runeCache.
func fonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fs := &fontSet{}
		fs.ttf[FaceLatin] = assets.LatinRegularTTF
		fs.ttf[FaceLatinBold] = assets.LatinBoldTTF
		fs.ttf[FaceCJK] = assets.CJKFontTTF
		for i, b := range fs.ttf {
			f, err := sfnt.Parse(b)
			if err != nil {
				fontsErr = fmt.Errorf("render: embedded font %d: %w", i, err)
				return
			}
			fs.sfnt[i] = f
			fs.upem[i] = float64(f.UnitsPerEm())
		}
		theFonts = fs
	})
	return theFonts, fontsErr
}

// mustFonts is for code paths that run after Layout succeeded (which already loaded the fonts).
func mustFonts() *fontSet {
	fs, err := fonts()
	if err != nil {
		panic(err)
	}
	return fs
}

// runeCache holds, per style (regular, bold) and BMP rune, the face that draws it and its advance:
// bit 31 = known, bits 24-27 = Face, bits 0-23 = advance in 1/65536 em. Lock-free, so layouts can
// run in parallel; a race only computes the same value twice.
var runeCache [2][0x10000]atomic.Uint32

const cacheKnown = 1 << 31

// Glyph returns the face that draws r in the given style and its advance in em. ok is false when no
// embedded font has the rune.
func Glyph(r rune, bold bool) (f Face, advance float64, ok bool) {
	if r < 0 || r > 0xFFFF {
		return faceNone, 0, false // gofpdf's CID map covers the BMP only, and so do the fonts
	}
	style := 0
	if bold {
		style = 1
	}
	slot := &runeCache[style][r]
	v := slot.Load()
	if v == 0 {
		v = lookupGlyph(r, bold)
		slot.Store(v)
	}
	f = Face(v >> 24 & 0xF)
	if f == faceNone {
		return faceNone, 0, false
	}
	return f, float64(v&0xFFFFFF) / 65536, true
}

func lookupGlyph(r rune, bold bool) uint32 {
	fs := mustFonts()
	latin := FaceLatin
	if bold {
		latin = FaceLatinBold
	}
	buf := bufPool.Get().(*sfnt.Buffer)
	defer bufPool.Put(buf)
	for _, f := range [...]Face{latin, FaceCJK} {
		gi, err := fs.sfnt[f].GlyphIndex(buf, r)
		if err != nil || gi == 0 {
			continue
		}
		// At ppem = units per em, the advance comes back in font units.
		adv, err := fs.sfnt[f].GlyphAdvance(buf, gi, fixed.I(int(fs.upem[f])), font.HintingNone)
		if err != nil {
			continue
		}
		em := float64(adv) / 64 / fs.upem[f]
		if em < 0 || em > 200 {
			continue
		}
		return cacheKnown | uint32(f)<<24 | uint32(em*65536+0.5)
	}
	return cacheKnown | uint32(faceNone)<<24
}

// GlyphIndex is the glyph of r in face f (0 when the face lacks it).
func GlyphIndex(f Face, r rune) uint16 {
	buf := bufPool.Get().(*sfnt.Buffer)
	defer bufPool.Put(buf)
	gi, err := mustFonts().sfnt[f].GlyphIndex(buf, r)
	if err != nil {
		return 0
	}
	return uint16(gi)
}

// clean makes any string drawable: invalid UTF-8, runes no font has and characters outside the
// BMP become □; control characters (tabs, line breaks) become spaces; invisible format
// characters (zero-width joiners, bidi overrides, variation selectors) and combining marks the
// fonts lack are dropped; Runs of spaces collapse to one. The result has at most maxTextRunes
// runes (with … at the end when it was cut).
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			r = replacementRune // invalid UTF-8
		}
		switch {
		case r == '\u3000':
			// The ideographic space is a real, full-width space in Chinese text: keep it.
		case unicode.IsControl(r) || unicode.IsSpace(r):
			r = ' '
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r):
			continue
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			if _, _, ok := Glyph(r, false); !ok {
				continue
			}
		default:
			if _, _, ok := Glyph(r, false); !ok {
				r = replacementRune
			} else if _, _, ok := Glyph(r, true); !ok {
				r = replacementRune
			}
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		if n == maxTextRunes {
			b.WriteRune('…')
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimRight(b.String(), " ")
}

// widthEm is the advance width of clean text, in em, plus the extra ink of emboldened CJK glyphs.
func widthEm(s string, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		_, adv, _ := Glyph(r, bold)
		w += adv
	}
	if bold && w > 0 {
		w += BoldStrokeEm
	}
	return w
}

// Run is a stretch of a line drawn with one face.
type Run struct {
	Face Face
	Text string
	X    float64 // em from the start of the line
}

// Runs splits clean text into runs of one face each, with their positions in em (for the
// drawing backends).
func Runs(s string, bold bool) []Run {
	var out []Run
	x := 0.0
	start := 0
	cur := faceNone
	runX := 0.0
	for i, r := range s {
		f, adv, ok := Glyph(r, bold)
		if !ok {
			f, adv, _ = Glyph(replacementRune, bold)
		}
		if f != cur {
			if cur != faceNone && i > start {
				out = append(out, Run{Face: cur, Text: s[start:i], X: runX})
			}
			cur, start, runX = f, i, x
		}
		x += adv
	}
	if cur != faceNone && len(s) > start {
		out = append(out, Run{Face: cur, Text: s[start:], X: runX})
	}
	return out
}

// PtToMM converts font points to millimetres.
const PtToMM = 25.4 / 72

// lineHeightMM is the height of one line of text at size pt.
func lineHeightMM(size float64) float64 { return size * PtToMM * lineHeightEm }

// LoadFonts parses the embedded fonts (once per process); a drawing backend calls it before it
// asks for FontFile.
func LoadFonts() error {
	_, err := fonts()
	return err
}

// FontFile is the TrueType file of face f, for a backend that embeds (a subset of) it.
func FontFile(f Face) []byte { return mustFonts().ttf[f] }

// SFNT is the parsed font of a face, for drawing its glyphs.
func SFNT(f Face) *sfnt.Font { return mustFonts().sfnt[f] }
