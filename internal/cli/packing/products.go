// Package packing holds the commands of pack verification: the product table (station
// products import, list, sheet) and the scales (station scales).
package packing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"station/internal/app"
	"station/internal/cli"
	"station/products"
	"station/render/itemsheet"
	"station/say"
)

func init() {
	cli.Register("products", cli.Command{
		Summary: "the product table for pack verification (验货): import, list, print a practice sheet\n\n" +
			"station products import FILE   read a CSV or XLSX product list (Chinese or English headers:\n" +
			"                               商品编码/商家编码, 条码, 商品名称, 重量 or SKU ID, barcode, name, weight),\n" +
			"                               show the columns it recognised and every bad row by line; nothing\n" +
			"                               is written unless every row is good (-dry-run: never)\n" +
			"station products list [-json] [-q TEXT]\n" +
			"station products sheet -o items.pdf [-q TEXT]   A4 pages of item barcodes and the scan line's\n" +
			"                               quantity (+N) and command codes, for practice\n" +
			"The table lives beside the journal (products.db); -demo holds the simulator's catalogue.",
		Run: runProducts,
	})
}

func runProducts(ctx context.Context, e *cli.Env, args []string) error {
	if len(args) == 0 {
		return cli.Usagef("say what to do: station products import FILE | list | sheet -o FILE")
	}
	switch args[0] {
	case "import":
		return runImport(ctx, e, args[1:])
	case "list":
		return runList(ctx, e, args[1:])
	case "sheet":
		return runSheet(ctx, e, args[1:])
	}
	return cli.Usagef("unknown products command %q: import, list or sheet", args[0])
}

