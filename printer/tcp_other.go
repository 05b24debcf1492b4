//go:build !linux

package printer

import "net"

// unackedBytes is not available here: "fully sent" means handed to the operating system.
func unackedBytes(*net.TCPConn) (int, bool) { return 0, false }
