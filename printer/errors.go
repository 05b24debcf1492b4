package printer

import (
	"context"
	"errors"
	"fmt"
	"station/printer/spec"
	"strings"
)

// Kind says what sort of failure an error is, so that the queue and the UI can react without
// parsing texts.
type Kind int

const (
	KindOther        Kind = iota
	KindBadSpec           // the printer spec or one of its options is wrong
	KindBadJob            // the label itself cannot be printed (no image, wrong size)
	KindNotFound          // the printer is not there: unplugged, switched off, no such device
	KindOffline           // the printer is there but paused or off-line
	KindPaperOut          // out of labels
	KindHeadOpen          // the print head (cover) is open
	KindPrinterError      // the printer reports an error (jam, ribbon, other)
	KindPermission        // the system does not let this user open the printer
	KindBusy              // another program or driver holds the printer
	KindTimeout           // the printer stopped taking data, or did not answer in time
	KindRefused           // a network printer refused the connection
	KindDropped           // the connection was lost in the middle of a label
	KindUnsupported       // a tool or library this printer needs is missing
	KindCanceled          // the caller gave up (context canceled)
	KindClosed            // the printer or queue was closed
)

var kindNames = [...]string{"other", "bad-spec", "bad-job", "not-found", "offline", "paper-out",
	"head-open", "printer-error", "permission", "busy", "timeout", "refused", "dropped",
	"unsupported", "canceled", "closed"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Sent says how much of a label reached the device when printing failed. It decides whether a
// label may be sent again without printing it twice.
type Sent int

const (
	// SentNone: no byte reached the device; sending the label again is safe.
	SentNone Sent = iota
	// SentPartial: some bytes reached the device, or may have. The printer may print a part of
	// the label, the whole label or nothing: a person must look before it is printed again.
	SentPartial
	// SentAll: the whole label reached the device (or the spooler); it must not be sent again.
	SentAll
)

func (s Sent) String() string {
	switch s {
	case SentNone:
		return "never started"
	case SentPartial:
		return "partially sent"
	case SentAll:
		return "fully sent"
	}
	return fmt.Sprintf("sent(%d)", int(s))
}

// Error is a failed printer operation.
type Error struct {
	Op      string // "open", "print", "status", "list"
	Printer string // the printer's spec
	Job     string // the job's name, if any
	Kind    Kind
	Sent    Sent
	Bytes   int64  // bytes accepted by the device
	Total   int64  // bytes in the job (0 when not encoded yet)
	Msg     string // what happened, in plain words
	Err     error  // the cause
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Job != "" {
		b.WriteString(" ")
		b.WriteString(e.Job)
	}
	if e.Printer != "" {
		b.WriteString(" on ")
		b.WriteString(e.Printer)
	}
	b.WriteString(": ")
	msg := e.Msg
	if msg == "" {
		msg = e.Kind.String()
	}
	b.WriteString(msg)
	if e.Err != nil && !strings.Contains(msg, e.Err.Error()) {
		b.WriteString(" (")
		b.WriteString(e.Err.Error())
		b.WriteString(")")
	}
	if e.Op == "print" {
		switch e.Sent {
		case SentNone:
			b.WriteString("; nothing was sent")
		case SentPartial:
			switch {
			case e.Total > 0 && e.Bytes >= e.Total:
				fmt.Fprintf(&b, "; all %d bytes of the label were sent, but the printer did not confirm it took them: it may not have printed, check the printer before printing it again", e.Total)
			case e.Total > 0 && e.Bytes > 0:
				fmt.Fprintf(&b, "; the label was partly sent (%d of %d bytes): it may print partly or not at all, check the printer before printing it again", e.Bytes, e.Total)
			default:
				b.WriteString("; some of the label may have been sent: it may print partly or not at all, check the printer before printing it again")
			}
		case SentAll:
			b.WriteString("; the label was fully sent")
		}
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, KindOther if it is not a printer error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var se *spec.Error
	if errors.As(err, &se) {
		return KindBadSpec
	}
	if errors.Is(err, context.Canceled) {
		return KindCanceled
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindTimeout
	}
	return KindOther
}

// SentOf returns how much of the label the failed print delivered. Errors that are not printer
// errors count as SentPartial: what is not known must not be resent blindly.
func SentOf(err error) Sent {
	var e *Error
	if errors.As(err, &e) {
		return e.Sent
	}
	return SentPartial
}

// Retryable reports whether a failed print can be sent again without risk of a duplicate and
// with a chance of succeeding later: nothing reached the printer and the problem lies with the
// printer or its connection, not with the label or the setting.
func Retryable(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Sent != SentNone {
		return false
	}
	switch e.Kind {
	case KindBadSpec, KindBadJob, KindUnsupported, KindCanceled, KindClosed, KindOther:
		return false
	}
	return true
}

// specError is a spec that cannot be read, as a printer error of kind KindBadSpec.
func specError(err error) error {
	var se *spec.Error
	if !errors.As(err, &se) {
		return err
	}
	return &Error{Op: "open", Printer: se.Spec, Kind: KindBadSpec, Msg: se.Msg, Err: err}
}

// Away reports whether err says that the printer could not take a label that never started,
// for a reason that passes once someone tends the printer: unplugged or off, paused, out of
// paper, head open, an error light, held by another program, not answering, refusing the
// connection. A label held for one of these goes out by itself when the printer is back.
func Away(err error) bool {
	if err == nil || SentOf(err) != SentNone || !Retryable(err) {
		return false
	}
	switch KindOf(err) {
	case KindNotFound, KindOffline, KindPaperOut, KindHeadOpen, KindPrinterError, KindBusy, KindTimeout, KindRefused:
		return true
	}
	return false
}
