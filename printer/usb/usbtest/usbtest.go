// Package usbtest is a fake USB bus for tests: printers that answer the printer class requests
// (GET_DEVICE_ID, GET_PORT_STATUS) as real ones do, take bulk data (or stop taking it, or are
// unplugged in the middle), and check that they are driven the way libusb needs (kernel driver
// detached before the claim, control timeout set, interface numbers rather than positions).
package usbtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"station/printer/usb"
)

// Host is a fake USB bus. Its zero value is empty and ready.
type Host struct {
	mu      sync.Mutex
	devices []*Printer
	// OpenErr, when set, is the error opening any device fails with (e.g. usb.ErrAccess).
	OpenErr error
	opens   int
}

// Plug attaches p.
func (h *Host) Plug(p *Printer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p.mu.Lock()
	if p.unplugged {
		p.Desc.Address++ // a device comes back at a new address
	}
	p.unplugged = false
	p.host = h
	p.mu.Unlock()
	for _, d := range h.devices {
		if d == p {
			return
		}
	}
	h.devices = append(h.devices, p)
}

// Unplug detaches p: open handles fail with "no device" from now on.
func (h *Host) Unplug(p *Printer) {
	h.mu.Lock()
	for i, d := range h.devices {
		if d == p {
			h.devices = append(h.devices[:i], h.devices[i+1:]...)
			break
		}
	}
	h.mu.Unlock()
	p.unplug()
}

// Opens counts the devices opened so far.
func (h *Host) Opens() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.opens
}

func (h *Host) OpenDevices(match func(*usb.DeviceDesc) bool) ([]usb.Device, error) {
	h.mu.Lock()
	devs := append([]*Printer(nil), h.devices...)
	openErr := h.OpenErr
	h.mu.Unlock()
	var out []usb.Device
	var last error
	for _, p := range devs {
		if !match(p.Desc) {
			continue
		}
		if openErr != nil {
			last = openErr
			continue
		}
		h.mu.Lock()
		h.opens++
		h.mu.Unlock()
		p.mu.Lock()
		out = append(out, &handle{p: p, gen: p.gen})
		p.mu.Unlock()
	}
	return out, last
}

// Printer is a fake USB printer. Set its fields before plugging it in; the behaviour fields
// may also be changed later under Lock.
type Printer struct {
	Desc         *usb.DeviceDesc
	Manufacturer string
	Product      string
	Serial       string
	DeviceID     string // answered to GET_DEVICE_ID ("" = the request stalls)
	// Interface and Alt are the printer interface's descriptor numbers, which GET_DEVICE_ID and
	// GET_PORT_STATUS must address.
	Interface, Alt int
	ConfigIndex    int

	mu             sync.Mutex
	Status         byte // GET_PORT_STATUS answer; 0x18 = selected, no error, paper present
	StatusHangs    bool // GET_PORT_STATUS never answers (until the control timeout)
	KernelDriver   bool // a kernel driver (usblp) holds the interface until detached
	AcceptLimit    int  // > 0: stop taking data after this many bytes in total (a full buffer)
	UnplugAfter    int  // > 0: unplug itself after taking this many bytes in total (once)
	PerTransferMax int  // > 0: take at most this many bytes per transfer (partial writes)
	received       bytes.Buffer
	unplugged      bool
	gen            int
	claimed        bool
	controlTimeout time.Duration
	host           *Host
}

// Lock guards the behaviour fields (Status, AcceptLimit, …) once the printer is in use.
func (p *Printer) Lock()   { p.mu.Lock() }
func (p *Printer) Unlock() { p.mu.Unlock() }

// Received returns a copy of every byte the printer took.
func (p *Printer) Received() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]byte(nil), p.received.Bytes()...)
}

// Claimed reports whether the printer interface is claimed now.
func (p *Printer) Claimed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.claimed
}

func (p *Printer) unplug() {
	p.mu.Lock()
	p.gen++ // handles opened before are dead for good, even when it comes back
	p.unplugged = true
	p.claimed = false
	p.mu.Unlock()
}

