// Package products is the merchant's product table for pack verification and weighing: each
// product's JD sku id, the merchant's own code (outer_sku_id), its barcodes, name and unit
// weight; read from the CSV and XLSX files merchants keep (Read), kept in a small SQLite file
// beside the journal (Store), and looked up by any of its codes (Catalog).
package products

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"station/internal/ascii"
)

// Product is one line of the product table.
type Product struct {
	SkuID    string   `json:"sku_id,omitempty"`       // JD's sku id
	OuterID  string   `json:"outer_sku_id,omitempty"` // the merchant's code (商家编码)
	Barcodes []string `json:"barcodes"`               // EAN-13, UPC-A, EAN-8 or any Code 128 text
	Name     string   `json:"name"`
	WeightG  int      `json:"weight_g"` // unit weight in grams; 0 = not known
}

// Key is what identifies the product in the table: the sku id, else the merchant's code.
func (p Product) Key() string {
	if p.SkuID != "" {
		return "sku:" + p.SkuID
	}
	return "outer:" + p.OuterID
}

// Codes are every text a scanner may read off the product: its barcodes and its merchant code
// (many merchants label goods with it as Code 128).
func (p Product) Codes() []string {
	codes := slices.Clone(p.Barcodes)
	if p.OuterID != "" && !slices.Contains(codes, NormalizeCode(p.OuterID)) {
		codes = append(codes, NormalizeCode(p.OuterID))
	}
	return codes
}

// NormalizeCode is a code as the table keeps it and a scan is compared with it: no spaces,
// upper case.
func NormalizeCode(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s))
}

// CheckBarcode says what is wrong with a barcode, or nil: all digits of length 8, 12 or 13 must
// carry a right check digit (EAN-8, UPC-A, EAN-13: a wrong one is a typo in the sheet, and a
// scanner would never read it); other codes must be printable ASCII a Code 128 can carry.
func CheckBarcode(code string) error {
	switch {
	case code == "":
		return fmt.Errorf("empty barcode")
	case len(code) > 48:
		return fmt.Errorf("barcode %.20q… is longer than 48 characters", code)
	case ascii.Digits(code) && (len(code) == 8 || len(code) == 12 || len(code) == 13):
		want := CheckDigit(code[:len(code)-1])
		if code[len(code)-1] != want {
			kind := map[int]string{8: "EAN-8", 12: "UPC-A", 13: "EAN-13"}[len(code)]
			return fmt.Errorf("barcode %s: the %s check digit should be %c, not %c", code, kind, want, code[len(code)-1])
		}
		return nil
	}
	for _, r := range code {
		if r < 0x21 || r > 0x7e {
			return fmt.Errorf("barcode %q: only letters, digits and ASCII signs can be in a barcode", code)
		}
	}
	return nil
}

// CheckDigit is the GS1 check digit of the digits before it (EAN-8, UPC-A, EAN-13): weights 3
// and 1 from the right.
func CheckDigit(digits string) byte {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// Catalog finds products by code and by JD sku id, in memory: an item scan must be quick.
type Catalog struct {
	products []Product
	byCode   map[string]int
	bySku    map[string]int
	byOuter  map[string]int
}

// NewCatalog indexes products. A code used by two products is kept for the first only; Store
// never holds such a table (Import refuses it).
func NewCatalog(ps []Product) *Catalog {
	c := &Catalog{products: ps, byCode: map[string]int{}, bySku: map[string]int{}, byOuter: map[string]int{}}
	for i, p := range ps {
		for _, code := range p.Codes() {
			if _, dup := c.byCode[code]; !dup {
				c.byCode[code] = i
			}
		}
		if p.SkuID != "" {
			c.bySku[p.SkuID] = i
		}
		if p.OuterID != "" {
			c.byOuter[NormalizeCode(p.OuterID)] = i
		}
	}
	return c
}

// Len is the number of products.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.products)
}

// Products are the catalogue's products.
func (c *Catalog) Products() []Product {
	if c == nil {
		return nil
	}
	return c.products
}

// ByCode finds the product a scanned code belongs to.
func (c *Catalog) ByCode(code string) (Product, bool) {
	if c == nil {
		return Product{}, false
	}
	i, ok := c.byCode[NormalizeCode(code)]
	if !ok {
		return Product{}, false
	}
	return c.products[i], true
}

// ForItem finds an order line's product: by JD sku id, else by the merchant's code.
func (c *Catalog) ForItem(skuID, outerID string) (Product, bool) {
	if c == nil {
		return Product{}, false
	}
	if i, ok := c.bySku[skuID]; ok && skuID != "" {
		return c.products[i], true
	}
	if i, ok := c.byOuter[NormalizeCode(outerID)]; ok && outerID != "" {
		return c.products[i], true
	}
	return Product{}, false
}

// Search lists the products whose name, codes or sku id contain q (all when q is blank).
func (c *Catalog) Search(q string) []Product {
	q = strings.ToUpper(strings.TrimSpace(q))
	var out []Product
	for _, p := range c.Products() {
		if q == "" || strings.Contains(strings.ToUpper(p.Name), q) || strings.Contains(p.SkuID, q) ||
			strings.Contains(strings.ToUpper(p.OuterID), q) || slices.ContainsFunc(p.Barcodes, func(b string) bool { return strings.Contains(b, q) }) {
			out = append(out, p)
		}
	}
	return out
}
