package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"station/internal/pgtest"
	"station/jos/jostest"
	"station/jos/jostest/shop"
)

// A station whose warehouse journal cannot be reached says so, in words, and does nothing:
// no label, no call to JD, no journal of its own instead; the URL's password is never shown.
func TestCLIUnreachableJournalRefuses(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 20})
	id := waitingIDs(t, sim, shop.TypeLBP, 1)[0]
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	url := "postgres://station:s3cret-pw@127.0.0.1:1/warehouse?sslmode=disable"
	pdf := filepath.Join(t.TempDir(), "l.pdf")
	for _, args := range [][]string{
		{"print", "-order", id, "-o", pdf},
		{"batch", "-order", id, "-ship", "-lbp-logistics", "0"},
		{"history"},
		{"board", "-json"},
	} {
		code, out, errOut := runIn(t, "", append(append(simArgs(sim), "-config", t.TempDir(), "-journal", url), args...)...)
		if code == 0 || !strings.Contains(errOut, "cannot be reached") || !strings.Contains(errOut, "不打印也不发货") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		if strings.Contains(out+errOut, "s3cret") {
			t.Errorf("%v: the password is in the output:\n%s%s", args, out, errOut)
		}
	}
	if _, err := os.Stat(pdf); err == nil {
		t.Error("a label was written")
	}
	if n := outstorageCalls(sim); n != 0 {
		t.Errorf("%d outstorage calls", n)
	}
	filepath.Walk(home, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".db") {
			t.Errorf("a journal of its own was made: %s", p)
		}
		return nil
	})
	// -h shows STATION_JOURNAL without its password.
	t.Setenv("STATION_JOURNAL", url)
	_, out, errOut := runIn(t, "", "history", "-h")
	if strings.Contains(out+errOut, "s3cret") || !strings.Contains(out+errOut, "postgres://station@127.0.0.1:1/warehouse") {
		t.Errorf("history -h:\n%s%s", out, errOut)
	}
}

// On a warehouse database: print and ship record the station and packer, history filters by
// them, and the board counts them; the password never shows.
func TestCLIWarehouseJournal(t *testing.T) {
	db := pgtest.Database(t)
	withPassword := strings.Replace(db, "postgres://station@", "postgres://station:s3cret-pw@", 1)
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	ids := waitingIDs(t, sim, shop.TypeLBP, 3)
	g := func(station, packer string) []string {
		return append(simArgs(sim), "-config", t.TempDir(), "-journal", withPassword, "-station", station, "-packer", packer)
	}
	all := ""
	for i, id := range ids {
		station, packer := "A", "1001 张三"
		if i == 2 {
			station, packer = "B", "2002 李四"
		}
		code, out, errOut := runIn(t, "", append(g(station, packer), "batch", "-order", id, "-ship", "-lbp-logistics", "0",
			"-printer", "file:"+filepath.Join(t.TempDir(), "l.zpl")+"?lang=zpl")...)
		all += out + errOut
		if code != 0 {
			t.Fatalf("batch %s: exit %d\n%s%s", id, code, out, errOut)
		}
	}
	code, out, errOut := runIn(t, "", append(g("A", ""), "history", "-json", "-by", "1001 张三")...)
	all += out + errOut
	var hist []historyRow
	if code != 0 || json.Unmarshal([]byte(out), &hist) != nil || len(hist) != 2 {
		t.Fatalf("history -by: exit %d\n%s%s", code, out, errOut)
	}
	for _, h := range hist {
		if h.Station != "A" || h.Packer != "1001 张三" || h.State != "shipped" {
			t.Errorf("history row %+v", h)
		}
	}
	code, out, _ = runIn(t, "", append(g("B", ""), "history", "-json", "-at", "B")...)
	if json.Unmarshal([]byte(out), &hist); code != 0 || len(hist) != 1 || hist[0].OrderID != ids[2] {
		t.Errorf("history -at B: %s", out)
	}
	code, out, errOut = runIn(t, "", append(g("C", ""), "board", "-json")...)
	all += out + errOut
	var board struct {
		Stations []struct {
			Name             string
			Printed, Shipped int
		}
		Hours []struct{ Shipped int }
	}
	if code != 0 || json.Unmarshal([]byte(out), &board) != nil {
		t.Fatalf("board -json: exit %d\n%s%s", code, out, errOut)
	}
	if len(board.Stations) != 2 || board.Stations[0].Name != "A" || board.Stations[0].Shipped != 2 || board.Stations[1].Printed != 1 {
		t.Errorf("board stations %+v", board.Stations)
	}
	if strings.Contains(all, "s3cret") {
		t.Errorf("the password is in the output:\n%s", all)
	}
}

type historyRow struct {
	OrderID string `json:"order_id"`
	State   string `json:"state"`
	Station string `json:"station"`
	Packer  string `json:"packer"`
}
