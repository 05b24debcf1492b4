package spec_test

import (
	"strings"
	"testing"
	"time"

	"station/printer"
	"station/printer/raw"
	"station/printer/spec"
)

func TestParseSpec(t *testing.T) {
	good := []struct {
		spec   string
		scheme string
		check  func(raw.Options) bool
	}{
		{"pdf:/tmp/labels", "pdf", nil},
		{"usb:auto", "usb", nil},
		{"usb:0a5f:0164", "usb", nil},
		{"usb:0x0A5F:0x0164:XXZ123", "usb", nil},
		{"usb:1203:0230@1.2.3?lang=tspl&polarity=1", "usb", func(o raw.Options) bool { return o.Lang == raw.TSPL && o.Polarity == raw.OneIsBlack }},
		{"tcp:192.168.1.50", "tcp", nil},
		{"tcp:printer.local:6101?lang=zpl&dpi=300&darkness=20&speed=4&copies=2", "tcp", func(o raw.Options) bool {
			return o.DPI == 300 && o.Darkness == 20 && o.Speed == 4 && o.Copies == 2
		}},
		{"tcp:[::1]:9100", "tcp", nil},
		{"file:/dev/usb/lp0?lang=escpos&cut=full&feed=6", "file", func(o raw.Options) bool { return o.Cut == raw.CutFull && o.FeedLines == 6 }},
		{"file:/tmp/l.zpl?lang=zpl&size=100x180&offset=1.5,-2&compress=acs&timeout=3s", "file", func(o raw.Options) bool {
			return o.WidthMM == 100 && o.HeightMM == 180 && o.OffsetXMM == 1.5 && o.OffsetYMM == -2 && o.Compression == raw.ACS && o.Timeout == 3*time.Second
		}},
		{"cups:Zebra_ZD421?lang=zpl&gap=0", "cups", func(o raw.Options) bool { return o.GapMM == 0 }},
		{"win:ZDesigner ZD421-203dpi ZPL", "win", nil},
		{"win:TSC TTP-244 Pro?lang=tspl&size=100x150", "win", func(o raw.Options) bool { return o.Lang == raw.TSPL && o.WidthMM == 100 }},
		{`win:\\server\Zebra 1`, "win", nil},
	}
	// A Windows printer's name keeps its spaces and backslashes: it is the target as typed.
	if s, _ := spec.Parse(`win:\\server\Zebra 1?lang=zpl`); s.Target != `\\server\Zebra 1` {
		t.Errorf("win: target %q", s.Target)
	}
	for _, c := range good {
		s, err := spec.Parse(c.spec)
		if err != nil {
			t.Errorf("ParseSpec(%q): %v", c.spec, err)
			continue
		}
		if s.Scheme != c.scheme || (c.check != nil && !c.check(s.Options)) {
			t.Errorf("ParseSpec(%q) = %+v", c.spec, s)
		}
	}
	d := raw.DefaultOptions()
	if d.DPI != 203 || d.Darkness != raw.NoDarkness || d.Copies != 1 || d.Compression != raw.Z64 || d.Polarity != raw.ZeroIsBlack {
		t.Errorf("defaults %+v", d)
	}

	bad := []struct{ spec, says string }{
		{"", "looks like"},
		{"usb", "looks like"},
		{"lpt:1", "unknown printer type"},
		{"usb:", "missing"},
		{"usb:zebra", "usb:auto"},
		{"usb:0a5f:xyz", "hexadecimal"},
		{"usb:0a5f:0164@1", "BUS.PORT"},
		{"usb:0a5f:0164@1.x", "BUS.PORT"},
		{"tcp:host:port", "port must be a number"},
		{"tcp:host:70000", "1 to 65535"},
		{"tcp:[::1", "in brackets"},
		{"tcp:fe80::zz", "in brackets"},
		{"cups:-oops", "not a CUPS queue"},
		{"cups:my queue", "no spaces"},
		{"win: ", "missing"},
		{"win:?lang=zpl", "missing"},
		{"win:Zebra\x01", "control characters"},
		{"pdf:/tmp?lang=zpl", "no options"},
		{"usb:auto?lang=epl", "zpl, tspl or escpos"},
		{"usb:auto?dpi=200", "203, 300 or 600"},
		{"usb:auto?size=100", "WIDTHxHEIGHT"},
		{"usb:auto?size=100x150x2", "WIDTHxHEIGHT"},
		{"usb:auto?darkness=31", "0-30"},
		{"usb:auto?speed=0", "inches per second"},
		{"usb:auto?copies=0", "1 to 100"},
		{"usb:auto?polarity=2", "bit 0 prints black"},
		{"usb:auto?offset=1", "X,Y"},
		{"usb:auto?offset=NaN,1", "X,Y"},
		{"usb:auto?timeout=0s", "duration"},
		{"usb:auto?colour=red", "unknown option"},
		{"usb:auto?lang=zpl&lang=tspl", "given 2 times"},
		{"usb:auto?lang=zpl&polarity=1", "polarity does not apply to zpl"},
		{"usb:auto?lang=escpos&darkness=5", "darkness does not apply to escpos"},
		{"usb:auto?lang=tspl&darkness=20", "out of range for TSPL"},
		{"usb:auto?lang=tspl&cut=full", "cut does not apply"},
		{"usb:auto?lang=zpl&speed=15", "out of range for ZPL"},
	}
	for _, c := range bad {
		_, err := spec.Parse(c.spec)
		if err == nil {
			t.Errorf("ParseSpec(%q) accepted", c.spec)
			continue
		}
		if printer.KindOf(err) != printer.KindBadSpec || !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseSpec(%q) = %v (kind %v), want a bad-spec error saying %q", c.spec, err, printer.KindOf(err), c.says)
		}
	}
}

func TestLanguageFromDeviceID(t *testing.T) {
	cases := map[string]raw.Language{
		"MFG:Zebra Technologies;CMD:ZPL;MDL:ZD421;":        raw.ZPL,
		"MANUFACTURER:Zebra;COMMAND SET:EPL,ZPL;MODEL:GK;": raw.ZPL,
		"MFG:TSC;CMD:TSPL2;MDL:TE244;":                     raw.TSPL,
		"MFG:Xprinter;CMD:TSPL,ESC/POS;MDL:XP-420B;":       raw.TSPL,
		"MFG:EPSON;CMD:ESC/POS;MDL:TM-T20;":                raw.ESCPOS,
		"MFG:EPSON;CMD:ESCPL2,ESC/P;MDL:L3150;":            raw.LangAuto,
		"MFG:Zebra;CMD:EPL2;MDL:LP2844;":                   raw.LangAuto,
		"":                                                 raw.LangAuto,
	}
	for id, want := range cases {
		if got := printer.LanguageFromDeviceID(id); got != want {
			t.Errorf("LanguageFromDeviceID(%q) = %q, want %q", id, got, want)
		}
	}
	if got := printer.DeviceIDField("MANUFACTURER:Zebra;MDL:ZD421;", "MFG", "MANUFACTURER"); got != "Zebra" {
		t.Errorf("DeviceIDField = %q", got)
	}
}
