package listing

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"station/jos"
	"station/printdata"
)

// shop is a Pager that searches as JD does: the orders in the states asked for whose
// modification time lies in start..end (whole seconds, both included; without dates the last
// month), sorted by that time, pageSize a page, at most maxPages pages, and the count of all.
type shop struct {
	t        *testing.T
	now      time.Time
	orders   map[string]*order
	pageSize int
	maxPages int
	calls    []printdata.Query
	pages    []int
	// between runs before each search after the first: the shop changes while it is listed.
	between func(s *shop, call int)
	// hide hands out one order fewer than it counts on every page 1 (JD miscounting).
	hide bool
}

type order struct {
	id       string
	state    string
	modified time.Time
}

var t0 = time.Date(2026, 11, 11, 0, 0, 0, 0, jos.ChinaTime)

func newShop(t *testing.T, n int, spread time.Duration, seed uint64) *shop {
	s := &shop{t: t, now: t0, orders: map[string]*order{}, pageSize: 10, maxPages: 5}
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		id := strconv.Itoa(240000000000 + i)
		var age time.Duration
		if spread > 0 {
			age = time.Duration(r.Int64N(int64(spread)))
		}
		s.orders[id] = &order{id: id, state: printdata.StateWaitStockOut, modified: s.now.Add(-age).Truncate(time.Second)}
	}
	return s
}

func (s *shop) opts() Options {
	return Options{Now: func() time.Time { return s.now }, Window: s.pageSize * s.maxPages, PageSize: s.pageSize}
}

func (s *shop) SearchPage(ctx context.Context, q printdata.Query, page int) (printdata.SearchPage, error) {
	if err := ctx.Err(); err != nil {
		return printdata.SearchPage{}, err
	}
	if s.between != nil && len(s.calls) > 0 {
		s.between(s, len(s.calls))
	}
	s.calls = append(s.calls, q)
	s.pages = append(s.pages, page)
	if page < 1 || page > s.maxPages {
		s.t.Fatalf("page %d asked for; JD serves 1 to %d", page, s.maxPages)
	}
	start, end := q.Start, q.End
	if start.IsZero() {
		start, end = s.now.AddDate(0, -1, 0), s.now
	} else if !printdata.FitsOneSearch(start, end) {
		s.t.Fatalf("a search of %s..%s: longer than JD's month", start, end)
	}
	if start.Nanosecond() != 0 || end.Nanosecond() != 0 {
		s.t.Fatalf("dates %s..%s are not whole seconds", start, end)
	}
	var found []*order
	for _, o := range s.orders {
		if slices.Contains(q.States, o.state) && !o.modified.Before(start) && !o.modified.After(end) {
			found = append(found, o)
		}
	}
	slices.SortFunc(found, func(a, b *order) int {
		return cmp.Or(a.modified.Compare(b.modified), cmp.Compare(a.id, b.id))
	})
	pg := printdata.SearchPage{Total: len(found)}
	from := (page - 1) * s.pageSize
	if page == 1 && s.hide && len(found) > 0 {
		from++
	}
	for i := from; i < min(from+s.pageSize, len(found)); i++ {
		pg.Orders = append(pg.Orders, printdata.Order{ID: found[i].id, State: found[i].state})
	}
	return pg, nil
}

