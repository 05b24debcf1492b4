package verify

import (
	"fmt"
	"testing"

	"station/printdata"
	"station/products"
)

// three lines, one of two pieces; a fourth product of the table is in no order.
var table = products.NewCatalog([]products.Product{
	{SkuID: "101", OuterID: "HM-0001", Barcodes: []string{"6901234567892"}, Name: "保温杯", WeightG: 350},
	{SkuID: "102", OuterID: "HM-0002", Barcodes: []string{"6901234567908"}, Name: "杯刷", WeightG: 40},
	{SkuID: "103", OuterID: "HM-0003", Barcodes: []string{"6901234567915"}, Name: "杯套", WeightG: 60},
	{SkuID: "104", OuterID: "HM-0004", Barcodes: []string{"6901234567922"}, Name: "茶叶", WeightG: 250},
})

func threeLines() *Pack {
	return New("1001", []printdata.Line{
		{SkuID: "101", Name: "保温杯", Quantity: 2},
		{SkuID: "102", Name: "杯刷", Quantity: 1},
		{OuterID: "hm-0003", Name: "杯套", Quantity: 1},
	}, table)
}

func counts(p *Pack) []int {
	var out []int
	for _, l := range p.Lines {
		out = append(out, l.Got)
	}
	return out
}

func TestRightItemsComplete(t *testing.T) {
	p := threeLines()
	for i, code := range []string{"6901234567892", "HM-0002", "6901234567892", " 6901234567915\r"} {
		if p.Complete() {
			t.Fatalf("complete after %d scans", i)
		}
		if s := p.Item(code); s.Outcome != Counted {
			t.Fatalf("scan %q: %v", code, s.Outcome)
		}
	}
	if !p.Complete() {
		t.Fatalf("not complete: %v", counts(p))
	}
	if got, want := p.Pieces(); got != 4 || want != 4 {
		t.Errorf("pieces %d/%d", got, want)
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	for _, tc := range []struct {
		name, before, code string
		want               Outcome
	}{
		{"wrong item", "", "6901234567922", Wrong},
		{"surplus", "HM-0002", "6901234567908", Surplus},
		{"unknown code", "", "6909999999999", Unknown},
		{"quantity first", "", "+2", NoLine},
		{"quantity over", "HM-0001", "+2", Surplus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := threeLines()
			if tc.before != "" {
				p.Item(tc.before)
			}
			before := counts(p)
			s := p.Item(tc.code)
			if s.Outcome != tc.want {
				t.Fatalf("outcome %v, want %v", s.Outcome, tc.want)
			}
			if after := counts(p); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("counts %v → %v", before, after)
			}
		})
	}
}

func TestQuantityCodeCountsTheLastLine(t *testing.T) {
	p := threeLines()
	p.Item("HM-0001")
	if s := p.Item("+1"); s.Outcome != Counted || s.Line != 0 {
		t.Fatalf("+1: %+v", s)
	}
	if p.Lines[0].Got != 2 {
		t.Errorf("line 0 has %d", p.Lines[0].Got)
	}
	for _, bad := range []string{"+0", "+1000", "+", "1", "++2"} {
		if _, ok := Quantity(bad); ok {
			t.Errorf("%q taken as a quantity", bad)
		}
	}
}

func TestRestoreAndMerge(t *testing.T) {
	p := New("1", []printdata.Line{{SkuID: "101", Quantity: 1}, {SkuID: "101", Quantity: 2}, {SkuID: "999", Name: "赠品", Quantity: 1}, {SkuID: "102", Quantity: 0}}, table)
	if len(p.Lines) != 2 || p.Lines[0].Want != 3 || p.Lines[0].Name != "保温杯" {
		t.Fatalf("lines %+v", p.Lines)
	}
	if u := p.Uncoded(); len(u) != 1 || u[0].SkuID != "999" {
		t.Errorf("uncoded %+v", u)
	}
	p.Restore(map[string]int{"sku:101": 9, "sku:nope": 1})
	if p.Lines[0].Got != 3 {
		t.Errorf("restored %d, want capped at 3", p.Lines[0].Got)
	}
}

func TestWeight(t *testing.T) {
	p := threeLines() // 2×350 + 40 + 60 = 800 g
	for _, tc := range []struct {
		got  int
		want WeightCheck
	}{{800, WeightOK}, {900, WeightOK}, {901, Overweight}, {1250, Overweight}, {699, Underweight}} {
		w := p.CheckWeight(tc.got, DefaultTolerance)
		if w.Check != tc.want || w.ExpectedG != 800 || w.ToleranceG != 100 {
			t.Errorf("%d g: %+v, want %v", tc.got, w, tc.want)
		}
	}
	if w := New("2", []printdata.Line{{SkuID: "999", Quantity: 1}}, table).CheckWeight(500, DefaultTolerance); w.Check != WeightUnsure {
		t.Errorf("no unit weight: %v", w.Check)
	}
	if got := (Tolerance{Grams: 100, Percent: 10}).Of(5000); got != 500 {
		t.Errorf("10%% of 5 kg: %d", got)
	}
}

func TestToleranceFilled(t *testing.T) {
	for _, tc := range []struct{ in, want Tolerance }{
		{Tolerance{}, DefaultTolerance},
		{Tolerance{Grams: 150}, Tolerance{Grams: 150, Percent: DefaultTolerance.Percent}},
		{Tolerance{Percent: 5}, Tolerance{Grams: DefaultTolerance.Grams, Percent: 5}},
		{Tolerance{Grams: 30, Percent: 2}, Tolerance{Grams: 30, Percent: 2}},
	} {
		if got := tc.in.Filled(); got != tc.want {
			t.Errorf("%+v.Filled() = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
