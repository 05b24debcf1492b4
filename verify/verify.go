// Package verify is pack verification (验货) without widgets: an order's lines, each item scan
// counted against the product table, refusals that change nothing, and the parcel's weight
// checked against the items' unit weights. The scan line drives it; the window shows it.
package verify

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"station/printdata"
	"station/products"
)

// Line is one product of the order and how many of it are in the parcel so far.
type Line struct {
	Key     string // what the journal counts it by: the sku id, else the merchant's code
	SkuID   string
	OuterID string
	Name    string
	Want    int
	Got     int
	Codes   []string // the codes that count it (from the product table); none: it cannot be scanned
	WeightG int      // unit weight; 0: not known
}

// Done reports whether the line has all its pieces.
func (l Line) Done() bool { return l.Got >= l.Want }

// Pack is one order being verified. It is not safe for concurrent use.
type Pack struct {
	OrderID string
	Lines   []Line
	cat     *products.Catalog
	byCode  map[string]int // code → line
	last    int            // the line last counted, for "+N"; -1 when none
}

// New lists an order's lines for verification, with their codes from the catalogue. Lines of
// the same product are merged; lines of no quantity are left out.
func New(orderID string, lines []printdata.Line, cat *products.Catalog) *Pack {
	p := &Pack{OrderID: orderID, cat: cat, byCode: map[string]int{}, last: -1}
	at := map[string]int{}
	for _, l := range lines {
		if l.Quantity <= 0 {
			continue
		}
		key := lineKey(l.SkuID, l.OuterID, l.Name)
		if i, ok := at[key]; ok {
			p.Lines[i].Want += l.Quantity
			continue
		}
		line := Line{Key: key, SkuID: l.SkuID, OuterID: l.OuterID, Name: l.Name, Want: l.Quantity}
		if prod, ok := cat.ForItem(l.SkuID, l.OuterID); ok {
			line.Codes, line.WeightG = prod.Codes(), prod.WeightG
			if line.Name == "" {
				line.Name = prod.Name
			}
		}
		at[key] = len(p.Lines)
		p.Lines = append(p.Lines, line)
	}
	for i, l := range p.Lines {
		for _, c := range l.Codes {
			if _, dup := p.byCode[c]; !dup {
				p.byCode[c] = i
			}
		}
	}
	return p
}

func lineKey(sku, outer, name string) string {
	switch {
	case sku != "":
		return "sku:" + sku
	case outer != "":
		return "outer:" + products.NormalizeCode(outer)
	}
	return "name:" + name
}

// Outcome is what one item scan did.
type Outcome int

const (
	Counted Outcome = iota + 1 // a line counted one more piece (or N with a quantity)
	Wrong                      // 错货: a known product that is not in this order; nothing counted
	Surplus                    // 多件: the line already has all its pieces; nothing counted
	Unknown                    // a code the product table does not know; nothing counted
	NoLine                     // "+N" with no line counted yet; nothing counted
)

var outcomeNames = map[Outcome]string{Counted: "counted", Wrong: "wrong", Surplus: "surplus", Unknown: "unknown", NoLine: "no-line"}

func (o Outcome) String() string {
	if n, ok := outcomeNames[o]; ok {
		return n
	}
	return fmt.Sprintf("outcome(%d)", int(o))
}

// Scan is what one item scan did to the pack.
type Scan struct {
	Outcome Outcome
	Code    string
	N       int              // pieces asked for
	Line    int              // the line counted or refused (Counted, Surplus); -1 otherwise
	Product products.Product // the product the code belongs to (Counted, Surplus, Wrong)
}

// quantityCode is a quantity scan: "+N" adds N more pieces of the line last counted (the
// packer scans one of twelve, then +11). Up to 999.
var quantityCode = regexp.MustCompile(`^\+([1-9][0-9]{0,2})$`)

// Quantity reports whether a scanned text is a quantity code, and its N.
func Quantity(code string) (int, bool) {
	m := quantityCode.FindStringSubmatch(products.NormalizeCode(code))
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return n, true
}

// Item counts one scanned code: one piece of the line it belongs to, or a quantity code's N of
// the line last counted. A refusal changes nothing.
func (p *Pack) Item(code string) Scan {
	c := products.NormalizeCode(code)
	if n, ok := Quantity(c); ok {
		if p.last < 0 {
			return Scan{Outcome: NoLine, Code: c, N: n, Line: -1}
		}
		return p.count(p.last, c, n)
	}
	i, ok := p.byCode[c]
	if !ok {
		if prod, known := p.cat.ByCode(c); known {
			return Scan{Outcome: Wrong, Code: c, N: 1, Line: -1, Product: prod}
		}
		return Scan{Outcome: Unknown, Code: c, N: 1, Line: -1}
	}
	return p.count(i, c, 1)
}

func (p *Pack) count(i int, code string, n int) Scan {
	s := Scan{Code: code, N: n, Line: i}
	if prod, ok := p.cat.ForItem(p.Lines[i].SkuID, p.Lines[i].OuterID); ok {
		s.Product = prod
	}
	if p.Lines[i].Got+n > p.Lines[i].Want {
		s.Outcome = Surplus
		return s
	}
	p.Lines[i].Got += n
	p.last = i
	s.Outcome = Counted
	return s
}

// Restore sets the counts of a pack that was under way (from the journal, after a restart):
// key → pieces. Unknown keys are ignored; counts are capped at what a line wants.
func (p *Pack) Restore(counts map[string]int) {
	for i, l := range p.Lines {
		if n, ok := counts[l.Key]; ok && n > 0 {
			p.Lines[i].Got = min(n, l.Want)
		}
	}
}

// Complete reports whether every line has all its pieces.
func (p *Pack) Complete() bool {
	for _, l := range p.Lines {
		if !l.Done() {
			return false
		}
	}
	return len(p.Lines) > 0
}

// Uncoded are the lines that cannot be scanned: the product table has no code for them. Such an
// order needs a decision (skip verification with a reason, or set it aside); it never ships by
// itself.
func (p *Pack) Uncoded() []Line {
	var out []Line
	for _, l := range p.Lines {
		if len(l.Codes) == 0 {
			out = append(out, l)
		}
	}
	return out
}

// Pieces are the pieces counted and wanted over all lines.
func (p *Pack) Pieces() (got, want int) {
	for _, l := range p.Lines {
		got += l.Got
		want += l.Want
	}
	return got, want
}

// ExpectedG is the sum of the items' unit weights; known is false when a line has no weight.
func (p *Pack) ExpectedG() (g int, known bool) {
	known = len(p.Lines) > 0
	for _, l := range p.Lines {
		if l.WeightG <= 0 {
			known = false
		}
		g += l.WeightG * l.Want
	}
	return g, known
}

// Uncount takes back a Counted scan (its record could not be kept): the pack is as before it.
func (p *Pack) Uncount(s Scan) {
	if s.Outcome == Counted && s.Line >= 0 && s.Line < len(p.Lines) {
		p.Lines[s.Line].Got = max(p.Lines[s.Line].Got-s.N, 0)
	}
}

// View is a pack as it stands, a copy that a window can read while the pack goes on.
type View struct {
	OrderID   string
	Lines     []Line
	Got, Want int
	Weight    *Weight // taken and waiting for a decision
}

// View copies the pack's state.
func (p *Pack) View() View {
	v := View{OrderID: p.OrderID, Lines: slices.Clone(p.Lines)}
	v.Got, v.Want = p.Pieces()
	return v
}
