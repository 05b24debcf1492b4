// Package catalog is the Settings tab's 商品 page: the product table that verification counts
// against, searched as the packer types, and filled from a CSV or XLSX file after a preview of
// the columns recognised and of every bad row. It only draws: reading and storing are
// products'.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"station/products"
	"station/say"
	"station/ui/i18n"
	"station/ui/keys"
)

// Host is what the page needs of the window.
type Host interface {
	Tr() *i18n.Translator
	Do(fn func())
	Go(name string, fn func())
	Ctx() context.Context
	Window() fyne.Window
	ShowError(err error)
	ShowDialog(d dialog.Dialog)
	ScanBurst(code string)
	// Products holds the connected station's product table until release.
	Products(ctx context.Context) (st *products.Store, release func(), err error)
	// ProductsChanged tells the scan line to read the table again (off the UI goroutine).
	ProductsChanged()
}

// Page lists and imports the products.
type Page struct {
	Content fyne.CanvasObject
	a       Host
	summary *widget.Label
	search  *keys.Entry
	list    *widget.List
	importB *widget.Button

	cat   *products.Catalog
	shown []products.Product
}

// New makes the page; Shown loads the table.
func New(a Host) *Page {
	p := &Page{a: a}
	tr := a.Tr()
	p.summary = widget.NewLabel("")
	p.summary.Wrapping = fyne.TextWrapWord
	p.search = keys.NewEntry(a.ScanBurst, false)
	p.search.OnChanged = func(string) { p.filter() }
	p.importB = widget.NewButton("", p.pickFile)
	p.importB.Importance = widget.HighImportance
	p.list = widget.NewList(func() int { return len(p.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.shown) {
				o.(*widget.Label).SetText(Row(p.shown[i]))
			}
		})
	tr.Bind(func() {
		p.importB.SetText(tr.T("prod.import"))
		p.search.SetPlaceHolder(tr.T("prod.search"))
		p.showSummary()
	})
	top := container.NewVBox(container.NewBorder(nil, nil, nil, p.importB, p.summary), p.search)
	p.Content = container.NewBorder(top, nil, nil, nil, p.list)
	return p
}

// Row is a product as one line of the list.
func Row(pr products.Product) string {
	weight := "-"
	if pr.WeightG > 0 {
		weight = strconv.Itoa(pr.WeightG) + " g"
	}
	return strings.Join([]string{say.Short(or(pr.OuterID), 24), say.Short(or(strings.Join(pr.Barcodes, " ")), 40), weight,
		say.Short(pr.Name, 60), "SKU " + or(pr.SkuID)}, "  ·  ")
}

func or(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Shown reloads the table (the page came on screen, or the station reconnected).
func (p *Page) Shown() {
	p.a.Go("products", func() {
		ctx := p.a.Ctx()
		st, release, err := p.a.Products(ctx)
		if err != nil {
			p.a.Do(func() { p.cat = nil; p.showSummary() })
			return
		}
		cat, err := st.Catalog(ctx)
		release()
		p.a.Do(func() {
			if err != nil {
				p.a.ShowError(err)
				return
			}
			p.cat = cat
			p.filter()
		})
	})
}

// Listed are the products the list shows (after the search).
func (p *Page) Listed() []products.Product { return p.shown }

// Summary is the line above the list; Search the search field (for tests).
func (p *Page) Summary() string     { return p.summary.Text }
func (p *Page) Search() *keys.Entry { return p.search }

func (p *Page) filter() {
	p.shown = p.cat.Search(p.search.Text)
	p.showSummary()
	p.list.Refresh()
}

func (p *Page) showSummary() {
	tr := p.a.Tr()
	switch {
	case p.cat == nil:
		p.summary.SetText(tr.T("prod.notloaded"))
	case p.cat.Len() == 0:
		p.summary.SetText(tr.T("prod.empty"))
	default:
		p.summary.SetText(tr.F("prod.summary", p.cat.Len(), len(p.shown)))
	}
}

func (p *Page) pickFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		p.ImportFile(path)
	}, p.a.Window())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".xlsx", ".txt", ".tsv"}))
	p.a.ShowDialog(d)
}

