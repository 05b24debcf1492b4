package jostest

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"station/jos"
	"station/jos/jostest/shop"
)

// faulty returns a simulator where every call meets fault f, and a caller with a short timeout.
func faulty(t *testing.T, f Fault) (*Server, *caller) {
	s, c := newSim(t, Options{FaultRate: 1, Faults: []Fault{f}, FaultSeed: 42})
	c.client.Timeout = 300 * time.Millisecond
	return s, c
}

// shipOne sends an SOP outstorage for a waiting order and returns its id and the outcome.
func shipOne(t *testing.T, s *Server, c *caller, n int) (string, *http.Response, []byte, error) {
	t.Helper()
	id := s.OrderIDs(shop.TypeSOP, shop.StateWaitStockOut)[n]
	resp, body, err := c.send(c.form(outMethod[shop.TypeSOP], map[string]any{"order_id": id, "logistics_id": "1274"}))
	return id, resp, body, err
}

func assertNotApplied(t *testing.T, s *Server, id string) {
	t.Helper()
	if lo := ledgerOrder(t, s, id); lo.State != shop.StateWaitStockOut || lo.OutstorageAttempts != 0 || lo.OutstorageAccepted != 0 || len(lo.Shipments) != 0 {
		t.Errorf("a failed call reached order %s: %+v", id, lo)
	}
}

func TestFaultHTTP500(t *testing.T) {
	s, c := faulty(t, FaultHTTP500)
	id, resp, _, err := shipOne(t, s, c, 0)
	if err != nil || resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("got %v %v, want HTTP 500", resp, err)
	}
	assertNotApplied(t, s, id)
}

func TestFaultStall(t *testing.T) {
	s, c := faulty(t, FaultStall)
	id, _, _, err := shipOne(t, s, c, 0)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v, want a client timeout", err)
	}
	assertNotApplied(t, s, id)
	// Reads stall too.
	_, _, err = c.send(c.form("360buy.delivery.logistics.get", nil))
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read: got %v, want a client timeout", err)
	}
}

func TestFaultBusyAndQuota(t *testing.T) {
	for _, tc := range []struct {
		f     Fault
		codes []string
	}{
		{FaultBusy, []string{jos.CodeBackendUnavailable, jos.CodeServiceUnavailable}},
		{FaultQuota, []string{jos.CodeQuota}},
	} {
		s, c := faulty(t, tc.f)
		seen := map[string]bool{}
		for i := range 12 {
			id, resp, body, err := shipOne(t, s, c, i)
			if err != nil {
				t.Fatal(err)
			}
			key, e := envelope(t, resp.StatusCode, body)
			code, _ := e["code"].(string)
			if key != "error_response" || !strings.Contains(strings.Join(tc.codes, " "), code) {
				t.Fatalf("%s: got %s %v", tc.f, key, e)
			}
			seen[code] = true
			assertNotApplied(t, s, id)
		}
		if len(seen) != len(tc.codes) {
			t.Errorf("%s: codes seen %v, want all of %v", tc.f, seen, tc.codes)
		}
	}
}

func TestFaultMalformed(t *testing.T) {
	s, c := faulty(t, FaultMalformed)
	id, resp, body, err := shipOne(t, s, c, 0)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("got %v %v", resp, err)
	}
	if json.Valid(body) || !strings.HasPrefix(string(body), `{"order_sop_outstorage_response"`) {
		t.Errorf("want truncated JSON of the method's envelope, got %s", body)
	}
	assertNotApplied(t, s, id)

	// A read is cut in half.
	status, body := c.raw("360buy.order.print.data.get", map[string]string{"order_id": id})
	if status != 200 || json.Valid(body) || !strings.HasPrefix(string(body), `{"order_printdata_response":{`) {
		t.Errorf("read: got %d %.200s", status, body)
	}
}

