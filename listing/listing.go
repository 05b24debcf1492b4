// Package listing lists every order a search matches, however many. JD serves one search at
// most 50 pages of 100 orders (§1: "请缩短时间间隔,以获取全部订单"), and a period of at most a
// month: the listing cuts the period into months, halves a window that matches more than 5,000
// orders on the time field JD filters by, pages each window and merges them, each order once.
package listing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"station/jos"
	"station/printdata"
)

// Pager reads one page of a search (*printdata.Fetcher).
type Pager interface {
	SearchPage(ctx context.Context, q printdata.Query, page int) (printdata.SearchPage, error)
}

// Progress is how far a listing has come.
type Progress struct {
	Listed   int // distinct orders so far
	Expected int // what JD counted for the period's months probed so far (0 before the first)
	Calls    int // searches sent so far
}

// Options tunes a listing; the zero value is JD's.
type Options struct {
	Progress func(Progress) // after each page; on the caller's goroutine
	Now      func() time.Time
	// Window is the most orders one search may reach (printdata.SearchWindow); tests lower it.
	Window int
	// PageSize is the orders per page (printdata.SearchPageSize); tests lower it with Window.
	PageSize int
}

// maxRelists is how often a window is listed again because its orders changed under the
// listing, before it is halved (or, at one second, given up).
const maxRelists = 3

// ErrTooManyInOneSecond is wrapped when more orders than one search can reach changed within
// one second: no window is small enough to list them all.
var ErrTooManyInOneSecond = errors.New("more orders changed within one second than JD lists in one search")

// ErrKeepsChanging is wrapped when a one-second window's orders changed each time it was listed.
var ErrKeepsChanging = errors.New("the orders kept changing while they were listed")

// window is a period start..end, both whole seconds and both included, as JD compares them.
// open is JD's own default period (no dates sent), used as long as it fits one search.
type window struct {
	start, end time.Time
	open       bool
	root       bool // the whole period or one of its months, not a half: its count is expected
}

// All lists every order matching q, in the order of the windows (oldest first) and of JD's
// pages within each. An order listed twice (it moved between pages or windows while they were
// read) is kept once; a window whose count changes while it is paged is paged again, so that
// no order is skipped by a page boundary that moved.
func All(ctx context.Context, p Pager, q printdata.Query, opt Options) ([]printdata.Order, error) {
	q, err := q.Normalized()
	if err != nil {
		return nil, err
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Window <= 0 || opt.PageSize <= 0 {
		opt.Window, opt.PageSize = printdata.SearchWindow, printdata.SearchPageSize
	}
	l := &lister{p: p, q: q, opt: opt, seen: map[string]bool{}}
	var todo []window // a stack: the oldest window last
	if q.Start.IsZero() {
		todo = []window{{open: true, root: true}}
	} else {
		todo = months(second(q.Start), second(q.End))
	}
	for len(todo) > 0 {
		w := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		halves, err := l.list(ctx, w)
		if err != nil {
			return nil, err
		}
		// The later half goes below the earlier, so that the listing keeps going oldest first.
		for i := len(halves) - 1; i >= 0; i-- {
			todo = append(todo, halves[i])
		}
	}
	return l.orders, nil
}

type lister struct {
	p      Pager
	q      printdata.Query
	opt    Options
	seen   map[string]bool
	orders []printdata.Order
	calls  int
	// expected is the sum of the counts of the periods probed so far: what the listing will
	// come to, unless orders change meanwhile.
	expected int
}

// list pages window w into l.orders, or returns the windows to list instead of it.
func (l *lister) list(ctx context.Context, w window) ([]window, error) {
	for pass := 0; ; pass++ {
		first, err := l.page(ctx, w, 1)
		if err != nil {
			return nil, err
		}
		if w.root {
			l.expected += first.Total
			w.root = false
		}
		if first.Total > l.opt.Window {
			l.progress()
			halves, ok := l.halve(w)
			if !ok {
				return nil, fmt.Errorf("%d orders at %s: %w", first.Total, w.start.Format(jos.TimeLayout), ErrTooManyInOneSecond)
			}
			return halves, nil
		}
		// in holds the window's own orders: a window that hands out fewer distinct orders than it
		// counts may have lost one to a page boundary that moved.
		in := map[string]bool{}
		l.add(first.Orders, in)
		l.progress()
		stable := true
		pages := (first.Total + l.opt.PageSize - 1) / l.opt.PageSize
		for n := 2; n <= pages && stable; n++ {
			pg, err := l.page(ctx, w, n)
			if err != nil {
				return nil, err
			}
			stable = pg.Total == first.Total
			l.add(pg.Orders, in)
			l.progress()
		}
		switch {
		case stable && len(in) >= first.Total:
			return nil, nil
		case pass < maxRelists:
			continue
		case stable:
			// The count held through every page and every pass: JD counts more than it hands
			// out, and listing again gets nothing more.
			return nil, nil
		}
		// Orders kept changing: smaller windows are paged in fewer calls.
		if halves, ok := l.halve(w); ok {
			return halves, nil
		}
		return nil, fmt.Errorf("listing the orders changed at %s: %w; try again", w.start.Format(jos.TimeLayout), ErrKeepsChanging)
	}
}

// halve splits w in two at the middle second; an open window becomes JD's default month, in
// halves. A one-second window cannot be split.
func (l *lister) halve(w window) ([]window, bool) {
	if w.open {
		now := second(l.opt.Now())
		w = window{start: now.AddDate(0, -1, 0), end: now}
	}
	if !w.start.Before(w.end) {
		return nil, false
	}
	mid := w.start.Add(w.end.Sub(w.start) / 2).Truncate(time.Second)
	return []window{{start: w.start, end: mid}, {start: mid.Add(time.Second), end: w.end}}, true
}

func (l *lister) page(ctx context.Context, w window, n int) (printdata.SearchPage, error) {
	q := l.q
	if !w.open {
		q.Start, q.End = w.start, w.end
	}
	l.calls++
	return l.p.SearchPage(ctx, q, n)
}

func (l *lister) progress() {
	if l.opt.Progress != nil {
		l.opt.Progress(Progress{Listed: len(l.orders), Expected: max(l.expected, len(l.orders)), Calls: l.calls})
	}
}

func (l *lister) add(orders []printdata.Order, in map[string]bool) {
	for _, o := range orders {
		in[o.ID] = true
		if !l.seen[o.ID] {
			l.seen[o.ID] = true
			l.orders = append(l.orders, o)
		}
	}
}

// months cuts start..end into periods JD takes in one search, oldest first, as a stack.
func months(start, end time.Time) []window {
	var ws []window
	for s := start; !s.After(end); {
		e := s.AddDate(0, 1, 0)
		if e.After(end) {
			e = end
		}
		ws = append(ws, window{start: s, end: e, root: true})
		s = e.Add(time.Second)
	}
	for i, j := 0, len(ws)-1; i < j; i, j = i+1, j-1 {
		ws[i], ws[j] = ws[j], ws[i]
	}
	return ws
}

// second is t to the whole second, in Beijing time, the precision of JD's dates.
func second(t time.Time) time.Time { return t.In(jos.ChinaTime).Truncate(time.Second) }
