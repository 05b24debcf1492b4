package explain

import (
	"errors"
	"os"
	"strings"
	"testing"

	"station/products"
	"station/scale"
	"station/scan"
	"station/verify"
)

func TestPackWords(t *testing.T) {
	item := func(o verify.Outcome, name string) scan.Result {
		return scan.Result{Status: scan.Rejected, OrderID: "1001", Err: &scan.ItemError{OrderID: "1001", Code: "6901234567892",
			Scan: verify.Scan{Outcome: o, Product: products.Product{Name: name}}}}
	}
	w := verify.Weight{GotG: 1250, ExpectedG: 800, ToleranceG: 100, Check: verify.Overweight}
	for _, tc := range []struct {
		name string
		r    scan.Result
		zh   string
	}{
		{"wrong", item(verify.Wrong, "茶叶"), "错货：茶叶"},
		{"surplus", item(verify.Surplus, "保温杯"), "多件：保温杯"},
		{"unknown", item(verify.Unknown, ""), "未知条码 6901234567892"},
		{"hostile name", item(verify.Wrong, "杯\x1b[2J\r\n[1/1] 1001 printed"), "错货：杯[2J [1/1]"},
		{"overweight", scan.Result{Status: scan.Held, Note: scan.NoteWeightOff, Weight: &w}, "重量异常 1.25 kg，应为 0.80 ± 0.10 kg"},
		{"no weight", scan.Result{Status: scan.Held, Note: scan.NoteNoWeight, Err: errors.New("scale: no steady reading")}, "称重没有读到稳定的重量"},
		{"need reason", scan.Result{Status: scan.Rejected, Err: &scan.ItemError{OrderID: "1", NeedReason: true}}, "跳过验货需要写原因"},
		{"counted", scan.Result{Status: scan.Verifying, Item: &verify.Scan{Outcome: verify.Counted, Line: 0},
			Pack: &verify.View{Got: 1, Want: 4, Lines: []verify.Line{{Name: "保温杯", Got: 1, Want: 2}}}}, "保温杯 1/2 ✓ （本单 1/4 件）"},
	} {
		got := Scan(tc.r)
		if !strings.Contains(got.ZH, tc.zh) || got.EN == "" || strings.ContainsAny(got.ZH+got.EN, "\x1b\r\n") {
			t.Errorf("%s: %q / %q, want %q", tc.name, got.ZH, got.EN, tc.zh)
		}
	}
}

func TestScaleWords(t *testing.T) {
	for _, tc := range []struct {
		err error
		zh  string
	}{
		{&scale.Error{Kind: scale.Unplugged, Port: "/dev/ttyUSB0"}, "串口断开"},
		{&scale.Error{Kind: scale.NotEmptied, Last: scale.Reading{Grams: 1250}}, "上一个包裹（1.25 kg）"},
		{&scale.Error{Kind: scale.Garbled}, "波特率"},
		{&scale.OpenError{Port: "COM9", Err: os.ErrNotExist}, "找不到秤的串口 COM9"},
	} {
		if got := Error(tc.err); !strings.Contains(got.ZH, tc.zh) || got.EN == "" {
			t.Errorf("%v: %q", tc.err, got.ZH)
		}
	}
}
