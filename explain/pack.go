package explain

import (
	"errors"
	"fmt"

	"station/say"
	"station/scale"
	"station/scan"
	"station/verify"
)

// Words of pack verification (验货) and weighing (称重).

// explainItem words an item scan refused during verification.
func explainItem(err error) (say.Text, bool) {
	if errors.Is(err, scan.ErrNoProducts) {
		return say.T("验货已开启，但商品表是空的，没有打印或发货：在 设置→商品 导入商品表，或把验货设为“关”。",
			"Verification is on but the product table is empty; nothing was printed or shipped: import the product table (Settings → Products), or turn verification off."), true
	}
	var e *scan.ItemError
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	id, code := e.OrderID, say.Short(e.Code, 40)
	name := say.Short(e.Scan.Product.Name, 30)
	switch {
	case e.Aside != "":
		return say.T(fmt.Sprintf("订单 %s 已放到异常单（%s），没有打印或发货。再扫一次订单号即从头验货。", id, say.Short(e.Aside, 40)),
			fmt.Sprintf("Order %s was set aside (%s): not printed or shipped. Scan the order again to verify it from the start.", id, say.Short(e.Aside, 40))), true
	case e.NeedReason:
		return say.T("跳过验货需要写原因：输入 \":skip 原因\"（例如 :skip 赠品无条码）。",
			`Skipping verification needs a reason: type ":skip REASON" (e.g. :skip gift has no barcode).`), true
	case e.Command != "":
		return say.T(fmt.Sprintf("现在不能用 \":%s\"。可用：扫商品条码，\"+数量\"，\":skip 原因\" 跳过验货，\":aside\" 放到异常单。", say.Short(e.Command, 20)),
			fmt.Sprintf(`":%s" does not apply now. Scan an item, "+N", ":skip REASON" to skip verification, ":aside" to set the order aside.`, say.Short(e.Command, 20))), true
	case e.Held:
		return say.T(fmt.Sprintf("订单 %s 的重量待确认，%s 没有计数：先确认重量（:accept 放行、:weigh 重称、:aside 放到异常单）。", id, code),
			fmt.Sprintf("Order %s's weight waits for a decision; %s was not counted: :accept, :weigh again, or :aside.", id, code)), true
	}
	switch e.Scan.Outcome {
	case verify.Wrong:
		return say.T(fmt.Sprintf("错货：%s（%s）不是订单 %s 的商品，没有计数。请拿出来。", name, code, id),
			fmt.Sprintf("Wrong item: %s (%s) is not in order %s; not counted. Take it out.", name, code, id)), true
	case verify.Surplus:
		return say.T(fmt.Sprintf("多件：%s 已经够数，这件没有计数。请拿出多出的一件。", name),
			fmt.Sprintf("Surplus: %s already has all its pieces; this one was not counted. Take the extra piece out.", name)), true
	case verify.NoLine:
		return say.T("先扫一件商品，再扫 \"+数量\"（数量加到刚扫的商品上）。",
			`Scan one item first, then "+N" (it adds to the item just scanned).`), true
	}
	if e.MaybeOrder {
		return say.T(fmt.Sprintf("%s 不是商品表里的条码。若是另一个订单，先把订单 %s 验完，或按 Esc（:aside）放到异常单。", code, id),
			fmt.Sprintf("%s is no barcode of the product table. If it is another order, finish order %s first, or press Esc (:aside) to set it aside.", code, id)), true
	}
	return say.T(fmt.Sprintf("未知条码 %s：商品表里没有，没有计数。请检查商品，或在 设置→商品 导入商品表。", code),
		fmt.Sprintf("Unknown code %s: not in the product table; not counted. Check the item, or import the product table (Settings → Products).", code)), true
}

