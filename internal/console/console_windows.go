// Package console makes the Windows console show the CLI's UTF-8 text; elsewhere it does nothing.
package console

import "golang.org/x/sys/windows"

const cpUTF8 = 65001

// UTF8 switches the console to UTF-8 while the station runs, and back when it ends: a
// Chinese Windows console reads code page 936 (GBK) by default, where the CLI's UTF-8 Chinese
// would print as garbage. The window (no console) has nothing to switch.
func UTF8() (restore func()) {
	in, errIn := windows.GetConsoleCP()
	out, errOut := windows.GetConsoleOutputCP()
	if errIn != nil || errOut != nil {
		return func() {}
	}
	windows.SetConsoleCP(cpUTF8)
	windows.SetConsoleOutputCP(cpUTF8)
	return func() {
		windows.SetConsoleCP(in)
		windows.SetConsoleOutputCP(out)
	}
}
