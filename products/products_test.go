package products

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestCheckBarcode(t *testing.T) {
	for _, tc := range []struct {
		code string
		ok   bool
	}{
		{"6901234567892", true},  // EAN-13
		{"6901234567891", false}, // wrong check digit
		{"036000291452", true},   // UPC-A
		{"96385074", true},       // EAN-8
		{"96385075", false},
		{"HM-000123", true}, // Code 128 text
		{"条码", false},
		{"", false},
	} {
		if err := CheckBarcode(tc.code); (err == nil) != tc.ok {
			t.Errorf("CheckBarcode(%q) = %v; want ok=%v", tc.code, err, tc.ok)
		}
	}
}

const goodCSV = "商品编码,条码,商品名称,重量(kg),备注\n" +
	"HM-001,6901234567892,禾木 抽纸,1.2,\n" +
	"HM-002,\"6901234567908；6901234567915\",青岚 T恤,0.25kg,两个条码\n" +
	"\n" +
	"HM-003,,星河 充电器,0.15,无条码：按商家编码扫\n"

func TestReadCSVChineseHeaders(t *testing.T) {
	for name, data := range map[string][]byte{
		"utf8.csv":    []byte(goodCSV),
		"bom.csv":     append([]byte("\xef\xbb\xbf"), goodCSV...),
		"gb18030.csv": gb18030(t, goodCSV),
		"tabs.txt":    []byte(strings.ReplaceAll(strings.ReplaceAll(goodCSV, ",", "\t"), "\"", "")),
	} {
		t.Run(name, func(t *testing.T) {
			s, err := ReadFile(name, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Bad) > 0 {
				t.Fatalf("bad rows: %v", s.Bad)
			}
			want := []Product{
				{OuterID: "HM-001", Barcodes: []string{"6901234567892"}, Name: "禾木 抽纸", WeightG: 1200},
				{OuterID: "HM-002", Barcodes: []string{"6901234567908", "6901234567915"}, Name: "青岚 T恤", WeightG: 250},
				{OuterID: "HM-003", Name: "星河 充电器", WeightG: 150},
			}
			if got := s.Products(); !reflect.DeepEqual(got, want) {
				t.Errorf("products:\n got %+v\nwant %+v", got, want)
			}
			if lines := []int{s.Rows[0].Line, s.Rows[1].Line, s.Rows[2].Line}; !reflect.DeepEqual(lines, []int{2, 3, 5}) {
				t.Errorf("lines = %v; want [2 3 5]", lines)
			}
			fields := map[string]Field{}
			for _, c := range s.Columns {
				fields[c.Header] = c.Field
			}
			if fields["商品编码"] != FieldOuter || fields["条码"] != FieldBarcode || fields["商品名称"] != FieldName ||
				fields["重量(kg)"] != FieldWeight || fields["备注"] != FieldNone {
				t.Errorf("columns recognised: %v", fields)
			}
		})
	}
}

func gb18030(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"京东商品SKU导出"}, // a title row above the header, as exports have
		{"SKU ID", "Product name", "Barcode", "Weight (g)"},
		{100012345678, "北辰 显示器", 6901234567892, 5200},
		{"100012345679", "云栖 保温杯", "6901234567908", "480"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := ReadFile("products.xlsx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []Product{
		{SkuID: "100012345678", Barcodes: []string{"6901234567892"}, Name: "北辰 显示器", WeightG: 5200},
		{SkuID: "100012345679", Barcodes: []string{"6901234567908"}, Name: "云栖 保温杯", WeightG: 480},
	}
	if len(s.Bad) > 0 || !reflect.DeepEqual(s.Products(), want) {
		t.Errorf("got %+v, bad %v; want %+v", s.Products(), s.Bad, want)
	}
	if s.Rows[0].Line != 3 {
		t.Errorf("first product on line %d; want 3", s.Rows[0].Line)
	}
}

