package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"station/printer/printertest"
	"station/printer/raw"
)

// station print -printer 'file:…?lang=…&dpi=…' writes a label in the printer's language whose
// bitmap, decoded back out of the bytes, scans to the order id: for every language at 203 and
// 300 dpi. Each run has its own journal, so each prints afresh.
func TestPrintToFilePrinterScans(t *testing.T) {
	waiting := demoOrders(t)
	id := waiting[0].OrderID
	for _, lang := range []raw.Language{raw.ZPL, raw.TSPL, raw.ESCPOS} {
		for _, dpi := range []int{203, 300} {
			t.Run(fmt.Sprintf("%s-%d", lang, dpi), func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "label."+string(lang))
				spec := fmt.Sprintf("file:%s?lang=%s&dpi=%d", out, lang, dpi)
				code, _, stderr := runStation(t, "-demo", "-rate=-1", "-journal", filepath.Join(dir, "j.db"),
					"print", "-order", id, "-printer", spec)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				labels, err := printertest.Decode(lang, data, dpi, raw.ZeroIsBlack)
				if err != nil {
					t.Fatalf("decoding the %s stream: %v", lang, err)
				}
				if len(labels) != 1 {
					t.Fatalf("%d labels in the stream, want 1", len(labels))
				}
				img := labels[0].Bitmap.Gray()
				got, err := printertest.ScanCode128(img, img.Bounds())
				if err != nil {
					t.Fatalf("no barcode scans in the decoded label: %v", err)
				}
				if got != id {
					t.Errorf("the label's barcode scans as %q, want the order id %q", got, id)
				}
			})
		}
	}
}
