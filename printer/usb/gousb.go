package usb

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/gousb"
)

// System is the real USB host, opened on first use and kept for the life of the process (one
// libusb context serves every printer).
var System Host = &systemHost{}

type systemHost struct {
	once sync.Once
	ctx  *gousb.Context
	err  error
}

func (h *systemHost) OpenDevices(match func(*gousb.DeviceDesc) bool) ([]Device, error) {
	h.once.Do(func() {
		// gousb panics when libusb cannot start (no usbfs, no driver): turn that into an error.
		defer func() {
			if r := recover(); r != nil {
				h.err = &Error{Code: CodeUnavailable, Msg: fmt.Sprintf("libusb could not start: %v", r)}
			}
		}()
		h.ctx = gousb.NewContext()
	})
	if h.err != nil {
		return nil, h.err
	}
	devs, err := h.ctx.OpenDevices(match)
	out := make([]Device, len(devs))
	for i, d := range devs {
		out[i] = &gousbDevice{d: d}
	}
	return out, err
}

type gousbDevice struct{ d *gousb.Device }

func (g *gousbDevice) Desc() *gousb.DeviceDesc           { return g.d.Desc }
func (g *gousbDevice) SetAutoDetach(on bool) error       { return g.d.SetAutoDetach(on) }
func (g *gousbDevice) SetControlTimeout(t time.Duration) { g.d.ControlTimeout = t }
func (g *gousbDevice) Manufacturer() (string, error)     { return g.d.Manufacturer() }
func (g *gousbDevice) Product() (string, error)          { return g.d.Product() }
func (g *gousbDevice) SerialNumber() (string, error)     { return g.d.SerialNumber() }
func (g *gousbDevice) ActiveConfig() (int, error)        { return g.d.ActiveConfigNum() }
func (g *gousbDevice) Close() error                      { return g.d.Close() }
func (g *gousbDevice) Control(rType, request uint8, val, idx uint16, data []byte) (int, error) {
	return g.d.Control(rType, request, val, idx, data)
}

func (g *gousbDevice) Claim(config, iface, alt, out int) (Pipe, error) {
	cfg, err := g.d.Config(config)
	if err != nil {
		return nil, err
	}
	// gousb v1.1.3 finds the interface by its number but then reads its alternate settings at
	// Interfaces[num], by position (gousb issue #65, fixed after 1.1.3): with interface numbers
	// that are not 0,1,2… it panics or looks at the wrong interface. Give it a list where the
	// position of every interface is its number.
	cfg.Desc.Interfaces = InterfacesByNumber(cfg.Desc.Interfaces)
	intf, err := cfg.Interface(iface, alt)
	if err != nil {
		cfg.Close()
		return nil, err
	}
	ep, err := intf.OutEndpoint(out)
	if err != nil {
		intf.Close()
		cfg.Close()
		return nil, err
	}
	return &gousbPipe{cfg: cfg, intf: intf, ep: ep}, nil
}

// InterfacesByNumber returns the interfaces placed so that Interfaces[n].Number == n, with
// empty placeholders for numbers the device skips. It works around gousb v1.1.3's
// Config.Interface, which indexes the list by interface number.
func InterfacesByNumber(in []gousb.InterfaceDesc) []gousb.InterfaceDesc {
	maxNum := -1
	for _, d := range in {
		maxNum = max(maxNum, d.Number)
	}
	out := make([]gousb.InterfaceDesc, maxNum+1)
	for i := range out {
		out[i].Number = -1 // a placeholder matches no request
	}
	for _, d := range in {
		out[d.Number] = d
	}
	return out
}

type gousbPipe struct {
	cfg  *gousb.Config
	intf *gousb.Interface
	ep   *gousb.OutEndpoint
}

func (p *gousbPipe) WriteContext(ctx context.Context, b []byte) (int, error) {
	return p.ep.WriteContext(ctx, b)
}

func (p *gousbPipe) Close() error {
	p.intf.Close()
	return p.cfg.Close()
}
