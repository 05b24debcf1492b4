package products

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"station/internal/ascii"
	"station/jos"
)

// Field is what a column of a product sheet holds.
type Field string

const (
	FieldNone    Field = ""        // a column the station does not use
	FieldSku     Field = "sku_id"  // JD's sku id
	FieldOuter   Field = "outer"   // the merchant's code
	FieldBarcode Field = "barcode" // one or more barcodes
	FieldName    Field = "name"
	FieldWeight  Field = "weight"
)

// headers are the column titles merchants' sheets use (JD's own exports, 聚水潭, 旺店通 and
// English tools), normalised by headerKey.
var headers = map[string]Field{
	"sku": FieldSku, "skuid": FieldSku, "sku_id": FieldSku, "京东sku": FieldSku, "京东skuid": FieldSku,
	"skuid(京东)": FieldSku, "jdsku": FieldSku, "京东商品编号": FieldSku, "商品sku": FieldSku, "sku编号": FieldSku,
	"商品编码": FieldOuter, "商家编码": FieldOuter, "商家sku": FieldOuter, "外部编码": FieldOuter, "商家skuid": FieldOuter,
	"outer_sku_id": FieldOuter, "outerskuid": FieldOuter, "货号": FieldOuter, "商品货号": FieldOuter, "规格编码": FieldOuter,
	"merchantsku": FieldOuter, "sellersku": FieldOuter, "productcode": FieldOuter, "code": FieldOuter, "itemcode": FieldOuter,
	"条码": FieldBarcode, "条形码": FieldBarcode, "商品条码": FieldBarcode, "国际条码": FieldBarcode, "69码": FieldBarcode,
	"barcode": FieldBarcode, "barcodes": FieldBarcode, "ean": FieldBarcode, "ean13": FieldBarcode, "upc": FieldBarcode, "gtin": FieldBarcode,
	"商品名称": FieldName, "名称": FieldName, "品名": FieldName, "商品名": FieldName, "sku名称": FieldName, "商品标题": FieldName,
	"name": FieldName, "productname": FieldName, "itemname": FieldName, "title": FieldName, "sku_name": FieldName, "skuname": FieldName,
	"重量": FieldWeight, "单重": FieldWeight, "单件重量": FieldWeight, "商品重量": FieldWeight, "毛重": FieldWeight,
	"weight": FieldWeight, "unitweight": FieldWeight, "weight_g": FieldWeight, "weight_kg": FieldWeight,
}

// headerKey normalises a column title: lower case, no spaces, ASCII brackets, its unit cut off
// ("重量(kg)" → "重量", unit "kg").
func headerKey(h string) (key, unit string) {
	h = strings.NewReplacer("（", "(", "）", ")", "【", "(", "】", ")", "[", "(", "]", ")", " ", "", "\u3000", "", "-", "", "\ufeff", "").Replace(strings.ToLower(strings.TrimSpace(h)))
	if i := strings.IndexByte(h, '('); i > 0 && strings.HasSuffix(h, ")") {
		if u := weightUnit(h[i+1 : len(h)-1]); u != "" {
			return h[:i], u
		}
	}
	for _, suf := range []string{"_kg", "_g"} {
		if strings.HasSuffix(h, suf) && headers[h] == FieldWeight {
			return h, suf[1:]
		}
	}
	return h, ""
}

func weightUnit(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "g", "克", "gram", "grams":
		return "g"
	case "kg", "千克", "公斤", "kilogram", "kilograms":
		return "kg"
	}
	return ""
}

// Column is one column of a sheet and what it was taken for.
type Column struct {
	Index  int
	Header string
	Field  Field  // FieldNone: not used
	Unit   string // weight columns: "g" or "kg" (from the header; grams when it says none)
}

// Letter is the column's name in a spreadsheet: A for the first, AA for the 27th.
func (c Column) Letter() string {
	s := ""
	for i := c.Index + 1; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// Row is a good row of a sheet.
type Row struct {
	Line    int // the row's number in the file (1 = the first)
	Product Product
}

// RowError is a row that cannot be imported, and why.
type RowError struct {
	Line    int
	Problem string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Problem) }

