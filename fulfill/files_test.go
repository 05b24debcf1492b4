package fulfill_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"station/fulfill"
	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/journal"
)

func TestReadWaybillsCSV(t *testing.T) {
	in := "\ufefforder_id,logistics_id,waybill,packages\n" +
		"244991091318,467,sf1000000000001\n" +
		"# a comment\n" +
		"\n" +
		"244991091318, 1499 , 731000000001 ,2\n" +
		"244991094553,0,,3\n" +
		"244991094554\t1274\t\n"
	rows, err := fulfill.ReadWaybillsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []fulfill.WaybillRow{
		{Line: 2, OrderID: "244991091318", LogisticsID: "467", Waybill: "SF1000000000001"},
		{Line: 5, OrderID: "244991091318", LogisticsID: "1499", Waybill: "731000000001", Packages: 2},
		{Line: 6, OrderID: "244991094553", LogisticsID: "0", Packages: 3},
		{Line: 7, OrderID: "244991094554", LogisticsID: "1274"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("rows\n%+v\nwant\n%+v", rows, want)
	}

	bad := "244991091318,467,SF1000000000001\n" +
		"24499109x318,467,SF1000000000002\n" +
		"244991091319,SF,SF1000000000003\n" +
		"244991091320,467,SF 1|2\n" +
		"244991091321,467,SF1000000000004,0\n" +
		"244991091322,467\n" +
		"244991091323,467,\"SF1000000000005\n"
	_, err = fulfill.ReadWaybillsCSV(strings.NewReader(bad))
	var fe *fulfill.ListError
	if !errors.As(err, &fe) || !errors.Is(err, fulfill.ErrBadWaybillFile) {
		t.Fatalf("%v", err)
	}
	for i, want := range []string{"line 2: order id", "line 3: logistics id", "line 4: waybill", "line 5: packages", "line 6: 2 columns", "line 7"} {
		if i >= len(fe.Problems) || !strings.HasPrefix(fe.Problems[i], want) {
			t.Errorf("problem %d: %q, want %q…", i, fe.Problems, want)
			break
		}
	}
}

func TestCheckWaybillRows(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 20})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	rows, err := fulfill.ReadWaybillsCSV(strings.NewReader("1001,467,SF1000000000001\n1001,1499,731000000001,2\n1001,467,SF1000000000002\n1002,0,,3\n1003,1274,\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ts.CheckWaybillRows(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	got := m["1001"]
	lg, wb := journal.JOSForm(got.Carriers)
	if lg != "467|1499" || wb != "SF1000000000001,SF1000000000002|731000000001" || got.Packages != 4 {
		t.Errorf("1001: %s %s %d", lg, wb, got.Packages)
	}
	if m["1002"].Packages != 3 || m["1003"].Carriers[0].LogisticsID != "1274" {
		t.Errorf("%+v", m)
	}

	rows, _ = fulfill.ReadWaybillsCSV(strings.NewReader("1001,467,SF1000000000001\n1002,2100,YT1234567890123\n1003,467,JDVA0000000001\n1004,467,\n1005,0,SF1000000000009\n1006,467,SF1000000000001\n"))
	_, err = ts.CheckWaybillRows(ctx, rows)
	var fe *fulfill.ListError
	if !errors.As(err, &fe) || len(fe.Problems) != 5 {
		t.Fatalf("%v", err)
	}
	for i, want := range []string{"line 2: carrier 2100 is not", "line 3: waybill", "line 4: carrier 467 顺丰速运 needs a waybill", "line 5: logistics id 0", "line 6: waybill SF1000000000001 is already on line 1"} {
		if !strings.HasPrefix(fe.Problems[i], want) {
			t.Errorf("problem %d: %q, want %q…", i, fe.Problems[i], want)
		}
	}
	if ts.JOS.Writes() != 0 {
		t.Error("writes")
	}
}

func TestReadOrderIDs(t *testing.T) {
	ids, err := fulfill.ReadOrderIDs(strings.NewReader("\ufefforder_id,type\n244991091318,SOP\n\n# skip\n 244991094553 \n\"244991094554\"\n"))
	if err != nil || strings.Join(ids, " ") != "244991091318 244991094553 244991094554" {
		t.Errorf("%v %v", ids, err)
	}
	_, err = fulfill.ReadOrderIDs(strings.NewReader("244991091318\nSF1000000000001\n2449910x\n"))
	var le *fulfill.ListError
	if !errors.As(err, &le) || len(le.Problems) != 2 || !strings.HasPrefix(le.Problems[0], "line 2:") || !strings.HasPrefix(le.Problems[1], "line 3:") {
		t.Errorf("%v", err)
	}
}
