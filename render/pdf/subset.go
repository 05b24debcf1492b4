package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// subsetTTF cuts a TrueType font down to the glyphs of the given runes (with .notdef and the
// components of composite glyphs), with a cmap for exactly those runes.
//
// gofpdf subsets fonts itself when it writes a PDF, but first parses the whole font into maps:
// for the 4 MB CJK font that is about 15 ms and 40 MB of garbage per document. Handing it a font
// that already holds only the document's glyphs makes a one-label PDF cheap (the cold-start path)
// and keeps a batch's memory small. gofpdf's own pass over the result is then trivial.
func subsetTTF(src []byte, glyphOf func(rune) uint16, runes []rune) ([]byte, error) {
	t, err := readTables(src)
	if err != nil {
		return nil, err
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf"} {
		if t[tag] == nil {
			return nil, fmt.Errorf("subset: font has no %s table", tag)
		}
	}
	head, hhea, maxp := t["head"], t["hhea"], t["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("subset: truncated head, hhea or maxp")
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	numHMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	loca, glyf, hmtx := t["loca"], t["glyf"], t["hmtx"]
	if numHMetrics == 0 || len(hmtx) < 4*numHMetrics+2*(numGlyphs-numHMetrics) {
		return nil, errors.New("subset: truncated hmtx")
	}
	glyphData := func(g int) ([]byte, error) {
		if g >= numGlyphs {
			return nil, fmt.Errorf("subset: glyph %d out of range", g)
		}
		var a, b int
		if longLoca {
			if len(loca) < 4*g+8 {
				return nil, errors.New("subset: truncated loca")
			}
			a, b = int(binary.BigEndian.Uint32(loca[4*g:])), int(binary.BigEndian.Uint32(loca[4*g+4:]))
		} else {
			if len(loca) < 2*g+4 {
				return nil, errors.New("subset: truncated loca")
			}
			a, b = 2*int(binary.BigEndian.Uint16(loca[2*g:])), 2*int(binary.BigEndian.Uint16(loca[2*g+2:]))
		}
		if a > b || b > len(glyf) {
			return nil, fmt.Errorf("subset: glyph %d has a bad location", g)
		}
		return glyf[a:b], nil
	}

	// The glyphs to keep: .notdef, one per rune, and every component of a composite, transitively.
	keep := map[int]bool{0: true}
	var cmapRunes []rune
	var queue []int
	for _, r := range runes {
		g := int(glyphOf(r))
		if g == 0 || r > 0xFFFE {
			continue
		}
		cmapRunes = append(cmapRunes, r)
		if !keep[g] {
			keep[g] = true
			queue = append(queue, g)
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		d, err := glyphData(g)
		if err != nil {
			return nil, err
		}
		err = eachComponent(d, func(off int) {
			c := int(binary.BigEndian.Uint16(d[off:]))
			if !keep[c] {
				keep[c] = true
				queue = append(queue, c)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("subset: glyph %d: %w", g, err)
		}
	}
	order := make([]int, 0, len(keep))
	for g := range keep {
		order = append(order, g)
	}
	sort.Ints(order)
	newID := make(map[int]uint16, len(order))
	for i, g := range order {
		newID[g] = uint16(i)
	}

	// glyf and loca (long offsets), hmtx (all long metrics).
	var newGlyf, newLoca, newHmtx []byte
	for _, g := range order {
		newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
		d, err := glyphData(g)
		if err != nil {
			return nil, err
		}
		start := len(newGlyf)
		newGlyf = append(newGlyf, d...)
		out := newGlyf[start:]
		if err := eachComponent(out, func(off int) {
			binary.BigEndian.PutUint16(out[off:], newID[int(binary.BigEndian.Uint16(out[off:]))])
		}); err != nil {
			return nil, err
		}
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
		var adv, lsb uint16
		if g < numHMetrics {
			adv, lsb = binary.BigEndian.Uint16(hmtx[4*g:]), binary.BigEndian.Uint16(hmtx[4*g+2:])
		} else {
			adv = binary.BigEndian.Uint16(hmtx[4*(numHMetrics-1):])
			lsb = binary.BigEndian.Uint16(hmtx[4*numHMetrics+2*(g-numHMetrics):])
		}
		newHmtx = binary.BigEndian.AppendUint16(newHmtx, adv)
		newHmtx = binary.BigEndian.AppendUint16(newHmtx, lsb)
	}
	newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))

	out := map[string][]byte{
		"glyf": newGlyf,
		"loca": newLoca,
		"hmtx": newHmtx,
		"cmap": buildCmap4(cmapRunes, func(r rune) uint16 { return newID[int(glyphOf(r))] }),
	}
	h := slices.Clone(head)
	binary.BigEndian.PutUint32(h[8:], 0) // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(h[50:], 1)
	out["head"] = h
	hh := slices.Clone(hhea)
	binary.BigEndian.PutUint16(hh[34:], uint16(len(order)))
	out["hhea"] = hh
	mp := slices.Clone(maxp)
	binary.BigEndian.PutUint16(mp[4:], uint16(len(order)))
	out["maxp"] = mp
	if post := t["post"]; len(post) >= 32 {
		p := slices.Clone(post[:32])
		binary.BigEndian.PutUint32(p, 0x00030000) // version 3: no glyph names
		out["post"] = p
	}
	for _, tag := range []string{"name", "OS/2", "cvt ", "fpgm", "prep", "gasp"} {
		if t[tag] != nil {
			out[tag] = t[tag]
		}
	}
	font := assembleTTF(out)
	adj := 0xB1B0AFBA - ttfChecksum(font)
	binary.BigEndian.PutUint32(font[headOffset(font)+8:], adj)
	return font, nil
}

// eachComponent calls fn with the offset of each component glyph index in a composite glyph's
// data (nothing for a simple glyph).
func eachComponent(d []byte, fn func(off int)) error {
	if len(d) < 10 || int16(binary.BigEndian.Uint16(d)) >= 0 {
		return nil
	}
	const (
		argsAreWords = 0x0001
		haveScale    = 0x0008
		moreComps    = 0x0020
		haveXYScale  = 0x0040
		have2x2      = 0x0080
	)
	off := 10
	for {
		if off+4 > len(d) {
			return errors.New("truncated composite glyph")
		}
		flags := binary.BigEndian.Uint16(d[off:])
		fn(off + 2)
		off += 4
		if flags&argsAreWords != 0 {
			off += 4
		} else {
			off += 2
		}
		switch {
		case flags&haveScale != 0:
			off += 2
		case flags&haveXYScale != 0:
			off += 4
		case flags&have2x2 != 0:
			off += 8
		}
		if flags&moreComps == 0 {
			return nil
		}
	}
}

// buildCmap4 builds a cmap table with one format-4 subtable (Windows, Unicode BMP): a segment for
// each run of consecutive runes whose glyphs are consecutive too.
func buildCmap4(runes []rune, gid func(rune) uint16) []byte {
	runes = slices.Clone(runes)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, r := range runes {
		g := gid(r)
		d := uint16(int(g) - int(r))
		if n := len(segs); n > 0 && segs[n-1].end == uint16(r-1) && segs[n-1].delta == d {
			segs[n-1].end = uint16(r)
			continue
		}
		segs = append(segs, seg{uint16(r), uint16(r), d})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	search, sel := searchRange(n)
	var sub []byte
	be := binary.BigEndian
	sub = be.AppendUint16(sub, 4)
	sub = be.AppendUint16(sub, uint16(16+8*n))
	sub = be.AppendUint16(sub, 0) // language
	sub = be.AppendUint16(sub, uint16(2*n))
	sub = be.AppendUint16(sub, uint16(2*search))
	sub = be.AppendUint16(sub, uint16(sel))
	sub = be.AppendUint16(sub, uint16(2*n-2*search))
	for _, s := range segs {
		sub = be.AppendUint16(sub, s.end)
	}
	sub = be.AppendUint16(sub, 0) // reservedPad
	for _, s := range segs {
		sub = be.AppendUint16(sub, s.start)
	}
	for _, s := range segs {
		sub = be.AppendUint16(sub, s.delta)
	}
	for range segs {
		sub = be.AppendUint16(sub, 0) // idRangeOffset: deltas only
	}
	var c []byte
	c = be.AppendUint16(c, 0) // version
	c = be.AppendUint16(c, 1) // one subtable
	c = be.AppendUint16(c, 3) // Windows
	c = be.AppendUint16(c, 1) // Unicode BMP
	c = be.AppendUint32(c, 12)
	return append(c, sub...)
}

// readTables maps a TrueType file's table tags to their bytes.
func readTables(b []byte) (map[string][]byte, error) {
	if len(b) < 12 || binary.BigEndian.Uint32(b) != 0x00010000 {
		return nil, errors.New("subset: not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errors.New("subset: truncated table directory")
	}
	t := make(map[string][]byte, n)
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, l := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || l < 0 || off+l > len(b) {
			return nil, fmt.Errorf("subset: table %q out of the file", rec[:4])
		}
		t[string(rec[:4])] = b[off : off+l]
	}
	return t, nil
}

// assembleTTF writes tables into a TrueType file: directory sorted by tag, each table 4-aligned.
func assembleTTF(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	n := len(tags)
	search, sel := searchRange(n)
	be := binary.BigEndian
	var out []byte
	out = be.AppendUint32(out, 0x00010000)
	out = be.AppendUint16(out, uint16(n))
	out = be.AppendUint16(out, uint16(16*search))
	out = be.AppendUint16(out, uint16(sel))
	out = be.AppendUint16(out, uint16(16*n-16*search))
	off := 12 + 16*n
	for _, tag := range tags {
		d := tables[tag]
		out = append(out, tag...)
		out = be.AppendUint32(out, ttfChecksum(d))
		out = be.AppendUint32(out, uint32(off))
		out = be.AppendUint32(out, uint32(len(d)))
		off += (len(d) + 3) &^ 3
	}
	for _, tag := range tags {
		out = append(out, tables[tag]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// searchRange gives the binary-search hints TrueType headers carry for n entries: the largest
// power of two not above n, and its log2.
func searchRange(n int) (pow, log2 int) {
	pow = 1
	for pow*2 <= n {
		pow *= 2
		log2++
	}
	return pow, log2
}

func ttfChecksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

func headOffset(font []byte) int {
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := 0; i < n; i++ {
		rec := font[12+16*i:]
		if string(rec[:4]) == "head" {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return 0
}
