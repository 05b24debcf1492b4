package render

import (
	"strconv"
	"testing"

	"station/printdata"
	"station/render/rendertest"
)

// batchWaybill is the i-th waybill of a batch: the fixtures in turn, each with its own order id
// and its own JD barcode image, as real batches have.
func batchWaybill(b testing.TB, fx []fixture, i int) *printdata.Waybill {
	w := *fx[i%3].wb
	w.OrderID = strconv.Itoa(230000000000 + i*7919)
	if w.JDBarcode != nil {
		w.JDBarcode = rendertest.JDBarcodeImage(b, w.OrderID, 360, 90)
	}
	return &w
}

func BenchmarkLayout(b *testing.B) {
	fx := fixtures(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Layout(fx[i%3].wb, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRaster203(b *testing.B) {
	fx := fixtures(b)
	l, err := Layout(fx[0].wb, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		l.Raster(203)
	}
}
