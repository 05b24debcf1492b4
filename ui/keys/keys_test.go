package keys

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// A scanner's burst (keys a few ms apart, then Enter or Tab) goes to OnBurst and the field
// keeps the text it had; the same keys typed by a person stay in the field.
func TestBurstLeavesTheField(t *testing.T) {
	test.NewTempApp(t)
	clock := time.Unix(1000, 0)
	for _, c := range []struct {
		name  string
		gap   time.Duration
		end   fyne.KeyName
		burst bool
	}{
		{"scanner, Enter", 4 * time.Millisecond, fyne.KeyReturn, true},
		{"scanner, Tab", 4 * time.Millisecond, fyne.KeyTab, true},
		{"a person", 120 * time.Millisecond, fyne.KeyReturn, false},
	} {
		var got []string
		e := NewEntry(func(code string) { got = append(got, code) }, false)
		e.d.now = func() time.Time { return clock }
		e.SetText("192.168.1.50")
		e.CursorColumn = len(e.Text)
		for _, r := range "244991089463" {
			clock = clock.Add(c.gap)
			e.TypedRune(r)
			// The desktop driver also sends each digit as a key.
			e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyName(string(r))})
		}
		clock = clock.Add(c.gap)
		if c.end == fyne.KeyTab && e.AcceptsTab() != c.burst {
			t.Errorf("%s: AcceptsTab %v", c.name, !c.burst)
		}
		e.TypedKey(&fyne.KeyEvent{Name: c.end})
		if c.burst {
			if len(got) != 1 || got[0] != "244991089463" || e.Text != "192.168.1.50" {
				t.Errorf("%s: bursts %q, field %q", c.name, got, e.Text)
			}
		} else if len(got) != 0 || e.Text != "192.168.1.50244991089463" {
			t.Errorf("%s: bursts %q, field %q", c.name, got, e.Text)
		}
		clock = clock.Add(time.Second)
	}
}

// A burst typed while a Select has the keyboard goes to OnBurst instead of being dropped.
func TestBurstLeavesASelect(t *testing.T) {
	test.NewTempApp(t)
	clock := time.Unix(1000, 0)
	var got []string
	s := NewSelect([]string{"a", "b"}, nil, func(code string) { got = append(got, code) })
	s.d.now = func() time.Time { return clock }
	for _, r := range "244991089463" {
		clock = clock.Add(3 * time.Millisecond)
		s.TypedRune(r)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(got) != 1 || got[0] != "244991089463" || s.Selected != "" {
		t.Errorf("bursts %q, selected %q", got, s.Selected)
	}
}
