package usb

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"station/say"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ControlTimeout bounds every control request (device id, port status); gousb's default of 0
// would wait forever on a hung printer.
const ControlTimeout = 2 * time.Second

// ChunkSize is how much one bulk transfer carries: small enough that a printer which stops
// taking data is noticed within the stall timeout, large enough to keep USB busy.
const ChunkSize = 16 << 10

// Vendors whose label and receipt printers may expose a vendor-specific (class 0xFF) interface
// instead of the printer class. Only vendor ids known for certain are listed; many Chinese
// printers (Xprinter, Gprinter, …) use their USB chip maker's id but present the standard
// printer class, so they are found by class anyway.
var Vendors = map[uint16]string{
	0x0a5f: "Zebra",
	0x1203: "TSC",
	0x04b8: "Epson",
	0x0519: "Star Micronics",
	0x1d90: "Citizen",
	0x067e: "Intermec (Honeywell)",
	0x154f: "SNBC",
}

// Info describes an attached USB printer.
type Info struct {
	Bus, Address int
	Path         []int // ports from the root hub, e.g. [2 3]
	VID, PID     uint16
	Manufacturer string // from the string descriptors; "" when they could not be read
	Product      string
	Serial       string
	Config       int // configuration value holding the printer interface
	ConfigIndex  int // its zero-based index, as GET_DEVICE_ID wants it
	Interface    int // interface number (bInterfaceNumber)
	Alt          int
	Class        int // ClassPrinter or ClassVendorSpecific
	Protocol     int // printer class: 1 unidirectional, 2 bidirectional, 3 IEEE 1284.4
	OutEndpoint  int
	DeviceID     string // the IEEE 1284 device id, "" if the printer gave none
	Err          error  // why the printer could not be opened or asked (permission, busy)
}

// Location is where the printer is plugged in, BUS.PORT[.PORT…], e.g. "1.2.3".
func (i Info) Location() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(i.Bus))
	for _, p := range i.Path {
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(p))
	}
	return b.String()
}

// Vendor is the maker's name: from the device, else from the known vendor ids.
func (i Info) Vendor() string {
	if i.Manufacturer != "" {
		return i.Manufacturer
	}
	if v, ok := Vendors[i.VID]; ok {
		return v
	}
	return fmt.Sprintf("vendor %04x", i.VID)
}

// Selector names which printer to use; see ParseSelector.
type Selector struct {
	Auto     bool
	VID, PID uint16
	Serial   string
	Bus      int
	Path     []int // with Bus: the printer plugged in there
}

// HasLocation reports whether the selector names a bus/port location.
func (s Selector) HasLocation() bool { return s.Bus > 0 }

// ParseSelector parses "auto", "VID:PID", "VID:PID:SERIAL" and "VID:PID@BUS.PORT[.PORT…]" (the
// serial and the location may both be given: VID:PID:SERIAL@BUS.PORT). VID and PID are
// hexadecimal, with or without 0x.
func ParseSelector(s string) (Selector, error) {
	if strings.EqualFold(s, "auto") {
		return Selector{Auto: true}, nil
	}
	body, loc, hasLoc := strings.Cut(s, "@")
	parts := strings.SplitN(body, ":", 3)
	if len(parts) < 2 {
		return Selector{}, fmt.Errorf("usb:%s: use usb:auto, usb:VID:PID, usb:VID:PID:SERIAL or usb:VID:PID@BUS.PORT (ids in hex, e.g. usb:0a5f:0164)", s)
	}
	var sel Selector
	for i, p := range parts[:2] {
		p = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(p)), "0x")
		n, err := strconv.ParseUint(p, 16, 16)
		if err != nil || p == "" {
			return Selector{}, fmt.Errorf("usb:%s: %q is not a hexadecimal USB id (e.g. 0a5f)", s, parts[i])
		}
		if i == 0 {
			sel.VID = uint16(n)
		} else {
			sel.PID = uint16(n)
		}
	}
	if len(parts) == 3 {
		sel.Serial = parts[2]
		if sel.Serial == "" {
			return Selector{}, fmt.Errorf("usb:%s: the serial number after the second : is empty", s)
		}
	}
	if hasLoc {
		nums := strings.Split(loc, ".")
		if len(nums) < 2 {
			return Selector{}, fmt.Errorf("usb:%s: the location is BUS.PORT[.PORT…], e.g. @1.2.3 (see 'station printers')", s)
		}
		for i, n := range nums {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 || v > 255 || (i == 0 && v == 0) {
				return Selector{}, fmt.Errorf("usb:%s: the location is BUS.PORT[.PORT…] with numbers, e.g. @1.2.3", s)
			}
			if i == 0 {
				sel.Bus = v
			} else {
				sel.Path = append(sel.Path, v)
			}
		}
	}
	return sel, nil
}

