package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"station/printer/raw"
	"station/say"
	"strings"
	"syscall"
	"time"
)

// tcpTransport prints to a network printer's raw port (9100), one connection per label.
type tcpTransport struct {
	addr    string
	timeout time.Duration
}

func (t *tcpTransport) language(context.Context) (raw.Language, error) { return raw.LangAuto, nil }

func (t *tcpTransport) dial(ctx context.Context) (*net.TCPConn, error) {
	d := net.Dialer{Timeout: t.timeout}
	c, err := d.DialContext(ctx, "tcp", t.addr)
	if err != nil {
		return nil, t.netError(err, "connecting to")
	}
	return c.(*net.TCPConn), nil
}

func (t *tcpTransport) netError(err error, doing string) *Error {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return &Error{Kind: KindCanceled, Msg: "canceled", Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Kind: KindRefused, Msg: fmt.Sprintf("%s refused the connection", t.addr), Err: err}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		return &Error{Kind: KindDropped, Msg: fmt.Sprintf("%s closed the connection", t.addr), Err: err}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return &Error{Kind: KindNotFound, Msg: fmt.Sprintf("%s cannot be reached (is the printer on and on the network?)", t.addr), Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: KindTimeout, Msg: fmt.Sprintf("no progress %s %s within %s", doing, t.addr, t.timeout), Err: err}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &Error{Kind: KindNotFound, Msg: fmt.Sprintf("the printer name %s is unknown", dnsErr.Name), Err: err}
	}
	// Windows' socket errors do not match the syscall constants above.
	switch msg := strings.ToLower(err.Error()); {
	case strings.Contains(msg, "refused"):
		return &Error{Kind: KindRefused, Msg: fmt.Sprintf("%s refused the connection", t.addr), Err: err}
	case strings.Contains(msg, "reset") || strings.Contains(msg, "aborted"):
		return &Error{Kind: KindDropped, Msg: fmt.Sprintf("%s closed the connection", t.addr), Err: err}
	}
	return &Error{Kind: KindDropped, Msg: fmt.Sprintf("network error %s %s", doing, t.addr), Err: err}
}

func (t *tcpTransport) send(ctx context.Context, _ string, data []byte) (int, error) {
	conn, err := t.dial(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// Cancelling ctx interrupts a blocked write or wait.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	written := 0
	for written < len(data) {
		conn.SetWriteDeadline(time.Now().Add(t.timeout))
		n, err := conn.Write(data[written:min(written+4*chunkSize, len(data))])
		written += n
		if err != nil {
			e := t.netError(orCtx(ctx, err), "sending to")
			if e.Kind == KindTimeout {
				e.Msg = fmt.Sprintf("%s stopped taking data (no progress for %s)", t.addr, t.timeout)
			}
			return t.confirmed(conn, written), partial(e, written)
		}
	}
	// The bytes are in our socket buffer; wait until the printer has acknowledged them all, so
	// that "fully sent" means they reached it, and notice a printer that stalls or drops.
	conn.CloseWrite()
	unacked, err := waitAcked(ctx, conn, t.timeout)
	if err == nil && unacked > 0 {
		e := &Error{Kind: KindTimeout, Msg: fmt.Sprintf("%s stopped taking data: %d bytes were not acknowledged within %s", t.addr, unacked, t.timeout), Sent: SentPartial}
		return written - unacked, e
	}
	if err != nil {
		e := t.netError(orCtx(ctx, err), "sending to")
		if errors.Is(err, io.EOF) {
			e = &Error{Kind: KindDropped, Msg: fmt.Sprintf("%s closed the connection before taking the whole label", t.addr)}
		}
		return written - unacked, partial(e, written)
	}
	// A reset now means the printer threw away what it had been sent.
	conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	var one [64]byte
	if _, err := conn.Read(one[:]); err != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
		return written, partial(t.netError(err, "sending to"), written)
	}
	return written, nil
}

// confirmed is how many of written bytes the printer acknowledged, as far as we can tell.
func (t *tcpTransport) confirmed(conn *net.TCPConn, written int) int {
	if q, ok := unackedBytes(conn); ok && q <= written {
		return written - q
	}
	return written
}

// partial marks an error after bytes went out: whether the printer used them is unknown.
func partial(e *Error, written int) *Error {
	if written > 0 {
		e.Sent = SentPartial
	}
	return e
}

