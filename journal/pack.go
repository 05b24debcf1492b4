package journal

import (
	"context"
	"errors"
	"time"
)

// PackState is where an order's pack verification stands.
type PackState string

const (
	PackChecking PackState = "checking" // items are being scanned into the parcel
	PackComplete PackState = "complete" // every item was scanned (and the weight accepted)
	PackSkipped  PackState = "skipped"  // verification skipped by the packer, with a reason
	PackAside    PackState = "aside"    // put aside (Esc, a weight out of range): an exception
)

// Passed reports whether the order may go on to print and ship.
func (s PackState) Passed() bool { return s == PackComplete || s == PackSkipped }

// Pack is an order's pack verification as the journal keeps it.
type Pack struct {
	OrderID     string
	State       PackState
	Reason      string // why it was skipped or set aside
	WeightG     int    // the parcel's weight, when weighed
	ExpectedG   int
	ToleranceG  int
	WeightCheck string         // "", ok, over, under, unsure, accepted (out of range, let go), none (not weighed, let go)
	Counts      map[string]int // line key → pieces counted since the pack (re)started
	StartedAt   time.Time
	UpdatedAt   time.Time
	Who         Who // the station and packer that last worked on it
}

// PackScan is one item scan of a pack. Outcome is counted, wrong, surplus, unknown or no-line;
// only counted scans count (N pieces of Line).
type PackScan struct {
	OrderID string
	Code    string
	Line    string
	N       int
	Outcome string
}

// Weighing is a pack's weight and how it compared.
type Weighing struct {
	GotG, ExpectedG, ToleranceG int
	Check                       string
}

// PackCounts are a shift's verification figures.
type PackCounts struct {
	Verified    int            // packs completed by scanning every item
	Skipped     int            // verification skipped with a reason
	Aside       int            // set aside
	Refused     map[string]int // refused item scans by outcome (wrong, surplus, unknown, no-line)
	Overweight  int
	Underweight int
}

// TodayPackCounts counts today's verification work, in now's time zone.
func TodayPackCounts(ctx context.Context, s Store, now time.Time) (PackCounts, error) {
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return s.PackCountsBetween(ctx, start, start.AddDate(0, 0, 1))
}

// ErrNoPack: the order has no pack verification in the journal.
var ErrNoPack = errors.New("the order has no pack verification in the journal")

// PackError is a verification step on an order the journal has no pack for.
type PackError struct {
	OrderID string
	Err     error
}

func (e *PackError) Error() string { return "order " + e.OrderID + ": " + e.Err.Error() }
func (e *PackError) Unwrap() error { return e.Err }
