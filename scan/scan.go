// Package scan is the scan line: what a packer's scanner types, one line at a time, becomes a
// print, a shipment, a wait for the parcel's waybill or a refusal that does nothing, on a
// fulfill.Station. The window's scan tab and station scan share it.
package scan

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"

	"station/fulfill"
	"station/internal/ascii"
	"station/jdorder"
	"station/jos"
	"station/journal"
	"station/printdata"
	"station/products"
	"station/render"
	"station/say"
	"station/ship"
	"station/verify"
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

// Options are a scan session's settings.
type Options struct {
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

	// Verify checks every item into the parcel before the order prints or ships (verify.go)
	// against Catalog; with an empty Catalog order scans fail with ErrNoProducts.
	Verify    bool
	Catalog   *products.Catalog
	Tolerance verify.Tolerance // a part at zero → verify.DefaultTolerance's
	Scale     Weigher          // nil: no weighing
	WeighWait time.Duration    // how long a weighing waits for a stable reading; 0 → DefaultWeighWait
}

// Status is how a scan ended.
type Status int

const (
	Printed        Status = iota + 1 // the label printed (mode print, or a reprint)
	Shipped                          // shipped (mode ship, or printed earlier)
	PrintedShipped                   // printed and shipped
	NeedWaybill                      // SOP with a third-party carrier: scan the waybill next
	AlreadyDone                      // the journal shows it done: nothing was done
	Rejected                         // bad input (a scanner typo, the wrong barcode): nothing was done
	Failed                           // a step failed; Err says which (explain.Scan: and what to do)
	Verifying                        // under verification: scan the next item (Pack)
	Held                             // under verification, waiting for the packer's decision (Note says on what)
	Aside                            // verification ended by setting the order aside: an exception
)

var scanStatusNames = map[Status]string{Printed: "printed", Shipped: "shipped",
	PrintedShipped: "printed+shipped", NeedWaybill: "need-waybill", AlreadyDone: "already-done",
	Rejected: "rejected", Failed: "failed", Verifying: "verifying", Held: "held", Aside: "aside"}

func (s Status) String() string {
	if n, ok := scanStatusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("scan-status(%d)", int(s))
}

// OK reports whether the scan did what it was meant to (or asks for the next scan).
func (s Status) OK() bool {
	return s == Printed || s == Shipped || s == PrintedShipped || s == NeedWaybill || s == Verifying
}

// Result is what one scanned line did.
type Result struct {
	Status             Status
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
	Candidates         []ship.Carrier // Rejected with CarrierAmbiguous: the carriers to choose from
	// NeedWaybill for an order of several parcels: the waybills scanned so far, of Wanted.
	Waybills []string
	Wanted   int
	// SetAside is the order that was waiting for its waybill when this scan brought another
	// order id instead: it was put aside (printed, not shipped) for the exception list.
	SetAside *Result
	Err      error
	// Note says more about how the scan went, for explain.Scan to put into words.
	Note Note
	// Verification: the order's lines as they stand, the item scan's outcome, the weight.
	Pack       *verify.View
	Item       *verify.Scan
	Weight     *verify.Weight
	PrintedNow bool // this scan printed the label
	Mode       Mode // the mode the scan ran in
	At         time.Time
	// The merchant's remark (jingdong.order.venderRemark.queryByOrderId), read beside the
	// scan: nil with RemarkErr when it could not be read. BuyerRemark is what the buyer wrote.
	Remark      *jdorder.Remark
	RemarkErr   error
	BuyerRemark string
}

// Note is a detail of a scan's outcome beyond its status.
type Note int

const (
	NoteNone             Note = iota
	NoteReprinted             // printed again on request; never shipped again
	NoteReprintedShipped      // printed again; it was shipped earlier (ShippedAt) and was not shipped again
	NoteAlreadyDone           // the journal had it done (PrintedAt, ShippedAt): nothing was done now
	NoteShippedAtJD           // JD already had it shipped: it was not shipped again
	NoteWaitingWaybill        // waiting for the parcel's waybill scan (Carrier, when chosen)
	NoteSetAside              // it waited for its waybill and another order was scanned: put aside, not shipped
	NotePackStarted           // verification began: scan its items
	NotePackResumed           // verification resumed with the counts the journal kept
	NoteUncoded               // some line has no code in the product table: skip with a reason, or set aside
	NoteNoWeight              // the scale gave no stable reading (Err): weigh again, or decide
	NoteWeightOff             // the weight is out of range (Weight): accept, weigh again, or set aside
	NotePackAside             // the order was set aside during verification
)