func TestReadBadRows(t *testing.T) {
	csv := "商家编码,条码,名称,重量\n" +
		"A1,6901234567892,好的,100\n" + // 2
		"A2,6901234567891,校验位错,100\n" + // 3
		",6901234567908,没有编码,100\n" + // 4
		"A4,6901234567915,,100\n" + // 5
		"A5,6901234567922,重量错,很重\n" + // 6
		"A6,6901234567892,条码重复,100\n" + // 7: A1's barcode
		"A1,6901234567939,同一商品,100\n" // 8
	s, err := ReadFile("p.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, b := range s.Bad {
		lines = append(lines, b.Line)
	}
	if !reflect.DeepEqual(lines, []int{3, 4, 5, 6, 7, 8}) {
		t.Fatalf("bad lines = %v (%v); want 3-8", lines, s.Bad)
	}
	for i, frag := range []string{"check digit should be 2", "neither a JD sku id nor a merchant code", "no product name", "not a number", "already 好的's on line 2", "same product as line 2"} {
		if !strings.Contains(s.Bad[i].Problem, frag) {
			t.Errorf("line %d: %q does not say %q", s.Bad[i].Line, s.Bad[i].Problem, frag)
		}
	}
	st := openStore(t)
	if _, err := st.Import(context.Background(), s); !errors.Is(err, ErrBadRows) {
		t.Errorf("Import with bad rows = %v; want ErrBadRows", err)
	}
	if ps, _ := st.List(context.Background()); len(ps) != 0 {
		t.Errorf("a sheet with bad rows wrote %d products", len(ps))
	}
}

func TestReadNoHeader(t *testing.T) {
	if _, err := ReadFile("p.csv", strings.NewReader("a,b,c\n1,2,3\n")); !errors.Is(err, ErrNoHeader) {
		t.Errorf("err = %v; want ErrNoHeader", err)
	}
	if _, err := ReadFile("p.xlsx", strings.NewReader("PK\x03\x04 not a zip")); err == nil {
		t.Error("a broken workbook was read")
	}
}

func openStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "products.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestImportAndLookup(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	s, err := ReadFile("p.csv", strings.NewReader(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := st.Import(ctx, s); err != nil || res != (Imported{Added: 3}) {
		t.Fatalf("Import = %+v, %v", res, err)
	}
	// Again, one product renamed: updated, not doubled.
	s, _ = ReadFile("p.csv", strings.NewReader(strings.Replace(goodCSV, "禾木 抽纸", "禾木 抽纸 24包", 1)))
	if res, err := st.Import(ctx, s); err != nil || res != (Imported{Updated: 3}) {
		t.Fatalf("second Import = %+v, %v", res, err)
	}
	cat, err := st.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Len() != 3 {
		t.Fatalf("%d products; want 3", cat.Len())
	}
	for code, name := range map[string]string{"6901234567892": "禾木 抽纸 24包", "6901234567915": "青岚 T恤", "hm-003": "星河 充电器"} {
		if p, ok := cat.ByCode(code); !ok || p.Name != name {
			t.Errorf("ByCode(%s) = %v, %v; want %s", code, p.Name, ok, name)
		}
	}
	if p, ok := cat.ForItem("", "HM-002"); !ok || p.WeightG != 250 {
		t.Errorf("ForItem(outer HM-002) = %+v, %v", p, ok)
	}
	if got := cat.Search("充电"); len(got) != 1 || got[0].OuterID != "HM-003" {
		t.Errorf("Search(充电) = %+v", got)
	}
	// A barcode the table has for another product: refused with its line, nothing written.
	clash := "商家编码,条码,名称\nHM-009,6901234567892,别的商品\n"
	s, _ = ReadFile("p.csv", strings.NewReader(clash))
	if _, err := st.Import(ctx, s); !errors.Is(err, ErrBadRows) || len(s.Bad) != 1 || s.Bad[0].Line != 2 ||
		!strings.Contains(s.Bad[0].Problem, "禾木 抽纸 24包") {
		t.Errorf("clashing import = %v, bad %v", err, s.Bad)
	}
	if ps, _ := st.List(ctx); len(ps) != 3 {
		t.Errorf("after a refused import: %d products; want 3", len(ps))
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := (Column{Index: i}).Letter(); got != want {
			t.Errorf("column %d: %q, want %q", i, got, want)
		}
	}
}
