//go:build !unix

package pgtest

import "os/exec"

// asUser has nothing to do where there is no root.
func asUser(*exec.Cmd) {}
