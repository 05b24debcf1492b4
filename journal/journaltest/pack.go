package journaltest

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"station/journal"
)

// testPacks: a pack's counts survive a reopen (a crash), refusals count nothing, a pack set
// aside starts over, a passed one stays passed, and the shift's figures add up.
func testPacks(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	c := newClock()
	open := fresh(t)
	j := open(c.now)
	p, err := j.StartPack(ctx, "3001")
	if err != nil || p.State != journal.PackChecking || len(p.Counts) != 0 {
		t.Fatalf("StartPack = %+v, %v", p, err)
	}
	for _, s := range []journal.PackScan{
		{OrderID: "3001", Code: "6901234567892", Line: "sku:101", N: 1, Outcome: "counted"},
		{OrderID: "3001", Code: "6909999999999", Outcome: "unknown"},
		{OrderID: "3001", Code: "6901234567922", Outcome: "wrong"},
		{OrderID: "3001", Code: "+1", Line: "sku:101", N: 1, Outcome: "counted"},
		{OrderID: "3001", Code: "HM-0002", Line: "sku:102", N: 1, Outcome: "counted"},
		{OrderID: "3001", Code: "HM-0002", Line: "sku:102", N: 1, Outcome: "surplus"},
	} {
		if err := j.RecordPackScan(ctx, s); err != nil {
			t.Fatal(err)
		}
		c.add(time.Second)
	}
	// Another process (the restarted station) reads the counts.
	p, err = open(c.now).StartPack(ctx, "3001")
	if want := map[string]int{"sku:101": 2, "sku:102": 1}; err != nil || !maps.Equal(p.Counts, want) || p.State != journal.PackChecking {
		t.Fatalf("resumed %+v, %v; want counts %v", p, err, want)
	}
	if err := j.Weighed(ctx, "3001", journal.Weighing{GotG: 1250, ExpectedG: 800, ToleranceG: 100, Check: "over"}); err != nil {
		t.Fatal(err)
	}
	if err := j.EndPack(ctx, "3001", journal.PackComplete, ""); err != nil {
		t.Fatal(err)
	}
	p, ok, err := j.Pack(ctx, "3001")
	if err != nil || !ok || p.State != journal.PackComplete || p.WeightG != 1250 || p.WeightCheck != "accepted" {
		t.Fatalf("ended pack %+v ok=%v %v", p, ok, err)
	}
	// Passed stays passed: scanning the order again does not start it over.
	if p, _ := j.StartPack(ctx, "3001"); p.State != journal.PackComplete {
		t.Errorf("a complete pack restarted: %+v", p)
	}
	if err := j.RecordPackScan(ctx, journal.PackScan{OrderID: "3001", Code: "x", Outcome: "unknown"}); !errors.Is(err, journal.ErrNoPack) {
		t.Errorf("a scan into a finished pack: %v", err)
	}

	// Set aside, then packed again from zero.
	j.StartPack(ctx, "3002")
	j.RecordPackScan(ctx, journal.PackScan{OrderID: "3002", Code: "a", Line: "sku:101", N: 1, Outcome: "counted"})
	if err := j.EndPack(ctx, "3002", journal.PackAside, "缺货"); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := j.Pack(ctx, "3002"); p.State != journal.PackAside || p.Reason != "缺货" {
		t.Errorf("aside: %+v", p)
	}
	c.add(time.Second)
	if p, err := j.StartPack(ctx, "3002"); err != nil || p.State != journal.PackChecking || len(p.Counts) != 0 {
		t.Errorf("restarted after aside: %+v, %v", p, err)
	}
	j.StartPack(ctx, "3003")
	if err := j.EndPack(ctx, "3003", journal.PackSkipped, "赠品无条码"); err != nil {
		t.Fatal(err)
	}
	j.StartPack(ctx, "3004")
	j.Weighed(ctx, "3004", journal.Weighing{GotG: 500, ExpectedG: 800, ToleranceG: 100, Check: "under"})
	j.EndPack(ctx, "3004", journal.PackAside, "weight")

	if err := j.EndPack(ctx, "9999", journal.PackComplete, ""); !errors.Is(err, journal.ErrNoPack) {
		t.Errorf("ending a pack that never started: %v", err)
	}
	if _, err := j.StartPack(ctx, "12ab"); err == nil {
		t.Error("a pack for a bad order id")
	}

	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.Local)
	got, err := j.PackCountsBetween(ctx, day, day.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := journal.PackCounts{Verified: 1, Skipped: 1, Aside: 1, Overweight: 1, Underweight: 1,
		Refused: map[string]int{"unknown": 1, "wrong": 1, "surplus": 1}}
	if got.Verified != want.Verified || got.Skipped != want.Skipped || got.Aside != want.Aside ||
		got.Overweight != want.Overweight || got.Underweight != want.Underweight || !maps.Equal(got.Refused, want.Refused) {
		t.Errorf("counts %+v\nwant   %+v", got, want)
	}
	if got, _ := j.PackCountsBetween(ctx, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)); got.Verified+got.Overweight+len(got.Refused) != 0 {
		t.Errorf("the next day counts %+v", got)
	}
}
