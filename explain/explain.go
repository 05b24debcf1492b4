// Package explain is the one place that writes what the station tells a person: every error,
// scan result, batch event and printer state becomes a say.Text in Chinese and English here,
// from the data the errors and results carry (kinds, states, ids, what was sent), never from
// matching their texts. It never shows secrets or consignee data: what it reads carries order
// ids, carrier ids and waybill numbers only.
package explain

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"station/fulfill"
	"station/jos"
	"station/journal"
	"station/orderlist"
	"station/printdata"
	"station/printer"
	"station/render"
	"station/say"
	"station/scan"
	"station/ship"
)

// Error says what an error means and what to do. nil gives an empty Text.
func Error(err error) say.Text {
	if err == nil {
		return say.Text{}
	}
	for _, explain := range explainers {
		if m, ok := explain(err); ok {
			return m
		}
	}
	return say.T("出错了："+say.Plain(err.Error())+"。请重试；如果一直出现，请联系管理员。",
		"Something went wrong: "+say.Plain(err.Error())+". Try again; if it keeps happening, tell your administrator.")
}

// explainers are tried in order: the most specific meaning first (a ship failure caused by a
// locked order is about the lock, not about JOS).
var explainers = []func(error) (say.Text, bool){
	explainSetup,
	explainItem,
	explainScale,
	explainScan,
	explainList,
	explainInvalidShipment,
	explainDeleteHeld,
	explainFBP,
	explainOrderService,
	explainAfs,
	explainNotShippable,
	explainPrintUnknown,
	explainPrintElsewhere,
	explainPrinterStopped,
	explainNotRecorded,
	explainNeedsReconcile,
	explainInProgress,
	explainPrinter,
	explainNoPrinter,
	explainCarrier,
	explainShipFailed,
	explainJOS,
	explainImage,
	explainPrintData,
	explainRender,
	explainNotInJournal,
	explainShippedElsewhere,
	explainStopped,
	explainContext,
	explainJournal,
	explainMissingFile,
}

func explainScan(err error) (say.Text, bool) {
	var e *scan.Error
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	in := say.Short(e.Input, 60) // what was scanned, from outside
	switch e.Problem {
	case scan.Empty:
		return say.T("没有扫到内容（只有空格或控制字符）。请重新扫描。",
			"Nothing was scanned (only spaces or control characters). Scan again."), true
	case scan.Garbage:
		return say.T(fmt.Sprintf("“%s”既不是订单号也不是运单号，什么都没有做。请扫描订单条码。", in),
			fmt.Sprintf("%q is neither an order id nor a waybill; nothing was done. Scan the order barcode.", in)), true
	case scan.WaybillFirst:
		zhName, enName := "", ""
		if len(e.Candidates) > 0 {
			zhName = "（" + say.Plain(e.Candidates[0].Name) + "）"
			enName = " (" + say.Plain(e.Candidates[0].Name) + ")"
		}
		return say.T(fmt.Sprintf("%s 看起来是运单号%s，不是订单号。请先扫描订单条码。", in, zhName),
			fmt.Sprintf("%s looks like a waybill%s, not an order id. Scan the order barcode first.", in, enName)), true
	case scan.SameOrder:
		return say.T(fmt.Sprintf("又扫了订单 %s 的条码。请扫描包裹上的运单号。", in),
			fmt.Sprintf("That is order %s's barcode again. Scan the parcel's waybill.", in)), true
	case scan.SetAside:
		return say.T(fmt.Sprintf("订单 %s 在等运单号时扫了另一个订单 %s：已把 %s 放到一边（没有发货，在异常单里）。扫描它的运单号前请先再扫一次这个订单。", e.Awaited, in, e.Awaited),
			fmt.Sprintf("Order %s was waiting for its waybill when order %s was scanned: %s was put aside (not shipped; it is in the exception list). To ship it, scan the order again, then its waybill.", e.Awaited, in, e.Awaited)), true
	case scan.SameWaybill:
		return say.T(fmt.Sprintf("运单号 %s 已经扫过（这个订单的另一个包裹）：每个包裹扫自己的运单号。", in),
			fmt.Sprintf("Waybill %s was already scanned for another parcel of this order: scan each parcel's own waybill.", in)), true
	case scan.CarrierUnknown:
		return say.T(fmt.Sprintf("认不出运单号 %s 属于哪家快递（本店的快递公司里没有这种格式）。请选择快递公司后再扫描。", in),
			fmt.Sprintf("Waybill %s does not match any of this shop's carriers. Choose the carrier, then scan it again.", in)), true
	case scan.CarrierAmbiguous:
		return say.T(fmt.Sprintf("运单号 %s 可能属于：%s。请选择快递公司后再扫描。", in, say.Plain(ship.Describe(e.Candidates))),
			fmt.Sprintf("Waybill %s could belong to %s. Choose the carrier, then scan it again.", in, say.Plain(ship.Describe(e.Candidates)))), true
	case scan.WaybillShape:
		return say.T(fmt.Sprintf("%s 不像%s的运单号。请重新扫描运单，或选择其他快递公司。", in, say.Plain(e.Carrier.Name)),
			fmt.Sprintf("%s does not look like a %s waybill. Scan the waybill again, or choose another carrier.", in, say.Plain(e.Carrier.Name))), true
	case scan.Unchecked:
		return say.T(fmt.Sprintf("无法确认 %s 是订单号还是运单号（连不上京东）。请选择快递公司后再扫描运单。", in),
			fmt.Sprintf("Could not tell whether %s is an order or a waybill (JD could not be reached). Choose the carrier, then scan the waybill again.", in)), true
	}
	return say.T("扫描内容无法识别，什么都没有做。请重新扫描。", "The scan was not understood; nothing was done. Scan again."), true
}