// Kind is what a cleaned scan looks like.
type Kind int

const (
	KindEmpty   Kind = iota // nothing left after cleaning
	KindNumber              // digits only, up to 20: an order id (or a numeric waybill)
	KindWaybill             // letters and digits shaped like a waybill (SF…, JD…, …)
	KindGarbage             // anything else
)

func (k Kind) String() string {
	return [...]string{"empty", "number", "waybill", "garbage"}[k]
}

// aimID is an AIM symbology identifier some scanners put before the data: ']', a letter
// naming the symbology, a modifier character (]C0 Code 128, ]E0 EAN-13, ]Q1 QR, ]d2 Data Matrix).
var aimID = regexp.MustCompile(`^\][A-Za-z][0-9A-Za-z]`)

// Normalize cleans one scanned line of scanner noise and says what it looks like: spaces,
// control characters (STX/ETX, tab, CR/LF, GS) and invisible format characters anywhere;
// full-width digits and letters typed through a Chinese input method; an AIM symbology
// identifier (]C0) at the start; Code 39's '*' start and stop characters; lower case.
func Normalize(line string) (string, Kind) {
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
		return s, KindEmpty
	case ascii.Digits(s):
		if len(s) <= 20 {
			return s, KindNumber
		}
		return s, KindGarbage
	case ship.LooksLikeWaybill(s) && strings.IndexFunc(s, unicode.IsLetter) >= 0:
		return s, KindWaybill
	}
	return s, KindGarbage
}

// Scanner is the scan state machine of one scan field (the window's scan tab) or one stdin
// session (station scan): an order id is printed and shipped as the options say; a SOP order
// with a third-party carrier then waits for its waybill, which the next line is. Submit calls
// are handled one at a time; Awaiting, Cancel and SetOptions may be called from another
// goroutine meanwhile.
type Scanner struct {
	st   *fulfill.Station
	busy sync.Mutex // one Submit at a time

	mu       sync.Mutex
	opts     Options
	awaiting *awaited
	packing  *packing // the order under verification
}

// awaited is a SOP order waiting for its waybill scan.
type awaited struct {
	res      Result // the order's result so far (label, type, sorting code)
	packages int
	printed  bool // printed by this scan session (for the final status)
	// An order of several parcels takes one waybill each: those scanned so far, all of
	// carrier (set by the first).
	waybills []string
	carrier  *ship.Carrier
}

// New starts a scan session on station s.
func New(s *fulfill.Station, opts Options) *Scanner {
	return &Scanner{st: s, opts: opts}
}

// SetOptions changes the session's options; they apply from the next Submit. A carrier chosen
// while an order waits for its waybill applies to that order too.
func (sc *Scanner) SetOptions(opts Options) {
	sc.mu.Lock()
	sc.opts = opts
	sc.mu.Unlock()
}

// Options returns the session's options.
func (sc *Scanner) Options() Options {
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

// current is the options and the order awaiting its waybill, as they are now.
func (sc *Scanner) current() (Options, *awaited) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.opts, sc.awaiting
}

// Submit handles one scanned line: an order id, or the waybill of the order that waits for it.
func (sc *Scanner) Submit(ctx context.Context, line string) Result {
	sc.busy.Lock()
	defer sc.busy.Unlock()
	opts, aw := sc.current()
	text, kind := Normalize(line)
	var r Result
	sc.mu.Lock()
	pk := sc.packing
	sc.mu.Unlock()
	if pk != nil {
		r = sc.packScan(ctx, opts, pk, line)
	} else if aw != nil {
		r = sc.waybillScan(ctx, opts, aw, text, kind, "")
	} else {
		remark := sc.readRemark(ctx, text, kind)
		r = sc.orderScan(ctx, opts, text, kind)
		r = remark.attach(r)
	}
	return sc.finish(r, text)
}

// remarkWait bounds the merchant's remark read of a scan: a slow reply must not hold the scan
// line, whose own calls have finished.
const remarkWait = 3 * time.Second

// pendingRemark is a remark read under way beside a scan.
type pendingRemark struct {
	done   chan struct{}
	remark jdorder.Remark
	err    error
}

