package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/printdata"
)

// station remark, delete-apply, delete-cancel, track, jd-label and orders -fbp against the
// simulator, as a script would run them.
func TestCLIOrderService(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 40, Overseas: 4, FBP: 3})
	dir := t.TempDir()
	g := append(simFlags(sim, filepath.Join(dir, "j.db")), "-config", t.TempDir())
	cmd := func(args ...string) (int, string, string) {
		t.Helper()
		return runIn(t, "", append(append([]string{}, g...), args...)...)
	}
	ids := waitingIDs(t, sim, shop.TypeSOP, 2)

	code, out, errOut := cmd("remark", "-order", ids[0], "-set", "缺货，已联系客户", "-flag", "1", "-json")
	var rm struct {
		Remark string `json:"remark"`
		Flag   int    `json:"flag"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rm) != nil || rm.Remark != "缺货，已联系客户" || rm.Flag != 1 {
		t.Fatalf("remark -set: exit %d\n%s%s", code, out, errOut)
	}
	if l, _ := sim.Server.Ledger().Order(ids[0]); l.RemarkUpdates != 1 {
		t.Errorf("%d remark updates at JD", l.RemarkUpdates)
	}
	if code, out, errOut = cmd("remark", "-order", "99999999999"); code == 0 || !strings.Contains(out+errOut, "JD has no such order") {
		t.Errorf("remark of an unknown order: exit %d\n%s%s", code, out, errOut)
	}

	if code, out, errOut = cmd("delete-apply", "-order", ids[1], "-reason", "9"); code != 2 || !strings.Contains(errOut, "reason 9") {
		t.Errorf("reason 9 without -text: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = cmd("delete-apply", "-order", ids[1], "-reason", "1"); code != 0 || !strings.Contains(out, "等待京东审核") {
		t.Fatalf("delete-apply: exit %d\n%s%s", code, out, errOut)
	}
	labels := filepath.Join(dir, "labels")
	os.Mkdir(labels, 0o700)
	code, out, errOut = runIn(t, ids[1]+"\n", append(append([]string{}, g...), "scan", "-ship", "-printer", "pdf:"+labels, "-logistics", "1274")...)
	if code == 0 || !strings.Contains(out, "delete request") {
		t.Errorf("scan of an order with a delete request: exit %d\n%s%s", code, out, errOut)
	}
	if files, _ := os.ReadDir(labels); len(files) != 0 {
		t.Errorf("%d labels printed for an order with a delete request", len(files))
	}
	if code, out, errOut = cmd("delete-cancel", "-order", ids[1], "-json"); code != 0 || !strings.Contains(out, `"state": "cancelled"`) {
		t.Fatalf("delete-cancel: exit %d\n%s%s", code, out, errOut)
	}
	if l, _ := sim.Server.Ledger().Order(ids[1]); l.DeletePending || l.State != printdata.StateWaitStockOut {
		t.Errorf("after delete-cancel: %+v", l)
	}

	shipped := sim.Server.OrderIDs(shop.TypeSOP, printdata.StateWaitReceive)[0]
	code, out, errOut = cmd("track", "-order", shipped, "-json")
	var track []struct{ Time, Text string }
	if code != 0 || json.Unmarshal([]byte(out), &track) != nil || len(track) == 0 {
		t.Fatalf("track: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := time.Parse(time.DateTime, track[0].Time); err != nil {
		t.Errorf("track time %q: %v", track[0].Time, err)
	}

	html := filepath.Join(dir, "jd.html")
	lbp := waitingIDs(t, sim, shop.TypeLBP, 1)[0]
	if code, out, errOut = cmd("jd-label", "-order", lbp, "-o", html); code != 0 {
		t.Fatalf("jd-label: exit %d\n%s%s", code, out, errOut)
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), lbp) || !strings.Contains(string(page), "data:image/jpeg;base64,") {
		t.Fatalf("the page: %v\n%.300s", err, page)
	}
	if strings.Contains(out, "收货人") {
		t.Errorf("jd-label printed the consignee to the terminal:\n%s", out)
	}

	code, out, errOut = cmd("orders", "-fbp", "-json")
	var fbp []struct {
		OrderID string `json:"order_id"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &fbp) != nil || len(fbp) != 3 {
		t.Fatalf("orders -fbp: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runIn(t, fbp[0].OrderID+"\n", append(append([]string{}, g...), "scan", "-ship", "-printer", "pdf:"+labels, "-logistics", "1274")...)
	if code == 0 || !strings.Contains(out, "FBP order") {
		t.Errorf("scan of an FBP order: exit %d\n%s%s", code, out, errOut)
	}

	over := waitingIDs(t, sim, shop.TypeOverseas, 1)[0]
	if code, out, errOut = cmd("ship", "-order", over, "-logistics", "467", "-waybill", "SF1234567890123"); code != 0 {
		t.Fatalf("ship an overseas order: exit %d\n%s%s", code, out, errOut)
	}
	if l, _ := sim.Server.Ledger().Order(over); l.OutstorageAccepted != 1 || l.DeliveryAccepted != 1 {
		t.Errorf("overseas ledger %+v", l)
	}
}
