package fulfill

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"station/afs"
	"station/jos"
	"station/journal"
	"station/printdata"
)

// The returns desk: an order's after-sales cases with their detail and schedule, applications
// sent exactly once, cancellation, and returned parcels received.

// AfsView is one case as the desk shows it.
type AfsView struct {
	Case     afs.Case
	Detail   afs.Detail
	Schedule []afs.Step
	Err      error // the detail or schedule could not be read; Case is still right
}

// AfsCases reads the order's cases (order.get first, as the seed advises) with each one's
// detail and schedule.
func (s *Station) AfsCases(ctx context.Context, orderID string) ([]AfsView, error) {
	cases, err := s.afs.Cases(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]AfsView, len(cases))
	for i, c := range cases {
		out[i].Case = c
		if out[i].Detail, err = s.afs.Detail(ctx, c.ID); err == nil {
			out[i].Schedule, err = s.afs.Schedule(ctx, c.ID)
		}
		out[i].Err = err
	}
	return out, nil
}

// ReturnOrder finds the order a returned parcel's scan names: a waybill the journal shipped it
// with, or the order id itself.
func (s *Station) ReturnOrder(ctx context.Context, scanned string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(scanned))
	entries, err := s.journal.ByWaybill(ctx, code)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.State == journal.StateShipped {
			return e.OrderID, nil
		}
	}
	return printdata.CleanOrderID(code)
}

// Errors of the desk.
var (
	// ErrAfsOpen: the order already has an open case of this type; nothing was sent.
	ErrAfsOpen = errors.New("the order already has an open after-sales case of this type")
	// ErrAfsUnsettled: an application's outcome is unknown and JD could not be asked: it is
	// settled (with order.get) before anything is sent again.
	ErrAfsUnsettled = errors.New("the after-sales application's outcome is not known yet")
)

// AfsOpenError is an application refused before sending because the case exists.
type AfsOpenError struct{ Case afs.Case }

func (e *AfsOpenError) Error() string {
	return fmt.Sprintf("order %s: %v (case %d, %s)", e.Case.OrderID, ErrAfsOpen, e.Case.ID, e.Case.Status.Name().EN)
}

// Is makes errors.Is(err, ErrAfsOpen) true.
func (e *AfsOpenError) Is(target error) bool { return target == ErrAfsOpen }

// AfsApplied is how an application ended.
type AfsApplied struct {
	CaseID int64
	// Found: the case was JD's already (an earlier application whose reply was lost): nothing
	// was sent now.
	Found bool
	Sent  bool // apply.create was called by this call
}

// afsLeaseTTL is how long an application's claim lasts: a call and its settling, and some.
const afsLeaseTTL = 2 * time.Minute

