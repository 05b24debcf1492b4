package printer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"station/printer/raw"
	"station/say"
	"strings"
	"sync"
	"syscall"
	"time"
)

// fileTransport writes to a device node (/dev/usb/lp0) or a regular file. A regular file is
// started afresh when the printer is first used and then receives every label in turn, like a
// printer would; a device node is never created.
type fileTransport struct {
	path    string
	timeout time.Duration

	mu sync.Mutex
	f  *os.File
}

func (t *fileTransport) language(context.Context) (raw.Language, error) { return raw.LangAuto, nil }

func isDevicePath(path string) bool {
	clean := filepath.ToSlash(filepath.Clean(path))
	return strings.HasPrefix(clean, "/dev/") || strings.HasPrefix(path, `\\.\`)
}

func (t *fileTransport) open(ctx context.Context) (*os.File, error) {
	if t.f != nil {
		return t.f, nil
	}
	flags := os.O_WRONLY
	st, err := os.Stat(t.path)
	switch {
	case err == nil && st.Mode().IsRegular():
		flags |= os.O_TRUNC
	case err == nil:
		return t.openDevice(ctx)
	case errors.Is(err, fs.ErrNotExist) && isDevicePath(t.path):
		return nil, &Error{Kind: KindNotFound, Msg: fmt.Sprintf("%s does not exist: is the printer plugged in and switched on?", t.path)}
	case errors.Is(err, fs.ErrNotExist):
		flags |= os.O_CREATE | os.O_TRUNC
	default:
		return nil, fileError(err)
	}
	f, err := os.OpenFile(t.path, flags, 0o644)
	if err != nil {
		return nil, fileError(err)
	}
	t.f = f
	return f, nil
}

// openDevice opens a device node or a FIFO without blocking: a FIFO nobody reads (or a
// device that is not ready) would block open forever, deaf to the timeout and to Ctrl+C. Such
// an open fails at once (ENXIO) and is tried again until the printer's timeout or ctx ends.
// Opened non-blocking, writes go through Go's poller and obey the write deadline.
func (t *fileTransport) openDevice(ctx context.Context) (*os.File, error) {
	nonblock := syscall.O_NONBLOCK
	if runtime.GOOS == "windows" {
		nonblock = 0 // device paths there (\\.\COM1) do not block on open
	}
	deadline := time.Now().Add(t.timeout)
	for {
		f, err := os.OpenFile(t.path, os.O_WRONLY|nonblock, 0)
		if err == nil {
			t.f = f
			return f, nil
		}
		if !errors.Is(err, syscall.ENXIO) {
			return nil, fileError(err)
		}
		if !time.Now().Before(deadline) {
			return nil, &Error{Kind: KindTimeout, Msg: fmt.Sprintf("nothing took data from %s for %s (a FIFO nobody reads, or a device that is not ready): nothing was sent", t.path, t.timeout), Err: err}
		}
		stop := stopBeforeSending(ctx)
		select {
		case <-stop.Done():
			return nil, &Error{Kind: KindOf(stop.Err()), Msg: "canceled before anything was sent", Err: stop.Err()}
		case <-time.After(min(100*time.Millisecond, time.Until(deadline))):
		}
	}
}

func (t *fileTransport) send(ctx context.Context, _ string, data []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := t.open(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for sent < len(data) {
		if err := ctx.Err(); err != nil {
			return sent, &Error{Kind: KindOf(err), Msg: "canceled", Err: err}
		}
		// Devices that can be polled (usblp can) honour the deadline; for others the write
		// blocks as the kernel lets it.
		_ = f.SetWriteDeadline(time.Now().Add(t.timeout))
		n, err := f.Write(data[sent:min(sent+chunkSize, len(data))])
		sent += n
		if err != nil {
			t.f.Close()
			t.f = nil
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return sent, &Error{Kind: KindTimeout, Msg: fmt.Sprintf("the printer took no data for %s", t.timeout), Err: err}
			}
			return sent, fileError(err)
		}
	}
	return sent, nil
}

const chunkSize = 16 << 10

func (t *fileTransport) status(context.Context, raw.Language) (Status, error) {
	st, err := os.Stat(t.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && isDevicePath(t.path) {
			return Status{}, &Error{Kind: KindNotFound, Msg: fmt.Sprintf("%s does not exist: is the printer plugged in and switched on?", t.path)}
		}
		if errors.Is(err, fs.ErrNotExist) {
			return Status{State: StateReady, Message: say.T("将写入新文件", "a new file will be written")}, nil
		}
		return Status{}, fileError(err)
	}
	if st.Mode().IsRegular() {
		return Status{State: StateReady, Message: say.T("写入文件", "writes to a file")}, nil
	}
	return Status{State: StateUnknown, Message: say.T("设备存在；不报告状态", "the device is there; it does not report its status")}, nil
}

func (t *fileTransport) close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	return err
}

func fileError(err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return &Error{Kind: KindPermission, Msg: "permission denied (on Linux add the user to the lp group or add a udev rule)", Err: err}
	case errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENXIO):
		return &Error{Kind: KindNotFound, Msg: "the device is gone: is the printer plugged in and switched on?", Err: err}
	case errors.Is(err, fs.ErrNotExist):
		return &Error{Kind: KindNotFound, Msg: "no such file or folder", Err: err}
	case errors.Is(err, syscall.EBUSY):
		return &Error{Kind: KindBusy, Msg: "the device is busy (another program is printing)", Err: err}
	case errors.Is(err, syscall.EIO):
		return &Error{Kind: KindDropped, Msg: "input/output error on the device", Err: err}
	case errors.Is(err, syscall.ENOSPC):
		return &Error{Kind: KindOther, Msg: "the disk is full", Err: err}
	}
	return &Error{Kind: KindOther, Msg: "writing failed", Err: err}
}
