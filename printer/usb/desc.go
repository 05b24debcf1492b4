package usb

import "fmt"

// DeviceDesc is what a device's descriptors say, as far as finding a printer needs: where it is
// plugged in, who made it, and its configurations. The package keeps its own copy of these
// (rather than libusb's) so that it builds where libusb does not (Windows without a mingw
// libusb) and tests describe devices without it.
type DeviceDesc struct {
	Bus, Address, Port int
	Path               []int // the ports from the root hub down
	Vendor, Product    uint16
	Configs            map[int]ConfigDesc // by configuration value
}

// ConfigDesc is one configuration.
type ConfigDesc struct {
	Number     int
	Interfaces []InterfaceDesc
}

// InterfaceDesc is one interface with its alternate settings.
type InterfaceDesc struct {
	Number      int
	AltSettings []InterfaceSetting
}

// InterfaceSetting is one alternate setting of an interface.
type InterfaceSetting struct {
	Number, Alternate         int
	Class, SubClass, Protocol int
	Endpoints                 []EndpointDesc
}

// EndpointDesc is one endpoint of an interface setting.
type EndpointDesc struct {
	Number int  // the endpoint number, without the direction bit
	Out    bool // host to device
	Bulk   bool // bulk transfers
}

// Errno is a libusb error code (LIBUSB_ERROR_*), as a Host reports a failed call.
type Errno int

const (
	ErrIO           Errno = -1
	ErrInvalid      Errno = -2
	ErrAccess       Errno = -3
	ErrNoDevice     Errno = -4
	ErrNotFound     Errno = -5
	ErrBusy         Errno = -6
	ErrTimeout      Errno = -7
	ErrOverflow     Errno = -8
	ErrPipe         Errno = -9
	ErrInterrupted  Errno = -10
	ErrNoMem        Errno = -11
	ErrNotSupported Errno = -12
	ErrOther        Errno = -99
)

var errnoText = map[Errno]string{
	ErrIO: "input/output error", ErrInvalid: "invalid parameter", ErrAccess: "access denied",
	ErrNoDevice: "no such device", ErrNotFound: "entity not found", ErrBusy: "resource busy",
	ErrTimeout: "operation timed out", ErrOverflow: "overflow", ErrPipe: "pipe error",
	ErrInterrupted: "system call interrupted", ErrNoMem: "insufficient memory",
	ErrNotSupported: "operation not supported", ErrOther: "other error",
}

func (e Errno) Error() string {
	if s, ok := errnoText[e]; ok {
		return fmt.Sprintf("libusb: %s [code %d]", s, int(e))
	}
	return fmt.Sprintf("libusb: error [code %d]", int(e))
}

// TransferStatus is how a bulk transfer ended (libusb_transfer_status), when it failed.
type TransferStatus int

const (
	TransferCompleted TransferStatus = iota
	TransferError
	TransferTimedOut
	TransferCancelled
	TransferStall
	TransferNoDevice
	TransferOverflow
)

var transferText = [...]string{"completed", "failed", "timed out", "cancelled", "stalled", "no device", "overflow"}

func (s TransferStatus) Error() string {
	if s >= 0 && int(s) < len(transferText) {
		return "libusb transfer " + transferText[s]
	}
	return fmt.Sprintf("libusb transfer status %d", int(s))
}
