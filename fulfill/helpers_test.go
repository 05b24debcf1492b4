package fulfill_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// pdfPages returns each page's text (needs poppler's pdftotext, which make test installs).
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not installed (poppler-utils)")
	}
	cmd := exec.Command(tool, "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1]
}

// checkPageOrder checks that page i carries order ids[i], as its barcode digits.
func checkPageOrder(t *testing.T, pdf []byte, ids []string) {
	t.Helper()
	pages := pdfPages(t, pdf)
	if len(pages) != len(ids) {
		t.Fatalf("PDF has %d pages for %d orders", len(pages), len(ids))
	}
	for i, id := range ids {
		if !regexp.MustCompile(`(?m)^` + id + `$`).MatchString(pages[i]) {
			t.Fatalf("page %d does not carry order %s:\n%s", i+1, id, pages[i])
		}
	}
}
