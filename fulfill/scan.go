package fulfill

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"

	"station/internal/ascii"
	"station/jos"
	"station/journal"
	"station/printdata"
	"station/render"
	"station/ship"
)

// Mode is what a scan does with an order.
type Mode int

const (
	ModePrint     Mode = iota // 打印: print the label
	ModePrintShip             // 打印并发货: print the label, then ship (outstorage)
	ModeShipOnly              // 仅发货: ship without printing
)

func (m Mode) String() string {
	switch m {
	case ModePrint:
		return "print"
	case ModePrintShip:
		return "print+ship"
	case ModeShipOnly:
		return "ship"
	}
	return fmt.Sprintf("mode(%d)", int(m))
}

// ScanOptions are a scan session's settings.
type ScanOptions struct {
	Mode     Mode
	Packages int // parcels per order: that many labels ("n of N") and package_num; 0 → 1
	// Logistics is the carrier of SOP orders (a third-party carrier or a self-delivery one).
	// "" → the station's SOP default, and when there is none, the carrier is detected from the
	// waybill scanned next. LBP and SOPL orders use the station's defaults ("0").
	Logistics string
	Reprint   bool // print orders again that the journal shows printed (never ships twice)
	// OnPrinterAway hears why a label is held while the printer is away (it goes out by
	// itself when the printer is back); may be nil.
	OnPrinterAway func(error)
}

// ScanStatus is how a scan ended.
type ScanStatus int

const (
	ScanPrinted        ScanStatus = iota + 1 // the label printed (mode print, or a reprint)
	ScanShipped                              // shipped (mode ship, or printed earlier)
	ScanPrintedShipped                       // printed and shipped
	ScanNeedWaybill                          // SOP with a third-party carrier: scan the waybill next
	ScanAlreadyDone                          // the journal shows it done: nothing was done
	ScanRejected                             // bad input (a scanner typo, the wrong barcode): nothing was done
	ScanFailed                               // a step failed; Err says which (explain.Scan: and what to do)
)

var scanStatusNames = map[ScanStatus]string{ScanPrinted: "printed", ScanShipped: "shipped",
	ScanPrintedShipped: "printed+shipped", ScanNeedWaybill: "need-waybill", ScanAlreadyDone: "already-done",
	ScanRejected: "rejected", ScanFailed: "failed"}

func (s ScanStatus) String() string {
	if n, ok := scanStatusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("scan-status(%d)", int(s))
}

// OK reports whether the scan did what it was meant to (or asks for the next scan).
func (s ScanStatus) OK() bool {
	return s == ScanPrinted || s == ScanShipped || s == ScanPrintedShipped || s == ScanNeedWaybill
}

// ScanResult is what one scanned line did.
type ScanResult struct {
	Status             ScanStatus
	Input              string // the line after cleaning
	OrderID            string
	Type               printdata.OrderType
	SortingCode        string // LBP/SOPL: for the packer's sorting shelf
	DistributionCenter string
	Label              *render.Label // the printed label (the first one), for the preview; nil when none
	Pages              int           // labels printed by this scan
	Carrier            *ship.Carrier // the carrier shipped with (or awaited), when known
	Waybill            string        // the waybill shipped with
	Ship               *ship.Result  // the outstorage's result, when one was attempted
	PrintedAt          time.Time     // from the journal (AlreadyDone) or now
	ShippedAt          time.Time
	Candidates         []ship.Carrier // ScanRejected with ScanCarrierAmbiguous: the carriers to choose from
	Err                error
	// Note says more about how the scan went, for explain.Scan to put into words.
	Note       ScanNote
	PrintedNow bool // this scan printed the label
	Mode       Mode // the mode the scan ran in
	At         time.Time
}

// ScanNote is a detail of a scan's outcome beyond its status.
type ScanNote int

const (
	NoteNone             ScanNote = iota
	NoteReprinted                 // printed again on request; never shipped again
	NoteReprintedShipped          // printed again; it was shipped earlier (ShippedAt) and was not shipped again
	NoteAlreadyDone               // the journal had it done (PrintedAt, ShippedAt): nothing was done now
	NoteShippedAtJD               // JD already had it shipped: it was not shipped again
	NoteWaitingWaybill            // waiting for the parcel's waybill scan (Carrier, when chosen)
)

func (r *ScanResult) fromWaybill(w *printdata.Waybill) {
	r.Type, r.SortingCode, r.DistributionCenter = w.Type, w.SortingCode, w.DistributionCenter
}

