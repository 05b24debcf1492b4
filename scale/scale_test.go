package scale

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// toledo builds a Mettler Toledo continuous frame: weight digits with the decimal code of
// status word A, kg, motion and negative in B; with a checksum when sum is set.
func toledo(digits string, decimal byte, motion, negative, over, sum bool) []byte {
	swa := byte(0x20 | 0x08 | decimal)
	swb := byte(0x20 | 0x10)
	if negative {
		swb |= 0x02
	}
	if over {
		swb |= 0x04
	}
	if motion {
		swb |= 0x08
	}
	f := append([]byte{stx, swa, swb, 0x20}, []byte(fmt.Sprintf("%6s000000\r", digits))...)
	if sum {
		f = append(f, toledoChecksum(f))
	}
	return f
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want Reading
		err  bool
	}{
		{"text ST GS", []byte("ST,GS,+  1.234kg\r\n"), Reading{Grams: 1234, Stable: true}, false},
		{"text US NT", []byte("US,NT,-0000.12 kg\r\n"), Reading{Grams: -120, Net: true}, false},
		{"text A&D", []byte("ST,+00001.23  kg\r\n"), Reading{Grams: 1230, Stable: true}, false},
		{"text grams", []byte("ST,GS,   850 g\r\n"), Reading{Grams: 850, Stable: true}, false},
		{"text pounds", []byte("ST,GS,  2.00lb\r\n"), Reading{Grams: 907, Stable: true}, false},
		{"text overload", []byte("OL,GS,+9999.99kg\r\n"), Reading{Over: true}, false},
		{"text noise", []byte("\x7f\xfe~~\r\n"), Reading{}, true},
		{"toledo 1.234 kg", toledo("1234", 5, false, false, false, false), Reading{Grams: 1234, Stable: true}, false},
		{"toledo checksum", toledo("800", 5, false, false, false, true), Reading{Grams: 800, Stable: true}, false},
		{"toledo motion", toledo("1250", 5, true, false, false, false), Reading{Grams: 1250}, false},
		{"toledo 0.5 kg steps ×1", toledo("12", 2, false, false, false, false), Reading{Grams: 12000, Stable: true}, false},
		{"toledo negative", toledo("20", 5, false, true, false, false), Reading{Grams: -20, Stable: true}, false},
		{"toledo over", toledo("999999", 5, false, false, true, false), Reading{Over: true, Stable: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []Reading
			var errs []error
			fr := frames{format: FormatAuto}
			// Twice, so that a Toledo frame is followed by the STX that ends it.
			fr.feed(append(append([]byte{}, tc.in...), tc.in...), func(r Reading, err error) {
				if err != nil {
					errs = append(errs, err)
					return
				}
				got = append(got, r)
			})
			if tc.err {
				if len(errs) == 0 || !errors.Is(errs[0], ErrFrame) {
					t.Fatalf("no frame error: %v %v", got, errs)
				}
				return
			}
			if len(errs) > 0 || len(got) == 0 || got[0] != tc.want {
				t.Fatalf("got %+v %v, want %+v", got, errs, tc.want)
			}
		})
	}
	// A bad checksum drops the frame.
	f := toledo("800", 5, false, false, false, true)
	f[len(f)-1] ^= 0x01
	var errs []error
	(&frames{format: FormatToledo}).feed(append(f, stx), func(_ Reading, err error) { errs = append(errs, err) })
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "checksum") {
		t.Errorf("bad checksum: %v", errs)
	}
}

// fakeScale is a scale indicator on the far side of a pseudo-terminal: the station opens the
// pty's tty as a serial port, the test writes the indicator's output into its master.
type fakeScale struct {
	t      *testing.T
	master *os.File
	tty    string
}

func newFakeScale(t *testing.T) *fakeScale {
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	name := tty.Name()
	tty.Close()
	t.Cleanup(func() { master.Close() })
	return &fakeScale{t: t, master: master, tty: name}
}

func (f *fakeScale) send(frame []byte, n int) {
	f.t.Helper()
	for range n {
		if _, err := f.master.Write(frame); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fakeScale) open(query string) *Scale {
	f.t.Helper()
	s, err := Open("serial:" + f.tty + query)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	return s
}

func weigh(s *Scale, again bool) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.Weigh(ctx, again)
}

