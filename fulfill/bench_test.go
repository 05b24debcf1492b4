package fulfill_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"station/fulfill"
	"station/fulfill/fulfilltest"
	"station/internal/pgtest"
	"station/jos/jostest"
	"station/journal"
	"station/printdata"
	"station/printer"
	"station/printer/printertest"
	"station/scan"
)

// nullPrinter is the printer package's file transport writing ZPL to /dev/null: the whole
// print path (raster, encode, write) without a device.
const nullPrinter = "file:/dev/null?lang=zpl"

// benchStation is the tests' station rig on sim with a rate limit (<0: none), conc workers
// and the printer p.
func benchStation(b *testing.B, sim *jostest.Running, rate float64, conc int, p printer.Printer) *fulfill.Station {
	b.Helper()
	return fulfilltest.New(b, sim, fulfilltest.Options{Timeout: 5 * time.Second, Rate: rate, Conc: conc, Open: p,
		Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}}).Station
}

// BenchmarkBatch500 prints (null printer) and ships 500 orders against the simulator with
// 80 ms per call. The ceiling is what the workers and the rate limit allow: each order costs
// `reads` print-data/order reads on the fetch workers and one outstorage on the ship workers,
// so with C workers per stage and latency L the fetch stage does C/(reads·L) orders/s, the
// ship stage C/L, and a rate limit of R calls/s caps it at R/(reads+1).
func BenchmarkBatch500(b *testing.B) {
	const n, latency = 500, 80 * time.Millisecond
	for _, bc := range []struct {
		name    string
		pending bool // orders from 360buy.order.search: one read each; else ids: two
		conc    int
		rate    float64
	}{
		{"ids/C=8/no-limit", false, 8, -1},
		{"pending/C=8/no-limit", true, 8, -1},
		{"pending/C=8/R=30", true, 8, 30},
		{"ids/C=16/R=100", false, 16, 100},
	} {
		b.Run(bc.name, func(b *testing.B) {
			reads := 2.0
			if bc.pending {
				reads = 1
			}
			L := latency.Seconds()
			ceiling := min(float64(bc.conc)/(reads*L), float64(bc.conc)/L)
			if bc.rate > 0 {
				ceiling = min(ceiling, bc.rate/(reads+1))
			}
			var total time.Duration
			for range b.N {
				b.StopTimer()
				sim, err := jostest.Start(jostest.Options{Orders: 680, Seed: 4, Latency: latency}, "")
				if err != nil {
					b.Fatal(err)
				}
				p, err := printer.Open(nullPrinter)
				if err != nil {
					b.Fatal(err)
				}
				st := benchStation(b, sim, bc.rate, bc.conc, p)
				spec := fulfill.BatchSpec{Print: true, Ship: true}
				if bc.pending {
					orders, err := st.Search(context.Background(), printdata.Query{}, nil)
					if err != nil || len(orders) < n {
						b.Fatalf("%d pending orders: %v", len(orders), err)
					}
					spec.Orders = orders[:n]
				} else {
					ids := sim.Server.OrderIDs("", printdata.StateWaitStockOut)
					if len(ids) < n {
						b.Fatalf("%d waiting orders", len(ids))
					}
					spec.IDs = ids[:n]
				}
				if _, err := st.Carriers(context.Background()); err != nil { // read once, as a running station has
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				sum, err := st.Batch(context.Background(), spec, nil)
				total += time.Since(start)
				b.StopTimer()
				if err != nil || !sum.OK() || sum.Shipped != n || sum.Printed != n {
					b.Fatalf("%+v %v", sum, err)
				}
				st.Close()
				sim.Close()
				b.StartTimer()
			}
			rate := float64(n*b.N) / total.Seconds()
			b.ReportMetric(rate, "orders/s")
			b.ReportMetric(ceiling, "ceiling-orders/s")
			b.ReportMetric(100*rate/ceiling, "%-of-ceiling")
		})
	}
}

// BenchmarkScan measures single scans with no JOS latency: from Submit to the last byte of the
// label written to the (null) printer: the journal check, order.get and print data, layout,
// the journal's print record, raster and ZPL encoding.
func BenchmarkScan(b *testing.B) {
	sim, err := jostest.Start(jostest.Options{Orders: b.N*13/10 + 50, Seed: 6}, "")
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	ids := sim.Server.OrderIDs("", printdata.StateWaitStockOut)
	if len(ids) < b.N {
		b.Fatalf("%d waiting orders for %d scans", len(ids), b.N)
	}
	p0, err := printer.Open(nullPrinter)
	if err != nil {
		b.Fatal(err)
	}
	tp := &printertest.Timed{Printer: p0}
	st := benchStation(b, sim, -1, 4, tp)
	defer st.Close()
	sc := scan.New(st, scan.Options{Mode: scan.ModePrint})
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		r := sc.Submit(ctx, ids[i])
		if r.Status != scan.Printed {
			b.Fatalf("scan %s: %v %v", ids[i], r.Status, r.Err)
		}
		lat = append(lat, tp.Last().Sub(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[min(len(lat)-1, int(f*float64(len(lat))))]) / 1e6 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-ms")
	if testing.Verbose() {
		fmt.Printf("BenchmarkScan: %d scans, p50 %.1f ms, p95 %.1f ms\n", len(lat), q(0.5), q(0.95))
	}
}

// BenchmarkScanEightStations: eight stations on one PostgreSQL journal and one simulator,
// scanning (print and ship) at the same time: from Submit to the last byte of the label on
// each station's (null) printer, the journal's checks and claims included.
func BenchmarkScanEightStations(b *testing.B) {
	const stations = 8
	per := max(1, b.N/stations)
	sim, err := jostest.Start(jostest.Options{Orders: stations*per*14/10 + 100, Seed: 8}, "")
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	ids := sim.Server.OrderIDs("", printdata.StateWaitStockOut)
	if len(ids) < stations*per {
		b.Fatalf("%d waiting orders for %d scans", len(ids), stations*per)
	}
	db := pgtest.Database(b)
	type one struct {
		sc *scan.Scanner
		tp *printertest.Timed
		st *fulfill.Station
	}
	var all []one
	for i := range stations {
		p, err := printer.Open(nullPrinter)
		if err != nil {
			b.Fatal(err)
		}
		tp := &printertest.Timed{Printer: p}
		st := fulfilltest.New(b, sim, fulfilltest.Options{Timeout: 5 * time.Second, Rate: -1, Conc: 4, Open: tp, Journal: db,
			Who: journal.Who{Station: fmt.Sprint("S", i+1)}, Defaults: map[printdata.OrderType]string{printdata.SOP: "1274"}}).Station
		all = append(all, one{scan.New(st, scan.Options{Mode: scan.ModePrintShip}), tp, st})
	}
	ctx := context.Background()
	var (
		mu  sync.Mutex
		lat []time.Duration
		wg  sync.WaitGroup
	)
	b.ResetTimer()
	for i, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range per {
				id := ids[i*per+k]
				start := time.Now()
				r := s.sc.Submit(ctx, id)
				if r.Status != scan.PrintedShipped {
					b.Errorf("scan %s: %v %v", id, r.Status, r.Err)
					return
				}
				mu.Lock()
				lat = append(lat, s.tp.Last().Sub(start))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[min(len(lat)-1, int(f*float64(len(lat))))]) / 1e6 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-ms")
	conflicts := int64(0)
	for _, s := range all {
		if c, ok := s.st.Journal().(interface{ Conflicts() int64 }); ok {
			conflicts += c.Conflicts()
		}
	}
	b.ReportMetric(float64(conflicts)/float64(len(lat)), "retries/scan")
}