func explainList(err error) (say.Text, bool) {
	var na *orderlist.NotAListError
	if errors.As(err, &na) {
		return explainNotAList(na), true
	}
	var e *orderlist.Error
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	what, whatEN := "订单列表", "The order list"
	if e.Of == orderlist.Waybills {
		what, whatEN = "运单文件", "The waybill file"
	}
	list := strings.Join(e.Problems[:min(len(e.Problems), 10)], "\n")
	return say.T(fmt.Sprintf("%s有 %d 处错误，什么都没有做。请改正以下各行后重试：\n%s", what, len(e.Problems), list),
		fmt.Sprintf("%s has %d mistake(s); nothing was done. Fix these lines and try again:\n%s", whatEN, len(e.Problems), list)), true
}

func explainNotAList(e *orderlist.NotAListError) say.Text {
	what, whatEN, give, giveEN := "订单列表", "The order list", "请给一个文本文件，每行一个订单号", "give a text file with one order id a line"
	if e.Of == orderlist.Waybills {
		what, whatEN, give, giveEN = "运单文件", "The waybill file", "请给一个 CSV 文件（订单号,物流公司ID,运单号）", "give a CSV file (order id, logistics id, waybill)"
	}
	switch e.Problem {
	case orderlist.TooBig:
		return say.T(fmt.Sprintf("%s超过 %d MB，不像是订单列表，什么都没有做。请拆成几个小文件。", what, orderlist.MaxListBytes>>20),
			fmt.Sprintf("%s is larger than %d MB, which no list is; nothing was done. Split it into smaller files.", whatEN, orderlist.MaxListBytes>>20))
	case orderlist.LongLine:
		return say.T(fmt.Sprintf("%s第 %d 行超过 %d KB，不像是列表，什么都没有做。%s。", what, e.Line, orderlist.MaxLineBytes>>10, give),
			fmt.Sprintf("%s: line %d is longer than %d KB, which no list line is; nothing was done. Choose the right file: %s.", whatEN, e.Line, orderlist.MaxLineBytes>>10, giveEN))
	}
	return say.T(fmt.Sprintf("%s第 %d 行是二进制数据，不是文本：选错文件了？什么都没有做。%s。", what, e.Line, give),
		fmt.Sprintf("%s: line %d is binary data, not text: the wrong file? Nothing was done; %s.", whatEN, e.Line, giveEN))
}

