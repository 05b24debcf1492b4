package fulfill

import (
	"errors"
	"fmt"
	"strings"
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
	// ErrBadWaybillFile: a waybill file (CSV) has mistakes; nothing was done. *ListError
	// lists them with line numbers.
	ErrBadWaybillFile = errors.New("the waybill file has mistakes")
	// ErrBadOrderList: an order list has lines that are not order ids; nothing was done.
	ErrBadOrderList = errors.New("the order list has mistakes")
	// ErrPrinterStopped: the batch stopped printing because the printer failed on an earlier
	// label; this order was not printed (nor shipped). Run the batch again once the printer works.
	ErrPrinterStopped = errors.New("not printed: the printer failed on an earlier label")
	// ErrStopped: the run was stopped (cancelled) before this order was done; what was done is
	// in the journal, and running the same batch again continues.
	ErrStopped = errors.New("stopped before this order was done")
)

// PrintUnknownError is an order whose last label may or may not have come out.
type PrintUnknownError struct {
	OrderID string
	At      time.Time // when that print started
	Printer string
	Reason  string // what is known about how it ended, if anything
	Err     error  // the printer's error, when this run saw it
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

// ListKind names the kind of list a ListError is about.
type ListKind int

const (
	WaybillFile ListKind = iota + 1 // a waybill CSV: order_id,logistics_id,waybill[,packages]
	OrderList                       // order ids, one a line or comma-separated
)

// ListError lists the mistakes of a waybill file or an order list, each with its line number
// (or the id concerned); nothing was done.
type ListError struct {
	Of       ListKind
	Problems []string // "line 3: …"
}

func (e *ListError) Error() string {
	what := "the order list"
	if e.Of == WaybillFile {
		what = "the waybill file"
	}
	const show = 20
	p, more := e.Problems, ""
	if len(p) > show {
		more = fmt.Sprintf("\n  … and %d more", len(p)-show)
		p = p[:show]
	}
	return fmt.Sprintf("%s has %d mistake(s); nothing was done:\n  %s%s", what, len(e.Problems), strings.Join(p, "\n  "), more)
}

// Is makes errors.Is(err, ErrBadWaybillFile) or ErrBadOrderList true, after the kind.
func (e *ListError) Is(target error) bool {
	return target == ErrBadWaybillFile && e.Of == WaybillFile || target == ErrBadOrderList && e.Of == OrderList
}
