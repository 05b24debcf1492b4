//go:build !windows

package winspool

import "context"

// System is the Windows spooler; elsewhere there is none.
var System Spooler = notWindows{}

type notWindows struct{}

func unsupported(op string) error {
	return &Error{Op: op, Code: CodeUnsupported, Msg: "win: printers are Windows printers: on this system use usb:, tcp:, cups: or pdf:"}
}

func (notWindows) Printers(context.Context) ([]Info, error) { return nil, unsupported("EnumPrinters") }
func (notWindows) Printer(context.Context, string) (Info, error) {
	return Info{}, unsupported("GetPrinter")
}
func (notWindows) PrintRaw(context.Context, string, string, []byte) error {
	return unsupported("OpenPrinter")
}