func (s Selector) String() string {
	if s.Auto {
		return "auto"
	}
	out := fmt.Sprintf("%04x:%04x", s.VID, s.PID)
	if s.Serial != "" {
		out += ":" + s.Serial
	}
	if s.HasLocation() {
		out += "@" + Info{Bus: s.Bus, Path: s.Path}.Location()
	}
	return out
}

func (s Selector) matchDesc(d *DeviceDesc) bool {
	if s.Auto {
		return true
	}
	if d.Vendor != s.VID || d.Product != s.PID {
		return false
	}
	if s.HasLocation() {
		if d.Bus != s.Bus || !slices.Equal(d.Path, s.Path) {
			return false
		}
	}
	return true
}

// printerInterface finds the interface to print through: the first printer-class interface
// with a bulk OUT endpoint, else (for known label-printer vendors) a vendor-specific one. The
// configuration active on the device is preferred when known (active > 0).
func printerInterface(d *DeviceDesc, active int) (Info, bool) {
	sorted := slices.Sorted(maps.Keys(d.Configs))
	cfgs := slices.Clone(sorted)
	if active > 0 {
		// Try the active configuration first.
		sort.SliceStable(cfgs, func(i, j int) bool { return cfgs[i] == active && cfgs[j] != active })
	}
	info := Info{Bus: d.Bus, Address: d.Address, Path: append([]int(nil), d.Path...),
		VID: d.Vendor, PID: d.Product}
	_, knownVendor := Vendors[info.VID]
	for _, want := range []int{ClassPrinter, ClassVendorSpecific} {
		if want == ClassVendorSpecific && !knownVendor {
			break
		}
		for _, cn := range cfgs {
			cfg := d.Configs[cn]
			for _, intf := range cfg.Interfaces {
				for _, alt := range intf.AltSettings {
					if alt.Class != want {
						continue
					}
					out, ok := bulkOut(alt)
					if !ok {
						continue
					}
					info.Config, info.ConfigIndex = cn, slices.Index(sorted, cn)
					info.Interface, info.Alt = alt.Number, alt.Alternate
					info.Class, info.Protocol, info.OutEndpoint = want, alt.Protocol, out
					return info, true
				}
			}
		}
	}
	return info, false
}

func bulkOut(alt InterfaceSetting) (int, bool) {
	best := -1
	for _, ep := range alt.Endpoints {
		if ep.Out && ep.Bulk {
			if best < 0 || ep.Number < best {
				best = ep.Number
			}
		}
	}
	return best, best >= 0
}

// List finds the attached USB printers and asks each for its strings and device id. A printer
// that cannot be opened or claimed is still listed, with Err saying why.
func List(ctx context.Context, h Host) ([]Info, error) {
	cands := map[*DeviceDesc]Info{}
	var order []*DeviceDesc
	devs, openErr := h.OpenDevices(func(d *DeviceDesc) bool {
		info, ok := printerInterface(d, 0)
		if ok {
			cands[d] = info
			order = append(order, d)
		}
		return ok
	})
	opened := map[*DeviceDesc]bool{}
	for _, dev := range devs {
		d := dev.Desc()
		opened[d] = true
		if ctx.Err() == nil {
			cands[d] = inspect(ctx, dev, cands[d])
		}
		dev.Close()
	}
	if err := ctx.Err(); err != nil {
		return nil, classify("list", err, ctx, nil)
	}
	out := make([]Info, 0, len(order))
	for _, d := range order {
		info := cands[d]
		if !opened[d] {
			info.Err = classify("open", openErrOr(openErr), ctx, nil)
		}
		out = append(out, info)
	}
	sortInfos(out)
	if len(out) == 0 && openErr != nil {
		var e *Error
		if errors.As(openErr, &e) && e.Code == CodeUnavailable {
			return nil, e
		}
	}
	return out, nil
}

func openErrOr(err error) error {
	if err == nil {
		return errors.New("the device could not be opened")
	}
	return err
}

func sortInfos(s []Info) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].Location() < s[j].Location() })
}

// inspect reads what an opened device says about itself: strings and device id. Listing claims
// the interface just as printing does, so that a printer listed without Err can be opened.
func inspect(ctx context.Context, dev Device, info Info) Info {
	info, pipe, err := claimInterface(ctx, dev, info)
	if err != nil {
		info.Err = err
		return info
	}
	pipe.Close()
	return info
}

