package rendertest

import (
	"image"
	"image/color"
	"math/rand/v2"
	"station/printdata"
	"strings"
	"time"
)

// FuzzWaybill builds a waybill from fuzz input: every text field from the strings, counts and
// flags from the numbers.
func FuzzWaybill(id, name, addr, text string, n uint16, flags uint8) *printdata.Waybill {
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

// oddRunes are the characters that break naive label code.
var oddRunes = []rune("张王李欧阳娜𠀀😀❤\ufe0f\u200d\u202e\u0301\x00\t\n\r\x7f\u0085\ue000\ufffd□…¥×·　 ,.-/ABCxyz0123456789（）【】，。")

func RandomText(r *rand.Rand) string {
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
