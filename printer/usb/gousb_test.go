//go:build !windows

package usb

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/gousb"
)

// gousb v1.1.3's Config.Interface(num, alt) reads Interfaces[num]: the list must be placed by
// number for devices that skip numbers or list them out of order.
func TestInterfacesByNumber(t *testing.T) {
	mk := func(nums ...int) []gousb.InterfaceDesc {
		var out []gousb.InterfaceDesc
		for _, n := range nums {
			out = append(out, gousb.InterfaceDesc{Number: n, AltSettings: []gousb.InterfaceSetting{
				{Number: n, Alternate: 0, Class: gousb.Class(n)}, {Number: n, Alternate: 1, Class: gousb.Class(n)},
			}})
		}
		return out
	}
	for _, nums := range [][]int{{0}, {1}, {0, 4, 1, 2, 3}, {12, 13}, {2, 0}} {
		in := mk(nums...)
		out := InterfacesByNumber(in)
		for _, n := range nums {
			if n >= len(out) || out[n].Number != n || len(out[n].AltSettings) != 2 || out[n].AltSettings[0].Class != gousb.Class(n) {
				t.Errorf("%v: Interfaces[%d] = %+v", nums, n, out)
			}
		}
		for i, d := range out {
			if !slices.Contains(nums, i) && (d.Number != -1 || len(d.AltSettings) != 0) {
				t.Errorf("%v: placeholder %d = %+v", nums, i, d)
			}
		}
		if in[0].Number != nums[0] {
			t.Errorf("%v: the input was changed", nums)
		}
	}
}

// gousb's errors reach classify as the package's own codes, also when wrapped on the way.
func TestLibusbErr(t *testing.T) {
	for _, c := range []struct {
		in   error
		want Code
	}{
		{gousb.ErrorAccess, CodeAccess},
		{fmt.Errorf("open: %w", gousb.ErrorBusy), CodeBusy},
		{gousb.TransferNoDevice, CodeGone},
		{gousb.TransferStall, CodeStall},
		{gousb.ErrorNotFound, CodeNotFound},
	} {
		err := libusbErr(c.in)
		if e := classify("write", err, nil, nil); e.Code != c.want {
			t.Errorf("classify(libusbErr(%v)) = %v, want code %d", c.in, e, c.want)
		}
		if !errors.Is(err, c.in) || err.Error() != c.in.Error() {
			t.Errorf("libusbErr(%v) = %v: gousb's error is lost", c.in, err)
		}
	}
}

// The descriptors copied from gousb keep what printerInterface reads.
func TestDescFrom(t *testing.T) {
	d := &gousb.DeviceDesc{Bus: 1, Address: 7, Port: 3, Path: []int{2, 3}, Vendor: 0x0a5f, Product: 0x0164,
		Configs: map[int]gousb.ConfigDesc{1: {Number: 1, Interfaces: []gousb.InterfaceDesc{{Number: 0,
			AltSettings: []gousb.InterfaceSetting{{Number: 0, Class: gousb.ClassPrinter, Protocol: 2,
				Endpoints: map[gousb.EndpointAddress]gousb.EndpointDesc{
					0x82: {Address: 0x82, Number: 2, Direction: gousb.EndpointDirectionIn, TransferType: gousb.TransferTypeBulk},
					0x01: {Address: 0x01, Number: 1, Direction: gousb.EndpointDirectionOut, TransferType: gousb.TransferTypeBulk},
				}}}}}}},
	}
	info, ok := printerInterface(descFrom(d), 0)
	if !ok || info.OutEndpoint != 1 || info.Class != ClassPrinter || info.Protocol != 2 || info.VID != 0x0a5f || !slices.Equal(info.Path, []int{2, 3}) {
		t.Errorf("printerInterface(descFrom(…)) = %+v, %v", info, ok)
	}
}
