package explain

import (
	"fmt"
	"strings"

	"station/fulfill"
	"station/journal"
	"station/printdata"
	"station/say"
	"station/scan"
)

// Mode names a scan mode.
func Mode(m scan.Mode) say.Text {
	switch m {
	case scan.ModePrint:
		return say.T("打印", "Print")
	case scan.ModePrintShip:
		return say.T("打印并发货", "Print and ship")
	case scan.ModeShipOnly:
		return say.T("仅发货", "Ship only")
	}
	return say.T(m.String(), m.String())
}

// Scan says how a scan went and, when it did not go through, what to do.
func Scan(r scan.Result) say.Text {
	if m, ok := packNote(r); ok {
		return m
	}
	if r.Err != nil {
		m := Error(r.Err)
		if r.Status == scan.Failed && r.PrintedNow {
			return say.T("已打印，但没有发货："+m.ZH+" 处理后再扫一次订单即可发货（不会重打）。",
				"Printed, but not shipped: "+m.EN+" Then scan the order again to ship it (it is not printed again).")
		}
		return m
	}
	id := r.OrderID
	switch r.Note {
	case scan.NoteReprinted:
		return say.T(fmt.Sprintf("已重打订单 %s 的面单（没有再次发货）。", id), fmt.Sprintf("Reprinted order %s's label (not shipped again).", id))
	case scan.NoteReprintedShipped:
		return say.T(fmt.Sprintf("已重打订单 %s 的面单。它已在 %s 发货，没有再次发货。", id, clock(r.ShippedAt)),
			fmt.Sprintf("Reprinted order %s's label. It was shipped at %s and was not shipped again.", id, clock(r.ShippedAt)))
	case scan.NoteAlreadyDone:
		return alreadyDone(r)
	case scan.NoteShippedAtJD:
		return say.T(fmt.Sprintf("订单 %s 在京东已经是发货状态，没有再次发货。", id),
			fmt.Sprintf("Order %s is already shipped at JD; it was not shipped again.", id))
	case scan.NoteWaitingWaybill:
		carrier, carrierEN := "", ""
		if r.Carrier != nil && r.Carrier.Name != "" {
			carrier, carrierEN = "（"+r.Carrier.Name+"）", " ("+r.Carrier.Name+")"
		}
		done, doneEN := "已打印", "printed"
		switch {
		case r.PrintedNow:
		case r.Mode == scan.ModeShipOnly:
			done, doneEN = "仅发货", "ship only"
		default:
			done, doneEN = "之前已打印，没有重打", "printed earlier, not printed again"
		}
		if r.Wanted > 1 {
			got := len(r.Waybills)
			return say.T(fmt.Sprintf("订单 %s %s，%d 个包裹：已扫 %d/%d 个运单号，请扫描第 %d 个包裹的运单号%s。", id, done, r.Wanted, got, r.Wanted, got+1, carrier),
				fmt.Sprintf("Order %s %s, %d parcels: %d/%d waybills scanned; scan parcel %d's waybill%s.", id, doneEN, r.Wanted, got, r.Wanted, got+1, carrierEN))
		}
		return say.T(fmt.Sprintf("订单 %s %s：请扫描包裹上的运单号%s。", id, done, carrier),
			fmt.Sprintf("Order %s %s: scan the parcel's waybill%s.", id, doneEN, carrierEN))
	}
	switch r.Status {
	case scan.Printed:
		extra, extraEN := "", ""
		if r.SortingCode != "" {
			extra, extraEN = "，分拣码 "+r.SortingCode, ", sorting code "+r.SortingCode
		}
		return say.T(fmt.Sprintf("已打印订单 %s（%s%s）。", id, r.Type, extra), fmt.Sprintf("Printed order %s (%s%s).", id, r.Type, extraEN))
	case scan.PrintedShipped, scan.Shipped:
		carrier, carrierEN := carrierOf(r)
		wb := ""
		if r.Waybill != "" {
			wb = " " + r.Waybill
		}
		if r.Status == scan.Shipped {
			return say.T(fmt.Sprintf("已发货：订单 %s（%s），%s%s。", id, r.Type, carrier, wb),
				fmt.Sprintf("Shipped order %s (%s) with %s%s.", id, r.Type, carrierEN, wb))
		}
		return say.T(fmt.Sprintf("已打印并发货：订单 %s（%s），%s%s。", id, r.Type, carrier, wb),
			fmt.Sprintf("Printed and shipped order %s (%s) with %s%s.", id, r.Type, carrierEN, wb))
	}
	return say.Text{}
}

// carrierOf names the carrier a scan shipped with.
func carrierOf(r scan.Result) (zh, en string) {
	switch {
	case r.Carrier != nil && r.Carrier.Name != "":
		return r.Carrier.Name, r.Carrier.Name
	case r.Carrier != nil:
		return "快递公司 " + r.Carrier.ID, "carrier " + r.Carrier.ID
	case r.Type == printdata.LBP || r.Type == printdata.SOPL:
		return "自送京东分拣中心", "delivery to JD's sorting centre"
	}
	return "", ""
}