// readDeviceID asks for the IEEE 1284 device id (GET_DEVICE_ID). The reply starts with its
// length, two bytes big-endian, counting themselves; some printers send it little-endian.
func readDeviceID(dev Device, info Info) (string, error) {
	buf := make([]byte, 1024)
	idx := uint16(info.Interface)<<8 | uint16(info.Alt)
	n, err := dev.Control(RequestTypeClassInterfaceIn, RequestGetDeviceID, uint16(info.ConfigIndex), idx, buf)
	if err != nil {
		return "", classify("device id", err, nil, nil)
	}
	if n < 2 {
		return "", nil
	}
	length := int(buf[0])<<8 | int(buf[1])
	if length > n || length < 2 {
		length = int(buf[1])<<8 | int(buf[0])
	}
	if length > n || length < 2 {
		length = n
	}
	return strings.TrimRight(string(buf[2:length]), "\x00 \r\n"), nil
}

// Printer is an opened and claimed USB printer.
type Printer struct {
	wmu  sync.Mutex // one write at a time; Close waits for it
	mu   sync.Mutex // guards the fields, never held during a transfer
	dev  Device
	pipe Pipe
	info Info
}

// Open finds the printer sel names, opens it, claims its interface (the kernel's usblp driver
// is detached for the time) and reads its device id.
func Open(ctx context.Context, h Host, sel Selector) (*Printer, error) {
	var failed []*DeviceDesc
	cands := map[*DeviceDesc]Info{}
	devs, openErr := h.OpenDevices(func(d *DeviceDesc) bool {
		if !sel.matchDesc(d) {
			return false
		}
		info, ok := printerInterface(d, 0)
		if ok {
			cands[d] = info
			failed = append(failed, d)
		}
		return ok
	})
	var matches []Device
	for _, dev := range devs {
		d := dev.Desc()
		for i, f := range failed {
			if f == d {
				failed = append(failed[:i], failed[i+1:]...)
				break
			}
		}
		if sel.Serial != "" {
			dev.SetControlTimeout(ControlTimeout)
			if s, _ := dev.SerialNumber(); s != sel.Serial {
				dev.Close()
				continue
			}
		}
		matches = append(matches, dev)
	}
	closeAll := func() {
		for _, m := range matches {
			m.Close()
		}
	}
	if err := ctx.Err(); err != nil {
		closeAll()
		return nil, classify("open", err, ctx, nil)
	}
	switch {
	case len(matches) == 0 && len(failed) > 0:
		return nil, classify("open", openErrOr(openErr), ctx, nil)
	case len(matches) == 0:
		what := "no USB label printer is attached"
		if !sel.Auto {
			what = "no attached USB printer matches usb:" + sel.String()
		}
		if openErr != nil {
			if e := classify("open", openErr, ctx, nil); e.Code == CodeUnavailable {
				return nil, e
			}
		}
		return nil, &Error{Code: CodeNotFound, Op: "open", Msg: what + " (is it plugged in and switched on?)"}
	case len(matches) > 1:
		infos := make([]Info, len(matches))
		for i, m := range matches {
			infos[i] = inspectStrings(m, cands[m.Desc()])
		}
		var specs []string
		for _, info := range infos {
			specs = append(specs, SpecFor(info, infos))
		}
		closeAll()
		sort.Strings(specs)
		return nil, &Error{Code: CodeAmbiguous, Op: "open", Msg: fmt.Sprintf("%d USB printers match; choose one: %s", len(specs), strings.Join(specs, ", "))}
	}
	dev := matches[0]
	p, err := claim(ctx, dev, cands[dev.Desc()])
	if err != nil {
		dev.Close()
		return nil, err
	}
	return p, nil
}

func inspectStrings(dev Device, info Info) Info {
	dev.SetControlTimeout(ControlTimeout)
	info.Manufacturer, _ = dev.Manufacturer()
	info.Product, _ = dev.Product()
	info.Serial, _ = dev.SerialNumber()
	return info
}

func claim(ctx context.Context, dev Device, info Info) (*Printer, error) {
	info, pipe, err := claimInterface(ctx, dev, info)
	if err != nil {
		return nil, err
	}
	return &Printer{dev: dev, pipe: pipe, info: info}, nil
}

// claimInterface reads the device's strings, picks the printer interface of its active
// configuration, claims it and reads the device id. The returned Info holds all that was
// learnt, also when the claim fails.
func claimInterface(ctx context.Context, dev Device, info Info) (Info, Pipe, error) {
	info = inspectStrings(dev, info)
	if active, err := dev.ActiveConfig(); err == nil && active != info.Config {
		if again, ok := printerInterface(dev.Desc(), active); ok {
			again.Manufacturer, again.Product, again.Serial = info.Manufacturer, info.Product, info.Serial
			info = again
		}
	}
	// Detach the kernel's usblp driver before claiming, or the claim fails as busy.
	if err := dev.SetAutoDetach(true); err != nil {
		return info, nil, classify("claim", err, ctx, nil)
	}
	pipe, err := dev.Claim(info.Config, info.Interface, info.Alt, info.OutEndpoint)
	if err != nil {
		return info, nil, classify("claim", err, ctx, nil)
	}
	info.DeviceID, _ = readDeviceID(dev, info)
	return info, pipe, nil
}

