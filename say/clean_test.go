package say

import "testing"

func TestSafeAndPlain(t *testing.T) {
	for _, tt := range []struct{ in, safe, plain string }{
		{"顺丰速运", "顺丰速运", "顺丰速运"},
		{"a\x1b[2Jb", "a[2Jb", "a[2Jb"},
		{"title\x1b]0;pwned\x07end", "title]0;pwnedend", "title]0;pwnedend"},
		{"ok\r[1/1] 2449 printed", "ok[1/1] 2449 printed", "ok[1/1] 2449 printed"},
		{"two\nlines\u2028three", "two\nlines\nthree", "two lines three"},
		{"tab\there", "tab here", "tab here"},
		{"rtl\u202eevil\u200b", "rtlevil", "rtlevil"},
		{"c1\u009bcsi", "c1csi", "c1csi"},
	} {
		if got := Safe(tt.in); got != tt.safe {
			t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.safe)
		}
		if got := Plain(tt.in); got != tt.plain {
			t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.plain)
		}
	}
	if m := T("a\x1bb", "c\x07d"); m.ZH != "ab" || m.EN != "cd" {
		t.Errorf("T keeps controls: %+v", m)
	}
}

func TestShort(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"244991089463", 60, "244991089463"},
		{"a\x1b[2J\nb", 60, "a[2J b"},
		{"顺丰速运快递", 4, "顺丰速运…"},
	} {
		if got := Short(tt.in, tt.n); got != tt.want {
			t.Errorf("Short(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