// readRemark starts reading the merchant's remark of a scanned order id while the scan goes on.
func (sc *Scanner) readRemark(ctx context.Context, text string, kind Kind) *pendingRemark {
	if kind != KindNumber {
		return nil
	}
	p := &pendingRemark{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		rctx, cancel := context.WithTimeout(ctx, remarkWait)
		defer cancel()
		p.remark, p.err = sc.st.Remark(rctx, text)
	}()
	return p
}

// attach puts the remark into the scan's result once the read is done (or has given up).
func (p *pendingRemark) attach(r Result) Result {
	if p == nil || r.OrderID == "" || r.Status == Rejected {
		return r
	}
	<-p.done
	if p.err != nil {
		r.RemarkErr = p.err
		return r
	}
	r.Remark = &p.remark
	return r
}

// SubmitWaybill ships the awaited order with the given carrier and waybill: for the window,
// once the packer has chosen among several carriers a waybill could belong to.
func (sc *Scanner) SubmitWaybill(ctx context.Context, logisticsID, waybill string) Result {
	sc.busy.Lock()
	defer sc.busy.Unlock()
	opts, aw := sc.current()
	text, kind := Normalize(waybill)
	if aw == nil {
		return sc.finish(Result{Status: Rejected, Err: &Error{Problem: Garbage, Input: text,
			Err: errors.New("no order is waiting for a waybill")}}, text)
	}
	return sc.finish(sc.waybillScan(ctx, opts, aw, text, kind, strings.TrimSpace(logisticsID)), text)
}

func (sc *Scanner) finish(r Result, text string) Result {
	r.Input, r.At, r.Mode = text, time.Now(), sc.Options().Mode
	return r
}

func rejected(r Result, err error) Result {
	r.Status, r.Err = Rejected, err
	return r
}

func failed(r Result, err error) Result {
	r.Status, r.Err = Failed, err
	return r
}

func (sc *Scanner) orderScan(ctx context.Context, opts Options, text string, kind Kind) Result {
	st := sc.st
	switch kind {
	case KindEmpty:
		return rejected(Result{}, &Error{Problem: Empty})
	case KindGarbage:
		return rejected(Result{}, &Error{Problem: Garbage, Input: text})
	case KindWaybill:
		cands, _ := st.DetectCarrier(ctx, text)
		return rejected(Result{}, &Error{Problem: WaybillFirst, Input: text, Candidates: cands})
	}
	id := text
	r := Result{OrderID: id}
	status, err := st.Status(ctx, id)
	if err != nil {
		return failed(r, err)
	}
	r.Type = status.Entry.Type
	r.PrintedAt, r.ShippedAt = status.Entry.PrintedAt, status.Entry.ShippedAt

	if status.Shipping {
		// An earlier outstorage's outcome is unknown: settle it before anything else.
		res, err := st.Reconcile(ctx, id)
		switch {
		case res.State == journal.StateShipped:
			status.Shipped, status.Shipping = true, false
			if e, ok, _ := st.Journal().Get(ctx, id); ok {
				r.ShippedAt = e.ShippedAt
			}
		case errors.Is(err, ship.ErrNeedsReconcile), errors.Is(err, ship.ErrInProgress), errors.Is(err, printdata.ErrNotShippable):
			return failed(r, err)
		}
	}
	if status.Shipped {
		if opts.Reprint && opts.Mode != ModeShipOnly {
			return sc.printOnly(ctx, r, opts, true)
		}
		r.Status, r.Note, r.PrintedAt = AlreadyDone, NoteAlreadyDone, status.Entry.PrintedAt
		return r
	}
	if r, held := sc.verifyGate(ctx, opts, r, status); held {
		return r
	}
	switch opts.Mode {
	case ModePrint:
		if status.Printed && !opts.Reprint {
			r.Status, r.Note, r.PrintedAt, r.ShippedAt = AlreadyDone, NoteAlreadyDone, status.Entry.PrintedAt, time.Time{}
			return r
		}
		if status.PrintingElsewhere && !opts.Reprint {
			return failed(r, fmt.Errorf("order %s: %w", r.OrderID, journal.ErrPrintingElsewhere))
		}
		if status.Unknown != nil && !opts.Reprint {
			return failed(r, status.Unknown)
		}
		return sc.printOnly(ctx, r, opts, false)

	case ModePrintShip:
		printedNow := false
		if !status.Printed || opts.Reprint {
			if status.PrintingElsewhere && !opts.Reprint {
				return failed(r, fmt.Errorf("order %s: %w", r.OrderID, journal.ErrPrintingElsewhere))
			}
			if status.Unknown != nil && !opts.Reprint {
				return failed(r, status.Unknown)
			}
			var err error
			if r, err = sc.print(ctx, r, opts); err != nil {
				return failed(r, err)
			}
			printedNow = true
		}
		return sc.shipStep(ctx, opts, r, printedNow)

	default: // ModeShipOnly
		if !status.Printed {
			// Not printed here: nothing in the journal says JD is still waiting for it.
			o, err := st.WaitingOrder(ctx, id)
			if err != nil {
				return failed(r, err)
			}
			r.Type, r.BuyerRemark = o.Type, o.BuyerRemark
		}
		if r.Type == "" {
			t, err := st.OrderType(ctx, id)
			if err != nil {
				return failed(r, err)
			}
			r.Type = t
		}
		return sc.shipStep(ctx, opts, r, false)
	}
}