// packNote words a verification step that went through or waits.
func packNote(r scan.Result) (say.Text, bool) {
	id := r.OrderID
	got, want := 0, 0
	if r.Pack != nil {
		got, want = r.Pack.Got, r.Pack.Want
	}
	switch r.Note {
	case scan.NoteUncoded:
		names := ""
		if r.Pack != nil {
			for _, l := range r.Pack.Lines {
				if len(l.Codes) == 0 {
					if names != "" {
						names += "、"
					}
					names += say.Short(l.Name, 20)
				}
			}
		}
		return say.T(fmt.Sprintf("订单 %s 有商品在商品表里没有条码（%s），无法验货：确认实物后输入 \":skip 原因\" 跳过验货，或按 Esc 放到异常单。", id, names),
			fmt.Sprintf(`Order %s has items with no code in the product table (%s): it cannot be verified. Check the goods, then type ":skip REASON", or press Esc to set it aside.`, id, names)), true
	case scan.NoteNoWeight:
		m := Error(r.Err)
		return say.T("称重没有读到稳定的重量："+m.ZH+" 放稳包裹后输入 :weigh 重称，或 :accept 不称放行。",
			"No steady weight from the scale: "+m.EN+" Put the parcel down still, then :weigh again, or :accept to go on without it."), true
	case scan.NoteWeightOff:
		w := r.Weight
		if w == nil && r.Pack != nil {
			w = r.Pack.Weight
		}
		if w == nil {
			return say.Text{}, false
		}
		return say.T(fmt.Sprintf("重量异常 %s kg，应为 %s ± %s kg。请检查包裹：:accept 放行、:weigh 重称、Esc 放到异常单。", Kilograms(w.GotG), Kilograms(w.ExpectedG), Kilograms(w.ToleranceG)),
			fmt.Sprintf("Weight off: %s kg, should be %s ± %s kg. Check the parcel: :accept, :weigh again, or Esc to set it aside.", Kilograms(w.GotG), Kilograms(w.ExpectedG), Kilograms(w.ToleranceG))), true
	}
	if r.Status != scan.Verifying {
		return say.Text{}, false
	}
	if r.Item != nil && r.Item.Outcome == verify.Counted && r.Pack != nil && r.Item.Line >= 0 && r.Item.Line < len(r.Pack.Lines) {
		l := r.Pack.Lines[r.Item.Line]
		return say.T(fmt.Sprintf("%s %d/%d ✓ （本单 %d/%d 件）", say.Short(l.Name, 30), l.Got, l.Want, got, want),
			fmt.Sprintf("%s %d/%d ✓ (order %d/%d pieces)", say.Short(l.Name, 30), l.Got, l.Want, got, want)), true
	}
	if r.Note == scan.NotePackResumed {
		return say.T(fmt.Sprintf("继续验货：订单 %s，已扫 %d/%d 件。请扫下一件商品。", id, got, want),
			fmt.Sprintf("Verification resumed: order %s, %d/%d pieces scanned. Scan the next item.", id, got, want)), true
	}
	return say.T(fmt.Sprintf("验货：订单 %s 共 %d 件，请逐件扫商品条码。", id, want),
		fmt.Sprintf("Verify: order %s has %d pieces; scan each item.", id, want)), true
}

// Kilograms is a weight in grams as the station shows it: kilograms with two decimals.
func Kilograms(g int) string { return fmt.Sprintf("%.2f", float64(g)/1000) }

// explainScale words a scale that gave no weight, or could not be opened.
func explainScale(err error) (say.Text, bool) {
	var oe *scale.OpenError
	if errors.As(err, &oe) {
		port := say.Short(oe.Port, 60)
		switch {
		case oe.Missing():
			return say.T(fmt.Sprintf("找不到秤的串口 %s：插好 USB 转串口线，用 station scales 查看有哪些串口。", port),
				fmt.Sprintf("The scale's serial port %s is not there: plug the USB-serial adapter in; station scales lists the ports.", port)), true
		case oe.Busy():
			return say.T(fmt.Sprintf("秤的串口 %s 被别的程序占用：关掉它（称重软件、串口助手）再试。", port),
				fmt.Sprintf("Another program holds the scale's port %s: close it (weighing software, a serial terminal) and try again.", port)), true
		case oe.Denied():
			return say.T(fmt.Sprintf("没有权限打开秤的串口 %s：Linux 上把本用户加入 dialout 组后重新登录。", port),
				fmt.Sprintf("No permission to open the scale's port %s: on Linux add this user to the dialout group and log in again.", port)), true
		}
		return say.T(fmt.Sprintf("打不开秤的串口 %s：%s。", port, say.Plain(oe.Err.Error())),
			fmt.Sprintf("The scale's port %s cannot be opened: %s.", port, say.Plain(oe.Err.Error()))), true
	}
	var e *scale.Error
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	last := Kilograms(e.Last.Grams)
	switch e.Kind {
	case scale.Silent:
		return say.T("秤没有发来数据：检查秤的电源和串口线，并把秤设为连续输出。", "Nothing came from the scale: check its power and cable, and set it to continuous output."), true
	case scale.Garbled:
		return say.T("秤发来的不是重量：波特率、校验位或格式不对（spec 里的 baud=、parity=、format=）。",
			"The scale sends something that is not a weight: the baud rate, parity or format is wrong (baud=, parity=, format= in the spec)."), true
	case scale.Unsteady:
		return say.T(fmt.Sprintf("重量一直在变（%s kg）：把手拿开，等包裹放稳。", last), fmt.Sprintf("The weight keeps changing (%s kg): take your hand off and let the parcel settle.", last)), true
	case scale.Empty:
		return say.T("秤上没有包裹：把包裹放到秤上。", "Nothing is on the scale: put the parcel on it."), true
	case scale.NotEmptied:
		return say.T(fmt.Sprintf("秤上还是上一个包裹（%s kg）：先拿下来，再放这个包裹。", last),
			fmt.Sprintf("The last parcel is still on the scale (%s kg): take it off, then put this one on.", last)), true
	case scale.Overload:
		return say.T("超出秤的量程：换大秤，或拆成几个包裹。", "Over the scale's range: use a bigger scale, or split the parcel."), true
	case scale.Unplugged:
		return say.T("秤的串口断开了（USB 线被拔出？）：插好后重新打开扫描。", "The scale's port went away (USB adapter pulled out?): plug it in and start scanning again."), true
	}
	return say.Text{}, false
}
