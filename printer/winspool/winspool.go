// Package winspool prints to Windows printers through the Windows print spooler: it lists the
// installed printers (default first) with their drivers, tells a label printer's language from
// its driver's name, reads a printer's state, and hands a label to a printer as a RAW job, in
// the printer's own language, untouched by the driver. The calls into winspool.drv are made on
// Windows only (golang.org/x/sys/windows, no cgo); what decides anything (the language rules,
// the job's DOC_INFO, the state and error words) is plain Go that tests run anywhere, and
// package spooltest is a fake spooler behind the same interface.
package winspool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"station/printer/raw"
	"station/say"
)

// Spooler is the part of the Windows spooler the station uses.
type Spooler interface {
	// Printers lists the installed printers, the default first.
	Printers(ctx context.Context) ([]Info, error)
	// Printer describes one printer by its name, with its current state (Default is not set:
	// it is asked before every label, and only the list needs it).
	Printer(ctx context.Context, name string) (Info, error)
	// PrintRaw hands data to the printer as one RAW job named doc. A failure is an *Error
	// whose Started says whether the job had reached the spooler.
	PrintRaw(ctx context.Context, printer, doc string, data []byte) error
}

// Info is an installed printer as the spooler describes it (PRINTER_INFO_2).
type Info struct {
	Name       string
	Driver     string
	Port       string
	Default    bool
	Status     uint32 // PRINTER_STATUS_* bits
	Attributes uint32 // PRINTER_ATTRIBUTE_* bits
	Jobs       uint32 // jobs waiting in its queue
}

// Language is the printer language the driver's name says, "" when it does not say clearly.
// Label-printer makers ship one driver family per language: Zebra's ZDesigner drivers take ZPL,
// TSC's, Xprinter's and Gprinter's label drivers TSPL; receipt-printer drivers ESC/POS.
func (i Info) Language() raw.Language { return LanguageForDriver(i.Driver) }

var driverRules = []struct {
	lang  raw.Language
	words []string
}{
	{raw.ZPL, []string{"zdesigner", "zebra", "zpl"}},
	{raw.TSPL, []string{" tsc ", " tsc-", "tspl", "xprinter", "gprinter", "佳博", "芯烨"}},
	{raw.ESCPOS, []string{"esc/pos", "escpos", "pos-58", "pos-80", "pos58", "pos80", "epson tm-"}},
}

// LanguageForDriver reads a printer language from a driver name, "" when unclear: a printer is
// then set up with lang= (its maker's manual says which), never guessed, because the wrong
// language prints pages of text instead of a label.
func LanguageForDriver(driver string) raw.Language {
	d := " " + strings.ToLower(strings.TrimSpace(driver)) + " "
	found := raw.LangAuto
	for _, r := range driverRules {
		for _, w := range r.words {
			if strings.Contains(d, w) {
				if found != raw.LangAuto && found != r.lang {
					return raw.LangAuto // two makers' words: not clear
				}
				found = r.lang
			}
		}
	}
	return found
}

// PRINTER_STATUS_* and PRINTER_ATTRIBUTE_* bits of PRINTER_INFO_2 (wingdi/winspool.h).
const (
	StatusPaused           = 0x00000001
	StatusError            = 0x00000002
	StatusPendingDeletion  = 0x00000004
	StatusPaperJam         = 0x00000008
	StatusPaperOut         = 0x00000010
	StatusPaperProblem     = 0x00000040
	StatusOffline          = 0x00000080
	StatusNotAvailable     = 0x00001000
	StatusUserIntervention = 0x00100000
	StatusDoorOpen         = 0x00400000

	AttributeWorkOffline = 0x00000400
)

// Windows error codes the spooler answers with.
const (
	ErrorFileNotFound       = 2
	ErrorAccessDenied       = 5
	ErrorInvalidHandle      = 6
	ErrorNotEnoughMemory    = 8
	ErrorNotReady           = 21
	ErrorPrintQueueFull     = 61
	ErrorPrintCancelled     = 63
	ErrorInvalidPrinterName = 1801
	ErrorInvalidDatatype    = 1804
	ErrorServiceUnavailable = 1722 // RPC_S_SERVER_UNAVAILABLE: the spooler service is not running
	ErrorPrinterDeleted     = 1905
	ErrorSpoolerNotRunning  = 1906 // ERROR_INVALID_PRINTER_STATE
	ErrorPrinterNotFound    = 3012
)

// Code says what sort of spooler failure an error is.
type Code int

const (
	CodeOther       Code = iota
	CodeNoPrinter        // no installed printer has that name
	CodeAccess           // this Windows user may not print there
	CodeOffline          // the printer is paused, off-line or in an error state
	CodeNoSpooler        // the print spooler service is not running
	CodeNoRaw            // the printer's print processor does not take RAW jobs
	CodeUnsupported      // not Windows
	CodeCanceled         // the caller gave up
)

