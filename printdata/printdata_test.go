package printdata

import (
	"errors"
	"image"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"station/jos"
)

func china(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, jos.ChinaTime)
}

// The seed's samples carry truncated images; these are the exact strings, replaced by real
// images where a test needs the rest of the waybill.
const (
	seedLBPPickUpSign  = "R0lGODlhKAAoAPeCAE11pYsryAJ0OvKBT1gRAYC+MWtABkYUVxSAQEAOw=="
	seedLBPGenerade    = "/9j/4AAQSkZJRgABAgEBKgdfhooAKKKKACiooooAKKKKACiiigAooooA//Z"
	seedSOPLPickUpSign = "R0lGODlhKAAoAR88sVEBkMCUOvgRAYC+MWtABkYUVxSAQEAOw=="
	seedSOPLGenerade   = "/9j/4AAQSkZJRgABUUAFFFFARRRQAUUUUAFFFFABRRRQAUUUUAFFFFAH//Z"
	seedGenericGen     = "/9j/4AAQSkZJRgABAgEBLAEsAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UH"
)

type imgSize struct{ w, h int }

func sizeOf(img image.Image) *imgSize {
	if img == nil {
		return nil
	}
	return &imgSize{img.Bounds().Dx(), img.Bounds().Dy()}
}

// TestSeedSamples: the seed's SOP, LBP, SOPL and generic bodies (made valid JSON, quirks kept:
// "Consignee", "ware", a numeric pickUpSign_type, trailing spaces) normalize to the values the
// reference documents.
func TestSeedSamples(t *testing.T) {
	barcode := b64(jpegBytes(t, 160, 50))
	sign := b64(gifBytes(t, 40, 40))
	// The SOP sample read with two pay_types: only COD may differ.
	sopSample := func(cod bool) Waybill {
		return Waybill{
			OrderID: "240000019", Type: SOP, COD: cod,
			CreatedAt: china(2012, 5, 11, 11, 42, 22), OutboundAt: china(2012, 6, 4, 16, 48, 38),
			DeliveryTime: "工作日、双休日与假日均可送货",
			Remark:       "售后返修发货返修号7528545#返修发货#原订单号:205813512",
			ShouldPay:    9000, ItemsCount: 2,
			Items: []Item{{WareID: "1001671149", Name: "cuteway2012夏装新品 净色女士短袖无袖T恤工字背心 小吊带 2件套餐 912615001",
				Quantity: 2, UnitPrice: 9000, Subtotal: 18000}},
			Consignee: Consignee{Name: "刘海林", Phone: "010-87636735", Mobile: "13717578711", Address: "北京昌平水关新村3号楼4单元302"},
			Invoice:   &Invoice{Title: "个人", Type: "普通发票", Content: "明细"},
		}
	}
	for _, tc := range []struct {
		name     string
		file     string
		typ      OrderType
		payType  string
		replace  map[string]string
		want     Waybill
		barcode  *imgSize
		pickSign *imgSize
	}{
		{
			name: "SOP", file: "sop_printdata.json", typ: SOP, payType: "4-在线支付", want: sopSample(false),
		},
		{
			name: "SOP cash on delivery by pay_type", file: "sop_printdata.json", typ: SOP, payType: "1-货到付款",
			want: sopSample(true),
		},
		{
			name: "LBP", file: "lbp_printdata.json", typ: LBP,
			replace: map[string]string{seedLBPPickUpSign: sign, seedLBPGenerade: barcode},
			want: Waybill{
				OrderID: "610000455", Type: LBP,
				CreatedAt: china(2012, 5, 30, 10, 26, 0), OutboundAt: china(2012, 5, 31, 18, 33, 21),
				DeliveryTime: "只工作日送货(双休日、假日不用送)", Remark: "当日配送,17日下午6点前送达",
				DistributionCenter: "LBP - 上海", PaymentType: "货到付款", COD: true, ShouldPay: 7950, ItemsCount: 1,
				Items: []Item{{WareID: "1000259802", Name: "鲜花速递 唯一 11枝粉玫瑰花束 高档包装 指定日期鲜花送上门 最佳女友生日礼物  非节日时间",
					Quantity: 1, UnitPrice: 11600, Subtotal: 11600}},
				Consignee: Consignee{Phone: "010-12345678", Mobile: "18612345678", Address: "北京海淀区三环到四环之间广东省广州市天河区中旅大厦30B"},
				Pickup:    PickupSubway,
			},
			barcode: &imgSize{160, 50}, pickSign: &imgSize{40, 40},
		},
		{
			name: "SOPL", file: "sopl_printdata.json", typ: SOPL,
			replace: map[string]string{seedSOPLPickUpSign: sign, seedSOPLGenerade: barcode},
			want: Waybill{
				OrderID: "620000566", Type: SOPL,
				CreatedAt: china(2012, 5, 30, 10, 26, 0), OutboundAt: china(2012, 5, 31, 15, 19, 30),
				DeliveryTime: "只工作日送货(双休日、假日不用送)", Remark: "当日配送,17日下午6点前送达",
				DistributionCenter: "SOPL - 上海", PaymentType: "货到付款", COD: true, ShouldPay: 7950, ItemsCount: 1,
				Items: []Item{{WareID: "1000259802", Name: "鲜花速递 唯一 11枝粉玫瑰花束 高档包装 指定日期鲜花送上门 最佳女友生日礼物  非节日时间",
					Quantity: 1, UnitPrice: 11600, Subtotal: 11600}},
				Consignee: Consignee{Phone: "010-12345678", Mobile: "18612345678", Address: "北京昌平水关新村3号楼4单元302"},
				Pickup:    PickupSubway,
			},
			barcode: &imgSize{160, 50}, pickSign: &imgSize{40, 40},
		},
		{
			name: "generic", file: "generic_printdata.json", typ: LBP,
			replace: map[string]string{seedGenericGen: barcode},
			want: Waybill{
				OrderID: "25003765", Type: LBP,
				CreatedAt: china(2011, 4, 29, 16, 34, 0), OutboundAt: china(2011, 8, 5, 14, 47, 49),
				DeliveryTime:       "只双休日、假日送货(工作日不用送)",
				DistributionCenter: "LBP - 北京", Site: "中关村自提点", PaymentType: "自提", ShouldPay: 29700,
				ItemsCount: 1, // as JD counts it, although the line says 3
				Items:      []Item{{WareID: "1100038509", Name: "圆领印花T恤  XXL", Quantity: 3, UnitPrice: 9900, Subtotal: 29700}},
				Consignee:  Consignee{Name: "ochirly", Phone: "010-12345678", Mobile: "13800000000", Address: "北京海淀区三环到四环之间广东省广州市天河区中旅大厦30A"},
			},
			barcode: &imgSize{160, 50},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := readTestdata(t, tc.file)
			for from, to := range tc.replace {
				if !strings.Contains(body, from) {
					t.Fatalf("testdata lost the seed image %.20s…", from)
				}
				body = strings.ReplaceAll(body, from, to)
			}
			f := NewFetcher(nil)
			method, _ := printDataMethod(tc.typ)
			w, err := f.decodeWaybill(tc.want.OrderID, tc.typ, method, []byte(body), tc.payType)
			if err != nil {
				t.Fatal(err)
			}
			if got := sizeOf(w.JDBarcode); !reflect.DeepEqual(got, tc.barcode) {
				t.Errorf("JDBarcode = %v, want %v", got, tc.barcode)
			}
			if got := sizeOf(w.PickupSign); !reflect.DeepEqual(got, tc.pickSign) {
				t.Errorf("PickupSign = %v, want %v", got, tc.pickSign)
			}
			if w.LevelSign != nil {
				t.Errorf("LevelSign = %v, want none", sizeOf(w.LevelSign))
			}
			got := *w
			got.JDBarcode, got.PickupSign, got.LevelSign = nil, nil, nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("waybill\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestSeedImagesAreRefused: the seed's own images are truncated; the error names the order and
// the field, and is an *ImageError.
func TestSeedImagesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		file, id, field, msg string
		typ                  OrderType
	}{
		{"lbp_printdata.json", "610000455", "generade", "broken JPEG image", LBP},
		{"sopl_printdata.json", "620000566", "generade", "broken JPEG image", SOPL},
		{"generic_printdata.json", "25003765", "generade", "bad base64", LBP}, // 69 characters: cut mid-quantum
	} {
		method, _ := printDataMethod(tc.typ)
		_, err := NewFetcher(nil).decodeWaybill(tc.id, tc.typ, method, []byte(readTestdata(t, tc.file)), "")
		var ie *ImageError
		if !errors.As(err, &ie) {
			t.Errorf("%s: error %v, want an *ImageError", tc.file, err)
			continue
		}
		want := "order " + tc.id + ": " + tc.field + ": " + tc.msg
		if ie.Field != tc.field || ie.OrderID != tc.id || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: error %q, want it to start with %q", tc.file, err, want)
		}
	}
	// The pickup sign alone: the GIF of the LBP sample is cut mid-quantum too.
	body := strings.ReplaceAll(readTestdata(t, "lbp_printdata.json"), seedLBPGenerade, "")
	_, err := NewFetcher(nil).decodeWaybill("610000455", LBP, methodLBPPrintData, []byte(body), "")
	if err == nil || !strings.HasPrefix(err.Error(), "order 610000455: pickUpSign: bad base64") {
		t.Errorf("truncated pickUpSign: %v", err)
	}
}

// TestPrintDataQuirks: one JOS quirk per case, each decoded deliberately.
func TestPrintDataQuirks(t *testing.T) {
	wrap := func(pd string) string { return `{"code":"0","order_printdata":{"id":"1001",` + pd + `}}` }
	for _, tc := range []struct {
		name  string
		body  string
		check func(w *Waybill) bool
	}{
		{"lower-case consignee", wrap(`"consignee":{"cons_name":"王五"}`),
			func(w *Waybill) bool { return w.Consignee.Name == "王五" }},
		{"both casings, empty one first", wrap(`"Consignee":{},"consignee":{"cons_name":"王五"}`),
			func(w *Waybill) bool { return w.Consignee.Name == "王五" }},
		{"both casings, empty one last", wrap(`"consignee":{"cons_name":"王五"},"Consignee":{"cons_name":""}`),
			func(w *Waybill) bool { return w.Consignee.Name == "王五" }},
		{"both casings filled: the documented one wins in either order", wrap(`"Consignee":{"cons_name":"甲"},"consignee":{"cons_name":"乙"}`),
			func(w *Waybill) bool { return w.Consignee.Name == "乙" }},
		{"both casings filled, reversed", wrap(`"consignee":{"cons_name":"乙"},"Consignee":{"cons_name":"甲"}`),
			func(w *Waybill) bool { return w.Consignee.Name == "乙" }},
		{"ware_id preferred over ware", wrap(`"order_item":[{"ware":"1","ware_id":"2","num":1}]`),
			func(w *Waybill) bool { return w.Items[0].WareID == "2" }},
		{"ware when ware_id is empty", wrap(`"order_item":[{"ware_id":"","ware":"1","num":1}]`),
			func(w *Waybill) bool { return w.Items[0].WareID == "1" }},
		{"numeric ware id beyond float64", wrap(`"order_item":[{"ware_id":12345678901234567890,"num":"1"}]`),
			func(w *Waybill) bool { return w.Items[0].WareID == "12345678901234567890" }},
		{"invoice_Title", wrap(`"invoice_Title":"某某公司","invoice_type":"普通发票"`),
			func(w *Waybill) bool { return w.Invoice != nil && w.Invoice.Title == "某某公司" }},
		{"no invoice", wrap(`"invoice_title":"","invoice_type":" "`),
			func(w *Waybill) bool { return w.Invoice == nil }},
		{"numeric id", `{"code":"0","order_printdata":{"id":1001}}`,
			func(w *Waybill) bool { return w.OrderID == "1001" }},
		{"pickUpSign_type as a string", wrap(`"pickUpSign_type":"3"`),
			func(w *Waybill) bool { return w.Pickup == PickupNeighbour }},
		{"orderLevel_Type empty", wrap(`"orderLevel_Type":""`),
			func(w *Waybill) bool { return w.Level == LevelNone }},
		{"orderLevel_type other casing", wrap(`"orderLevel_type":3`),
			func(w *Waybill) bool { return w.Level == LevelHighValue }},
		{"items_count missing: sum of quantities", wrap(`"order_item":[{"num":"2"},{"num":3}]`),
			func(w *Waybill) bool { return w.ItemsCount == 5 }},
		{"items_count empty: sum of quantities", wrap(`"items_count":"","order_item":[{"num":"2"},{"num":" 3 "}]`),
			func(w *Waybill) bool { return w.ItemsCount == 5 }},
		{"items_count as a number", wrap(`"items_count":7,"order_item":[{"num":"2"}]`),
			func(w *Waybill) bool { return w.ItemsCount == 7 }},
		{"empty amounts", wrap(`"should_pay":"","freight":"","order_item":[{"jd_price":"","price":""}]`),
			func(w *Waybill) bool { return w.ShouldPay == 0 && w.Freight == 0 && w.Items[0].UnitPrice == 0 }},
		{"freight", wrap(`"freight":"12.5"`),
			func(w *Waybill) bool { return w.Freight == 1250 }},
		{"notify before delivery", wrap(`"bf_deli_good_glag":"是 "`),
			func(w *Waybill) bool { return w.NotifyBeforeDelivery }},
		{"trailing spaces", wrap(`"consignee":{"cons_handset":"13800000000    ","cons_address":" 北京 "},"sorting_code":" A12 "`),
			func(w *Waybill) bool {
				return w.Consignee.Mobile == "13800000000" && w.Consignee.Address == "北京" && w.SortingCode == "A12"
			}},
		{"unknown fields", wrap(`"new_field":{"x":[1,2]},"extra":null`),
			func(w *Waybill) bool { return w.OrderID == "1001" }},
		{"zero times", wrap(`"create_date":"0001-01-01 00:00:00","out_bound_date":"1970-01-01 00:00:00"`),
			func(w *Waybill) bool { return w.CreatedAt.IsZero() && w.OutboundAt.IsZero() }},
		{"null body fields", wrap(`"order_item":null,"consignee":null,"generade":null`),
			func(w *Waybill) bool { return len(w.Items) == 0 && w.JDBarcode == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewFetcher(nil).decodeWaybill("1001", SOP, methodSOPPrintData, []byte(tc.body), "")
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(w) {
				t.Errorf("%s: got %+v", tc.body, *w)
			}
		})
	}
}

// TestPrintDataMalformed: bodies that cannot be used give a *jos.Error of kind malformed that
// names the order and the field, and no waybill.
func TestPrintDataMalformed(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"amount", `{"order_printdata":{"id":"1001","should_pay":"abc"}}`, "should_pay"},
		{"item amount", `{"order_printdata":{"id":"1001","order_item":[{"price":"1.2.3"}]}}`, "order_item[0].price"},
		{"count", `{"order_printdata":{"id":"1001","items_count":"two"}}`, "items_count"},
		{"negative quantity", `{"order_printdata":{"id":"1001","order_item":[{"num":-1}]}}`, "order_item[0].num"},
		{"time", `{"order_printdata":{"id":"1001","create_date":"yesterday"}}`, "create_date"},
		{"object for text", `{"order_printdata":{"id":"1001","remark":{"a":1}}}`, "remark"},
		{"list of non-objects", `{"order_printdata":{"id":"1001","order_item":["x"]}}`, "order_item[0]"},
		{"no print data", `{"code":"0"}`, "no order_printdata"},
		{"another order", `{"order_printdata":{"id":"1002"}}`, "order 1002"},
		{"not an object", `[1,2]`, "expected an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewFetcher(nil).decodeWaybill("1001", SOP, methodSOPPrintData, []byte(tc.body), "")
			if err == nil {
				t.Fatalf("accepted: %+v", w)
			}
			var je *jos.Error
			if !errors.As(err, &je) || je.Kind != jos.KindMalformed || je.Method != methodSOPPrintData {
				t.Errorf("error %v (%T), want a malformed *jos.Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), "order 1001: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want the order and %q", err, tc.want)
			}
		})
	}
	// A business code inside the body is a JOS error: a refusal, since no words say more.
	_, err := NewFetcher(nil).decodeWaybill("1001", SOP, methodSOPPrintData, []byte(`{"code":"10100001"}`), "")
	if jos.KindOf(err) != jos.KindRefused {
		t.Errorf("code 10100001: %v, want refused", err)
	}
	if _, err := NewFetcher(nil).decodeWaybill("1001", SOP, methodSOPPrintData, []byte(`{"code":"12"}`), ""); jos.KindOf(err) != jos.KindCredentials {
		t.Errorf("code 12: %v, want credentials", err)
	}
}

