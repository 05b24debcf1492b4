package fulfill

import (
	"context"
	"sync"
)

// ordered is the station's one ordered, concurrent pipeline: prepare runs for items 0..n-1 on
// `workers` goroutines (fetching print data, laying labels out), and consume receives each
// result strictly in index order on the calling goroutine (printing). At most `window` items
// are prepared ahead of consume, which bounds the labels held in memory.
//
// Once ctx ends no further item is handed to a worker; every item that was not is passed to
// consume with started false, so that consume sees each index exactly once. ordered returns
// when every item was consumed and every worker has stopped.
func ordered[T any](ctx context.Context, n, workers, window int, prepare func(i int) T, consume func(i int, v T, started bool)) {
	if n == 0 {
		return
	}
	workers = max(1, min(workers, n))
	window = max(1, min(window, n))
	type result struct {
		v       T
		started bool
	}
	// A ring of window slots, not one per item, so that memory does not grow with n: item i and
	// item i+window are never in flight at once, since the slots token is taken before an item
	// is handed out and given back only once it has been consumed, in order.
	ring := make([]chan result, window)
	for i := range ring {
		ring[i] = make(chan result, 1)
	}
	slots := make(chan struct{}, window)
	feed := make(chan int)
	halted := make(chan struct{}) // closed when ctx ended before every item was handed out
	handed := n                   // items handed to workers; written before halted is closed
	go func() {
		defer close(feed)
		for i := range n {
			// ctx is looked at before each select too: a select with several ready cases picks
			// one at random, and a stopped pipeline must not hand out more.
			select {
			case slots <- struct{}{}:
				if ctx.Err() != nil {
					<-slots
					break
				}
				select {
				case feed <- i:
					continue
				case <-ctx.Done():
					<-slots
				}
			case <-ctx.Done():
			}
			handed = i
			close(halted)
			return
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range feed {
				ring[i%window] <- result{v: prepare(i), started: true}
			}
		}()
	}
	for i := range n {
		var r result
		select {
		case r = <-ring[i%window]:
		case <-halted:
			if i < handed {
				r = <-ring[i%window] // handed out before the end: a worker finishes it
			}
		}
		if r.started {
			<-slots
		}
		consume(i, r.v, r.started)
	}
	wg.Wait()
}
