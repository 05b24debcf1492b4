package fulfill

import (
	"errors"
	"fmt"
	"time"
)

// Errors of the workflow layer (Station, Scanner, Batch). Explain turns each into words.
var (
	// ErrNoPrinter: a label was to be printed but the station has no printer set up.
	ErrNoPrinter = errors.New("no printer is set up")
	// ErrPrintUnknown: an earlier print of the order stopped half-way (the station stopped, the
	// printer was unplugged mid-label): the label may or may not have come out. Nothing prints
	// it again until a person looks and asks for a reprint. *PrintUnknownError says when.
	ErrPrintUnknown = errors.New("the label may or may not have printed")
	// ErrPrinterStopped: the batch stopped printing because the printer failed on an earlier
	// label; this order was not printed (nor shipped). Run the batch again once the printer works.
	ErrPrinterStopped = errors.New("not printed: the printer failed on an earlier label")
	// ErrShippedElsewhere: a batch found the order shipped by another window or process
	// between looking at it and shipping it: nothing was sent, and it is not this run's.
	ErrShippedElsewhere = errors.New("the order was shipped meanwhile by another window or process")
	// ErrStopped: the run was stopped (cancelled) before this order was done; what was done is
	// in the journal, and running the same batch again continues.
	ErrStopped = errors.New("stopped before this order was done")
)

// PrinterStoppedError is an order a batch did not print (nor ship) because the printer failed
// on an earlier order's label: nothing of this order's label was sent.
type PrinterStoppedError struct {
	OrderID  string
	FailedOn string // the order whose label the printer failed on
	Err      error  // the printer's failure there
}

func (e *PrinterStoppedError) Error() string {
	return fmt.Sprintf("order %s: %v (on order %s: %v)", e.OrderID, ErrPrinterStopped, e.FailedOn, e.Err)
}

// Is makes errors.Is(err, ErrPrinterStopped) true. The printer's error is not unwrapped: it
// belongs to the other order (its "partly sent" is not this one's).
func (e *PrinterStoppedError) Is(target error) bool { return target == ErrPrinterStopped }

// PrintUnknownError is an order whose last label may or may not have come out.
type PrintUnknownError struct {
	OrderID string
	At      time.Time // when that print started
	Printer string
	Reason  string // what is known about how it ended, if anything
	Err     error  // the printer's error, when this run saw it
	// Labels is how many labels the order has (parcels), when this run printed them; Done how
	// many came out whole before the one that was interrupted (label Done+1); the rest were
	// not sent.
	Labels, Done int
	// CutOff: label Done+1 was cut off (part of it sent); false: it was not sent at all.
	CutOff bool
}

func (e *PrintUnknownError) Error() string {
	s := fmt.Sprintf("order %s: the label sent to %s at %s may or may not have printed", e.OrderID, e.Printer, e.At.Format(time.DateTime))
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s + ": check the printer; if no label came out, reprint it"
}

func (e *PrintUnknownError) Is(target error) bool { return target == ErrPrintUnknown }
func (e *PrintUnknownError) Unwrap() error        { return e.Err }
