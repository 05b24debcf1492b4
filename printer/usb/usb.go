// Package usb finds USB label printers and talks to them through libusb (github.com/google/gousb):
// discovery by interface class, the IEEE 1284 device id, the port status, and bulk writes with
// deadlines. The gousb calls sit behind Host and Device so that tests drive everything with a
// fake device (package usbtest).
package usb

import (
	"context"
	"time"
)

// Host enumerates and opens USB devices: the part of a libusb context used here. Its errors
// are Errno or TransferStatus values (possibly wrapped).
type Host interface {
	// OpenDevices calls match for every attached device and opens those it accepts. Devices
	// that fail to open are left out and the last failure is returned with the others.
	OpenDevices(match func(desc *DeviceDesc) bool) ([]Device, error)
}

// Device is an opened USB device: the part of a libusb device handle used here.
type Device interface {
	Desc() *DeviceDesc
	SetAutoDetach(bool) error
	SetControlTimeout(time.Duration)
	Control(rType, request uint8, val, idx uint16, data []byte) (int, error)
	Manufacturer() (string, error)
	Product() (string, error)
	SerialNumber() (string, error)
	ActiveConfig() (int, error)
	// Claim selects configuration config, claims interface iface (its descriptor number) with
	// alternate setting alt, and opens bulk OUT endpoint out.
	Claim(config, iface, alt, out int) (Pipe, error)
	Close() error
}

// Pipe is a claimed interface's bulk OUT endpoint.
type Pipe interface {
	// WriteContext writes p and returns how many bytes the device took, also on error.
	WriteContext(ctx context.Context, p []byte) (int, error)
	// Close releases the interface and configuration (the kernel driver is re-attached).
	Close() error
}

// USB printer class requests (USB Device Class Definition for Printing Devices 1.1).
const (
	RequestTypeClassInterfaceIn = 0xA1 // device-to-host, class, interface
	RequestGetDeviceID          = 0
	RequestGetPortStatus        = 1
)

// Interface classes.
const (
	ClassPrinter        = 7
	ClassVendorSpecific = 0xFF
)
