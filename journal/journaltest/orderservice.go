package journaltest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"station/journal"
)

// testNextAttempt: an overseas shipment's second write goes under the same claim, with its
// own attempt row and trade_no; a claim that was taken over cannot open it.
func testNextAttempt(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	l := lease(c, time.Minute)
	sc := shipment("2701", l, cw("467", "SF1234567890123"))
	sc.Method = "360buy.overseas.order.sop.outstorage"
	cl := mustClaim(t, j, sc, journal.ClaimSend)
	next, err := j.NextAttempt(ctx, "2701", l.Owner, cl.AttemptID, journal.AttemptEnd{Outcome: journal.OutcomeOK},
		"360buy.overseas.order.sop.delivery", cl.TradeNo+"D", c.now().Add(time.Minute))
	if err != nil || next == 0 || next == cl.AttemptID {
		t.Fatalf("NextAttempt = %d, %v", next, err)
	}
	if e := entry(t, j, "2701"); e.State != journal.StateShipping || e.HeldBy != l.Owner || e.ShipAttempts != 2 {
		t.Fatalf("between the two writes: %+v", e)
	}
	if err := j.Finish(ctx, "2701", l.Owner, next, shipped("")); err != nil {
		t.Fatal(err)
	}
	as, _ := j.Attempts(ctx, "2701")
	if len(as) != 2 || as[0].Method != sc.Method || as[1].Method != "360buy.overseas.order.sop.delivery" ||
		as[1].TradeNo != cl.TradeNo+"D" || as[1].Outcome != journal.OutcomeOK || as[1].Kind != journal.AttemptOutstorage ||
		len(as[1].Carriers) != 1 || as[1].Carriers[0].Waybills[0] != "SF1234567890123" {
		t.Fatalf("attempts %+v", as)
	}
	if e := entry(t, j, "2701"); e.State != journal.StateShipped {
		t.Fatalf("after the delivery: %+v", e)
	}

	cl = mustClaim(t, j, shipment("2702", lease(c, time.Second), cw("467", "SF1234567890124")), journal.ClaimSend)
	c.add(2 * time.Second)
	mustClaim(t, j, shipment("2702", lease(c, time.Minute), cw("467", "SF1234567890124")), journal.ClaimReconcile)
	if _, err := j.NextAttempt(ctx, "2702", cl.Owner, cl.AttemptID, journal.AttemptEnd{Outcome: journal.OutcomeOK},
		"360buy.overseas.order.sop.delivery", "X", c.now().Add(time.Minute)); !errors.Is(err, journal.ErrLeaseLost) {
		t.Fatalf("NextAttempt after the claim was taken over: %v, want ErrLeaseLost", err)
	}
}

// testDeleteRequests: a request is recorded before it is sent and holds the order until it is
// refused or withdrawn; the latest one counts; who asked is kept.
func testDeleteRequests(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	j, c := one(t, fresh)
	j.SetWho(journal.Who{Station: "pack-3", Packer: "9001"})
	if _, ok, err := journal.DeleteRequestOf(ctx, j, "2801"); ok || err != nil {
		t.Fatalf("no request yet: %v %v", ok, err)
	}
	if err := j.BeginDeleteRequest(ctx, journal.DeleteRequest{OrderID: "2801", Reason: 9, Text: "仓库漏水，货物受潮"}); err != nil {
		t.Fatal(err)
	}
	d, ok, err := journal.DeleteRequestOf(ctx, j, "2801")
	if err != nil || !ok || d.State != journal.DeleteSending || !d.Holds() || d.Reason != 9 || d.Text != "仓库漏水，货物受潮" ||
		d.Who.Packer != "9001" || d.Who.Station != "pack-3" || d.AskedAt.IsZero() {
		t.Fatalf("while it is sent: %+v %v %v", d, ok, err)
	}
	c.add(time.Minute)
	if err := j.EndDeleteRequest(ctx, "2801", journal.DeletePending, ""); err != nil {
		t.Fatal(err)
	}
	if d, _, _ = journal.DeleteRequestOf(ctx, j, "2801"); d.State != journal.DeletePending || !d.Holds() || !d.UpdatedAt.After(d.AskedAt) {
		t.Fatalf("pending: %+v", d)
	}
	if err := j.EndDeleteRequest(ctx, "2801", journal.DeleteCancelled, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if d, _, _ = journal.DeleteRequestOf(ctx, j, "2801"); d.State != journal.DeleteCancelled || d.Holds() || d.Note != "withdrawn" {
		t.Fatalf("withdrawn: %+v", d)
	}
	// A new request replaces the old one.
	if err := j.BeginDeleteRequest(ctx, journal.DeleteRequest{OrderID: "2801", Reason: 1}); err != nil {
		t.Fatal(err)
	}
	if d, _, _ = journal.DeleteRequestOf(ctx, j, "2801"); d.Reason != 1 || d.Text != "" || !d.Holds() {
		t.Fatalf("the second request: %+v", d)
	}
	if err := j.EndDeleteRequest(ctx, "2801", "approved", ""); err == nil {
		t.Error("an unknown state was recorded")
	}
	// A withdrawal of a request this journal never saw is kept.
	if err := j.EndDeleteRequest(ctx, "2802", journal.DeleteCancelled, ""); err != nil {
		t.Fatal(err)
	}
	if d, ok, _ = journal.DeleteRequestOf(ctx, j, "2802"); !ok || d.Holds() {
		t.Fatalf("withdrawal without a request: %+v %v", d, ok)
	}
	// Several orders at once, as the history asks: only those with a request.
	many := []string{"2801", "2802", "2803"}
	for i := 0; i < 250; i++ {
		many = append(many, fmt.Sprint(40000+i)) // past one statement's 200
	}
	all, err := j.DeleteRequests(ctx, many)
	if err != nil || len(all) != 2 || all["2801"].Reason != 1 || all["2802"].State != journal.DeleteCancelled {
		t.Fatalf("DeleteRequests: %+v %v", all, err)
	}
}