// Zebra is a Zebra ZD421 (ZPL, 203 dpi) as it describes itself, plugged in at bus and path.
func Zebra(bus int, path []int, serial string) *Printer {
	p := NewPrinter(0x0a5f, 0x0164, bus, path, 0, 7)
	p.Manufacturer, p.Product, p.Serial = "Zebra Technologies", "ZTC ZD421-203dpi ZPL", serial
	p.DeviceID = "MFG:Zebra Technologies;CMD:ZPL;MDL:ZD421;"
	return p
}

// NewPrinter returns a printer-class device with one configuration (value 1) whose printer
// interface has the given descriptor number, alternate setting 0, bulk OUT endpoint 1 and bulk
// IN endpoint 2. Bus and path say where it is plugged in.
func NewPrinter(vid, pid uint16, bus int, path []int, ifaceNum int, class int) *Printer {
	alt := usb.InterfaceSetting{
		Number: ifaceNum, Alternate: 0, Class: class, SubClass: 1, Protocol: 2,
		Endpoints: []usb.EndpointDesc{{Number: 1, Out: true, Bulk: true}, {Number: 2, Bulk: true}},
	}
	desc := &usb.DeviceDesc{
		Bus: bus, Address: 10 + len(path), Port: path[len(path)-1], Path: path,
		Vendor: vid, Product: pid,
		Configs: map[int]usb.ConfigDesc{1: {Number: 1, Interfaces: []usb.InterfaceDesc{
			{Number: ifaceNum, AltSettings: []usb.InterfaceSetting{alt}},
		}}},
	}
	return &Printer{Desc: desc, Interface: ifaceNum, Status: 0x18, KernelDriver: true}
}

// handle is one opening of a fake printer.
type handle struct {
	p          *Printer
	gen        int
	autodetach bool
	closed     bool
}

var errClosed = errors.New("usbtest: handle used after Close")

func (h *handle) gone() error {
	if h.closed {
		return errClosed
	}
	if h.p.unplugged || h.gen != h.p.gen {
		return usb.ErrNoDevice
	}
	return nil
}

func (h *handle) Desc() *usb.DeviceDesc { return h.p.Desc }

func (h *handle) SetAutoDetach(on bool) error {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	if err := h.gone(); err != nil {
		return err
	}
	h.autodetach = on
	return nil
}

func (h *handle) SetControlTimeout(t time.Duration) {
	h.p.mu.Lock()
	h.p.controlTimeout = t
	h.p.mu.Unlock()
}

func (h *handle) str(s string) (string, error) {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	if err := h.gone(); err != nil {
		return "", err
	}
	return s, nil
}

func (h *handle) Manufacturer() (string, error) { return h.str(h.p.Manufacturer) }
func (h *handle) Product() (string, error)      { return h.str(h.p.Product) }
func (h *handle) SerialNumber() (string, error) { return h.str(h.p.Serial) }

func (h *handle) ActiveConfig() (int, error) {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	if err := h.gone(); err != nil {
		return 0, err
	}
	for n := range h.p.Desc.Configs {
		return n, nil
	}
	return 0, usb.ErrNotFound
}

