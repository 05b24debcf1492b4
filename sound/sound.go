// Package sound is what the packer hears: which prompt each scan outcome plays (success,
// refused or failed, a duplicate scan, an order JD already shipped, waiting for the waybill),
// the prompts as samples — Chinese voice clips or tones — and a player that never holds up the
// scan path and works silently where there is no sound device.
package sound

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/go-audio/wav"

	"station/assets"
	"station/printdata"
	"station/scan"
	"station/verify"
)

// Prompt is one sound the station makes.
type Prompt int

const (
	None        Prompt = iota
	OK                 // printed and/or shipped
	Fail               // refused or failed: look at the screen
	Duplicate          // scanned again: already done, nothing was done
	ShippedAtJD        // JD shows it shipped: do not ship it again (take the parcel off)
	Wait               // scan the waybill next
	Item               // verification: an item counted (a short double tick in both styles: packers scan fast)
	WrongItem          // 错货: the item is not in this order
	Surplus            // 多件: one piece too many
	UnknownCode        // a code the product table does not know
	WeightOff          // 重量异常: the parcel's weight is out of range
)

var promptNames = [...]string{"none", "ok", "fail", "duplicate", "stop", "wait", "item", "wrong", "surplus", "unknown", "weight"}

func (p Prompt) String() string {
	if p >= 0 && int(p) < len(promptNames) {
		return promptNames[p]
	}
	return fmt.Sprintf("prompt(%d)", int(p))
}

// Prompts are the prompts that make a sound.
var Prompts = []Prompt{OK, Fail, Duplicate, ShippedAtJD, Wait, Item, WrongItem, Surplus, UnknownCode, WeightOff}

// For is the prompt of a scan's result.
func For(r scan.Result) Prompt {
	var ns *printdata.NotShippableError
	switch {
	case errors.As(r.Err, &ns) && printdata.AlreadyOut(ns.State):
		return ShippedAtJD
	case r.Status == scan.AlreadyDone:
		return Duplicate
	case r.Status == scan.Verifying:
		return Item
	case r.Status == scan.Held && r.Note == scan.NoteWeightOff:
		return WeightOff
	case r.Status == scan.Aside:
		return OK // the packer's own decision, done
	}
	switch scan.Refusal(r) {
	case verify.Wrong:
		return WrongItem
	case verify.Surplus:
		return Surplus
	case verify.Unknown, verify.NoLine:
		return UnknownCode
	}
	switch {
	case r.Status == scan.NeedWaybill:
		return Wait
	case r.Status.OK():
		return OK
	}
	return Fail
}

// Style is how prompts sound.
type Style string

const (
	Voice Style = "voice" // short Chinese voice clips
	Tones Style = "tones" // beeps: one high for success, three low for a failure, …
	Off   Style = "off"
)

// SampleRate is the prompts' rate: mono, 16-bit.
const SampleRate = 22050

// Samples is a prompt in a style, as 16-bit mono samples at SampleRate; nil for None and Off.
func Samples(p Prompt, s Style) ([]int16, error) {
	if p == None || s == Off {
		return nil, nil
	}
	if s == Tones || p == Item {
		return tones(p), nil
	}
	data, err := assets.Sounds.ReadFile("sounds/" + p.String() + ".wav")
	if err != nil {
		return nil, fmt.Errorf("sound %s: %w", p, err)
	}
	return decode(data)
}

// decode reads a 16-bit mono WAV file at SampleRate.
func decode(data []byte) ([]int16, error) {
	d := wav.NewDecoder(bytes.NewReader(data))
	buf, err := d.FullPCMBuffer()
	if err != nil {
		return nil, fmt.Errorf("decoding a prompt: %w", err)
	}
	if d.SampleRate != SampleRate || d.NumChans != 1 || d.BitDepth != 16 {
		return nil, fmt.Errorf("a prompt is %d Hz, %d channels, %d bits: want %d Hz mono 16-bit", d.SampleRate, d.NumChans, d.BitDepth, SampleRate)
	}
	out := make([]int16, len(buf.Data))
	for i, v := range buf.Data {
		out[i] = int16(v)
	}
	return trimSilence(out), nil
}

// trimSilence drops the quiet lead-in and tail a synthesiser leaves around a clip: a prompt
// must start the moment the scan is done.
func trimSilence(s []int16) []int16 {
	const quiet = 300
	loud := func(v int16) bool { return v > quiet || v < -quiet }
	start, end := 0, len(s)
	for start < end && !loud(s[start]) {
		start++
	}
	for end > start && !loud(s[end-1]) {
		end--
	}
	return s[start:end]
}

// tones are the prompts as beeps, told apart by pitch and count: a rising pair for success,
// three low beeps for a failure, two mid beeps for a duplicate, a long low tone for an order
// JD already shipped, one mid beep for "scan the waybill".
func tones(p Prompt) []int16 {
	type beep struct {
		hz  float64
		sec float64
	}
	var seq []beep
	switch p {
	case OK:
		seq = []beep{{880, 0.09}, {0, 0.03}, {1320, 0.12}}
	case Fail:
		seq = []beep{{330, 0.15}, {0, 0.07}, {330, 0.15}, {0, 0.07}, {330, 0.15}}
	case Duplicate:
		seq = []beep{{660, 0.1}, {0, 0.06}, {660, 0.1}}
	case ShippedAtJD:
		seq = []beep{{250, 0.6}}
	case Wait:
		seq = []beep{{990, 0.25}}
	case Item:
		seq = []beep{{1760, 0.07}, {0, 0.02}, {2350, 0.07}}
	case WrongItem:
		seq = []beep{{300, 0.3}, {0, 0.05}, {300, 0.3}}
	case Surplus:
		seq = []beep{{500, 0.12}, {0, 0.05}, {500, 0.12}, {0, 0.05}, {500, 0.12}, {0, 0.05}, {500, 0.12}}
	case UnknownCode:
		seq = []beep{{400, 0.25}, {0, 0.05}, {300, 0.25}}
	case WeightOff:
		seq = []beep{{700, 0.2}, {0, 0.05}, {350, 0.45}}
	}
	var out []int16
	for _, b := range seq {
		n := int(b.sec * SampleRate)
		for i := range n {
			v := 0.0
			if b.hz > 0 {
				// A short fade in and out keeps the beep from clicking.
				env := math.Min(1, math.Min(float64(i), float64(n-i))/(0.005*SampleRate))
				v = 0.45 * env * math.Sin(2*math.Pi*b.hz*float64(i)/SampleRate)
			}
			out = append(out, int16(v*math.MaxInt16))
		}
	}
	return out
}
