// Package afs is JD's after-sales service (afsservice, seed 000) as the returns desk uses it:
// the cases of an order (jingdong.afsservice.order.get), a case's detail and schedule, applying
// for one (apply.create, checked before sending: the type and the customer's expectation must
// match) and cancelling one. Results come back typed and made safe for a screen.
package afs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"station/jos"
	"station/printdata"
	"station/say"
)

// JOS methods (seed 000).
const (
	MethodApply    = "jingdong.afsservice.apply.create"
	MethodOrder    = "jingdong.afsservice.order.get"
	MethodDetail   = "jingdong.afsservice.service.detail.get"
	MethodSchedule = "jingdong.afsservice.service.schedule.get"
	MethodCancel   = "jingdong.afsservice.service.cancel"
)

// Caller is the JOS client (*jos.Client).
type Caller interface {
	Read(ctx context.Context, method string, params any, out any) error
	Write(ctx context.Context, method string, params any, out any) error
}

// Client calls the after-sales methods.
type Client struct{ c Caller }

// New returns a Client on c.
func New(c Caller) *Client { return &Client{c: c} }

// Type is afsApplyType: what the customer wants done with the goods.
type Type int

const (
	TypeReturn   Type = 10 // 退货
	TypeExchange Type = 20 // 换货
	TypeRepair   Type = 30 // 维修
)

// Expect is customerExpect: what the customer expects back.
type Expect int

const (
	ExpectRefund   Expect = 10 // 退款
	ExpectExchange Expect = 20 // 换货 (the goods come back to the customer: exchanged or repaired)
)

// Types lists the application types.
var Types = []Type{TypeReturn, TypeExchange, TypeRepair}

// Valid reports whether t is one of JD's types.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// Name is the type in words.
func (t Type) Name() say.Text {
	switch t {
	case TypeReturn:
		return say.T("退货", "return")
	case TypeExchange:
		return say.T("换货", "exchange")
	case TypeRepair:
		return say.T("维修", "repair")
	}
	return say.T(fmt.Sprintf("类型 %d", int(t)), fmt.Sprintf("type %d", int(t)))
}

// Name is the expectation in words.
func (e Expect) Name() say.Text {
	switch e {
	case ExpectRefund:
		return say.T("退款", "refund")
	case ExpectExchange:
		return say.T("换货", "exchange")
	}
	return say.T(fmt.Sprintf("期望 %d", int(e)), fmt.Sprintf("expectation %d", int(e)))
}

// ExpectFor is the one expectation that matches a type: the seed's "return ↔ refund"; an
// exchange and a repair send goods back to the customer.
func ExpectFor(t Type) (Expect, bool) {
	switch t {
	case TypeReturn:
		return ExpectRefund, true
	case TypeExchange, TypeRepair:
		return ExpectExchange, true
	}
	return 0, false
}

// Status is serviceStatus.
type Status int

// The seed names 1-3; a cancelled case is the simulator's 4 (the seed names no code for it).
const (
	StatusPending   Status = 1 // 待审核
	StatusInProcess Status = 2 // 处理中
	StatusDone      Status = 3 // 已完成
	StatusCancelled Status = 4 // 已取消
)

// Name is the status in words.
func (s Status) Name() say.Text {
	switch s {
	case StatusPending:
		return say.T("待审核", "pending")
	case StatusInProcess:
		return say.T("处理中", "in progress")
	case StatusDone:
		return say.T("已完成", "completed")
	case StatusCancelled:
		return say.T("已取消", "cancelled")
	}
	return say.T(fmt.Sprintf("状态 %d", int(s)), fmt.Sprintf("status %d", int(s)))
}

// Open reports whether the case is still being dealt with (it can be cancelled).
func (s Status) Open() bool { return s == StatusPending || s == StatusInProcess }

// Case is one after-sales case of an order, as order.get lists it.
type Case struct {
	ID      int64
	OrderID string
	Status  Status
	Type    Type // 0 when JD did not say
}

// Detail is a case's detail (service.detail.get).
type Detail struct {
	ID       int64
	Contact  string // linkMan, made safe; mask it before a log
	Phone    string // made safe; mask it before a log
	Question string // questionDesc
	Result   string // processResult
	Status   string // JD's words for the status
}

// Step is one milestone of a case's schedule.
type Step struct {
	At   time.Time
	Text string
}

// Application is what apply.create asks.
type Application struct {
	OrderID  string
	Type     Type
	Expect   Expect
	Question string   // questionDesc
	Images   []string // URLs of images already on JD's CDN
	// Detection asks for a detection report (isNeedDetectionReport).
	Detection bool
}

// MaxQuestion bounds the description; JD's limit is not in the seed, 500 matches the order service's.
const MaxQuestion = 500

// InvalidError is an application refused before anything was sent.
type InvalidError struct {
	OrderID string
	Why     say.Text
}