// lost-reply: the write happens; the client sees a dropped connection, a 502 or a timeout.
func TestFaultLostReply(t *testing.T) {
	s, c := faulty(t, FaultLostReply)
	seen := map[string]int{}
	ids := s.OrderIDs(shop.TypeSOP, shop.StateWaitStockOut)
	for i := range 15 {
		id := ids[i]
		resp, _, err := c.send(c.form(outMethod[shop.TypeSOP], map[string]any{"order_id": id, "logistics_id": "467", "waybill": "SF10000000000" + string(rune('a'+i))}))
		var ne net.Error
		switch {
		case err == nil && resp.StatusCode == http.StatusBadGateway:
			seen["502"]++
		case errors.As(err, &ne) && ne.Timeout():
			seen["timeout"]++
		case err != nil && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "EOF") ||
			strings.Contains(err.Error(), "connection reset")):
			seen["dropped"]++
		default:
			t.Fatalf("call %d: got %v %v, want a lost reply", i, resp, err)
		}
		lo := ledgerOrder(t, s, id)
		if lo.State != shop.StateWaitReceive || lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 || len(lo.Shipments) != 1 {
			t.Errorf("call %d: the write was not applied exactly once: %+v", i, lo)
		}
	}
	if len(seen) != 3 {
		t.Errorf("ways the reply was lost: %v, want dropped, 502 and timeout", seen)
	}
	// The ledger over HTTP shows the same.
	led := fetchLedger(t, strings.TrimSuffix(c.url, "/routerjson"))
	lo, _ := led.Order(ids[0])
	if lo.OutstorageAccepted != 1 || lo.State != shop.StateWaitReceive {
		t.Errorf("/_sim/ledger: %+v", lo)
	}
}

func fetchLedger(t *testing.T, base string) Ledger {
	t.Helper()
	resp, err := http.Get(base + "/_sim/ledger")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("ledger: HTTP %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var l Ledger
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l
}

// The ledger is never faulted nor delayed.
func TestLedgerNeverFaulted(t *testing.T) {
	s, c := newSim(t, Options{FaultRate: 1, Orders: 20, Latency: time.Hour})
	base := strings.TrimSuffix(c.url, "/routerjson")
	for range 20 {
		if l := fetchLedger(t, base); len(l.Orders) != 20 {
			t.Fatalf("ledger has %d orders", len(l.Orders))
		}
	}
	if got := s.Ledger(); len(got.Orders) != 20 {
		t.Errorf("Ledger() has %d orders", len(got.Orders))
	}
}

// The ledger's JSON has exactly the contract's shape.
func TestLedgerShape(t *testing.T) {
	s, c := newSim(t, Options{Orders: 20})
	id := firstID(t, s, shop.TypeSOP, shop.StateWaitStockOut)
	c.ok(outMethod[shop.TypeSOP], outKey[shop.TypeSOP], map[string]any{"order_id": id, "logistics_id": "467|1274", "waybill": "SF1234567890123|"})
	resp, err := http.Get(strings.TrimSuffix(c.url, "/routerjson") + "/_sim/ledger")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw map[string][]map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	orders := raw["orders"]
	if len(raw) != 1 || len(orders) != 20 {
		t.Fatalf("ledger: %d keys, %d orders", len(raw), len(orders))
	}
	for _, o := range orders {
		for _, k := range []string{"order_id", "type", "state", "outstorage_attempts", "outstorage_accepted", "shipments"} {
			if _, ok := o[k]; !ok {
				t.Fatalf("ledger order lacks %s: %v", k, o)
			}
		}
		if len(o) != 6 {
			t.Errorf("ledger order has extra keys: %v", o)
		}
		if o["order_id"][0] != '"' || o["shipments"][0] != '[' || o["outstorage_attempts"][0] == '"' {
			t.Errorf("order_id must be a string, shipments a list, counts numbers: %v", o)
		}
		if string(o["order_id"]) != `"`+id+`"` {
			continue
		}
		// Keys sorted, as mustJSON writes a map.
		want := `{"order_id":"` + id + `","outstorage_accepted":1,"outstorage_attempts":1,"shipments":[{"logistics_id":` +
			`"467|1274","waybill":"SF1234567890123|","package_num":1}],"state":"WAIT_GOODS_RECEIVE_CONFIRM","type":"SOP"}`
		if got := mustJSON(t, o); got != want {
			t.Errorf("ledger entry\n got %s\nwant %s", got, want)
		}
	}
}

// With a rate below 1, faults come and go, repeatably for a fault seed.
func TestFaultRateAndSeed(t *testing.T) {
	kinds := func(seed int64) []Fault {
		s := New(Options{FaultRate: 0.3, FaultSeed: seed, Orders: 5, Now: fixedNow})
		var out []Fault
		for range 200 {
			out = append(out, s.faults.draw().kind)
		}
		return out
	}
	a := kinds(5)
	n, all := 0, map[Fault]bool{}
	for _, k := range a {
		if k != "" {
			n++
			all[k] = true
		}
	}
	if n < 30 || n > 90 || len(all) != len(allFaults) {
		t.Errorf("%d faults in 200 calls at rate 0.3, kinds %v", n, all)
	}
	if b := kinds(5); strings.Join(faultStrings(a), ",") != strings.Join(faultStrings(b), ",") {
		t.Error("the same fault seed gave different faults")
	}
	if b := kinds(6); strings.Join(faultStrings(a), ",") == strings.Join(faultStrings(b), ",") {
		t.Error("different fault seeds gave the same faults")
	}
	// No faults at rate 0.
	s, c := newSim(t, Options{FaultSeed: 1})
	for range 20 {
		c.ok("360buy.delivery.logistics.get", "delivery_logistics_get_response", nil)
	}
	_ = s
}

func faultStrings(fs []Fault) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

func TestParseFaults(t *testing.T) {
	if fs, err := ParseFaults(" stall, lost-reply "); err != nil || len(fs) != 2 || fs[0] != FaultStall || fs[1] != FaultLostReply {
		t.Errorf("got %v %v", fs, err)
	}
	if fs, err := ParseFaults("all"); err != nil || fs != nil {
		t.Errorf("all: %v %v", fs, err)
	}
	if _, err := ParseFaults("stall,meteor"); err == nil || !strings.Contains(err.Error(), "meteor") {
		t.Errorf("unknown fault: %v", err)
	}
	for _, bad := range []Options{{FaultRate: 1.5}, {FaultRate: -0.1}, {Faults: []Fault{"meteor"}}, {Orders: -1}, {Latency: -time.Second}} {
		if _, err := Start(bad, ""); err == nil {
			t.Errorf("Start accepted %+v", bad)
		}
	}
}

// Latency delays every call but gives up with the client.
func TestLatency(t *testing.T) {
	_, c := newSim(t, Options{Latency: time.Hour})
	c.client.Timeout = 100 * time.Millisecond
	var ne net.Error
	if _, _, err := c.send(c.form("360buy.delivery.logistics.get", nil)); !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v, want a timeout", err)
	}
	_, c = newSim(t, Options{Latency: 20 * time.Millisecond})
	c.ok("360buy.delivery.logistics.get", "delivery_logistics_get_response", nil)
}

// Start serves on a real port; Close ends stalled calls instead of waiting for them.
func TestStartClose(t *testing.T) {
	r, err := Start(Options{Orders: 10, Now: fixedNow}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.URL, "http://127.0.0.1:") || !strings.HasSuffix(r.URL, "/routerjson") {
		t.Errorf("URL %s", r.URL)
	}
	c := &caller{t: t, url: r.URL, key: DemoAppKey, secret: DemoAppSecret, token: DemoAccessToken, now: testNow,
		client: &http.Client{Timeout: 5 * time.Second}}
	c.ok("360buy.delivery.logistics.get", "delivery_logistics_get_response", nil)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.send(c.form("360buy.delivery.logistics.get", nil)); err == nil {
		t.Error("still serving after Close")
	}

	r, err = Start(Options{Orders: 10, Now: fixedNow, FaultRate: 1, Faults: []Fault{FaultStall}}, "")
	if err != nil {
		t.Fatal(err)
	}
	c.url = r.URL
	c.client = &http.Client{} // no timeout: only Close can end the stall
	done := make(chan error, 1)
	go func() {
		_, _, err := c.send(c.form("360buy.delivery.logistics.get", nil))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the call reach the stall
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	<-done // returns once Close cut the stall short
}