func (h *handle) Control(rType, request uint8, val, idx uint16, data []byte) (int, error) {
	p := h.p
	p.mu.Lock()
	if err := h.gone(); err != nil {
		p.mu.Unlock()
		return 0, err
	}
	if p.controlTimeout <= 0 {
		p.mu.Unlock()
		return 0, fmt.Errorf("usbtest: control request with no ControlTimeout set would wait forever on a hung printer")
	}
	if rType != usb.RequestTypeClassInterfaceIn {
		p.mu.Unlock()
		return 0, usb.ErrPipe
	}
	switch request {
	case usb.RequestGetDeviceID:
		defer p.mu.Unlock()
		// Linux lets a program send this only on an interface it has claimed (or one no
		// driver holds).
		if p.KernelDriver && !p.claimed {
			return 0, usb.ErrBusy
		}
		if int(idx>>8) != p.Interface || int(idx&0xff) != p.Alt || int(val) != p.ConfigIndex || p.DeviceID == "" {
			return 0, usb.ErrPipe
		}
		n := len(p.DeviceID) + 2
		reply := append([]byte{byte(n >> 8), byte(n)}, p.DeviceID...)
		return copy(data, reply), nil
	case usb.RequestGetPortStatus:
		if int(idx) != p.Interface || val != 0 {
			p.mu.Unlock()
			return 0, usb.ErrPipe
		}
		if p.StatusHangs {
			t := p.controlTimeout
			p.mu.Unlock()
			time.Sleep(t)
			return 0, usb.ErrTimeout
		}
		defer p.mu.Unlock()
		if len(data) < 1 {
			return 0, usb.ErrOverflow
		}
		data[0] = p.Status
		return 1, nil
	}
	p.mu.Unlock()
	return 0, usb.ErrPipe
}

func (h *handle) Claim(config, iface, alt, out int) (usb.Pipe, error) {
	p := h.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := h.gone(); err != nil {
		return nil, err
	}
	cfg, ok := p.Desc.Configs[config]
	if !ok {
		return nil, fmt.Errorf("usbtest: no configuration %d", config)
	}
	var setting *usb.InterfaceSetting
	for _, d := range cfg.Interfaces {
		if d.Number != iface {
			continue
		}
		for i := range d.AltSettings {
			if d.AltSettings[i].Alternate == alt {
				setting = &d.AltSettings[i]
			}
		}
	}
	if setting == nil {
		return nil, fmt.Errorf("usbtest: no interface numbered %d with alternate setting %d", iface, alt)
	}
	if !slices.ContainsFunc(setting.Endpoints, func(ep usb.EndpointDesc) bool { return ep.Number == out && ep.Out }) {
		return nil, fmt.Errorf("usbtest: no OUT endpoint %d", out)
	}
	if p.claimed {
		return nil, fmt.Errorf("usbtest: interface %d is already claimed: %w", iface, usb.ErrBusy)
	}
	if p.KernelDriver && !h.autodetach {
		return nil, fmt.Errorf("failed to claim interface %d: %w", iface, usb.ErrBusy)
	}
	p.claimed = true
	return &pipe{h: h}, nil
}

func (h *handle) Close() error {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	h.closed = true
	return nil
}

type pipe struct {
	h      *handle
	closed bool
}

func (w *pipe) WriteContext(ctx context.Context, b []byte) (int, error) {
	p := w.h.p
	p.mu.Lock()
	if w.closed {
		p.mu.Unlock()
		return 0, errClosed
	}
	if err := w.h.gone(); err != nil {
		p.mu.Unlock()
		return 0, usb.TransferNoDevice
	}
	n := len(b)
	if p.PerTransferMax > 0 {
		n = min(n, p.PerTransferMax)
	}
	stall := false
	if p.AcceptLimit > 0 && p.received.Len()+n > p.AcceptLimit {
		n = max(0, p.AcceptLimit-p.received.Len())
		stall = true
	}
	unplug := false
	if p.UnplugAfter > 0 && p.received.Len()+n >= p.UnplugAfter {
		n = max(0, p.UnplugAfter-p.received.Len())
		unplug = true
	}
	p.received.Write(b[:n])
	host := p.host
	if unplug {
		p.UnplugAfter = 0
	}
	p.mu.Unlock()
	switch {
	case unplug:
		if host != nil {
			host.Unplug(p)
		} else {
			p.unplug()
		}
		return n, usb.TransferNoDevice
	case stall:
		// Like libusb: the transfer waits until the printer takes data or it is cancelled.
		<-ctx.Done()
		return n, usb.TransferCancelled
	}
	return n, nil
}

func (w *pipe) Close() error {
	p := w.h.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if !w.closed {
		w.closed = true
		p.claimed = false
	}
	return nil
}
