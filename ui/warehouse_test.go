package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"station/internal/pgtest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/ui/uitest"
)

// The window asks the packer's 工号 when it opens; each scan records them, Ctrl+L switches to
// another packer, and an order scanned into the 工号 field is a scan, not a 工号.
func TestSignInRecordsThePacker(t *testing.T) {
	h := &harness{t: t, Env: uitest.Start(t), sounds: &heard{}, signIn: true, station: "打包台 1"}
	h.app = h.open()
	a := h.app
	s := a.SignInDialog()
	if s == nil {
		t.Fatal("no sign-in when the window opened")
	}
	if a.Window().Canvas().Focused() != s.ID {
		t.Error("the 工号 field does not have the keyboard")
	}
	test.Type(s.ID, "1024")
	s.ID.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(s.Name, "张三")
	s.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.wait()
	if a.SignInDialog() != nil || a.Packer() != "1024 张三" {
		t.Fatalf("after Enter: dialog %v, packer %q", a.SignInDialog() != nil, a.Packer())
	}
	if !strings.Contains(a.status.who.Text, "1024 张三") {
		t.Errorf("status bar says %q", a.status.who.Text)
	}
	if !h.focused() {
		t.Error("the scan field did not get the keyboard back")
	}
	first := h.orderOf(shop.TypeLBP, 0)
	h.scan(first)
	if e := h.entry(first); e.Who.Packer != "1024 张三" || e.Who.Station != "打包台 1" {
		t.Fatalf("the scan recorded %+v", e.Who)
	}

	// Ctrl+L: another packer takes over.
	a.shortcut(&desktopShortcutL)
	s = a.SignInDialog()
	if s == nil || s.ID.Text != "1024" {
		t.Fatal("Ctrl+L did not open the sign-in with the current 工号")
	}
	s.ID.SetText("2048")
	s.Name.SetText("李四")
	s.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.wait()
	second := h.orderOf(shop.TypeLBP, 1)
	h.scan(second)
	if e := h.entry(second); e.Who.Packer != "2048 李四" {
		t.Fatalf("after the switch the scan recorded %+v", e.Who)
	}
	if e := h.entry(first); e.Who.Packer != "1024 张三" {
		t.Errorf("the first order now shows %+v", e.Who)
	}
}

// Two windows on one warehouse journal (PostgreSQL): a scan at one is in the other's history,
// with the station that did it, and on its board.
func TestTwoWindowsOneJournal(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the product table of a database journal lives there
	env := uitest.Start(t)
	env.Journal = pgtest.Database(t)
	a := &harness{t: t, Env: env, sounds: &heard{}, station: "A", packer: "1001 张三"}
	a.app = a.open()
	b := &harness{t: t, Env: env, sounds: &heard{}, station: "B", packer: "2002 李四"}
	b.app = b.open()

	id := a.orderOf(shop.TypeLBP, 0)
	a.scan(id)
	if e := a.entry(id); e.State != "shipped" {
		t.Fatalf("window A: %s", e.State)
	}
	hist := b.app.history
	hist.Reload()
	b.app.wait()
	found := false
	for _, e := range hist.Entries() {
		if e.OrderID == id {
			found = e.Who.Station == "A" && e.Who.Packer == "1001 张三"
		}
	}
	if !found {
		t.Errorf("window B's history does not show A's scan of %s: %+v", id, hist.Entries())
	}
	b.app.board.Refresh()
	b.app.wait()
	board := b.app.board.Data
	if len(board.Stations) != 1 || board.Stations[0].Name != "A" || board.Stations[0].Shipped != 1 {
		t.Errorf("window B's board: %+v", board.Stations)
	}
	if hours := b.app.board.Data.Hours; len(hours) != 1 || hours[0].Shipped != 1 {
		t.Errorf("window B's board hours: %+v", hours)
	}
	// A scan of the same order at B prints nothing and ships nothing: it is A's, done.
	b.scan(id)
	if lo := b.ledger(id); lo.OutstorageAccepted != 1 {
		t.Errorf("JD accepted %d outstorages", lo.OutstorageAccepted)
	}
}

var desktopShortcutL = desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

