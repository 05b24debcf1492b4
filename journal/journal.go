// Package journal is the store of what this station printed and shipped: every print job,
// every JOS write about an order and its outcome, and the claims (leases) that keep two
// processes from shipping — or printing — one order at the same time.
//
// Store is the interface every backend implements; sqljournal has SQLite, the one a single
// station embeds. Callers speak in domain operations (claim a shipment, finish it, begin and end
// a print, record a waybill correction); no transaction or SQL leaves a backend. The
// behavioural suite in journaltest is what any backend must pass.
package journal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"station/printdata"
)

// State is where an order stands in the journal.
type State string

const (
	StatePrinting State = "printing" // a label was sent to a printer and has not been confirmed
	StatePrinted  State = "printed"  // a label came out; not shipped yet
	StateShipping State = "shipping" // outstorage was (or is being) sent; its outcome is not known yet
	StateShipped  State = "shipped"  // JD has the order as shipped
	StateFailed   State = "failed"   // the last print or ship attempt failed; Reason says why
)

// Step names what failed in a failed entry.
const (
	StepPrint = "print"
	StepShip  = "ship"
)

// CarrierWaybills is one carrier of a shipment and the waybills it carries.
type CarrierWaybills struct {
	LogisticsID string
	Waybills    []string
}

// JOSForm writes carriers the way JOS takes them and the journal keeps them: "2100|4700" and
// "w1,w2|w3" (`|` between carriers, `,` between one carrier's waybills).
func JOSForm(cs []CarrierWaybills) (logistics, waybills string) {
	ids := make([]string, len(cs))
	wbs := make([]string, len(cs))
	some := false
	for i, c := range cs {
		ids[i] = c.LogisticsID
		wbs[i] = strings.Join(c.Waybills, ",")
		some = some || len(c.Waybills) > 0
	}
	if !some {
		return strings.Join(ids, "|"), ""
	}
	return strings.Join(ids, "|"), strings.Join(wbs, "|")
}

// ParseJOSForm reads JOSForm's output back.
func ParseJOSForm(logistics, waybills string) []CarrierWaybills {
	if logistics == "" {
		return nil
	}
	ids := strings.Split(logistics, "|")
	var parts []string
	if waybills != "" {
		parts = strings.Split(waybills, "|")
	}
	out := make([]CarrierWaybills, len(ids))
	for i, id := range ids {
		out[i].LogisticsID = id
		if i < len(parts) && parts[i] != "" {
			out[i].Waybills = strings.Split(parts[i], ",")
		}
	}
	return out
}

// Entry is one order in the journal. It holds no consignee data: only ids, carriers, waybills
// and what happened.
type Entry struct {
	OrderID    string
	Type       printdata.OrderType
	State      State
	FailedStep string // StepPrint or StepShip when State is failed
	Reason     string // why it failed, or why a shipping entry still needs reconciling
	Retryable  bool   // failed: the same shipment may be tried again as it is

	Carriers     []CarrierWaybills // the last shipment sent or being sent
	Packages     int
	TradeNo      string
	ShipAttempts int // outstorage calls made

	Prints  int    // labels printed
	Pages   int    // pages (labels) of the last print job
	Printer string // where the last print job went

	CreatedAt, UpdatedAt time.Time
	PrintedAt, ShippedAt time.Time // zero when it has not happened

	// Who is the station and packer that last printed, shipped or corrected the order.
	Who Who

	// HeldBy is the claim of whoever is shipping or reconciling the order right now
	// ("host/pid/nonce"); empty when nobody is.
	HeldBy    string
	HeldUntil time.Time

	LeaseHost   string // the host and process of the claim, to tell a crashed holder
	LeasePID    int
	TradeNoUsed bool // JD has seen TradeNo: the next shipment needs a new one
}

// NeedsReconcile reports whether the entry's last outstorage has an unknown outcome.
func (e Entry) NeedsReconcile() bool { return e.State == StateShipping }

// Waybills lists every waybill of the entry's shipment, in order.
func (e Entry) Waybills() []string {
	var w []string
	for _, c := range e.Carriers {
		w = append(w, c.Waybills...)
	}
	return w
}

// HeldByOther reports whether the entry is claimed by someone still entitled to it at now: a
// claim that has not expired and whose process is not known to be gone.
func (e Entry) HeldByOther(now time.Time) bool {
	if e.HeldBy == "" || !now.Before(e.HeldUntil) {
		return false
	}
	return !holderGone(e.LeaseHost, e.LeasePID)
}

