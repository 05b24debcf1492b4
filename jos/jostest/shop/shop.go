// Package shop makes the simulator's orders: the order model and a generator that draws, from a
// seed, the same orders every time — SOP, LBP and SOPL, waiting, shipped, locked or cancelled,
// with odd names, addresses and remarks like a real shop's.
package shop

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"station/jos/jostest/sample"
	"station/products"
)

// Order types as the ledger names them.
const (
	TypeSOP  = "SOP"
	TypeLBP  = "LBP"
	TypeSOPL = "SOPL"
)

// Order states (JD's spelling, including SEND_TO_DISTRIBUTION_CENER).
const (
	StateWaitStockOut       = "WAIT_SELLER_STOCK_OUT"
	StateSentToCenter       = "SEND_TO_DISTRIBUTION_CENER"
	StateCenterReceived     = "DISTRIBUTION_CENTER_RECEIVED"
	StateWaitReceive        = "WAIT_GOODS_RECEIVE_CONFIRM"
	StateReceiptsConfirm    = "RECEIPTS_CONFIRM"
	StateWaitSellerDelivery = "WAIT_SELLER_DELIVERY"
	StateFinished           = "FINISHED_L"
	StateCanceled           = "TRADE_CANCELED"
	StateLocked             = "LOCKED"
)

// Shipped reports whether an order in state has left the merchant's warehouse.
func Shipped(state string) bool {
	switch state {
	case StateSentToCenter, StateCenterReceived, StateWaitReceive, StateReceiptsConfirm, StateFinished:
		return true
	}
	return false
}

// Shipment is what an outstorage recorded (and a waybill update corrected).
type Shipment struct {
	LogisticsID string `json:"logistics_id"` // as sent: "467", "467|1499", "0"
	Waybill     string `json:"waybill"`      // as sent: "SF1,SF2|75…", "" for self delivery
	PackageNum  int    `json:"package_num"`
}

// Item is one line of an order: a ware, how many and at what price.
type Item struct {
	WareID, SkuID string
	OuterID       string // the merchant's code (outer_sku_id)
	Name          string
	ProduceNo     string
	Num           int
	Price         int64 // fen, per unit
}

// Consignee is who the parcel goes to, as the buyer typed it.
type Consignee struct {
	Name                   string
	Phone                  string // cons_phone / telephone, often a landline, may be ""
	Mobile                 string // as sent: may carry trailing spaces or be all spaces
	Province, City, County string
	Address                string // full address as sent, sometimes with a trailing space
}

// Invoice is what the buyer asked to be invoiced.
type Invoice struct {
	Kind, Title, Content    string // Kind "" = none
	VAT                     bool
	TaxID, RegAddress       string
	RegPhone, Bank, Account string
}

// Order is one simulated order. The fields above "mutable" never change once generated; the
// simulator guards the rest with its lock.
type Order struct {
	ID           string
	Type         string
	COD          bool
	Created      time.Time
	PaidAt       time.Time // zero for COD
	Items        []Item
	Freight      int64
	Discount     int64
	Cons         Consignee
	Delivery     int // delivery_type 1-3, 0 = any time
	Notify       bool
	Remark       string
	VenderRemark string
	Pin          string
	Inv          Invoice

	// LBP and SOPL.
	DC, SortingCode, Site string
	Pickup, Level         int
	// SOP orders carry a generade barcode only sometimes, as at JD.
	Barcode bool

	// mutable, guarded by the simulator
	State     string
	Modified  time.Time
	Outbound  time.Time
	Ended     time.Time
	Shipments []Shipment
}

// Goods is the price of the items, in fen.
func (o *Order) Goods() int64 {
	var sum int64
	for _, it := range o.Items {
		sum += it.Price * int64(it.Num)
	}
	return sum
}

// Payment is what the buyer pays in total.
func (o *Order) Payment() int64 { return o.Goods() - o.Discount + o.Freight }

// ItemCount is how many pieces the order has.
func (o *Order) ItemCount() int {
	n := 0
	for _, it := range o.Items {
		n += it.Num
	}
	return n
}

// generator draws orders from one PCG stream, so that the same seed always gives the same ids and
// contents. Times are offsets before base and are the only thing Now changes.
type generator struct {
	r     *rand.Rand
	base  time.Time
	wares []Ware // sample.Catalogue's products with ids and codes, fixed per seed
}

// Ware is a product of the simulated shop: JD's ids, the merchant's code, an EAN-13 barcode
// and the weight of one piece.
type Ware struct {
	WareID, SkuID, OuterID, Barcode string
	Name                            string
	WeightG                         int
}