// printOnly prints (or reprints) the order's label and ships nothing.
func (sc *Scanner) printOnly(ctx context.Context, r Result, opts Options, wasShipped bool) Result {
	r, err := sc.print(ctx, r, opts)
	if err != nil {
		return failed(r, err)
	}
	r.Status, r.PrintedNow = Printed, true
	if wasShipped {
		r.Note = NoteReprintedShipped
	}
	r.PrintedAt = time.Now()
	return r
}

// print fetches the print data, lays the labels out and prints them.
func (sc *Scanner) print(ctx context.Context, r Result, opts Options) (Result, error) {
	p, err := sc.st.PrintOrder(ctx, r.OrderID, opts.Packages, !opts.Reprint, opts.OnPrinterAway)
	return r.from(p), err
}

// from fills in what printing the order told about it.
func (r Result) from(p fulfill.Printed) Result {
	if p.Type != "" {
		r.Type, r.SortingCode, r.DistributionCenter = p.Type, p.SortingCode, p.DistributionCenter
		r.BuyerRemark = say.Safe(p.BuyerRemark)
	}
	if p.Label != nil {
		r.Label, r.Pages, r.PrintedAt = p.Label, p.Pages, p.At
	}
	return r
}

// scanLogistics is the carrier a scanned order ships with: SOP the session's carrier or the
// station's SOP default ("" = detect from the waybill); LBP and SOPL the station's defaults.
func (sc *Scanner) scanLogistics(opts Options, t printdata.OrderType) string {
	if t.MerchantShips() && strings.TrimSpace(opts.Logistics) != "" {
		return strings.TrimSpace(opts.Logistics)
	}
	return fulfill.DefaultCarrier(sc.st.Defaults(), t)
}

// shipStep ships the order, or asks for its waybill first.
func (sc *Scanner) shipStep(ctx context.Context, opts Options, r Result, printedNow bool) Result {
	st := sc.st
	logistics := sc.scanLogistics(opts, r.Type)
	needWaybill := logistics == ""
	if logistics != "" && logistics != ship.DeliverToJD {
		c, err := st.CarrierByID(ctx, logistics)
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
		r.Status, r.Note, r.PrintedNow = NeedWaybill, NoteWaitingWaybill, printedNow
		r.Wanted = max(opts.Packages, 1)
		return r
	}
	sh := ship.Shipment{OrderID: r.OrderID, Type: r.Type, Carriers: []journal.CarrierWaybills{{LogisticsID: logistics}}, Packages: opts.Packages}
	// Once a label is out the shipment goes through: a stop (Ctrl+C) waits for its outcome.
	res, err := st.Shipper().Ship(context.WithoutCancel(ctx), sh)
	return sc.shipped(r, sh, res, err, printedNow)
}

// afterPrint reports a failure after the label may have printed (PrintedNow says so).
func (sc *Scanner) afterPrint(r Result, printedNow bool, err error) Result {
	r = failed(r, err)
	r.PrintedNow = printedNow
	return r
}

