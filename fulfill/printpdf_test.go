package fulfill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest"
	"station/printdata"
	"station/render"
)

// countingCaller counts JOS calls by method.
type countingCaller struct {
	c     *jos.Client
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingCaller) Read(ctx context.Context, method string, params any, out any) error {
	c.mu.Lock()
	c.calls[method]++
	c.mu.Unlock()
	return c.c.Read(ctx, method, params, out)
}

func pdfFetcher(t *testing.T, sim *jostest.Running, token string) (*printdata.Fetcher, *countingCaller) {
	t.Helper()
	c, err := jos.New(jos.Config{Endpoint: sim.URL, AppKey: jostest.DemoAppKey, AppSecret: jostest.DemoAppSecret,
		AccessToken: token, Timeout: 2 * time.Second, RateLimit: -1, Backoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cc := &countingCaller{c: c, calls: map[string]int{}}
	return printdata.NewFetcher(cc), cc
}

// pdfPages returns each page's text (needs poppler's pdftotext).
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	cmd := exec.Command(tool, "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1]
}

// checkPageOrder checks that page i carries order ids[i], as its barcode digits.
func checkPageOrder(t *testing.T, pdf []byte, ids []string) {
	t.Helper()
	pages := pdfPages(t, pdf)
	if len(pages) != len(ids) {
		t.Fatalf("PDF has %d pages for %d orders", len(pages), len(ids))
	}
	for i, id := range ids {
		if !regexp.MustCompile(`(?m)^` + id + `$`).MatchString(pages[i]) {
			t.Fatalf("page %d does not carry order %s:\n%s", i+1, id, pages[i])
		}
	}
}

func TestWriteLabelsPDFPendingFromSimulator(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	f, calls := pdfFetcher(t, sim, jostest.DemoAccessToken)
	orders, err := PendingOrders(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) < 20 {
		t.Fatalf("only %d pending orders in the simulator", len(orders))
	}
	types := map[printdata.OrderType]int{}
	for _, o := range orders {
		if o.State != printdata.StateWaitStockOut || o.Type == "" {
			t.Fatalf("search result without state or type: %+v", o)
		}
		types[o.Type]++
	}
	var buf bytes.Buffer
	var progress []int
	res, err := WriteLabelsPDF(ctx, f, orders, &buf, PDFBatchOptions{
		Label: render.Options{Size: render.Size76x130, Privacy: true}, Concurrency: 5,
		Progress: func(done, total int) {
			if total != len(orders) {
				t.Errorf("progress total %d", total)
			}
			progress = append(progress, done)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 0 || len(res.Printed) != len(orders) {
		t.Fatalf("printed %d, failed %v of %d", len(res.Printed), res.Failed, len(orders))
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
		if res.Printed[i] != o.ID {
			t.Fatalf("page %d is %s, want %s", i+1, res.Printed[i], o.ID)
		}
		if progress[i] != i+1 {
			t.Fatalf("progress %v", progress)
		}
	}
	checkPageOrder(t, buf.Bytes(), ids)
	if !strings.Contains(string(buf.Bytes()[:200]), "%PDF-") || !bytes.Contains(buf.Bytes(), []byte("/MediaBox [0 0 215.43 368.50]")) {
		t.Errorf("not a 76x130 mm PDF")
	}
	// Search results carry type and state: one print-data call per order, no 360buy.order.get.
	printCalls := 0
	for m, n := range calls.calls {
		if strings.Contains(m, "print.data") {
			printCalls += n
		}
	}
	if calls.calls["360buy.order.get"] != 0 || printCalls != len(orders) {
		t.Errorf("JOS calls %v for %d orders: want one print-data call each and no order.get", calls.calls, len(orders))
	}
	t.Logf("%d orders (%v) printed with calls %v", len(orders), types, calls.calls)
}

func TestWriteLabelsPDFSkipsWhatCannotShip(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 120})
	f, _ := pdfFetcher(t, sim, jostest.DemoAccessToken)
	var ids, blocked []string
	for _, o := range sim.Server.Ledger().Orders {
		switch o.State {
		case printdata.StateWaitStockOut:
			if len(ids) < 6 {
				ids = append(ids, o.OrderID)
			}
		case printdata.StateLocked, printdata.StateCanceled:
			if len(blocked) < 2 {
				blocked = append(blocked, o.OrderID)
			}
		}
	}
	if len(blocked) == 0 {
		t.Fatal("the seeded simulator made no locked or cancelled order: the test would check nothing")
	}
	list := append([]string{ids[0], blocked[0], ids[1]}, ids[2:]...)
	list = append(list, blocked[1:]...)
	orders, err := OrdersByID(list)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := WriteLabelsPDF(ctx, f, orders, &buf, PDFBatchOptions{Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != len(blocked) {
		t.Fatalf("failed = %v, want the %d locked/cancelled orders", res.Failed, len(blocked))
	}
	for i, fl := range res.Failed {
		if fl.OrderID != blocked[i] || !errors.Is(fl, printdata.ErrNotShippable) {
			t.Errorf("failure %d = %v", i, fl)
		}
	}
	checkPageOrder(t, buf.Bytes(), ids)
}

func TestWriteLabelsPDFStopsOnAuthFailure(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 30})
	f, _ := pdfFetcher(t, sim, "expired-token")
	orders, err := OrdersByID([]string{"1000000001", "1000000002", "1000000003"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, err = WriteLabelsPDF(context.Background(), f, orders, &buf, PDFBatchOptions{})
	if jos.KindOf(err) != jos.KindAuth || !strings.Contains(err.Error(), "printing stopped") {
		t.Fatalf("err = %v, want the auth error stopping the batch", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a failed batch wrote %d bytes", buf.Len())
	}
}

// slowSource serves made-up waybills after random delays, so that workers finish out of order,
// and records how many are fetched but not yet written.
type slowSource struct {
	started   atomic.Int64
	written   atomic.Int64
	maxAhead  atomic.Int64
	inFlight  atomic.Int64
	maxFlight atomic.Int64
	fail      map[string]error
	mu        sync.Mutex
	rng       *rand.Rand
}

func (s *slowSource) Search(ctx context.Context, q printdata.Query) ([]printdata.Order, error) {
	return nil, errors.New("not used")
}

func (s *slowSource) Waybill(ctx context.Context, o printdata.Order) (*printdata.Waybill, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxFlight.Load()
		if n <= m || s.maxFlight.CompareAndSwap(m, n) {
			break
		}
	}
	ahead := s.started.Add(1) - s.written.Load()
	for {
		m := s.maxAhead.Load()
		if ahead <= m || s.maxAhead.CompareAndSwap(m, ahead) {
			break
		}
	}
	s.mu.Lock()
	d := time.Duration(s.rng.IntN(3000)) * time.Microsecond
	s.mu.Unlock()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := s.fail[o.ID]; err != nil {
		return nil, err
	}
	return &printdata.Waybill{OrderID: o.ID, Type: printdata.SOP, Consignee: printdata.Consignee{Name: "王五", Address: "杭州市西湖区"},
		Items: []printdata.Item{{Name: "商品", Quantity: 1}}}, nil
}

func TestWriteLabelsPDFOrderedAndBounded(t *testing.T) {
	const n, workers = 120, 6
	src := &slowSource{rng: rand.New(rand.NewPCG(3, 4)), fail: map[string]error{
		"200000000010": errors.New("print data unreadable"),
	}}
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprint(200000000000+i))
	}
	orders, err := OrdersByID(ids)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := WriteLabelsPDF(context.Background(), src, orders, &buf, PDFBatchOptions{
		Concurrency: workers,
		Progress:    func(done, total int) { src.written.Store(int64(done)) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 1 || res.Failed[0].OrderID != "200000000010" || !strings.Contains(res.Failed[0].Error(), "order 200000000010: print data unreadable") {
		t.Fatalf("failed = %v", res.Failed)
	}
	want := append(append([]string{}, ids[:10]...), ids[11:]...)
	if strings.Join(res.Printed, ",") != strings.Join(want, ",") {
		t.Fatalf("printed out of order: %v", res.Printed)
	}
	if m := src.maxFlight.Load(); m > workers || m < 2 {
		t.Errorf("%d fetches at once with %d workers", m, workers)
	}
	// Fetched but not yet written: the queue (2 per worker), one being handed over, one being
	// written.
	if m := src.maxAhead.Load(); m > 2*workers+2 {
		t.Errorf("%d waybills fetched ahead of the writer; memory is not bounded", m)
	}
	checkPageOrder(t, buf.Bytes(), want)
}

func TestWriteLabelsPDFNothingPrintable(t *testing.T) {
	src := &slowSource{rng: rand.New(rand.NewPCG(1, 1)), fail: map[string]error{
		"300000000001": fmt.Errorf("order 300000000001 is locked: %w", printdata.ErrNotShippable),
	}}
	orders, _ := OrdersByID([]string{"300000000001"})
	var buf bytes.Buffer
	_, err := WriteLabelsPDF(context.Background(), src, orders, &buf, PDFBatchOptions{})
	if !errors.Is(err, ErrNothingPrinted) || !errors.Is(err, printdata.ErrNotShippable) || buf.Len() != 0 {
		t.Fatalf("err = %v, %d bytes written", err, buf.Len())
	}
}

func TestWriteLabelsPDFCancelled(t *testing.T) {
	src := &slowSource{rng: rand.New(rand.NewPCG(5, 6))}
	var ids []string
	for i := range 200 {
		ids = append(ids, fmt.Sprint(400000000000+i))
	}
	orders, _ := OrdersByID(ids)
	ctx, cancel := context.WithCancel(context.Background())
	var buf bytes.Buffer
	_, err := WriteLabelsPDF(ctx, src, orders, &buf, PDFBatchOptions{Progress: func(done, total int) {
		if done == 20 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestOrdersByID(t *testing.T) {
	got, err := OrdersByID([]string{" 1234567890 ", "", "9876543210"})
	if err != nil || len(got) != 2 || got[0].ID != "1234567890" || got[1].ID != "9876543210" || got[0].State != "" {
		t.Fatalf("OrdersByID = %+v, %v", got, err)
	}
	if _, err := OrdersByID([]string{"1234567890", "1234567890"}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := OrdersByID([]string{"12345x"}); !errors.Is(err, printdata.ErrBadOrderID) {
		t.Errorf("bad id: %v", err)
	}
	if _, err := OrdersByID([]string{" ", ""}); err == nil {
		t.Errorf("no ids accepted")
	}
}
