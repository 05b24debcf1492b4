package i18n

// The texts of the rest of the order service in the window: remarks and delete requests on
// the scan tab, tracks and delete requests in History, JD's own label beside the preview.
var orderServiceTexts = map[Key]text{
	"notes.merchant":           {"商家备注：%s", "Merchant's remark: %s"},
	"notes.merchant.none":      {"商家备注：无", "Merchant's remark: none"},
	"notes.merchant.unread":    {"商家备注读不到：%s", "The merchant's remark could not be read: %s"},
	"notes.buyer":              {"买家备注：%s", "Buyer's remark: %s"},
	"notes.buyer.none":         {"买家备注：无", "Buyer's remark: none"},
	"notes.edit":               {"备注", "Remark"},
	"notes.edit.title":         {"商家备注", "Merchant's remark"},
	"notes.edit.text":          {"订单 %s 的商家备注（京东后台也能看到）：", "The merchant's remark on order %s (JD's backend shows it too):"},
	"notes.edit.placeholder":   {"例如：缺货，已联系客户", "e.g. out of stock, customer contacted"},
	"notes.edit.save":          {"保存", "Save"},
	"notes.edit.saved":         {"备注已保存", "Remark saved"},
	"notes.edit.failed":        {"备注没有保存", "The remark was not saved"},
	"notes.cancel":             {"取消", "Cancel"},
	"notes.delete":             {"删单申请", "Ask JD to delete"},
	"notes.delete.title":       {"删单申请", "Delete request"},
	"notes.delete.text":        {"请京东删除订单 %s。选择原因（选 9 要写明原因）：", "Ask JD to delete order %s. Choose the reason (9 needs a description):"},
	"notes.delete.placeholder": {"删单描述（最多 500 字）", "Description (up to 500 characters)"},
	"notes.delete.send":        {"提交删单申请", "Send the request"},
	"notes.delete.sent":        {"已申请删单", "Delete request sent"},
	"notes.delete.held":        {"%s（原因 %s）。这个订单不打印、不发货，请把商品放回。", "%s (reason %s). The order is not printed or shipped: put the goods back."},
	"notes.delete.choose":      {"选择删单原因", "Choose the reason"},
	"notes.delete.noreason":    {"没有选删单原因：删单申请没有发出。", "No reason was chosen: the delete request was not sent."},
	"notes.withdraw.text":      {"撤销订单 %s 的删单申请？撤销后这个订单可以重新打印发货。", "Withdraw the delete request of order %s? It can then be printed and shipped again."},
	"notes.delete.failed":      {"删单申请没有成功", "The delete request did not go through"},

	"hist.track":            {"物流轨迹", "Track"},
	"hist.track.title":      {"订单 %s 的物流轨迹", "Track of order %s"},
	"hist.track.none":       {"还没有物流轨迹（还没发货，或承运商还没揽收）。", "No track yet (not shipped, or not picked up)."},
	"hist.remark":           {"备注", "Remark"},
	"hist.delete":           {"删单申请", "Delete request"},
	"hist.delete.cancel":    {"撤销删单", "Withdraw delete request"},
	"hist.delete.state":     {"删单申请：%s（原因 %s）", "Delete request: %s (reason %s)"},
	"hist.delete.withdrawn": {"删单申请已撤销：订单 %s 可以重新打印发货。", "Delete request withdrawn: order %s can be printed and shipped again."},

	"jdlabel.show":   {"京东面单对照", "JD's label"},
	"jdlabel.title":  {"京东面单（只供对照，不用于打印）：订单 %s", "JD's label (for comparison, never printed): order %s"},
	"jdlabel.none":   {"京东没有返回条码图片（SOP 订单没有）。", "JD sent no barcode image (none for SOP orders)."},
	"jdlabel.failed": {"京东面单取不到", "JD's label could not be fetched"},
}

func init() {
	for k, v := range orderServiceTexts {
		if _, dup := catalog[k]; dup {
			panic("i18n: " + string(k) + " is defined twice")
		}
		catalog[k] = v
	}
}
