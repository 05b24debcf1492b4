package scan

import (
	"errors"
	"fmt"
	"testing"

	"station/fulfill"
	"station/printdata"
)

// Every scan that did not go through is kept with its way forward, through any number of later
// successes, until the same order goes through or a person clears it.
func TestExceptionsKeepWhatDidNotGoThrough(t *testing.T) {
	var x Exceptions
	for _, c := range []struct {
		r    Result
		kept bool
		act  Action
	}{
		{Result{OrderID: "1", Status: Failed, Err: errors.New("JD busy")}, true, ActionRetry},
		{Result{OrderID: "2", Status: Failed, Err: &fulfill.PrintUnknownError{OrderID: "2"}}, true, ActionReprint},
		{Result{OrderID: "3", Status: Failed, Err: &printdata.NotShippableError{OrderID: "3", State: printdata.StateWaitReceive}}, true, ActionNone},
		{Result{OrderID: "4", Status: Failed, PrintedNow: true, Err: errors.New("ship refused")}, true, ActionResume},
		{Result{Input: "HELLO", Status: Rejected, Err: &Error{Problem: Garbage}}, true, ActionNone},
		{Result{OrderID: "6", Status: NeedWaybill, SetAside: &Result{OrderID: "5", Status: Rejected, Note: NoteSetAside}}, true, ActionResume},
		{Result{OrderID: "7", Status: PrintedShipped}, false, ActionNone},
		{Result{OrderID: "8", Status: AlreadyDone}, false, ActionNone},
	} {
		before := x.Len()
		x.Add(c.r)
		if got := x.Len() > before; got != c.kept {
			t.Errorf("%+v: kept %v, want %v", c.r, got, c.kept)
		}
		if c.kept && x.List()[0].Action != c.act {
			t.Errorf("%+v: action %v, want %v", c.r, x.List()[0].Action, c.act)
		}
	}
	if n := x.Len(); n != 6 {
		t.Fatalf("%d exceptions, want 6", n)
	}
	for i := range 10 {
		x.Add(Result{OrderID: fmt.Sprint(100 + i), Status: PrintedShipped})
	}
	if n := x.Len(); n != 6 {
		t.Fatalf("ten successes later: %d exceptions, want 6", n)
	}
	// Order 1 goes through on a retry: its exception goes; a second failure of 2 replaces the first.
	x.Add(Result{OrderID: "1", Status: PrintedShipped})
	x.Add(Result{OrderID: "2", Status: Failed, Err: errors.New("again")})
	list := x.List()
	if len(list) != 5 || list[0].Result.OrderID != "2" || list[0].Action != ActionRetry {
		t.Fatalf("after a retry and a second failure: %+v", list)
	}
	x.Clear(0)
	if x.Len() != 4 {
		t.Errorf("after Clear: %d", x.Len())
	}
	for i := range MaxExceptions + 10 {
		x.Add(Result{Input: fmt.Sprint("X", i), Status: Rejected})
	}
	if x.Len() != MaxExceptions {
		t.Errorf("%d exceptions kept, want at most %d", x.Len(), MaxExceptions)
	}
}
