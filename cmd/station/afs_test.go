package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"station/jos/jostest"
	"station/jos/jostest/shop"
)

// station afs list, apply, show, cancel, receive and returns against the simulator, with -json.
func TestCLIAfs(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 80})
	dir := t.TempDir()
	g := append(simFlags(sim, filepath.Join(dir, "j.db")), "-config", t.TempDir())
	cmd := func(args ...string) (int, string, string) {
		t.Helper()
		return runIn(t, "", append(append([]string{}, g...), args...)...)
	}
	var id string
	for _, o := range sim.Server.Ledger().Orders {
		if shop.Shipped(o.State) && len(sim.Server.AfsCases(o.OrderID)) == 0 {
			id = o.OrderID
			break
		}
	}
	if code, out, errOut := cmd("afs", "apply", "-order", id, "-type", "10", "-expect", "20", "-desc", "x"); code != 2 || !strings.Contains(errOut, "refund") {
		t.Fatalf("a return expecting an exchange: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := cmd("afs", "apply", "-order", id, "-type", "10", "-expect", "10", "-desc", "外箱破损", "-image", "https://img.jd.com/a.jpg", "-json")
	var applied struct {
		CaseID int64 `json:"case_id"`
		Sent   bool  `json:"sent"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &applied) != nil || applied.CaseID == 0 || !applied.Sent {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = cmd("afs", "apply", "-order", id, "-type", "10", "-expect", "10", "-desc", "again"); code == 0 || !strings.Contains(out+errOut, "nothing was sent again") {
		t.Errorf("a second application: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = cmd("afs", "list", "-order", id, "-json")
	var cases []struct {
		ID       int64                   `json:"id"`
		Status   int                     `json:"status"`
		Phone    string                  `json:"phone"`
		Question string                  `json:"question"`
		Schedule []struct{ Step string } `json:"schedule"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &cases) != nil || len(cases) != 1 || cases[0].ID != applied.CaseID ||
		cases[0].Question != "外箱破损" || len(cases[0].Schedule) == 0 {
		t.Fatalf("list: exit %d\n%s%s", code, out, errOut)
	}
	if cases[0].Phone != "" && !strings.Contains(cases[0].Phone, "*") {
		t.Errorf("the contact's phone is not masked: %q", cases[0].Phone)
	}
	if code, out, errOut = cmd("afs", "show", "-id", jsonNumber(applied.CaseID)); code != 0 || !strings.Contains(out, "外箱破损") {
		t.Errorf("show: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = cmd("afs", "cancel", "-id", "1"); code == 0 {
		t.Errorf("cancel of an unknown case: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = cmd("afs", "cancel", "-id", jsonNumber(applied.CaseID)); code != 0 {
		t.Fatalf("cancel: exit %d\n%s%s", code, out, errOut)
	}
	if c := sim.Server.AfsCases(id); c[0].Status != 4 {
		t.Fatalf("after cancel: %+v", c)
	}
	if code, out, errOut = cmd("afs", "receive", "-order", id, "-condition", "missing"); code == 0 || !strings.Contains(out+errOut, "note") {
		t.Errorf("missing items without a note: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = cmd("afs", "receive", "-order", id, "-condition", "missing", "-note", "少一个充电器", "-case", jsonNumber(applied.CaseID)); code != 0 {
		t.Fatalf("receive: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = cmd("afs", "returns", "-q", id, "-json")
	var rs []struct {
		Condition string `json:"condition"`
		CaseID    int64  `json:"case_id"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rs) != nil || len(rs) != 1 || rs[0].Condition != "missing" || rs[0].CaseID != applied.CaseID {
		t.Fatalf("returns: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = cmd("board", "-json"); code != 0 || !strings.Contains(out, `"returns_received": 1`) {
		t.Errorf("board: exit %d\n%s%s", code, out, errOut)
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }
