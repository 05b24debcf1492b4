package journaltest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"station/journal"
	"station/printdata"
)

// The behaviour of a journal that several stations share.

func printed(t *testing.T, j journal.Store, id string) {
	t.Helper()
	ctx := context.Background()
	pid, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: id, Type: printdata.SOP, Pages: 1, Copies: 1,
		Target: journal.PrinterTarget("tcp:p"), Fresh: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.EndPrint(ctx, pid, nil); err != nil {
		t.Fatal(err)
	}
}

// testWho: every print, attempt and check records the station and packer of its handle.
func testWho(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	c := newClock()
	open := fresh(t)
	a, b := open(c.now), open(c.now)
	a.SetWho(journal.Who{Station: "A", Packer: "1001 张三"})
	b.SetWho(journal.Who{Station: "B", Packer: "2002 李四"})
	if got := a.Who(); got.Station != "A" || got.Packer != "1001 张三" {
		t.Fatalf("Who() = %+v", got)
	}
	printed(t, a, "7001")
	if p, _, _ := b.LastPrint(ctx, "7001"); p.Who.Station != "A" || p.Who.Packer != "1001 张三" {
		t.Errorf("print recorded %+v", p.Who)
	}
	l := lease(c, time.Minute)
	cl := mustClaim(t, b, shipment("7001", l, cw("467", "SF1234567890123")), journal.ClaimSend)
	if err := b.Finish(ctx, "7001", l.Owner, cl.AttemptID, shipped("")); err != nil {
		t.Fatal(err)
	}
	if e := entry(t, a, "7001"); e.Who.Station != "B" || e.Who.Packer != "2002 李四" {
		t.Errorf("the shipped order shows %+v, want B's", e.Who)
	}
	at, _ := a.Attempts(ctx, "7001")
	if len(at) != 1 || at[0].Who.Station != "B" {
		t.Errorf("attempts %+v", at)
	}
	if _, err := a.StartPack(ctx, "7002"); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := b.Pack(ctx, "7002"); p.Who.Station != "A" {
		t.Errorf("pack recorded %+v", p.Who)
	}
	a.SetWho(journal.Who{Station: "A", Packer: "3003 王五"}) // another packer signs in
	if err := a.RecordPackScan(ctx, journal.PackScan{OrderID: "7002", Code: "x", Line: "l", N: 1, Outcome: "counted"}); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := b.Pack(ctx, "7002"); p.Who.Packer != "3003 王五" {
		t.Errorf("after the switch the pack shows %+v", p.Who)
	}
}

// testBatchClaims: stations split candidates without overlap; a station's own claims come back
// to it first; expired claims and released ones are free again; shipped orders are never
// claimed.
func testBatchClaims(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	c := newClock()
	open := fresh(t)
	a, b := open(c.now), open(c.now)
	a.SetWho(journal.Who{Station: "A"})
	b.SetWho(journal.Who{Station: "B"})
	var ids []string
	for i := range 10 {
		ids = append(ids, fmt.Sprint(8000+i))
	}
	l := lease(c, time.Minute)
	cl := mustClaim(t, a, shipment("8000", l, cw("467", "SF1234567890123")), journal.ClaimSend)
	if err := a.Finish(ctx, "8000", l.Owner, cl.AttemptID, shipped("")); err != nil {
		t.Fatal(err)
	}
	until := c.now().Add(10 * time.Minute)
	gotA, err := a.ClaimBatch(ctx, journal.BatchClaim{Candidates: ids, N: 4, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	if want := ids[1:5]; !slices.Equal(gotA, want) {
		t.Errorf("A claimed %v, want %v (8000 is shipped)", gotA, want)
	}
	gotB, _ := b.ClaimBatch(ctx, journal.BatchClaim{Candidates: ids, N: 4, Until: until})
	if want := ids[5:9]; !slices.Equal(gotB, want) {
		t.Errorf("B claimed %v, want %v", gotB, want)
	}
	// A restarted: its own claims first, then one more.
	again, _ := a.ClaimBatch(ctx, journal.BatchClaim{Candidates: slices.Concat(ids[5:], ids[:5]), N: 5, Until: until})
	if want := []string{"8001", "8002", "8003", "8004", "8009"}; !slices.Equal(again, want) {
		t.Errorf("A claimed again %v, want %v", again, want)
	}
	if none, _ := b.ClaimBatch(ctx, journal.BatchClaim{Candidates: ids[1:5], N: 4, Until: until}); len(none) != 0 {
		t.Errorf("B took A's live claims: %v", none)
	}
	c.add(11 * time.Minute) // A's claims expire
	if took, _ := b.ClaimBatch(ctx, journal.BatchClaim{Candidates: ids[1:3], N: 4, Until: c.now().Add(time.Minute)}); !slices.Equal(took, ids[1:3]) {
		t.Errorf("B after A's claims expired: %v", took)
	}
	if err := b.ReleaseBatch(ctx); err != nil {
		t.Fatal(err)
	}
	if took, _ := a.ClaimBatch(ctx, journal.BatchClaim{Candidates: ids[5:9], N: 4, Until: c.now().Add(time.Minute)}); !slices.Equal(took, ids[5:9]) {
		t.Errorf("A after B released: %v", took)
	}

	// Four stations at once over 60 orders: each order goes to exactly one.
	var all []string
	for i := range 60 {
		all = append(all, fmt.Sprint(8100+i))
	}
	var (
		mu  sync.Mutex
		got = map[string]int{}
		wg  sync.WaitGroup
	)
	for s := range 4 {
		j := open(c.now)
		j.SetWho(journal.Who{Station: fmt.Sprint("S", s)})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				took, err := j.ClaimBatch(ctx, journal.BatchClaim{Candidates: all, N: 5, Until: c.now().Add(time.Hour), PrintOnly: true})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, id := range took {
					got[id]++
				}
				mu.Unlock()
				// The claimed orders are printed: done for a print-only batch, never claimed again.
				for _, id := range took {
					printed(t, j, id)
				}
				if err := j.ReleaseBatch(ctx, took...); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if len(got) != 60 {
		t.Errorf("%d of 60 orders were claimed", len(got))
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("order %s was claimed %d times", id, n)
		}
	}
}

// testHistoryAndBoard: History filters by station, packer, time and order or waybill; Board
// counts per station, per packer and per hour, and lists the open exceptions of every station.
func testHistoryAndBoard(t *testing.T, fresh Fresh) {
	ctx := context.Background()
	c := newClock()
	open := fresh(t)
	a, b := open(c.now), open(c.now)
	a.SetWho(journal.Who{Station: "A", Packer: "p1"})
	b.SetWho(journal.Who{Station: "B", Packer: "p2 李四"})
	start := c.now()
	printed(t, a, "9001")
	c.add(time.Second)
	printed(t, a, "9002")
	c.add(time.Hour)
	printed(t, b, "9003")
	l := lease(c, time.Minute)
	cl := mustClaim(t, b, shipment("9003", l, cw("467", "SF9999999999999")), journal.ClaimSend)
	if err := b.Finish(ctx, "9003", l.Owner, cl.AttemptID, shipped("")); err != nil {
		t.Fatal(err)
	}
	c.add(time.Second)
	l = lease(c, time.Minute)
	cl = mustClaim(t, b, shipment("9004", l, cw("467", "SF8888888888888")), journal.ClaimSend)
	if err := b.Finish(ctx, "9004", l.Owner, cl.AttemptID, journal.Outcome{State: journal.StateFailed, FailedStep: journal.StepShip,
		Reason: "refused", Attempt: journal.AttemptEnd{Outcome: journal.OutcomeRefused}}); err != nil {
		t.Fatal(err)
	}
	ids := func(es []journal.Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.OrderID)
		}
		return out
	}
	for _, tc := range []struct {
		f    journal.HistoryFilter
		want []string
	}{
		{journal.HistoryFilter{}, []string{"9004", "9003", "9002", "9001"}},
		{journal.HistoryFilter{Station: "A"}, []string{"9002", "9001"}},
		{journal.HistoryFilter{Packer: "p2"}, []string{"9004", "9003"}},
		{journal.HistoryFilter{Packer: "p2 李四"}, []string{"9004", "9003"}},
		{journal.HistoryFilter{Packer: "p"}, nil},
		{journal.HistoryFilter{Packer: "p_"}, nil},
		{journal.HistoryFilter{Query: "sf9999999999999"}, []string{"9003"}},
		{journal.HistoryFilter{Query: "9001"}, []string{"9001"}},
		{journal.HistoryFilter{From: start.Add(30 * time.Minute)}, []string{"9004", "9003"}},
		{journal.HistoryFilter{To: start.Add(30 * time.Minute), Limit: 1}, []string{"9002"}},
		{journal.HistoryFilter{Station: "B", Packer: "p1"}, nil},
	} {
		got, err := a.History(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(got); !slices.Equal(g, tc.want) {
			t.Errorf("History(%+v) = %v, want %v", tc.f, g, tc.want)
		}
	}
	board, err := a.Board(ctx, start, start.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []journal.BoardRow{{Name: "A", Printed: 2}, {Name: "B", Printed: 1, Shipped: 1, Failed: 1}}
	if !slices.Equal(board.Stations, want) {
		t.Errorf("board stations %+v, want %+v", board.Stations, want)
	}
	if len(board.Packers) != 2 || board.Packers[1] != (journal.BoardRow{Name: "p2 李四", Printed: 1, Shipped: 1, Failed: 1}) {
		t.Errorf("board packers %+v", board.Packers)
	}
	if len(board.Hours) != 2 || board.Hours[0].Printed != 2 || board.Hours[1].Printed != 1 || board.Hours[1].Shipped != 1 ||
		!board.Hours[1].Start.Equal(start.Add(time.Hour)) {
		t.Errorf("board hours %+v", board.Hours)
	}
	if len(board.Open) != 1 || board.Open[0].OrderID != "9004" {
		t.Errorf("open exceptions %+v", ids(board.Open))
	}
}
