package fulfill_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"station/fulfill/fulfilltest"
	"station/jos/jostest"
	"station/journal"
	"station/orderlist"
)

func TestCheckWaybillRows(t *testing.T) {
	ctx := context.Background()
	sim := jostest.StartT(t, jostest.Options{Orders: 20})
	ts := fulfilltest.New(t, sim, fulfilltest.Options{Printer: "-"})
	rows, err := orderlist.ReadWaybillsCSV(strings.NewReader("1001,467,SF1000000000001\n1001,1499,731000000001,2\n1001,467,SF1000000000002\n1002,0,,3\n1003,1274,\n"))
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

	rows, _ = orderlist.ReadWaybillsCSV(strings.NewReader("1001,467,SF1000000000001\n1002,2100,YT1234567890123\n1003,467,JDVA0000000001\n1004,467,\n1005,0,SF1000000000009\n1006,467,SF1000000000001\n"))
	_, err = ts.CheckWaybillRows(ctx, rows)
	var fe *orderlist.Error
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
