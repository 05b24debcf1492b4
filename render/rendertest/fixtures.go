// Package rendertest holds the sample waybills the label tests draw: one of each order type,
// shaped like JOS print data, with images like JD's.
package rendertest

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"strconv"
	"testing"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"

	"station/printdata"
)

// china is JD's clock.
var china = time.FixedZone("CST", 8*3600)

// JDBarcodeImage is a JPEG Code 128 of data, w×h pixels, like JD's generade image.
func JDBarcodeImage(t testing.TB, data string, w, h int) image.Image {
	t.Helper()
	bc, err := code128.Encode(data)
	if err != nil {
		t.Fatal(err)
	}
	scaled, err := barcode.Scale(bc, w, h)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scaled, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// signImage makes a small GIF sign like pickUpSign / orderLevelSign: a coloured disc with a mark.
// SignImage is a small GIF sign of colour c, like the pickup and high-value signs.
func SignImage(t testing.TB, c color.Color, w, h int) image.Image {
	t.Helper()
	m := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
	cx, cy, rad := float64(w)/2, float64(h)/2, float64(min(w, h))/2-1
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-cx+0.5, float64(y)-cy+0.5
			switch d := dx*dx + dy*dy; {
			case d <= (rad*0.45)*(rad*0.45):
				m.Set(x, y, color.White)
			case d <= rad*rad:
				m.Set(x, y, c)
			default:
				m.Set(x, y, color.White)
			}
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	img, err := gif.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Fixture is a sample waybill and how its label is drawn.
type Fixture struct {
	Name              string
	Waybill           *printdata.Waybill
	Privacy           bool
	Package, Packages int
}

// Fixtures are hand-made waybills of each order type, shaped like JOS print data.
func Fixtures(t testing.TB) []Fixture {
	lbp := &printdata.Waybill{
		OrderID:              "230817593412",
		Type:                 printdata.LBP,
		CreatedAt:            time.Date(2024, 5, 1, 10, 23, 0, 0, china),
		OutboundAt:           time.Date(2024, 5, 2, 9, 5, 0, 0, china),
		DeliveryTime:         "只工作日送货(双休日、假日不用送)",
		NotifyBeforeDelivery: true,
		Remark:               "请勿放快递柜，送货上门前电话联系",
		DistributionCenter:   "北京马驹桥分拣中心",
		SortingCode:          "010-A12-03",
		Site:                 "北京朝阳望京营业部",
		PaymentType:          "货到付款",
		COD:                  true,
		ShouldPay:            7950,
		ItemsCount:           3,
		Items: []printdata.Item{
			{WareID: "100012043978", Name: "Apple iPhone 15 (A3092) 128GB 黑色 支持移动联通电信5G 双卡双待手机", Quantity: 1, UnitPrice: 599900, Subtotal: 599900},
			{WareID: "100009077475", Name: "绿联 USB-C 数据线 1米", Quantity: 2, UnitPrice: 2990, Subtotal: 5980},
		},
		Consignee: printdata.Consignee{
			Name:    "张晓明",
			Phone:   "010-87636735",
			Mobile:  "13817578711",
			Address: "北京市朝阳区望京街道阜通东大街6号院方恒国际中心A座2203室",
		},
		Pickup:     printdata.PickupSubway,
		PickupSign: SignImage(t, color.RGBA{0, 120, 200, 255}, 48, 48),
		Level:      printdata.LevelHighValue,
		LevelSign:  SignImage(t, color.RGBA{220, 30, 30, 255}, 48, 48),
	}
	lbp.JDBarcode = JDBarcodeImage(t, lbp.OrderID, 360, 90)

	sopl := &printdata.Waybill{
		OrderID:            "231104887265",
		Type:               printdata.SOPL,
		CreatedAt:          time.Date(2024, 11, 4, 21, 2, 0, 0, china),
		OutboundAt:         time.Date(2024, 11, 5, 8, 40, 0, 0, china),
		DeliveryTime:       "工作日、双休日与假日均可送货",
		DistributionCenter: "上海嘉定分拣中心",
		SortingCode:        "021-B07",
		Site:               "上海浦东张江站",
		PaymentType:        "在线支付",
		ShouldPay:          0,
		ItemsCount:         4,
		Items: []printdata.Item{
			{WareID: "5001", Name: "三只松鼠 每日坚果 750g/30袋", Quantity: 2},
			{WareID: "5002", Name: "蒙牛 特仑苏 纯牛奶 250ml*12盒", Quantity: 1},
			{WareID: "5003", Name: "维达 抽纸 3层130抽*24包", Quantity: 1},
		},
		Consignee: printdata.Consignee{
			Name:    "欧阳娜娜",
			Mobile:  "15921088834",
			Address: "上海市浦东新区张江镇祖冲之路887弄72号楼1201",
		},
		Pickup: printdata.PickupCommunity,
	}
	sopl.JDBarcode = JDBarcodeImage(t, sopl.OrderID, 360, 90)

	sop := &printdata.Waybill{
		OrderID:      "229906512348",
		Type:         printdata.SOP,
		CreatedAt:    time.Date(2024, 3, 18, 14, 30, 0, 0, china),
		OutboundAt:   time.Date(2024, 3, 19, 11, 0, 0, 0, china),
		DeliveryTime: "只双休日、假日送货(工作日不用送)",
		Remark:       "发顺丰",
		PaymentType:  "在线支付",
		ShouldPay:    12800,
		Freight:      800,
		ItemsCount:   1,
		Items: []printdata.Item{
			{WareID: "7788", Name: "小米 米家电动牙刷 T302 声波震动", Quantity: 1},
		},
		Consignee: printdata.Consignee{
			Name:    "李雷",
			Phone:   "0755-26880001",
			Mobile:  "13602531122",
			Address: "广东省深圳市南山区粤海街道科技园南区高新南七道18号",
		},
		Invoice: &printdata.Invoice{Title: "深圳市某某科技有限公司", Type: "电子普通发票", Content: "明细"},
	}
	return []Fixture{
		{Name: "lbp", Waybill: lbp},
		{Name: "sopl", Waybill: sopl},
		{Name: "sop", Waybill: sop},
		{Name: "lbp-privacy-package", Waybill: lbp, Privacy: true, Package: 2, Packages: 3},
		{Name: "sop-package", Waybill: sop, Package: 1, Packages: 2},
	}
}

// BatchWaybill is the i-th waybill of a long batch made of base: a copy with its own order id
// (and barcode image).
func BatchWaybill(t testing.TB, base *printdata.Waybill, i int) *printdata.Waybill {
	w := *base
	w.OrderID = strconv.Itoa(230000000000 + i*7919)
	if w.JDBarcode != nil {
		w.JDBarcode = JDBarcodeImage(t, w.OrderID, 360, 90)
	}
	return &w
}
