package sound

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"station/fulfill"
	"station/printdata"
	"station/scan"
	"station/verify"
)

// Each outcome of a scan picks its own prompt.
func TestEachOutcomeHasItsPrompt(t *testing.T) {
	for _, c := range []struct {
		name string
		r    scan.Result
		want Prompt
	}{
		{"printed and shipped", scan.Result{Status: scan.PrintedShipped}, OK},
		{"printed", scan.Result{Status: scan.Printed}, OK},
		{"shipped", scan.Result{Status: scan.Shipped}, OK},
		{"waiting for the waybill", scan.Result{Status: scan.NeedWaybill}, Wait},
		{"scanned again", scan.Result{Status: scan.AlreadyDone}, Duplicate},
		{"JD shipped it", scan.Result{Status: scan.Failed, Err: &printdata.NotShippableError{State: printdata.StateWaitReceive}}, ShippedAtJD},
		{"JD finished it", scan.Result{Status: scan.Failed, Err: &printdata.NotShippableError{State: printdata.StateFinished}}, ShippedAtJD},
		{"locked", scan.Result{Status: scan.Failed, Err: &printdata.NotShippableError{State: printdata.StateLocked}}, Fail},
		{"printer cut off", scan.Result{Status: scan.Failed, Err: &fulfill.PrintUnknownError{}}, Fail},
		{"scanner typo", scan.Result{Status: scan.Rejected, Err: errors.New("garbage")}, Fail},
		{"item counted", scan.Result{Status: scan.Verifying}, Item},
		{"wrong item", scan.Result{Status: scan.Rejected, Err: &scan.ItemError{Scan: verify.Scan{Outcome: verify.Wrong}}}, WrongItem},
		{"surplus", scan.Result{Status: scan.Rejected, Err: &scan.ItemError{Scan: verify.Scan{Outcome: verify.Surplus}}}, Surplus},
		{"unknown code", scan.Result{Status: scan.Rejected, Err: &scan.ItemError{Scan: verify.Scan{Outcome: verify.Unknown}}}, UnknownCode},
		{"weight off", scan.Result{Status: scan.Held, Note: scan.NoteWeightOff}, WeightOff},
		{"uncoded lines", scan.Result{Status: scan.Held, Note: scan.NoteUncoded}, Fail},
	} {
		if got := For(c.r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// Every prompt, voice and tones, decodes to real sound: long enough to hear, loud enough, and
// the prompts differ from each other.
func TestPromptsAreSound(t *testing.T) {
	for _, style := range []Style{Voice, Tones} {
		seen := map[int]Prompt{}
		for _, p := range Prompts {
			s, err := Samples(p, style)
			if err != nil {
				t.Fatalf("%s %v: %v", style, p, err)
			}
			peak := 0
			for _, v := range s {
				peak = max(peak, int(v), -int(v))
			}
			if d := float64(len(s)) / SampleRate; d < 0.15 || d > 3 || peak < 4000 {
				t.Errorf("%s %v: %.2f s, peak %d: not a prompt", style, p, d, peak)
			}
			if other, dup := seen[len(s)]; dup {
				t.Errorf("%s: %v and %v sound alike", style, other, p)
			}
			seen[len(s)] = p
		}
		if s, _ := Samples(OK, Off); s != nil {
			t.Error("off still makes a sound")
		}
	}
}

// slowOutput plays each prompt until released.
type slowOutput struct {
	mu      sync.Mutex
	played  [][]int16
	release chan struct{}
}

func (o *slowOutput) Play(s []int16) error {
	<-o.release
	o.mu.Lock()
	o.played = append(o.played, s)
	o.mu.Unlock()
	return nil
}

// Play never waits for a device, however slow: scans a second apart go on while a prompt
// plays, and the backlog is the newest prompt only.
func TestPlayerNeverHoldsUpTheScan(t *testing.T) {
	out := &slowOutput{release: make(chan struct{})}
	p := NewPlayer(out, Tones)
	start := time.Now()
	for range 10 {
		p.Play(Fail)
	}
	p.Play(OK)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("11 prompts took %v to ask for", d)
	}
	close(out.release)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		out.mu.Lock()
		n := len(out.played)
		out.mu.Unlock()
		if n > 0 && len(p.queue) == 0 {
			break
		}
	}
	p.Close()
	p2 := NewPlayer(nil, Voice)
	p2.Play(OK) // silent: no device, nothing happens
	p2.Close()
	out.mu.Lock()
	defer out.mu.Unlock()
	if n := len(out.played); n < 1 || n > 2 {
		t.Fatalf("%d prompts played, want the one playing and the newest", n)
	}
	ok, _ := Samples(OK, Tones)
	if last := out.played[len(out.played)-1]; len(last) != len(ok) {
		t.Error("the newest prompt was not the one kept")
	}
}

// A prompt plays through the real output path (oto, ALSA): on ALSA's null device, so the test
// needs no sound card, only the library.
func TestPlaysThroughTheSoundDevice(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "asound.conf")
	if err := os.WriteFile(conf, []byte("pcm.!default { type null }\nctl.!default { type hw card 0 }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALSA_CONFIG_PATH", conf)
	d, err := OpenDevice()
	if err != nil {
		t.Skipf("no sound output here even on ALSA's null device: %v", err)
	}
	s, err := Samples(OK, Voice)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := d.Play(s); err != nil {
			t.Fatal(err)
		}
	}
}