// Sheet is a product file as read: its columns, good rows and bad ones. Nothing is written
// while a sheet has bad rows.
type Sheet struct {
	Columns []Column
	Rows    []Row
	Bad     []RowError
}

// maxFile is the largest product file read: tens of thousands of products are a few MB.
const maxFile = 32 << 20

// ErrNoHeader: no row of the file names the columns the station needs.
var ErrNoHeader = errors.New("no header row names a product name and a code (商品名称, 条码, 商品编码, SKU…)")

// ReadFile reads a product file: .xlsx (the first sheet) or CSV (UTF-8, or GB18030 as Excel
// saves it on Chinese Windows; comma or tab separated).
func ReadFile(name string, r io.Reader) (*Sheet, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("%s is larger than %d MB: that is not a product list", filepath.Base(name), maxFile>>20)
	}
	var rows [][]string
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		rows, err = xlsxRows(data)
	default:
		if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			rows, err = xlsxRows(data)
		} else {
			rows, err = csvRows(data)
		}
	}
	if err != nil {
		return nil, err
	}
	return parse(rows)
}

func xlsxRows(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not an Excel workbook that can be read: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	// Raw values: a barcode stored as a number must not come back as 6.90123E+12.
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("reading sheet %q: %w", sheets[0], err)
	}
	return rows, nil
}

func csvRows(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("the file is neither UTF-8 nor GB18030 text: %w", err)
		}
		data = d
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")) {
		cr.Comma = '\t'
	}
	// Blank lines are skipped by the reader; each row is padded to its line number, so that
	// a bad row is reported on the line an editor shows.
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not a CSV file that can be read: %w", err)
		}
		line, _ := cr.FieldPos(0)
		for len(rows) < line-1 {
			rows = append(rows, nil)
		}
		rows = append(rows, rec)
	}
}

// parse finds the header among the first rows and reads every row after it.
func parse(rows [][]string) (*Sheet, error) {
	head := -1
	var cols []Column
	for i := 0; i < len(rows) && i < 10 && head < 0; i++ {
		cols = cols[:0]
		has := map[Field]bool{}
		for j, h := range rows[i] {
			key, unit := headerKey(h)
			f := headers[key]
			if f != FieldNone && has[f] && f != FieldBarcode {
				f = FieldNone // a second column of one field: the first one counts
			}
			has[f] = true
			if f == FieldWeight && unit == "" {
				unit = "g"
			}
			cols = append(cols, Column{Index: j, Header: plain(h, 40), Field: f, Unit: unit})
		}
		if has[FieldName] && (has[FieldSku] || has[FieldOuter] || has[FieldBarcode]) {
			head = i
		}
	}
	if head < 0 {
		return nil, ErrNoHeader
	}
	s := &Sheet{Columns: cols}
	for i := head + 1; i < len(rows); i++ {
		p, empty, problems := readRow(cols, rows[i])
		switch {
		case empty:
		case len(problems) > 0:
			s.Bad = append(s.Bad, RowError{Line: i + 1, Problem: strings.Join(problems, "; ")})
		default:
			s.Rows = append(s.Rows, Row{Line: i + 1, Product: p})
		}
	}
	s.checkDuplicates()
	return s, nil
}

