package scale

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
)

// Spec is where a scale is and how it talks: "serial:/dev/ttyUSB0", "serial:COM3?baud=4800",
// "/dev/ttyUSB0?format=toledo&bits=7&parity=even". Indicators ship at 9600 8N1 mostly;
// Toledo's default is 7 data bits, even parity.
type Spec struct {
	Port    string
	Mode    serial.Mode
	Options Options
}

// ParseSpec reads a scale spec.
func ParseSpec(s string) (Spec, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "serial:")
	port, query, _ := strings.Cut(t, "?")
	if port == "" {
		return Spec{}, fmt.Errorf("scale %q: no port (e.g. serial:/dev/ttyUSB0 or serial:COM3)", s)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return Spec{}, fmt.Errorf("scale %q: %w", s, err)
	}
	sp := Spec{Port: port, Mode: serial.Mode{BaudRate: 9600, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}}
	num := func(key string, def int, ok func(int) bool) (int, error) {
		v := q.Get(key)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || !ok(n) {
			return 0, fmt.Errorf("scale %q: %s=%s is not allowed", s, key, v)
		}
		return n, nil
	}
	if sp.Options.Format, err = ParseFormat(q.Get("format")); err != nil {
		return Spec{}, err
	}
	if sp.Options.Format == FormatToledo && q.Get("bits") == "" && q.Get("parity") == "" {
		sp.Mode.DataBits, sp.Mode.Parity = 7, serial.EvenParity
	}
	if sp.Mode.BaudRate, err = num("baud", sp.Mode.BaudRate, func(n int) bool { return n >= 300 && n <= 115200 }); err != nil {
		return Spec{}, err
	}
	if sp.Mode.DataBits, err = num("bits", sp.Mode.DataBits, func(n int) bool { return n == 7 || n == 8 }); err != nil {
		return Spec{}, err
	}
	stop, err := num("stop", 1, func(n int) bool { return n == 1 || n == 2 })
	if err != nil {
		return Spec{}, err
	}
	if stop == 2 {
		sp.Mode.StopBits = serial.TwoStopBits
	}
	switch strings.ToLower(q.Get("parity")) {
	case "":
	case "none", "n":
		sp.Mode.Parity = serial.NoParity
	case "even", "e":
		sp.Mode.Parity = serial.EvenParity
	case "odd", "o":
		sp.Mode.Parity = serial.OddParity
	default:
		return Spec{}, fmt.Errorf("scale %q: parity=%s: choose none, even or odd", s, q.Get("parity"))
	}
	if sp.Options.Steady, err = num("steady", DefaultSteady, func(n int) bool { return n >= 1 && n <= 100 }); err != nil {
		return Spec{}, err
	}
	if sp.Options.EmptyG, err = num("empty", DefaultEmptyG, func(n int) bool { return n >= 1 && n <= 5000 }); err != nil {
		return Spec{}, err
	}
	for k := range q {
		switch k {
		case "format", "baud", "bits", "stop", "parity", "steady", "empty":
		default:
			return Spec{}, fmt.Errorf("scale %q: unknown option %s (format, baud, bits, parity, stop, steady, empty)", s, k)
		}
	}
	return sp, nil
}

// Open opens the scale on its serial port and starts reading it.
func Open(spec string) (*Scale, error) {
	sp, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	p, err := serial.Open(sp.Port, &sp.Mode)
	if err != nil {
		return nil, &OpenError{Port: sp.Port, Err: err}
	}
	return New(p, sp.Port, sp.Options), nil
}

// OpenError is a serial port that could not be opened.
type OpenError struct {
	Port string
	Err  error
}

func (e *OpenError) Error() string { return "scale " + e.Port + ": " + e.Err.Error() }
func (e *OpenError) Unwrap() error { return e.Err }

// Missing reports whether the port is not there (a USB adapter not plugged in).
func (e *OpenError) Missing() bool {
	return portCode(e.Err) == serial.PortNotFound || errors.Is(e.Err, fs.ErrNotExist)
}

// Busy reports whether another program holds the port.
func (e *OpenError) Busy() bool { return portCode(e.Err) == serial.PortBusy }

// Denied reports whether this user may not open it (Linux: the dialout group).
func (e *OpenError) Denied() bool {
	return portCode(e.Err) == serial.PermissionDenied || errors.Is(e.Err, fs.ErrPermission)
}

func portCode(err error) serial.PortErrorCode {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		return pe.Code()
	}
	return -1
}

// Port is a serial port of this computer.
type Port struct {
	Name    string
	USB     bool
	VID     string
	PID     string
	Product string
}

// Ports lists the serial ports (USB adapters with their ids).
func Ports() ([]Port, error) {
	list, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("listing serial ports: %w", err)
	}
	out := make([]Port, 0, len(list))
	for _, p := range list {
		out = append(out, Port{Name: p.Name, USB: p.IsUSB, VID: p.VID, PID: p.PID, Product: p.Product})
	}
	return out, nil
}
