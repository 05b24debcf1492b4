package jdorder

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

func newService(t *testing.T, opts jostest.Options) (*Service, *jostest.Running) {
	t.Helper()
	sim := jostest.StartT(t, opts)
	return New(jostest.ClientT(t, sim, 2*time.Second)), sim
}

func waiting(t *testing.T, sim *jostest.Running, typ string) string {
	t.Helper()
	ids := sim.Server.OrderIDs(typ, shop.StateWaitStockOut)
	if len(ids) == 0 {
		t.Fatalf("no waiting %s order", typ)
	}
	return ids[0]
}

func TestRemarkReadAndUpdate(t *testing.T) {
	ctx := context.Background()
	svc, sim := newService(t, jostest.Options{Orders: 40})
	id := waiting(t, sim, shop.TypeSOP)
	if _, err := svc.SetRemark(ctx, id, "缺货，已联系客户\x1b[31m", FlagRed); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Remark(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Flag != FlagRed || !strings.HasPrefix(r.Text, "缺货，已联系客户") || strings.ContainsRune(r.Text, '\x1b') || r.Modified.IsZero() {
		t.Fatalf("remark %+v: want the text made safe, red, with its time", r)
	}
	if l, _ := sim.Server.Ledger().Order(id); l.RemarkUpdates != 1 {
		t.Errorf("%d remark updates, want 1", l.RemarkUpdates)
	}

	if _, err := svc.Remark(ctx, "99999999999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a remark of an unknown order: %v, want ErrNotFound", err)
	}
	if _, err := svc.SetRemark(ctx, "99999999999", "x", FlagGrey); !errors.Is(err, ErrNotFound) {
		t.Errorf("a remark on an unknown order: %v, want ErrNotFound", err)
	}
	if _, err := svc.SetRemark(ctx, id, strings.Repeat("长", MaxRemark+1), FlagGrey); !errors.Is(err, ErrTooLong) {
		t.Errorf("a long remark: %v, want ErrTooLong before anything is sent", err)
	}
	if _, err := svc.SetRemark(ctx, "12ab", "x", FlagGrey); err == nil {
		t.Error("a typo for an order id was sent")
	}
}

// loseWrites sends each write on (applied) or not (lost), then answers as a lost reply does.
type loseWrites struct {
	Caller
	applied bool
}

func (l loseWrites) Write(ctx context.Context, method string, params, out any) error {
	if l.applied {
		if err := l.Caller.Write(ctx, method, params, out); err != nil {
			return err
		}
	}
	return &jos.Error{Method: method, Kind: jos.KindTransport, Outcome: jos.MaybeApplied, Err: errors.New("connection reset after the request was sent")}
}

// After a lost reply the remark is read back, never sent again: the same text means it took;
// otherwise the outcome is unsure.
func TestRemarkUpdateAfterALostReply(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	c := jostest.ClientT(t, sim, 2*time.Second)
	id := waiting(t, sim, shop.TypeSOP)

	r, err := New(loseWrites{Caller: c, applied: true}).SetRemark(ctx, id, "加急", FlagRed)
	if err != nil || r.Text != "加急" || r.Flag != FlagRed {
		t.Fatalf("applied, reply lost: %+v %v", r, err)
	}
	if l, _ := sim.Server.Ledger().Order(id); l.RemarkUpdates != 1 {
		t.Fatalf("%d updates at JD, want 1", l.RemarkUpdates)
	}
	if _, err := New(loseWrites{Caller: c}).SetRemark(ctx, id, "不要发票", FlagGrey); !errors.Is(err, ErrUnsure) {
		t.Fatalf("lost before JD: %v, want ErrUnsure", err)
	}
	if l, _ := sim.Server.Ledger().Order(id); l.RemarkUpdates != 1 {
		t.Fatalf("%d updates at JD after the unsure one, want still 1 (nothing sent again)", l.RemarkUpdates)
	}
}

func TestDeleteRequests(t *testing.T) {
	ctx := context.Background()
	svc, sim := newService(t, jostest.Options{Orders: 40})
	id := waiting(t, sim, shop.TypeLBP)
	if _, err := svc.ApplyDelete(ctx, DeleteRequest{OrderID: id, Reason: ReasonOther}); err == nil {
		t.Fatal("reason 9 without a description was sent")
	} else if l, _ := sim.Server.Ledger().Order(id); l.DeleteApplies != 0 {
		t.Fatal("a refused request reached JD")
	}
	for _, bad := range []DeleteRequest{{OrderID: id, Reason: 0}, {OrderID: id, Reason: 10},
		{OrderID: id, Reason: 1, Text: strings.Repeat("长", MaxDeleteText+1)}} {
		var ie *InvalidDeleteError
		if _, err := svc.ApplyDelete(ctx, bad); !errors.As(err, &ie) {
			t.Errorf("%+v: %v, want an InvalidDeleteError", bad, err)
		}
	}
	already, err := svc.ApplyDelete(ctx, DeleteRequest{OrderID: id, Reason: 8, Text: "地址无法配送"})
	if err != nil || already {
		t.Fatalf("apply: %v %v", already, err)
	}
	if l, _ := sim.Server.Ledger().Order(id); !l.DeletePending || l.State != shop.StateLocked {
		t.Fatalf("after the apply: %+v", l)
	}
	if already, err = svc.ApplyDelete(ctx, DeleteRequest{OrderID: id, Reason: 1}); err != nil || !already {
		t.Fatalf("a second apply: already %v, %v; want already pending", already, err)
	}
	if none, err := svc.CancelDelete(ctx, id); err != nil || none {
		t.Fatalf("cancel: %v %v", none, err)
	}
	if none, err := svc.CancelDelete(ctx, id); err != nil || !none {
		t.Fatalf("a second cancel: none %v, %v", none, err)
	}
	shipped := sim.Server.OrderIDs(shop.TypeSOP, shop.StateWaitReceive)[0]
	var re *RefusedError
	if _, err := svc.ApplyDelete(ctx, DeleteRequest{OrderID: shipped, Reason: 3}); !errors.As(err, &re) || !strings.Contains(re.Describe, "不允许") {
		t.Fatalf("a delete request on a shipped order: %v", err)
	}
}