// AttemptKind is the JOS call an attempt made.
type AttemptKind string

const (
	AttemptOutstorage    AttemptKind = "outstorage"
	AttemptWaybillUpdate AttemptKind = "waybill_update"
	AttemptReconcile     AttemptKind = "reconcile" // 360buy.order.get after an unknown outcome
)

// Attempt outcomes.
const (
	OutcomePending    = "pending"     // started; the process stopped before the outcome was recorded
	OutcomeOK         = "ok"          // JD accepted the write
	OutcomeRefused    = "refused"     // JD refused; nothing happened
	OutcomeUnknown    = "unknown"     // no usable reply: reconciled afterwards
	OutcomeConflict   = "conflict"    // JD says the order is already shipped (or being shipped)
	OutcomeShipped    = "shipped"     // reconcile: JD shows the order shipped
	OutcomeNotShipped = "not_shipped" // reconcile: JD shows the order still waiting
	OutcomeError      = "error"       // reconcile: the order could not be read
	OutcomeSkipped    = "skipped"     // not sent: JD's state showed it done or not due
)

// Attempt is one JOS write (or reconciliation read) about an order.
type Attempt struct {
	ID       int64
	OrderID  string
	Kind     AttemptKind
	Method   string
	TradeNo  string
	Carriers []CarrierWaybills
	Packages int

	StartedAt, EndedAt time.Time
	Outcome            string
	Code               string // the JOS code of a refusal
	Reason             string
	Who                Who
}

// TargetKind says what a print went to.
type TargetKind string

const (
	TargetPrinter TargetKind = "printer"  // a printer; Target.Name is its spec
	TargetPDFFile TargetKind = "pdf-file" // one batch PDF file written whole; Target.Name is its path
)

// Target is where a print job went.
type Target struct {
	Kind TargetKind
	Name string
}

// PrinterTarget is the target of a printer with this spec.
func PrinterTarget(spec string) Target { return Target{Kind: TargetPrinter, Name: spec} }

// PDFFileTarget is the target of a batch PDF file.
func PDFFileTarget(path string) Target { return Target{Kind: TargetPDFFile, Name: path} }

func (t Target) String() string { return t.Name }

// PrintJob describes a label print for the journal.
type PrintJob struct {
	OrderID string
	Type    printdata.OrderType
	Pages   int
	Copies  int
	Target  Target
	// Fresh is a first print (not a reprint a person asked for): BeginPrint refuses it when a
	// label of the order came out meanwhile (ErrAlreadyPrinted) or is being printed
	// (ErrPrintingElsewhere), so that two windows or processes on one journal never print one
	// order twice.
	Fresh bool
	// Host and PID are the process that prints: zero for this one. (Tests name a process that
	// has stopped, to leave a print as a crash does.)
	Host string
	PID  int
}

// Print outcomes.
const (
	PrintStarted = "started" // sent (or being sent); the process stopped before it finished
	PrintDone    = "printed"
	PrintFailed  = "failed"
)

// Print is one print job in the journal.
type Print struct {
	ID int64
	PrintJob
	StartedAt, EndedAt time.Time
	Outcome            string
	Reason             string
	Host               string // the host and process that printed it
	PID                int
	Who                Who // the station and packer that printed it
}

// printLongest is how long one print job may take: the longest printer timeout (10 minutes)
// and some. A print "started" longer ago did not finish, whoever began it.
const printLongest = 15 * time.Minute

// UnderWay reports whether the print is being sent right now (by this process or another live
// one): it is started and was not ended unsure (EndPrintUnsure gives a reason), it is not older
// than a print may take, and its process is not known to have stopped. A started print of a
// stopped process (a crash, a kill) may or may not have come out.
func (p Print) UnderWay(now time.Time) bool {
	if p.Outcome != PrintStarted || p.Reason != "" || p.PID == 0 {
		return false
	}
	// A batch's PDF prints stay started until the whole file is written, however long that is.
	if p.Target.Kind != TargetPDFFile && now.Sub(p.StartedAt) > printLongest {
		return false
	}
	return !holderGone(p.Host, p.PID)
}