// SpecFor returns the printer spec that names info's printer, telling it apart from the others:
// by serial number when it has a unique one, else by where it is plugged in.
func SpecFor(info Info, all []Info) string {
	base := fmt.Sprintf("usb:%04x:%04x", info.VID, info.PID)
	same, sameSerial := 0, 0
	for _, o := range all {
		if o.VID == info.VID && o.PID == info.PID {
			same++
			if o.Serial == info.Serial {
				sameSerial++
			}
		}
	}
	if info.Serial != "" && sameSerial <= 1 && !strings.ContainsAny(info.Serial, "@?&") {
		return base + ":" + info.Serial
	}
	if same <= 1 && all != nil {
		return base
	}
	return base + "@" + info.Location()
}

// Info returns what the printer said about itself when it was opened.
func (p *Printer) Info() Info {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.info
}

// Write sends data in chunks. Every chunk must be taken within stall, and ctx bounds the
// whole. It returns how many bytes the printer took, also when it fails.
func (p *Printer) Write(ctx context.Context, data []byte, stall time.Duration) (int, error) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.mu.Lock()
	pipe := p.pipe
	p.mu.Unlock()
	if pipe == nil {
		return 0, &Error{Code: CodeGone, Op: "write", Msg: "the printer is closed"}
	}
	sent, idle := 0, 0
	for sent < len(data) {
		if err := ctx.Err(); err != nil {
			return sent, classify("write", err, ctx, nil)
		}
		chunk := data[sent:min(sent+ChunkSize, len(data))]
		wctx, cancel := context.WithTimeout(ctx, stall)
		n, err := pipe.WriteContext(wctx, chunk)
		cancel()
		if n < 0 {
			n = 0
		}
		sent += min(n, len(chunk))
		if err != nil {
			return sent, classify("write", err, ctx, wctx)
		}
		if n == 0 {
			// A transfer that completes with nothing taken: give the printer a few more tries
			// before calling it stalled, rather than spinning.
			if idle++; idle >= 3 {
				return sent, &Error{Code: CodeTimeout, Op: "write", Msg: "the printer stopped taking data"}
			}
			continue
		}
		idle = 0
	}
	return sent, nil
}

// PortStatus reads the printer class port status (GET_PORT_STATUS).
func (p *Printer) PortStatus() (PortStatus, error) {
	p.mu.Lock()
	dev := p.dev
	info := p.info
	p.mu.Unlock()
	if dev == nil {
		return 0, &Error{Code: CodeGone, Op: "status", Msg: "the printer is closed"}
	}
	buf := make([]byte, 1)
	n, err := dev.Control(RequestTypeClassInterfaceIn, RequestGetPortStatus, 0, uint16(info.Interface), buf)
	if err != nil {
		return 0, classify("status", err, nil, nil)
	}
	if n < 1 {
		return 0, &Error{Code: CodeStall, Op: "status", Msg: "the printer gave no port status"}
	}
	return PortStatus(buf[0]), nil
}

// Close releases the interface (the kernel driver comes back) and the device.
func (p *Printer) Close() error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	if p.pipe != nil {
		err = p.pipe.Close()
		p.pipe = nil
	}
	if p.dev != nil {
		if cerr := p.dev.Close(); err == nil {
			err = cerr
		}
		p.dev = nil
	}
	return err
}

// PortStatus is the printer class status byte.
type PortStatus byte

func (s PortStatus) PaperEmpty() bool { return s&0x20 != 0 }
func (s PortStatus) Selected() bool   { return s&0x10 != 0 }
func (s PortStatus) Fault() bool      { return s&0x08 == 0 } // the "not error" bit is active low

// Words says the status in plain English and Chinese.
func (s PortStatus) Words() say.Text {
	var ens, zhs []string
	if s.PaperEmpty() {
		ens, zhs = append(ens, "out of paper"), append(zhs, "缺纸")
	}
	if !s.Selected() {
		ens, zhs = append(ens, "off-line (paused)"), append(zhs, "离线（暂停）")
	}
	if s.Fault() {
		ens, zhs = append(ens, "reports an error (e.g. head open or jam)"), append(zhs, "报告错误（如打印头打开或卡纸）")
	}
	if len(ens) == 0 {
		return say.T("就绪", "ready")
	}
	return say.T(strings.Join(zhs, "，"), strings.Join(ens, ", "))
}

func (s PortStatus) String() string {
	return fmt.Sprintf("%s (port status 0x%02x)", s.Words().EN, byte(s))
}
