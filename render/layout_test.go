package render

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"station/printdata"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Size
		err  bool
	}{
		{"", Size100x150, false},
		{"100x150", Size100x150, false},
		{" 100X180 ", Size100x180, false},
		{"76×130", Size76x130, false},
		{"100x100mm", Size100x100, false},
		{"4x6", Size{}, true},
		{"150x100", Size{}, true},
		{"abc", Size{}, true},
	} {
		got, err := ParseSize(tc.in)
		if tc.err {
			if !errors.Is(err, ErrUnknownSize) {
				t.Errorf("ParseSize(%q) err = %v, want ErrUnknownSize", tc.in, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestLayoutRefusesWhatItCannotPrint(t *testing.T) {
	wb := fixtures(t)[0].wb
	noID := *wb
	noID.OrderID = " \u200b\t"
	for _, tc := range []struct {
		name string
		wb   *printdata.Waybill
		opt  Options
		want string
	}{
		{"nil waybill", nil, Options{}, "no waybill"},
		{"no order id", &noID, Options{}, "no order id"},
		{"unknown size", wb, Options{Size: Size{"4x6", 101.6, 152.4}}, "unknown label size"},
		{"offset too large", wb, Options{OffsetX: 12}, "out of range"},
		{"offset NaN", wb, Options{OffsetY: math.NaN()}, "out of range"},
		{"package beyond count", wb, Options{Package: 4, Packages: 3}, "package 4 of 3"},
		{"package zero of many", wb, Options{Package: 0, Packages: 2}, "package 0 of 2"},
		{"package of one", wb, Options{Package: 2}, "single-parcel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := Layout(tc.wb, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Layout = %v, %v; want an error containing %q", l, err, tc.want)
			}
		})
	}
}

// fields maps each text field to its lines joined by a space (the first box of that field).
func fields(l *Label) map[string]string {
	m := map[string]string{}
	for _, b := range l.Boxes {
		if b.Kind == KindText {
			if _, ok := m[b.Field]; !ok {
				m[b.Field] = strings.Join(b.Lines, " ")
			}
		}
	}
	return m
}

func mustLayout(t *testing.T, wb *printdata.Waybill, opt Options) *Label {
	t.Helper()
	l, err := Layout(wb, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLayoutContentPerOrderType(t *testing.T) {
	fx := fixtures(t)
	lbp, sopl, sop := fx[0].wb, fx[1].wb, fx[2].wb
	for _, size := range Sizes {
		t.Run(size.Name, func(t *testing.T) {
			l := mustLayout(t, lbp, Options{Size: size})
			f := fields(l)
			for field, want := range map[string]string{
				"distribution-center": "北京马驹桥分拣中心",
				"sorting-code":        "010-A12-03",
				"order-id":            "230817593412",
				"site":                "北京朝阳望京营业部",
				"consignee-name":      "张晓明",
				"consignee-phones":    "13817578711 / 010-87636735",
				"cod":                 "代收货款 ¥79.50",
				"pickup-meaning":      "地铁自提",
				"level-meaning":       "高价值",
				"notify":              "送货前请电话联系",
				"items-total":         "共3件",
			} {
				if strings.ReplaceAll(f[field], " ", "") != strings.ReplaceAll(want, " ", "") {
					t.Errorf("%s = %q, want %q", field, f[field], want)
				}
			}
			if addr := strings.ReplaceAll(f["consignee-address"], " ", ""); addr != "北京市朝阳区望京街道阜通东大街6号院方恒国际中心A座2203室" {
				t.Errorf("address lines = %q, want the whole address", addr)
			}
			if cod := l.Field("cod"); len(cod) != 1 || !cod[0].Inverse || !cod[0].Bold {
				t.Errorf("COD amount is not prominent (inverse, bold): %+v", cod)
			}
			if len(l.Field("jd-barcode")) != 1 || len(l.Field("pickup-sign")) != 1 || len(l.Field("level-sign")) != 1 {
				t.Errorf("missing an image box")
			}
			if _, ok := f["invoice-title"]; ok {
				t.Errorf("LBP label has an invoice block")
			}

			l = mustLayout(t, sopl, Options{Size: size})
			f = fields(l)
			if f["sorting-code"] != "021-B07" || f["payment"] != "在线支付 · 无需收款" || f["pickup-meaning"] != "社区自提" {
				t.Errorf("SOPL fields: %q", f)
			}
			if _, ok := f["cod"]; ok {
				t.Errorf("prepaid order shows a COD amount")
			}

			l = mustLayout(t, sop, Options{Size: size})
			f = fields(l)
			for _, field := range []string{"sorting-code", "distribution-center", "site"} {
				if _, ok := f[field]; ok {
					t.Errorf("SOP label has %s", field)
				}
			}
			if f["freight"] != "运费 ¥8.00" || !strings.Contains(f["invoice-title"], "深圳市某某科技有限公司") ||
				!strings.Contains(f["invoice-detail"], "电子普通发票") || !strings.Contains(f["invoice-detail"], "明细") {
				t.Errorf("SOP invoice/freight: %q", f)
			}
		})
	}
}

func TestPrivacyMasksNameAndPhones(t *testing.T) {
	wb := fixtures(t)[0].wb
	l := mustLayout(t, wb, Options{Privacy: true})
	f := fields(l)
	if f["consignee-name"] != "张**" || f["consignee-phones"] != "138****8711 / 010-****6735" {
		t.Errorf("masked name/phones = %q / %q", f["consignee-name"], f["consignee-phones"])
	}
	for _, b := range l.Boxes {
		for _, line := range b.Lines {
			if strings.Contains(line, "晓明") || strings.Contains(line, "13817578711") || strings.Contains(line, "87636735") {
				t.Errorf("privacy label shows %q in %s", line, b.Field)
			}
		}
	}
	if !strings.Contains(f["consignee-address"], "北京市朝阳区") {
		t.Errorf("the courier still needs the address: %q", f["consignee-address"])
	}
}

func TestPackageNumber(t *testing.T) {
	fx := fixtures(t)
	if f := fields(mustLayout(t, fx[0].wb, Options{Package: 2, Packages: 3})); f["package"] != "包裹 2/3" {
		t.Errorf("LBP package = %q", f["package"])
	}
	if f := fields(mustLayout(t, fx[2].wb, Options{Package: 1, Packages: 2})); f["package"] != "包裹 1/2" {
		t.Errorf("SOP package = %q", f["package"])
	}
	if f := fields(mustLayout(t, fx[0].wb, Options{})); f["package"] != "" {
		t.Errorf("single parcel shows %q", f["package"])
	}
}

func TestOffsetMovesEveryBox(t *testing.T) {
	wb := fixtures(t)[0].wb
	a := mustLayout(t, wb, Options{})
	b := mustLayout(t, wb, Options{OffsetX: 1.5, OffsetY: -2})
	if len(a.Boxes) != len(b.Boxes) {
		t.Fatalf("offset changed the boxes: %d vs %d", len(a.Boxes), len(b.Boxes))
	}
	for i := range a.Boxes {
		if d := b.Boxes[i].X - a.Boxes[i].X; math.Abs(d-1.5) > 1e-9 {
			t.Errorf("box %d x moved %g", i, d)
		}
		if d := b.Boxes[i].Y - a.Boxes[i].Y; math.Abs(d+2) > 1e-9 {
			t.Errorf("box %d y moved %g", i, d)
		}
	}
}

func TestItemsShortenedAndCounted(t *testing.T) {
	wb := *fixtures(t)[1].wb
	wb.ItemsCount = 0 // absent: the sum of quantities
	wb.Items = nil
	for i := 0; i < 40; i++ {
		wb.Items = append(wb.Items, printdata.Item{Name: strings.Repeat("超长商品名称", 10), Quantity: 2})
	}
	for _, size := range Sizes {
		l := mustLayout(t, &wb, Options{Size: size})
		f := fields(l)
		if f["items-total"] != "共80件" {
			t.Errorf("%s: total = %q", size, f["items-total"])
		}
		items := l.Field("item")
		if len(items) == 0 || len(items) >= 40 {
			t.Fatalf("%s: %d item lines for 40 items", size, len(items))
		}
		for _, it := range items {
			if !strings.HasSuffix(it.Lines[0], "…") {
				t.Errorf("%s: long item name not ellipsized: %q", size, it.Lines[0])
			}
		}
		if want := "……另有" + strconv.Itoa(40-len(items)) + "种商品未列出"; f["items-more"] != want {
			t.Errorf("%s: more = %q, want %q", size, f["items-more"], want)
		}
	}
}

func TestBarcodeModuleIsWholeDots(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, size := range Sizes {
			l := mustLayout(t, fx.wb, Options{Size: size})
			bc := l.Field("order-barcode")
			if len(bc) != 1 {
				t.Fatalf("%s %s: %d order barcodes", fx.name, size, len(bc))
			}
			b := bc[0]
			dots := b.Module / dotMM
			if dots < 2 || math.Abs(dots-math.Round(dots)) > 1e-9 {
				t.Errorf("%s %s: module %g mm is not a whole number (≥2) of 203-dpi dots", fx.name, size, b.Module)
			}
			if x := b.X / dotMM; math.Abs(x-math.Round(x)) > 1e-9 {
				t.Errorf("%s %s: barcode starts off the dot grid at %g mm", fx.name, size, b.X)
			}
			if w := float64(len(b.Modules)+2*QuietModules) * b.Module; math.Abs(w-b.W) > 1e-9 {
				t.Errorf("%s %s: box %g mm wide for %g mm of symbol and quiet zones", fx.name, size, b.W, w)
			}
			if b.Data != fx.wb.OrderID {
				t.Errorf("barcode data %q", b.Data)
			}
		}
	}
}

func TestImagesKeepTheirAspectRatio(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, size := range Sizes {
			l := mustLayout(t, fx.wb, Options{Size: size})
			for _, b := range l.Boxes {
				if b.Kind != KindImage {
					continue
				}
				px := b.Image.Bounds()
				if got, want := b.W/b.H, float64(px.Dx())/float64(px.Dy()); math.Abs(got-want) > 1e-9 {
					t.Errorf("%s %s %s: drawn %gx%g mm for %dx%d px", fx.name, size, b.Field, b.W, b.H, px.Dx(), px.Dy())
				}
			}
		}
	}
}

func TestFitShrinksThenWrapsThenEllipsizes(t *testing.T) {
	st := style{max: 12, min: 8, lines: 1}
	short := fit("北京", 50, 10, st)
	if short.size != 12 || len(short.lines) != 1 {
		t.Errorf("short text: %+v", short)
	}
	// 16 ideographs = 16 em: at 12 pt (4.23 mm/em) 67.7 mm, at 8 pt 45.2 mm.
	s := strings.Repeat("京", 16)
	shrunk := fit(s, 50, 10, st)
	if len(shrunk.lines) != 1 || shrunk.size >= 12 || shrunk.size < 8 {
		t.Errorf("text a bit too long should shrink on one line: %+v", shrunk)
	}
	long := strings.Repeat("京", 30)
	wrapped := fit(long, 50, 10, st)
	if wrapped.size != 8 || len(wrapped.lines) != 2 || strings.Join(wrapped.lines, "") != long {
		t.Errorf("text too long at the floor should wrap at the floor: %+v", wrapped)
	}
	cut := fit(strings.Repeat("京", 200), 50, 10, st)
	if cut.size != 8 || len(cut.lines) != 2 || !strings.HasSuffix(cut.lines[1], "…") {
		t.Errorf("text too long for the box should end in an ellipsis: %+v", cut)
	}
	for _, f := range []fitted{short, shrunk, wrapped, cut} {
		for _, line := range f.lines {
			if w := widthEm(line, false) * f.size * PtToMM; w > 50+1e-9 {
				t.Errorf("line %q is %g mm in a 50 mm box", line, w)
			}
		}
		if f.height() > 10+1e-9 {
			t.Errorf("%d lines at %gpt overflow 10 mm", len(f.lines), f.size)
		}
	}
}

func TestWrapBreaksAtSpacesAndKeepsPunctuation(t *testing.T) {
	// "hello world" must not break inside a word when a space allows.
	lines := wrap("hello wonderful world", widthEm("hello wonderful", false)+0.01, false, 10)
	if strings.Join(lines, "|") != "hello wonderful|world" {
		t.Errorf("wrap = %q", lines)
	}
	// A closing comma never starts a line: it goes down with the ideograph before it.
	lines = wrap("北京，上海", widthEm("北京", false)+0.01, false, 10)
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "，") {
			t.Errorf("line starts with closing punctuation: %q", lines)
		}
	}
	// A single word longer than the line breaks where it must, losing nothing.
	lines = wrap("13800138000138001380", widthEm("1380013", false), false, 10)
	if strings.Join(lines, "") != "13800138000138001380" || len(lines) < 3 {
		t.Errorf("long word = %q", lines)
	}
}