func orCtx(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// waitAcked waits until the socket's send queue is empty (every byte acknowledged by the
// printer) and returns what is left when timeout passes, or the error if the printer closes or
// resets the connection first. Where the queue cannot be read it returns 0 at once.
func waitAcked(ctx context.Context, conn *net.TCPConn, timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	// Called after CloseWrite: the queue also counts our FIN, one sequence number.
	data := func() (int, bool) {
		q, ok := unackedBytes(conn)
		return max(q-1, 0), ok
	}
	for {
		q, ok := data()
		if !ok || q == 0 {
			return 0, nil
		}
		if err := ctx.Err(); err != nil {
			return q, err
		}
		// After a reset the kernel keeps reporting the old queue: look for the reset itself.
		if err := peerGone(conn); err != nil {
			if q, _ := data(); q == 0 && errors.Is(err, io.EOF) {
				return 0, nil // it took everything and closed in the meantime
			}
			return q, err
		}
		if time.Now().After(deadline) {
			return q, nil
		}
		time.Sleep(wait)
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// peerGone reports a connection the printer closed (io.EOF) or reset, without waiting.
func peerGone(conn *net.TCPConn) error {
	conn.SetReadDeadline(time.Now().Add(time.Millisecond))
	var b [64]byte
	_, err := conn.Read(b[:])
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		return nil
	}
	return err
}

// Status queries: Zebra's ~HS host status, TSPL's <ESC>!? and ESC/POS's DLE EOT 2 (off-line
// cause). They are sent only when the spec names the language, since another printer would
// take the query for label data.
func (t *tcpTransport) status(ctx context.Context, lang raw.Language) (Status, error) {
	conn, err := t.dial(ctx)
	if err != nil {
		return Status{}, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	reachable := Status{State: StateUnknown, Message: say.T("可以连接；打印机不报告状态", "reachable; the printer does not report its status")}
	var query []byte
	switch lang {
	case raw.ZPL:
		query = []byte("~HS")
	case raw.TSPL:
		query = []byte{0x1b, '!', '?'}
	case raw.ESCPOS:
		query = []byte{0x10, 0x04, 0x02}
	default:
		return reachable, nil
	}
	wait := min(t.timeout, 2*time.Second)
	conn.SetDeadline(time.Now().Add(wait))
	if _, err := conn.Write(query); err != nil {
		return Status{}, t.netError(orCtx(ctx, err), "asking")
	}
	var reply []byte
	buf := make([]byte, 256)
	for {
		n, err := conn.Read(buf)
		reply = append(reply, buf[:n]...)
		if done(lang, reply) || err != nil {
			break
		}
	}
	if err := ctx.Err(); err != nil {
		return Status{}, &Error{Kind: KindOf(err), Msg: "canceled", Err: err}
	}
	if st, ok := parseStatusReply(lang, reply); ok {
		return st, nil
	}
	return reachable, nil
}

func done(lang raw.Language, reply []byte) bool {
	if lang == raw.ZPL {
		return strings.Count(string(reply), "\x03") >= 3
	}
	return len(reply) >= 1
}

// parseStatusReply reads a status answer. ~HS answers three <STX>…<ETX> lines; the first holds
// the paper-out (2nd field) and pause (3rd) flags, the second the head-up flag (3rd) and the
// ribbon-out flag (4th).
func parseStatusReply(lang raw.Language, reply []byte) (Status, bool) {
	switch lang {
	case raw.ZPL:
		var lines [][]string
		for _, part := range strings.Split(string(reply), "\x02")[1:] {
			body, _, _ := strings.Cut(part, "\x03")
			lines = append(lines, strings.Split(body, ","))
		}
		if len(lines) < 2 || len(lines[0]) < 3 || len(lines[1]) < 4 {
			return Status{}, false
		}
		flag := func(s string) bool { return strings.TrimSpace(s) == "1" }
		detail := "~HS " + strings.Join(lines[0], ",") + " | " + strings.Join(lines[1], ",")
		switch {
		case flag(lines[1][2]):
			return Status{State: StateHeadOpen, Message: say.T("打印头打开", "the print head is open"), Detail: detail}, true
		case flag(lines[0][1]):
			return Status{State: StatePaperOut, Message: say.T("缺纸", "out of paper"), Detail: detail}, true
		case flag(lines[1][3]):
			return Status{State: StateRibbonOut, Message: say.T("碳带用完", "out of ribbon"), Detail: detail}, true
		case flag(lines[0][2]):
			return Status{State: StatePaused, Message: say.T("已暂停", "paused"), Detail: detail}, true
		}
		return Status{State: StateReady, Message: say.T("就绪", "ready"), Detail: detail}, true
	case raw.TSPL:
		if len(reply) != 1 {
			return Status{}, false
		}
		b := reply[0]
		detail := fmt.Sprintf("status byte 0x%02x", b)
		switch {
		case b&0x01 != 0:
			return Status{State: StateHeadOpen, Message: say.T("打印头打开", "the print head is open"), Detail: detail}, true
		case b&0x04 != 0:
			return Status{State: StatePaperOut, Message: say.T("缺纸", "out of paper"), Detail: detail}, true
		case b&0x02 != 0:
			return Status{State: StateError, Message: say.T("卡纸", "paper jam"), Detail: detail}, true
		case b&0x08 != 0:
			return Status{State: StateRibbonOut, Message: say.T("碳带用完", "out of ribbon"), Detail: detail}, true
		case b&0x10 != 0:
			return Status{State: StatePaused, Message: say.T("已暂停", "paused"), Detail: detail}, true
		}
		return Status{State: StateReady, Message: say.T("就绪", "ready"), Detail: detail}, true
	case raw.ESCPOS:
		// DLE EOT 2: bits 1 and 4 are always 1, bits 0 and 7 always 0.
		if len(reply) != 1 || reply[0]&0x93 != 0x12 {
			return Status{}, false
		}
		b := reply[0]
		detail := fmt.Sprintf("off-line cause 0x%02x", b)
		switch {
		case b&0x04 != 0:
			return Status{State: StateHeadOpen, Message: say.T("机盖打开", "the cover is open"), Detail: detail}, true
		case b&0x20 != 0:
			return Status{State: StatePaperOut, Message: say.T("缺纸", "out of paper"), Detail: detail}, true
		case b&0x40 != 0:
			return Status{State: StateError, Message: say.T("打印机报告错误", "the printer reports an error"), Detail: detail}, true
		}
		return Status{State: StateReady, Message: say.T("就绪", "ready"), Detail: detail}, true
	}
	return Status{}, false
}

func (t *tcpTransport) close() error { return nil }
