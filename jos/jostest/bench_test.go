package jostest

import (
	"fmt"
	"station/jos/jostest/sample"
	"station/jos/jostest/shop"
	"testing"
)

// Startup must stay fast: images are made lazily, so New only draws the orders.
func BenchmarkNew(b *testing.B) {
	for _, n := range []int{200, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				New(Options{Orders: n, Now: fixedNow})
			}
		})
	}
}

func BenchmarkBarcodeJPEG(b *testing.B) {
	for b.Loop() {
		if _, err := sample.BarcodeJPEG("244991096091"); err != nil {
			b.Fatal(err)
		}
	}
}

// A print-data call over HTTP, images cached after the first round.
func BenchmarkPrintDataCall(b *testing.B) {
	s, c := newSim(b, Options{Orders: 200})
	ids := s.OrderIDs(shop.TypeLBP, "")
	i := 0
	for b.Loop() {
		c.ok("360buy.order.lbp.print.data.get", "order_lbp_printdata_response", map[string]string{"order_id": ids[i%len(ids)]})
		i++
	}
}

func BenchmarkSearchCall(b *testing.B) {
	_, c := newSim(b, Options{Orders: 2000})
	for b.Loop() {
		c.ok("360buy.order.search", "order_search_response", map[string]string{"order_state": shop.StateWaitStockOut, "page_size": "100"})
	}
}
