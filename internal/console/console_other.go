//go:build !windows

// Package console makes the Windows console show the CLI's UTF-8 text; elsewhere it does nothing.
package console

// UTF8 has nothing to do where terminals take UTF-8.
func UTF8() (restore func()) { return func() {} }
