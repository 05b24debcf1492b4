package afs

// Tests against the JOS simulator over real HTTP with real signatures.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest"
	"station/jos/jostest/shop"
)

func newClient(t *testing.T, opts jostest.Options) (*Client, *jostest.Running) {
	t.Helper()
	sim := jostest.StartT(t, opts)
	return New(jostest.ClientT(t, sim, 2*time.Second)), sim
}

func shippedWithoutCase(t *testing.T, sim *jostest.Running) string {
	t.Helper()
	for _, id := range sim.Server.OrderIDs(shop.TypeSOP, shop.StateWaitReceive) {
		if len(sim.Server.AfsCases(id)) == 0 {
			return id
		}
	}
	t.Fatal("no shipped order without an after-sales case")
	return ""
}

func TestApplyListDetailScheduleCancel(t *testing.T) {
	ctx := context.Background()
	svc, sim := newClient(t, jostest.Options{Orders: 60})
	id := shippedWithoutCase(t, sim)
	caseID, err := svc.Apply(ctx, Application{OrderID: id, Type: TypeReturn, Expect: ExpectRefund, Question: "外箱破损\x1b[2J",
		Images: []string{"https://img.jd.com/a.jpg"}})
	if err != nil || caseID == 0 {
		t.Fatalf("apply: %d %v", caseID, err)
	}
	got := sim.Server.AfsCases(id)
	if len(got) != 1 || got[0].Type != 10 || got[0].Expect != 10 || len(got[0].Images) != 1 {
		t.Fatalf("the simulator has %+v", got)
	}
	cases, err := svc.Cases(ctx, id)
	if err != nil || len(cases) != 1 || cases[0].ID != caseID || cases[0].Status != StatusPending || cases[0].Type != TypeReturn {
		t.Fatalf("cases: %+v %v", cases, err)
	}
	d, err := svc.Detail(ctx, caseID)
	if err != nil || !strings.HasPrefix(d.Question, "外箱破损") || strings.ContainsRune(d.Question, '\x1b') || d.Contact == "" || d.Status != "待审核" {
		t.Fatalf("detail: %+v %v", d, err)
	}
	steps, err := svc.Schedule(ctx, caseID)
	if err != nil || len(steps) != 1 {
		t.Fatalf("schedule at once: %+v %v", steps, err)
	}

	// The seed's duplicate check: a second return for the same order while the first is open.
	var re *RefusedError
	if _, err := svc.Apply(ctx, Application{OrderID: id, Type: TypeReturn, Expect: ExpectRefund, Question: "again"}); !errors.As(err, &re) || !re.Duplicate() {
		t.Fatalf("a second application: %v", err)
	}
	if n := len(sim.Server.AfsCases(id)); n != 1 {
		t.Fatalf("%d cases after the duplicate", n)
	}

	// A day and more later the case is completed, its schedule grown, and it cannot be cancelled.
	if err := sim.Server.AgeAfsCase(caseID, 25*time.Hour); err != nil {
		t.Fatal(err)
	}
	if cases, _ = svc.Cases(ctx, id); cases[0].Status != StatusDone {
		t.Fatalf("after a day: %+v", cases)
	}
	if steps, _ = svc.Schedule(ctx, caseID); len(steps) != 5 {
		t.Fatalf("schedule after a day: %+v", steps)
	}
	if err := svc.Cancel(ctx, caseID); err == nil {
		t.Fatal("a completed case was cancelled")
	}
}

func TestCancelAnOpenCase(t *testing.T) {
	ctx := context.Background()
	svc, sim := newClient(t, jostest.Options{Orders: 60})
	id := shippedWithoutCase(t, sim)
	caseID, err := svc.Apply(ctx, Application{OrderID: id, Type: TypeExchange, Expect: ExpectExchange, Question: "颜色不对"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Cancel(ctx, caseID); err != nil {
		t.Fatal(err)
	}
	cases, _ := svc.Cases(ctx, id)
	if cases[0].Status != StatusCancelled {
		t.Fatalf("after cancel: %+v", cases)
	}
	if steps, _ := svc.Schedule(ctx, caseID); !strings.Contains(steps[len(steps)-1].Text, "取消") {
		t.Fatalf("schedule after cancel: %+v", steps)
	}
	if err := svc.Cancel(ctx, caseID); err == nil {
		t.Fatal("a cancelled case was cancelled again")
	}
	// Cancelled, the same type may be applied for again.
	if _, err := svc.Apply(ctx, Application{OrderID: id, Type: TypeExchange, Expect: ExpectExchange, Question: "还是颜色不对"}); err != nil {
		t.Fatalf("after a cancel: %v", err)
	}
}

func TestApplicationChecks(t *testing.T) {
	ctx := context.Background()
	svc, sim := newClient(t, jostest.Options{Orders: 40})
	id := shippedWithoutCase(t, sim)
	for _, a := range []Application{
		{OrderID: id, Type: TypeReturn, Expect: ExpectExchange, Question: "x"}, // return ↔ refund
		{OrderID: id, Type: TypeRepair, Expect: ExpectRefund, Question: "x"},
		{OrderID: id, Type: 40, Expect: ExpectRefund, Question: "x"},
		{OrderID: id, Type: TypeReturn, Expect: ExpectRefund},
		{OrderID: id, Type: TypeReturn, Expect: ExpectRefund, Question: strings.Repeat("长", MaxQuestion+1)},
		{OrderID: id, Type: TypeReturn, Expect: ExpectRefund, Question: "x", Images: []string{"file:///etc/passwd"}},
	} {
		if _, err := svc.Apply(ctx, a); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want refused before sending", a, err)
		}
	}
	if n := sim.Server.AfsApplies(); n != 0 {
		t.Fatalf("%d applications reached JD", n)
	}
	var re *RefusedError
	waiting := sim.Server.OrderIDs(shop.TypeSOP, shop.StateWaitStockOut)[0]
	if _, err := svc.Apply(ctx, Application{OrderID: waiting, Type: TypeReturn, Expect: ExpectRefund, Question: "x"}); !errors.As(err, &re) {
		t.Fatalf("an order not shipped: %v", err)
	}
	// The seed's 3001 (parameter error) is a parameter error, not a fault to retry.
	if _, err := svc.Detail(ctx, 1); jos.KindOf(err) != jos.KindInvalid {
		t.Fatalf("an unknown case: %v (%v)", err, jos.KindOf(err))
	}
}