func TestCleanReplacesWhatNoFontDraws(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"张三", "张三"},
		{"  张\t三\n\r李  ", "张 三 李"},
		{"a\x00b\x1bc\u0085d", "a b c d"},
		{"bad \xff\xfe utf8", "bad □□ utf8"},
		{"emoji 😀 ok", "emoji □ ok"},
		{"❤️", "□"},                      // the variation selector goes, the heart has no glyph
		{"a\u200db\u202ec\ufeff", "abc"}, // zero-width joiner, bidi override, BOM
		{"\U00020000", "□"},              // CJK extension B: outside the fonts
		{"\ue000", "□"},                  // private use
		{"全角　空格", "全角　空格"},
		{"¥79.50 × 2 …", "¥79.50 × 2 …"},
	} {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := clean(strings.Repeat("长", 5000))
	if n := len([]rune(long)); n != maxTextRunes+1 || !strings.HasSuffix(long, "…") {
		t.Errorf("very long text: %d runes", n)
	}
}

// Without a sorting code, the distribution center fills the sorting block: the sorting staff go by it.
func TestNoSortingCodeEnlargesTheCenter(t *testing.T) {
	wb := *fixtures(t)[0].wb
	with := mustLayout(t, &wb, Options{}).Field("distribution-center")[0]
	wb.SortingCode = ""
	l := mustLayout(t, &wb, Options{})
	without := l.Field("distribution-center")[0]
	if without.Size <= with.Size || len(l.Field("sorting-code")) != 0 {
		t.Errorf("center at %gpt with a code, %gpt without", with.Size, without.Size)
	}
}
