package scan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"station/fulfill"
	"station/journal"
	"station/verify"
)

// Verification (验货): with Options.Verify on and a product table, an order id does not print or
// ship at once: its lines are listed, each item scanned into the parcel counts one, and only a
// complete parcel (weighed, when there is a scale) goes on as the mode says. Every item scan
// and how the check ended is journaled, so a restarted station resumes the count.

// Weigher takes a parcel's weight off a scale: a stable reading, in grams. again allows the same
// reading as the last one taken (a re-weigh of the same parcel); otherwise a scale that still
// shows the previous parcel is not read as this one.
type Weigher interface {
	Weigh(ctx context.Context, again bool) (grams int, err error)
}

// DefaultWeighWait is how long a scan waits for the scale to settle.
const DefaultWeighWait = 8 * time.Second

// ErrNoProducts: verification is on but the product table is empty; nothing was done.
var ErrNoProducts = errors.New("verification is on but the product table is empty")

// packing is the order under verification.
type packing struct {
	res    Result // the order's result so far (type)
	pack   *verify.Pack
	weight *verify.Weight // taken, and out of range: waiting for a decision
	// noWeight is why the complete parcel could not be weighed (no steady reading, the scale
	// away): it waits for a decision too.
	noWeight error
}

// Packing returns the order under verification, as it stands.
func (sc *Scanner) Packing() (verify.View, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.packing == nil {
		return verify.View{}, false
	}
	return sc.packing.view(), true
}

func (pk *packing) view() verify.View {
	v := pk.pack.View()
	v.Weight = pk.weight
	return v
}

func (sc *Scanner) setPacking(pk *packing) {
	sc.mu.Lock()
	sc.packing = pk
	sc.mu.Unlock()
}

// verifyGate starts (or resumes) the verification of an order about to be printed or shipped.
// It reports false when the order goes on at once: verification is off, this is a reprint, or
// the journal shows the order's check passed.
func (sc *Scanner) verifyGate(ctx context.Context, opts Options, r Result, st fulfill.OrderStatus) (Result, bool) {
	if !opts.Verify || opts.Reprint || opts.Mode == ModePrint && st.Printed {
		return r, false
	}
	if opts.Catalog.Len() == 0 {
		return failed(r, ErrNoProducts), true
	}
	j := sc.st.Journal()
	if done, ok, err := j.Pack(ctx, r.OrderID); err != nil {
		return failed(r, err), true
	} else if ok && done.State.Passed() {
		return r, false
	}
	// JD first: no item is counted into a parcel (and no check is begun in the journal) for an
	// order JD shows shipped, cancelled or locked. The order's lines come with it.
	o, err := sc.st.WaitingOrder(ctx, r.OrderID)
	if err != nil {
		return failed(r, err), true
	}
	jp, err := j.StartPack(ctx, r.OrderID)
	if err != nil {
		return failed(r, err), true
	}
	if jp.State.Passed() { // passed in another window meanwhile
		return r, false
	}
	if o.Type != "" {
		r.Type = o.Type
	}
	r.BuyerRemark = o.BuyerRemark
	p := verify.New(r.OrderID, o.Lines, opts.Catalog)
	p.Restore(jp.Counts)
	pk := &packing{res: r, pack: p}
	sc.setPacking(pk)
	r.Note = NotePackStarted
	if len(jp.Counts) > 0 {
		r.Note = NotePackResumed
	}
	return sc.packNext(ctx, opts, pk, r), true
}

// packNext is where a pack stands after a change: uncoded lines wait for a decision, a
// complete pack is weighed and goes on, anything else waits for the next item.
func (sc *Scanner) packNext(ctx context.Context, opts Options, pk *packing, r Result) Result {
	r.Pack = ptr(pk.view())
	switch {
	case len(pk.pack.Uncoded()) > 0:
		r.Status, r.Note = Held, NoteUncoded
		return r
	case !pk.pack.Complete():
		r.Status = Verifying
		return r
	}
	return sc.weighAndGo(ctx, opts, pk, r, false)
}

