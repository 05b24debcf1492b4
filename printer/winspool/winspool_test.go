package winspool

import (
	"strings"
	"testing"
	"unsafe"

	"station/printer/raw"
)

func TestLanguageForDriver(t *testing.T) {
	for _, c := range []struct {
		driver string
		want   raw.Language
	}{
		{"ZDesigner ZD421-203dpi ZPL", raw.ZPL},
		{"ZDesigner GK888t (EPL)", raw.ZPL},
		{"Zebra ZT410", raw.ZPL},
		{"TSC TTP-244 Pro", raw.TSPL},
		{"TSC TE244", raw.TSPL},
		{"Xprinter XP-360B", raw.TSPL},
		{"Gprinter GP-1324D", raw.TSPL},
		{"佳博 GP-3120TU", raw.TSPL},
		{"POS-80C", raw.ESCPOS},
		{"EPSON TM-T82 Receipt", raw.ESCPOS},
		{"Microsoft Print To PDF", ""},
		{"HP LaserJet Pro M404", ""},
		{"Generic / Text Only", ""},
		{"DTSCAN 300", ""},            // "tsc" inside a word is not TSC
		{"Zebra-compatible TSPL", ""}, // two makers' words: not clear
		{"", ""},
	} {
		if got := LanguageForDriver(c.driver); got != c.want {
			t.Errorf("LanguageForDriver(%q) = %q, want %q", c.driver, got, c.want)
		}
	}
}

func TestStateOf(t *testing.T) {
	for _, c := range []struct {
		in   Info
		want State
	}{
		{Info{}, StateReady},
		{Info{Status: StatusPaused}, StatePaused},
		{Info{Status: StatusOffline}, StatePaused},
		{Info{Attributes: AttributeWorkOffline}, StatePaused},
		{Info{Status: StatusPaperOut | StatusPaused}, StatePaperOut},
		{Info{Status: StatusDoorOpen}, StateDoorOpen},
		{Info{Status: StatusPaperJam}, StateError},
		{Info{Status: StatusUserIntervention}, StateError},
	} {
		if got, _ := StateOf(c.in); got != c.want {
			t.Errorf("StateOf(%+v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// The job's DOC_INFO_1W: its name in UTF-16 (made safe), no output file, the RAW data type.
func TestDocInfo(t *testing.T) {
	di := newDocInfo("订单 244991089335\r\n\x1b[2J" + strings.Repeat("x", 100))
	name := fromUTF16z(di.DocName)
	if !strings.HasPrefix(name, "订单 244991089335 [2J") || len([]rune(name)) != MaxDocName+1 || !strings.HasSuffix(name, "x…") {
		t.Errorf("document name %q", name)
	}
	if di.OutputFile != nil || fromUTF16z(di.Datatype) != "RAW" {
		t.Errorf("output file %v, data type %q", di.OutputFile, fromUTF16z(di.Datatype))
	}
	if got := fromUTF16z(newDocInfo(" \t ").DocName); got != "station label" {
		t.Errorf("an empty name becomes %q", got)
	}
	if got := fromUTF16z(utf16z("𝄞 ok")); got != "𝄞 ok" {
		t.Errorf("surrogate pair: %q", got)
	}
}

func fromUTF16z(p *uint16) string {
	var u []rune
	for ; *p != 0; p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2)) {
		r := rune(*p)
		if r >= 0xd800 && r < 0xdc00 {
			next := (*uint16)(unsafe.Add(unsafe.Pointer(p), 2))
			r = (r-0xd800)<<10 + (rune(*next) - 0xdc00) + 0x10000
			p = next
		}
		u = append(u, r)
	}
	return string(u)
}

func TestClassifyAndNames(t *testing.T) {
	for errno, want := range map[uint32]Code{ErrorInvalidPrinterName: CodeNoPrinter, ErrorAccessDenied: CodeAccess,
		ErrorServiceUnavailable: CodeNoSpooler, ErrorInvalidDatatype: CodeNoRaw, ErrorNotReady: CodeOffline, 9999: CodeOther} {
		e := Classify("OpenPrinter", "Z", errno)
		if e.Code != want || !strings.Contains(e.Error(), "Windows error") {
			t.Errorf("Classify(%d) = %v (code %d), want %d", errno, e, e.Code, want)
		}
	}
	for name, ok := range map[string]bool{"ZDesigner ZD421": true, `\\server\Zebra`: true, "": false, "a\x01b": false, strings.Repeat("z", 221): false} {
		if err := CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v", name, err)
		}
	}
}