// Each format through a real serial port: a steady weight is taken; the same parcel is not
// taken twice; after the scale was empty the next parcel is.
func TestWeighOnAPty(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		parcel      func(g int) []byte
	}{
		{"text", "", func(g int) []byte { return fmt.Appendf(nil, "ST,GS,+%3d.%03dkg\r\n", g/1000, g%1000) }},
		{"toledo", "?format=toledo", func(g int) []byte { return toledo(fmt.Sprint(g), 5, false, false, false, true) }},
		{"toledo auto", "", func(g int) []byte { return toledo(fmt.Sprint(g), 5, false, false, false, false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeScale(t)
			s := f.open(tc.query)
			f.send(tc.parcel(1234), DefaultSteady+1)
			if g, err := weigh(s, false); err != nil || g != 1234 {
				t.Fatalf("weighed %d, %v; want 1234", g, err)
			}
			f.send(tc.parcel(1234), 3)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if _, err := s.Weigh(ctx, false); KindOf(err) != NotEmptied {
				t.Errorf("the same parcel again: %v", err)
			}
			if g, err := weigh(s, true); err != nil || g != 1234 {
				t.Errorf("re-weigh: %d %v", g, err)
			}
			f.send(tc.parcel(0), 2)
			f.send(tc.parcel(805), DefaultSteady+1)
			if g, err := weigh(s, false); err != nil || g != 805 {
				t.Errorf("next parcel: %d %v, want 805", g, err)
			}
		})
	}
}

// An unstable reading is never taken; a steady one after it is.
func TestUnstableReading(t *testing.T) {
	f := newFakeScale(t)
	s := f.open("")
	for i := range 20 {
		f.send(fmt.Appendf(nil, "ST,GS,+  1.%03dkg\r\n", 200+i%3), 1) // stable flag, changing value
		f.send([]byte("US,GS,+  1.300kg\r\n"), 1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if g, err := s.Weigh(ctx, false); KindOf(err) != Unsteady {
		t.Fatalf("unsteady scale weighed %d, %v", g, err)
	}
	// One reading short of the rule is not taken; the next one is.
	f.send([]byte("ST,GS,+  1.300kg\r\n"), DefaultSteady-1)
	short, cancelShort := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancelShort()
	if g, err := s.Weigh(short, false); err == nil {
		t.Fatalf("%d steady readings weighed %d", DefaultSteady-1, g)
	}
	f.send([]byte("ST,GS,+  1.300kg\r\n"), 1)
	if g, err := weigh(s, false); err != nil || g != 1300 {
		t.Errorf("then steady: %d %v", g, err)
	}
}

// A port that goes away (the adapter pulled out), a silent port, garbage at a wrong baud rate
// and a port that is not there each say so.
func TestScaleFaults(t *testing.T) {
	f := newFakeScale(t)
	s := f.open("")
	f.master.Close()
	if _, err := weigh(s, false); KindOf(err) != Unplugged {
		t.Errorf("unplugged: %v", err)
	}
	if s.Gone() == nil {
		t.Error("an unplugged port is not Gone")
	}

	silent := newFakeScale(t).open("")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := silent.Weigh(ctx, false); KindOf(err) != Silent {
		t.Errorf("silent: %v", err)
	}

	g := newFakeScale(t)
	garbled := g.open("")
	g.send([]byte("\xf0\x0f\xaa\x55 ~\r\n"), 10)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	if _, err := garbled.Weigh(ctx2, false); KindOf(err) != Garbled {
		t.Errorf("garbled: %v", err)
	}

	_, err := Open("serial:/dev/ttyNOPE9")
	var oe *OpenError
	if !errors.As(err, &oe) || !oe.Missing() {
		t.Errorf("missing port: %v", err)
	}
}

func TestParseSpec(t *testing.T) {
	sp, err := ParseSpec("serial:COM3?format=toledo&baud=4800&steady=8")
	if err != nil || sp.Port != "COM3" || sp.Mode.BaudRate != 4800 || sp.Mode.DataBits != 7 || sp.Options.Steady != 8 || sp.Options.Format != FormatToledo {
		t.Errorf("%+v %v", sp, err)
	}
	for _, bad := range []string{"", "serial:", "/dev/ttyUSB0?baud=12", "/dev/ttyUSB0?parity=x", "/dev/ttyUSB0?colour=red", "/dev/ttyUSB0?format=xml"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