func explainInvalidShipment(err error) (say.Text, bool) {
	var e *ship.InvalidShipmentError
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	order, orderEN := "", ""
	if e.OrderID != "" {
		order, orderEN = "订单 "+e.OrderID+"：", "Order "+e.OrderID+": "
	}
	var zh, en string
	switch e.Kind {
	case ship.InvalidOrderID:
		zh, en = "订单号不对（京东订单号是最多 20 位数字）。请重新扫描订单条码。", "that is not a JD order id (up to 20 digits). Scan the order barcode again."
	case ship.InvalidType:
		zh, en = "订单类型不对：应为 SOP、LBP、SOPL 或海外购（OVERSEAS）。", "the order type must be SOP, LBP, SOPL or OVERSEAS."
	case ship.InvalidNoCorrection:
		zh, en = "京东没有海外购订单的改运单接口：这里没有发出修改。请在京东商家后台修改。", "JD has no waybill correction for overseas orders: nothing was sent. Correct it in JD's merchant backend."
	case ship.InvalidNoCarrier:
		zh, en = "没有选择快递公司。请选择快递公司（物流公司 ID）。", "no carrier was chosen. Choose the carrier (logistics id)."
	case ship.InvalidUnknownCarrier:
		zh = fmt.Sprintf("快递公司 %s 不在本店的快递公司列表里。请从列表中选择，或先在京东商家后台开通后刷新列表。", e.LogisticsID)
		en = fmt.Sprintf("carrier %s is not in this shop's carrier list. Choose one from the list, or set it up in JD's merchant backend and refresh the list.", e.LogisticsID)
	case ship.InvalidDeliverToJD:
		zh, en = "物流 ID 0（商家自己送到京东分拣中心）只用于 LBP 和 SOPL 订单；SOP 订单需要选择本店的快递公司。",
			"logistics id 0 (taking the parcels to JD's sorting centre) is for LBP and SOPL orders; a SOP order needs one of the shop's carriers."
	case ship.InvalidTooManyCarriers:
		zh, en = "LBP 和 SOPL 订单只能用一家快递公司。", "LBP and SOPL orders take one carrier."
	case ship.InvalidDuplicateCarrier:
		zh = fmt.Sprintf("快递公司 %s 填了两次：请把它的运单号放在一起。", e.LogisticsID)
		en = fmt.Sprintf("carrier %s is given twice: put all its waybills under one entry.", e.LogisticsID)
	case ship.InvalidMissingWaybill:
		zh = fmt.Sprintf("快递公司 %s 需要运单号：请扫描包裹上的运单号（批量时在运单文件中填写）。", e.LogisticsID)
		en = fmt.Sprintf("carrier %s needs a waybill: scan the parcel's waybill (in a batch: give it in the waybill file).", e.LogisticsID)
	case ship.InvalidWaybill:
		zh = fmt.Sprintf("运单号 %s 的格式与快递公司 %s 不符：请检查快递公司或重新扫描运单。", e.Waybill, e.LogisticsID)
		en = fmt.Sprintf("waybill %s does not look like one of carrier %s: check the carrier or scan the waybill again.", e.Waybill, e.LogisticsID)
	case ship.InvalidDuplicateWaybill:
		zh, en = fmt.Sprintf("运单号 %s 填了两次。", e.Waybill), fmt.Sprintf("waybill %s is given twice.", e.Waybill)
	case ship.InvalidWaybillNotAllowed:
		zh = fmt.Sprintf("物流 ID 0 表示商家自己把包裹送到京东分拣中心，不能带运单号 %s：请去掉运单号，或选择对应的快递公司。", e.Waybill)
		en = fmt.Sprintf("logistics id 0 means the parcels go to JD's sorting centre without a carrier, so it takes no waybill (%s): remove it, or choose the carrier it belongs to.", e.Waybill)
	case ship.InvalidWaybillCount:
		zh, en = "运单号（或快递公司）比包裹数多：每个运单至少一个包裹。请改正包裹数或去掉多余的运单号。",
			"more waybills (or carriers) than parcels: each waybill is at least one parcel. Fix the parcel count or remove a waybill."
	case ship.InvalidPackages:
		zh, en = fmt.Sprintf("包裹数不对：请填 1 到 %d。", ship.MaxPackages), fmt.Sprintf("the parcel count must be 1 to %d.", ship.MaxPackages)
	case ship.InvalidAddress:
		zh, en = "address_id 只用于 SOPL 订单。", "address_id is for SOPL orders only."
	case ship.InvalidTradeNo:
		zh, en = "流水号格式不对：最多 64 位字母、数字、“-”或“_”，或者留空。", "the trade_no takes up to 64 letters, digits, '-' or '_' (or leave it empty)."
	case ship.InvalidWaybillUsed:
		zh = fmt.Sprintf("运单号 %s 已用于订单 %s：一个运单号只能用于一个包裹。请扫描这个包裹自己的运单号。", e.Waybill, e.UsedBy)
		en = fmt.Sprintf("waybill %s is already used for order %s: one waybill is one parcel. Scan this parcel's own waybill.", e.Waybill, e.UsedBy)
	default:
		zh, en = "发货信息不对。", "the shipment is not valid."
	}
	if orderEN == "" {
		en = strings.ToUpper(en[:1]) + en[1:]
	}
	return say.T(order+zh+"（没有提交给京东。）", orderEN+en+" Nothing was sent to JD."), true
}

func explainNotShippable(err error) (say.Text, bool) {
	var e *printdata.NotShippableError
	if !errors.As(err, &e) {
		if errors.Is(err, printdata.ErrNotShippable) {
			return say.T("京东不允许发这个订单（已锁定或已取消）。请在京东商家后台查看订单。",
				"JD does not allow this order to be shipped (locked or cancelled). Check it in JD's merchant backend."), true
		}
		return say.Text{}, false
	}
	if printdata.AlreadyOut(e.State) {
		zh, en := stateWords(e.State)
		return say.T(fmt.Sprintf("京东显示订单 %s 已发货（%s）：不要再发，请把这个包裹拿下来。这里没有打印面单。", e.OrderID, zh),
			fmt.Sprintf("JD shows order %s as already shipped (%s): do not ship it again; take this parcel off. No label was printed here.", e.OrderID, en)), true
	}
	switch e.State {
	case printdata.StateCanceled:
		return say.T(fmt.Sprintf("订单 %s 已取消（TRADE_CANCELED）：不要发货，请把商品放回。", e.OrderID),
			fmt.Sprintf("Order %s was cancelled (TRADE_CANCELED): do not ship it; put the goods back.", e.OrderID)), true
	case printdata.StateLocked:
		return say.T(fmt.Sprintf("订单 %s 已被锁定（LOCKED，通常是客服或买家在处理）：现在不能打印发货。请在京东商家后台查看订单。", e.OrderID),
			fmt.Sprintf("Order %s is locked (LOCKED, usually customer service or the buyer is dealing with it): it cannot be printed or shipped now. Check it in JD's merchant backend.", e.OrderID)), true
	}
	zh, en := stateWords(e.State)
	return say.T(fmt.Sprintf("京东显示订单 %s 不是等待出库（%s）：这里没有打印也没有发货。请在京东商家后台查看订单。", e.OrderID, zh),
		fmt.Sprintf("JD shows order %s as not waiting for its outstorage (%s): nothing was printed or shipped here. Check it in JD's merchant backend.", e.OrderID, en)), true
}