// Error is a failed spooler call, in plain words, with what it means for the label.
type Error struct {
	Op      string // OpenPrinter, StartDocPrinter, WritePrinter, EndDocPrinter, EnumPrinters, …
	Printer string
	Errno   uint32 // the Windows error code, 0 when there is none
	Code    Code
	Msg     string
	// Started: the job had been created in the spooler (StartDocPrinter succeeded) when the
	// failure came, so the label may print; Written is how many bytes the spooler took.
	Started bool
	Written int
	Err     error
}

func (e *Error) Error() string {
	s := e.Msg
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Errno != 0 {
		s += fmt.Sprintf(" (Windows error %d)", e.Errno)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// CodeOf returns the code of a spooler error, CodeOther for anything else.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeOther
}

// Classify turns a Windows error code from op into an *Error with its meaning.
func Classify(op, printer string, errno uint32) *Error {
	e := &Error{Op: op, Printer: printer, Errno: errno}
	switch errno {
	case ErrorInvalidPrinterName, ErrorPrinterNotFound, ErrorFileNotFound, ErrorPrinterDeleted:
		e.Code, e.Msg = CodeNoPrinter, fmt.Sprintf("Windows has no printer named %q: check the name in Settings → Printers and printers (station printers lists them)", printer)
	case ErrorAccessDenied:
		e.Code, e.Msg = CodeAccess, fmt.Sprintf("Windows does not let this user print to %q: ask whoever looks after the PC to give this user the right to print there", printer)
	case ErrorNotReady, ErrorSpoolerNotRunning:
		e.Code, e.Msg = CodeOffline, fmt.Sprintf("the printer %q is not ready (off-line or in an error state)", printer)
	case ErrorServiceUnavailable:
		e.Code, e.Msg = CodeNoSpooler, "the Windows print spooler service is not running: start the \"Print Spooler\" service (services.msc) and try again"
	case ErrorInvalidDatatype:
		e.Code, e.Msg = CodeNoRaw, fmt.Sprintf("the printer %q does not take RAW jobs: in its printer properties (Advanced) choose the WinPrint print processor with the RAW data type", printer)
	case ErrorPrintCancelled:
		e.Code, e.Msg = CodeCanceled, "the job was deleted from the print queue"
	case ErrorPrintQueueFull:
		e.Code, e.Msg = CodeOffline, fmt.Sprintf("the print queue of %q is full", printer)
	default:
		e.Code, e.Msg = CodeOther, "the print spooler refused"
	}
	return e
}

// State is what a printer's status bits mean for printing labels now.
type State int

const (
	StateReady    State = iota // nothing says it cannot print
	StatePaused                // paused, off-line, or being deleted: jobs wait in the queue
	StatePaperOut              // out of paper (labels)
	StateDoorOpen              // a door or cover is open
	StateError                 // jammed, or some other error that needs a person
)

// StateOf reads a printer's status bits and attributes.
func StateOf(i Info) (State, string) {
	s := i.Status
	switch {
	case s&StatusPaperOut != 0:
		return StatePaperOut, "paper out"
	case s&StatusDoorOpen != 0:
		return StateDoorOpen, "door open"
	case s&StatusPaperJam != 0:
		return StateError, "paper jam"
	case s&(StatusError|StatusPaperProblem|StatusUserIntervention) != 0:
		return StateError, "error"
	case s&StatusPaused != 0:
		return StatePaused, "paused"
	case s&(StatusOffline|StatusNotAvailable) != 0 || i.Attributes&AttributeWorkOffline != 0:
		return StatePaused, "offline"
	case s&StatusPendingDeletion != 0:
		return StatePaused, "being deleted"
	}
	return StateReady, "ready"
}

// MaxDocName bounds a job's name: the spooler shows it in the queue, and a hostile order id
// must not fill it.
const MaxDocName = 64

// DocName makes a job name safe for the queue: one line, no control characters, at most
// MaxDocName characters (and an ellipsis).
func DocName(name string) string {
	if s := strings.TrimSpace(say.Short(name, MaxDocName)); s != "" {
		return s
	}
	return "station label"
}

// CheckName says what is wrong with a printer name, nil when it can be one.
func CheckName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("the Windows printer's name is missing, e.g. win:ZDesigner ZD421-203dpi ZPL")
	case len([]rune(name)) > 220:
		return errors.New("a Windows printer's name has at most 220 characters")
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0:
		return errors.New("the Windows printer's name has control characters")
	}
	return nil
}

// SortDefaultFirst orders printers as the station offers them: the default, then by name.
func SortDefaultFirst(list []Info) []Info {
	slices.SortStableFunc(list, func(a, b Info) int {
		if a.Default != b.Default {
			if a.Default {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return list
}
