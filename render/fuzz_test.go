package render

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"station/printdata"
)

// fuzzWaybill builds a waybill from fuzz input: every text field from the strings, counts and
// flags from the numbers.
func fuzzWaybill(id, name, addr, text string, n uint16, flags uint8) *printdata.Waybill {
	types := []printdata.OrderType{printdata.SOP, printdata.LBP, printdata.SOPL, "", "FBP"}
	w := &printdata.Waybill{
		OrderID:              id,
		Type:                 types[int(flags)%len(types)],
		DeliveryTime:         text,
		NotifyBeforeDelivery: flags&8 != 0,
		Remark:               strings.Repeat(text, int(n%7)),
		DistributionCenter:   name + text,
		SortingCode:          text,
		Site:                 addr,
		PaymentType:          name,
		COD:                  flags&16 != 0,
		ShouldPay:            printdata.Fen(int64(n) * 1234567),
		Freight:              printdata.Fen(-int64(n)),
		ItemsCount:           int(n) - 100,
		Consignee:            printdata.Consignee{Name: name, Phone: text, Mobile: id + name, Address: addr},
		Pickup:               printdata.PickupType(n % 6),
		Level:                printdata.OrderLevel(n % 7),
	}
	if flags&32 != 0 {
		w.CreatedAt = time.Unix(int64(n)*86400, 0)
		w.OutboundAt = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	}
	if flags&64 != 0 {
		w.Invoice = &printdata.Invoice{Title: addr, Type: text, Content: name}
	}
	if flags&128 != 0 {
		w.JDBarcode = image.NewGray(image.Rect(0, 0, 1+int(n%2000), 1+int(n/7%300)))
		w.PickupSign = image.NewPaletted(image.Rect(0, 0, 1+int(n%500), 1), nil)
		if n%3 == 0 {
			w.PickupSign = &image.Paletted{Pix: []uint8{0, 7, 200}, Stride: 3, Rect: image.Rect(0, 0, 3, 1), Palette: color.Palette{nil, color.Black}}
		}
		w.LevelSign = image.NewRGBA(image.Rect(0, 0, 1, 1+int(n%900)))
	}
	for i := 0; i < int(n%300); i++ {
		w.Items = append(w.Items, printdata.Item{Name: text + name, WareID: id, Quantity: int(n) - 50 + i})
	}
	return w
}

func checkLayout(t *testing.T, w *printdata.Waybill, opt Options) *Label {
	l, err := Layout(w, opt)
	if errors.Is(err, ErrNoOrderID) && clean(w.OrderID) == "" {
		return nil
	}
	if err != nil {
		t.Fatalf("Layout: %v", err)
	}
	if err := l.validate(opt.OffsetX, opt.OffsetY); err != nil {
		t.Fatalf("invalid layout: %v", err)
	}
	return l
}

func FuzzLayout(f *testing.F) {
	f.Add("230817593412", "张晓明", "北京市朝阳区望京街道", "只工作日送货", uint16(3), uint8(0xFF))
	f.Add("", "", "", "", uint16(0), uint8(0))
	f.Add("1", "\xff\xfe", "😀😀😀\u200d\u202e", "\x00\x01\t\n", uint16(299), uint8(17))
	f.Add(strings.Repeat("9", 80), strings.Repeat("欧阳", 200), strings.Repeat("很长的地址", 400), strings.Repeat("x", 3000), uint16(65535), uint8(0x7F))
	f.Add("ÿ订单", "𠀀𠀁", "\ue000\U0010FFFF", "é\u0301\u20dd", uint16(1), uint8(2))
	f.Fuzz(func(t *testing.T, id, name, addr, text string, n uint16, flags uint8) {
		w := fuzzWaybill(id, name, addr, text, n, flags)
		opt := Options{Size: Sizes[int(n)%len(Sizes)], Privacy: flags&1 != 0}
		if flags&4 != 0 {
			opt.Packages = 1 + int(n%9)
			opt.Package = 1 + int(n/9)%opt.Packages
		}
		checkLayout(t, w, opt)
	})
}

// oddRunes are the characters that break naive label code.
var oddRunes = []rune("张王李欧阳娜𠀀😀❤\ufe0f\u200d\u202e\u0301\x00\t\n\r\x7f\u0085\ue000\ufffd□…¥×·　 ,.-/ABCxyz0123456789（）【】，。")

func randomText(r *rand.Rand) string {
	var b strings.Builder
	n := r.IntN(40)
	if r.IntN(10) == 0 {
		n = r.IntN(5000)
	}
	for i := 0; i < n; i++ {
		switch r.IntN(20) {
		case 0:
			b.WriteByte(byte(0x80 + r.IntN(0x80))) // a stray byte: invalid UTF-8
		case 1:
			b.WriteRune(rune(0x4E00 + r.IntN(0x5200))) // any CJK ideograph
		default:
			b.WriteRune(oddRunes[r.IntN(len(oddRunes))])
		}
	}
	return b.String()
}

// TestRandomWaybills runs the fuzz property on a few hundred random waybills in every ordinary
// test run, and draws some of them to PDF and raster: nothing may panic.
func TestRandomWaybills(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	pdfs := map[Size]*PDFWriter{}
	for _, s := range Sizes {
		pdfs[s] = NewPDFWriter(&buf, s)
	}
	for i := 0; i < 300; i++ {
		w := fuzzWaybill(randomText(r), randomText(r), randomText(r), randomText(r), uint16(r.IntN(65536)), uint8(r.IntN(256)))
		if r.IntN(3) == 0 {
			w.OrderID = "2" + strings.Repeat("0", r.IntN(20))
		}
		opt := Options{Size: Sizes[r.IntN(len(Sizes))], Privacy: r.IntN(2) == 0, OffsetX: r.Float64()*4 - 2, OffsetY: r.Float64()*4 - 2}
		l := checkLayout(t, w, opt)
		if l == nil || i%10 != 0 {
			continue
		}
		if err := pdfs[opt.Size].Add(l); err != nil {
			t.Fatalf("PDF: %v", err)
		}
		l.Raster(203)
	}
	for _, p := range pdfs {
		if err := p.Close(); err != nil && !strings.Contains(err.Error(), "no labels") {
			t.Fatal(err)
		}
	}
}