// stateWords is an order state in words (with the state's name, as JD's backend shows it).
func stateWords(state string) (zh, en string) {
	switch state {
	case printdata.StateSentToDistribution:
		return "已发往配送中心，SEND_TO_DISTRIBUTION_CENER", "sent to the distribution centre, SEND_TO_DISTRIBUTION_CENER"
	case printdata.StateDistributionRecvd:
		return "配送中心已收货，DISTRIBUTION_CENTER_RECEIVED", "received at the distribution centre, DISTRIBUTION_CENTER_RECEIVED"
	case printdata.StateWaitReceive:
		return "等待确认收货，WAIT_GOODS_RECEIVE_CONFIRM", "waiting for the buyer to confirm receipt, WAIT_GOODS_RECEIVE_CONFIRM"
	case printdata.StateReceiptsConfirm:
		return "已确认收货，RECEIPTS_CONFIRM", "receipt confirmed, RECEIPTS_CONFIRM"
	case printdata.StateFinished:
		return "已完成，FINISHED_L", "finished, FINISHED_L"
	case printdata.StateLocked:
		return "已锁定，LOCKED", "locked, LOCKED"
	case printdata.StateCanceled:
		return "已取消，TRADE_CANCELED", "cancelled, TRADE_CANCELED"
	case printdata.StateWaitDelivery:
		return "等待卖家发货，WAIT_SELLER_DELIVERY", "waiting for the seller's delivery, WAIT_SELLER_DELIVERY"
	case "":
		return "状态未知", "state unknown"
	}
	s := say.Plain(state)
	return s, s
}

func explainPrintUnknown(err error) (say.Text, bool) {
	var e *fulfill.PrintUnknownError
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	if e.Labels > 1 {
		// Which of the parcels' labels came out, which may have, which were never sent.
		notSent := e.Done + 1 // the first label not sent
		zh := fmt.Sprintf("订单 %s 有 %d 张面单（%d 个包裹），%s 打印时中断了：", e.OrderID, e.Labels, e.Labels, clock(e.At))
		en := fmt.Sprintf("Order %s has %d labels (%d parcels); printing was interrupted at %s: ", e.OrderID, e.Labels, e.Labels, clock(e.At))
		if e.Done > 0 {
			zh += fmt.Sprintf("第 %s 张已完整发给打印机，", labelRange(1, e.Done))
			en += fmt.Sprintf("%s sent to the printer whole, ", labelRangeEN(1, e.Done))
		}
		if e.CutOff {
			zh += fmt.Sprintf("第 %d 张中断（可能打了，也可能没打）", notSent)
			en += fmt.Sprintf("label %d was cut off (it may or may not have printed)", notSent)
			notSent++
			if notSent <= e.Labels {
				zh += "，"
				en += ", "
			}
		}
		if notSent <= e.Labels {
			zh += fmt.Sprintf("第 %s 张没有发送", labelRange(notSent, e.Labels))
			en += fmt.Sprintf("%s not sent", labelRangeEN(notSent, e.Labels))
		}
		return say.T(zh+"。请看一下打印机，数一数打出来的面单；重打会把全部面单再打一遍，多出来的请作废。",
			en+". Look at the printer and count the labels that came out; a reprint prints all of them again, so void the extra ones."), true
	}
	return say.T(fmt.Sprintf("订单 %s 的面单在 %s 发送到打印机后中断了，不知道有没有打出来。请看一下打印机：如果没有打出来，请点“重打”；打出来了就不要重打。",
		e.OrderID, clock(e.At)),
		fmt.Sprintf("Order %s's label was sent to the printer at %s and was interrupted: it may or may not have printed. Look at the printer: if no label came out, reprint it; if it did, do not.",
			e.OrderID, clock(e.At))), true
}

// labelRange is "2" or "2-4" (labels from a to b).
func labelRange(a, b int) string {
	if a == b {
		return strconv.Itoa(a)
	}
	return fmt.Sprintf("%d-%d", a, b)
}

// labelRangeEN is "label 2 was" or "labels 2-4 were".
func labelRangeEN(a, b int) string {
	if a == b {
		return fmt.Sprintf("label %d was", a)
	}
	return fmt.Sprintf("labels %d-%d were", a, b)
}

func explainPrinterStopped(err error) (say.Text, bool) {
	if !errors.Is(err, fulfill.ErrPrinterStopped) {
		return say.Text{}, false
	}
	var e *fulfill.PrinterStoppedError
	if !errors.As(err, &e) {
		return say.T("打印机在前面的面单上出错，批量打印已停止：这个订单没有打印（没有发给打印机），也没有发货。修好后再运行同一批即可继续。",
			"The printer failed on an earlier label, so the batch stopped printing: nothing of this order was sent to the printer, and it was not shipped. Once fixed, run the same batch again to continue."), true
	}
	var what say.Text
	var pe *printer.Error
	if errors.As(e.Err, &pe) {
		what = printerKindText(pe.Kind)
	}
	return say.T(fmt.Sprintf("打印机在订单 %s 的面单上出错：%s批量打印已停止：订单 %s 没有打印（没有发给打印机），也没有发货。修好打印机后再运行同一批即可继续。",
		e.FailedOn, what.ZH, e.OrderID),
		fmt.Sprintf("The printer failed on order %s's label: %s The batch stopped printing: nothing of order %s was sent to the printer, and it was not shipped. Once the printer is fixed, run the same batch again to continue.",
			e.FailedOn, what.EN, e.OrderID)), true
}