// Counts summarize a period for the status bar.
type Counts struct {
	Printed     int // orders with a label printed in the period
	Shipped     int // orders shipped in the period
	Failed      int // orders whose last attempt in the period failed
	Unconfirmed int // orders whose outstorage outcome is unknown (any day): they need reconciling
}

// Lease identifies one claim on an order: one Ship or Reconcile call of one station process.
type Lease struct {
	Owner   string // unique per claim: host/pid/nonce-counter
	Host    string
	PID     int
	Expires time.Time
}

// NewLease is a claim of this process until expires, under an owner no other claim has:
// host/pid/random. The host and pid tell, when the claim is found later, whether its process
// is gone.
func NewLease(expires time.Time) Lease {
	host, _ := os.Hostname()
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return Lease{Owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:])), Host: host, PID: os.Getpid(), Expires: expires}
}

// ClaimKind is what a claim found and took.
type ClaimKind int

const (
	ClaimSend      ClaimKind = iota + 1 // "shipping" and the trade_no are committed: send outstorage
	ClaimReconcile                      // an earlier outcome is unknown: settle it first
	ClaimDone                           // the journal has the order shipped: nothing to send
	ClaimBusy                           // another live claim holds the order
	ClaimNothing                        // (reconcile) nothing to settle
)

// Claim is the result of ClaimShipment or ClaimReconcile.
type Claim struct {
	Kind      ClaimKind
	Entry     Entry  // the order as read before the claim
	Owner     string // the lease owner that holds the claim (Send, Reconcile)
	AttemptID int64  // the attempt row opened with the claim (Send: outstorage; Reconcile: reconcile)
	TradeNo   string // the trade_no to send (Send) or that was sent (Reconcile)
}

// ShipmentClaim asks to claim an order for an outstorage.
type ShipmentClaim struct {
	OrderID  string
	Type     printdata.OrderType
	Carriers []CarrierWaybills
	Packages int
	Method   string // the outstorage method, for the attempt row
	// TradeNo, when set, is sent as it is. Otherwise a retry of the same shipment whose
	// trade_no JD has not reported as used sends the earlier one again (so that JD can tell it
	// is a repeat), and anything else gets NewTradeNo.
	TradeNo    string
	NewTradeNo string
	Lease      Lease
}

// AttemptEnd is how an attempt row ends.
type AttemptEnd struct {
	Outcome string // one of the Outcome* constants
	Code    string // JOS code, if any
	Note    string
}

// Outcome is how a claim ends: its attempt row, and the order row while the claim is still
// the caller's.
type Outcome struct {
	State       State
	FailedStep  string
	Reason      string
	Retryable   bool
	Shipped     bool // set shipped_at
	TradeNoUsed bool // JD has seen the trade_no: the next attempt needs a new one
	Attempt     AttemptEnd
}

// WaybillUpdate is a waybill correction being recorded.
type WaybillUpdate struct {
	OrderID  string
	Type     printdata.OrderType
	Method   string
	TradeNo  string
	Carriers []CarrierWaybills
}

// StoreError is a journal that could not be read or written (a full disk, a folder without
// write permission, a damaged file).
type StoreError struct {
	Err error
	// Unreachable: a warehouse journal database that cannot be reached (down, the network,
	// a wrong address or password), as opposed to one that refused a statement.
	Unreachable bool
}

func (e *StoreError) Error() string { return "journal: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrStore) true, and errors.Is(err, ErrFull) when the disk is full.
func (e *StoreError) Is(target error) bool {
	return target == ErrStore || target == ErrFull && diskFull(e.Err) || target == ErrUnreachable && e.Unreachable
}

// sqliteFull is SQLite's SQLITE_FULL result code ("database or disk is full").
const sqliteFull = 13

// diskFull reports an error of a write that found no room.
func diskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteFull
}

