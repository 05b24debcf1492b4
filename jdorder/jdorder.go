// Package jdorder is the rest of JD's order service as the station uses it beside printing and
// shipping: the merchant's remark (seed 004 §18-19), delete requests (§20-21), the logistics
// track of a shipped order (seed 001), FBP orders (§3-4) and JD's own label (§5). Reads come
// back typed and made safe for a screen; the writes carry a fresh trade_no where JD takes one
// and say, when their outcome is unknown, what JD shows now.
package jdorder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"station/jos"
	"station/printdata"
	"station/say"
)

// JOS methods (seed 004 and 001).
const (
	MethodRemarkQuery  = "jingdong.order.venderRemark.queryByOrderId"
	MethodRemarkUpdate = "360buy.order.vender.remark.update"
	MethodDeleteApply  = "jingdong.order.orderDelete.apply"
	MethodDeleteCancel = "jingdong.order.orderDelete.cancelApply"
	MethodTrack        = "jingdong.pop.order.track"
	MethodFBPSearch    = "360buy.order.fbp.search"
	MethodFBPGet       = "360buy.order.fbp.get"
	MethodJDLabel      = "360buy.order.print"
)

// Caller is the JOS client (*jos.Client).
type Caller interface {
	Read(ctx context.Context, method string, params any, out any) error
	Write(ctx context.Context, method string, params any, out any) error
}

// Service calls the methods of this package through a JOS client.
type Service struct {
	c   Caller
	now func() time.Time
}

// New returns a Service on c.
func New(c Caller) *Service { return &Service{c: c, now: time.Now} }

// resultOK is the result_code of an ApiJosResult that succeeded.
const resultOK = "10100000"

// apiResult is JD's ApiJosResult: the newer jingdong.* methods refuse inside it.
type apiResult struct {
	Success  jos.Str `json:"success"`
	Code     jos.Str `json:"result_code"`
	Describe jos.Str `json:"result_describe"`
}

func (r *apiResult) ok() bool {
	return r != nil && strings.EqualFold(strings.TrimSpace(string(r.Success)), "true")
}

// RefusedError is a refusal JD gave inside an ApiJosResult: the call reached JD and nothing
// happened.
type RefusedError struct {
	Method, OrderID string
	Code            string
	Describe        string // JD's words, made safe
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("order %s: %s refused (%s): %s", e.OrderID, e.Method, e.Code, e.Describe)
}

func refused(method, id string, r *apiResult) error {
	if r == nil {
		return &RefusedError{Method: method, OrderID: id, Describe: "JD's reply has no result"}
	}
	return &RefusedError{Method: method, OrderID: id, Code: strings.TrimSpace(string(r.Code)),
		Describe: say.Plain(jos.PlainText(string(r.Describe)))}
}

// ErrNotFound is wrapped when JD has no such order for this shop.
var ErrNotFound = errors.New("JD has no such order for this shop")

// notFound reports a refusal that means the order does not exist.
func notFound(err error) bool {
	var je *jos.Error
	if errors.As(err, &je) && je.Kind == jos.KindNotFound {
		return true
	}
	var re *RefusedError
	return errors.As(err, &re) && strings.Contains(re.Describe, "不存在")
}

func wrap(id, method string, err error) error {
	if notFound(err) && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("order %s: %s: %w: %w", id, method, ErrNotFound, err)
	}
	return fmt.Errorf("order %s: %s: %w", id, method, err)
}

// clean checks a typed order id.
func clean(id string) (string, error) { return printdata.CleanOrderID(id) }

// parseTime reads a JOS time; "" and JD's "no such time" give zero.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation(jos.TimeLayout, s, jos.ChinaTime)
	if err != nil || t.Year() <= 1970 {
		return time.Time{}
	}
	return t
}

// text makes outside text safe for one line of a screen.
func text(s jos.Str) string { return say.Plain(jos.PlainText(strings.TrimSpace(string(s)))) }

// RemarkFlag is the colour of the merchant's remark (§18-19).
type RemarkFlag int

const (
	FlagGrey RemarkFlag = iota
	FlagRed
	FlagYellow
	FlagGreen
	FlagBlue
	FlagPurple
)

// MaxRemark is the longest remark JD takes, in characters (§19: 不大于500字符).
const MaxRemark = 500

// Name is the colour's name.
func (f RemarkFlag) Name() say.Text {
	names := [...]say.Text{say.T("灰", "grey"), say.T("红", "red"), say.T("黄", "yellow"),
		say.T("绿", "green"), say.T("蓝", "blue"), say.T("紫", "purple")}
	if f < 0 || int(f) >= len(names) {
		return say.T(fmt.Sprint("颜色 ", int(f)), fmt.Sprint("colour ", int(f)))
	}
	return names[f]
}