// weighAndGo takes the complete parcel's weight (when there is a scale) and, when it is in
// range, ends the check and prints/ships the order.
func (sc *Scanner) weighAndGo(ctx context.Context, opts Options, pk *packing, r Result, again bool) Result {
	j := sc.st.Journal()
	if opts.Scale != nil {
		wait := opts.WeighWait
		if wait <= 0 {
			wait = DefaultWeighWait
		}
		wctx, cancel := context.WithTimeout(ctx, wait)
		g, err := opts.Scale.Weigh(wctx, again)
		cancel()
		pk.noWeight = err
		if err != nil {
			r.Status, r.Note, r.Err = Held, NoteNoWeight, err
			r.Pack = ptr(pk.view())
			return r
		}
		w := pk.pack.CheckWeight(g, opts.Tolerance.Filled())
		if err := j.Weighed(ctx, pk.pack.OrderID, journal.Weighing{GotG: w.GotG, ExpectedG: w.ExpectedG,
			ToleranceG: w.ToleranceG, Check: w.Check.String()}); err != nil {
			return failed(r, err)
		}
		r.Weight = &w
		if w.Check == verify.Overweight || w.Check == verify.Underweight {
			pk.weight = &w
			sc.setPacking(pk)
			r.Status, r.Note, r.Pack = Held, NoteWeightOff, ptr(pk.view())
			return r
		}
	}
	return sc.passPack(ctx, opts, pk, journal.PackComplete, "", r)
}

// passPack ends the check (complete or skipped) and goes on to print/ship the order.
func (sc *Scanner) passPack(ctx context.Context, opts Options, pk *packing, state journal.PackState, reason string, r Result) Result {
	if err := sc.st.Journal().EndPack(ctx, pk.pack.OrderID, state, reason); err != nil {
		return failed(r, err)
	}
	sc.setPacking(nil)
	view := pk.view()
	next := sc.orderScan(ctx, opts, pk.pack.OrderID, KindNumber)
	next.Pack, next.Weight = &view, r.Weight
	if next.Weight == nil {
		next.Weight = pk.weight
	}
	return next
}

func ptr[T any](v T) *T { return &v }

// packScan takes a line while an order is under verification: an item code, a quantity code
// (+N) or a command (:skip REASON, :aside, :weigh, :accept).
func (sc *Scanner) packScan(ctx context.Context, opts Options, pk *packing, line string) Result {
	if cmd, arg, ok := command(line); ok {
		return sc.packCommand(ctx, opts, pk, cmd, arg)
	}
	text, kind := Normalize(line)
	r := pk.res
	r.Pack = ptr(pk.view())
	if kind == KindEmpty {
		return rejected(r, &Error{Problem: Empty})
	}
	if text == pk.pack.OrderID {
		r.Status, r.Note = Verifying, NotePackResumed
		if pk.weight != nil || pk.noWeight != nil || len(pk.pack.Uncoded()) > 0 {
			r.Status = Held
		}
		return r
	}
	if pk.weight != nil {
		// The parcel is weighed and waits for a decision: items are not counted into it.
		return rejected(r, &ItemError{OrderID: pk.pack.OrderID, Code: text, Held: true})
	}
	s := pk.pack.Item(text)
	rec := journal.PackScan{OrderID: pk.pack.OrderID, Code: s.Code, N: s.N, Outcome: s.Outcome.String()}
	if s.Line >= 0 {
		rec.Line = pk.pack.Lines[s.Line].Key
	}
	if err := sc.st.Journal().RecordPackScan(ctx, rec); err != nil {
		if s.Outcome == verify.Counted {
			pk.pack.Uncount(s) // not journaled: not counted, so that a restart agrees
		}
		return failed(r, err)
	}
	r.Pack = ptr(pk.view())
	r.Item = &s
	if s.Outcome != verify.Counted {
		e := &ItemError{OrderID: pk.pack.OrderID, Code: s.Code, Scan: s}
		// A number no product has may be the next order's id: say how to move on.
		e.MaybeOrder = s.Outcome == verify.Unknown && kind == KindNumber
		return rejected(r, e)
	}
	return sc.packNext(ctx, opts, pk, r)
}

// command parses a command line: ':' and a word, then its argument.
func command(line string) (cmd, arg string, ok bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, ":") {
		return "", "", false
	}
	cmd, arg, _ = strings.Cut(strings.TrimPrefix(t, ":"), " ")
	return strings.ToLower(strings.TrimSpace(cmd)), strings.TrimSpace(arg), true
}

