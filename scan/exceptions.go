package scan

import (
	"errors"
	"sync"

	"station/fulfill"
	"station/printdata"
	"station/ship"
)

// Action is the one-click way forward for an exception.
type Action int

const (
	ActionNone    Action = iota // nothing the station can do: a person acts (JD's backend, the goods)
	ActionRetry                 // scan the order again (a failure that may go through now)
	ActionReprint               // print the label again (the last print may not have come out)
	ActionResume                // scan the order again to give its waybill (set aside, printed)
)

// Exception is a scan that did not go through, kept until it is dealt with.
type Exception struct {
	Result Result
	Action Action
}

// Exceptions keeps every refused, failed or unsure scan of a session (异常单) until a person
// clears it or the order later goes through: a failure does not scroll away behind the
// successes after it. Safe for concurrent use.
type Exceptions struct {
	mu   sync.Mutex
	list []Exception // newest first; one per order (or per bad line without an order)
}

// MaxExceptions bounds the list: a scanner jammed on garbage cannot grow it without end.
const MaxExceptions = 500

// Add takes a scan's result: a result that did not go through (and an order it set aside)
// is kept, replacing an earlier exception of the same order; one that went through clears
// the order's exception. It reports whether the list changed.
func (x *Exceptions) Add(r Result) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	changed := false
	if r.SetAside != nil {
		changed = x.put(Exception{Result: *r.SetAside, Action: ActionResume})
	}
	var item *ItemError
	if r.Status == Rejected && errors.As(r.Err, &item) {
		return changed // an item refused during verification: the order is still being packed
	}
	if ok, act := exceptional(r); ok {
		return x.put(Exception{Result: r, Action: act}) || changed
	}
	if r.OrderID != "" && r.Status != Rejected {
		return x.drop(r.OrderID) || changed
	}
	return changed
}

// exceptional says whether a result is kept, and its way forward.
func exceptional(r Result) (bool, Action) {
	switch r.Status {
	case Printed, Shipped, PrintedShipped, NeedWaybill, AlreadyDone, Verifying, Held:
		return false, ActionNone
	case Aside:
		return true, ActionResume // scanning it again packs it again from zero
	}
	if r.Note == NoteSetAside {
		return true, ActionResume
	}
	if r.OrderID == "" {
		return true, ActionNone // a bad line: shown until cleared, nothing to retry
	}
	var ns *printdata.NotShippableError
	switch {
	case errors.As(r.Err, &ns) && ns.State == printdata.StateLocked:
		return true, ActionRetry // customer service holds it: it may be released
	case errors.As(r.Err, &ns):
		return true, ActionNone // JD's state decides: take the goods off, look in JD's backend
	case errors.Is(r.Err, ship.ErrDeleteRequested), errors.Is(r.Err, fulfill.ErrFBPOrder):
		return true, ActionNone // a delete request (withdrawn first) or JD's own warehouse decides
	case errors.Is(r.Err, fulfill.ErrPrintUnknown):
		return true, ActionReprint
	case r.PrintedNow || r.Status == Rejected:
		return true, ActionResume
	}
	return true, ActionRetry
}

func (x *Exceptions) put(e Exception) bool {
	if e.Result.OrderID != "" {
		x.drop(e.Result.OrderID)
	}
	x.list = append([]Exception{e}, x.list...)
	if len(x.list) > MaxExceptions {
		x.list = x.list[:MaxExceptions]
	}
	return true
}

func (x *Exceptions) drop(orderID string) bool {
	for i, e := range x.list {
		if e.Result.OrderID == orderID {
			x.list = append(x.list[:i], x.list[i+1:]...)
			return true
		}
	}
	return false
}

// Clear removes the exception at index i of List (a person dealt with it).
func (x *Exceptions) Clear(i int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if i >= 0 && i < len(x.list) {
		x.list = append(x.list[:i], x.list[i+1:]...)
	}
}

// List returns the exceptions, newest first.
func (x *Exceptions) List() []Exception {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]Exception(nil), x.list...)
}

// Len is how many exceptions are open.
func (x *Exceptions) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.list)
}