func (e *InvalidError) Error() string { return "order " + e.OrderID + ": " + e.Why.EN }

// ErrInvalid is wrapped by every *InvalidError.
var ErrInvalid = errors.New("invalid after-sales application")

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// Check refuses an application JD would refuse, and returns it cleaned.
func (a Application) Check() (Application, error) {
	id, err := printdata.CleanOrderID(a.OrderID)
	if err != nil {
		return a, err
	}
	a.OrderID, a.Question = id, strings.TrimSpace(a.Question)
	bad := func(zh, en string) (Application, error) { return a, &InvalidError{OrderID: id, Why: say.T(zh, en)} }
	want, ok := ExpectFor(a.Type)
	switch {
	case !ok:
		return bad(fmt.Sprintf("售后类型 %d 不存在：10 退货、20 换货、30 维修", int(a.Type)),
			fmt.Sprintf("there is no after-sales type %d: 10 return, 20 exchange, 30 repair", int(a.Type)))
	case a.Expect != want:
		return bad(fmt.Sprintf("%s 要配 %s（%d），不是 %d", a.Type.Name().ZH, want.Name().ZH, int(want), int(a.Expect)),
			fmt.Sprintf("a %s goes with %s (%d), not %d", a.Type.Name().EN, want.Name().EN, int(want), int(a.Expect)))
	case a.Question == "":
		return bad("请写明问题描述", "describe the problem")
	case utf8.RuneCountInString(a.Question) > MaxQuestion:
		return bad(fmt.Sprintf("问题描述最多 %d 个字", MaxQuestion), fmt.Sprintf("the description takes at most %d characters", MaxQuestion))
	}
	for _, img := range a.Images {
		u, err := url.Parse(strings.TrimSpace(img))
		if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return bad("图片要写京东图片空间的网址（http/https）："+say.Short(img, 60),
				"an image must be the URL of a picture on JD's CDN (http/https): "+say.Short(img, 60))
		}
	}
	return a, nil
}

// resultOK is apply.create's resultCode on success (seed 000).
const resultOK = 100

// RefusedError is apply.create's refusal by resultCode (nothing was created).
type RefusedError struct {
	OrderID string
	Code    int
	Comment string // made safe
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("order %s: after-sales application refused (%d): %s", e.OrderID, e.Code, e.Comment)
}

// Duplicate reports JD's refusal of a second application of the same type for the order.
func (e *RefusedError) Duplicate() bool {
	return strings.Contains(e.Comment, "重复") || strings.Contains(strings.ToLower(e.Comment), "duplicate")
}

type applyParams struct {
	Type      string   `json:"afsApplyType"`
	OrderID   string   `json:"orderId"`
	Expect    string   `json:"customerExpect"`
	Question  string   `json:"questionDesc"`
	Detection string   `json:"isNeedDetectionReport"`
	Images    []string `json:"images,omitempty"`
}

type applyReply struct {
	Code    jos.Int `json:"resultCode"`
	Comment jos.Str `json:"resultComment"`
	ID      jos.Str `json:"afsServiceId"`
}

// Apply sends one application (apply.create) and returns the new case's id. It is a write
// that is not idempotent: the caller keeps it exactly once (fulfill's AfsApply); an unknown
// outcome comes back as it is, for order.get to settle.
func (c *Client) Apply(ctx context.Context, a Application) (int64, error) {
	a, err := a.Check()
	if err != nil {
		return 0, err
	}
	det := "0"
	if a.Detection {
		det = "1"
	}
	var r applyReply
	p := applyParams{Type: strconv.Itoa(int(a.Type)), OrderID: a.OrderID, Expect: strconv.Itoa(int(a.Expect)),
		Question: a.Question, Detection: det, Images: a.Images}
	if err := c.c.Write(ctx, MethodApply, p, &r); err != nil {
		return 0, fmt.Errorf("order %s: %s: %w", a.OrderID, MethodApply, err)
	}
	if int(r.Code) != resultOK {
		return 0, &RefusedError{OrderID: a.OrderID, Code: int(r.Code), Comment: say.Plain(jos.PlainText(string(r.Comment)))}
	}
	id, err := parseID(r.ID)
	if err != nil {
		return 0, fmt.Errorf("order %s: %s: %w", a.OrderID, MethodApply, &jos.Error{Method: MethodApply, Kind: jos.KindMalformed,
			Outcome: jos.MaybeApplied, Err: fmt.Errorf("afsServiceId: %v", err)})
	}
	return id, nil
}

func parseID(s jos.Str) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a case id", say.Short(string(s), 30))
	}
	return id, nil
}

type orderParams struct {
	OrderID string `json:"orderId"`
}

type orderReply struct {
	List []struct {
		ID      jos.Str `json:"afsServiceId"`
		OrderID jos.Str `json:"orderId"`
		Status  jos.Int `json:"serviceStatus"`
		Type    jos.Int `json:"afsApplyType"`
	} `json:"afsServiceList"`
}