func explainNotRecorded(err error) (say.Text, bool) {
	if !errors.Is(err, ship.ErrNotRecorded) {
		return say.Text{}, false
	}
	zh, en := "京东已经接受了发货（订单已发出，不要再发一次），但工作站的记录没有写进去", "JD accepted the shipment (the order is shipped: do not ship it again), but the station's journal could not record it"
	switch {
	case errors.Is(err, journal.ErrLeaseLost):
		return say.T(zh+"：另一台工作站接手了这个订单，它会向京东核对并记为已发货。",
			en+": another station took the order over; it checks with JD and records it as shipped."), true
	case errors.Is(err, journal.ErrFull):
		zh += "：磁盘已满。请先清理磁盘空间，"
		en += ": the disk is full. Free some disk space, "
	default:
		zh += "（" + say.Plain(err.Error()) + "）。请先修好记录（磁盘空间、权限），"
		en += " (" + say.Plain(err.Error()) + "). Fix the journal (disk space, permissions), "
	}
	return say.T(zh+"然后重新打开工作站：它会先向京东核对，把订单记为已发货；之后“记录”（station history）里显示已发货。",
		en+"then start the station again: it checks with JD first and records the order as shipped; History (station history) then shows it shipped."), true
}

func explainNeedsReconcile(err error) (say.Text, bool) {
	if !errors.Is(err, ship.ErrNeedsReconcile) {
		return say.Text{}, false
	}
	return say.T("发货（出库）请求已经发给京东，但没有收到结果，也查不到订单状态。为了不重复发货，暂时不会再发。工作站会在下次启动或再次发货时先向京东核对；也可以在京东商家后台查看。",
		"The outstorage was sent to JD but no answer came back, and the order's state could not be read. To avoid shipping twice nothing more is sent: the station checks with JD first, at the next start or the next attempt. You can also check the order in JD's merchant backend."), true
}

func explainInProgress(err error) (say.Text, bool) {
	if !errors.Is(err, ship.ErrInProgress) {
		return say.Text{}, false
	}
	return say.T("另一台工作站（或另一个窗口）正在给这个订单发货。请稍等片刻再试。",
		"Another station (or another window) is shipping this order right now. Wait a moment and try again."), true
}

func explainPrinter(err error) (say.Text, bool) {
	var e *printer.Error
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	return explainPrinterError(e), true
}

func explainPrinterError(e *printer.Error) say.Text {
	t := printerKindText(e.Kind)
	zh, en := t.ZH, t.EN
	if e.Op == "print" {
		switch e.Sent {
		case printer.SentNone:
			zh += "面单没有发出去，可以放心重打。"
			en += " Nothing was sent, so printing again is safe."
		case printer.SentPartial:
			if e.Total > 0 && e.Bytes >= e.Total {
				zh += "面单已全部发出，但打印机没有确认收到：可能没有打出来。请先看打印机，再决定是否重打。"
				en += " The whole label was sent, but the printer did not confirm it took it: it may not have printed. Look at the printer before printing it again."
				break
			}
			zh += "面单只发出去了一部分：可能打了一半，也可能没打。请先看打印机，再决定是否重打。"
			en += " Part of the label was sent: it may have printed partly or not at all. Look at the printer before printing it again."
		case printer.SentAll:
			zh += "面单已经全部发给打印机，不要重打。"
			en += " The whole label reached the printer: do not print it again."
		}
	}
	if aen, azh := advice(e.Kind, strings.HasPrefix(e.Printer, "win:")); aen != "" {
		zh += azh + "。"
		en += " " + strings.ToUpper(aen[:1]) + aen[1:] + "."
	}
	return say.T(zh, en)
}

// printerKindText says what is wrong with a printer, in one sentence.
func printerKindText(k printer.Kind) say.Text {
	var zh, en string
	switch k {
	case printer.KindNotFound:
		zh, en = "找不到打印机（没插好、没开机或地址不对）。", "The printer is not there (unplugged, switched off or a wrong address)."
	case printer.KindOffline:
		zh, en = "打印机已暂停或离线。", "The printer is paused or off-line."
	case printer.KindPaperOut:
		zh, en = "打印机缺纸。", "The printer is out of labels."
	case printer.KindHeadOpen:
		zh, en = "打印头没有合上。", "The print head is open."
	case printer.KindPrinterError:
		zh, en = "打印机报错。", "The printer reports an error."
	case printer.KindPermission:
		zh, en = "没有权限使用打印机。", "This user may not use the printer."
	case printer.KindBusy:
		zh, en = "打印机被其他程序占用。", "Another program is using the printer."
	case printer.KindTimeout:
		zh, en = "打印机没有响应。", "The printer did not respond."
	case printer.KindRefused:
		zh, en = "网络打印机拒绝连接。", "The network printer refused the connection."
	case printer.KindDropped:
		zh, en = "和打印机的连接断了。", "The connection to the printer was lost."
	case printer.KindBadSpec:
		zh, en = "打印机设置不对。", "The printer setting is wrong."
	case printer.KindBadJob:
		zh, en = "这张面单无法在这台打印机上打印（尺寸或设置不符）。", "This label cannot be printed on this printer (size or setting)."
	case printer.KindUnsupported:
		zh, en = "缺少这台打印机需要的组件。", "A component this printer needs is missing."
	case printer.KindCanceled:
		zh, en = "打印被取消了。", "Printing was cancelled."
	case printer.KindClosed:
		zh, en = "打印机已关闭。", "The printer was closed."
	default:
		zh, en = "打印失败。", "Printing failed."
	}
	return say.T(zh, en)
}

