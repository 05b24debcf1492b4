// Package spec reads and writes printer specs, the one string that names a printer and its
// options everywhere (settings, -printer, STATION_PRINTER): SCHEME:TARGET?OPTIONS, such as
// usb:auto?lang=tspl&dpi=203 or tcp:192.168.1.50.
package spec

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"station/internal/geom"
	"station/printer/raw"
	"station/printer/usb"
	"station/printer/winspool"
)

// Spec is a parsed printer spec: SCHEME:TARGET?OPTIONS.
type Spec struct {
	Raw     string
	Scheme  string // pdf, usb, tcp, file, cups, win
	Target  string // DIR, auto or VID:PID[:SERIAL][@BUS.PORTS], HOST[:PORT], PATH, QUEUE
	Options raw.Options
	given   map[string]bool // options named in the spec
}

// Given reports whether the spec set option name explicitly.
func (s Spec) Given(name string) bool { return s.given[name] }

var optionNames = []string{"lang", "dpi", "size", "darkness", "speed", "copies", "polarity",
	"offset", "gap", "direction", "compress", "cut", "feed", "timeout"}

// Parse parses and checks a printer spec. The forms are
//
//	pdf:DIR                       PDF files written to DIR
//	usb:auto                      the only USB label printer attached
//	usb:VID:PID[:SERIAL]          a USB printer by hex vendor and product id (and serial number)
//	usb:VID:PID@BUS.PORT[.PORT…]  … or by where it is plugged in, e.g. usb:0a5f:0164@1.2.3
//	                              (bus 1, root-hub port 2, hub port 3), for identical printers
//	                              without serial numbers
//	tcp:HOST[:PORT]               a network printer's raw port (default 9100)
//	file:PATH                     a device node such as /dev/usb/lp0, or a file to inspect
//	cups:QUEUE                    a CUPS queue, through "lp -d QUEUE -o raw"
//	win:PRINTER NAME              a Windows printer, as a RAW job through the spooler
//
// followed by options: ?lang=zpl|tspl|escpos&dpi=203|300|600&size=WxH (mm)&darkness=N&speed=N
// &copies=N&polarity=0|1&offset=X,Y (mm)&gap=MM&direction=0|1&compress=z64|acs
// &cut=none|partial|full&feed=N&timeout=DURATION.
func Parse(text string) (Spec, error) {
	return parseSpec(text)
}

// Format writes a spec in the form Parse reads: scheme:target, then the options (in
// the order given, empty values left out) after a "?".
func Format(scheme, target string, options ...[2]string) string {
	spec := scheme + ":" + strings.TrimSpace(target)
	var opts []string
	for _, o := range options {
		if o[1] != "" {
			// Commas stay readable (offset=1.5,-2); Parse takes them either way.
			opts = append(opts, o[0]+"="+strings.ReplaceAll(url.QueryEscape(o[1]), "%2C", ","))
		}
	}
	if len(opts) == 0 {
		return spec
	}
	return spec + "?" + strings.Join(opts, "&")
}

func parseSpec(text string) (Spec, error) {
	s := Spec{Raw: text, Options: raw.DefaultOptions(), given: map[string]bool{}}
	body, query, hasQuery := strings.Cut(strings.TrimSpace(text), "?")
	scheme, target, ok := strings.Cut(body, ":")
	if !ok || scheme == "" {
		return s, badSpec(text, "a printer spec looks like usb:auto, tcp:192.168.1.50, file:/dev/usb/lp0, cups:QUEUE, win:PRINTER NAME or pdf:DIR")
	}
	s.Scheme, s.Target = strings.ToLower(scheme), target
	if s.Target == "" {
		return s, badSpec(text, "%s: what to print to is missing after %q", s.Scheme, s.Scheme+":")
	}
	switch s.Scheme {
	case "pdf", "file":
	case "usb":
		if _, err := usb.ParseSelector(s.Target); err != nil {
			return s, badSpec(text, "%v", err)
		}
	case "tcp":
		if _, err := TCPAddress(s.Target); err != nil {
			return s, badSpec(text, "%v", err)
		}
	case "cups":
		if err := checkQueueName(s.Target); err != nil {
			return s, badSpec(text, "%v", err)
		}
	case "win":
		if err := winspool.CheckName(s.Target); err != nil {
			return s, badSpec(text, "%v", err)
		}
	default:
		return s, badSpec(text, "unknown printer type %q: use usb, tcp, file, cups, win or pdf", scheme)
	}
	if !hasQuery || query == "" {
		return s, nil
	}
	if s.Scheme == "pdf" {
		return s, badSpec(text, "pdf printers take no options (got %q)", query)
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return s, badSpec(text, "options %q: %v", query, err)
	}
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	o := &s.Options
	for _, name := range names {
		vs := values[name]
		if len(vs) > 1 {
			return s, badSpec(text, "option %s is given %d times", name, len(vs))
		}
		v := strings.TrimSpace(vs[0])
		if err := setOption(o, name, v); err != nil {
			return s, badSpec(text, "option %s=%s: %v", name, v, err)
		}
		s.given[name] = true
	}
	if s.Options.Lang != raw.LangAuto {
		if err := s.Check(s.Options.Lang); err != nil {
			return s, err
		}
	}
	return s, nil
}

