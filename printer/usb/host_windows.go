package usb

// System is the USB host of the Windows build, which has no libusb: Debian's mingw has none
// to link against, and a printer reached through libusb on Windows needs the WinUSB driver
// bound in its maker's place (Zadig), which takes it away from the spooler. Windows prints to
// label printers through their drivers instead (win:PRINTER).
var System Host = noLibusb{}

type noLibusb struct{}

func (noLibusb) OpenDevices(func(*DeviceDesc) bool) ([]Device, error) {
	return nil, &Error{Code: CodeUnavailable, Op: "open",
		Msg: "direct USB printing is not part of the Windows station: choose the printer by its Windows name (win:PRINTER NAME; station printers lists them), or tcp: for a network printer"}
}