// Cases lists the order's after-sales cases (order.get), oldest first.
func (c *Client) Cases(ctx context.Context, orderID string) ([]Case, error) {
	id, err := printdata.CleanOrderID(orderID)
	if err != nil {
		return nil, err
	}
	var r orderReply
	if err := c.c.Read(ctx, MethodOrder, orderParams{id}, &r); err != nil {
		return nil, fmt.Errorf("order %s: %s: %w", id, MethodOrder, err)
	}
	out := make([]Case, 0, len(r.List))
	for i, v := range r.List {
		cid, err := parseID(v.ID)
		if err != nil {
			return nil, fmt.Errorf("order %s: %s: %w", id, MethodOrder, &jos.Error{Method: MethodOrder, Kind: jos.KindMalformed,
				Err: fmt.Errorf("afsServiceList[%d].afsServiceId: %v", i, err)})
		}
		if got := strings.TrimSpace(string(v.OrderID)); got != "" && got != id {
			return nil, fmt.Errorf("order %s: %s: %w", id, MethodOrder, &jos.Error{Method: MethodOrder, Kind: jos.KindMalformed,
				Err: fmt.Errorf("afsServiceList[%d] is for order %s", i, got)})
		}
		out = append(out, Case{ID: cid, OrderID: id, Status: Status(v.Status), Type: Type(v.Type)})
	}
	slices.SortFunc(out, func(a, b Case) int { return int(a.ID - b.ID) })
	return out, nil
}

type caseParams struct {
	ID string `json:"afsServiceId"`
}

type detailReply struct {
	Customer *struct {
		LinkMan jos.Str `json:"linkMan"`
		Phone   jos.Str `json:"phone"`
	} `json:"customerInfo"`
	Service *struct {
		Question jos.Str `json:"questionDesc"`
		Result   jos.Str `json:"processResult"`
		Status   jos.Str `json:"status"`
	} `json:"serviceDetailInfo"`
}

func text(s jos.Str) string { return say.Plain(jos.PlainText(strings.TrimSpace(string(s)))) }

// Detail reads a case's detail (service.detail.get).
func (c *Client) Detail(ctx context.Context, caseID int64) (Detail, error) {
	var r detailReply
	if err := c.c.Read(ctx, MethodDetail, caseParams{strconv.FormatInt(caseID, 10)}, &r); err != nil {
		return Detail{}, fmt.Errorf("case %d: %s: %w", caseID, MethodDetail, err)
	}
	if r.Service == nil {
		return Detail{}, fmt.Errorf("case %d: %s: %w", caseID, MethodDetail, &jos.Error{Method: MethodDetail, Kind: jos.KindMalformed,
			Err: errors.New("the reply has no serviceDetailInfo")})
	}
	d := Detail{ID: caseID, Question: text(r.Service.Question), Result: text(r.Service.Result), Status: text(r.Service.Status)}
	if r.Customer != nil {
		d.Contact, d.Phone = text(r.Customer.LinkMan), text(r.Customer.Phone)
	}
	return d, nil
}

type scheduleReply struct {
	List []struct {
		Step jos.Str `json:"step"`
		Date jos.Str `json:"date"`
	} `json:"scheduleList"`
}

// Schedule reads a case's milestones (service.schedule.get), oldest first.
func (c *Client) Schedule(ctx context.Context, caseID int64) ([]Step, error) {
	var r scheduleReply
	if err := c.c.Read(ctx, MethodSchedule, caseParams{strconv.FormatInt(caseID, 10)}, &r); err != nil {
		return nil, fmt.Errorf("case %d: %s: %w", caseID, MethodSchedule, err)
	}
	out := make([]Step, 0, len(r.List))
	for i, s := range r.List {
		at, err := time.ParseInLocation(jos.TimeLayout, strings.TrimSpace(string(s.Date)), jos.ChinaTime)
		if err != nil {
			return nil, fmt.Errorf("case %d: %s: %w", caseID, MethodSchedule, &jos.Error{Method: MethodSchedule, Kind: jos.KindMalformed,
				Err: fmt.Errorf("scheduleList[%d].date %q is not a time", i, text(s.Date))})
		}
		out = append(out, Step{At: at, Text: text(s.Step)})
	}
	slices.SortStableFunc(out, func(a, b Step) int { return a.At.Compare(b.At) })
	return out, nil
}

// Cancel cancels a case (service.cancel). JD refuses a case that is no longer open.
func (c *Client) Cancel(ctx context.Context, caseID int64) error {
	if err := c.c.Write(ctx, MethodCancel, caseParams{strconv.FormatInt(caseID, 10)}, nil); err != nil {
		return fmt.Errorf("case %d: %s: %w", caseID, MethodCancel, err)
	}
	return nil
}
