package usb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseSelector(t *testing.T) {
	good := map[string]Selector{
		"auto":             {Auto: true},
		"AUTO":             {Auto: true},
		"0a5f:0164":        {VID: 0x0a5f, PID: 0x0164},
		"0x0A5F:0X0164":    {VID: 0x0a5f, PID: 0x0164},
		"1203:0230:ABC:1":  {VID: 0x1203, PID: 0x0230, Serial: "ABC:1"},
		"0a5f:0164@1.2.3":  {VID: 0x0a5f, PID: 0x0164, Bus: 1, Path: []int{2, 3}},
		"0a5f:0164:S9@2.1": {VID: 0x0a5f, PID: 0x0164, Serial: "S9", Bus: 2, Path: []int{1}},
	}
	for in, want := range good {
		got, err := ParseSelector(in)
		if err != nil || got.Auto != want.Auto || got.VID != want.VID || got.PID != want.PID || got.Serial != want.Serial || got.Bus != want.Bus || !slices.Equal(got.Path, want.Path) {
			t.Errorf("ParseSelector(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if !want.Auto {
			back, err := ParseSelector(got.String())
			if err != nil || back.String() != got.String() {
				t.Errorf("%q: String() %q does not parse back", in, got.String())
			}
		}
	}
	for _, in := range []string{"", "zebra", "0a5f", "0a5f:", "g:1", "10000:1", "0a5f:0164:", "0a5f:0164@", "0a5f:0164@1", "0a5f:0164@0.1", "0a5f:0164@1.x", "0a5f:0164@1.300"} {
		if _, err := ParseSelector(in); err == nil {
			t.Errorf("ParseSelector(%q) accepted", in)
		}
	}
}

func TestClassify(t *testing.T) {
	ctx := context.Background()
	expired, cancel := context.WithTimeout(ctx, 0)
	defer cancel()
	canceled, cancel2 := context.WithCancel(ctx)
	cancel2()
	for _, c := range []struct {
		err       error
		ctx, opCt context.Context
		code      Code
		says      string
	}{
		{ErrAccess, nil, nil, CodeAccess, "udev"},
		// gousb wraps claim failures with %v: the libusb code is read from the text.
		{fmt.Errorf("failed to claim interface 0 on vid=0a5f: %v", ErrBusy), nil, nil, CodeBusy, "kernel driver"},
		{fmt.Errorf("Can't detach kernel driver: %v", ErrAccess), nil, nil, CodeAccess, "permission"},
		{ErrNoDevice, nil, nil, CodeGone, "unplugged"},
		{TransferNoDevice, nil, nil, CodeGone, "unplugged"},
		{ErrNotFound, nil, nil, CodeNotFound, "Zadig"},
		{ErrNotSupported, nil, nil, CodeUnavailable, "WinUSB"},
		{ErrTimeout, nil, nil, CodeTimeout, "in time"},
		{TransferStall, nil, nil, CodeStall, "stalled"},
		{ErrIO, nil, nil, CodeIO, "input/output"},
		{TransferCancelled, ctx, expired, CodeTimeout, "stopped taking data"},
		{TransferCancelled, canceled, canceled, CodeCanceled, "canceled"},
		{errors.New("weird"), nil, nil, CodeOther, "USB error"},
	} {
		e := classify("write", c.err, c.ctx, c.opCt)
		if e.Code != c.code || !strings.Contains(e.Error(), c.says) {
			t.Errorf("classify(%v) = %v (code %d), want code %d saying %q", c.err, e, e.Code, c.code, c.says)
		}
	}
}

// replyDevice answers GET_DEVICE_ID with a fixed reply.
type replyDevice struct {
	Device
	reply []byte
}

func (d replyDevice) Control(rType, req uint8, val, idx uint16, data []byte) (int, error) {
	return copy(data, d.reply), nil
}

func TestReadDeviceID(t *testing.T) {
	id := "MFG:TSC;CMD:TSPL;MDL:TE244;"
	n := len(id) + 2
	for name, reply := range map[string][]byte{
		"big-endian":     append([]byte{byte(n >> 8), byte(n)}, id...),
		"little-endian":  append([]byte{byte(n), byte(n >> 8)}, id...),
		"length too big": append([]byte{0x7f, 0xff}, id...),
		"nul padded":     append(append([]byte{0, byte(n + 3)}, id...), 0, 0, 0),
	} {
		got, err := readDeviceID(replyDevice{reply: reply}, Info{})
		if err != nil || got != id {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
}

func TestPortStatusWords(t *testing.T) {
	for _, c := range []struct {
		s      PortStatus
		en, zh string
	}{
		{0x18, "ready", "就绪"},
		{0x38, "out of paper", "缺纸"},
		{0x08, "off-line (paused)", "离线（暂停）"},
		{0x30, "out of paper, reports an error (e.g. head open or jam)", "缺纸，报告错误（如打印头打开或卡纸）"},
	} {
		w := c.s.Words()
		en, zh := w.EN, w.ZH
		if en != c.en || zh != c.zh {
			t.Errorf("%#x: %q / %q", byte(c.s), en, zh)
		}
	}
}

func TestSpecFor(t *testing.T) {
	a := Info{VID: 0x0a5f, PID: 0x0164, Bus: 1, Path: []int{2}, Serial: "X1"}
	b := Info{VID: 0x0a5f, PID: 0x0164, Bus: 1, Path: []int{3}, Serial: "X1"} // clones share a serial
	c := Info{VID: 0x1203, PID: 0x0230, Bus: 2, Path: []int{1}}
	all := []Info{a, b, c}
	for _, tc := range []struct {
		info Info
		want string
	}{{a, "usb:0a5f:0164@1.2"}, {b, "usb:0a5f:0164@1.3"}, {c, "usb:1203:0230"}} {
		if got := SpecFor(tc.info, all); got != tc.want {
			t.Errorf("SpecFor(%v) = %q, want %q", tc.info.Location(), got, tc.want)
		}
	}
	if got := SpecFor(Info{VID: 1, PID: 2, Serial: "S"}, nil); got != "usb:0001:0002:S" {
		t.Errorf("unique serial: %q", got)
	}
}
