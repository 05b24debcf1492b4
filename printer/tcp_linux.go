package printer

import (
	"net"
	"syscall"
	"unsafe"
)

// unackedBytes reads how many sent bytes the peer has not acknowledged yet (SIOCOUTQ).
func unackedBytes(conn *net.TCPConn) (int, bool) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return 0, false
	}
	var q int32
	var errno syscall.Errno
	if err := raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(syscall.TIOCOUTQ), uintptr(unsafe.Pointer(&q)))
	}); err != nil || errno != 0 {
		return 0, false
	}
	return int(q), true
}