// ScanKind is what a cleaned scan looks like.
type ScanKind int

const (
	ScanKindEmpty   ScanKind = iota // nothing left after cleaning
	ScanKindNumber                  // digits only, up to 20: an order id (or a numeric waybill)
	ScanKindWaybill                 // letters and digits shaped like a waybill (SF…, JD…, …)
	ScanKindGarbage                 // anything else
)

func (k ScanKind) String() string {
	return [...]string{"empty", "number", "waybill", "garbage"}[k]
}

// aimID is an AIM symbology identifier some scanners put before the data: ']', a letter
// naming the symbology, a modifier character (]C0 Code 128, ]E0 EAN-13, ]Q1 QR, ]d2 Data Matrix).
var aimID = regexp.MustCompile(`^\][A-Za-z][0-9A-Za-z]`)

// NormalizeScan cleans one scanned line of scanner noise and says what it looks like: spaces,
// control characters (STX/ETX, tab, CR/LF, GS) and invisible format characters anywhere;
// full-width digits and letters typed through a Chinese input method; an AIM symbology
// identifier (]C0) at the start; Code 39's '*' start and stop characters; lower case.
func NormalizeScan(line string) (string, ScanKind) {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r >= 'Ａ' && r <= 'Ｚ':
			return r - 'Ａ' + 'A'
		case r >= 'ａ' && r <= 'ｚ':
			return r - 'ａ' + 'a'
		case r == '－':
			return '-'
		case unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, line)
	s = aimID.ReplaceAllString(s, "")
	if len(s) >= 2 && s[0] == '*' && s[len(s)-1] == '*' {
		s = s[1 : len(s)-1]
	}
	s = strings.ToUpper(s)
	switch {
	case s == "":
		return s, ScanKindEmpty
	case ascii.Digits(s):
		if len(s) <= 20 {
			return s, ScanKindNumber
		}
		return s, ScanKindGarbage
	case ship.LooksLikeWaybill(s) && strings.IndexFunc(s, unicode.IsLetter) >= 0:
		return s, ScanKindWaybill
	}
	return s, ScanKindGarbage
}

// Scanner is the scan state machine of one scan field (the window's scan tab) or one stdin
// session (station scan): an order id is printed and shipped as the options say; a SOP order
// with a third-party carrier then waits for its waybill, which the next line is. Submit calls
// are handled one at a time; Awaiting, Cancel and SetOptions may be called from another
// goroutine meanwhile.
type Scanner struct {
	st   *Station
	busy sync.Mutex // one Submit at a time

	mu       sync.Mutex
	opts     ScanOptions
	awaiting *awaited
}

// awaited is a SOP order waiting for its waybill scan.
type awaited struct {
	res      ScanResult // the order's result so far (label, type, sorting code)
	packages int
	printed  bool // printed by this scan session (for the final status)
}

// NewScanner starts a scan session.
func (s *Station) NewScanner(opts ScanOptions) *Scanner {
	return &Scanner{st: s, opts: opts}
}

// SetOptions changes the session's options; they apply from the next Submit. A carrier chosen
// while an order waits for its waybill applies to that order too.
func (sc *Scanner) SetOptions(opts ScanOptions) {
	sc.mu.Lock()
	sc.opts = opts
	sc.mu.Unlock()
}

// Options returns the session's options.
func (sc *Scanner) Options() ScanOptions {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.opts
}

// Awaiting returns the SOP order waiting for its waybill scan.
func (sc *Scanner) Awaiting() (orderID string, ok bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.awaiting == nil {
		return "", false
	}
	return sc.awaiting.res.OrderID, true
}

// Cancel drops the awaited order: it stays printed and not shipped (the journal says so), and
// scanning it again asks for its waybill again without reprinting.
func (sc *Scanner) Cancel() {
	sc.mu.Lock()
	sc.awaiting = nil
	sc.mu.Unlock()
}

func (sc *Scanner) setAwaiting(a *awaited) {
	sc.mu.Lock()
	sc.awaiting = a
	sc.mu.Unlock()
}