// shipped turns an outstorage's outcome into the scan's result.
func (sc *Scanner) shipped(r Result, sh ship.Shipment, res ship.Result, err error, printedNow bool) Result {
	r.Ship = &res
	if len(sh.Carriers) > 0 && len(sh.Carriers[0].Waybills) > 0 {
		r.Waybill = sh.Carriers[0].Waybills[0]
	}
	if err != nil {
		return sc.afterPrint(r, printedNow, err)
	}
	r.ShippedAt = time.Now()
	if e, ok, _ := sc.st.Journal().Get(context.Background(), r.OrderID); ok && !e.ShippedAt.IsZero() {
		r.ShippedAt = e.ShippedAt
	}
	if r.Carrier == nil && sh.Carriers[0].LogisticsID != ship.DeliverToJD {
		r.Carrier = &ship.Carrier{ID: sh.Carriers[0].LogisticsID}
	}
	r.PrintedNow = printedNow
	if res.ShippedBefore {
		// JD had it shipped before this station asked: the goods here must not go out again.
		return sc.afterPrint(r, printedNow, &printdata.NotShippableError{OrderID: r.OrderID, State: res.JDState})
	}
	switch {
	case res.AlreadyShipped:
		r.Note = NoteShippedAtJD
		if printedNow {
			r.Status = Printed
		} else {
			r.Status = AlreadyDone
		}
	case printedNow:
		r.Status = PrintedShipped
	default:
		r.Status = Shipped
	}
	return r
}