// Remark is the merchant's remark on an order.
type Remark struct {
	OrderID           string
	Text              string // made safe; "" when there is none
	Flag              RemarkFlag
	Created, Modified time.Time
}

type remarkReply struct {
	Result *struct {
		API    *apiResult `json:"api_jos_result"`
		Remark *struct {
			OrderID  jos.Str `json:"order_id"`
			Remark   jos.Str `json:"remark"`
			Created  jos.Str `json:"created"`
			Modified jos.Str `json:"modified"`
			Flag     jos.Str `json:"flag"`
		} `json:"vender_remark"`
	} `json:"venderRemarkQueryResult"`
}

type orderIDParam struct {
	OrderID string `json:"order_id"`
}

// Remark reads the merchant's remark (jingdong.order.venderRemark.queryByOrderId).
func (s *Service) Remark(ctx context.Context, orderID string) (Remark, error) {
	id, err := clean(orderID)
	if err != nil {
		return Remark{}, err
	}
	var r remarkReply
	if err := s.c.Read(ctx, MethodRemarkQuery, orderIDParam{id}, &r); err != nil {
		return Remark{}, wrap(id, MethodRemarkQuery, err)
	}
	if r.Result == nil || !r.Result.API.ok() {
		var api *apiResult
		if r.Result != nil {
			api = r.Result.API
		}
		return Remark{}, wrap(id, MethodRemarkQuery, refused(MethodRemarkQuery, id, api))
	}
	out := Remark{OrderID: id}
	if v := r.Result.Remark; v != nil {
		if got := strings.TrimSpace(string(v.OrderID)); got != "" && got != id {
			return Remark{}, fmt.Errorf("order %s: %s: %w", id, MethodRemarkQuery,
				&jos.Error{Method: MethodRemarkQuery, Kind: jos.KindMalformed, Err: fmt.Errorf("JD answered for order %s", got)})
		}
		out.Text = say.Safe(jos.PlainText(strings.TrimSpace(string(v.Remark))))
		out.Created, out.Modified = parseTime(string(v.Created)), parseTime(string(v.Modified))
		var flag json.Number = json.Number(strings.TrimSpace(string(v.Flag)))
		if n, err := flag.Int64(); err == nil && n >= 0 && n <= int64(FlagPurple) {
			out.Flag = RemarkFlag(n)
		}
	}
	return out, nil
}

type remarkUpdate struct {
	OrderID string `json:"order_id"`
	Remark  string `json:"remark"`
	TradeNo string `json:"trade_no"`
	Flag    string `json:"flag"`
}

// ErrTooLong is wrapped when a remark or a reason is longer than JD takes.
var ErrTooLong = errors.New("the text is longer than JD takes")

// ErrUnsure is wrapped when a write's outcome could not be told even after asking JD.
var ErrUnsure = errors.New("it is not known whether JD took it")

// SetRemark replaces the merchant's remark (360buy.order.vender.remark.update) with a fresh
// trade_no. Setting a remark twice changes nothing, so after an unknown outcome the remark is
// read back: the same text means it took; otherwise ErrUnsure, and nothing is sent again.
func (s *Service) SetRemark(ctx context.Context, orderID, remark string, flag RemarkFlag) (Remark, error) {
	id, err := clean(orderID)
	if err != nil {
		return Remark{}, err
	}
	remark = strings.TrimSpace(remark)
	if n := utf8.RuneCountInString(remark); n > MaxRemark {
		return Remark{}, fmt.Errorf("order %s: the remark has %d characters, JD takes at most %d: %w", id, n, MaxRemark, ErrTooLong)
	}
	if flag < FlagGrey || flag > FlagPurple {
		return Remark{}, fmt.Errorf("order %s: remark colour %d: give 0 to 5", id, int(flag))
	}
	p := remarkUpdate{OrderID: id, Remark: remark, TradeNo: jos.NewTradeNo(s.now()), Flag: fmt.Sprint(int(flag))}
	err = s.c.Write(ctx, MethodRemarkUpdate, p, nil)
	if err != nil && jos.MayHaveTakenEffect(err) {
		if back, rerr := s.Remark(context.WithoutCancel(ctx), id); rerr == nil && back.Text == say.Safe(remark) && back.Flag == flag {
			return back, nil
		}
		return Remark{}, fmt.Errorf("order %s: %w (trade_no %s): %w", id, ErrUnsure, p.TradeNo, err)
	}
	if err != nil {
		return Remark{}, wrap(id, MethodRemarkUpdate, err)
	}
	return Remark{OrderID: id, Text: say.Safe(remark), Flag: flag, Modified: s.now()}, nil
}