// setOption sets the spec option name to v.
func setOption(o *raw.Options, name, v string) error {
	var err error
	switch name {
	case "lang":
		switch l := raw.Language(strings.ToLower(v)); l {
		case raw.ZPL, raw.TSPL, raw.ESCPOS:
			o.Lang = l
		case "esc/pos", "esc-pos":
			o.Lang = raw.ESCPOS
		default:
			return fmt.Errorf("use zpl, tspl or escpos")
		}
	case "dpi":
		o.DPI, err = strconv.Atoi(v)
		if err != nil || (o.DPI != 203 && o.DPI != 300 && o.DPI != 600) {
			return fmt.Errorf("use 203, 300 or 600 (the printer's resolution in dots per inch)")
		}
	case "size":
		o.WidthMM, o.HeightMM, err = parseSizeMM(v)
	case "darkness":
		o.Darkness, err = strconv.Atoi(v)
		if err != nil || o.Darkness < 0 || o.Darkness > 30 {
			return fmt.Errorf("use a whole number: 0-30 for ZPL, 0-15 for TSPL")
		}
	case "speed":
		o.Speed, err = strconv.Atoi(v)
		if err != nil || o.Speed < 1 || o.Speed > 15 {
			return fmt.Errorf("use a whole number of inches per second, 1-14 for ZPL, 1-15 for TSPL")
		}
	case "copies":
		o.Copies, err = strconv.Atoi(v)
		if err != nil || o.Copies < 1 || o.Copies > 100 {
			return fmt.Errorf("use a whole number from 1 to 100")
		}
	case "polarity":
		switch v {
		case "0":
			o.Polarity = raw.ZeroIsBlack
		case "1":
			o.Polarity = raw.OneIsBlack
		default:
			return fmt.Errorf("use 0 (bit 0 prints black, TSC) or 1 (bit 1 prints black)")
		}
	case "offset":
		xs, ys, ok := strings.Cut(v, ",")
		x, errx := strconv.ParseFloat(strings.TrimSpace(xs), 64)
		y, erry := strconv.ParseFloat(strings.TrimSpace(ys), 64)
		if !ok || errx != nil || erry != nil || !geom.OffsetOK(x) || !geom.OffsetOK(y) {
			return fmt.Errorf("use X,Y in millimetres, each between -%g and %g, e.g. offset=1.5,-2", geom.MaxOffset, geom.MaxOffset)
		}
		o.OffsetXMM, o.OffsetYMM = x, y
	case "gap":
		o.GapMM, err = strconv.ParseFloat(v, 64)
		if err != nil || !finite(o.GapMM) || o.GapMM < 0 || o.GapMM > 30 {
			return fmt.Errorf("use the gap between labels in millimetres (0-30; 0 = continuous media)")
		}
	case "direction":
		switch v {
		case "0":
			o.Direction = 0
		case "1":
			o.Direction = 1
		default:
			return fmt.Errorf("use 0 or 1")
		}
	case "compress":
		switch c := raw.Compression(strings.ToLower(v)); c {
		case raw.Z64, raw.ACS:
			o.Compression = c
		default:
			return fmt.Errorf("use z64 or acs")
		}
	case "cut":
		switch c := raw.Cut(strings.ToLower(v)); c {
		case raw.CutNone, raw.CutPartial, raw.CutFull:
			o.Cut = c
		default:
			return fmt.Errorf("use none, partial or full")
		}
	case "feed":
		o.FeedLines, err = strconv.Atoi(v)
		if err != nil || o.FeedLines < 0 || o.FeedLines > 255 {
			return fmt.Errorf("use a number of lines, 0-255")
		}
	case "timeout":
		o.Timeout, err = time.ParseDuration(v)
		if err != nil || o.Timeout < 100*time.Millisecond || o.Timeout > 10*time.Minute {
			return fmt.Errorf("use a duration between 100ms and 10m, e.g. 15s")
		}
	default:
		return fmt.Errorf("unknown option; the options are %s", strings.Join(optionNames, ", "))
	}
	return err
}

