package printer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"station/printer/raw"
	"station/printer/usb"
	"station/say"
)

// usbTransport prints through libusb. It opens the printer on first use, keeps it claimed
// between labels, and reopens it after it was unplugged.
type usbTransport struct {
	host    usb.Host
	sel     usb.Selector
	timeout time.Duration

	mu     sync.Mutex
	p      *usb.Printer
	closed bool
}

func (t *usbTransport) connect(ctx context.Context) (*usb.Printer, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.p != nil {
		return t.p, nil
	}
	if t.closed {
		return nil, &Error{Kind: KindClosed, Msg: "the printer is closed"}
	}
	p, err := usb.Open(ctx, t.host, t.sel)
	if err != nil {
		return nil, usbError(err)
	}
	t.p = p
	return p, nil
}

// disconnect drops the handle, so that the next label finds the printer afresh (it may come
// back at another address).
func (t *usbTransport) disconnect(p *usb.Printer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.p == p && p != nil {
		p.Close()
		t.p = nil
	}
}

func (t *usbTransport) language(ctx context.Context) (raw.Language, error) {
	p, err := t.connect(ctx)
	if err != nil {
		return "", err
	}
	info := p.Info()
	if l := LanguageFromDeviceID(info.DeviceID); l != raw.LangAuto {
		return l, nil
	}
	switch info.VID {
	case 0x0a5f: // Zebra: ZPL unless the device id said otherwise
		return raw.ZPL, nil
	case 0x1203: // TSC
		return raw.TSPL, nil
	}
	return "", &Error{Kind: KindBadSpec, Msg: fmt.Sprintf(
		"the printer %s %s does not say which language it speaks (device id %q): add ?lang=zpl, ?lang=tspl or ?lang=escpos to its setting",
		info.Vendor(), info.Product, info.DeviceID)}
}

func (t *usbTransport) send(ctx context.Context, name string, data []byte) (int, error) {
	for attempt := 0; ; attempt++ {
		p, err := t.connect(ctx)
		if err != nil {
			return 0, err
		}
		// Refuse to feed a printer that says it has no paper: the label would wait in its
		// buffer, and the next ones would stall half-sent. Other status bits are not trusted
		// for this, as some printers report them wrongly; they explain failures below.
		if st, err := p.PortStatus(); err == nil && st.PaperEmpty() {
			return 0, &Error{Kind: KindPaperOut, Msg: "the printer is out of paper"}
		} else if usb.CodeOf(err) == usb.CodeGone {
			t.disconnect(p)
			if attempt == 0 {
				continue // a stale handle: the printer may be back at another address
			}
			return 0, usbError(err)
		}
		n, err := p.Write(ctx, data, t.timeout)
		if err == nil {
			return n, nil
		}
		code := usb.CodeOf(err)
		if code == usb.CodeGone {
			t.disconnect(p)
			if n == 0 && attempt == 0 {
				continue
			}
			return n, &Error{Kind: KindNotFound, Msg: "the printer was unplugged or switched off", Err: usbCause(err)}
		}
		if code == usb.CodeTimeout {
			// Say why it stopped taking data, if it tells.
			if st, serr := p.PortStatus(); serr == nil {
				if s := portStatus(st); !s.OK() {
					return n, &Error{Kind: s.Kind(), Msg: "the printer stopped taking data: " + s.Message.EN, Err: usbCause(err)}
				}
			}
		}
		if code != usb.CodeCanceled && code != usb.CodeTimeout {
			t.disconnect(p)
		}
		return n, usbError(err)
	}
}

func (t *usbTransport) status(ctx context.Context, _ raw.Language) (Status, error) {
	p, err := t.connect(ctx)
	if err != nil {
		return Status{}, err
	}
	st, err := p.PortStatus()
	if err != nil {
		switch usb.CodeOf(err) {
		case usb.CodeGone:
			t.disconnect(p)
			return Status{}, usbError(err)
		case usb.CodeStall:
			return Status{State: StateUnknown, Message: say.T("已连接；打印机不报告状态", "connected; the printer does not report its status")}, nil
		}
		return Status{}, usbError(err)
	}
	return portStatus(st), nil
}

func (t *usbTransport) close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.p == nil {
		return nil
	}
	err := t.p.Close()
	t.p = nil
	return err
}

func portStatus(st usb.PortStatus) Status {
	s := Status{State: StateReady, Message: st.Words(), Detail: fmt.Sprintf("port status 0x%02x", byte(st))}
	switch {
	case st.PaperEmpty():
		s.State = StatePaperOut
	case st.Fault():
		s.State = StateError
	case !st.Selected():
		s.State = StatePaused
	}
	return s
}

// usbError maps a USB error to a printer error kind.
func usbError(err error) error {
	var ue *usb.Error
	if !errors.As(err, &ue) {
		return &Error{Kind: KindOf(err), Msg: err.Error(), Err: err}
	}
	kind := KindOther
	switch ue.Code {
	case usb.CodeNotFound, usb.CodeGone:
		kind = KindNotFound
	case usb.CodeAmbiguous:
		kind = KindBadSpec
	case usb.CodeAccess:
		kind = KindPermission
	case usb.CodeBusy:
		kind = KindBusy
	case usb.CodeTimeout:
		kind = KindTimeout
	case usb.CodeStall:
		kind = KindPrinterError
	case usb.CodeIO:
		kind = KindDropped
	case usb.CodeUnavailable:
		kind = KindUnsupported
	case usb.CodeCanceled:
		kind = KindCanceled
	}
	return &Error{Kind: kind, Msg: ue.Msg, Err: ue.Err}
}

// usbCause is the libusb error under a USB error, for messages that already say what it means.
func usbCause(err error) error {
	var ue *usb.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
