package journal

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The returns desk's records: after-sales applications kept exactly once, and the returned
// parcels received.

// AfsState is where an after-sales application stands.
type AfsState string

const (
	AfsSending AfsState = "sending" // sent (or being sent); its outcome is not known yet
	AfsCreated AfsState = "created" // JD has the case (CaseID)
	AfsRefused AfsState = "refused" // nothing was created: JD refused, or it showed no new case
)

// AfsApply is one after-sales application (jingdong.afsservice.apply.create) of an order and a type.
type AfsApply struct {
	OrderID  string
	Type     int // afsApplyType: 10, 20, 30
	Expect   int // customerExpect
	Question string
	State    AfsState
	CaseID   int64 // the case JD created, once known
	// Known are the order's cases of this type that existed before it was sent: after an
	// unknown outcome, a case not among them is this application's.
	Known     []int64
	Note      string
	Who       Who
	AskedAt   time.Time
	UpdatedAt time.Time
	// Holder and Until are the claim of the process sending it (while Sending).
	Holder string
	Until  time.Time
}

// ErrAfsBusy: another live process is sending the same application right now.
var ErrAfsBusy = errors.New("the same after-sales application is being sent at another station")

// Condition is the state a returned parcel came back in.
type Condition string

const (
	ReturnGood    Condition = "good"    // 完好
	ReturnDamaged Condition = "damaged" // 破损
	ReturnMissing Condition = "missing" // 缺件
)

// Conditions lists the conditions.
var Conditions = []Condition{ReturnGood, ReturnDamaged, ReturnMissing}

// Return is a returned parcel received at the desk.
type Return struct {
	ID        int64
	OrderID   string
	CaseID    int64  // the after-sales case it belongs to; 0 when none was matched
	Waybill   string // the return's waybill, when it was scanned
	Condition Condition
	Note      string
	Who       Who
	At        time.Time
}

// ReturnFilter picks returns: an order, a waybill or a case (Query), a period, at most Limit (0 → 100).
type ReturnFilter struct {
	Query    string
	From, To time.Time
	Limit    int
}

// HeldByOther reports whether the application is being sent by a live claim other than owner at now.
func (a AfsApply) HeldByOther(owner string, now time.Time) bool {
	if a.State != AfsSending || a.Holder == "" || a.Holder == owner || !now.Before(a.Until) {
		return false
	}
	host, pid := ownerProcess(a.Holder)
	return !holderGone(host, pid)
}

// ownerProcess reads the host and process of a lease owner (host/pid/nonce).
func ownerProcess(owner string) (string, int) {
	parts := strings.SplitN(owner, "/", 3)
	if len(parts) < 2 {
		return "", 0
	}
	pid, _ := strconv.Atoi(parts[1])
	return parts[0], pid
}
