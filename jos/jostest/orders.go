package jostest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"station/jos/jostest/sample"
	"strconv"
	"strings"
	"time"
)

// Order types as the ledger names them, and their order_type codes.
const (
	TypeSOP  = "SOP"
	TypeLBP  = "LBP"
	TypeSOPL = "SOPL"
)

var orderTypeCodes = map[string]string{TypeSOP: "22", TypeLBP: "23", TypeSOPL: "25"}

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

var stateRemarks = map[string]string{
	StateWaitStockOut:       "等待出库",
	StateSentToCenter:       "发往配送中心",
	StateCenterReceived:     "配送中心已收货",
	StateWaitReceive:        "等待确认收货",
	StateReceiptsConfirm:    "收款确认",
	StateWaitSellerDelivery: "等待发货",
	StateFinished:           "完成",
	StateCanceled:           "取消",
	StateLocked:             "已锁定",
}

// shipped reports whether an order in state has left the merchant's warehouse.
func shipped(state string) bool {
	switch state {
	case StateSentToCenter, StateCenterReceived, StateWaitReceive, StateReceiptsConfirm, StateFinished:
		return true
	}
	return false
}

// unsetTime is how JD writes "no such time yet".
const unsetTime = "0001-01-01 00:00:00"

type item struct {
	wareID, skuID string
	name          string
	produceNo     string
	num           int
	price         int64 // fen, per unit
}

type consignee struct {
	name                   string
	phone                  string // cons_phone / telephone, often a landline, may be ""
	mobile                 string // as sent: may carry trailing spaces or be all spaces
	province, city, county string
	address                string // full address as sent, sometimes with a trailing space
}

type invoice struct {
	kind, title, content string // kind "" = none
	vat                  bool
	taxID, regAddress    string
	regPhone, bank, acct string
}

// order is one simulated order. The fields above "mutable" never change after New and may be
// read without the lock; the rest are guarded by Server.mu.
type order struct {
	id       string
	typ      string
	cod      bool
	created  time.Time
	paidAt   time.Time // zero for COD
	items    []item
	freight  int64
	discount int64
	cons     consignee
	delivery int // delivery_type 1-3, 0 = any time
	notify   bool
	remark   string
	vRemark  string
	pin      string
	inv      invoice

	// LBP and SOPL.
	dc, sortingCode, site string
	pickup, level         int
	// SOP orders carry a generade barcode only sometimes, as at JD.
	barcode bool

	// mutable, guarded by Server.mu
	state     string
	modified  time.Time
	outbound  time.Time
	ended     time.Time
	shipments []Shipment
	attempts  int
	accepted  int
}

func (o *order) goods() int64 {
	var sum int64
	for _, it := range o.items {
		sum += it.price * int64(it.num)
	}
	return sum
}

// payment is what the buyer pays in total.
func (o *order) payment() int64 { return o.goods() - o.discount + o.freight }

func (o *order) itemCount() int {
	n := 0
	for _, it := range o.items {
		n += it.num
	}
	return n
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return unsetTime
	}
	return t.Format(timeLayout)
}

