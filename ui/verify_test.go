package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/journal"
	"station/journal/sqljournal"
	"station/products"
	"station/scale/scaletest"
	"station/settings"
	"station/sound"
	"station/ui/look"
	"station/ui/uitest"
)

// withCatalogue fills the product table beside the harness's journal with the simulator's
// catalogue and gives each of the first n waiting orders of type typ three lines, the first of
// two pieces. It returns those orders and the catalogue's wares.
func (h *harness) withCatalogue(typ string, n int) ([]string, []shop.Ware) {
	h.t.Helper()
	ctx := context.Background()
	st, err := products.Open(ctx, products.PathBeside(h.Journal))
	if err != nil {
		h.t.Fatal(err)
	}
	defer st.Close()
	sheet := &products.Sheet{}
	for i, p := range shop.Products(jostest.DefaultSeed) {
		sheet.Rows = append(sheet.Rows, products.Row{Line: i + 2, Product: p})
	}
	if _, err := st.Import(ctx, sheet); err != nil {
		h.t.Fatal(err)
	}
	ws := shop.Wares(jostest.DefaultSeed)
	var ids []string
	for i := range n {
		id := h.orderOf(typ, i)
		if err := h.Sim.Edit(id, func(o *shop.Order) {
			o.Items = nil
			for k, w := range ws[:3] {
				o.Items = append(o.Items, shop.Item{WareID: w.WareID, SkuID: w.SkuID, OuterID: w.OuterID, Name: w.Name, Num: 1 + boolInt(k == 0), Price: 100})
			}
		}); err != nil {
			h.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids, ws
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// texts are the texts of the labels under o, in order.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// The scan tab verifies: the order's lines on screen, counted item by item; a wrong item, a
// surplus and an unknown code are refused in red with their own sound and count nothing; the
// complete parcel is printed and shipped; Esc sets an order aside into the exception list.
func TestVerifyInTheWindow(t *testing.T) {
	h := newHarness(t)
	ids, ws := h.withCatalogue(shop.TypeLBP, 2)
	sc := h.app.scan
	played := 0
	expectSound := func(want sound.Prompt) {
		t.Helper()
		played++
		if got := h.sounds.nth(t, played); got != want {
			t.Errorf("sound %v, want %v", got, want)
		}
	}

	h.scan(ids[0])
	if sc.Banner.Kind() != look.Wait || !sc.Pack.Content.Visible() || sc.PrevPane.Visible() {
		t.Fatalf("order scan: banner %v %q, panel shown %v", sc.Banner.Kind(), sc.Banner.Title(), sc.Pack.Content.Visible())
	}
	expectSound(sound.Item)
	shown := strings.Join(texts(sc.Pack.Content), "|")
	for _, want := range []string{"0/2", "0/1", ws[0].Name, ws[2].Name[:20], "0/4", ws[1].Barcode} {
		if !strings.Contains(shown, want) {
			t.Errorf("the panel does not show %q: %s", want, shown)
		}
	}
	steps := []struct {
		code   string
		banner look.Kind
		title  string
		sound  sound.Prompt
		pieces string
	}{
		{ws[0].Barcode, look.Wait, "验货中", sound.Item, "1/4"},
		{ws[5].Barcode, look.Fail, "错货", sound.WrongItem, "1/4"},
		{"6900000000000", look.Fail, "未知条码", sound.UnknownCode, "1/4"},
		{ws[1].OuterID, look.Wait, "验货中", sound.Item, "2/4"},
		{ws[1].Barcode, look.Fail, "多件", sound.Surplus, "2/4"},
		{ws[0].Barcode, look.Wait, "验货中", sound.Item, "3/4"},
	}
	for _, s := range steps {
		h.scan(s.code)
		if sc.Banner.Kind() != s.banner || !strings.HasPrefix(sc.Banner.Title(), s.title) {
			t.Errorf("scan %s: banner %v %q, want %v %q", s.code, sc.Banner.Kind(), sc.Banner.Title(), s.banner, s.title)
		}
		expectSound(s.sound)
		if got := sc.Pack.View(); got == nil || sc.Pack.Content.Visible() != true || !strings.Contains(strings.Join(texts(sc.Pack.Content), "|"), s.pieces) {
			t.Errorf("scan %s: the panel does not show %s: %v", s.code, s.pieces, texts(sc.Pack.Content))
		}
		if s.banner == look.Fail && !sc.Pack.RefusalShown() {
			t.Errorf("scan %s: the refusal is not on the panel", s.code)
		}
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAttempts != 0 {
		t.Fatal("shipped before the parcel was complete")
	}
	h.scan(ws[2].Barcode)
	if sc.Banner.Kind() != look.OK || sc.Pack.Content.Visible() || !sc.PrevPane.Visible() {
		t.Fatalf("complete: banner %v %q %q, panel %v", sc.Banner.Kind(), sc.Banner.Title(), sc.Banner.Detail(), sc.Pack.Content.Visible())
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAccepted != 1 {
		t.Errorf("ledger %+v", lo)
	}
	h.app.RefreshStatus()
	h.app.wait()
	if got := h.app.status.today.Text; !strings.Contains(got, "验货 1") {
		t.Errorf("status bar %q does not count the verified order", got)
	}

	// The next order: Esc sets it aside, into the exception list, and nothing goes out.
	h.scan(ids[1])
	h.scan(ws[0].Barcode)
	sc.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.app.wait()
	if sc.Banner.Kind() != look.Warn || sc.Pack.Content.Visible() || sc.Exc.Len() != 1 || sc.Exc.List()[0].Result.OrderID != ids[1] {
		t.Errorf("Esc: banner %v %q, panel %v, exceptions %+v", sc.Banner.Kind(), sc.Banner.Title(), sc.Pack.Content.Visible(), sc.Exc.List())
	}
	j, err := sqljournal.OpenSQLite(context.Background(), h.Journal)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	p, _, err := j.Pack(context.Background(), ids[1])
	if err != nil || p.State != journal.PackAside {
		t.Errorf("journal %+v %v", p, err)
	}
	if lo := uitest.Ledger(t, h.Sim, ids[1]); lo.OutstorageAttempts != 0 {
		t.Error("the order set aside was shipped")
	}
}

// A station closed in the middle of a count resumes it in a new window.
func TestVerifyResumesInANewWindow(t *testing.T) {
	h := newHarness(t)
	ids, ws := h.withCatalogue(shop.TypeSOPL, 1)
	h.scan(ids[0])
	h.scan(ws[0].Barcode)
	h.scan(ws[2].Barcode)
	h.app.Close()
	h.app = h.open()
	h.scan(ids[0])
	v := h.app.scan.Pack.View()
	if v == nil || v.Got != 2 || v.Want != 4 {
		t.Fatalf("resumed view %+v", v)
	}
	h.scan(ws[0].Barcode)
	h.scan(ws[1].Barcode)
	if h.app.scan.Banner.Kind() != look.OK {
		t.Errorf("complete after resume: %v %q", h.app.scan.Banner.Kind(), h.app.scan.Banner.Detail())
	}
}

// tapButton taps the button labelled text in the window's top overlay (a dialog).
func (h *harness) tapButton(text string) bool {
	h.t.Helper()
	top := h.app.win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(top)
	if found == nil {
		return false
	}
	test.Tap(found)
	h.app.wait()
	return true
}

// The 商品 page: a file with bad rows is previewed with its lines and nothing is written; a
// good one is imported after 导入, searched, and the scan tab verifies against it at once.
func TestProductsPage(t *testing.T) {
	h := newHarness(t)
	page := h.app.products
	page.Shown()
	h.app.wait()
	if !strings.Contains(page.Summary(), "空") {
		t.Errorf("empty table: %q", page.Summary())
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("商品编码,条码,商品名称,重量(kg)\nA-1,6901234567892,杯子,0.35\nA-2,6901234567893,错条码,0.1\n"), 0o600)
	page.ImportFile(bad)
	h.app.wait()
	shown := strings.Join(texts(h.app.win.Canvas().Overlays().Top()), "\n")
	if !strings.Contains(shown, "第 3 行") || !strings.Contains(shown, "商家编码") || h.tapButton("导入 1 个商品") {
		t.Errorf("bad file preview:\n%s", shown)
	}
	h.tapButton("关闭")

	ws := shop.Wares(jostest.DefaultSeed)
	var csv strings.Builder
	csv.WriteString("SKU ID,商家编码,条码,商品名称,重量(g)\n")
	for _, w := range ws {
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%d\n", w.SkuID, w.OuterID, w.Barcode, w.Name, w.WeightG)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte(csv.String()), 0o600)
	page.ImportFile(good)
	h.app.wait()
	if !h.tapButton(fmt.Sprintf("导入 %d 个商品", len(ws))) {
		t.Fatalf("no import button: %v", texts(h.app.win.Canvas().Overlays().Top()))
	}
	h.tapButton("OK")
	if len(page.Listed()) != len(ws) {
		t.Errorf("listed %d", len(page.Listed()))
	}
	test.Type(page.Search(), ws[3].OuterID)
	if l := page.Listed(); len(l) != 1 || l[0].SkuID != ws[3].SkuID {
		t.Errorf("search %s: %+v", ws[3].OuterID, l)
	}
	// Verification is on by itself now (auto): an order scan lists its lines.
	h.scan(h.orderOf(shop.TypeLBP, 0))
	if h.app.scan.Pack.View() == nil || h.app.scan.Banner.Kind() != look.Wait {
		t.Errorf("no verification after the import: %v %q", h.app.scan.Banner.Kind(), h.app.scan.Banner.Detail())
	}
}

// A scale on a pseudo-terminal (the window opens it from the settings): an overweight parcel
// holds its order in red with 重新称重 and 重量放行; 重量放行 ships it, and the weight is kept.
func TestVerifyWeighsInTheWindow(t *testing.T) {
	scaleSim := scaletest.Start(t)

	h := newHarness(t)
	ids, ws := h.withCatalogue(shop.TypeLBP, 1)
	store, _ := settings.Open(h.Dir)
	cfg, _ := store.Load()
	cfg.Scale = scaleSim.Spec()
	if err := store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	h.app.Close()
	h.app = h.open()
	want := 2*ws[0].WeightG + ws[1].WeightG + ws[2].WeightG
	scaleSim.Set(want + want/2 + 500)
	sc := h.app.scan
	for _, code := range []string{ids[0], ws[0].Barcode, ws[0].Barcode, ws[1].Barcode, ws[2].Barcode} {
		h.scan(code)
	}
	if sc.Banner.Kind() != look.Fail || !strings.Contains(sc.Banner.Detail(), "重量异常") || !sc.Pack.Content.Visible() {
		t.Fatalf("overweight: banner %v %q %q", sc.Banner.Kind(), sc.Banner.Title(), sc.Banner.Detail())
	}
	shown := strings.Join(texts(sc.Pack.Content), "|")
	if !strings.Contains(shown, "重量异常") {
		t.Errorf("the panel does not say the weight is off: %s", shown)
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAttempts != 0 {
		t.Fatal("an overweight parcel was shipped")
	}
	if !sc.Pack.Tap("重量放行") {
		t.Fatalf("no 重量放行 button on the panel: %s", shown)
	}
	h.app.wait()
	if sc.Banner.Kind() != look.OK {
		t.Errorf("accepted: banner %v %q", sc.Banner.Kind(), sc.Banner.Detail())
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAccepted != 1 {
		t.Errorf("ledger %+v", lo)
	}
	j, err := sqljournal.OpenSQLite(context.Background(), h.Journal)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if p, _, _ := j.Pack(context.Background(), ids[0]); p.WeightG != want+want/2+500 || p.WeightCheck != "accepted" {
		t.Errorf("journal pack %+v", p)
	}
}

// A scale plugged in after the window opened (its port missing at first) weighs once it is
// there: 重新称重 after the "no scale" hold opens it and the order goes on.
func TestScalePluggedInLater(t *testing.T) {
	scaleSim := scaletest.Start(t)
	port := filepath.Join(t.TempDir(), "ttyUSB0") // not there yet: the adapter is not plugged in
	h := newHarness(t)
	ids, ws := h.withCatalogue(shop.TypeLBP, 1)
	store, _ := settings.Open(h.Dir)
	cfg, _ := store.Load()
	cfg.Scale = "serial:" + port
	if err := store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	h.app.Close()
	h.app = h.open()
	sc := h.app.scan
	for _, code := range []string{ids[0], ws[0].Barcode, ws[0].Barcode, ws[1].Barcode, ws[2].Barcode} {
		h.scan(code)
	}
	if sc.Banner.Kind() != look.Warn || !strings.Contains(sc.Banner.Detail(), "找不到秤的串口") {
		t.Fatalf("no scale: banner %v %q", sc.Banner.Kind(), sc.Banner.Detail())
	}
	if err := os.Symlink(scaleSim.Port, port); err != nil { // plugged in
		t.Fatal(err)
	}
	scaleSim.Set(2*ws[0].WeightG + ws[1].WeightG + ws[2].WeightG)
	if !sc.Pack.Tap("重新称重") {
		t.Fatal("no 重新称重 on the panel")
	}
	h.app.wait()
	if sc.Banner.Kind() != look.OK {
		t.Errorf("weighed after plugging in: %v %q", sc.Banner.Kind(), sc.Banner.Detail())
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAccepted != 1 {
		t.Errorf("ledger %+v", lo)
	}
}

// A scan while the 跳过验货 reason dialog is open (opened by a touch) is an item scan, never the
// reason: the order is not skipped with a barcode as its reason.
func TestScanWhileReasonDialogOpen(t *testing.T) {
	h := newHarness(t)
	ids, ws := h.withCatalogue(shop.TypeLBP, 1)
	sc := h.app.scan
	h.scan(ids[0])
	if !sc.Pack.Tap("跳过验货…") {
		t.Fatal("no 跳过验货 button")
	}
	c := h.app.Window().Canvas()
	field, ok := c.Focused().(fyne.Focusable)
	if !ok || c.Overlays().Top() == nil {
		t.Fatal("the reason dialog has not the keyboard")
	}
	for _, r := range ws[0].Barcode { // a scanner: every key within a millisecond, then Enter
		field.TypedRune(r)
	}
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if v := sc.Pack.View(); v == nil || v.Got != 1 {
		t.Errorf("the scan did not count as an item: %+v", v)
	}
	j, err := sqljournal.OpenSQLite(context.Background(), h.Journal)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if p, _, _ := j.Pack(context.Background(), ids[0]); p.State != journal.PackChecking {
		t.Errorf("the scan was taken as the reason: %+v", p)
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAttempts != 0 {
		t.Error("the order was shipped unverified")
	}
	// The reason the packer types (a few keys, not a scanner's burst) skips verification.
	for _, r := range "缺货" {
		field.TypedRune(r)
	}
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.app.wait()
	if p, _, _ := j.Pack(context.Background(), ids[0]); p.State != journal.PackSkipped || p.Reason != "缺货" {
		t.Errorf("the typed reason: %+v", p)
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAccepted != 1 {
		t.Errorf("skipped with a reason, not shipped: %+v", lo)
	}
}

// The reason dialog belongs to its order: when scans complete the order while it is open, it
// closes, and a reason typed into it can never skip the next order.
func TestReasonDialogClosesWithItsOrder(t *testing.T) {
	h := newHarness(t)
	ids, ws := h.withCatalogue(shop.TypeLBP, 2)
	sc := h.app.scan
	h.scan(ids[0])
	sc.Pack.Tap("跳过验货…")
	c := h.app.Window().Canvas()
	field := c.Focused().(fyne.Focusable)
	for _, code := range []string{ws[0].Barcode, ws[0].Barcode, ws[1].Barcode, ws[2].Barcode} {
		for _, r := range code {
			field.TypedRune(r)
		}
		field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.app.wait()
	}
	if lo := uitest.Ledger(t, h.Sim, ids[0]); lo.OutstorageAccepted != 1 {
		t.Fatalf("the order completed by scans into the dialog did not ship: %+v", lo)
	}
	if c.Overlays().Top() != nil {
		t.Error("the reason dialog stayed open after its order went on")
	}
}