// Wares is the shop's catalogue for seed: the products its orders are made of.
func Wares(seed int64) []Ware {
	g := &generator{r: newRand(seed, 0x6a6f73)}
	g.r.IntN(90000) // the vender id, drawn first in Generate
	g.drawWares(seed)
	return g.wares
}

// drawWares gives each catalogue product its ids (from the order stream, as before codes
// existed, so that a seed's orders stay the same) and its codes (from a stream of their own).
func (g *generator) drawWares(seed int64) {
	codes := newRand(seed, 0x636f6465)
	company := 10000 + codes.IntN(90000) // 69 + a five-digit company prefix: a Chinese GS1 number
	for i, p := range sample.Catalogue {
		ware := 1000000000 + g.r.Int64N(9000000000)
		digits := fmt.Sprintf("69%05d%05d", company, 100+i*37+codes.IntN(30))
		g.wares = append(g.wares, Ware{WareID: strconv.FormatInt(ware, 10),
			SkuID:   strconv.FormatInt(ware+int64(g.r.IntN(5000)), 10),
			OuterID: fmt.Sprintf("HM-%04d", 1000+i*7+codes.IntN(7)),
			Barcode: digits + string(products.CheckDigit(digits)), Name: p.Name, WeightG: p.WeightG})
	}
}

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// Generate makes n orders created before base, sorted by id (ids grow with creation time).
func Generate(seed int64, n int, base time.Time) (venderID string, orders []*Order) {
	g := &generator{r: newRand(seed, 0x6a6f73), base: base}
	venderID = strconv.Itoa(10000 + g.r.IntN(90000))
	g.drawWares(seed)
	// Ids are 11 or 12 digits depending on the seed.
	next := int64(20000000000) + g.r.Int64N(9000000000)
	if g.r.IntN(2) == 0 {
		next *= 10
	}
	type aged struct {
		o   *Order
		age time.Duration
	}
	all := make([]aged, n)
	for i := range all {
		o := &Order{}
		age := g.fill(o)
		all[i] = aged{o, age}
	}
	// Older orders get smaller ids, as at JD.
	slices.SortStableFunc(all, func(a, b aged) int {
		switch {
		case a.age > b.age:
			return -1
		case a.age < b.age:
			return 1
		}
		return 0
	})
	orders = make([]*Order, n)
	for i, a := range all {
		next += 1 + g.r.Int64N(3000)
		a.o.ID = strconv.FormatInt(next, 10)
		orders[i] = a.o
	}
	return venderID, orders
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// at returns the time age before base, capped at base, in whole seconds.
func (g *generator) at(age time.Duration) time.Time {
	if age < 0 {
		age = 0
	}
	return g.base.Add(-age).Truncate(time.Second)
}

func (g *generator) minutes(lo, hi int) time.Duration {
	return time.Duration(lo+g.r.IntN(hi-lo+1)) * time.Minute
}

// fill draws everything about one order but its id, and returns its age.
func (g *generator) fill(o *Order) time.Duration {
	switch x := g.r.Float64(); {
	case x < 0.5:
		o.Type = TypeSOP
	case x < 0.75:
		o.Type = TypeLBP
	default:
		o.Type = TypeSOPL
	}

	// State and age: most orders wait to be shipped and are recent; shipped ones are older.
	var age time.Duration
	switch x := g.r.Float64(); {
	case x < 0.78:
		o.State = StateWaitStockOut
		if g.chance(0.7) {
			age = g.minutes(10, 48*60)
		} else {
			age = g.minutes(48*60, 21*24*60)
		}
	case x < 0.83:
		o.State = StateLocked
		age = g.minutes(60, 14*24*60)
	case x < 0.88:
		o.State = StateCanceled
		age = g.minutes(60, 14*24*60)
	default:
		o.State = StateWaitReceive // refined below once the type is known
		age = g.minutes(2*24*60, 21*24*60)
	}
	age += time.Duration(g.r.IntN(60)) * time.Second
	o.Created = g.at(age)

	o.COD = g.chance(0.35)
	if !o.COD {
		o.PaidAt = g.at(age - time.Duration(5+g.r.IntN(1800))*time.Second)
	}
	o.Modified = o.Created
	if !o.PaidAt.IsZero() {
		o.Modified = o.PaidAt
	}

	g.items(o)
	g.consignee(o)

	switch x := g.r.Float64(); {
	case x < 0.15:
		o.Delivery = 1
	case x < 0.25:
		o.Delivery = 2
	case x < 0.9:
		o.Delivery = 3
	}
	o.Notify = g.chance(0.2)
	if g.chance(0.4) {
		o.Remark = g.pick(sample.BuyerRemarks)
	}
	if g.chance(0.15) {
		o.VenderRemark = g.pick(sample.VenderRemarks)
	}
	o.Pin = "jd_" + strconv.FormatUint(g.r.Uint64()%(1<<40), 36)

	if o.Type == TypeSOP {
		o.Barcode = g.chance(0.3)
		if g.chance(0.8) {
			o.Freight = []int64{0, 0, 600, 800, 1000, 1200}[g.r.IntN(6)]
		}
		g.invoice(o)
	} else {
		g.delivery(o)
	}
	if g.chance(0.2) {
		o.Discount = min(int64(500*(1+g.r.IntN(6))), o.Goods()/5)
	}

	switch o.State {
	case StateLocked, StateCanceled:
		o.Modified = g.at(age - g.minutes(30, 48*60))
		if o.Modified.Before(o.Created) {
			o.Modified = o.Created
		}
		if o.State == StateCanceled {
			o.Ended = o.Modified
		}
	case StateWaitReceive:
		g.preShip(o, age)
	}
	return age
}

func (g *generator) items(o *Order) {
	var n int
	switch x := g.r.Float64(); {
	case x < 0.6:
		n = 1
	case x < 0.85:
		n = 2 + g.r.IntN(2)
	case x < 0.95:
		n = 4 + g.r.IntN(3)
	default:
		n = 8 + g.r.IntN(8)
	}
	for range n {
		k := g.r.IntN(len(sample.Catalogue))
		p := sample.Catalogue[k]
		price := (p.Min + g.r.Int64N(p.Max-p.Min+1)) / 10 * 10
		num := 1
		if g.chance(0.3) {
			num = 1 + g.r.IntN(p.MaxQty)
		}
		w := g.wares[k]
		it := Item{WareID: w.WareID, SkuID: w.SkuID, OuterID: w.OuterID, Name: p.Name, Num: num, Price: price}
		// 货号 on the print data: most merchants fill it in, some do not.
		if g.chance(0.7) {
			g.r.IntN(1000000) // drawn as before codes existed, so that a seed's orders stay the same
			it.ProduceNo = w.OuterID
		}
		o.Items = append(o.Items, it)
	}
}

func (g *generator) consignee(o *Order) {
	reg := sample.Regions[g.r.IntN(len(sample.Regions))]
	c := reg.Cities[g.r.IntN(len(reg.Cities))]
	county := g.pick(c.Counties)
	cons := Consignee{Province: reg.Province, City: c.Name, County: county}

	switch x := g.r.Float64(); {
	case reg.Province == "新疆" && x < 0.3:
		cons.Name = sample.OddNames[4+g.r.IntN(3)]
	case x < 0.03:
		cons.Name = sample.OddNames[g.r.IntN(4)]
	case x < 0.08:
		cons.Name = g.pick(sample.Surnames) + []string{"先生", "女士"}[g.r.IntN(2)]
	default:
		cons.Name = g.pick(sample.Surnames) + g.pick(sample.GivenNames)
	}

	var street string
	switch g.r.IntN(3) {
	case 0:
		street = fmt.Sprintf("%s%d号%s%d号楼%d单元%d%02d", g.pick(sample.Roads), 1+g.r.IntN(999), g.pick(sample.Communities),
			1+g.r.IntN(30), 1+g.r.IntN(6), 1+g.r.IntN(28), 1+g.r.IntN(4))
	case 1:
		street = fmt.Sprintf("%s%d号%s%d栋%d室", g.pick(sample.Roads), 1+g.r.IntN(500), g.pick(sample.Communities),
			1+g.r.IntN(40), 100*(1+g.r.IntN(30))+1+g.r.IntN(4))
	default:
		street = fmt.Sprintf("%s%d号%s%s座%d层", g.pick(sample.Roads), 1+g.r.IntN(300), g.pick(sample.OfficeBuildings),
			string(rune('A'+g.r.IntN(4))), 1+g.r.IntN(32))
	}
	if g.chance(0.08) {
		street += g.pick(sample.AddressNotes)
	}
	cons.Address = reg.Province + c.Name + county + street
	if g.chance(0.1) {
		cons.Address += " "
	}

	mobile := g.pick(sample.MobilePrefixes) + g.digits(8)
	landline := c.AreaCode + "-"
	if len(c.AreaCode) == 3 || g.chance(0.7) {
		landline += string(rune('2'+g.r.IntN(7))) + g.digits(7)
	} else {
		landline += string(rune('2'+g.r.IntN(7))) + g.digits(6)
	}
	switch x := g.r.Float64(); {
	case x < 0.55:
		cons.Mobile = mobile
	case x < 0.7:
		cons.Phone, cons.Mobile = mobile, mobile
	case x < 0.9:
		cons.Phone, cons.Mobile = landline, mobile
	case x < 0.95:
		cons.Phone, cons.Mobile = landline, "               " // JD pads a missing mobile
	default:
		cons.Phone = landline
	}
	if cons.Mobile != "" && strings.TrimSpace(cons.Mobile) != "" && g.chance(0.15) {
		cons.Mobile += "    "
	}
	o.Cons = cons
	o.DC = reg.DC
	o.SortingCode = reg.DCCode // completed in delivery
}

func (g *generator) invoice(o *Order) {
	if !g.chance(0.6) {
		return
	}
	inv := Invoice{Kind: "普通发票", Title: "个人", Content: g.pick(sample.InvoiceContents)}
	switch x := g.r.Float64(); {
	case x < 0.3:
		inv.Kind = "电子发票"
	case x < 0.4:
		inv.Kind, inv.VAT = "增值税专用发票", true
	}
	if inv.VAT || g.chance(0.4) {
		inv.Title = g.pick(sample.Companies)
	}
	if inv.VAT {
		inv.TaxID = "91310115" + g.digits(9) + string(rune('A'+g.r.IntN(26)))
		inv.RegAddress = o.Cons.Province + o.Cons.City + g.pick(sample.Roads) + strconv.Itoa(1+g.r.IntN(300)) + "号"
		inv.RegPhone = "021-" + g.digits(8)
		inv.Bank = g.pick(sample.Banks)
		inv.Account = g.digits(19)
	}
	o.Inv = inv
}

// delivery fills in the LBP/SOPL routing: distribution centre, sorting code, site, pickup and
// high-value marks.
func (g *generator) delivery(o *Order) {
	if g.chance(0.2) {
		o.SortingCode = ""
	} else {
		o.SortingCode = fmt.Sprintf("%s-%c%02d", o.SortingCode, 'A'+g.r.IntN(8), 1+g.r.IntN(40))
	}
	stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(o.Cons.County, "街道"), "镇"), "区")
	o.Site = o.Cons.City + stem + "配送站"
	if g.chance(0.15) {
		o.Pickup = []int{1, 3, 4}[g.r.IntN(3)]
		switch o.Pickup {
		case 1:
			o.Site = stem + "地铁站自提点"
		case 3:
			o.Site = "好邻居" + stem + "店"
		case 4:
			o.Site = stem + "社区自提点"
		}
	}
	if g.chance(0.15) {
		o.Level = 2 + g.r.IntN(4)
	}
}

