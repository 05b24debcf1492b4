package itemsheet

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"station/jos/jostest/shop"
	"station/products"
)

// The sheet's barcodes scan back to the products' codes and the commands (pdftoppm renders
// the PDF, zbarimg reads it as a scanner would).
func TestSheetScans(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make test installs poppler-utils and zbar-tools)", tool)
		}
	}
	ps := append(shop.Products(1)[:6], products.Product{OuterID: "HM-看不到", Name: "只有商家编码的商品，名字很长很长很长很长很长很长很长"})
	var buf bytes.Buffer
	pages, err := Write(&buf, ps)
	if err != nil || pages != 1 {
		t.Fatalf("pages %d, %v", pages, err)
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "items.pdf")
	if err := os.WriteFile(pdfPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "200", "-gray", "-png", pdfPath, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	out, _ := exec.Command("zbarimg", append([]string{"-q"}, pngs...)...).Output()
	got := string(out)
	for _, p := range ps[:6] {
		if !strings.Contains(got, "EAN-13:"+p.Barcodes[0]+"\n") {
			t.Errorf("%s (%s) not read back from the sheet", p.Barcodes[0], p.Name)
		}
	}
	for _, want := range []string{"CODE-128:+1\n", "CODE-128::aside\n", "CODE-128:+10\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q not read back; zbarimg said:\n%s", want, got)
		}
	}
}

// A product whose only code Code 128 cannot carry gets a cell without bars, not a wrong
// barcode.
func TestSheetUnencodable(t *testing.T) {
	var buf bytes.Buffer
	if pages, err := Write(&buf, []products.Product{{OuterID: "货号-1", Name: "x"}}); err != nil || pages != 1 {
		t.Errorf("pages %d, err %v", pages, err)
	}
}
