package usb

import (
	"context"
	"errors"
	"regexp"
	"strconv"
)

// Code says what went wrong with a USB printer.
type Code int

const (
	CodeOther       Code = iota
	CodeNotFound         // no attached device matches, or (Windows) libusb has no driver for it
	CodeAmbiguous        // several attached printers match
	CodeGone             // the device went away: unplugged or switched off
	CodeAccess           // the operating system denies access
	CodeBusy             // a kernel driver or another program holds the interface
	CodeTimeout          // the device took no data, or did not answer, in time
	CodeStall            // the device refused the request (endpoint stall)
	CodeIO               // a transfer failed
	CodeUnavailable      // libusb is missing or cannot work here
	CodeCanceled         // the caller canceled
)

// Error is a failed USB operation, with the cause in plain words.
type Error struct {
	Code Code
	Op   string // what was being done: "open", "claim", "write", "device id", "status"
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	s := e.Msg
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// CodeOf returns the code of a USB error, CodeOther for anything else.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeOther
}

// libusb bindings format some causes with %v, losing their type; the libusb code survives in the text.
var libusbCode = regexp.MustCompile(`\[code (-?\d+)\]`)

// classify turns a libusb error into an *Error. ctx is the caller's context and opCtx the
// one the failed call ran under (with its deadline), to tell a timeout from a cancellation.
func classify(op string, err error, ctx, opCtx context.Context) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	code := Errno(0)
	var ts TransferStatus
	isTS := false
	switch {
	case errors.As(err, &code):
	case errors.As(err, &ts):
		isTS = true
	default:
		if m := libusbCode.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			code = Errno(n)
		}
	}
	mk := func(c Code, msg string) *Error { return &Error{Code: c, Op: op, Msg: msg, Err: err} }
	if isTS {
		switch ts {
		case TransferNoDevice:
			return mk(CodeGone, "the printer was unplugged or switched off")
		case TransferTimedOut:
			return mk(CodeTimeout, "the printer stopped taking data")
		case TransferStall:
			return mk(CodeStall, "the printer refused the data (endpoint stalled)")
		case TransferCancelled:
			if ctx != nil && ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return mk(CodeCanceled, "canceled")
			}
			if opCtx != nil && opCtx.Err() != nil {
				// We cancelled the transfer at the deadline: libusb's "cancelled" would mislead.
				return &Error{Code: CodeTimeout, Op: op, Msg: "the printer stopped taking data"}
			}
			return mk(CodeCanceled, "canceled")
		}
		return mk(CodeIO, "the transfer failed")
	}
	switch code {
	case ErrAccess:
		return mk(CodeAccess, "permission denied: this user may not open the printer (on Linux add a udev rule for it)")
	case ErrBusy:
		return mk(CodeBusy, "the printer is held by a kernel driver or another program")
	case ErrNoDevice:
		return mk(CodeGone, "the printer was unplugged or switched off")
	case ErrNotFound:
		return mk(CodeNotFound, "libusb cannot reach the printer (on Windows bind the WinUSB driver to it with Zadig)")
	case ErrTimeout:
		return mk(CodeTimeout, "the printer did not answer in time")
	case ErrPipe:
		return mk(CodeStall, "the printer refused the request")
	case ErrNotSupported:
		return mk(CodeUnavailable, "libusb cannot do this on this system (on Windows bind the WinUSB driver with Zadig)")
	case ErrIO, ErrOverflow, ErrInterrupted:
		return mk(CodeIO, "USB input/output error")
	}
	if errors.Is(err, context.Canceled) {
		return mk(CodeCanceled, "canceled")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return mk(CodeTimeout, "the printer did not answer in time")
	}
	return mk(CodeOther, "USB error")
}
