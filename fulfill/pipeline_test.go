package fulfill

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// ordered hands every index to consume once, in order, whatever order the workers finish in,
// keeps at most window items prepared ahead, and after a cancel starts nothing new.
func TestOrderedPipeline(t *testing.T) {
	for _, cancelAt := range []int{-1, 0, 37} {
		ctx, cancel := context.WithCancel(context.Background())
		const n, workers, window = 200, 5, 8
		var prepared, consumed, maxAhead atomic.Int64
		next := 0
		unstarted := 0
		ordered(ctx, n, workers, window,
			func(i int) int {
				if ahead := prepared.Add(1) - consumed.Load(); ahead > maxAhead.Load() {
					maxAhead.Store(ahead)
				}
				time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
				return i * i
			},
			func(i, v int, started bool) {
				if i != next {
					t.Fatalf("consumed %d, want %d", i, next)
				}
				next++
				consumed.Add(1)
				if !started {
					unstarted++
				} else if v != i*i {
					t.Fatalf("item %d: %d", i, v)
				}
				if i == cancelAt {
					cancel()
				}
			})
		cancel()
		if next != n {
			t.Fatalf("cancel at %d: %d items consumed", cancelAt, next)
		}
		if cancelAt < 0 && unstarted != 0 || cancelAt >= 0 && unstarted == 0 {
			t.Errorf("cancel at %d: %d items not started", cancelAt, unstarted)
		}
		if cancelAt >= 0 && int(prepared.Load()) > cancelAt+1+window+1 {
			t.Errorf("cancel at %d: %d items prepared", cancelAt, prepared.Load())
		}
		if m := maxAhead.Load(); m > window+1 {
			t.Errorf("%d items prepared ahead, window %d", m, window)
		}
	}
}