// waiting is the ids of the orders waiting now.
func (s *shop) waiting() []string {
	var ids []string
	for id, o := range s.orders {
		if o.state == printdata.StateWaitStockOut {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func ids(orders []printdata.Order) []string {
	out := make([]string, len(orders))
	for i, o := range orders {
		out[i] = o.ID
	}
	return out
}

// checkOnce fails if an order is listed twice, and returns the ids sorted.
func checkOnce(t *testing.T, orders []printdata.Order) []string {
	t.Helper()
	got := ids(orders)
	slices.Sort(got)
	for i := 1; i < len(got); i++ {
		if got[i] == got[i-1] {
			t.Fatalf("order %s listed twice", got[i])
		}
	}
	return got
}

func TestListsPastTheWindow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		spread time.Duration
	}{
		{"fits one search", 37, 20 * 24 * time.Hour},
		{"exactly one window", 50, 20 * 24 * time.Hour},
		{"twenty windows over the month", 1000, 29 * 24 * time.Hour},
		{"a peak day", 1000, 6 * time.Hour},
		{"a peak minute", 400, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newShop(t, tc.n, tc.spread, 1)
			var last Progress
			opt := s.opts()
			opt.Progress = func(p Progress) {
				if p.Listed < last.Listed || p.Calls < last.Calls {
					t.Errorf("progress went back: %+v after %+v", p, last)
				}
				last = p
			}
			orders, err := All(context.Background(), s, printdata.Query{}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := checkOnce(t, orders), s.waiting(); !slices.Equal(got, want) {
				t.Fatalf("listed %d orders, want the %d waiting", len(got), len(want))
			}
			if last.Listed != tc.n || last.Expected != tc.n || last.Calls != len(s.calls) {
				t.Errorf("last progress %+v, want %d listed of %d in %d calls", last, tc.n, tc.n, len(s.calls))
			}
			// A window that fits costs its pages; one too big costs one probe, and its halves
			// each one at least: logarithmic in how much smaller than the month the orders' spread is.
			pages := (tc.n + s.pageSize - 1) / s.pageSize
			levels := int(math.Ceil(math.Log2(float64(31*24*time.Hour) / float64(tc.spread))))
			if len(s.calls) > 2*pages+2*levels+1 {
				t.Errorf("%d calls for %d pages of orders", len(s.calls), pages)
			}
			if tc.n <= s.pageSize*s.maxPages && !s.calls[0].Start.IsZero() {
				t.Errorf("dates sent for a shop that fits JD's own default: %+v", s.calls[0])
			}
		})
	}
}

// TestOrdersChangeWhileListed: orders shipped elsewhere while the station pages (they leave the
// search and shift the pages after them forward) and new orders arriving in the last second are
// neither lost nor listed twice: every order that waited throughout is listed exactly once.
func TestOrdersChangeWhileListed(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s := newShop(t, 600, 3*24*time.Hour, seed)
			r := rand.New(rand.NewPCG(seed, 2))
			keep := s.waiting() // orders that will never change
			touched := map[string]bool{}
			next := 0
			s.between = func(s *shop, call int) {
				switch r.IntN(4) {
				case 0: // shipped elsewhere: the order leaves the waiting orders, its time is now
					id := keep[r.IntN(len(keep))]
					o := s.orders[id]
					o.state, o.modified = printdata.StateWaitReceive, s.now
					touched[id] = true
				case 1: // a new paid order, modified in the listing's last second
					id := fmt.Sprintf("25%010d", next)
					next++
					s.orders[id] = &order{id: id, state: printdata.StateWaitStockOut, modified: s.now}
					touched[id] = true
				}
			}
			orders, err := All(context.Background(), s, printdata.Query{}, s.opts())
			if err != nil {
				t.Fatal(err)
			}
			got := checkOnce(t, orders)
			for _, id := range keep {
				if !touched[id] && !slices.Contains(got, id) {
					t.Fatalf("order %s waited all along and was not listed (%d listed in %d calls)", id, len(got), len(s.calls))
				}
			}
			if len(touched) == 0 {
				t.Fatal("nothing changed during the listing: the test tests nothing")
			}
		})
	}
}

func TestPageBoundaryMoves(t *testing.T) {
	// One order on page 1 is shipped after page 1 was read: page 2 starts one later, and the
	// order that moved up onto page 1 would be missed. The count dropped, so the window is
	// read again.
	s := newShop(t, 30, time.Hour, 3)
	var shipped string
	s.between = func(s *shop, call int) {
		if call == 1 {
			w := s.waiting()
			slices.SortFunc(w, func(a, b string) int {
				return cmp.Or(s.orders[a].modified.Compare(s.orders[b].modified), cmp.Compare(a, b))
			})
			shipped = w[0]
			s.orders[shipped].state = printdata.StateWaitReceive
		}
	}
	orders, err := All(context.Background(), s, printdata.Query{}, s.opts())
	if err != nil {
		t.Fatal(err)
	}
	got := checkOnce(t, orders)
	want := append(s.waiting(), shipped)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("listed %d, want %d: the 29 still waiting and the one listed before it left", len(got), len(want))
	}
	if len(s.calls) != 2+3 {
		t.Errorf("%d calls, want 5: two pages, the count changed, then the three pages again", len(s.calls))
	}
}

