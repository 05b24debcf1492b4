// Package printdata fetches an order's waybill print data from JOS for any of the three order
// types the station ships (SOP, LBP, SOPL) and normalizes it into one Waybill model.
package printdata

import (
	"fmt"
	"image"
	"time"
)

// OrderType is the JD order type, which picks the print-data and outstorage methods.
type OrderType string

const (
	SOP  OrderType = "SOP"  // the merchant stores and ships with any carrier (order_type 22)
	LBP  OrderType = "LBP"  // the merchant stores, JD delivers, JD invoices (order_type 23)
	SOPL OrderType = "SOPL" // the merchant stores, JD delivers, the merchant invoices (order_type 25)
	// Overseas is a 海外购 SOP order: printed as SOP, shipped in two steps of its own
	// (360buy.overseas.order.sop.outstorage, then .delivery with the domestic carrier). The seed
	// names no order_type for it: OverseasTypeCode is the simulator's, and an order JD shows in
	// WAIT_SELLER_DELIVERY (which the seed says only overseas orders have) is one too.
	Overseas OrderType = "OVERSEAS"
)

// OverseasTypeCode is the order_type the station reads as an overseas order.
const OverseasTypeCode = "26"

// MerchantShips reports whether the merchant chooses the carrier (SOP and overseas orders),
// rather than JD delivering from its sorting centre (LBP, SOPL).
func (t OrderType) MerchantShips() bool { return t == SOP || t == Overseas }

// Waybill is everything a label needs, with real types: money in fen, counts as ints, times in
// China time.
type Waybill struct {
	OrderID string
	Type    OrderType

	CreatedAt  time.Time // create_date; zero when absent
	OutboundAt time.Time // out_bound_date; zero when absent

	DeliveryTime         string // cod_time_name, e.g. 只工作日送货(双休日、假日不用送)
	NotifyBeforeDelivery bool   // bf_deli_good_glag 是
	Remark               string

	// LBP and SOPL: where the parcel goes inside JD's network.
	DistributionCenter string // cky2_name
	SortingCode        string
	Site               string // partner: the delivery site

	PaymentType string // payment_typeStr, as JD words it
	COD         bool   // cash on delivery: the courier collects ShouldPayFen
	ShouldPay   Fen    // should_pay
	Freight     Fen    // SOP

	ItemsCount int // items_count; when absent, the sum of item quantities
	Items      []Item

	Consignee Consignee
	Invoice   *Invoice // SOP only; nil when there is none

	Pickup     PickupType
	PickupSign image.Image // nil when absent
	Level      OrderLevel
	LevelSign  image.Image // nil when absent
	JDBarcode  image.Image // generade; nil when absent (usual for SOP)
}

// Fen is an amount of money in fen (1/100 yuan).
type Fen int64

// String formats the amount in yuan with two decimals, e.g. 79.50.
func (f Fen) String() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}

// Item is one line of the order.
type Item struct {
	WareID    string
	Name      string
	Quantity  int
	UnitPrice Fen // jd_price
	Subtotal  Fen // price
	ProduceNo string
}

// Consignee is the recipient.
type Consignee struct {
	Name    string
	Phone   string // cons_phone, often a landline
	Mobile  string // cons_handset
	Address string
}

// Invoice is the SOP invoice block.
type Invoice struct {
	Title   string
	Type    string
	Content string
}

// PickupType is pickUpSign_type.
type PickupType int

const (
	PickupNone      PickupType = 0
	PickupSubway    PickupType = 1
	PickupNeighbour PickupType = 3
	PickupCommunity PickupType = 4
)

// OrderLevel is orderLevel_Type.
type OrderLevel int

const (
	LevelNone              OrderLevel = 0
	LevelPrecious          OrderLevel = 2
	LevelHighValue         OrderLevel = 3
	LevelPreciousHighValue OrderLevel = 4
	LevelNewUser           OrderLevel = 5
)

// Meaning is what the pickup type tells the courier, in Chinese and English.
func (p PickupType) Meaning() (zh, en string) {
	switch p {
	case PickupSubway:
		return "地铁自提", "subway pickup"
	case PickupNeighbour:
		return "好邻居自提", "Good Neighbour store pickup"
	case PickupCommunity:
		return "社区自提", "community pickup"
	}
	return "", ""
}

// Meaning is what the order level tells the courier, in Chinese and English.
func (l OrderLevel) Meaning() (zh, en string) {
	switch l {
	case LevelPrecious:
		return "贵重", "precious"
	case LevelHighValue:
		return "高价值", "high value"
	case LevelPreciousHighValue:
		return "贵重且高价值", "precious and high value"
	case LevelNewUser:
		return "新用户", "new customer"
	}
	return "", ""
}