// TestMissingOptionalImages: SOP print data usually has no generade, and most orders have no
// signs; that is not an error.
func TestMissingOptionalImages(t *testing.T) {
	for _, body := range []string{
		`{"order_printdata":{"id":"1001"}}`,
		`{"order_printdata":{"id":"1001","generade":"","pickUpSign":" ","orderLevelSign":null}}`,
	} {
		w, err := NewFetcher(nil).decodeWaybill("1001", LBP, methodLBPPrintData, []byte(body), "")
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if w.JDBarcode != nil || w.PickupSign != nil || w.LevelSign != nil {
			t.Errorf("%s: images appeared", body)
		}
	}
}

// TestImageErrorsNameFieldAndOrder: every image field reports its own name.
func TestImageErrorsNameFieldAndOrder(t *testing.T) {
	notImage := b64([]byte("hello, this is text"))
	for _, tc := range []struct{ field, value, want string }{
		{"generade", "%%%not base64%%%", "order 2400001234: generade: bad base64"},
		{"generade", notImage, "order 2400001234: generade: not a JPEG/GIF/PNG image"},
		{"pickUpSign", b64(gifBytes(t, 40, 40)[:30]), "order 2400001234: pickUpSign: broken GIF image"},
		{"orderLevelSign", b64(pngBytes(t, 20, 20)[:40]), "order 2400001234: orderLevelSign: broken PNG image"},
		{"orderLevelSign", b64(pngHeader(100000, 100000)), "order 2400001234: orderLevelSign: image too large"},
	} {
		body := `{"order_printdata":{"id":"2400001234","` + tc.field + `":"` + tc.value + `"}}`
		_, err := NewFetcher(nil).decodeWaybill("2400001234", LBP, methodLBPPrintData, []byte(body), "")
		var ie *ImageError
		if !errors.As(err, &ie) || ie.Field != tc.field || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s=%.20q: error %v, want %q…", tc.field, tc.value, err, tc.want)
		}
	}
}

