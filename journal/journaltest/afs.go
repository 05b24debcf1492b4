package journaltest

import (
	"context"
	"errors"
	"testing"
	"time"

	"station/journal"
)

// testAfsApplies: an application is recorded as being sent under a claim; another live claim
// is refused meanwhile; one left sending is handed back for settling; the end is kept.
func testAfsApplies(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	j.SetWho(journal.Who{Station: "desk-1", Packer: "9002"})
	a := journal.AfsApply{OrderID: "3001", Type: 10, Expect: 10, Question: "破损", Known: []int64{11, 12}}
	l := lease(c, time.Minute)
	if prev, unsettled, err := j.BeginAfsApply(ctx, a, l); err != nil || unsettled || prev.State != "" {
		t.Fatalf("first: %+v %v %v", prev, unsettled, err)
	}
	got, ok, err := j.AfsApplyOf(ctx, "3001", 10)
	if err != nil || !ok || got.State != journal.AfsSending || got.Question != "破损" || len(got.Known) != 2 || got.Known[1] != 12 ||
		got.Who.Station != "desk-1" || got.Holder != l.Owner {
		t.Fatalf("while sending: %+v %v %v", got, ok, err)
	}
	if _, _, err := j.BeginAfsApply(ctx, a, lease(c, time.Minute)); !errors.Is(err, journal.ErrAfsBusy) {
		t.Fatalf("a second claim while the first is live: %v", err)
	}
	// The first claim expires with the outcome unknown: the next one settles it first.
	c.add(2 * time.Minute)
	prev, unsettled, err := j.BeginAfsApply(ctx, a, lease(c, time.Minute))
	if err != nil || !unsettled || prev.State != journal.AfsSending || len(prev.Known) != 2 {
		t.Fatalf("after the claim expired: %+v %v %v", prev, unsettled, err)
	}
	if err := j.EndAfsApply(ctx, "3001", 10, journal.AfsCreated, 77, "found by order.get"); err != nil {
		t.Fatal(err)
	}
	if got, _, _ = j.AfsApplyOf(ctx, "3001", 10); got.State != journal.AfsCreated || got.CaseID != 77 || got.Holder != "" {
		t.Fatalf("created: %+v", got)
	}
	// Another type of the same order is its own application.
	if _, unsettled, err := j.BeginAfsApply(ctx, journal.AfsApply{OrderID: "3001", Type: 20, Expect: 20, Question: "换色"}, lease(c, time.Minute)); err != nil || unsettled {
		t.Fatalf("another type: %v %v", unsettled, err)
	}
	if err := j.EndAfsApply(ctx, "3001", 20, "approved", 0, ""); err == nil {
		t.Error("an unknown state was recorded")
	}
}

// testReturns: returned parcels are kept with who received them, found by order, waybill or
// case, and counted on the board.
func testReturns(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	j.SetWho(journal.Who{Station: "desk-1", Packer: "9002"})
	for i, r := range []journal.Return{
		{OrderID: "3101", CaseID: 501, Waybill: "JDVA00000000001", Condition: journal.ReturnGood},
		{OrderID: "3102", Condition: journal.ReturnDamaged, Note: "外箱压坏"},
		{OrderID: "3101", CaseID: 502, Condition: journal.ReturnMissing, Note: "少一个充电器"},
	} {
		if _, err := j.RecordReturn(ctx, r); err != nil {
			t.Fatalf("return %d: %v", i, err)
		}
		c.add(time.Minute)
	}
	if _, err := j.RecordReturn(ctx, journal.Return{OrderID: "3103", Condition: "lost"}); err == nil {
		t.Error("an unknown condition was recorded")
	}
	for _, tc := range []struct {
		q    string
		want int
	}{{"3101", 2}, {"JDVA00000000001", 1}, {"jdva00000000001", 1}, {"502", 1}, {"", 3}, {"9999", 0}} {
		rs, err := j.Returns(ctx, journal.ReturnFilter{Query: tc.q})
		if err != nil || len(rs) != tc.want {
			t.Errorf("Returns(%q) = %d, %v; want %d", tc.q, len(rs), err, tc.want)
		}
	}
	rs, _ := j.Returns(ctx, journal.ReturnFilter{Query: "3101"})
	if rs[0].Condition != journal.ReturnMissing || rs[0].Note != "少一个充电器" || rs[0].Who.Packer != "9002" || rs[0].At.IsZero() {
		t.Errorf("newest first, with its condition, note and who: %+v", rs[0])
	}
	b, err := j.Board(ctx, c.now().Add(-time.Hour), c.now().Add(time.Hour))
	if err != nil || b.Returns != 3 {
		t.Errorf("board returns %d, %v; want 3", b.Returns, err)
	}
}
