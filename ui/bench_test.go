package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/printdata"
	"station/printer"
	"station/printer/printertest"
	"station/ui/look"
)

// BenchmarkScanInTheWindow: a scan typed into the window's scan field in print-and-ship mode,
// against the local simulator (no latency) with a null ZPL printer, JD's state check included:
// Enter → the final banner on screen, and Enter → the label's last byte at the printer.
func BenchmarkScanInTheWindow(b *testing.B) {
	h := newHarness(b, func(o *jostest.Options) { o.Orders = b.N*3 + 60 })
	null, err := printer.Open("file:/dev/null?lang=zpl")
	if err != nil {
		b.Fatal(err)
	}
	lp := &printertest.Timed{Printer: null}
	h.opener = func(string) (printer.Printer, error) { return lp, nil }
	h.app.Close()
	h.app = h.open()
	var ids []string
	for _, o := range h.Sim.Ledger().Orders {
		if o.State == printdata.StateWaitStockOut && o.Type != "SOP" {
			ids = append(ids, o.OrderID)
		}
	}
	if len(ids) < b.N {
		b.Fatalf("%d LBP/SOPL orders waiting for %d scans", len(ids), b.N)
	}
	banner := make([]time.Duration, 0, b.N)
	label := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		test.Type(h.app.scan.Entry, ids[i])
		start := time.Now()
		h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.app.wait()
		banner = append(banner, time.Since(start))
		if k := h.app.scan.Banner.Kind(); k != look.OK {
			b.Fatalf("scan %s: banner %v %q", ids[i], k, h.app.scan.Banner.Detail())
		}
		label = append(label, lp.Last().Sub(start))
	}
	b.StopTimer()
	p95 := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(0.95*float64(len(d))))]) / 1e6
	}
	b.ReportMetric(p95(banner), "banner-p95-ms")
	b.ReportMetric(p95(label), "lastbyte-p95-ms")
}

// BenchmarkItemScanInTheWindow: during verification, an item's barcode typed into the scan
// field → its line's count on screen (the journal write of the scan included).
func BenchmarkItemScanInTheWindow(b *testing.B) {
	h := newHarness(b)
	ids, ws := h.withCatalogue(shop.TypeLBP, 1)
	// One line of more pieces than the benchmark scans: every scan counts, none completes.
	if err := h.Sim.Edit(ids[0], func(o *shop.Order) {
		o.Items = []shop.Item{{WareID: ws[0].WareID, SkuID: ws[0].SkuID, OuterID: ws[0].OuterID, Name: ws[0].Name, Num: b.N + 1, Price: 100}}
	}); err != nil {
		b.Fatal(err)
	}
	h.scan(ids[0])
	if v := h.app.scan.Pack.View(); v == nil {
		b.Fatalf("not verifying: %q", h.app.scan.Banner.Detail())
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		test.Type(h.app.scan.Entry, ws[0].Barcode)
		start := time.Now()
		h.app.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.app.wait()
		times = append(times, time.Since(start))
		if v := h.app.scan.Pack.View(); v == nil || v.Got != i+1 {
			b.Fatalf("scan %d: view %+v", i+1, v)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[min(len(times)-1, int(0.95*float64(len(times))))])/1e6, "count-p95-ms")
}
