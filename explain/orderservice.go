package explain

import (
	"errors"
	"fmt"

	"station/afs"
	"station/fulfill"
	"station/jdorder"
	"station/journal"
	"station/say"
	"station/ship"
)

// The sentences of the rest of the order service: delete requests, FBP orders, remarks.

// DeleteReason is a delete request's reason as a person reads it: its number and JD's words.
func DeleteReason(reason int) say.Text {
	t := jdorder.DeleteReason(reason).Text()
	return say.T(fmt.Sprintf("%d：%s", reason, t.ZH), fmt.Sprintf("%d: %s", reason, t.EN))
}

// DeleteState is where a delete request stands, in words.
func DeleteState(st journal.DeleteState) say.Text {
	switch st {
	case journal.DeleteSending:
		return say.T("已发出，京东是否收到还不确定", "sent; whether JD has it is not known yet")
	case journal.DeletePending:
		return say.T("等待京东审核", "waiting for JD's review")
	case journal.DeleteCancelled:
		return say.T("已撤销", "withdrawn")
	case journal.DeleteRefused:
		return say.T("京东已拒绝", "refused by JD")
	}
	return say.T(say.Plain(string(st)), say.Plain(string(st)))
}

func explainDeleteHeld(err error) (say.Text, bool) {
	var e *ship.DeleteHeldError
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	d := e.Request
	r, st := DeleteReason(d.Reason), DeleteState(d.State)
	who := d.Who.Join(" · ")
	if who == "" {
		who = "?"
	}
	// The first sentence is what the packer does; who asked and when come after it.
	return say.T(fmt.Sprintf("订单 %s 已申请删单（原因 %d，%s）：不要打印发货，把商品放回。要发货先撤销删单（记录页或 station delete-cancel）。%s 于 %s 提交：%s。",
		e.OrderID, d.Reason, st.ZH, who, clock(d.AskedAt), r.ZH),
		fmt.Sprintf("Order %s has a delete request (reason %d, %s): do not print or ship it; put the goods back. To ship it after all, withdraw the request first (History, or station delete-cancel). Asked by %s at %s: %s.",
			e.OrderID, d.Reason, st.EN, who, clock(d.AskedAt), r.EN)), true
}

func explainFBP(err error) (say.Text, bool) {
	var e *fulfill.FBPOrderError
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	return say.T(fmt.Sprintf("订单 %s 是京东仓发货的 FBP 订单（京东：%s）：由京东仓库存储和发货，这里不打印也不发货。请把这个包裹拿下来，交给主管。", e.Order.ID, e.Order.StateRemark),
		fmt.Sprintf("Order %s is an FBP order (JD: %s): JD's own warehouse stores and ships it, so nothing is printed or shipped here. Take this parcel off and give it to your supervisor.", e.Order.ID, e.Order.StateRemark)), true
}

func explainOrderService(err error) (say.Text, bool) {
	var inv *jdorder.InvalidDeleteError
	var re *jdorder.RefusedError
	switch {
	case errors.As(err, &inv):
		return say.T(fmt.Sprintf("订单 %s 的删单申请没有发出：%s。", inv.OrderID, inv.Why.ZH),
			fmt.Sprintf("Order %s: the delete request was not sent: %s.", inv.OrderID, inv.Why.EN)), true
	case errors.Is(err, fulfill.ErrDeleteShipped):
		return say.T("这个订单已经发货（或正在发货），京东不能删单：删单申请没有发出。请走售后流程。",
			"This order has been shipped (or is being shipped), so JD cannot delete it: the delete request was not sent. Use after-sales instead."), true
	case errors.Is(err, jdorder.ErrTooLong):
		return say.T(fmt.Sprintf("备注太长：京东最多收 %d 个字。没有保存，请删短一些。", jdorder.MaxRemark),
			fmt.Sprintf("The remark is too long: JD takes at most %d characters. Nothing was saved; shorten it.", jdorder.MaxRemark)), true
	case errors.Is(err, jdorder.ErrUnsure):
		return say.T("京东没有回答，不知道它是否收到了。请稍后再查看，或再提交一次（重复提交是安全的）；删单申请在弄清之前会挡住打印和发货。",
			"JD did not answer, so it is not known whether it took it. Look again later, or send it again (sending it twice is safe); a delete request holds the order from printing and shipping until it is clear."), true
	case errors.As(err, &re):
		return say.T(fmt.Sprintf("京东拒绝了订单 %s 的请求：%s。什么都没有改变。", re.OrderID, re.Describe),
			fmt.Sprintf("JD refused the request for order %s: %s. Nothing changed.", re.OrderID, re.Describe)), true
	case errors.Is(err, jdorder.ErrNotFound):
		return say.T("京东找不到这个订单（不是本店的订单，或单号扫错了）。请核对订单号。",
			"JD has no such order for this shop (another shop's, or a mistyped id). Check the order id."), true
	}
	return say.Text{}, false
}

// ReturnCondition is a returned parcel's condition in words.
func ReturnCondition(c journal.Condition) say.Text {
	switch c {
	case journal.ReturnGood:
		return say.T("完好", "in good order")
	case journal.ReturnDamaged:
		return say.T("破损", "damaged")
	case journal.ReturnMissing:
		return say.T("缺件", "items missing")
	}
	return say.T(say.Plain(string(c)), say.Plain(string(c)))
}

func explainAfs(err error) (say.Text, bool) {
	var inv *afs.InvalidError
	var re *afs.RefusedError
	var open *fulfill.AfsOpenError
	switch {
	case errors.As(err, &inv):
		return say.T(fmt.Sprintf("订单 %s 的售后申请没有发出：%s。", inv.OrderID, inv.Why.ZH),
			fmt.Sprintf("Order %s: the after-sales application was not sent: %s.", inv.OrderID, inv.Why.EN)), true
	case errors.As(err, &open):
		c := open.Case
		return say.T(fmt.Sprintf("订单 %s 已有%s售后单 %d（%s）：没有重复提交。请在售后单里跟进。", c.OrderID, c.Type.Name().ZH, c.ID, c.Status.Name().ZH),
			fmt.Sprintf("Order %s already has %s case %d (%s): nothing was sent again. Follow that case.", c.OrderID, c.Type.Name().EN, c.ID, c.Status.Name().EN)), true
	case errors.As(err, &re):
		return say.T(fmt.Sprintf("京东没有受理订单 %s 的售后申请：%s。没有生成售后单。", re.OrderID, re.Comment),
			fmt.Sprintf("JD did not accept the after-sales application for order %s: %s. No case was created.", re.OrderID, re.Comment)), true
	case errors.Is(err, fulfill.ErrAfsUnsettled):
		return say.T("京东没有回答，也查不到售后单：不知道申请是否生效。再提交时会先向京东核对，不会重复申请。",
			"JD did not answer and its list could not be read: it is not known whether the application took effect. The next attempt checks with JD first and never applies twice."), true
	case errors.Is(err, journal.ErrAfsBusy):
		return say.T("另一个工作台正在提交同一个售后申请。请稍等，然后刷新看结果。",
			"Another station is sending the same after-sales application right now. Wait, then refresh to see how it went."), true
	case errors.Is(err, fulfill.ErrReturnNote):
		return say.T("破损或缺件的退货要写备注（哪里破损、少了什么）。没有登记。",
			"A damaged return, or one with items missing, needs a note (what is damaged, what is missing). Nothing was booked."), true
	}
	return say.Text{}, false
}
