package orderlist

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestReadWaybillsCSV(t *testing.T) {
	in := "\ufefforder_id,logistics_id,waybill,packages\n" +
		"244991091318,467,sf1000000000001\n" +
		"# a comment\n" +
		"\n" +
		"244991091318, 1499 , 731000000001 ,2\n" +
		"244991094553,0,,3\n" +
		"244991094554\t1274\t\n"
	rows, err := ReadWaybillsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []WaybillRow{
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
	_, err = ReadWaybillsCSV(strings.NewReader(bad))
	var fe *Error
	if !errors.As(err, &fe) || !errors.Is(err, ErrBadWaybillFile) {
		t.Fatalf("%v", err)
	}
	for i, want := range []string{"line 2: order id", "line 3: logistics id", "line 4: waybill", "line 5: packages", "line 6: 2 columns", "line 7"} {
		if i >= len(fe.Problems) || !strings.HasPrefix(fe.Problems[i], want) {
			t.Errorf("problem %d: %q, want %q…", i, fe.Problems, want)
			break
		}
	}
}

func TestReadOrderIDs(t *testing.T) {
	ids, err := ReadOrderIDs(context.Background(), strings.NewReader("\ufefforder_id,type\n244991091318,SOP\n\n# skip\n 244991094553 \n\"244991094554\"\n"))
	if err != nil || strings.Join(ids, " ") != "244991091318 244991094553 244991094554" {
		t.Errorf("%v %v", ids, err)
	}
	_, err = ReadOrderIDs(context.Background(), strings.NewReader("244991091318\nSF1000000000001\n2449910x\n"))
	var le *Error
	if !errors.As(err, &le) || len(le.Problems) != 2 || !strings.HasPrefix(le.Problems[0], "line 2:") || !strings.HasPrefix(le.Problems[1], "line 3:") {
		t.Errorf("%v", err)
	}
}

func TestParseOrderList(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{"244991089335, 244991090814，244991092375\n244991094069", "244991089335 244991090814 244991092375 244991094069", ""},
		{"244991089335,244991089335", "", "listed twice"},
		{"2449910893x5", "", "not a JD order id"},
		{" , ", "", "no order ids"},
	} {
		ids, err := ParseOrderList(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrBadOrderList) {
				t.Errorf("ParseOrderList(%q) = %v, %v; want %q", tt.in, ids, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(ids, " ") != tt.want {
			t.Errorf("ParseOrderList(%q) = %v, %v", tt.in, ids, err)
		}
	}
}

// TestListLimits: a file that is not an order list (binary, a line of megabytes, more than
// MaxListBytes) is refused with ErrNotAList, and a list of many bad lines names the first ones
// and counts the rest instead of echoing them all.
func TestListLimits(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   io.Reader
		want string
	}{
		{"binary", strings.NewReader("244991091318\n\x00\x01\x02\n"), "binary data"},
		{"a huge line", strings.NewReader(strings.Repeat("1", 1<<20) + "\n"), "longer than 64 KB"},
		{"too big", io.LimitReader(repeat("244991091318\n"), MaxListBytes+100), "larger than 32 MB"},
	} {
		_, err := ReadOrderIDs(ctx, tc.in)
		if !errors.Is(err, ErrNotAList) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrNotAList saying %q", tc.name, err, tc.want)
		}
	}
	_, err := ReadOrderIDs(ctx, strings.NewReader(strings.Repeat("not-an-id\n", 1000)))
	var le *Error
	if !errors.As(err, &le) || len(le.Problems) != maxProblems+1 || !strings.Contains(le.Problems[maxProblems], "950 more") {
		t.Errorf("1,000 bad lines: %v", err)
	}
	_, err = ReadWaybillsCSV(io.LimitReader(repeat("244991091318,467,SF1000000000001\n"), MaxListBytes+100))
	if !errors.Is(err, ErrNotAList) {
		t.Errorf("a waybill file over the limit: %v", err)
	}
}

// repeat reads s again and again.
func repeat(s string) io.Reader {
	r, w := io.Pipe()
	go func() {
		for {
			if _, err := w.Write([]byte(strings.Repeat(s, 1000))); err != nil {
				return
			}
		}
	}()
	return r
}

// TestWaybillQuoteLeftOpen: a quote left open spoils its own line only, and a huge field is
// quoted in the message cut short, not echoed whole.
func TestWaybillQuoteLeftOpen(t *testing.T) {
	in := "244991091318,467,\"SF1000000000001\n" +
		"244991094553,467,SF1000000000002\n" +
		"244991094554,467," + strings.Repeat("X", 50000) + "\n"
	_, err := ReadWaybillsCSV(strings.NewReader(in))
	var le *Error
	if !errors.As(err, &le) || len(le.Problems) != 2 {
		t.Fatalf("%v: want two mistakes, lines 1 and 3", err)
	}
	if !strings.HasPrefix(le.Problems[0], "line 1: ") || !strings.HasPrefix(le.Problems[1], "line 3: ") {
		t.Errorf("problems %q", le.Problems)
	}
	if n := len(err.Error()); n > 1000 {
		t.Errorf("the message is %d bytes: the field was echoed", n)
	}
	rows, err := ReadWaybillsCSV(strings.NewReader("244991091318,467,\"SF1000000000001\n244991094553,467,SF1000000000002\n"))
	if err == nil || len(rows) != 0 {
		t.Errorf("a file with a mistake gave rows %v", rows)
	}
}