func TestTrack(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	clock := func() time.Time { return now }
	svc, sim := newService(t, jostest.Options{Orders: 40, Now: clock})
	shipped := sim.Server.OrderIDs(shop.TypeSOP, shop.StateWaitReceive)[0]
	ev, err := svc.Track(ctx, shipped)
	if err != nil || len(ev) == 0 {
		t.Fatalf("track of a shipped order: %v %v", ev, err)
	}
	for i := 1; i < len(ev); i++ {
		if ev[i].At.Before(ev[i-1].At) {
			t.Fatalf("events out of order: %v", ev)
		}
	}
	if ev, err := svc.Track(ctx, waiting(t, sim, shop.TypeSOP)); err != nil || len(ev) != 0 {
		t.Fatalf("track of a waiting order: %v %v", ev, err)
	}
	if _, err := svc.Track(ctx, "99999999999"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("track of an unknown order: %v", err)
	}
}

func TestFBP(t *testing.T) {
	ctx := context.Background()
	svc, sim := newService(t, jostest.Options{Orders: 40, FBP: 5})
	ids := sim.Server.FBPOrderIDs()
	o, found, err := svc.FBPOrder(ctx, ids[0])
	if err != nil || !found || o.ID != ids[0] || o.StateRemark == "" || o.Items == 0 {
		t.Fatalf("FBP order: %+v %v %v", o, found, err)
	}
	if _, found, err := svc.FBPOrder(ctx, waiting(t, sim, shop.TypeSOP)); err != nil || found {
		t.Fatalf("a SOP order as FBP: found %v, %v", found, err)
	}
	list, err := svc.FBPOrders(ctx, time.Now().AddDate(0, -2, 0), time.Now())
	if err != nil || len(list) != len(ids) {
		t.Fatalf("FBP orders of two months: %d, %v; want %d", len(list), err, len(ids))
	}
}

func TestJDLabel(t *testing.T) {
	ctx := context.Background()
	svc, sim := newService(t, jostest.Options{Orders: 40})
	lbp := waiting(t, sim, shop.TypeLBP)
	l, err := svc.JDLabel(ctx, lbp)
	if err != nil {
		t.Fatal(err)
	}
	if l.Barcode == nil || !strings.Contains(string(l.HTML), "data:image/jpeg;base64,") {
		t.Fatalf("LBP label: barcode %v, page without its barcode filled in", l.Barcode)
	}
	joined := strings.Join(l.Lines, "\n")
	if !strings.Contains(joined, "订单号  "+lbp) || !strings.Contains(joined, "收货人") {
		t.Fatalf("text lines:\n%s", joined)
	}
	sop := waiting(t, sim, shop.TypeSOP)
	if l, err = svc.JDLabel(ctx, sop); err != nil || l.Barcode != nil {
		t.Fatalf("SOP label: %v, barcode %v (JD sends none for SOP)", err, l.Barcode)
	}
	if _, err := svc.JDLabel(ctx, "99999999999"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("label of an unknown order: %v", err)
	}
}

// A delete request whose reply was lost is unsure; asking again is safe: JD's "already pending"
// counts as done, and only one request is at JD.
func TestDeleteRequestAfterALostReply(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	c := jostest.ClientT(t, sim, 2*time.Second)
	id := waiting(t, sim, shop.TypeLBP)
	if _, err := New(loseWrites{Caller: c, applied: true}).ApplyDelete(ctx, DeleteRequest{OrderID: id, Reason: 1}); !errors.Is(err, ErrUnsure) {
		t.Fatalf("lost reply: %v, want ErrUnsure", err)
	}
	already, err := New(c).ApplyDelete(ctx, DeleteRequest{OrderID: id, Reason: 1})
	if err != nil || !already {
		t.Fatalf("asked again: already %v, %v", already, err)
	}
	if l, _ := sim.Server.Ledger().Order(id); l.DeleteApplies != 1 || !l.DeletePending {
		t.Fatalf("at JD: %+v", l)
	}
}
