package printer_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
	"station/printer/usb"
	"station/printer/usb/usbtest"
)

func TestUSBDiscovery(t *testing.T) {
	host := &usbtest.Host{}
	a, b := usbtest.Zebra(1, []int{2, 1}, ""), usbtest.Zebra(1, []int{2, 3}, "")
	// A Zebra whose printer interface is vendor-specific and numbered 1, listed first.
	v := usbtest.NewPrinter(0x0a5f, 0x0100, 2, []int{4}, 1, usb.ClassVendorSpecific)
	v.Serial, v.DeviceID, v.Interface = "ZX1", "MFG:Zebra;CMD:ZPL,EPL;MDL:GK420d;", 1
	tsc := usbtest.NewPrinter(0x1203, 0x0230, 3, []int{1}, 0, 7)
	tsc.Serial, tsc.DeviceID = "T1", "MFG:TSC;CMD:TSPL;MDL:TE244;"
	// Not printers: a keyboard, and a vendor-specific device of an unknown vendor.
	kbd := usbtest.NewPrinter(0x046d, 0xc31c, 1, []int{5}, 0, 3)
	other := usbtest.NewPrinter(0x0483, 0x3748, 1, []int{6}, 0, usb.ClassVendorSpecific)
	for _, p := range []*usbtest.Printer{a, b, v, tsc, kbd, other} {
		host.Plug(p)
	}
	list, err := printer.Opener{USB: host}.ListUSB(printertest.Ctx(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range list {
		got = append(got, p.Spec+" "+string(p.Language)+" "+p.Location())
		if p.Err != nil {
			t.Errorf("%s: %v", p.Spec, p.Err)
		}
	}
	want := []string{
		"usb:0a5f:0164@1.2.1 zpl 1.2.1", // identical printers without serials: told apart by port
		"usb:0a5f:0164@1.2.3 zpl 1.2.3",
		"usb:0a5f:0100:ZX1 zpl 2.4",
		"usb:1203:0230:T1 tspl 3.1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if a.Claimed() || v.Claimed() {
		t.Error("listing left a printer claimed")
	}

	// usb:auto with several printers names them; a spec from the list picks exactly one.
	p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto")
	_, err = p.Status(printertest.Ctx(t, time.Second))
	if printer.KindOf(err) != printer.KindBadSpec || !strings.Contains(err.Error(), "usb:0a5f:0164@1.2.3") {
		t.Errorf("usb:auto among several: %v", err)
	}
	p = printertest.MustOpen(t, printer.Opener{USB: host}, "usb:0a5f:0164")
	if _, err := p.Status(printertest.Ctx(t, time.Second)); printer.KindOf(err) != printer.KindBadSpec {
		t.Errorf("two identical printers: %v", err)
	}
	for _, c := range []struct {
		spec string
		dev  *usbtest.Printer
	}{{"usb:0a5f:0164@1.2.3", b}, {"usb:0a5f:0100:ZX1", v}, {"usb:1203:0230", tsc}} {
		p := printertest.MustOpen(t, printer.Opener{USB: host}, c.spec)
		if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("PICK")); err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		lang := raw.ZPL
		if c.dev == tsc {
			lang = raw.TSPL
		}
		if got := printertest.Scanned(t, lang, c.dev.Received(), 203); !slices.Equal(got, []string{"PICK"}) {
			t.Errorf("%s: printer got %v", c.spec, got)
		}
	}
	if len(a.Received()) != 0 {
		t.Error("the wrong identical printer printed")
	}
}

func TestUSBLanguagePick(t *testing.T) {
	cases := []struct {
		vid      uint16
		deviceID string
		spec     string
		want     raw.Language
		err      string
	}{
		{0x0a5f, "MFG:Zebra;CMD:ZPL;", "usb:auto", raw.ZPL, ""},
		{0x1fc9, "MFG:Xprinter;COMMAND SET:TSPL,ESC/POS;MDL:XP-420B;", "usb:auto", raw.TSPL, ""},
		{0x0483, "MFG:POS58;CMD:ESC/POS;", "usb:auto", raw.ESCPOS, ""},
		{0x0a5f, "", "usb:auto", raw.ZPL, ""},                              // Zebra without a device id
		{0x1203, "MFG:TSC;MDL:TE200;", "usb:auto", raw.TSPL, ""},           // TSC without CMD
		{0x0a5f, "MFG:Zebra;CMD:ZPL;", "usb:auto?lang=tspl", raw.TSPL, ""}, // the spec wins
		{0x0483, "MFG:Unknown;MDL:X;", "usb:auto", "", "does not say which language"},
		{0x0a5f, "MFG:Zebra;CMD:ZPL;", "usb:auto?polarity=1", "", "polarity does not apply to zpl"},
	}
	for _, c := range cases {
		host := &usbtest.Host{}
		dev := usbtest.NewPrinter(c.vid, 1, 1, []int{1}, 0, 7)
		dev.DeviceID = c.deviceID
		host.Plug(dev)
		p := printertest.MustOpen(t, printer.Opener{USB: host}, c.spec)
		err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("L"))
		if c.err != "" {
			if printer.KindOf(err) != printer.KindBadSpec || !strings.Contains(err.Error(), c.err) || len(dev.Received()) != 0 {
				t.Errorf("%q via %s: %v", c.deviceID, c.spec, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", c.deviceID, err)
		}
		if got := printertest.Scanned(t, c.want, dev.Received(), 203); !slices.Equal(got, []string{"L"}) {
			t.Errorf("%q: not printed in %s", c.deviceID, c.want)
		}
	}
}

func TestUSBStatus(t *testing.T) {
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "S")
	host.Plug(dev)
	p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto")
	for _, c := range []struct {
		status byte
		state  printer.State
		words  string
	}{
		{0x18, printer.StateReady, "ready"},
		{0x38, printer.StatePaperOut, "out of paper"},
		{0x08, printer.StatePaused, "off-line"},
		{0x10, printer.StateError, "reports an error"},
	} {
		dev.Lock()
		dev.Status = c.status
		dev.Unlock()
		st, err := p.Status(printertest.Ctx(t, time.Second))
		if err != nil || st.State != c.state || !strings.Contains(st.Message.EN, c.words) || st.Message.ZH == "" {
			t.Errorf("port status %#x: %+v, %v", c.status, st, err)
		}
	}
	// Paper out: the label is not sent (it would wait in the printer's buffer).
	dev.Lock()
	dev.Status = 0x38
	dev.Unlock()
	pe := wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindPaperOut, printer.SentNone)
	if !strings.Contains(pe.Error(), "out of paper") || len(dev.Received()) != 0 {
		t.Errorf("paper out: %q, %d bytes sent", pe, len(dev.Received()))
	}
	if !printer.Retryable(pe) {
		t.Error("paper out is not retryable")
	}
}