// preShip makes an order that left the warehouse before the simulator started.
func (g *generator) preShip(o *Order, age time.Duration) {
	o.Outbound = g.at(age - g.minutes(120, 36*60))
	o.Modified = o.Outbound
	var sh Shipment
	if o.Type == TypeSOP {
		switch g.r.IntN(4) {
		case 0:
			sh = Shipment{LogisticsID: "1274"}
		case 1:
			sh = Shipment{LogisticsID: "467", Waybill: "SF" + g.digits(13)}
		case 2:
			sh = Shipment{LogisticsID: "1499", Waybill: "75" + g.digits(12)}
		default:
			sh = Shipment{LogisticsID: "336878", Waybill: "JDVA" + g.digits(11)}
		}
		o.State = StateWaitReceive
		if g.chance(0.2) {
			o.State = StateFinished
		}
	} else {
		sh = Shipment{LogisticsID: "336878", Waybill: "JDVA" + g.digits(11)}
		if g.chance(0.3) {
			sh = Shipment{LogisticsID: "0"}
		}
		o.State = []string{StateSentToCenter, StateSentToCenter, StateCenterReceived, StateReceiptsConfirm}[g.r.IntN(4)]
	}
	sh.PackageNum = 1
	o.Shipments = []Shipment{sh}
	if o.State == StateFinished || o.State == StateReceiptsConfirm {
		o.Ended = o.Outbound.Add(g.minutes(24*60, 4*24*60))
		if o.Ended.After(g.base) {
			o.Ended = g.base.Truncate(time.Second)
		}
		o.Modified = o.Ended
	}
}

// Products is the shop's catalogue for seed as a product table, in the station's import format.
func Products(seed int64) []products.Product {
	ws := Wares(seed)
	out := make([]products.Product, len(ws))
	for i, w := range ws {
		out[i] = products.Product{SkuID: w.SkuID, OuterID: w.OuterID, Barcodes: []string{w.Barcode}, Name: w.Name, WeightG: w.WeightG}
	}
	return out
}