// AfsApply sends an after-sales application exactly once. In order: it is checked (the type
// and expectation must match); order.get lists the order's cases, and an open one of the same
// type refuses it (the seed's "avoid duplicate submissions"); the journal records it as being
// sent, with the cases of that type that exist now; an earlier application left unsettled is
// settled first (a case not among its known ones is that application's: nothing is sent);
// then apply.create goes out once. An unknown outcome is settled with order.get, never by
// sending again.
func (s *Station) AfsApply(ctx context.Context, a afs.Application) (AfsApplied, error) {
	a, err := a.Check()
	if err != nil {
		return AfsApplied{}, err
	}
	cases, err := s.afs.Cases(ctx, a.OrderID)
	if err != nil {
		return AfsApplied{}, fmt.Errorf("order %s: nothing was sent: %w", a.OrderID, err)
	}
	var known []int64
	for _, c := range cases {
		if c.Type == a.Type {
			known = append(known, c.ID)
		}
	}
	rec := journal.AfsApply{OrderID: a.OrderID, Type: int(a.Type), Expect: int(a.Expect), Question: a.Question, Known: known}
	earlier, unsettled, err := s.journal.BeginAfsApply(ctx, rec, journal.NewLease(time.Now().Add(afsLeaseTTL)))
	if err != nil {
		return AfsApplied{}, fmt.Errorf("order %s: nothing was sent: %w", a.OrderID, err)
	}
	wctx := context.WithoutCancel(ctx)
	if unsettled {
		if c, ok := newCase(cases, a.Type, earlier.Known); ok {
			err := s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsCreated, c.ID, "an earlier application's case, found with order.get")
			return AfsApplied{CaseID: c.ID, Found: true}, err
		}
		// The earlier one created nothing: this one goes out under its record.
		known = earlier.Known
	}
	for _, c := range cases {
		if c.Type == a.Type && c.Status.Open() {
			err := s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsRefused, c.ID, "an open case of this type exists")
			return AfsApplied{CaseID: c.ID}, errors.Join(&AfsOpenError{Case: c}, err)
		}
	}

	id, err := s.afs.Apply(ctx, a)
	res := AfsApplied{CaseID: id, Sent: true}
	var re *afs.RefusedError
	switch {
	case err == nil:
		s.log.InfoContext(ctx, "after-sales case created", "order_id", a.OrderID, "case", id, "type", int(a.Type))
		return res, s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsCreated, id, "")
	case errors.As(err, &re) && re.Duplicate(), jos.MayHaveTakenEffect(err):
		// JD may have the case: its list says.
		now, lerr := s.afs.Cases(wctx, a.OrderID)
		if lerr != nil {
			note := "outcome unknown (" + err.Error() + "); order.get failed: " + lerr.Error()
			s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsSending, 0, note)
			return res, fmt.Errorf("order %s: %w: %w", a.OrderID, ErrAfsUnsettled, err)
		}
		if c, ok := newCase(now, a.Type, known); ok {
			res.CaseID, res.Found = c.ID, true
			return res, s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsCreated, c.ID, "found with order.get after: "+err.Error())
		}
		s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsRefused, 0, "JD shows no new case after: "+err.Error())
		return res, fmt.Errorf("order %s: no case was created (JD's list shows none): %w", a.OrderID, err)
	}
	s.journal.EndAfsApply(wctx, a.OrderID, int(a.Type), journal.AfsRefused, 0, err.Error())
	return res, err
}

// newCase is a case of type t that is not among known.
func newCase(cases []afs.Case, t afs.Type, known []int64) (afs.Case, bool) {
	for _, c := range cases {
		if c.Type == t && !slices.Contains(known, c.ID) {
			return c, true
		}
	}
	return afs.Case{}, false
}

// AfsCancel cancels a case.
func (s *Station) AfsCancel(ctx context.Context, caseID int64) error {
	return s.afs.Cancel(ctx, caseID)
}

// AfsCase reads one case by id: its detail and schedule (order.get needs the order, which a
// case id alone does not give).
func (s *Station) AfsCase(ctx context.Context, caseID int64) (AfsView, error) {
	d, err := s.afs.Detail(ctx, caseID)
	if err != nil {
		return AfsView{}, err
	}
	v := AfsView{Case: afs.Case{ID: caseID}, Detail: d}
	v.Schedule, v.Err = s.afs.Schedule(ctx, caseID)
	return v, nil
}

// ReceiveReturn records a returned parcel: the order, its case when known, its condition and a note.
func (s *Station) ReceiveReturn(ctx context.Context, r journal.Return) (journal.Return, error) {
	id, err := printdata.CleanOrderID(r.OrderID)
	if err != nil {
		return r, err
	}
	r.OrderID = id
	if !slices.Contains(journal.Conditions, r.Condition) {
		return r, fmt.Errorf("order %s: condition %q: give good, damaged or missing", id, r.Condition)
	}
	if r.Condition != journal.ReturnGood && strings.TrimSpace(r.Note) == "" {
		return r, fmt.Errorf("order %s: %w", id, ErrReturnNote)
	}
	if r.ID, err = s.journal.RecordReturn(ctx, r); err != nil {
		return r, err
	}
	r.At, r.Who = time.Now(), s.journal.Who()
	s.log.InfoContext(ctx, "return received", "order_id", id, "case", r.CaseID, "condition", string(r.Condition))
	return r, nil
}

// ErrReturnNote: a damaged parcel or one with missing items needs a note saying what.
var ErrReturnNote = errors.New("a damaged return or one with missing items needs a note saying what")

// Returns finds returned parcels (by order, waybill or case; a period).
func (s *Station) Returns(ctx context.Context, f journal.ReturnFilter) ([]journal.Return, error) {
	return s.journal.Returns(ctx, f)
}
