// Package assets holds the files the station embeds in its binary, each with its license beside it.
package assets

import (
	"embed"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// CJKFontTTF is Droid Sans Fallback Full (Debian fonts-droid-fallback, Apache-2.0; see
// LICENSE-DroidSansFallback.txt), a TrueType-outline font covering the CJK ideographs that
// consignee names and addresses use. Label printers rarely carry a Chinese font, so the station
// draws every label with this one, in the PDF (as an embedded subset) and in raster output.
//
// It has no Latin letters, digits or ASCII punctuation (Android pairs it with a Latin font), so
// labels draw those with LatinRegularTTF and LatinBoldTTF.
//
// Callers must treat the bytes as read-only: they are shared by the whole process.
//
//go:embed DroidSansFallbackFull.ttf
var CJKFontTTF []byte

// CJKFontLicense is the CJK font's copyright notice and license text, for an about box.
//
//go:embed LICENSE-DroidSansFallback.txt
var CJKFontLicense string

// LatinRegularTTF and LatinBoldTTF are the Go fonts (Bigelow & Holmes, BSD-style license; see
// LICENSE-GoFonts.txt), TrueType outlines for Latin letters, digits and symbols such as ¥ × … □.
// They come from golang.org/x/image, which the station already depends on, so they add no module.
// Read-only, like CJKFontTTF.
var (
	LatinRegularTTF = goregular.TTF
	LatinBoldTTF    = gobold.TTF
)

// LatinFontLicense is the Go fonts' license text, for an about box.
//
//go:embed LICENSE-GoFonts.txt
var LatinFontLicense string

// Sounds are the scan station's voice prompts (see sounds/README.txt), WAV files by name: ok,
// fail, duplicate, stop, wait.
//
//go:embed sounds/*.wav
var Sounds embed.FS
