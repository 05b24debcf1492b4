package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// The embedded font must be the unmodified Debian file: the license covers that file.
const droidSHA256 = "acb6440a713d880a13a21b468ba7cd43f5a2b2934972e51be791c880730777b8"

func TestCJKFontIsTheLicensedTrueTypeFile(t *testing.T) {
	sum := sha256.Sum256(CJKFontTTF)
	if got := hex.EncodeToString(sum[:]); got != droidSHA256 {
		t.Fatalf("DroidSansFallbackFull.ttf sha256 = %s, want %s (the Debian fonts-droid-fallback file)", got, droidSHA256)
	}
	// gofpdf embeds only TrueType outlines (version 0x00010000), not CFF ("OTTO").
	if !bytes.HasPrefix(CJKFontTTF, []byte{0, 1, 0, 0}) {
		t.Fatalf("font does not start with the TrueType version tag: % x", CJKFontTTF[:4])
	}
	f, err := sfnt.Parse(CJKFontTTF)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var b sfnt.Buffer
	for _, r := range "张三北京市朝阳区代收货款共件，：（）" {
		gi, err := f.GlyphIndex(&b, r)
		if err != nil || gi == 0 {
			t.Errorf("CJK font has no glyph for %q (index %d, err %v)", r, gi, err)
		}
	}
}

// The CJK font has no digits or Latin letters; the Latin fonts must cover what it lacks on a
// label: order ids, phones, amounts and the replacement mark for text no font can draw.
func TestLatinFontsCoverWhatTheCJKFontLacks(t *testing.T) {
	cjk, err := sfnt.Parse(CJKFontTTF)
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	if gi, _ := cjk.GlyphIndex(&b, '0'); gi != 0 {
		t.Logf("the CJK font now has digits (glyph %d); the Latin fonts are still used for them", gi)
	}
	for name, ttf := range map[string][]byte{"regular": LatinRegularTTF, "bold": LatinBoldTTF} {
		if !bytes.HasPrefix(ttf, []byte{0, 1, 0, 0}) {
			t.Errorf("%s: not a TrueType-outline font", name)
		}
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range "0123456789 AZaz-:/()*#¥×…□" {
			if gi, err := f.GlyphIndex(&b, r); err != nil || gi == 0 {
				t.Errorf("%s Latin font has no glyph for %q", name, r)
			}
		}
	}
	for _, want := range []string{"Bigelow & Holmes", "Redistributions in binary form must reproduce"} {
		if !strings.Contains(LatinFontLicense, want) {
			t.Errorf("LICENSE-GoFonts.txt lacks %q", want)
		}
	}
}

func TestCJKFontLicenseTravelsWithTheFont(t *testing.T) {
	for _, want := range []string{
		"Copyright © 2006, 2007, 2008, 2009, 2010 Google Corp.",
		"Apache License",
		"Version 2.0, January 2004",
		"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
		"END OF TERMS AND CONDITIONS",
	} {
		if !strings.Contains(CJKFontLicense, want) {
			t.Errorf("LICENSE-DroidSansFallback.txt lacks %q", want)
		}
	}
}
