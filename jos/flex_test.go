package jos

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"25003765"`, "25003765"},
		{`16050909`, "16050909"},
		{`123456789012345678901`, "123456789012345678901"}, // beyond float64 precision
		{`null`, ""},
		{`""`, ""},
		{`true`, "true"},
		{`"13800000000    "`, "13800000000    "},
	} {
		var s Str
		if err := json.Unmarshal([]byte(tc.in), &s); err != nil {
			t.Errorf("Unmarshal(%s): %v", tc.in, err)
			continue
		}
		if string(s) != tc.want {
			t.Errorf("Unmarshal(%s) = %q, want %q", tc.in, s, tc.want)
		}
	}
	var s Str
	if err := json.Unmarshal([]byte(`{"a":1}`), &s); err == nil {
		t.Error("an object decoded as Str without error")
	}
}

func TestInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{`1`, 1, false},
		{`"3"`, 3, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`" 2 "`, 2, false},
		{`9007199254740993`, 9007199254740993, false}, // 2^53+1 survives
		{`"abc"`, 0, true},
		{`1.5`, 0, true},
	} {
		var n Int
		err := json.Unmarshal([]byte(tc.in), &n)
		if tc.bad {
			if err == nil {
				t.Errorf("Unmarshal(%s) accepted", tc.in)
			}
			continue
		}
		if err != nil || int64(n) != tc.want {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", tc.in, n, err, tc.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"北京市朝阳区", "北京市朝阳区"},
		{" 张三 ", "张三"},
		{"a\tb\r\nc", "a b  c"},
		{"\x1b[2J\x1b]0;pwned\a", "\uFFFD[2J\uFFFD]0;pwned\uFFFD"},
		{"ok\r[1/1] 244991088626 printed", "ok [1/1] 244991088626 printed"},
		{"\u202eevil", "\uFFFDevil"},
		{strings.Repeat("长", 2500), strings.Repeat("长", 2000) + "…"},
	} {
		if got := PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
