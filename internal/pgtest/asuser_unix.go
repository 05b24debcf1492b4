//go:build unix

package pgtest

import (
	"os"
	"os/exec"
	"syscall"
)

// asUser runs PostgreSQL's programs as nobody when this process is root: the server refuses
// to run as root.
func asUser(cmd *exec.Cmd) {
	if os.Getuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
}