// The board fits a 1024x768 screen with a full day on it: many stations and packers, every
// hour, eight open exceptions and more.
func TestBoardFits(t *testing.T) {
	h := newHarness(t)
	a := h.app
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.Local)
	var b journal.Board
	b.From, b.To = day, day.AddDate(0, 0, 1)
	for i := range 12 {
		b.Stations = append(b.Stations, journal.BoardRow{Name: fmt.Sprint("打包台 ", i), Printed: 100 + i, Shipped: 90, Failed: i % 3})
		b.Packers = append(b.Packers, journal.BoardRow{Name: fmt.Sprintf("10%02d 张三", i), Printed: 50, Shipped: 45})
	}
	for hr := range 24 {
		b.Hours = append(b.Hours, journal.HourCount{Start: day.Add(time.Duration(hr) * time.Hour), Printed: hr * 10, Shipped: hr * 9})
	}
	for i := range 12 {
		b.Open = append(b.Open, journal.Entry{OrderID: fmt.Sprint(244991100000 + i), State: journal.StateFailed,
			Reason: strings.Repeat("京东拒绝了发货：运单号不符合规则 ", 4), Who: journal.Who{Station: "打包台 3"}})
	}
	a.board.Show(b)
	a.tabs.SelectIndex(4)
	w := a.Window()
	for _, size := range []fyne.Size{{Width: 1008, Height: 720}, {Width: 1350, Height: 720}} {
		w.Resize(size)
		if m := w.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
			t.Errorf("with the board the window needs %v, more than %v", m, size)
		}
	}
	if got := a.board.Chart.Hours(); len(got) != 24 || got[23].Shipped != 23*9 {
		t.Errorf("the chart draws %d hours: %+v", len(got), got)
	}
}

// After successful scans (a label in the preview) the window, on any tab, still fits
// 1024x768: the window's minimum is the largest of its tabs'.
func TestWindowFitsAfterScans(t *testing.T) {
	h := newHarness(t)
	a := h.app
	a.Window().Resize(fyne.NewSize(1008, 720))
	h.scan(h.orderOf(shop.TypeLBP, 0))
	h.scan(h.orderOf(shop.TypeLBP, 1))
	if !a.scan.Preview.Visible() {
		t.Fatal("no label in the preview")
	}
	for i := range a.tabs.Items {
		a.tabs.SelectIndex(i)
		a.wait()
		if m := a.Window().Content().MinSize(); m.Height > 720 || m.Width > 1008 {
			t.Errorf("tab %d: the window needs %v", i, m)
		}
	}
}

// The board reads the journal again by itself while it is on screen: work done at another
// station shows without a click.
func TestBoardStaysLive(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	env := uitest.Start(t)
	env.Journal = pgtest.Database(t)
	a := &harness{t: t, Env: env, sounds: &heard{}, station: "A", live: true}
	a.app = a.open()
	b := &harness{t: t, Env: env, sounds: &heard{}, station: "B"}
	b.app = b.open()
	a.app.tabs.SelectIndex(4)
	a.app.wait()
	b.scan(b.orderOf(shop.TypeLBP, 0))
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		a.app.wait()
		if st := a.app.board.Data.Stations; len(st) == 1 && st[0].Name == "B" && st[0].Shipped == 1 {
			return
		}
	}
	t.Fatalf("window A's board never showed B's shipment: %+v", a.app.board.Data.Stations)
}

// When the shared journal stops answering mid-shift the status bar says so and the scan waits;
// when the database is back the scan goes on and ships, once.
func TestWindowWaitsForTheJournal(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	srv := pgtest.ForTest(t)
	url, err := pgtest.NewDatabase(context.Background(), srv.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	env := uitest.Start(t)
	env.Journal = url
	h := &harness{t: t, Env: env, sounds: &heard{}, station: "A"}
	h.app = h.open()
	a := h.app
	h.scan(h.orderOf(shop.TypeLBP, 0))
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	id := h.orderOf(shop.TypeLBP, 1)
	test.Type(a.scan.Entry, id)
	a.scan.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	said := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !said; time.Sleep(20 * time.Millisecond) {
		a.drain()
		said = strings.Contains(a.status.endpoint.Text, "共享记录连不上")
	}
	if !said {
		t.Fatalf("the status bar says %q while the journal is away", a.status.endpoint.Text)
	}
	if err := srv.Restart(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	a.wait()
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Errorf("after the journal came back: %d outstorages accepted", lo.OutstorageAccepted)
	}
	if strings.Contains(a.status.endpoint.Text, "共享记录连不上") {
		t.Errorf("the status bar still says %q", a.status.endpoint.Text)
	}
}

// A badge scanned into the 工号 field is the 工号 (the name field takes the keyboard next); a
// JD order scanned there is a scan: it goes to the scan line and ships, and the 工号 is kept.
func TestSignInTakesBadgeAndOrderScans(t *testing.T) {
	h := &harness{t: t, Env: uitest.Start(t), sounds: &heard{}, signIn: true}
	h.app = h.open()
	a := h.app
	s := a.SignInDialog()
	if s == nil {
		t.Fatal("no sign-in")
	}
	s.ID.OnBurst("E20481")
	if s.ID.Text != "E20481" || a.Window().Canvas().Focused() != s.Name {
		t.Fatalf("badge scan: field %q, name focused %v", s.ID.Text, a.Window().Canvas().Focused() == s.Name)
	}
	id := h.orderOf(shop.TypeLBP, 0)
	s.ID.OnBurst(id)
	a.wait()
	if lo := h.ledger(id); lo.OutstorageAccepted != 1 {
		t.Errorf("the order scanned into the 工号 field did not ship: %+v", lo)
	}
	if s.ID.Text != "E20481" {
		t.Errorf("the order scan changed the 工号 to %q", s.ID.Text)
	}
}
