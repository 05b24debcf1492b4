package sqljournal

import (
	"context"
	"time"

	"station/journal"
)

// The reads of the Store interface. Each waits (on PostgreSQL) while the server cannot be
// reached, and then reads again from the start.

// Get returns the order's entry; ok is false when the journal has never seen the order.
func (j *DB) Get(ctx context.Context, orderID string) (e journal.Entry, ok bool, err error) {
	err = j.Read(ctx, func() (err error) { e, ok, err = j.getOnce(ctx, orderID); return err })
	return e, ok, err
}

func (j *DB) entries(ctx context.Context, where string, args ...any) (out []journal.Entry, err error) {
	err = j.Read(ctx, func() (err error) { out, err = j.entriesOnce(ctx, where, args...); return err })
	return out, err
}

// CountsBetween counts the work done in [from, to).
func (j *DB) CountsBetween(ctx context.Context, from, to time.Time) (c journal.Counts, err error) {
	err = j.Read(ctx, func() (err error) { c, err = j.countsOnce(ctx, from, to); return err })
	return c, err
}

// Attempts lists the order's JOS writes and reconciliations, oldest first.
func (j *DB) Attempts(ctx context.Context, orderID string) (out []journal.Attempt, err error) {
	err = j.Read(ctx, func() (err error) { out, err = j.attemptsOnce(ctx, orderID); return err })
	return out, err
}

// Prints lists the order's print jobs, oldest first.
func (j *DB) Prints(ctx context.Context, orderID string) (out []journal.Print, err error) {
	err = j.Read(ctx, func() (err error) { out, err = j.printsOnce(ctx, orderID); return err })
	return out, err
}

// LastPrint returns the order's most recent print job; ok is false when it has none.
func (j *DB) LastPrint(ctx context.Context, orderID string) (p journal.Print, ok bool, err error) {
	err = j.Read(ctx, func() (err error) { p, ok, err = j.lastPrintOnce(ctx, orderID); return err })
	return p, ok, err
}

// Pack returns an order's verification with its counts.
func (j *DB) Pack(ctx context.Context, orderID string) (p journal.Pack, ok bool, err error) {
	err = j.Read(ctx, func() (err error) { p, ok, err = j.packOnce(ctx, orderID); return err })
	return p, ok, err
}

// PackCountsBetween counts the verification work of [from, to).
func (j *DB) PackCountsBetween(ctx context.Context, from, to time.Time) (c journal.PackCounts, err error) {
	err = j.Read(ctx, func() (err error) { c, err = j.packCountsOnce(ctx, from, to); return err })
	return c, err
}