func alreadyDone(r scan.Result) say.Text {
	var zh, en []string
	if !r.PrintedAt.IsZero() {
		zh = append(zh, clock(r.PrintedAt)+" 已打印")
		en = append(en, "printed at "+clock(r.PrintedAt))
	}
	if !r.ShippedAt.IsZero() {
		zh = append(zh, clock(r.ShippedAt)+" 已发货")
		en = append(en, "shipped at "+clock(r.ShippedAt))
	}
	if len(zh) == 0 {
		zh, en = []string{"已发货"}, []string{"already shipped"}
	}
	return say.T(fmt.Sprintf("订单 %s 之前已处理（%s），这次什么都没做。需要重打请选择“重打”。", r.OrderID, strings.Join(zh, "，")),
		fmt.Sprintf("Order %s was already done (%s); nothing was done now. Choose reprint to print it again.", r.OrderID, strings.Join(en, ", ")))
}

// Batch says what a batch event means: a failure, or why the printer holds the labels.
func Batch(ev fulfill.BatchEvent) say.Text {
	if ev.Status == fulfill.EventWaiting {
		return Away(ev.Err)
	}
	return Error(ev.Err)
}

// ScanSessionEnd is what a scan session that ended with problems says: bad scans failed or were
// refused (each told above), and awaiting, when not "", is an order printed whose waybill never
// came, so it is not shipped.
func ScanSessionEnd(bad int, awaiting string) say.Text {
	var zh, en []string
	if awaiting != "" {
		zh = append(zh, fmt.Sprintf("订单 %s 已打印但没有发货：一直没有扫到它的运单号。再扫一次这个订单即可发货（不会重打）。", awaiting))
		en = append(en, fmt.Sprintf("Order %s is printed but not shipped: its waybill was never scanned. Scan the order again to ship it (it is not printed again).", awaiting))
	}
	if bad > 0 {
		zh = append(zh, fmt.Sprintf("有 %d 次扫描失败或被拒绝（原因见上面每一行）：这些订单没有处理完，请处理后重新扫描。", bad))
		en = append(en, fmt.Sprintf("%d scan(s) failed or were refused (each says why above): those orders are not done; deal with them and scan them again.", bad))
	}
	return say.T(strings.Join(zh, "\n"), strings.Join(en, "\n"))
}

// NothingFound is a journal search for query that found nothing.
func NothingFound(query, where string) say.Text {
	q := say.Plain(query)
	return say.T(fmt.Sprintf("工作站的记录（%s）里没有 %s：这台工作站没有打印或发过这个订单或运单。请检查号码，或在打印它的工作站上查看。", where, q),
		fmt.Sprintf("The station's journal (%s) has nothing for %s: this station has not printed or shipped that order or waybill. Check the number, or look on the station that printed it.", where, q))
}

// Entry says in words what the journal's entry of an order means: its state, and for a failure
// what happened and what to do, from the entry's state, step and the outcome of its last JD
// attempt (last; zero when none). The journal's own reason is English free text for logs and
// `station history`; this is what the window shows.
func Entry(e journal.Entry, last journal.Attempt) say.Text {
	switch e.State {
	case journal.StateShipped:
		if e.Reason != "" && last.Outcome == journal.OutcomeShipped {
			return say.T("京东在本站发货前就已显示发货：京东那边的快递公司和运单号可能与这里记录的不同。",
				"JD had the order shipped before this station's outstorage: the carrier and waybills at JD may differ from the ones recorded here.")
		}
		return say.Text{}
	case journal.StatePrinted:
		return say.Text{}
	case journal.StateShipping:
		return say.T("发货结果还不知道：工作站会先向京东核对，不会重复发货。",
			"The outstorage's outcome is not known yet: the station checks with JD first and never ships twice.")
	case journal.StatePrinting:
		if e.Reason == "" {
			return say.T("正在打印。", "Being printed.")
		}
		return say.T("面单可能没有打完（打印中断）：请看打印机，没有打出来就重打。",
			"The label may not have printed whole (printing was interrupted): look at the printer and reprint it if it did not come out.")
	}
	// Failed.
	switch e.FailedStep {
	case journal.StepPrint:
		return say.T("打印失败：面单没有打出来，可以重打。", "Printing failed: no label came out; printing it again is safe.")
	case journal.StepShip:
	default:
		return say.T("失败："+say.Plain(e.Reason), "Failed: "+say.Plain(e.Reason))
	}
	switch last.Outcome {
	case journal.OutcomeRefused:
		code, codeEN := "", ""
		if last.Code != "" {
			code, codeEN = "（代码 "+say.Plain(last.Code)+"）", " (code "+say.Plain(last.Code)+")"
		}
		if e.Retryable {
			return say.T("京东暂时拒绝了发货"+code+"：没有发出，可以重试。",
				"JD turned the outstorage down for now"+codeEN+": nothing was shipped; try again.")
		}
		return say.T("京东拒绝了发货"+code+"：没有发出。请改正快递公司或运单号后重试。",
			"JD refused the outstorage"+codeEN+": nothing was shipped. Fix the carrier or waybill and try again.")
	case journal.OutcomeNotShipped:
		// A reconciliation notes JD's order state.
		if last.Reason == printdata.StateWaitStockOut {
			return say.T("京东显示订单仍在等待出库：上次发货没有生效，可以重试。",
				"JD shows the order still waiting to ship: the last outstorage did not take effect; try again.")
		}
		zh, en := stateWords(strings.TrimSpace(last.Reason))
		return say.T("京东显示订单不能发货（"+zh+"）：请在京东商家后台查看。",
			"JD shows the order cannot be shipped ("+en+"): check it in JD's merchant backend.")
	}
	return say.T("发货失败，可以重试。", "Shipping failed; try again.")
}
