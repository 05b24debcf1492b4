package winspool

import (
	"context"
	"errors"
	"slices"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// System is the spooler of this Windows.
var System Spooler = spooler{}

var (
	winspoolDrv           = windows.NewLazySystemDLL("winspool.drv")
	procOpenPrinterW      = winspoolDrv.NewProc("OpenPrinterW")
	procClosePrinter      = winspoolDrv.NewProc("ClosePrinter")
	procStartDocPrinterW  = winspoolDrv.NewProc("StartDocPrinterW")
	procEndDocPrinter     = winspoolDrv.NewProc("EndDocPrinter")
	procAbortPrinter      = winspoolDrv.NewProc("AbortPrinter")
	procStartPagePrinter  = winspoolDrv.NewProc("StartPagePrinter")
	procEndPagePrinter    = winspoolDrv.NewProc("EndPagePrinter")
	procWritePrinter      = winspoolDrv.NewProc("WritePrinter")
	procEnumPrintersW     = winspoolDrv.NewProc("EnumPrintersW")
	procGetPrinterW       = winspoolDrv.NewProc("GetPrinterW")
	procGetDefaultPrinter = winspoolDrv.NewProc("GetDefaultPrinterW")
)

// printerInfo2 is PRINTER_INFO_2W.
type printerInfo2 struct {
	ServerName, PrinterName, ShareName, PortName, DriverName, Comment, Location *uint16
	DevMode                                                                     uintptr
	SepFile, PrintProcessor, Datatype, Parameters                               *uint16
	SecurityDescriptor                                                          uintptr
	Attributes, Priority, DefaultPriority, StartTime, UntilTime                 uint32
	Status, Jobs, AveragePPM                                                    uint32
}

const (
	printerEnumLocal       = 0x2
	printerEnumConnections = 0x4
	errorInsufficientBuf   = 122
)

type spooler struct{}

func errnoOf(err error) uint32 {
	var en syscall.Errno
	if errors.As(err, &en) {
		return uint32(en)
	}
	return 0
}

func fail(op, printer string, err error) *Error {
	e := Classify(op, printer, errnoOf(err))
	e.Err = err
	return e
}

func (spooler) Printers(ctx context.Context) ([]Info, error) {
	if err := procEnumPrintersW.Find(); err != nil {
		return nil, &Error{Op: "EnumPrinters", Code: CodeNoSpooler, Msg: "winspool.drv is missing", Err: err}
	}
	var needed, returned uint32
	flags := uintptr(printerEnumLocal | printerEnumConnections)
	// The first call asks for the size; it fails with "insufficient buffer" when there are
	// printers, succeeds when there are none, and fails otherwise when the spooler cannot answer.
	if r, _, err := procEnumPrintersW.Call(flags, 0, 2, 0, 0, uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&returned))); r == 0 && errnoOf(err) != errorInsufficientBuf {
		return nil, fail("EnumPrinters", "", err)
	}
	if needed == 0 {
		return nil, nil
	}
	buf := make([]byte, needed)
	r, _, err := procEnumPrintersW.Call(flags, 0, 2, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed),
		uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&returned)))
	if r == 0 {
		return nil, fail("EnumPrinters", "", err)
	}
	infos := unsafe.Slice((*printerInfo2)(unsafe.Pointer(&buf[0])), returned)
	def := defaultPrinter()
	out := make([]Info, 0, returned)
	for i := range infos {
		in := infoFrom(&infos[i])
		in.Default = in.Name == def
		out = append(out, in)
	}
	return SortDefaultFirst(out), nil
}

func infoFrom(p *printerInfo2) Info {
	return Info{Name: windows.UTF16PtrToString(p.PrinterName), Driver: windows.UTF16PtrToString(p.DriverName),
		Port: windows.UTF16PtrToString(p.PortName), Status: p.Status, Attributes: p.Attributes, Jobs: p.Jobs}
}

