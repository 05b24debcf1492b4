package jostest

import (
	"fmt"
	"time"

	"station/jos/jostest/shop"
)

// OverseasTypeCode is the order_type the simulator gives 海外购 orders. The seed lists 22, 23
// and 25 only and names no field that marks an overseas order: this code is the simulator's.
const OverseasTypeCode = "26"

var orderTypeCodes = map[string]string{shop.TypeSOP: "22", shop.TypeLBP: "23", shop.TypeSOPL: "25",
	shop.TypeOverseas: OverseasTypeCode}

var fbpStateRemarks = map[string]string{shop.StateFBPWaitPrint: "等待打印", shop.StateFBPWaitStockOut: "等待出库"}

var stateRemarks = map[string]string{
	shop.StateWaitStockOut:       "等待出库",
	shop.StateSentToCenter:       "发往配送中心",
	shop.StateCenterReceived:     "配送中心已收货",
	shop.StateWaitReceive:        "等待确认收货",
	shop.StateReceiptsConfirm:    "收款确认",
	shop.StateWaitSellerDelivery: "等待发货",
	shop.StateFinished:           "完成",
	shop.StateCanceled:           "取消",
	shop.StateLocked:             "已锁定",
}

// unsetTime is how JD writes "no such time yet".
const unsetTime = "0001-01-01 00:00:00"

// order is one simulated order and what the simulator counts of the writes to it (guarded by
// Server.mu).
type order struct {
	shop.Order
	attempts int // outstorage calls (the overseas one included) and those applied
	accepted int

	deliveryAttempts, deliveryAccepted int // 360buy.overseas.order.sop.delivery
	remarkUpdates, deleteApplies       int

	remarkFlag                    int
	remarkCreated, remarkModified time.Time
	deleteApply                   *deleteApply
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return unsetTime
	}
	return t.Format(timeLayout)
}