// Submit handles one scanned line: an order id, or the waybill of the order that waits for it.
func (sc *Scanner) Submit(ctx context.Context, line string) ScanResult {
	sc.busy.Lock()
	defer sc.busy.Unlock()
	sc.mu.Lock()
	opts, aw := sc.opts, sc.awaiting
	sc.mu.Unlock()
	text, kind := NormalizeScan(line)
	var r ScanResult
	if aw != nil {
		r = sc.waybillScan(ctx, opts, aw, text, kind, "")
	} else {
		r = sc.orderScan(ctx, opts, text, kind)
	}
	return sc.finish(r, text)
}

// SubmitWaybill ships the awaited order with the given carrier and waybill: for the window,
// once the packer has chosen among several carriers a waybill could belong to.
func (sc *Scanner) SubmitWaybill(ctx context.Context, logisticsID, waybill string) ScanResult {
	sc.busy.Lock()
	defer sc.busy.Unlock()
	sc.mu.Lock()
	opts, aw := sc.opts, sc.awaiting
	sc.mu.Unlock()
	text, kind := NormalizeScan(waybill)
	if aw == nil {
		return sc.finish(ScanResult{Status: ScanRejected, Err: &ScanError{Problem: ScanGarbage, Input: text,
			Err: errors.New("no order is waiting for a waybill")}}, text)
	}
	return sc.finish(sc.waybillScan(ctx, opts, aw, text, kind, strings.TrimSpace(logisticsID)), text)
}

func (sc *Scanner) finish(r ScanResult, text string) ScanResult {
	r.Input, r.At, r.Mode = text, time.Now(), sc.Options().Mode
	return r
}

func rejected(r ScanResult, err error) ScanResult {
	r.Status, r.Err = ScanRejected, err
	return r
}

func failed(r ScanResult, err error) ScanResult {
	r.Status, r.Err = ScanFailed, err
	return r
}

func (sc *Scanner) orderScan(ctx context.Context, opts ScanOptions, text string, kind ScanKind) ScanResult {
	st := sc.st
	switch kind {
	case ScanKindEmpty:
		return rejected(ScanResult{}, &ScanError{Problem: ScanEmpty})
	case ScanKindGarbage:
		return rejected(ScanResult{}, &ScanError{Problem: ScanGarbage, Input: text})
	case ScanKindWaybill:
		cands, _ := st.carriers.Detect(ctx, text)
		return rejected(ScanResult{}, &ScanError{Problem: ScanWaybillFirst, Input: text, Candidates: cands})
	}
	id := text
	r := ScanResult{OrderID: id}
	status, err := st.status(ctx, id)
	if err != nil {
		return failed(r, err)
	}
	r.Type = status.entry.Type
	r.PrintedAt, r.ShippedAt = status.entry.PrintedAt, status.entry.ShippedAt

	if status.shipping {
		// An earlier outstorage's outcome is unknown: settle it before anything else.
		res, err := st.shipper.Reconcile(ctx, id)
		switch {
		case res.State == journal.StateShipped:
			status.shipped, status.shipping = true, false
			if e, ok, _ := st.journal.Get(ctx, id); ok {
				r.ShippedAt = e.ShippedAt
			}
		case errors.Is(err, ship.ErrNeedsReconcile), errors.Is(err, ship.ErrInProgress), errors.Is(err, printdata.ErrNotShippable):
			return failed(r, err)
		}
	}
	if status.shipped {
		if opts.Reprint && opts.Mode != ModeShipOnly {
			return sc.printOnly(ctx, r, opts, true)
		}
		r.Status, r.Note, r.PrintedAt = ScanAlreadyDone, NoteAlreadyDone, status.entry.PrintedAt
		return r
	}
	switch opts.Mode {
	case ModePrint:
		if status.printed && !opts.Reprint {
			r.Status, r.Note, r.PrintedAt, r.ShippedAt = ScanAlreadyDone, NoteAlreadyDone, status.entry.PrintedAt, time.Time{}
			return r
		}
		if status.unknown != nil && !opts.Reprint {
			return failed(r, status.unknown)
		}
		return sc.printOnly(ctx, r, opts, false)

	case ModePrintShip:
		printedNow := false
		if !status.printed || opts.Reprint {
			if status.unknown != nil && !opts.Reprint {
				return failed(r, status.unknown)
			}
			var err error
			if r, err = sc.print(ctx, r, opts); err != nil {
				return failed(r, err)
			}
			printedNow = true
		}
		return sc.shipStep(ctx, opts, r, printedNow)

	default: // ModeShipOnly
		if r.Type == "" {
			t, err := st.orderType(ctx, id)
			if err != nil {
				return failed(r, err)
			}
			r.Type = t
		}
		return sc.shipStep(ctx, opts, r, false)
	}
}

