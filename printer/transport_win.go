package printer

import (
	"context"
	"errors"
	"fmt"

	"station/printer/raw"
	"station/printer/winspool"
	"station/say"
)

// winTransport hands labels to a Windows printer as RAW spooler jobs named after the order, in
// the printer's own language: the driver does not redraw them.
type winTransport struct {
	sp   winspool.Spooler
	name string
}

func (t *winTransport) language(ctx context.Context) (raw.Language, error) {
	info, err := t.sp.Printer(ctx, t.name)
	if err != nil {
		return "", winError(err, 0)
	}
	if l := info.Language(); l != raw.LangAuto {
		return l, nil
	}
	return "", &Error{Kind: KindBadSpec, Msg: fmt.Sprintf("the driver of %q (%s) does not say which printer language it takes: choose the language in Settings (语言), or add ?lang=zpl, ?lang=tspl or ?lang=escpos to the printer (the printer's manual says which)", t.name, info.Driver)}
}

func (t *winTransport) send(ctx context.Context, name string, data []byte) (int, error) {
	err := t.sp.PrintRaw(ctx, t.name, name, data)
	if err == nil {
		return len(data), nil
	}
	return 0, winError(err, len(data))
}

// winError turns a spooler error into the printer's: what kind of failure, and whether the
// label is in the spooler (a job handed to it counts as sent, and is never sent again by
// itself).
func winError(err error, total int) *Error {
	var we *winspool.Error
	if !errors.As(err, &we) {
		return &Error{Kind: KindOf(err), Msg: err.Error(), Err: err}
	}
	kind := KindOther
	switch we.Code {
	case winspool.CodeNoPrinter, winspool.CodeNoSpooler:
		kind = KindNotFound
	case winspool.CodeAccess:
		kind = KindPermission
	case winspool.CodeOffline:
		kind = KindOffline
	case winspool.CodeNoRaw:
		kind = KindBadSpec
	case winspool.CodeUnsupported:
		kind = KindUnsupported
	case winspool.CodeCanceled:
		kind = KindCanceled
	}
	e := &Error{Kind: kind, Msg: we.Error(), Err: err}
	switch {
	case !we.Started:
		e.Sent = SentNone
	case we.Written >= total:
		e.Sent = SentAll
		e.Msg += "; the label is in the Windows print queue and may print: look at the printer before printing it again"
	default:
		e.Sent = SentPartial
		e.Msg += fmt.Sprintf("; %d of %d bytes are in the Windows print queue: look at the printer before printing it again", we.Written, total)
	}
	return e
}

func (t *winTransport) status(ctx context.Context, _ raw.Language) (Status, error) {
	info, err := t.sp.Printer(ctx, t.name)
	if err != nil {
		return Status{}, winError(err, 0)
	}
	state, words := winspool.StateOf(info)
	detail := fmt.Sprintf("%s, status 0x%x, %d jobs waiting", words, info.Status, info.Jobs)
	switch state {
	case winspool.StatePaused:
		return Status{State: StatePaused, Message: say.T("打印机已暂停或脱机（Windows 打印队列）", "the printer is paused or off-line (Windows print queue)"), Detail: detail}, nil
	case winspool.StatePaperOut:
		return Status{State: StatePaperOut, Message: say.T("缺纸", "out of paper"), Detail: detail}, nil
	case winspool.StateDoorOpen:
		return Status{State: StateHeadOpen, Message: say.T("打印头或机盖打开", "the print head or cover is open"), Detail: detail}, nil
	case winspool.StateError:
		return Status{State: StateError, Message: say.T("打印机报错（卡纸或其他）", "the printer reports an error (jam or other)"), Detail: detail}, nil
	}
	return Status{State: StateReady, Message: say.T("Windows 打印队列就绪", "the Windows print queue is ready"), Detail: detail}, nil
}

func (t *winTransport) close() error { return nil }

// WindowsPrinter is an installed Windows printer, as the settings and station printers offer
// it; its Language comes from the driver's name.
type WindowsPrinter struct{ winspool.Info }

// Spec is the printer spec that selects it.
func (p WindowsPrinter) Spec() string { return "win:" + p.Name }

// ListWindows lists the printers installed in Windows, the default first.
func (o Opener) ListWindows(ctx context.Context) ([]WindowsPrinter, error) {
	infos, err := o.spooler().Printers(ctx)
	if err != nil {
		e := winError(err, 0)
		e.Op = "list"
		return nil, e
	}
	out := make([]WindowsPrinter, len(infos))
	for i, in := range infos {
		out[i] = WindowsPrinter{in}
	}
	return out, nil
}

// ListWindows lists this computer's Windows printers.
func ListWindows(ctx context.Context) ([]WindowsPrinter, error) { return Opener{}.ListWindows(ctx) }

func (o Opener) spooler() winspool.Spooler {
	if o.Spooler != nil {
		return o.Spooler
	}
	return winspool.System
}