// generator draws orders from one PCG stream, so that the same seed always gives the same ids and
// contents. Times are offsets before base and are the only thing Now changes.
type generator struct {
	r     *rand.Rand
	base  time.Time
	wares []item // sample.Catalogue ids, fixed per seed
}

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// generate makes n orders created before base, sorted by id (ids grow with creation time).
func generate(seed int64, n int, base time.Time) (venderID string, orders []*order) {
	g := &generator{r: newRand(seed, 0x6a6f73), base: base}
	venderID = strconv.Itoa(10000 + g.r.IntN(90000))
	for range sample.Catalogue {
		ware := 1000000000 + g.r.Int64N(9000000000)
		g.wares = append(g.wares, item{wareID: strconv.FormatInt(ware, 10),
			skuID: strconv.FormatInt(ware+int64(g.r.IntN(5000)), 10)})
	}
	// Ids are 11 or 12 digits depending on the seed.
	next := int64(20000000000) + g.r.Int64N(9000000000)
	if g.r.IntN(2) == 0 {
		next *= 10
	}
	type aged struct {
		o   *order
		age time.Duration
	}
	all := make([]aged, n)
	for i := range all {
		o := &order{}
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
	orders = make([]*order, n)
	for i, a := range all {
		next += 1 + g.r.Int64N(3000)
		a.o.id = strconv.FormatInt(next, 10)
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
func (g *generator) fill(o *order) time.Duration {
	switch x := g.r.Float64(); {
	case x < 0.5:
		o.typ = TypeSOP
	case x < 0.75:
		o.typ = TypeLBP
	default:
		o.typ = TypeSOPL
	}

	// State and age: most orders wait to be shipped and are recent; shipped ones are older.
	var age time.Duration
	switch x := g.r.Float64(); {
	case x < 0.78:
		o.state = StateWaitStockOut
		if g.chance(0.7) {
			age = g.minutes(10, 48*60)
		} else {
			age = g.minutes(48*60, 21*24*60)
		}
	case x < 0.83:
		o.state = StateLocked
		age = g.minutes(60, 14*24*60)
	case x < 0.88:
		o.state = StateCanceled
		age = g.minutes(60, 14*24*60)
	default:
		o.state = StateWaitReceive // refined below once the type is known
		age = g.minutes(2*24*60, 21*24*60)
	}
	age += time.Duration(g.r.IntN(60)) * time.Second
	o.created = g.at(age)

	o.cod = g.chance(0.35)
	if !o.cod {
		o.paidAt = g.at(age - time.Duration(5+g.r.IntN(1800))*time.Second)
	}
	o.modified = o.created
	if !o.paidAt.IsZero() {
		o.modified = o.paidAt
	}

	g.items(o)
	g.consignee(o)

	switch x := g.r.Float64(); {
	case x < 0.15:
		o.delivery = 1
	case x < 0.25:
		o.delivery = 2
	case x < 0.9:
		o.delivery = 3
	}
	o.notify = g.chance(0.2)
	if g.chance(0.4) {
		o.remark = g.pick(sample.BuyerRemarks)
	}
	if g.chance(0.15) {
		o.vRemark = g.pick(sample.VenderRemarks)
	}
	o.pin = "jd_" + strconv.FormatUint(g.r.Uint64()%(1<<40), 36)

	if o.typ == TypeSOP {
		o.barcode = g.chance(0.3)
		if g.chance(0.8) {
			o.freight = []int64{0, 0, 600, 800, 1000, 1200}[g.r.IntN(6)]
		}
		g.invoice(o)
	} else {
		g.delivery(o)
	}
	if g.chance(0.2) {
		o.discount = min(int64(500*(1+g.r.IntN(6))), o.goods()/5)
	}

	switch o.state {
	case StateLocked, StateCanceled:
		o.modified = g.at(age - g.minutes(30, 48*60))
		if o.modified.Before(o.created) {
			o.modified = o.created
		}
		if o.state == StateCanceled {
			o.ended = o.modified
		}
	case StateWaitReceive:
		g.preShip(o, age)
	}
	return age
}

func (g *generator) items(o *order) {
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
		it := item{wareID: g.wares[k].wareID, skuID: g.wares[k].skuID, name: p.Name, num: num, price: price}
		if g.chance(0.7) {
			it.produceNo = fmt.Sprintf("HM%06d", g.r.IntN(1000000))
		}
		o.items = append(o.items, it)
	}
}

func (g *generator) consignee(o *order) {
	reg := sample.Regions[g.r.IntN(len(sample.Regions))]
	c := reg.Cities[g.r.IntN(len(reg.Cities))]
	county := g.pick(c.Counties)
	cons := consignee{province: reg.Province, city: c.Name, county: county}

	switch x := g.r.Float64(); {
	case reg.Province == "新疆" && x < 0.3:
		cons.name = sample.OddNames[4+g.r.IntN(3)]
	case x < 0.03:
		cons.name = sample.OddNames[g.r.IntN(4)]
	case x < 0.08:
		cons.name = g.pick(sample.Surnames) + []string{"先生", "女士"}[g.r.IntN(2)]
	default:
		cons.name = g.pick(sample.Surnames) + g.pick(sample.GivenNames)
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
	cons.address = reg.Province + c.Name + county + street
	if g.chance(0.1) {
		cons.address += " "
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
		cons.mobile = mobile
	case x < 0.7:
		cons.phone, cons.mobile = mobile, mobile
	case x < 0.9:
		cons.phone, cons.mobile = landline, mobile
	case x < 0.95:
		cons.phone, cons.mobile = landline, "               " // JD pads a missing mobile
	default:
		cons.phone = landline
	}
	if cons.mobile != "" && strings.TrimSpace(cons.mobile) != "" && g.chance(0.15) {
		cons.mobile += "    "
	}
	o.cons = cons
	o.dc = reg.DC
	o.sortingCode = reg.DCCode // completed in delivery
}

func (g *generator) invoice(o *order) {
	if !g.chance(0.6) {
		return
	}
	inv := invoice{kind: "普通发票", title: "个人", content: g.pick(sample.InvoiceContents)}
	switch x := g.r.Float64(); {
	case x < 0.3:
		inv.kind = "电子发票"
	case x < 0.4:
		inv.kind, inv.vat = "增值税专用发票", true
	}
	if inv.vat || g.chance(0.4) {
		inv.title = g.pick(sample.Companies)
	}
	if inv.vat {
		inv.taxID = "91310115" + g.digits(9) + string(rune('A'+g.r.IntN(26)))
		inv.regAddress = o.cons.province + o.cons.city + g.pick(sample.Roads) + strconv.Itoa(1+g.r.IntN(300)) + "号"
		inv.regPhone = "021-" + g.digits(8)
		inv.bank = g.pick(sample.Banks)
		inv.acct = g.digits(19)
	}
	o.inv = inv
}

// delivery fills in the LBP/SOPL routing: distribution centre, sorting code, site, pickup and
// high-value marks.
func (g *generator) delivery(o *order) {
	if g.chance(0.2) {
		o.sortingCode = ""
	} else {
		o.sortingCode = fmt.Sprintf("%s-%c%02d", o.sortingCode, 'A'+g.r.IntN(8), 1+g.r.IntN(40))
	}
	stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(o.cons.county, "街道"), "镇"), "区")
	o.site = o.cons.city + stem + "配送站"
	if g.chance(0.15) {
		o.pickup = []int{1, 3, 4}[g.r.IntN(3)]
		switch o.pickup {
		case 1:
			o.site = stem + "地铁站自提点"
		case 3:
			o.site = "好邻居" + stem + "店"
		case 4:
			o.site = stem + "社区自提点"
		}
	}
	if g.chance(0.15) {
		o.level = 2 + g.r.IntN(4)
	}
}

// preShip makes an order that left the warehouse before the simulator started.
func (g *generator) preShip(o *order, age time.Duration) {
	o.outbound = g.at(age - g.minutes(120, 36*60))
	o.modified = o.outbound
	var sh Shipment
	if o.typ == TypeSOP {
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
		o.state = StateWaitReceive
		if g.chance(0.2) {
			o.state = StateFinished
		}
	} else {
		sh = Shipment{LogisticsID: "336878", Waybill: "JDVA" + g.digits(11)}
		if g.chance(0.3) {
			sh = Shipment{LogisticsID: "0"}
		}
		o.state = []string{StateSentToCenter, StateSentToCenter, StateCenterReceived, StateReceiptsConfirm}[g.r.IntN(4)]
	}
	sh.PackageNum = 1
	o.shipments = []Shipment{sh}
	if o.state == StateFinished || o.state == StateReceiptsConfirm {
		o.ended = o.outbound.Add(g.minutes(24*60, 4*24*60))
		if o.ended.After(g.base) {
			o.ended = g.base.Truncate(time.Second)
		}
		o.modified = o.ended
	}
}
