//go:build !windows

package usb

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

func (h *systemHost) OpenDevices(match func(*DeviceDesc) bool) ([]Device, error) {
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
	descs := map[*gousb.DeviceDesc]*DeviceDesc{}
	devs, err := h.ctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		own := descFrom(d)
		descs[d] = own
		return match(own)
	})
	out := make([]Device, len(devs))
	for i, d := range devs {
		out[i] = &gousbDevice{d: d, desc: descs[d.Desc]}
	}
	return out, libusbErr(err)
}

// descFrom copies what the package reads of gousb's descriptors.
func descFrom(d *gousb.DeviceDesc) *DeviceDesc {
	out := &DeviceDesc{Bus: d.Bus, Address: d.Address, Port: d.Port, Path: slices.Clone(d.Path),
		Vendor: uint16(d.Vendor), Product: uint16(d.Product), Configs: map[int]ConfigDesc{}}
	for n, c := range d.Configs {
		cfg := ConfigDesc{Number: c.Number}
		for _, intf := range c.Interfaces {
			id := InterfaceDesc{Number: intf.Number}
			for _, alt := range intf.AltSettings {
				set := InterfaceSetting{Number: alt.Number, Alternate: alt.Alternate,
					Class: int(alt.Class), SubClass: int(alt.SubClass), Protocol: int(alt.Protocol)}
				for _, ep := range alt.Endpoints {
					set.Endpoints = append(set.Endpoints, EndpointDesc{Number: ep.Number,
						Out: ep.Direction == gousb.EndpointDirectionOut, Bulk: ep.TransferType == gousb.TransferTypeBulk})
				}
				slices.SortFunc(set.Endpoints, func(a, b EndpointDesc) int { return a.Number - b.Number })
				id.AltSettings = append(id.AltSettings, set)
			}
			cfg.Interfaces = append(cfg.Interfaces, id)
		}
		out.Configs[n] = cfg
	}
	return out
}

// libusbErr turns gousb's error values into the package's own, keeping gousb's words.
func libusbErr(err error) error {
	var code gousb.Error
	var ts gousb.TransferStatus
	switch {
	case err == nil:
		return nil
	case errors.As(err, &code):
		return &codedErr{err: err, code: Errno(code)}
	case errors.As(err, &ts):
		return &codedErr{err: err, code: TransferStatus(ts)}
	}
	return err
}

// codedErr is a gousb error that also answers errors.As with its Errno or TransferStatus.
type codedErr struct {
	err  error
	code error
}

func (e *codedErr) Error() string   { return e.err.Error() }
func (e *codedErr) Unwrap() []error { return []error{e.code, e.err} }

type gousbDevice struct {
	d    *gousb.Device
	desc *DeviceDesc
}

func (g *gousbDevice) Desc() *DeviceDesc                 { return g.desc }
func (g *gousbDevice) SetAutoDetach(on bool) error       { return libusbErr(g.d.SetAutoDetach(on)) }
func (g *gousbDevice) SetControlTimeout(t time.Duration) { g.d.ControlTimeout = t }
func (g *gousbDevice) Manufacturer() (string, error)     { return both(g.d.Manufacturer()) }
func (g *gousbDevice) Product() (string, error)          { return both(g.d.Product()) }
func (g *gousbDevice) SerialNumber() (string, error)     { return both(g.d.SerialNumber()) }
func (g *gousbDevice) ActiveConfig() (int, error)        { return both(g.d.ActiveConfigNum()) }
func (g *gousbDevice) Close() error                      { return libusbErr(g.d.Close()) }
func (g *gousbDevice) Control(rType, request uint8, val, idx uint16, data []byte) (int, error) {
	return both(g.d.Control(rType, request, val, idx, data))
}

func both[T any](v T, err error) (T, error) { return v, libusbErr(err) }

func (g *gousbDevice) Claim(config, iface, alt, out int) (Pipe, error) {
	cfg, err := g.d.Config(config)
	if err != nil {
		return nil, libusbErr(err)
	}
	// gousb v1.1.3 finds the interface by its number but then reads its alternate settings at
	// Interfaces[num], by position (gousb issue #65, fixed after 1.1.3): with interface numbers
	// that are not 0,1,2… it panics or looks at the wrong interface. Give it a list where the
	// position of every interface is its number.
	cfg.Desc.Interfaces = InterfacesByNumber(cfg.Desc.Interfaces)
	intf, err := cfg.Interface(iface, alt)
	if err != nil {
		cfg.Close()
		return nil, libusbErr(err)
	}
	ep, err := intf.OutEndpoint(out)
	if err != nil {
		intf.Close()
		cfg.Close()
		return nil, libusbErr(err)
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
	return both(p.ep.WriteContext(ctx, b))
}

func (p *gousbPipe) Close() error {
	p.intf.Close()
	return libusbErr(p.cfg.Close())
}