// advice says what to do about a printer failure of kind k; windows: the printer is a Windows
// printer (win:), set up in Windows rather than by a cable or an address.
func advice(k printer.Kind, windows bool) (en, zh string) {
	if windows {
		switch k {
		case printer.KindNotFound:
			return "check the printer's name in Windows (Settings → Printers) and choose it again under 设置 → 打印机",
				"请在 Windows 的打印机列表里核对名称，并在 设置 → 打印机 中重新选择"
		case printer.KindOffline:
			return "switch the printer on and resume its queue in Windows (Settings → Printers → open the queue → Resume)",
				"请打开打印机，并在 Windows 的打印队列里点“继续”"
		case printer.KindPermission:
			return "ask whoever looks after this PC to let this Windows user print to it", "请让电脑管理员允许这个 Windows 用户使用该打印机"
		}
	}
	switch k {
	case printer.KindBadSpec:
		return "check the printer setting", "请检查打印机设置"
	case printer.KindBadJob:
		return "check the label size and the printer's size setting", "请检查标签尺寸与打印机的纸张尺寸设置"
	case printer.KindNotFound:
		return "plug the printer in, switch it on and check the cable or address", "请连接并打开打印机，检查数据线或网络地址"
	case printer.KindOffline:
		return "press the printer's pause/feed button so that it is ready", "请按暂停/走纸键使其就绪"
	case printer.KindPaperOut:
		return "load labels", "请装入标签纸"
	case printer.KindHeadOpen:
		return "close it", "请把它合上"
	case printer.KindPrinterError:
		return "look at the printer's lights or display (jam, ribbon) and clear the error", "请查看打印机指示灯并排除故障"
	case printer.KindPermission:
		return "give this user access to the printer (on Linux a udev rule, see the printer setup notes)", "没有权限访问打印机：Linux 下请添加 udev 规则（见打印机设置说明）"
	case printer.KindBusy:
		return "close other programs using the printer; on Linux the usblp driver is detached automatically, otherwise unbind it", "请关闭其他打印程序"
	case printer.KindTimeout:
		return "check that the printer is on, ready and has labels", "请确认打印机已开机、就绪并有标签纸"
	case printer.KindRefused:
		return "check the printer's address and port (raw printing is usually port 9100)", "请检查地址和端口（通常为 9100）"
	case printer.KindDropped:
		return "check the network or cable and the printer", "请检查网络或数据线以及打印机"
	case printer.KindUnsupported:
		return "install the missing component or use another connection", "请安装或改用其他连接方式"
	case printer.KindClosed:
		return "open the printer again", "请重新打开"
	}
	return "", ""
}

// Away says why labels are held for an absent printer and that they go out by themselves
// once it is back ("打印机缺纸：装纸后自动继续").
func Away(err error) say.Text {
	var zh, en string
	switch printer.KindOf(err) {
	case printer.KindPaperOut:
		zh, en = "打印机缺纸：装纸后自动继续", "The printer is out of labels: printing goes on by itself once labels are loaded"
	case printer.KindHeadOpen:
		zh, en = "打印头没有合上：合上后自动继续", "The print head is open: printing goes on by itself once it is closed"
	case printer.KindOffline:
		zh, en = "打印机已暂停或离线：按暂停/走纸键就绪后自动继续", "The printer is paused or off-line: printing goes on by itself once it is ready"
	case printer.KindPrinterError:
		zh, en = "打印机报错（卡纸、碳带等）：排除故障后自动继续", "The printer reports an error (jam, ribbon): printing goes on by itself once it is cleared"
	case printer.KindBusy:
		zh, en = "打印机被其他程序占用：释放后自动继续", "Another program holds the printer: printing goes on by itself once it lets go"
	case printer.KindRefused, printer.KindTimeout:
		zh, en = "网络打印机没有响应：恢复后自动继续", "The printer does not answer: printing goes on by itself once it does"
	default:
		zh, en = "找不到打印机：接好并开机后自动继续", "The printer is not there: printing goes on by itself once it is plugged in and on"
	}
	return say.T(zh+"（已发出的面单不会重发；按停止可中止）。", en+" (nothing already sent is sent again; stop to give up).")
}

func explainNoPrinter(err error) (say.Text, bool) {
	if !errors.Is(err, fulfill.ErrNoPrinter) {
		return say.Text{}, false
	}
	return say.T("还没有设置打印机。请在设置中选择打印机（命令行：-printer 或 -o）。",
		"No printer is set up. Choose a printer in the settings (command line: -printer or -o)."), true
}

func explainCarrier(err error) (say.Text, bool) {
	switch {
	case errors.Is(err, ship.ErrCarrierNotDetected):
		return say.T("认不出这个运单号属于哪家快递。请选择快递公司。",
			"The carrier could not be recognised from the waybill. Choose the carrier."), true
	case errors.Is(err, ship.ErrCarrierNotFound):
		return say.T("这家快递公司不在本店的快递公司列表里。请从列表中选择，或先在京东商家后台开通后刷新列表。",
			"That carrier is not in this shop's carrier list. Choose one from the list, or set it up in JD's merchant backend and refresh the list."), true
	}
	return say.Text{}, false
}

func explainShipFailed(err error) (say.Text, bool) {
	if !errors.Is(err, ship.ErrShipFailed) {
		return say.Text{}, false
	}
	zh, en := "没有发货成功（京东确认订单还没有出库）。", "The order was not shipped (JD shows it still waiting)."
	var je *jos.Error
	if errors.As(err, &je) {
		jm := explainJOSError(je)
		zh += jm.ZH
		en += " " + jm.EN
	} else {
		zh += "可以再试一次。"
		en += " You can try again."
	}
	return say.T(zh, en), true
}