func TestLongPeriodsGoByMonths(t *testing.T) {
	s := newShop(t, 300, 80*24*time.Hour, 4)
	start, end := t0.AddDate(0, -3, 0), t0
	q := printdata.Query{States: []string{"wait_seller_stock_out"}, Start: start, End: end.Add(300 * time.Millisecond), DateType: 1}
	orders, err := All(context.Background(), s, q, s.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := checkOnce(t, orders), s.waiting(); !slices.Equal(got, want) {
		t.Fatalf("listed %d orders, want %d", len(got), len(want))
	}
	// The windows of the page-1 calls tile the period: no gap; each on the time field asked for.
	var ws [][2]time.Time
	for i, q := range s.calls {
		if q.DateType != 1 {
			t.Fatalf("call %d searched by dateType %d, want 1 (creation time)", i, q.DateType)
		}
		if s.pages[i] == 1 {
			ws = append(ws, [2]time.Time{q.Start, q.End})
		}
	}
	slices.SortFunc(ws, func(a, b [2]time.Time) int { return cmp.Or(a[0].Compare(b[0]), b[1].Compare(a[1])) })
	covered := start.Add(-time.Second)
	for _, w := range ws {
		if w[0].After(covered.Add(time.Second)) {
			t.Fatalf("a gap from %s to %s", covered, w[0])
		}
		covered = later(covered, w[1])
	}
	if !covered.Equal(end) {
		t.Errorf("windows end at %s, want %s", covered, end)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func TestTooManyInOneSecond(t *testing.T) {
	s := newShop(t, 60, 0, 5) // all 60 at one second, over a window of 50
	_, err := All(context.Background(), s, printdata.Query{}, s.opts())
	if !errors.Is(err, ErrTooManyInOneSecond) {
		t.Fatalf("error %v, want ErrTooManyInOneSecond", err)
	}
}

func TestKeepsChangingInOneSecond(t *testing.T) {
	// 15 orders in one second, searched for that second, and a new one in it before every search.
	s := newShop(t, 15, 0, 6)
	n := 0
	s.between = func(s *shop, call int) {
		n++
		id := fmt.Sprintf("26%010d", n)
		s.orders[id] = &order{id: id, state: printdata.StateWaitStockOut, modified: s.now}
	}
	_, err := All(context.Background(), s, printdata.Query{Start: t0, End: t0}, s.opts())
	if !errors.Is(err, ErrKeepsChanging) {
		t.Fatalf("error %v, want ErrKeepsChanging", err)
	}
}

func TestMiscountAccepted(t *testing.T) {
	// JD counts one more order than it ever hands out: listing again gets nothing more, so
	// the listing ends after a few passes with what there is.
	s := newShop(t, 25, time.Hour, 7)
	s.hide = true
	orders, err := All(context.Background(), s, printdata.Query{}, s.opts())
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 24 {
		t.Errorf("%d orders, want the 24 handed out", len(orders))
	}
	if len(s.calls) != (maxRelists+1)*3 {
		t.Errorf("%d calls, want %d passes of 3 pages", len(s.calls), maxRelists+1)
	}
}

func TestErrorsStopTheListing(t *testing.T) {
	s := newShop(t, 200, 24*time.Hour, 8)
	jerr := &jos.Error{Kind: jos.KindAuth, Code: jos.CodeBadToken}
	p := failing{s, 3, jerr}
	_, err := All(context.Background(), &p, printdata.Query{}, s.opts())
	if !errors.Is(err, jerr) {
		t.Errorf("error %v, want JD's", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := All(ctx, s, printdata.Query{}, s.opts()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := All(context.Background(), s, printdata.Query{States: []string{printdata.StateFinished}}, s.opts()); err == nil {
		t.Error("FINISHED_L without dates was listed; JD refuses it")
	}
}

type failing struct {
	*shop
	after int
	err   error
}

func (f *failing) SearchPage(ctx context.Context, q printdata.Query, page int) (printdata.SearchPage, error) {
	if len(f.calls) >= f.after {
		return printdata.SearchPage{}, f.err
	}
	return f.shop.SearchPage(ctx, q, page)
}
