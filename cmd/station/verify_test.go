package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"station/jos/jostest"
	"station/jos/jostest/shop"
	"station/scale/scaletest"
)

// The flow of the README: the simulator's catalogue written with -products-out, imported,
// and station scan -verify ships an order only once its items are all scanned.
func TestCLIVerifyShipsOnlyWhenComplete(t *testing.T) {
	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	dir := t.TempDir()
	g := simFlags(sim, filepath.Join(dir, "j.db"))
	csv := filepath.Join(dir, "p.csv")
	// station sim writes the catalogue, then serves until it is stopped.
	ctx, stop := context.WithCancel(context.Background())
	simDone := make(chan int)
	var simErr bytes.Buffer
	go func() {
		simDone <- run(ctx, []string{"sim", "-addr", "127.0.0.1:0", "-orders", "1", "-products-out", csv}, strings.NewReader(""), io.Discard, &simErr)
	}()
	for i := 0; ; i++ {
		if b, err := os.ReadFile(csv); err == nil && bytes.Count(b, []byte("\n")) == 29 {
			break
		}
		if i == 500 {
			t.Fatalf("no catalogue from station sim: %s", simErr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-simDone
	code, out, errOut := runIn(t, "", append(g, "products", "import", csv)...)
	if code != 0 || !strings.Contains(out, "商家编码 merchant code") || !strings.Contains(out, "imported 28 products") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	ids := waitingIDs(t, sim, shop.TypeLBP, 2)
	ws := shop.Wares(jostest.DefaultSeed)
	for _, id := range ids {
		if err := sim.Server.Edit(id, func(o *shop.Order) {
			o.Items = []shop.Item{
				{WareID: ws[0].WareID, SkuID: ws[0].SkuID, OuterID: ws[0].OuterID, Name: ws[0].Name, Num: 2, Price: 100},
				{WareID: ws[1].WareID, SkuID: ws[1].SkuID, OuterID: ws[1].OuterID, Name: ws[1].Name, Num: 1, Price: 100},
				{WareID: ws[2].WareID, SkuID: ws[2].SkuID, OuterID: ws[2].OuterID, Name: ws[2].Name, Num: 1, Price: 100},
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	labels := filepath.Join(dir, "labels")
	os.Mkdir(labels, 0o755)
	in := strings.Join([]string{
		ids[0],
		ws[0].Barcode,
		ws[5].Barcode,   // wrong item
		"6900000000000", // unknown
		ws[1].OuterID,   // the merchant's code counts too
		ws[1].Barcode,   // surplus
		"+1",            // one more of the line last counted: surplus too
		ws[0].Barcode,   //
		ids[1],          // another order before this one is complete: refused
		ws[2].Barcode,   // complete: printed and shipped
		ids[1],          // the next order
		":skip",         // no reason: refused
		":skip 客户同意少发",  // skipped with a reason: printed and shipped
	}, "\n") + "\n"
	code, out, errOut = runIn(t, in, append(g, "scan", "-verify", "-ship", "-o", labels)...)
	var statuses []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, " ") {
			statuses = append(statuses, strings.Fields(l)[0])
		}
	}
	want := "verifying verifying rejected rejected verifying rejected rejected verifying rejected printed+shipped verifying rejected printed+shipped"
	if strings.Join(statuses, " ") != want || code != 1 {
		t.Fatalf("exit %d, results\n %s\nwant\n %s\n%s\n%s", code, strings.Join(statuses, " "), want, out, errOut)
	}
	for _, w := range []string{"错货", "多件", "不是商品表里的条码", "跳过验货需要写原因"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in\n%s", w, out)
		}
	}
	for _, id := range ids {
		if lo := ledgerOf(t, sim, id); lo.OutstorageAccepted != 1 || lo.OutstorageAttempts != 1 {
			t.Errorf("order %s: ledger %+v", id, lo)
		}
	}
	code, out, _ = runIn(t, "", append(g, "history", "-json")...)
	var hist []struct {
		OrderID string `json:"order_id"`
		Pack    *struct{ State, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &hist); err != nil || code != 0 {
		t.Fatalf("history: %v %s", err, out)
	}
	got := map[string]string{}
	for _, h := range hist {
		if h.Pack != nil {
			got[h.OrderID] = h.Pack.State + "/" + h.Pack.Reason
		}
	}
	if got[ids[0]] != "complete/" || got[ids[1]] != "skipped/客户同意少发" {
		t.Errorf("history packs %v", got)
	}
	// The shift's figures.
	code, out, _ = runIn(t, "", append(g, "shift", "-json")...)
	var shift struct {
		Verified int
		Skipped  int            `json:"verify_skipped"`
		Refused  map[string]int `json:"refused_scans"`
	}
	if err := json.Unmarshal([]byte(out), &shift); err != nil || code != 0 {
		t.Fatalf("shift: %v %s", err, out)
	}
	if shift.Verified != 1 || shift.Skipped != 1 || shift.Refused["wrong"] != 1 || shift.Refused["surplus"] != 2 || shift.Refused["unknown"] != 2 {
		t.Errorf("shift %+v", shift)
	}

	// Without a product table, -verify says what to do.
	code, _, errOut = runIn(t, "", append(simFlags(sim, filepath.Join(t.TempDir(), "j.db")), "scan", "-verify", "-ship")...)
	if code != 1 || !strings.Contains(errOut, "station products import") {
		t.Errorf("empty table: exit %d %s", code, errOut)
	}
}

// Bad rows are listed by line and nothing is written.
func TestCLIProductsImportRefusesBadRows(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "bad.csv")
	os.WriteFile(csv, []byte("商品编码,条码,商品名称,重量(kg)\nA-1,6901234567892,杯子,0.35\nA-2,6901234567893,错条码,0.1\nA-3,6901234567892,同条码,0.2\n"), 0o600)
	g := []string{"-journal", filepath.Join(dir, "j.db")}
	code, out, errOut := runIn(t, "", append(g, "products", "import", csv)...)
	if code != 1 || !strings.Contains(out, "line 3") || !strings.Contains(out, "line 4") || !strings.Contains(errOut, "nothing was imported") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runIn(t, "", append(g, "products", "list", "-json")...)
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("the table after a refused import: %s", out)
	}
}

// A scale on a pseudo-terminal sending its continuous output: an overweight parcel holds its
// order until the packer accepts it; a parcel in range ships at once; the weight is recorded.
func TestCLIVerifyWeighs(t *testing.T) {
	scaleSim := scaletest.Start(t)

	sim := jostest.StartT(t, jostest.Options{Orders: 60})
	dir := t.TempDir()
	g := simFlags(sim, filepath.Join(dir, "j.db"))
	ws := shop.Wares(jostest.DefaultSeed)
	var csv strings.Builder
	csv.WriteString("SKU ID,商家编码,条码,商品名称,重量(g)\n")
	for _, w := range ws {
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%d\n", w.SkuID, w.OuterID, w.Barcode, w.Name, w.WeightG)
	}
	os.WriteFile(filepath.Join(dir, "p.csv"), []byte(csv.String()), 0o600)
	if code, out, errOut := runIn(t, "", append(g, "products", "import", filepath.Join(dir, "p.csv"))...); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	ids := waitingIDs(t, sim, shop.TypeLBP, 2)
	for _, id := range ids {
		sim.Server.Edit(id, func(o *shop.Order) {
			o.Items = []shop.Item{{WareID: ws[1].WareID, SkuID: ws[1].SkuID, OuterID: ws[1].OuterID, Name: ws[1].Name, Num: 1, Price: 100}}
		})
	}
	want := ws[1].WeightG
	// Overweight: held, then accepted by the packer.
	scaleSim.Set(want + 600)
	code, out, errOut := runIn(t, strings.Join([]string{ids[0], ws[1].Barcode, ":accept"}, "\n")+"\n",
		append(g, "scan", "-verify", "-ship", "-scale", scaleSim.Spec())...)
	if !strings.Contains(out, "重量异常") || !strings.Contains(out, "held") || strings.Count(out, "shipped") != 1 {
		t.Fatalf("overweight: exit %d\n%s\n%s", code, out, errOut)
	}
	// In range: ships on the last item. The scale was emptied between the two parcels.
	scaleSim.Set(0)
	time.Sleep(100 * time.Millisecond)
	scaleSim.Set(want + 30)
	code, out, errOut = runIn(t, strings.Join([]string{ids[1], ws[1].Barcode}, "\n")+"\n",
		append(g, "scan", "-verify", "-ship", "-scale", scaleSim.Spec())...)
	if code != 0 || !strings.Contains(out, "shipped         "+ids[1]) {
		t.Fatalf("in range: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, id := range ids {
		if lo := ledgerOf(t, sim, id); lo.OutstorageAccepted != 1 {
			t.Errorf("order %s not shipped once: %+v", id, lo)
		}
	}
	// -tolerance widens the range: the same overweight parcel goes through at once.
	third := waitingIDs(t, sim, shop.TypeLBP, 3)[2]
	sim.Server.Edit(third, func(o *shop.Order) {
		o.Items = []shop.Item{{WareID: ws[1].WareID, SkuID: ws[1].SkuID, OuterID: ws[1].OuterID, Name: ws[1].Name, Num: 1, Price: 100}}
	})
	scaleSim.Set(0)
	time.Sleep(100 * time.Millisecond)
	scaleSim.Set(want + 600)
	code, out, errOut = runIn(t, third+"\n"+ws[1].Barcode+"\n",
		append(g, "scan", "-verify", "-ship", "-scale", scaleSim.Spec(), "-tolerance", "700")...)
	if code != 0 || !strings.Contains(out, "shipped         "+third) {
		t.Errorf("-tolerance 700: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runIn(t, "", append(g, "scan", "-verify", "-ship", "-tolerance", "0")...); code != 2 || !strings.Contains(errOut, "-tolerance") {
		t.Errorf("-tolerance 0: exit %d %s", code, errOut)
	}
	if code, _, errOut := runIn(t, "", append(g, "scan", "-verify", "-ship", "-scale", "serial:/dev/ttyUSB0?baud=1")...); code != 2 || !strings.Contains(errOut, "baud=1") {
		t.Errorf("a bad scale spec: exit %d %s", code, errOut)
	}
	code, out, _ = runIn(t, "", append(g, "history", "-json")...)
	var hist []struct {
		OrderID string `json:"order_id"`
		Pack    *struct {
			WeightG     int    `json:"weight_g"`
			WeightCheck string `json:"weight_check"`
		}
	}
	json.Unmarshal([]byte(out), &hist)
	got := map[string]string{}
	for _, h := range hist {
		if h.Pack != nil {
			got[h.OrderID] = fmt.Sprintf("%d/%s", h.Pack.WeightG, h.Pack.WeightCheck)
		}
	}
	if got[ids[0]] != fmt.Sprintf("%d/accepted", want+600) || got[ids[1]] != fmt.Sprintf("%d/ok", want+30) {
		t.Errorf("weights %v", got)
	}
}

// The demo holds the simulator's catalogue by itself, and prints its practice sheet.
func TestCLIDemoProductsSheet(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runIn(t, "", "-demo", "-journal", filepath.Join(dir, "j.db"), "products", "sheet", "-o", filepath.Join(dir, "items.pdf"))
	if code != 0 || !strings.Contains(out, "28 products") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "items.pdf")); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("items.pdf: %v", err)
	}
	code, out, _ = runIn(t, "", "-demo", "-journal", filepath.Join(dir, "j.db"), "products", "list", "-json")
	var list []struct{ Barcodes []string }
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 28 || len(list[0].Barcodes) != 1 {
		t.Errorf("demo products: %v %d", err, len(list))
	}
}

// station scales lists the serial ports (none is fine on this machine) and -try reads a steady
// weight from a scale, or says what is wrong with a port that is not there.
func TestCLIScales(t *testing.T) {
	if code, out, errOut := runIn(t, "", "scales"); code != 0 || out == "" {
		t.Errorf("scales: exit %d %q %s", code, out, errOut)
	}
	scaleSim := scaletest.Start(t)
	scaleSim.Set(1234)
	code, out, errOut := runIn(t, "", "scales", "-try", scaleSim.Spec(), "-wait", "5s")
	if code != 0 || !strings.Contains(out, "1234 g (1.234 kg), steady") {
		t.Errorf("scales -try: exit %d %q %s", code, out, errOut)
	}
	code, _, errOut = runIn(t, "", "scales", "-try", "serial:"+filepath.Join(t.TempDir(), "ttyUSB9"))
	if code != 1 || !strings.Contains(errOut, "找不到秤的串口") {
		t.Errorf("a missing port: exit %d %s", code, errOut)
	}
}