func explainJOS(err error) (say.Text, bool) {
	var je *jos.Error
	if !errors.As(err, &je) {
		return say.Text{}, false
	}
	return explainJOSError(je), true
}

func explainJOSError(je *jos.Error) say.Text {
	var zh, en string
	switch je.Kind {
	case jos.KindAuth:
		zh, en = "京东的授权（access token）无效或已过期：请在设置中重新授权。", "JD's authorisation (access token) is missing, wrong or expired: authorise the station again in the settings."
	case jos.KindCredentials:
		zh, en = "京东拒绝了签名：请检查 App Key 和 App Secret。", "JD refused the signature: check the app key and app secret."
	case jos.KindClock:
		zh, en = "电脑的时间不准，京东拒绝了请求：请把电脑时间调准（误差不能超过 6 分钟）。", "This computer's clock is off and JD refused the call: set the clock right (JD allows 6 minutes)."
	case jos.KindPermission:
		zh, en = "这个应用或店铺没有调用该接口的权限：请在京东开放平台为应用开通。", "This app or shop may not call this API: enable it for the app on JD's open platform."
	case jos.KindQuota:
		zh, en = "京东的调用次数用完了：请稍后再试。", "JD's call quota is used up: wait a while and try again."
	case jos.KindInvalid:
		zh, en = "京东拒绝了参数："+say.Plain(je.Desc())+"。请检查输入。", "JD refused a parameter: "+say.Plain(je.Desc())+". Check the input."
	case jos.KindNotFound:
		zh, en = "京东没有这个订单（或它不属于本店）：请检查订单号，是否扫成了运单号。", "JD has no such order for this shop: check the order id (was a waybill scanned instead?)."
	case jos.KindConflict:
		zh, en = "京东说订单的状态不允许这样做（已发货、已锁定或已取消）："+say.Plain(je.Desc())+"。", "JD says the order's state does not allow it (already shipped, locked or cancelled): "+say.Plain(je.Desc())+"."
	case jos.KindServer:
		zh, en = "京东的服务暂时不可用：请稍后再试。", "JD's service is unavailable for the moment: try again shortly."
	case jos.KindTransport:
		zh, en = "连不上京东（网络问题或超时）：请检查网络后再试。", "JD could not be reached (network problem or timeout): check the network and try again."
	case jos.KindRefused:
		zh, en = "京东拒绝了：「"+say.Plain(je.Desc())+"」。京东没有执行这次请求（没有发货）：请按京东的说明处理。", "JD refused it: \""+say.Plain(je.Desc())+"\". JD did not carry it out (nothing was shipped): act on JD's words."
	case jos.KindRetired:
		zh, en = "京东已停用这个接口（错误 28）：工作站需要更新，请联系管理员。", "JD has retired this API (code 28): the station needs an update; tell your administrator."
	case jos.KindIPBlocked:
		zh, en = "这台电脑的 IP 地址不在应用的 IP 白名单里（错误 80）：请管理员在京东开放平台把它加进白名单。", "This computer's IP address is not on the app's IP whitelist (code 80): the administrator must add it on JD's open platform."
	case jos.KindDataSecurity:
		zh, en = "京东的数据安全（解密）出错（错误 "+say.Plain(je.Code)+"）：请管理员检查应用的数据安全设置。", "JD's data security (decryption) failed (code "+say.Plain(je.Code)+"): the administrator must check the app's data-security settings."
	case jos.KindVender:
		zh, en = "京东说商家（店铺）ID 缺失或无效（错误 "+say.Plain(je.Code)+"）：请检查授权的店铺账号，必要时重新授权。", "JD says the merchant (vender) id is missing or invalid (code "+say.Plain(je.Code)+"): check the shop account the station is authorised for, and authorise again if needed."
	case jos.KindMalformed:
		zh, en = "京东的回复无法读取：请再试一次；一直这样请联系管理员。", "JD's reply could not be read: try again; if it keeps happening, tell your administrator."
	default:
		zh, en = "调用京东接口失败："+say.Plain(je.Desc())+"。", "The call to JD failed: "+say.Plain(je.Desc())+"."
	}
	if je.Outcome == jos.MaybeApplied {
		zh += "不知道京东有没有执行：工作站会先向京东核对，不会重复提交。"
		en += " It is not known whether JD carried it out: the station checks with JD first and never sends it twice."
	}
	return say.T(zh, en)
}

func explainImage(err error) (say.Text, bool) {
	var ie *printdata.ImageError
	if !errors.As(err, &ie) {
		return say.Text{}, false
	}
	return say.T(fmt.Sprintf("京东返回的打印数据里有一张图片（%s）无法使用。请再试一次；如果一直这样，请在京东商家后台打印这张面单。", ie.Field),
		fmt.Sprintf("An image in JD's print data (%s) cannot be used. Try again; if it keeps happening, print this waybill from JD's merchant backend.", ie.Field)), true
}

func explainPrintData(err error) (say.Text, bool) {
	switch {
	case errors.Is(err, printdata.ErrBadOrderID):
		return say.T("这不是京东订单号（应为最多 20 位数字）。请重新扫描订单条码。",
			"That is not a JD order id (up to 20 digits). Scan the order barcode again."), true
	case errors.Is(err, printdata.ErrUnknownType):
		return say.T("不知道这个订单的类型（SOP、LBP 或 SOPL），或者工作站不处理这种类型。请在京东商家后台查看订单。",
			"The order's type (SOP, LBP or SOPL) is not known, or it is a type the station does not ship. Check the order in JD's merchant backend."), true
	}
	return say.Text{}, false
}

