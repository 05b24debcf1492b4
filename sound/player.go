package sound

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// Output plays samples (mono, 16-bit, SampleRate) to the end.
type Output interface {
	Play(samples []int16) error
}

// Player plays prompts one after the other on its own goroutine: Play never waits. A prompt
// asked for while another plays waits for it; one asked for while another already waits
// replaces that one (scans a second apart hear the latest outcome, never a growing backlog).
type Player struct {
	out   Output
	queue chan Prompt
	done  chan struct{}
	wg    sync.WaitGroup

	mu     sync.Mutex
	style  Style
	cache  map[string][]int16
	failed error // the last playing error, for Err
}

// NewPlayer plays through out in style; a nil out is a silent player (no sound device).
func NewPlayer(out Output, style Style) *Player {
	p := &Player{out: out, queue: make(chan Prompt, 1), done: make(chan struct{}), style: style, cache: map[string][]int16{}}
	p.wg.Add(1)
	go p.run()
	return p
}

// SetStyle changes how the next prompts sound.
func (p *Player) SetStyle(s Style) {
	p.mu.Lock()
	p.style = s
	p.mu.Unlock()
}

// Silent reports a player without a sound device.
func (p *Player) Silent() bool { return p.out == nil }

// Play asks for pr; it returns at once.
func (p *Player) Play(pr Prompt) {
	if p.out == nil || pr == None {
		return
	}
	for {
		select {
		case p.queue <- pr:
			return
		default:
		}
		select {
		case <-p.queue: // drop the waiting one: this one is newer
		default:
		}
	}
}

// Err is the last error playing a prompt, nil if none.
func (p *Player) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed
}

// Close stops the player after the prompt playing now.
func (p *Player) Close() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}

func (p *Player) run() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case pr := <-p.queue:
			samples, err := p.samples(pr)
			if err == nil && len(samples) > 0 {
				err = p.out.Play(samples)
			}
			if err != nil {
				p.mu.Lock()
				p.failed = err
				p.mu.Unlock()
			}
		}
	}
}

func (p *Player) samples(pr Prompt) ([]int16, error) {
	p.mu.Lock()
	style := p.style
	key := string(style) + "/" + pr.String()
	s, ok := p.cache[key]
	p.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := Samples(pr, style)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.cache[key] = s
	p.mu.Unlock()
	return s, nil
}

// Device is the system's sound output through oto (ALSA on Linux, WASAPI on Windows). Oto
// allows one context per process: the first OpenDevice makes it, later ones share it.
type Device struct {
	ctx *oto.Context
}

var (
	deviceOnce sync.Once
	device     *Device
	deviceErr  error
)

// OpenDevice opens the default sound output; an error means there is none to play on.
func OpenDevice() (*Device, error) {
	deviceOnce.Do(func() {
		quietDevice()
		ctx, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: SampleRate, ChannelCount: 1,
			Format: oto.FormatSignedInt16LE, BufferSize: 50 * time.Millisecond})
		if err != nil {
			deviceErr = fmt.Errorf("no sound output: %w", err)
			return
		}
		select {
		case <-ready:
		case <-time.After(5 * time.Second):
			deviceErr = fmt.Errorf("no sound output: the sound device did not become ready within 5 s")
			return
		}
		// Oto opens the device after NewContext returns: a missing one shows only here.
		if err := ctx.Err(); err != nil {
			deviceErr = fmt.Errorf("no sound output: %w", err)
			return
		}
		device = &Device{ctx: ctx}
	})
	return device, deviceErr
}

// Play plays samples to the end.
func (d *Device) Play(samples []int16) error {
	var buf bytes.Buffer
	if err := binary.Write(&buf, binary.LittleEndian, samples); err != nil {
		return err
	}
	pl := d.ctx.NewPlayer(&buf)
	defer pl.Close()
	pl.Play()
	for pl.IsPlaying() {
		time.Sleep(10 * time.Millisecond)
	}
	if err := d.ctx.Err(); err != nil {
		return fmt.Errorf("playing a prompt: %w", err)
	}
	return nil
}
