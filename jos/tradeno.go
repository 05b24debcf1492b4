package jos

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"
)

// NewTradeNo draws a trade_no (流水号) for a write that takes one: the time to the millisecond
// and 5 random digits, 22 characters, never the same twice in practice.
func NewTradeNo(now time.Time) string {
	n, err := rand.Int(rand.Reader, big.NewInt(100000))
	if err != nil {
		n = big.NewInt(now.UnixNano() % 100000)
	}
	return now.Format("20060102150405") + fmt.Sprintf("%03d%05d", now.Nanosecond()/1e6, n.Int64())
}