// ImportFile reads a product file and shows what it holds: the columns recognised, the rows,
// every bad row by line. Only a file with no bad row can be imported, after 导入.
func (p *Page) ImportFile(path string) {
	p.a.Go("products import", func() {
		f, err := os.Open(path)
		if err != nil {
			p.a.Do(func() { p.a.ShowError(err) })
			return
		}
		sheet, err := products.ReadFile(filepath.Base(path), f)
		f.Close()
		p.a.Do(func() {
			if err != nil {
				p.a.ShowError(err)
				return
			}
			p.preview(filepath.Base(path), sheet)
		})
	})
}

// preview is the import's confirmation: nothing is written before 导入.
func (p *Page) preview(name string, sheet *products.Sheet) {
	tr := p.a.Tr()
	text := widget.NewLabel(Preview(tr, sheet))
	text.Wrapping = fyne.TextWrapWord
	body := container.NewVScroll(text)
	body.SetMinSize(fyne.NewSize(640, 360))
	title := tr.F("prod.preview.title", say.Short(name, 60))
	if len(sheet.Bad) > 0 || len(sheet.Rows) == 0 {
		p.a.ShowDialog(dialog.NewCustom(title, tr.T("prod.close"), body, p.a.Window()))
		return
	}
	d := dialog.NewCustomConfirm(title, tr.F("prod.import.n", len(sheet.Rows)), tr.T("prod.cancel"), body, func(ok bool) {
		if ok {
			p.store(sheet)
		}
	}, p.a.Window())
	p.a.ShowDialog(d)
}

// Preview is the import preview's text.
func Preview(tr *i18n.Translator, sheet *products.Sheet) string {
	var b strings.Builder
	b.WriteString(tr.T("prod.columns") + "\n")
	for _, c := range sheet.Columns {
		use := tr.T(fieldKeys[c.Field])
		if c.Field == products.FieldWeight {
			use += " (" + c.Unit + ")"
		}
		fmt.Fprintf(&b, "  %s  %s → %s\n", c.Letter(), say.Short(c.Header, 30), use)
	}
	fmt.Fprintf(&b, "%s\n", tr.F("prod.rows", len(sheet.Rows), len(sheet.Bad)))
	for _, r := range sheet.Rows[:min(3, len(sheet.Rows))] {
		fmt.Fprintf(&b, "  %d: %s\n", r.Line, Row(r.Product))
	}
	if len(sheet.Bad) > 0 {
		b.WriteString("\n" + tr.T("prod.bad") + "\n")
		for _, e := range sheet.Bad[:min(100, len(sheet.Bad))] {
			fmt.Fprintf(&b, "  %s\n", tr.F("prod.badrow", e.Line, say.Plain(e.Problem)))
		}
		if len(sheet.Bad) > 100 {
			fmt.Fprintf(&b, "  … +%d\n", len(sheet.Bad)-100)
		}
	}
	return b.String()
}

var fieldKeys = map[products.Field]i18n.Key{products.FieldNone: "prod.field.none", products.FieldSku: "prod.field.sku",
	products.FieldOuter: "prod.field.outer", products.FieldBarcode: "prod.field.barcode", products.FieldName: "prod.field.name",
	products.FieldWeight: "prod.field.weight"}

// store writes the sheet, all or none, and reloads the list.
func (p *Page) store(sheet *products.Sheet) {
	p.a.Go("products store", func() {
		ctx := p.a.Ctx()
		st, release, err := p.a.Products(ctx)
		if err != nil {
			p.a.Do(func() { p.a.ShowError(err) })
			return
		}
		n, err := st.Import(ctx, sheet)
		release()
		if err == nil {
			p.a.ProductsChanged()
		}
		p.a.Do(func() {
			if errors.Is(err, products.ErrBadRows) {
				p.preview("", sheet) // rows that clash with the table: shown, nothing written
				return
			}
			if err != nil {
				p.a.ShowError(err)
				return
			}
			tr := p.a.Tr()
			p.a.ShowDialog(dialog.NewInformation(tr.T("prod.import"), tr.F("prod.imported", n.Added, n.Updated), p.a.Window()))
			p.Shown()
		})
	})
}
