//go:build deps

// Package deps pins the modules the packages are being written against, until they import them.
package deps

import (
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/boombuler/barcode/code128"
	_ "github.com/google/gousb"
	_ "github.com/jung-kurt/gofpdf"
	_ "github.com/makiuchi-d/gozxing/oned"
	_ "github.com/zalando/go-keyring"
	_ "golang.org/x/image/font/opentype"
	_ "modernc.org/sqlite"
)