// waybillScan takes the line as the awaited order's waybill. Bad input leaves the order
// waiting; a shipment that went to JD (whatever its outcome) ends the wait.
func (sc *Scanner) waybillScan(ctx context.Context, opts Options, aw *awaited, text string, kind Kind, chosen string) Result {
	st := sc.st
	r := aw.res
	r.Label = nil // shown when the order was scanned
	switch {
	case kind == KindEmpty:
		return rejected(r, &Error{Problem: Empty, Awaited: r.OrderID})
	case kind == KindGarbage:
		return rejected(r, &Error{Problem: Garbage, Input: text, Awaited: r.OrderID})
	case kind == KindNumber && text == r.OrderID:
		return rejected(r, &Error{Problem: SameOrder, Input: text, Awaited: r.OrderID})
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
	if kind == KindNumber {
		isOrder, err := sc.isOrder(ctx, text)
		if err == nil && isOrder {
			// The packer moved on to another parcel: the waiting order is put aside (the
			// exception list keeps it), and the new order goes on.
			aside := r
			aside.Status, aside.Note, aside.Err = Rejected, NoteSetAside, &Error{Problem: SetAside, Input: text, Awaited: r.OrderID}
			aside.PrintedNow = aw.printed
			aside.At = time.Now()
			sc.setAwaiting(nil)
			next := sc.orderScan(ctx, opts, text, kind)
			next.SetAside = &aside
			return next
		}
		unchecked = err
	}
	if logistics == "" && aw.carrier != nil {
		logistics = aw.carrier.ID // the first parcel's waybill chose the carrier
	}
	for _, w := range aw.waybills {
		if w == text {
			return rejected(r, &Error{Problem: SameWaybill, Input: text, Awaited: r.OrderID})
		}
	}
	var carrier ship.Carrier
	if logistics != "" {
		c, err := st.CarrierByID(ctx, logistics)
		if err != nil {
			if errors.Is(err, ship.ErrCarrierNotFound) {
				return rejected(r, &ship.InvalidShipmentError{Kind: ship.InvalidUnknownCarrier, OrderID: r.OrderID, LogisticsID: logistics,
					Msg: fmt.Sprintf("carrier %s is not in this shop's carrier list: choose another", logistics)})
			}
			return failed(r, err)
		}
		if err := c.CheckWaybill(text); err != nil {
			return rejected(r, &Error{Problem: WaybillShape, Input: text, Awaited: r.OrderID, Carrier: c})
		}
		carrier = c
	} else {
		cands, err := st.DetectCarrier(ctx, text)
		switch {
		case errors.Is(err, ship.ErrCarrierNotDetected):
			return rejected(r, &Error{Problem: CarrierUnknown, Input: text, Awaited: r.OrderID})
		case err != nil:
			return failed(r, err)
		case len(cands) > 1:
			r.Candidates = cands
			return rejected(r, &Error{Problem: CarrierAmbiguous, Input: text, Awaited: r.OrderID, Candidates: cands})
		}
		carrier = cands[0]
	}
	if unchecked != nil {
		return rejected(r, &Error{Problem: Unchecked, Input: text, Awaited: r.OrderID, Err: unchecked})
	}
	r.Carrier = &carrier
	waybills := append(append([]string{}, aw.waybills...), text)
	sh := ship.Shipment{OrderID: r.OrderID, Type: r.Type, Packages: aw.packages,
		Carriers: []journal.CarrierWaybills{{LogisticsID: carrier.ID, Waybills: waybills}}}
	if wanted := max(aw.packages, 1); len(waybills) < wanted {
		// One waybill per parcel: keep this one (if it is good for this order) and wait for
		// the next.
		if _, err := st.Shipper().Validate(ctx, sh); err != nil {
			return rejected(r, err)
		}
		next := *aw
		next.waybills, next.carrier = waybills, &carrier
		sc.setAwaiting(&next)
		r.Status, r.Note, r.PrintedNow = NeedWaybill, NoteWaitingWaybill, aw.printed
		r.Waybills, r.Wanted = waybills, wanted
		return r
	}
	// Once a label is out the shipment goes through: a stop (Ctrl+C) waits for its outcome.
	res, err := st.Shipper().Ship(context.WithoutCancel(ctx), sh)
	if errors.Is(err, ship.ErrInvalidShipment) && !res.Sent {
		return rejected(r, err) // nothing sent: the order keeps waiting for a good waybill
	}
	sc.setAwaiting(nil)
	return sc.shipped(r, sh, res, err, aw.printed)
}

// isOrder tells whether a number is an order id: one the journal knows, or one JD has.
func (sc *Scanner) isOrder(ctx context.Context, n string) (bool, error) {
	if _, ok, err := sc.st.Journal().Get(ctx, n); err != nil || ok {
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

// Problem says what is wrong with a scanned line.
type Problem int

const (
	Empty            Problem = iota + 1 // nothing but noise was scanned
	Garbage                             // neither an order id nor a waybill
	WaybillFirst                        // a waybill where an order id was expected
	SameOrder                           // the awaited order's barcode again, instead of its waybill
	SetAside                            // the awaited order was put aside for the order scanned (Input)
	SameWaybill                         // a waybill already scanned for this order's other parcels
	CarrierUnknown                      // no carrier of the shop has waybills like this
	CarrierAmbiguous                    // several carriers have waybills like this: choose one
	WaybillShape                        // the waybill does not fit the chosen carrier
	Unchecked                           // could not tell whether a number is an order or a waybill
)

var scanProblemNames = map[Problem]string{Empty: "empty", Garbage: "garbage",
	WaybillFirst: "waybill-first", SameOrder: "same-order", SetAside: "set-aside", SameWaybill: "same-waybill",
	CarrierUnknown: "carrier-unknown", CarrierAmbiguous: "carrier-ambiguous",
	WaybillShape: "waybill-shape", Unchecked: "unchecked"}

func (p Problem) String() string {
	if s, ok := scanProblemNames[p]; ok {
		return s
	}
	return fmt.Sprintf("scan-problem(%d)", int(p))
}

// Error is a scanned line refused before anything was done.
type Error struct {
	Problem    Problem
	Input      string         // the line after cleaning (an order id or a waybill: no personal data)
	Awaited    string         // the order waiting for its waybill, if any
	Carrier    ship.Carrier   // WaybillShape: the carrier chosen
	Candidates []ship.Carrier // CarrierAmbiguous: the carriers it could be; WaybillFirst: the carrier it looks like
	Err        error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("bad scan %q: %s", e.Input, e.Problem)
	if e.Awaited != "" {
		s += " (order " + e.Awaited + " awaits its waybill)"
	}
	if e.Carrier.ID != "" {
		s += " (carrier " + e.Carrier.ID + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Is(target error) bool { return target == ErrBadScan }
func (e *Error) Unwrap() error        { return e.Err }

// ErrBadScan: a scanned line was not what the scanner expected; nothing was done. *Error says
// what it was.
var ErrBadScan = errors.New("bad scan")

// Reprint prints the order's label again, whatever the journal says, and never ships:
// packages labels, or (0) as many as the shipment's package count when the journal knows it.
func Reprint(ctx context.Context, s *fulfill.Station, orderID string, packages int) (Result, error) {
	res := Result{OrderID: strings.TrimSpace(orderID), At: time.Now()}
	fail := func(err error) (Result, error) {
		res.Status, res.Err = Failed, err
		return res, err
	}
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return fail(err)
	}
	res.OrderID = id
	if packages <= 0 {
		packages = 1
		if e, ok, err := s.Journal().Get(ctx, id); err != nil {
			return fail(err)
		} else if ok && e.Packages > 1 {
			packages = e.Packages
		}
	}
	p, err := s.PrintOrder(ctx, id, packages, false, nil)
	if res = res.from(p); err != nil {
		return fail(err)
	}
	res.Status, res.Note, res.PrintedNow = Printed, NoteReprinted, true
	return res, nil
}
