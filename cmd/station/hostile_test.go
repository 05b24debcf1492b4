package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"station/jos/jostest"
	"station/jos/jostest/shop"
)

// hostileText is what a buyer (or a compromised reply) can put in a name, an address or a remark:
// a screen clear, a window-title change, a bell, a forged line and a bidi override.
const hostileText = "张\x1b[2J三\r\n[1/1] 244991088626 printed\u202e\x1b]0;pwned\x07"

// terminalUnsafe reports what in out could drive a terminal or forge a line.
func terminalUnsafe(out string) string {
	for _, bad := range []string{"\x1b", "\r", "\a", "\u202e", "\n[1/1] 244991088626 printed"} {
		if strings.Contains(out, bad) {
			return bad
		}
	}
	if strings.HasPrefix(out, "[1/1] 244991088626 printed") {
		return "a forged first line"
	}
	return ""
}

// Hostile text in JD's order data, in a waybill file and in scanner input reaches the terminal
// only as plain text, through every command that shows it.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 40})
	lbp := waitingIDs(t, sim, shop.TypeLBP, 2)
	sop := waitingIDs(t, sim, shop.TypeSOP, 1)[0]
	for _, id := range append(lbp, sop) {
		if err := sim.Server.Edit(id, func(o *shop.Order) {
			o.Cons.Name, o.Cons.Address, o.Cons.City, o.Remark = hostileText, hostileText, hostileText, hostileText
			for i := range o.Items {
				o.Items[i].Name = hostileText
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	g := append(simFlags(sim, filepath.Join(dir, "j.db")), "-config", t.TempDir())
	waybills := filepath.Join(dir, "waybills.csv")
	os.WriteFile(waybills, []byte(sop+",467,"+hostileText+"\n"+sop+",46\x1b[2J7,SF1234567890123\n"), 0o600)
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"orders", "", []string{"orders"}},
		{"fetch", "", []string{"fetch", "-order", lbp[0]}},
		{"preview", "", []string{"preview", "-order", lbp[0], "-o", filepath.Join(dir, "p.pdf")}},
		{"batch", "", []string{"batch", "-order", lbp[0], "-o", filepath.Join(dir, "b.pdf"), "-ship"}},
		{"batch waybills", "", []string{"batch", "-order", sop, "-waybills", waybills, "-ship"}},
		{"scan", hostileText + "\n" + lbp[1] + "\n\x1b[2J" + lbp[1] + "\x1b]0;x\x07\n", []string{"scan", "-printer", "pdf:" + dir, "-ship"}},
		{"history", "", []string{"history"}},
		{"history order", "", []string{"history", "-order", lbp[0]}},
		{"history waybill", "", []string{"history", "-waybill", hostileText}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out, errOut := runIn(t, c.stdin, append(append([]string{}, g...), c.args...)...)
			if bad := terminalUnsafe(out); bad != "" {
				t.Errorf("stdout carries %q:\n%s", bad, out)
			}
			if bad := terminalUnsafe(errOut); bad != "" {
				t.Errorf("stderr carries %q:\n%s", bad, errOut)
			}
			if testing.Verbose() {
				t.Logf("%s%s", out, errOut)
			}
			if strings.Contains(out+errOut, "Something went wrong") {
				t.Errorf("a message fell through to the generic words:\n%s%s", out, errOut)
			}
			if out+errOut == "" {
				t.Error("no output at all")
			}
		})
	}
}