func readRow(cols []Column, cells []string) (p Product, empty bool, problems []string) {
	empty = true
	for _, c := range cols {
		if c.Index >= len(cells) {
			continue
		}
		v := readCell(cells[c.Index])
		if v == "" {
			continue
		}
		empty = false
		switch c.Field {
		case FieldSku:
			p.SkuID = NormalizeCode(v)
			if !ascii.Digits(p.SkuID) {
				problems = append(problems, fmt.Sprintf("JD sku id %q is not a number", plain(v, 30)))
			}
		case FieldOuter:
			p.OuterID = plain(v, 64)
		case FieldName:
			p.Name = plain(v, 200)
		case FieldWeight:
			g, err := parseWeight(v, c.Unit)
			if err != nil {
				problems = append(problems, err.Error())
			}
			p.WeightG = g
		case FieldBarcode:
			for _, b := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",;，；、/| \t\n", r) }) {
				code := NormalizeCode(b)
				if err := CheckBarcode(code); err != nil {
					problems = append(problems, err.Error())
					continue
				}
				if !slices.Contains(p.Barcodes, code) {
					p.Barcodes = append(p.Barcodes, code)
				}
			}
		}
	}
	if empty {
		return p, true, nil
	}
	if p.Name == "" {
		problems = append(problems, "no product name")
	}
	if p.SkuID == "" && p.OuterID == "" {
		problems = append(problems, "neither a JD sku id nor a merchant code: the order's items could not be matched to it")
	}
	return p, false, problems
}

// parseWeight reads "350", "350g", "0.35kg", "0.35 千克" or "1,200" in the column's unit.
func parseWeight(v, unit string) (int, error) {
	s := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(v)), ",", "")
	for _, u := range []string{"kg", "千克", "公斤", "g", "克"} {
		if rest, ok := strings.CutSuffix(s, u); ok {
			s, unit = strings.TrimSpace(rest), weightUnit(u)
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("weight %q is not a number of grams or kilograms", plain(v, 30))
	}
	if unit == "kg" {
		f *= 1000
	}
	if f < 0 || f > 1_000_000 {
		return 0, fmt.Errorf("weight %q is not the weight of one piece (0 to 1000 kg)", plain(v, 30))
	}
	return int(math.Round(f)), nil
}

// checkDuplicates moves to Bad every row whose key or barcode an earlier row has: one barcode
// must name one product, or verification would count the wrong line.
func (s *Sheet) checkDuplicates() {
	keyLine, codeLine := map[string]int{}, map[string]Row{}
	var good []Row
	for _, r := range s.Rows {
		var problems []string
		if l, ok := keyLine[r.Product.Key()]; ok {
			problems = append(problems, fmt.Sprintf("the same product as line %d", l))
		}
		for _, c := range r.Product.Codes() {
			if o, ok := codeLine[c]; ok && o.Product.Key() != r.Product.Key() {
				problems = append(problems, fmt.Sprintf("code %s is already %s's on line %d", c, o.Product.Name, o.Line))
			}
		}
		if len(problems) > 0 {
			s.Bad = append(s.Bad, RowError{Line: r.Line, Problem: strings.Join(problems, "; ")})
			continue
		}
		keyLine[r.Product.Key()] = r.Line
		for _, c := range r.Product.Codes() {
			codeLine[c] = r
		}
		good = append(good, r)
	}
	s.Rows = good
	slices.SortStableFunc(s.Bad, func(a, b RowError) int { return a.Line - b.Line })
}

// Products are the sheet's good rows.
func (s *Sheet) Products() []Product {
	out := make([]Product, len(s.Rows))
	for i, r := range s.Rows {
		out[i] = r.Product
	}
	return out
}

// plain is text from a merchant's file made safe to show (jos.PlainText) and cut to n
// characters.
func plain(s string, n int) string {
	s = jos.PlainText(strings.TrimSpace(s))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// csvHeader is the header WriteCSV writes: one the reader recognises.
var csvHeader = []string{"SKU ID", "商家编码", "条码", "商品名称", "重量(g)"}

// WriteCSV writes products in the import format (UTF-8 with a BOM, so that Excel on Chinese
// Windows opens it right).
func WriteCSV(w io.Writer, ps []Product) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, p := range ps {
		cw.Write([]string{p.SkuID, cell(p.OuterID), strings.Join(p.Barcodes, ";"), cell(p.Name), strconv.Itoa(p.WeightG)})
	}
	cw.Flush()
	return cw.Error()
}

// cell keeps a text a spreadsheet would run as a formula (=, +, -, @ first) a text, with a
// leading apostrophe that readCell takes off again.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// readCell is a cell's text without the apostrophe cell put before a formula sign.
func readCell(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}
