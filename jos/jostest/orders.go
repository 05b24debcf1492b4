package jostest

import (
	"fmt"
	"time"

	"station/jos/jostest/shop"
)

var orderTypeCodes = map[string]string{shop.TypeSOP: "22", shop.TypeLBP: "23", shop.TypeSOPL: "25"}

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
	attempts int
	accepted int
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return unsetTime
	}
	return t.Format(timeLayout)
}