func TestUSBStatusHangsOnlyUntilTheControlTimeout(t *testing.T) {
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "S")
	host.Plug(dev)
	p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto")
	dev.Lock()
	dev.StatusHangs = true
	dev.Unlock()
	start := time.Now()
	_, err := p.Status(printertest.Ctx(t, 10*time.Second))
	if printer.KindOf(err) != printer.KindTimeout || time.Since(start) > 4*time.Second {
		t.Errorf("hung status: %v after %v", err, time.Since(start))
	}
}

func TestUSBUnplugMidJob(t *testing.T) {
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "S")
	dev.PerTransferMax = 4096 // partial writes along the way
	host.Plug(dev)
	p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:0a5f:0164:S?lang=escpos")
	if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("A")); err != nil {
		t.Fatal(err)
	}
	first := len(dev.Received())
	dev.Lock()
	dev.UnplugAfter = first + 30000
	dev.Unlock()
	pe := wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("B")), printer.KindNotFound, printer.SentPartial)
	if pe.Bytes != 30000 || !strings.Contains(pe.Error(), "unplugged") {
		t.Errorf("unplugged mid-label: %q (%d bytes)", pe, pe.Bytes)
	}
	// While it is away, nothing starts.
	wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("C")), printer.KindNotFound, printer.SentNone)
	// Back (at another address): the next label goes out on a fresh handle.
	host.Plug(dev)
	if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("D")); err != nil {
		t.Fatal(err)
	}
	all := dev.Received()
	got := printertest.Scanned(t, raw.ESCPOS, append(all[:first:first], all[first+30000:]...), 203)
	if !slices.Equal(got, []string{"A", "D"}) {
		t.Errorf("printer got %v", got)
	}
}

func TestUSBStallTimesOut(t *testing.T) {
	host := &usbtest.Host{}
	dev := usbtest.Zebra(1, []int{1}, "S")
	dev.AcceptLimit = 20000
	host.Plug(dev)
	p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto?lang=escpos&timeout=200ms")
	start := time.Now()
	pe := wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindTimeout, printer.SentPartial)
	if pe.Bytes != 20000 || time.Since(start) > 2*time.Second {
		t.Errorf("stall: %q after %v", pe, time.Since(start))
	}
	// When the printer says why it stopped, the error says so.
	dev.Lock()
	dev.AcceptLimit, dev.Status = 40000, 0x10
	dev.Unlock()
	pe = wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("Y")), printer.KindPrinterError, printer.SentPartial)
	if !strings.Contains(pe.Error(), "reports an error") {
		t.Errorf("message %q", pe)
	}
}

func TestUSBOpenErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		kind printer.Kind
		says string
	}{
		{usb.ErrAccess, printer.KindPermission, "udev"},
		{usb.ErrBusy, printer.KindBusy, "kernel driver"},
		{usb.ErrNotFound, printer.KindNotFound, "WinUSB"},
	} {
		host := &usbtest.Host{OpenErr: c.err}
		host.Plug(usbtest.Zebra(1, []int{1}, "S"))
		p := printertest.MustOpen(t, printer.Opener{USB: host}, "usb:auto")
		pe := wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), c.kind, printer.SentNone)
		if !strings.Contains(pe.Error(), c.says) {
			t.Errorf("%v: message %q", c.err, pe)
		}
		list, err := printer.Opener{USB: host}.ListUSB(printertest.Ctx(t, time.Second))
		if err != nil || len(list) != 1 || list[0].Err == nil {
			t.Errorf("%v: a printer that cannot be opened is still listed with why: %v %v", c.err, list, err)
		}
	}
	empty := printertest.MustOpen(t, printer.Opener{USB: &usbtest.Host{}}, "usb:0a5f:0164")
	pe := wantErr(t, empty.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindNotFound, printer.SentNone)
	if !strings.Contains(pe.Error(), "plugged in") {
		t.Errorf("message %q", pe)
	}
}
