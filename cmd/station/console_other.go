//go:build !windows

package main

// utf8Console has nothing to do where terminals take UTF-8.
func utf8Console() (restore func()) { return func() {} }
