//go:build unix

package journal

import (
	"errors"
	"os"
	"syscall"
)

// holderGone reports whether the process that holds a claim is known to have stopped: it ran
// on this host and no process has its id any more. A process that merely might be gone (on
// another host, or unknown) counts as alive, and its claim is taken over only when it expires.
func holderGone(host string, pid int) bool {
	if host == "" || pid <= 0 {
		return false
	}
	if h, err := os.Hostname(); err != nil || h != host {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