func TestDecodeImage(t *testing.T) {
	p, g, j := pngBytes(t, 30, 20), gifBytes(t, 40, 40), jpegBytes(t, 64, 32)
	lim := DefaultImageLimits
	for _, tc := range []struct {
		name string
		in   string
		want *imgSize
		err  string
	}{
		{"empty", "", nil, ""},
		{"blank", "  \n", nil, ""},
		{"png", b64(p), &imgSize{30, 20}, ""},
		{"gif", b64(g), &imgSize{40, 40}, ""},
		{"jpeg", b64(j), &imgSize{64, 32}, ""},
		{"no padding", strings.TrimRight(b64(p), "="), &imgSize{30, 20}, ""},
		{"url-safe", strings.NewReplacer("+", "-", "/", "_").Replace(b64(j)), &imgSize{64, 32}, ""},
		{"data url", "data:image/png;base64," + b64(p), &imgSize{30, 20}, ""},
		{"data url upper case", "DATA:image/gif;BASE64," + b64(g), &imgSize{40, 40}, ""},
		{"wrapped lines", wrapLines(b64(j), 76), &imgSize{64, 32}, ""},
		{"data url not base64", "data:image/png," + b64(p), nil, "not base64"},
		{"bad base64", "ab$d", nil, "bad base64"},
		{"mixed alphabets", "ab+d-f==", nil, "bad base64"},
		{"text", b64([]byte("<html>")), nil, "not a JPEG/GIF/PNG image"},
		{"truncated jpeg", b64(j[:len(j)/2]), nil, "broken JPEG image"},
		{"truncated png", b64(p[:len(p)-20]), nil, "broken PNG image"},
		{"png claiming 100000x100000", b64(pngHeader(100000, 100000)), nil, "image too large"},
		{"png over the pixel budget", b64(pngHeader(4000, 2001)), nil, "image too large"},
		{"png of zero width", b64(pngHeader(0, 10)), nil, "broken PNG image"},
		{"gif claiming 60000x60000", b64(gifHeader(60000, 60000)), nil, "image too large"},
		{"encoded too long", strings.Repeat("A", lim.MaxEncoded+1), nil, "image too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := decodeImage(tc.in, lim)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if img != nil {
					t.Error("an image came with the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sizeOf(img); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("size %v, want %v", got, tc.want)
			}
		})
	}
}