// openTable opens the product table of the station's journal.
func openTable(ctx context.Context, e *cli.Env) (*products.Store, func(), error) {
	r, err := e.Request()
	if err != nil {
		return nil, nil, err
	}
	st, cleanup, err := app.OpenProductsFor(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	return st, func() { st.Close(); cleanup() }, nil
}

func runImport(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("products", "import [-dry-run] FILE.csv|FILE.xlsx")
	dry := fs.Bool("dry-run", false, "read and check the file, show what would be imported, write nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return cli.Usagef("give the file: station products import 商品.xlsx")
	}
	name := fs.Arg(0)
	if err := cli.Parse(fs, fs.Args()[1:]); err != nil { // flags after the file
		return err
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("reading the product file: %w", err)
	}
	defer f.Close()
	sheet, err := products.ReadFile(filepath.Base(name), f)
	if err != nil {
		return cli.Explained(err)
	}
	writePreview(e.Stdout, sheet)
	if len(sheet.Bad) > 0 {
		return badRows(e, sheet)
	}
	if *dry {
		fmt.Fprintf(e.Stdout, "dry run: %d products would be imported; nothing was written\n", len(sheet.Rows))
		return nil
	}
	st, closeTable, err := openTable(ctx, e)
	if err != nil {
		return err
	}
	defer closeTable()
	n, err := st.Import(ctx, sheet)
	if errors.Is(err, products.ErrBadRows) {
		return badRows(e, sheet)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "已导入 %d 个商品（新增 %d，更新 %d）到 %s / imported %d products (%d new, %d updated) into %s\n",
		n.Added+n.Updated, n.Added, n.Updated, st.Where(), n.Added+n.Updated, n.Added, n.Updated, st.Where())
	return nil
}

// fieldWords names what a column is used for.
var fieldWords = map[products.Field]string{
	products.FieldSku:     "JD SKU ID",
	products.FieldOuter:   "商家编码 merchant code",
	products.FieldBarcode: "条码 barcode",
	products.FieldName:    "商品名称 name",
	products.FieldWeight:  "重量 unit weight",
}

func writePreview(w io.Writer, sheet *products.Sheet) {
	fmt.Fprintln(w, "columns / 识别的列:")
	cols := [][]string{{"  COLUMN", "HEADER", "USED AS"}}
	for _, c := range sheet.Columns {
		use := fieldWords[c.Field]
		switch {
		case c.Field == products.FieldNone:
			use = "(不用 not used)"
		case c.Field == products.FieldWeight:
			use += " (" + c.Unit + ")"
		}
		cols = append(cols, []string{"  " + c.Letter(), say.Short(c.Header, 30), "→ " + use})
	}
	cli.WriteTable(w, cols, nil)
	fmt.Fprintf(w, "rows: %d good, %d bad\n", len(sheet.Rows), len(sheet.Bad))
	rows := [][]string{{"LINE", "SKU ID", "商家编码", "条码", "重量(g)", "商品名称"}}
	for _, r := range sheet.Rows[:min(5, len(sheet.Rows))] {
		rows = append(rows, productRow(strconv.Itoa(r.Line), r.Product))
	}
	if len(rows) > 1 {
		cli.WriteTable(w, rows, map[int]bool{0: true, 4: true})
		if len(sheet.Rows) > 5 {
			fmt.Fprintf(w, "  … %d more\n", len(sheet.Rows)-5)
		}
	}
}

func productRow(first string, p products.Product) []string {
	weight := "-"
	if p.WeightG > 0 {
		weight = strconv.Itoa(p.WeightG)
	}
	row := []string{say.Short(p.SkuID, 20), say.Short(p.OuterID, 24), say.Short(strings.Join(p.Barcodes, " "), 40), weight, say.Short(p.Name, 40)}
	if first != "" {
		row = append([]string{first}, row...)
	}
	for i := range row {
		if row[i] == "" {
			row[i] = "-"
		}
	}
	return row
}

func badRows(e *cli.Env, sheet *products.Sheet) error {
	fmt.Fprintln(e.Stdout, "bad rows / 有问题的行:")
	for _, b := range sheet.Bad[:min(200, len(sheet.Bad))] {
		fmt.Fprintf(e.Stdout, "  line %d: %s\n", b.Line, say.Plain(b.Problem))
	}
	if len(sheet.Bad) > 200 {
		fmt.Fprintf(e.Stdout, "  … %d more\n", len(sheet.Bad)-200)
	}
	return &cliError{err: products.ErrBadRows, words: say.T(
		fmt.Sprintf("%d 行有问题（上面按行号列出），什么都没有导入：改好这些行后再导入一次。", len(sheet.Bad)),
		fmt.Sprintf("%d rows have problems (listed above by line); nothing was imported: fix them and import again.", len(sheet.Bad)))}
}

// cliError is an error already in words.
type cliError struct {
	err   error
	words say.Text
}

func (e *cliError) Error() string { return e.words.Lines() }
func (e *cliError) Unwrap() error { return e.err }

// search lists the table's products that match q (all when q is blank), and where the table is.
func search(ctx context.Context, e *cli.Env, q string) ([]products.Product, string, error) {
	st, closeTable, err := openTable(ctx, e)
	if err != nil {
		return nil, "", err
	}
	defer closeTable()
	cat, err := st.Catalog(ctx)
	if err != nil {
		return nil, "", err
	}
	return cat.Search(q), st.Where(), nil
}

func runList(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("products", "list [-json] [-q TEXT]")
	asJSON := fs.Bool("json", false, "one JSON array of the products")
	q := fs.String("q", "", "only products whose name, codes or sku id contain this `text`")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	list, where, err := search(ctx, e, *q)
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []products.Product{}
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintf(e.Stdout, "no products in %s: import a product list with station products import FILE\n", where)
		return nil
	}
	rows := [][]string{{"SKU ID", "商家编码", "条码", "重量(g)", "商品名称"}}
	for _, p := range list {
		rows = append(rows, productRow("", p))
	}
	cli.WriteTable(e.Stdout, rows, map[int]bool{3: true})
	return nil
}

func runSheet(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("products", "sheet -o items.pdf [-q TEXT]")
	out := fs.String("o", "", "write the sheet to this PDF `file`")
	q := fs.String("q", "", "only products whose name, codes or sku id contain this `text`")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return cli.Usagef("give the PDF to write: -o items.pdf")
	}
	list, where, err := search(ctx, e, *q)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fmt.Errorf("no products in %s to put on the sheet: import a product list with station products import FILE", where)
	}
	pages := 0
	err = cli.WriteFileAtomically(*out, func(w io.Writer) error {
		pages, err = itemsheet.Write(w, list)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "wrote %s: %d products and %d command codes on %d A4 pages\n", *out, len(list), len(itemsheet.Commands), pages)
	return nil
}