// printOnly prints (or reprints) the order's label and ships nothing.
func (sc *Scanner) printOnly(ctx context.Context, r ScanResult, opts ScanOptions, wasShipped bool) ScanResult {
	r, err := sc.print(ctx, r, opts)
	if err != nil {
		return failed(r, err)
	}
	r.Status, r.PrintedNow = ScanPrinted, true
	if wasShipped {
		r.Note = NoteReprintedShipped
	}
	r.PrintedAt = time.Now()
	return r
}

// print fetches the print data, lays the labels out and prints them.
func (sc *Scanner) print(ctx context.Context, r ScanResult, opts ScanOptions) (ScanResult, error) {
	st := sc.st
	q := st.printerQueue()
	if q == nil {
		return r, ErrNoPrinter
	}
	return st.printOrder(ctx, q, r, max(opts.Packages, 1), opts.OnPrinterAway)
}

// scanLogistics is the carrier a scanned order ships with: SOP the session's carrier or the
// station's SOP default ("" = detect from the waybill); LBP and SOPL the station's defaults.
func (sc *Scanner) scanLogistics(opts ScanOptions, t printdata.OrderType) string {
	if t == printdata.SOP && strings.TrimSpace(opts.Logistics) != "" {
		return strings.TrimSpace(opts.Logistics)
	}
	return sc.st.Defaults()[t]
}

// shipStep ships the order, or asks for its waybill first.
func (sc *Scanner) shipStep(ctx context.Context, opts ScanOptions, r ScanResult, printedNow bool) ScanResult {
	st := sc.st
	logistics := sc.scanLogistics(opts, r.Type)
	needWaybill := logistics == ""
	if logistics != "" && logistics != ship.DeliverToJD {
		c, err := st.carriers.ByID(ctx, logistics)
		switch {
		case err == nil:
			r.Carrier = &c
			needWaybill = !c.SelfDelivery()
		case errors.Is(err, ship.ErrCarrierNotFound):
			// Ship's validation says it in full.
		default:
			return sc.afterPrint(r, printedNow, err)
		}
	}
	if needWaybill {
		sc.setAwaiting(&awaited{res: r, packages: opts.Packages, printed: printedNow})
		r.Status, r.Note, r.PrintedNow = ScanNeedWaybill, NoteWaitingWaybill, printedNow
		return r
	}
	sh := ship.Shipment{OrderID: r.OrderID, Type: r.Type, Carriers: []journal.CarrierWaybills{{LogisticsID: logistics}}, Packages: opts.Packages}
	// Once a label is out the shipment goes through: a stop (Ctrl+C) waits for its outcome.
	res, err := st.shipper.Ship(context.WithoutCancel(ctx), sh)
	return sc.shipped(r, sh, res, err, printedNow)
}

// afterPrint reports a failure after the label may have printed (PrintedNow says so).
func (sc *Scanner) afterPrint(r ScanResult, printedNow bool, err error) ScanResult {
	r = failed(r, err)
	r.PrintedNow = printedNow
	return r
}

// shipped turns an outstorage's outcome into the scan's result.
func (sc *Scanner) shipped(r ScanResult, sh ship.Shipment, res ship.Result, err error, printedNow bool) ScanResult {
	r.Ship = &res
	if len(sh.Carriers) > 0 && len(sh.Carriers[0].Waybills) > 0 {
		r.Waybill = sh.Carriers[0].Waybills[0]
	}
	if err != nil {
		return sc.afterPrint(r, printedNow, err)
	}
	r.ShippedAt = time.Now()
	if e, ok, _ := sc.st.journal.Get(context.Background(), r.OrderID); ok && !e.ShippedAt.IsZero() {
		r.ShippedAt = e.ShippedAt
	}
	if r.Carrier == nil && sh.Carriers[0].LogisticsID != ship.DeliverToJD {
		r.Carrier = &ship.Carrier{ID: sh.Carriers[0].LogisticsID}
	}
	r.PrintedNow = printedNow
	switch {
	case res.AlreadyShipped:
		r.Note = NoteShippedAtJD
		if printedNow {
			r.Status = ScanPrinted
		} else {
			r.Status = ScanAlreadyDone
		}
	case printedNow:
		r.Status = ScanPrintedShipped
	default:
		r.Status = ScanShipped
	}
	return r
}