// decisions are the commands packCommand takes.
var decisions = map[string]bool{"skip": true, "aside": true, "weigh": true, "accept": true}

// IsDecision reports whether a scanned line is a packer's decision on the order under
// verification (:skip REASON, :aside, :weigh, :accept), which Submit takes.
func IsDecision(line string) bool {
	cmd, _, ok := command(line)
	return ok && decisions[cmd]
}

// packCommand is a packer's decision on the order under verification.
func (sc *Scanner) packCommand(ctx context.Context, opts Options, pk *packing, cmd, arg string) Result {
	r := pk.res
	r.Pack = ptr(pk.view())
	switch cmd {
	case "skip":
		if arg == "" {
			return rejected(r, &ItemError{OrderID: pk.pack.OrderID, NeedReason: true})
		}
		return sc.passPack(ctx, opts, pk, journal.PackSkipped, arg, r)
	case "aside":
		return sc.asidePack(ctx, pk, arg, r)
	case "accept":
		switch {
		case pk.weight != nil:
			return sc.passPack(ctx, opts, pk, journal.PackComplete, "", r)
		case pk.noWeight != nil:
			// Let go unweighed: the journal says so ("none"), for the history and the shift.
			exp, _ := pk.pack.ExpectedG()
			if err := sc.st.Journal().Weighed(ctx, pk.pack.OrderID, journal.Weighing{ExpectedG: exp, Check: "none"}); err != nil {
				return failed(r, err)
			}
			return sc.passPack(ctx, opts, pk, journal.PackComplete, "", r)
		}
		return rejected(r, &ItemError{OrderID: pk.pack.OrderID, Command: cmd})
	case "weigh":
		if !pk.pack.Complete() || opts.Scale == nil {
			return rejected(r, &ItemError{OrderID: pk.pack.OrderID, Command: cmd})
		}
		pk.weight = nil
		return sc.weighAndGo(ctx, opts, pk, r, true)
	}
	return rejected(r, &ItemError{OrderID: pk.pack.OrderID, Command: cmd})
}

func (sc *Scanner) asidePack(ctx context.Context, pk *packing, reason string, r Result) Result {
	if reason == "" {
		reason = "set aside"
	}
	if err := sc.st.Journal().EndPack(ctx, pk.pack.OrderID, journal.PackAside, reason); err != nil {
		return failed(r, err)
	}
	sc.setPacking(nil)
	r.Status, r.Note = Aside, NotePackAside
	r.Err = &ItemError{OrderID: pk.pack.OrderID, Aside: reason}
	return r
}

// ItemError is an item scan (or a decision) refused during verification; nothing was counted.
type ItemError struct {
	OrderID    string
	Code       string
	Scan       verify.Scan // Wrong, Surplus, Unknown, NoLine
	MaybeOrder bool        // Unknown, and shaped like an order id
	Held       bool        // the parcel is weighed and waits for a decision
	NeedReason bool        // :skip without a reason
	Command    string      // a command that does not apply now
	Aside      string      // the order was set aside, with this reason (not a refusal)
}

func (e *ItemError) Error() string {
	switch {
	case e.Aside != "":
		return fmt.Sprintf("order %s set aside: %s", e.OrderID, e.Aside)
	case e.NeedReason:
		return fmt.Sprintf("order %s: skipping verification needs a reason", e.OrderID)
	case e.Command != "":
		return fmt.Sprintf("order %s: %q does not apply now", e.OrderID, e.Command)
	case e.Held:
		return fmt.Sprintf("order %s waits for a decision on its weight; item %s not counted", e.OrderID, e.Code)
	}
	return fmt.Sprintf("order %s: item %s refused: %s", e.OrderID, e.Code, e.Scan.Outcome)
}

func (e *ItemError) Is(target error) bool { return target == ErrBadScan || target == ErrItemRefused }

// ErrItemRefused: an item scan was refused during verification (*ItemError says why).
var ErrItemRefused = errors.New("item refused")

// Refusal is the kind of an item refusal, for the sound and the shift's counts; 0 for none.
func Refusal(r Result) verify.Outcome {
	var e *ItemError
	if errors.As(r.Err, &e) && e.Aside == "" {
		return e.Scan.Outcome
	}
	return 0
}
