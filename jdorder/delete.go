package jdorder

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"station/jos"
	"station/say"
)

// DeleteReason is del_apply_type (§20): why the merchant asks JD to delete an order.
type DeleteReason int

// ReasonOther is the ninth reason, which needs a description.
const ReasonOther DeleteReason = 9

// MaxDeleteText is the longest description JD takes (§20: 长度不能超过500).
const MaxDeleteText = 500

// deleteReasons are the seed's nine reasons.
var deleteReasons = [...]say.Text{
	{},
	say.T("商品无货/有瑕疵，请京东联系客户取消订单", "Out of stock or faulty: JD to ask the customer to cancel"),
	say.T("商品无货/有瑕疵，已经联系客户同意取消，请京东直接删单", "Out of stock or faulty, the customer agreed to cancel: JD to delete the order"),
	say.T("客户要求取消订单，请京东直接删单", "The customer asked to cancel: JD to delete the order"),
	say.T("货到付款订单，客户拒收，已经联系客户同意取消，请京东直接删单", "Cash on delivery, refused by the customer, who agreed to cancel: JD to delete the order"),
	say.T("货到付款订单，客户拒收，无法联系上客户", "Cash on delivery, refused by the customer, who cannot be reached"),
	say.T("客户电话无法接通，无法安排发货", "The customer's phone does not answer: the order cannot be shipped"),
	say.T("客户下单不符合购买规则，无法安排发货", "The order breaks the shop's purchase rules: it cannot be shipped"),
	say.T("客户地址无法配送，请京东联系客户取消订单", "The address cannot be served: JD to ask the customer to cancel"),
	say.T("其他（请在删单描述中写明具体原因）", "Other (describe the reason)"),
}

// DeleteReasons lists the reasons 1-9.
func DeleteReasons() []DeleteReason {
	out := make([]DeleteReason, 0, 9)
	for r := DeleteReason(1); r <= ReasonOther; r++ {
		out = append(out, r)
	}
	return out
}

// Valid reports whether r is one of JD's nine reasons.
func (r DeleteReason) Valid() bool { return r >= 1 && r <= ReasonOther }

// Text is the reason in words.
func (r DeleteReason) Text() say.Text {
	if !r.Valid() {
		return say.T(fmt.Sprintf("未知原因 %d", int(r)), fmt.Sprintf("unknown reason %d", int(r)))
	}
	return deleteReasons[r]
}

// DeleteRequest is what a delete request asks.
type DeleteRequest struct {
	OrderID string
	Reason  DeleteReason
	Text    string // del_apply_reason; required for ReasonOther
}

// InvalidDeleteError is a delete request refused before anything was sent.
type InvalidDeleteError struct {
	OrderID string
	Why     say.Text
}

func (e *InvalidDeleteError) Error() string { return "order " + e.OrderID + ": " + e.Why.EN }

// Check refuses a request JD would refuse, with an *InvalidDeleteError, and returns it cleaned.
func (d DeleteRequest) Check() (DeleteRequest, error) {
	id, err := clean(d.OrderID)
	if err != nil {
		return d, err
	}
	d.OrderID, d.Text = id, strings.TrimSpace(d.Text)
	switch n := utf8.RuneCountInString(d.Text); {
	case !d.Reason.Valid():
		return d, &InvalidDeleteError{id, say.T(fmt.Sprintf("删单原因 %d 不存在：请选 1 到 9", int(d.Reason)),
			fmt.Sprintf("there is no delete reason %d: choose 1 to 9", int(d.Reason)))}
	case d.Reason == ReasonOther && d.Text == "":
		return d, &InvalidDeleteError{id, say.T("原因 9（其他）要写明具体原因", "reason 9 (other) needs a description")}
	case n > MaxDeleteText:
		return d, &InvalidDeleteError{id, say.T(fmt.Sprintf("删单描述有 %d 个字，京东最多收 %d 个", n, MaxDeleteText),
			fmt.Sprintf("the description has %d characters, JD takes at most %d", n, MaxDeleteText))}
	}
	return d, nil
}

type deleteApply struct {
	OrderID string `json:"order_id"`
	Type    string `json:"del_apply_type"`
	Reason  string `json:"del_apply_reason,omitempty"`
}

type resultReply struct {
	Result *apiResult `json:"result"`
}

// ApplyDelete asks JD to delete the order (jingdong.order.orderDelete.apply). A refusal that
// says a request is already pending means this one is there: already is true, no error. JD
// takes no trade_no here; after an unknown outcome (ErrUnsure) asking again is safe, as JD
// refuses a second request while one is pending.
func (s *Service) ApplyDelete(ctx context.Context, d DeleteRequest) (already bool, err error) {
	d, err = d.Check()
	if err != nil {
		return false, err
	}
	var r resultReply
	err = s.c.Write(ctx, MethodDeleteApply, deleteApply{OrderID: d.OrderID, Type: fmt.Sprint(int(d.Reason)), Reason: d.Text}, &r)
	switch {
	case err != nil && jos.MayHaveTakenEffect(err):
		return false, fmt.Errorf("order %s: the delete request %w: %w", d.OrderID, ErrUnsure, err)
	case err != nil:
		return false, wrap(d.OrderID, MethodDeleteApply, err)
	case r.Result.ok():
		return false, nil
	}
	rerr := refused(MethodDeleteApply, d.OrderID, r.Result)
	if re := rerr.(*RefusedError); strings.Contains(re.Describe, "已有删单申请") || strings.Contains(re.Describe, "已存在删单申请") {
		return true, nil
	}
	return false, wrap(d.OrderID, MethodDeleteApply, rerr)
}

// CancelDelete withdraws the order's delete request (jingdong.order.orderDelete.cancelApply).
// A refusal that says there is none means there is nothing to withdraw: none is true.
func (s *Service) CancelDelete(ctx context.Context, orderID string) (none bool, err error) {
	id, err := clean(orderID)
	if err != nil {
		return false, err
	}
	var r resultReply
	err = s.c.Write(ctx, MethodDeleteCancel, orderIDParam{id}, &r)
	switch {
	case err != nil && jos.MayHaveTakenEffect(err):
		return false, fmt.Errorf("order %s: withdrawing the delete request %w: %w", id, ErrUnsure, err)
	case err != nil:
		return false, wrap(id, MethodDeleteCancel, err)
	case r.Result.ok():
		return false, nil
	}
	rerr := refused(MethodDeleteCancel, id, r.Result)
	if re := rerr.(*RefusedError); strings.Contains(re.Describe, "没有") && strings.Contains(re.Describe, "删单申请") {
		return true, nil
	}
	return false, wrap(id, MethodDeleteCancel, rerr)
}