// waybillScan takes the line as the awaited order's waybill. Bad input leaves the order
// waiting; a shipment that went to JD (whatever its outcome) ends the wait.
func (sc *Scanner) waybillScan(ctx context.Context, opts ScanOptions, aw *awaited, text string, kind ScanKind, chosen string) ScanResult {
	st := sc.st
	r := aw.res
	r.Label = nil // shown when the order was scanned
	switch {
	case kind == ScanKindEmpty:
		return rejected(r, &ScanError{Problem: ScanEmpty, Awaited: r.OrderID})
	case kind == ScanKindGarbage:
		return rejected(r, &ScanError{Problem: ScanGarbage, Input: text, Awaited: r.OrderID})
	case kind == ScanKindNumber && text == r.OrderID:
		return rejected(r, &ScanError{Problem: ScanSameOrder, Input: text, Awaited: r.OrderID})
	}
	// The carrier as the options say now: one chosen while the order waited applies to it.
	logistics := chosen
	if logistics == "" {
		logistics = sc.scanLogistics(opts, r.Type)
	}
	if logistics == ship.DeliverToJD {
		logistics = ""
	}
	// Numeric waybills and JD order ids overlap (a 12-digit id starting with 2 is shaped like a
	// ZTO waybill): a number that is an order is not taken as a waybill.
	var unchecked error
	if kind == ScanKindNumber {
		isOrder, err := sc.isOrder(ctx, text)
		if err == nil && isOrder {
			return rejected(r, &ScanError{Problem: ScanOrderNotWaybill, Input: text, Awaited: r.OrderID})
		}
		unchecked = err
	}
	var carrier ship.Carrier
	if logistics != "" {
		c, err := st.carriers.ByID(ctx, logistics)
		if err != nil {
			if errors.Is(err, ship.ErrCarrierNotFound) {
				return rejected(r, &ship.InvalidShipmentError{Kind: ship.InvalidUnknownCarrier, OrderID: r.OrderID, LogisticsID: logistics,
					Msg: fmt.Sprintf("carrier %s is not in this shop's carrier list: choose another", logistics)})
			}
			return failed(r, err)
		}
		if err := c.CheckWaybill(text); err != nil {
			return rejected(r, &ScanError{Problem: ScanWaybillShape, Input: text, Awaited: r.OrderID, Carrier: c})
		}
		carrier = c
	} else {
		cands, err := st.carriers.Detect(ctx, text)
		switch {
		case errors.Is(err, ship.ErrCarrierNotDetected):
			return rejected(r, &ScanError{Problem: ScanCarrierUnknown, Input: text, Awaited: r.OrderID})
		case err != nil:
			return failed(r, err)
		case len(cands) > 1:
			r.Candidates = cands
			return rejected(r, &ScanError{Problem: ScanCarrierAmbiguous, Input: text, Awaited: r.OrderID, Candidates: cands})
		}
		carrier = cands[0]
	}
	if unchecked != nil {
		return rejected(r, &ScanError{Problem: ScanUnchecked, Input: text, Awaited: r.OrderID, Err: unchecked})
	}
	r.Carrier = &carrier
	sh := ship.Shipment{OrderID: r.OrderID, Type: r.Type, Packages: aw.packages,
		Carriers: []journal.CarrierWaybills{{LogisticsID: carrier.ID, Waybills: []string{text}}}}
	// Once a label is out the shipment goes through: a stop (Ctrl+C) waits for its outcome.
	res, err := st.shipper.Ship(context.WithoutCancel(ctx), sh)
	if errors.Is(err, ship.ErrInvalidShipment) && !res.Sent {
		return rejected(r, err) // nothing sent: the order keeps waiting for a good waybill
	}
	sc.setAwaiting(nil)
	return sc.shipped(r, sh, res, err, aw.printed)
}

// isOrder tells whether a number is an order id: one the journal knows, or one JD has.
func (sc *Scanner) isOrder(ctx context.Context, n string) (bool, error) {
	if _, ok, err := sc.st.journal.Get(ctx, n); err != nil || ok {
		return ok, err
	}
	_, err := sc.st.Order(ctx, n)
	switch {
	case err == nil:
		return true, nil
	case jos.KindOf(err) == jos.KindNotFound, errors.Is(err, printdata.ErrBadOrderID):
		return false, nil
	}
	return false, err
}
