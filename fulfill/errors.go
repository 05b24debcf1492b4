package fulfill

import (
	"errors"
	"fmt"
	"station/ship"
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
	// ErrBadScan: a scanned line was not what the scanner expected; nothing was done.
	// *ScanError says what it was.
	ErrBadScan = errors.New("bad scan")
	// ErrBadWaybillFile: a waybill file (CSV) has mistakes; nothing was done. *WaybillFileError
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
	s := fmt.Sprintf("order %s: the label sent to %s at %s may or may not have printed", e.OrderID, e.Printer, clock(e.At))
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s + ": check the printer; if no label came out, reprint it"
}

func (e *PrintUnknownError) Is(target error) bool { return target == ErrPrintUnknown }
func (e *PrintUnknownError) Unwrap() error        { return e.Err }

// ScanProblem says what is wrong with a scanned line.
type ScanProblem int

const (
	ScanEmpty            ScanProblem = iota + 1 // nothing but noise was scanned
	ScanGarbage                                 // neither an order id nor a waybill
	ScanWaybillFirst                            // a waybill where an order id was expected
	ScanSameOrder                               // the awaited order's barcode again, instead of its waybill
	ScanOrderNotWaybill                         // another order's barcode where a waybill was expected
	ScanCarrierUnknown                          // no carrier of the shop has waybills like this
	ScanCarrierAmbiguous                        // several carriers have waybills like this: choose one
	ScanWaybillShape                            // the waybill does not fit the chosen carrier
	ScanUnchecked                               // could not tell whether a number is an order or a waybill
)

var scanProblemNames = map[ScanProblem]string{ScanEmpty: "empty", ScanGarbage: "garbage",
	ScanWaybillFirst: "waybill-first", ScanSameOrder: "same-order", ScanOrderNotWaybill: "order-not-waybill",
	ScanCarrierUnknown: "carrier-unknown", ScanCarrierAmbiguous: "carrier-ambiguous",
	ScanWaybillShape: "waybill-shape", ScanUnchecked: "unchecked"}

func (p ScanProblem) String() string {
	if s, ok := scanProblemNames[p]; ok {
		return s
	}
	return fmt.Sprintf("scan-problem(%d)", int(p))
}

// ScanError is a scanned line refused before anything was done.
type ScanError struct {
	Problem    ScanProblem
	Input      string         // the line after cleaning (an order id or a waybill: no personal data)
	Awaited    string         // the order waiting for its waybill, if any
	Carrier    ship.Carrier   // ScanWaybillShape: the carrier chosen
	Candidates []ship.Carrier // ScanCarrierAmbiguous: the carriers it could be; ScanWaybillFirst: the carrier it looks like
	Err        error
}

func (e *ScanError) Error() string {
	var s string
	switch e.Problem {
	case ScanEmpty:
		s = "nothing was scanned"
	case ScanGarbage:
		s = fmt.Sprintf("%q is neither an order id nor a waybill", e.Input)
	case ScanWaybillFirst:
		s = fmt.Sprintf("%s looks like a waybill%s: scan the order barcode first", e.Input, likeCarrier(e.Candidates))
	case ScanSameOrder:
		s = fmt.Sprintf("%s is the order itself: scan the parcel's waybill", e.Input)
	case ScanOrderNotWaybill:
		s = fmt.Sprintf("%s is an order, not a waybill: scan the waybill of order %s, or cancel it", e.Input, e.Awaited)
	case ScanCarrierUnknown:
		s = fmt.Sprintf("no carrier of this shop has waybills like %s: choose the carrier", e.Input)
	case ScanCarrierAmbiguous:
		s = fmt.Sprintf("waybill %s could be %s: choose the carrier", e.Input, ship.Describe(e.Candidates))
	case ScanWaybillShape:
		s = fmt.Sprintf("%s does not look like a %s waybill: scan the waybill again or choose another carrier", e.Input, e.Carrier.Name)
	case ScanUnchecked:
		s = fmt.Sprintf("could not check whether %s is an order or a waybill: choose the carrier, or scan again", e.Input)
	default:
		s = "bad scan " + e.Input
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *ScanError) Is(target error) bool { return target == ErrBadScan }
func (e *ScanError) Unwrap() error        { return e.Err }

func likeCarrier(cs []ship.Carrier) string {
	if len(cs) == 0 {
		return ""
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return " (" + strings.Join(names, "/") + ")"
}

// WaybillFileError lists the mistakes of a waybill file, each with its line number.
type WaybillFileError struct {
	Problems []string // "line 3: …"
}

func (e *WaybillFileError) Error() string { return listMistakes("the waybill file", e.Problems) }

func (e *WaybillFileError) Is(target error) bool { return target == ErrBadWaybillFile }

// OrderListError lists the lines of an order list that are not order ids.
type OrderListError struct {
	Problems []string
}

func (e *OrderListError) Error() string { return listMistakes("the order list", e.Problems) }

// listMistakes says how many mistakes what has and lists the first twenty, one a line.
func listMistakes(what string, problems []string) string {
	const show = 20
	p, more := problems, ""
	if len(p) > show {
		more = fmt.Sprintf("\n  … and %d more", len(p)-show)
		p = p[:show]
	}
	return fmt.Sprintf("%s has %d mistake(s); nothing was done:\n  %s%s", what, len(problems), strings.Join(p, "\n  "), more)
}

func (e *OrderListError) Is(target error) bool { return target == ErrBadOrderList }

// clock formats a time for messages: 10:32 today, 11-20 10:32 on another day.
func clock(t time.Time) string {
	if t.IsZero() {
		return "an unknown time"
	}
	now := time.Now()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("01-02 15:04")
}
