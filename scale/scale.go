package scale

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Options set how readings become a weight.
type Options struct {
	Format Format
	// Steady is how many readings in a row must agree (and the indicator call stable) before
	// a weight is taken; 0 → DefaultSteady. Indicators send 5-20 readings a second.
	Steady int
	// EmptyG is the weight under which the scale counts as empty: between two parcels it must
	// read less, so that the last parcel is never taken for the next; 0 → DefaultEmptyG.
	EmptyG int
}

// Defaults.
const (
	DefaultSteady = 5
	DefaultEmptyG = 20
)

// Scale is a scale's continuous output, read in the background.
type Scale struct {
	src  io.ReadCloser
	opts Options
	name string

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every reading or error
	last     Reading
	lastErr  error // the last frame's error, nil after a good frame
	run      int   // readings in a row equal to last, stable and in range
	readings int   // good readings since the start
	portErr  error // the port failed (unplugged): no more readings
	taken    bool  // a weight was taken and the scale has not been empty since
	done     chan struct{}
}

// New reads a scale's output from src (a serial port) until Close. name says which port, for
// messages.
func New(src io.ReadCloser, name string, opts Options) *Scale {
	if opts.Steady <= 0 {
		opts.Steady = DefaultSteady
	}
	if opts.EmptyG <= 0 {
		opts.EmptyG = DefaultEmptyG
	}
	if opts.Format == "" {
		opts.Format = FormatAuto
	}
	s := &Scale{src: src, opts: opts, name: name, changed: make(chan struct{}), done: make(chan struct{})}
	go s.read()
	return s
}

// Name is the port the scale is on.
func (s *Scale) Name() string { return s.name }

func (s *Scale) read() {
	defer close(s.done)
	fr := frames{format: s.opts.Format}
	buf := make([]byte, 512)
	for {
		n, err := s.src.Read(buf)
		if n > 0 {
			fr.feed(buf[:n], s.take)
		}
		if err != nil {
			s.mu.Lock()
			s.portErr = err
			s.signal()
			s.mu.Unlock()
			return
		}
	}
}

// take is one frame's reading.
func (s *Scale) take(r Reading, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.signal()
	if err != nil {
		s.lastErr, s.run = err, 0
		return
	}
	s.lastErr = nil
	s.readings++
	if r.Grams < s.opts.EmptyG && !r.Over {
		s.taken = false // emptied: the next parcel may be taken
	}
	if r.Stable && !r.Over && r == s.last {
		s.run++
	} else if r.Stable && !r.Over {
		s.run = 1
	} else {
		s.run = 0
	}
	s.last = r
}

func (s *Scale) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Gone is why the port stopped giving readings (unplugged), nil while it reads.
func (s *Scale) Gone() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.portErr
}

// Weigh waits for a steady weight on the scale and takes it, in grams. Unless again is set,
// a scale that has not been empty since the last weight taken is waited on: the parcel still
// on it was weighed. ctx bounds the wait; its end gives an *Error saying what the scale did.
func (s *Scale) Weigh(ctx context.Context, again bool) (int, error) {
	for {
		s.mu.Lock()
		if s.portErr != nil {
			err := s.portErr
			s.mu.Unlock()
			return 0, &Error{Kind: Unplugged, Port: s.name, Err: err}
		}
		if s.run >= s.opts.Steady && s.last.Grams >= s.opts.EmptyG && (again || !s.taken) {
			s.taken = true
			g := s.last.Grams
			s.mu.Unlock()
			return g, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, s.why(ctx.Err())
		}
	}
}

// why says what the scale was doing when a weighing gave up.
func (s *Scale) why(cause error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &Error{Port: s.name, Last: s.last, Err: cause}
	switch {
	case s.readings == 0 && s.lastErr != nil:
		e.Kind, e.Err = Garbled, s.lastErr
	case s.readings == 0:
		e.Kind = Silent
	case s.last.Over:
		e.Kind = Overload
	case s.taken && s.last.Grams >= s.opts.EmptyG:
		e.Kind = NotEmptied
	case s.last.Grams < s.opts.EmptyG:
		e.Kind = Empty
	default:
		e.Kind = Unsteady
	}
	return e
}

// Close stops reading and closes the port.
func (s *Scale) Close() error {
	err := s.src.Close()
	<-s.done
	return err
}

// Kind is why no weight was taken.
type Kind int

const (
	Silent     Kind = iota + 1 // nothing came from the port: cable, power, or the indicator's output is off
	Garbled                    // bytes came but no weight: wrong baud rate, parity or format
	Unsteady                   // the weight kept changing (the parcel moved, a hand on the scale)
	Empty                      // nothing on the scale
	NotEmptied                 // the last parcel is still on it: take it off first
	Overload                   // over the scale's range
	Unplugged                  // the port went away (a USB adapter pulled out)
)

var kindNames = map[Kind]string{Silent: "silent", Garbled: "garbled", Unsteady: "unsteady", Empty: "empty",
	NotEmptied: "not-emptied", Overload: "overload", Unplugged: "unplugged"}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("scale-kind(%d)", int(k))
}

// Error is a weighing that took no weight.
type Error struct {
	Kind Kind
	Port string
	Last Reading // the last reading, when there was one
	Err  error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("scale %s: %s", e.Port, e.Kind)
	if e.Kind == Unsteady || e.Kind == NotEmptied {
		s += fmt.Sprintf(" (last %d g)", e.Last.Grams)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf is the kind of a weighing error, 0 when it is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