// Check refuses options that do not apply to lang (for a spec whose language is found out from
// the printer).
func (s Spec) Check(lang raw.Language) error {
	o := s.Options
	only := func(name string, langs ...raw.Language) error {
		if !s.given[name] {
			return nil
		}
		for _, l := range langs {
			if l == lang {
				return nil
			}
		}
		return badSpec(s.Raw, "option %s does not apply to %s printers", name, lang)
	}
	for _, c := range []error{
		only("darkness", raw.ZPL, raw.TSPL), only("speed", raw.ZPL, raw.TSPL), only("polarity", raw.TSPL),
		only("gap", raw.ZPL, raw.TSPL), only("direction", raw.TSPL), only("compress", raw.ZPL),
		only("cut", raw.ESCPOS), only("feed", raw.ESCPOS),
	} {
		if c != nil {
			return c
		}
	}
	if lang == raw.TSPL && o.Darkness > 15 {
		return badSpec(s.Raw, "darkness %d is out of range for TSPL printers (0-15)", o.Darkness)
	}
	if lang == raw.ZPL && o.Speed > 14 {
		return badSpec(s.Raw, "speed %d is out of range for ZPL printers (1-14)", o.Speed)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func parseSizeMM(v string) (w, h float64, err error) {
	v = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "mm")
	ws, hs, ok := strings.Cut(v, "x")
	if !ok {
		ws, hs, ok = strings.Cut(v, "*")
	}
	w, errw := strconv.ParseFloat(strings.TrimSpace(ws), 64)
	h, errh := strconv.ParseFloat(strings.TrimSpace(hs), 64)
	if !ok || errw != nil || errh != nil || !(w >= 10 && w <= 300) || !(h >= 10 && h <= 2000) {
		return 0, 0, fmt.Errorf("use WIDTHxHEIGHT in millimetres, e.g. 100x150 (width 10-300, height 10-2000)")
	}
	return w, h, nil
}

// tcpAddress turns HOST or HOST:PORT (IPv6 in brackets when a port is given) into a dial address.
// TCPAddress is the host:port of a tcp: target (port 9100 when none is given).
func TCPAddress(target string) (string, error) {
	host, port := target, "9100"
	if h, p, err := net.SplitHostPort(target); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(target, "[") && strings.HasSuffix(target, "]") {
		host = target[1 : len(target)-1]
	} else if strings.Count(target, ":") == 1 {
		return "", fmt.Errorf("tcp:%s: the port must be a number", target)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("tcp:%s: the port must be a number from 1 to 65535", target)
	}
	if host == "" || strings.ContainsAny(host, " /?#@") {
		return "", fmt.Errorf("tcp:%s: give the printer's host name or IP address", target)
	}
	if strings.ContainsAny(host, "[]") || (strings.Contains(host, ":") && net.ParseIP(host) == nil) {
		return "", fmt.Errorf("tcp:%s: an IPv6 address goes in brackets, e.g. tcp:[::1]:9100", target)
	}
	return net.JoinHostPort(host, port), nil
}

func checkQueueName(q string) error {
	if q == "" || strings.HasPrefix(q, "-") || len(q) > 127 {
		return fmt.Errorf("cups:%s: not a CUPS queue name", q)
	}
	for _, r := range q {
		if r <= ' ' || r == 0x7f || r == '/' || r == '#' || r == '\\' || r == '\'' || r == '"' {
			return fmt.Errorf("cups:%s: a CUPS queue name has no spaces, quotes, slashes or #", q)
		}
	}
	return nil
}

// Error is a spec that cannot be read, with what is wrong in plain words.
type Error struct {
	Spec string
	Msg  string
}

func (e *Error) Error() string { return "printer spec " + strconv.Quote(e.Spec) + ": " + e.Msg }

func badSpec(spec, format string, a ...any) error {
	return &Error{Spec: spec, Msg: fmt.Sprintf(format, a...)}
}
