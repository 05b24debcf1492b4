package cli

import "testing"

func TestSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"顺丰速运", "顺丰速运"},
		{"SF\x1b[2J", "SF\uFFFD[2J"},
		{"a\rb\nc", "a\uFFFDb\uFFFDc"},
		{"\x1b]0;title\a", "\uFFFD]0;title\uFFFD"},
		{"abc\u202edcba", "abc\uFFFDdcba"}, // right-to-left override
		{"\u0085next line", "\uFFFDnext line"},
	} {
		if got := Safe(tc.in); got != tc.want {
			t.Errorf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
