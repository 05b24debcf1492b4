package i18n

// The texts of the 售后 tab (the returns desk) and the board's count of returns.
var afsTexts = map[Key]text{
	"tab.afs":           {"售后", "Returns"},
	"afs.lookup":        {"扫描退货包裹的运单号，或输入订单号", "Scan the returned parcel's waybill, or type the order id"},
	"afs.find":          {"查询", "Find"},
	"afs.found":         {"订单 %s：%d 个售后单。", "Order %s: %d after-sales cases."},
	"afs.none":          {"订单 %s 没有售后单。", "Order %s has no after-sales case."},
	"afs.cases":         {"售后单", "After-sales cases"},
	"afs.case.head":     {"售后单 %d · %s · %s", "Case %d · %s · %s"},
	"afs.case.contact":  {"联系人：%s %s", "Contact: %s %s"},
	"afs.case.question": {"问题：%s", "Problem: %s"},
	"afs.case.result":   {"处理结果：%s", "Result: %s"},
	"afs.case.none":     {"属于哪个售后单（可不选）", "Which case it belongs to (optional)"},
	"afs.cancel":        {"取消售后单", "Cancel the case"},
	"afs.cancel.ask":    {"取消售后单 %d？取消后客户要重新申请。", "Cancel case %d? The customer would have to apply again."},
	"afs.cancelled":     {"售后单 %d 已取消。", "Case %d is cancelled."},
	"afs.apply":         {"申请售后", "Apply for after-sales"},
	"afs.type":          {"选择售后类型：10 退货、20 换货、30 维修", "Choose the type: 10 return, 20 exchange, 30 repair"},
	"afs.expect":        {"客户期望：%s（%d）", "Customer expects: %s (%d)"},
	"afs.desc":          {"问题描述（必填，最多 500 字）", "Describe the problem (required, up to 500 characters)"},
	"afs.images":        {"图片网址（京东图片空间，可多个，用逗号隔开）", "Image URLs on JD's CDN (several: separate with commas)"},
	"afs.apply.send":    {"提交售后申请", "Send the application"},
	"afs.apply.first":   {"先查询订单，再选售后类型。", "Find the order first, then choose the type."},
	"afs.applied":       {"订单 %s 的售后申请已提交：售后单 %d。", "Order %s: the application is in, case %d."},
	"afs.receive":       {"登记退货包裹", "Book the returned parcel"},
	"afs.cond.good":     {"完好", "Good"},
	"afs.cond.damaged":  {"破损", "Damaged"},
	"afs.cond.missing":  {"缺件", "Items missing"},
	"afs.note":          {"备注（破损或缺件必填）", "Note (required when damaged or items are missing)"},
	"afs.receive.send":  {"登记", "Book it"},
	"afs.receive.first": {"先查询订单，再选包裹的状况。", "Find the order first, then choose the parcel's condition."},
	"afs.received":      {"退货已登记：订单 %s，%s。", "Return booked: order %s, %s."},
	"afs.booked":        {"已收到的退货：", "Returns received:"},
	"history.returns":   {"退货记录 %d 件：", "%d returns booked:"},
	"board.returns":     {"今日收到退货 %d 件", "%d returns received"},
}

func init() {
	for k, v := range afsTexts {
		if _, dup := catalog[k]; dup {
			panic("i18n: " + string(k) + " is defined twice")
		}
		catalog[k] = v
	}
}