// Errors of the journal.
var (
	// ErrStore: the journal could not be read or written; *StoreError says what.
	ErrStore = errors.New("the journal could not be read or written")
	// ErrUnreachable: the warehouse's journal database cannot be reached (also ErrStore).
	ErrUnreachable = errors.New("the journal database cannot be reached")
	// ErrFull: a journal write found the disk full (also ErrStore).
	ErrFull = errors.New("the journal's disk is full")
	// ErrNotInJournal: the journal has no entry for the order.
	ErrNotInJournal = errors.New("the order is not in the journal")
	// ErrClaimed: another live claim holds the order.
	ErrClaimed = errors.New("another station is working on this order right now")
	// ErrUnsettled: the order's last outstorage has an unknown outcome: reconcile it first.
	ErrUnsettled = errors.New("an outstorage of the order is unsettled")
	// ErrAlreadyPrinted: a fresh print was refused because a label of the order came out.
	ErrAlreadyPrinted = errors.New("the order's label was printed meanwhile (by another window or process)")
	// ErrPrintingElsewhere: a fresh print was refused because another print of the order is
	// under way (or stopped half-way, its outcome unknown).
	ErrPrintingElsewhere = errors.New("the order is being printed in another window or process")
	// ErrLeaseLost: the claim expired and another station took the order over while this one
	// was working on it (this one took longer than its lease): the order row is theirs now.
	ErrLeaseLost = errors.New("the claim on the order expired and another station took it over")
)

// Store is the journal as the workflows use it. Every method that returns nil has its change
// on disk (or in the database) before it returns.
type Store interface {
	// Where says where the journal is (a file path or a database without its password).
	Where() string
	Close() error
	// SetWho sets the station and packer recorded with every write from now on (a packer
	// signing in, or another taking over the station).
	SetWho(w Who)
	Who() Who

	Get(ctx context.Context, orderID string) (Entry, bool, error)
	ByWaybill(ctx context.Context, waybill string) ([]Entry, error)
	Recent(ctx context.Context, n int) ([]Entry, error)
	ByState(ctx context.Context, st State) ([]Entry, error)
	CountsBetween(ctx context.Context, from, to time.Time) (Counts, error)
	Attempts(ctx context.Context, orderID string) ([]Attempt, error)
	Prints(ctx context.Context, orderID string) ([]Print, error)
	LastPrint(ctx context.Context, orderID string) (Print, bool, error)

	// BeginPrint records that a label is about to be sent, before its first byte; EndPrint
	// records how it ended (printErr nil: printed; else failed, safe to print again);
	// EndPrintUnsure that it ended without telling whether the label came out.
	BeginPrint(ctx context.Context, p PrintJob) (int64, error)
	EndPrint(ctx context.Context, id int64, printErr error) error
	EndPrintUnsure(ctx context.Context, id int64, reason string) error

	// ClaimShipment takes the order for an outstorage; ClaimReconcile for settling an unknown
	// outcome (ErrNotInJournal when the order is not there).
	ClaimShipment(ctx context.Context, c ShipmentClaim) (Claim, error)
	ClaimReconcile(ctx context.Context, orderID string, l Lease) (Claim, error)
	// Unsettled closes a claim's outstorage attempt with end, keeps the order "shipping" with
	// reason, renews the claim until renew and opens a reconcile attempt under it.
	Unsettled(ctx context.Context, orderID, owner string, attemptID int64, end AttemptEnd, reason, tradeNo string, renew time.Time) (reconcileID int64, err error)
	// Finish ends a claim (ErrLeaseLost when it was taken over; the attempt row is written anyway).
	Finish(ctx context.Context, orderID, owner string, attemptID int64, o Outcome) error

	// BeginWaybillUpdate opens the attempt of a correction (none when the order is not in the
	// journal: found is false); ErrClaimed or ErrUnsettled refuse it. EndWaybillUpdate records
	// its end: accepted means JD took it, and the order's carriers become u's.
	BeginWaybillUpdate(ctx context.Context, u WaybillUpdate) (e Entry, found bool, attemptID int64, err error)
	EndWaybillUpdate(ctx context.Context, u WaybillUpdate, attemptID int64, accepted bool, end AttemptEnd) error

	// Pack verification: StartPack begins (or resumes) an order's check, RecordPackScan keeps
	// each item scan, Weighed its weight, EndPack how it ended.
	StartPack(ctx context.Context, orderID string) (Pack, error)
	Pack(ctx context.Context, orderID string) (Pack, bool, error)
	RecordPackScan(ctx context.Context, s PackScan) error
	Weighed(ctx context.Context, orderID string, w Weighing) error
	EndPack(ctx context.Context, orderID string, state PackState, reason string) error
	PackCountsBetween(ctx context.Context, from, to time.Time) (PackCounts, error)

	// A warehouse's stations on one journal: ClaimBatch takes for this station up to N of the
	// candidate orders (its own live claims first, then orders no live claim holds and the
	// journal does not have done); ReleaseBatch gives this station's claims back (all of them
	// when no order is named).
	ClaimBatch(ctx context.Context, b BatchClaim) ([]string, error)
	ReleaseBatch(ctx context.Context, orders ...string) error
	// History is the entries f picks, newest change first; Board the work of [from, to).
	History(ctx context.Context, f HistoryFilter) ([]Entry, error)
	Board(ctx context.Context, from, to time.Time) (Board, error)
	// NextAttempt ends a claim's write attempt with end and opens the next write of the same
	// shipment under the same claim (an overseas order's delivery after its outstorage),
	// renewing the claim until renew.
	NextAttempt(ctx context.Context, orderID, owner string, attemptID int64, end AttemptEnd, method, tradeNo string, renew time.Time) (int64, error)
	// Delete requests: BeginDeleteRequest records one as being sent (before the call),
	// EndDeleteRequest how it ended; DeleteRequests are the latest of each order named that has one.
	BeginDeleteRequest(ctx context.Context, d DeleteRequest) error
	EndDeleteRequest(ctx context.Context, orderID string, st DeleteState, note string) error
	DeleteRequests(ctx context.Context, orderIDs []string) (map[string]DeleteRequest, error)
	// After-sales applications, exactly once: BeginAfsApply records one as being sent under a
	// claim (ErrAfsBusy while another live one is; the earlier one, unsettled, is returned for
	// settling first); EndAfsApply how it ended; AfsApplyOf the order's of a type.
	BeginAfsApply(ctx context.Context, a AfsApply, l Lease) (earlier AfsApply, unsettled bool, err error)
	EndAfsApply(ctx context.Context, orderID string, typ int, st AfsState, caseID int64, note string) error
	AfsApplyOf(ctx context.Context, orderID string, typ int) (AfsApply, bool, error)
	// Returned parcels: RecordReturn keeps one; Returns finds them.
	RecordReturn(ctx context.Context, r Return) (int64, error)
	Returns(ctx context.Context, f ReturnFilter) ([]Return, error)
}

