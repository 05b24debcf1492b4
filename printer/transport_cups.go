package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"station/printer/raw"
	"station/say"
	"strings"
	"time"
)

// cupsTransport hands labels to a CUPS queue with "lp -d QUEUE -o raw", so that the queue's
// driver does not touch the printer language.
type cupsTransport struct {
	queue   string
	lp      string
	timeout time.Duration
}

func (t *cupsTransport) language(context.Context) (raw.Language, error) { return raw.LangAuto, nil }

func (t *cupsTransport) command(name string) (string, error) {
	if name == "lp" && strings.ContainsAny(t.lp, `/\`) {
		if _, err := os.Stat(t.lp); err != nil {
			return "", &Error{Kind: KindUnsupported, Msg: fmt.Sprintf("the lp command %s was not found: install the CUPS client tools (e.g. apt install cups-client) or print through usb: or tcp:", t.lp), Err: err}
		}
		return t.lp, nil
	}
	if name == "lp" && t.lp != "" {
		name = t.lp
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", &Error{Kind: KindUnsupported, Msg: fmt.Sprintf("the %s command was not found: install the CUPS client tools (e.g. apt install cups-client) or print through usb: or tcp:", name), Err: err}
	}
	return path, nil
}

func (t *cupsTransport) send(ctx context.Context, name string, data []byte) (int, error) {
	lp, err := t.command("lp")
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	args := []string{"-d", t.queue, "-o", "raw"}
	if title := fileNamePart(name); name != "" {
		args = append(args, "-t", title)
	}
	cmd := exec.CommandContext(ctx, lp, args...)
	cmd.Stdin = bytes.NewReader(data)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	if err == nil {
		return len(data), nil
	}
	msg := strings.TrimSpace(firstLine(errOut.String()))
	if ctx.Err() != nil {
		// lp was stopped while it ran: CUPS may or may not have queued the label.
		kind := KindTimeout
		if errors.Is(ctx.Err(), context.Canceled) {
			kind = KindCanceled
		}
		return 0, &Error{Kind: kind, Msg: fmt.Sprintf("lp did not finish within %s; the label may or may not be queued in %s", t.timeout, t.queue), Sent: SentPartial, Err: err}
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return 0, &Error{Kind: KindUnsupported, Msg: "lp could not be run", Err: err}
	}
	// lp exits non-zero before it queues anything: nothing was sent.
	lower := strings.ToLower(msg)
	kind := KindOther
	switch {
	case strings.Contains(lower, "does not exist") || strings.Contains(lower, "unknown destination") || strings.Contains(lower, "no such"):
		kind = KindBadSpec
		msg = fmt.Sprintf("CUPS has no queue named %s (%s)", t.queue, msg)
	case strings.Contains(lower, "not accepting"):
		kind = KindOffline
		msg = fmt.Sprintf("the queue %s is not accepting jobs (%s)", t.queue, msg)
	case strings.Contains(lower, "connect") || strings.Contains(lower, "scheduler"):
		kind = KindNotFound
		msg = fmt.Sprintf("the CUPS scheduler is not running (%s)", msg)
	case msg == "":
		msg = fmt.Sprintf("lp failed (%v)", err)
	default:
		msg = "lp refused the label: " + msg
	}
	return 0, &Error{Kind: kind, Msg: msg}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func (t *cupsTransport) status(ctx context.Context, _ raw.Language) (Status, error) {
	lpstat, err := t.command("lpstat")
	if err != nil {
		return Status{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, lpstat, "-p", t.queue).CombinedOutput()
	text := strings.TrimSpace(firstLine(string(out)))
	if err != nil {
		if strings.Contains(strings.ToLower(text), "invalid destination") || strings.Contains(strings.ToLower(text), "does not exist") {
			return Status{}, &Error{Kind: KindBadSpec, Msg: fmt.Sprintf("CUPS has no queue named %s", t.queue), Err: err}
		}
		return Status{}, &Error{Kind: KindNotFound, Msg: "lpstat failed: " + text, Err: err}
	}
	lower := strings.ToLower(text)
	switch {
	case strings.Contains(lower, "disabled"):
		return Status{State: StatePaused, Message: say.T("CUPS 队列已停用", "the CUPS queue is disabled"), Detail: text}, nil
	case strings.Contains(lower, "idle") || strings.Contains(lower, "printing"):
		return Status{State: StateReady, Message: say.T("CUPS 队列就绪", "the CUPS queue is ready"), Detail: text}, nil
	}
	return Status{State: StateUnknown, Message: say.T(text, text), Detail: text}, nil
}

func (t *cupsTransport) close() error { return nil }