func defaultPrinter() string {
	var n uint32
	procGetDefaultPrinter.Call(0, uintptr(unsafe.Pointer(&n)))
	if n == 0 {
		return ""
	}
	buf := make([]uint16, n)
	if r, _, _ := procGetDefaultPrinter.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n))); r == 0 {
		return ""
	}
	return windows.UTF16ToString(buf)
}

func open(name string) (uintptr, error) {
	if err := procOpenPrinterW.Find(); err != nil {
		return 0, &Error{Op: "OpenPrinter", Printer: name, Code: CodeNoSpooler, Msg: "winspool.drv is missing", Err: err}
	}
	var h uintptr
	r, _, err := procOpenPrinterW.Call(uintptr(unsafe.Pointer(utf16z(name))), uintptr(unsafe.Pointer(&h)), 0)
	if r == 0 {
		return 0, fail("OpenPrinter", name, err)
	}
	return h, nil
}

func (spooler) Printer(ctx context.Context, name string) (Info, error) {
	h, err := open(name)
	if err != nil {
		return Info{}, err
	}
	defer procClosePrinter.Call(h)
	var needed uint32
	if _, _, err := procGetPrinterW.Call(h, 2, 0, 0, uintptr(unsafe.Pointer(&needed))); needed == 0 {
		return Info{}, fail("GetPrinter", name, err)
	}
	buf := make([]byte, needed)
	r, _, err := procGetPrinterW.Call(h, 2, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed), uintptr(unsafe.Pointer(&needed)))
	if r == 0 {
		return Info{}, fail("GetPrinter", name, err)
	}
	return infoFrom((*printerInfo2)(unsafe.Pointer(&buf[0]))), nil
}

// chunk is how much one WritePrinter call takes, so that a cancel is seen between calls.
const chunk = 64 << 10

func (spooler) PrintRaw(ctx context.Context, name, doc string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return &Error{Op: "OpenPrinter", Printer: name, Code: CodeCanceled, Msg: "canceled before printing", Err: err}
	}
	h, err := open(name)
	if err != nil {
		return err
	}
	defer procClosePrinter.Call(h)
	di := newDocInfo(doc)
	job, _, err := procStartDocPrinterW.Call(h, 1, uintptr(unsafe.Pointer(di)))
	if job == 0 {
		return fail("StartDocPrinter", name, err)
	}
	// From here on the job is in the spooler: a failure may still print it.
	started := func(op string, err error, written int) *Error {
		e := fail(op, name, err)
		e.Started, e.Written = true, written
		return e
	}
	abort := func(op string, err error) error {
		// Nothing reached the job yet: deleting it means nothing prints, and the label may be
		// sent again. If the spooler will not delete it, it counts as started.
		if r, _, _ := procAbortPrinter.Call(h); r != 0 {
			return fail(op, name, err)
		}
		return started(op, err, 0)
	}
	if r, _, err := procStartPagePrinter.Call(h); r == 0 {
		return abort("StartPagePrinter", err)
	}
	written := 0
	for part := range slices.Chunk(data, chunk) {
		if err := ctx.Err(); err != nil {
			if written == 0 {
				return abort("WritePrinter", err)
			}
			e := started("WritePrinter", err, written)
			e.Code, e.Msg = CodeCanceled, "canceled in the middle of the label"
			return e
		}
		var n uint32
		r, _, err := procWritePrinter.Call(h, uintptr(unsafe.Pointer(&part[0])), uintptr(len(part)), uintptr(unsafe.Pointer(&n)))
		written += int(n)
		if r == 0 || int(n) != len(part) {
			if written == 0 {
				return abort("WritePrinter", err)
			}
			return started("WritePrinter", err, written)
		}
	}
	if r, _, err := procEndPagePrinter.Call(h); r == 0 {
		return started("EndPagePrinter", err, written)
	}
	if r, _, err := procEndDocPrinter.Call(h); r == 0 {
		return started("EndDocPrinter", err, written)
	}
	return nil
}