// DeleteState is where a delete request stands.
type DeleteState string

const (
	DeleteSending   DeleteState = "sending"   // sent; its outcome is not known (yet)
	DeletePending   DeleteState = "pending"   // JD has it and has not decided
	DeleteCancelled DeleteState = "cancelled" // withdrawn
	DeleteRefused   DeleteState = "refused"   // JD refused it; nothing changed
)

// DeleteRequest is the merchant asking JD to delete an order (jingdong.order.orderDelete.apply).
type DeleteRequest struct {
	OrderID            string
	Reason             int    // del_apply_type, 1-9
	Text               string // del_apply_reason
	State              DeleteState
	Note               string // what JD said, or why the outcome is unknown
	Who                Who
	AskedAt, UpdatedAt time.Time
}

// Holds reports whether the request keeps the order from being printed or shipped: it is
// pending at JD, or may be.
func (d DeleteRequest) Holds() bool { return d.State == DeleteSending || d.State == DeletePending }

// DeleteRequestOf is the order's latest delete request.
func DeleteRequestOf(ctx context.Context, s Store, orderID string) (DeleteRequest, bool, error) {
	id := strings.TrimSpace(orderID)
	m, err := s.DeleteRequests(ctx, []string{id})
	d, ok := m[id]
	return d, ok, err
}

// PendingReconcile returns the entries whose outstorage outcome is unknown: each must be
// reconciled with JD before the order is shipped again.
func PendingReconcile(ctx context.Context, s Store) ([]Entry, error) {
	return s.ByState(ctx, StateShipping)
}

// TodayCounts counts today's work, in now's time zone.
func TodayCounts(ctx context.Context, s Store, now time.Time) (Counts, error) {
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return s.CountsBetween(ctx, start, start.AddDate(0, 0, 1))
}

// DefaultPath is where a station's own journal lives unless it is told otherwise.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the user's config directory for the journal: %w (give -journal PATH)", err)
	}
	return filepath.Join(dir, "station", "journal.db"), nil
}

// Search returns entries: those of an order id or a waybill, or the most recent ones when
// query is empty (limit entries at most; 0 → 50). It is History with only a query.
func Search(ctx context.Context, s Store, query string, limit int) ([]Entry, error) {
	return s.History(ctx, HistoryFilter{Query: query, Limit: limit})
}
