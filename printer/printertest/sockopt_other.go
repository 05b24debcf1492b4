//go:build !unix

package printertest

// setRecvBuffer is a no-op here: stalled connections take longer to fill up.
func setRecvBuffer(uintptr, int) error { return nil }