func explainRender(err error) (say.Text, bool) {
	switch {
	case errors.Is(err, render.ErrUnknownSize):
		return say.T("面单尺寸不支持：请选择 100x150、100x180、76x130 或 100x100。",
			"That label size is not supported: choose 100x150, 100x180, 76x130 or 100x100."), true
	case errors.Is(err, render.ErrNoOrderID):
		return say.T("打印数据里没有订单号，无法生成面单。请再试一次。", "The print data has no order id, so no label can be made. Try again."), true
	case errors.Is(err, render.ErrLabel):
		return say.T("面单生成失败："+say.Plain(err.Error())+"。请检查面单尺寸和偏移设置。",
			"The label could not be made: "+say.Plain(err.Error())+". Check the label size and offset settings."), true
	}
	return say.Text{}, false
}

func explainPrintElsewhere(err error) (say.Text, bool) {
	switch {
	case errors.Is(err, journal.ErrPrintingElsewhere):
		return say.T("这个订单正在另一窗口打印（或那边打印中断了）：这里没有打印。请看那边的面单是否出来；需要时再用“重打”。",
			"This order is being printed in another window or process (or its print there stopped half-way): nothing was printed here. Check the label there; reprint it if needed."), true
	case errors.Is(err, journal.ErrAlreadyPrinted):
		return say.T("这个订单的面单刚由另一窗口打印了：这里没有再打印。需要再打一张请用“重打”。",
			"This order's label was just printed in another window or process: not printed again here. To print it again, reprint it."), true
	}
	return say.Text{}, false
}

func explainNotInJournal(err error) (say.Text, bool) {
	if !errors.Is(err, journal.ErrNotInJournal) {
		return say.Text{}, false
	}
	return say.T("工作站的记录里没有这个订单。", "The station's journal has no record of this order."), true
}

func explainShippedElsewhere(err error) (say.Text, bool) {
	if !errors.Is(err, fulfill.ErrShippedElsewhere) {
		return say.Text{}, false
	}
	return say.T("这个订单刚刚由另一个窗口或程序发货了：这一批没有再发，也不算在这一批的发货数里。",
		"Another window or process shipped this order meanwhile: this batch sent nothing for it and does not count it as its own."), true
}

func explainStopped(err error) (say.Text, bool) {
	if !errors.Is(err, fulfill.ErrStopped) {
		return say.Text{}, false
	}
	return say.T("已停止，这个订单还没处理完。做过的步骤都已记录，再运行同一批会从中断处继续。",
		"Stopped before this order was done. What was done is recorded; running the same batch again continues where it stopped."), true
}

// RunStopped is a command stopped by the user (Ctrl+C, a signal) after printing labels labels,
// with left orders not done.
func RunStopped(labels, left int) say.Text {
	return say.T(fmt.Sprintf("已停止：打印了 %d 张面单，还有 %d 个订单没有处理。做过的都已记录，再运行同一命令会从中断处继续，不会重复打印或发货。", labels, left),
		fmt.Sprintf("Stopped: %d label(s) printed, %d order(s) not done. What was done is recorded; running the same command again continues without printing or shipping anything twice.", labels, left))
}

func explainContext(err error) (say.Text, bool) {
	switch {
	case errors.Is(err, context.Canceled):
		return say.T("已取消。做过的步骤都已记录。", "Cancelled. What was done is recorded."), true
	case errors.Is(err, context.DeadlineExceeded):
		return say.T("超时了：请检查网络和打印机后再试。", "It took too long: check the network and the printer, then try again."), true
	}
	return say.Text{}, false
}

// explainMissingFile is a file the user named (an order list, a waybill file) that is not there.
func explainMissingFile(err error) (say.Text, bool) {
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		return say.Text{}, false
	}
	path := strconv.Quote(pe.Path)
	return say.T("找不到文件 "+path+"：请检查文件名和路径。什么都没有做。",
		"There is no file "+path+": check the file name and path. Nothing was done."), true
}

func explainJournal(err error) (say.Text, bool) {
	if !errors.Is(err, journal.ErrStore) {
		return say.Text{}, false
	}
	if errors.Is(err, journal.ErrUnreachable) {
		return say.T("连不上仓库的共享记录（日志数据库）："+say.Plain(err.Error())+"。连上之前，工作站不打印也不发货，什么都没有做。请检查网络和数据库地址，或请管理员查看数据库服务器。",
			"The warehouse's shared journal (its database) cannot be reached: "+say.Plain(err.Error())+". Until it can, the station neither prints nor ships: nothing was done. Check the network and the database address, or ask your administrator to look at the database server."), true
	}
	return say.T("工作站的记录（日志数据库）无法读写："+say.Plain(err.Error())+"。请检查磁盘空间和权限；为避免重复，在记录恢复前不要再处理这个订单。",
		"The station's journal could not be read or written: "+say.Plain(err.Error())+". Check disk space and permissions; to avoid doing anything twice, do not process this order again until it works."), true
}

// clock formats a time for messages: 10:32 today, 11-20 10:32 on another day.
func clock(t time.Time) string {
	if t.IsZero() {
		return "an unknown time"
	}
	now := time.Now()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("01-02 15:04")
}
