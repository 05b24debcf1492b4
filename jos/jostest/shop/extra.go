package shop

import (
	"strconv"
	"time"
)

// TypeOverseas is a 海外购 (overseas) SOP order: the merchant ships it with its own carrier,
// but in two steps of its own, 360buy.overseas.order.sop.outstorage and then .delivery.
// TypeFBP is an order JD stores and ships itself: only the FBP methods see it.
const (
	TypeOverseas = "OVERSEAS"
	TypeFBP      = "FBP"
)

// FBP order states. JD's own sample (seed 004 §3) gives them in pinyin.
const (
	StateFBPWaitPrint    = "DengDaiDaYin" // 等待打印
	StateFBPWaitStockOut = "DengDaiChuKu" // 等待出库
)

// Extra draws the orders beside a shop's domestic ones, from streams of their own so that
// Generate's orders stay the same: overseas orders (most waiting, some already out of the
// warehouse and waiting for their domestic delivery, some delivered) and FBP orders. Their
// ids follow after, which must be the largest id Generate gave.
func Extra(seed int64, overseas, fbp int, base time.Time, after string) (over, fbpOrders []*Order) {
	next, _ := strconv.ParseInt(after, 10, 64)
	g := &generator{r: newRand(seed, 0x6f7673), base: base}
	g.drawWares(seed)
	for range overseas {
		o := &Order{}
		g.fill(o)
		o.Type = TypeOverseas
		switch {
		case o.State == StateWaitStockOut && g.chance(0.25):
			// Out of the bonded warehouse, not yet handed to the domestic carrier.
			o.State = StateWaitSellerDelivery
			o.Outbound = o.Created.Add(g.minutes(30, 120))
			if o.Outbound.After(base) {
				o.Outbound = base.Truncate(time.Second)
			}
			o.Modified = o.Outbound
		case Shipped(o.State):
			o.State = StateWaitReceive
		}
		next += 1 + g.r.Int64N(3000)
		o.ID = strconv.FormatInt(next, 10)
		over = append(over, o)
	}
	for range fbp {
		o := &Order{}
		g.fill(o)
		o.Type = TypeFBP
		o.State = StateFBPWaitStockOut
		if g.chance(0.3) {
			o.State = StateFBPWaitPrint
		}
		o.Shipments = nil
		next += 1 + g.r.Int64N(3000)
		o.ID = strconv.FormatInt(next, 10)
		fbpOrders = append(fbpOrders, o)
	}
	return over, fbpOrders
}
