// Package ctxtime waits for a while unless a context ends first: the one sleep every retry and
// settle loop of the station uses, so that Ctrl+C never waits out a backoff.
package ctxtime

import (
	"context"
	"time"
)

// Sleep waits for d, or until ctx is done (then it returns ctx's error).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