func wrapLines(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

// TestHugeImageHeaderDoesNotAllocate: a header claiming 100000x100000 pixels (40 GB as RGBA)
// is refused from the header, before any pixel buffer exists.
func TestHugeImageHeaderDoesNotAllocate(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"png", pngHeader(100000, 100000)},
		{"gif", gifHeader(65535, 65535)},
	} {
		s := b64(tc.b)
		var err error
		allocs := testing.AllocsPerRun(5, func() { _, err = decodeImage(s, DefaultImageLimits) })
		if !errors.Is(err, ErrImageTooLarge) {
			t.Errorf("%s: error %v, want ErrImageTooLarge", tc.name, err)
		}
		// Header parsing takes a few small allocations; a pixel buffer would be one huge one,
		// which AllocsPerRun does not see, so check the bytes too.
		if allocs > 100 {
			t.Errorf("%s: %v allocations", tc.name, allocs)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		decodeImage(s, DefaultImageLimits)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: %d bytes allocated, want a header's worth", tc.name, n)
		}
	}
}

func TestParseFen(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Fen
		err  bool
	}{
		{"297.00", 29700, false},
		{"79.5", 7950, false},
		{"79.50", 7950, false},
		{"0", 0, false},
		{"", 0, false},
		{"  ", 0, false},
		{" 15643.10 ", 1564310, false},
		{"1,299.00", 129900, false},
		{"12,345,678.9", 1234567890, false},
		{"¥12.30", 1230, false},
		{"-1.00", -100, false},
		{"+3", 300, false},
		{".5", 50, false},
		{"5.", 500, false},
		{"0.01", 1, false},
		{"1.100", 110, false},
		{"92233720368547758.07", 9223372036854775807, false},
		{"92233720368547758.08", 0, true},
		{"1.005", 0, true},
		{"12,99.00", 0, true},
		{"1,2999", 0, true},
		{",100", 0, true},
		{"abc", 0, true},
		{"1.2.3", 0, true},
		{"1e3", 0, true},
		{"-", 0, true},
		{".", 0, true},
		{"1 000", 0, true},
		{"0x10", 0, true},
	} {
		got, err := parseFen(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseFen(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestFenString(t *testing.T) {
	for _, tc := range []struct {
		f    Fen
		want string
	}{{0, "0.00"}, {7950, "79.50"}, {1, "0.01"}, {-250, "-2.50"}, {129900, "1299.00"}} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("Fen(%d) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"2012-05-30 10:26:00", china(2012, 5, 30, 10, 26, 0), false},
		{" 2012-05-30 10:26:00 ", china(2012, 5, 30, 10, 26, 0), false},
		{"2012-05-30 10:26:00.0", china(2012, 5, 30, 10, 26, 0), false},
		{"2012-05-30 10:26", china(2012, 5, 30, 10, 26, 0), false},
		{"2012-05-30", china(2012, 5, 30, 0, 0, 0), false},
		{"", time.Time{}, false},
		{"0001-01-01 00:00:00", time.Time{}, false},
		{"1970-01-01 00:00:00", time.Time{}, false},
		{"1970-01-01 00:00:00.0", time.Time{}, false},
		{"yesterday", time.Time{}, true},
		{"2012-13-01 00:00:00", time.Time{}, true},
	} {
		got, err := parseTime(tc.in)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	// China time, whatever the machine's zone: 10:26 in Beijing is 02:26 UTC.
	got, _ := parseTime("2012-05-30 10:26:00")
	if u := got.UTC(); u.Hour() != 2 || u.Minute() != 26 {
		t.Errorf("2012-05-30 10:26:00 is %v UTC, want 02:26", u)
	}
}

func TestParseOrderType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want OrderType
		err  bool
	}{
		{"sop", SOP, false}, {"SOP", SOP, false}, {"22", SOP, false},
		{"lbp", LBP, false}, {" LBP ", LBP, false}, {"23", LBP, false},
		{"sopl", SOPL, false}, {"Sopl", SOPL, false}, {"25", SOPL, false},
		{"auto", "", false}, {"", "", false},
		{"fbp", "", true}, {"21", "", true}, {"sop,lbp", "", true},
	} {
		got, err := ParseOrderType(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseOrderType(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
