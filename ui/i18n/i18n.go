// Package i18n is the window's texts in Chinese and English and the translator that puts them on
// screen and switches them all at once (Fyne's lang package follows the OS locale; the station
// switches at run time).
package i18n

import (
	"fmt"
	"strings"

	"station/say"
	"station/settings"
)

// Key identifies a text in the catalog.
type Key string

// Translator holds the current language and the functions that put texts on screen; it
// re-applies every bound text when the language changes (Bind).
type Translator struct {
	lang  settings.Language
	binds []func()
}

// New is a translator in language l (Chinese unless English).
func New(l settings.Language) *Translator {
	if l != settings.English {
		l = settings.Chinese
	}
	return &Translator{lang: l}
}

// Lang is the current language.
func (t *Translator) Lang() settings.Language { return t.lang }

// T is the text of id in the current language. A missing id shows as itself, which a test catches.
func (t *Translator) T(id Key) string {
	e, ok := catalog[id]
	if !ok {
		return string(id)
	}
	if t.lang == settings.English {
		return e.en
	}
	return e.zh
}

// F formats the text of id.
func (t *Translator) F(id Key, args ...any) string { return fmt.Sprintf(t.T(id), args...) }

// M picks the current language's side of a text.
func (t *Translator) M(m say.Text) string { return m.In(string(t.lang)) }

// Bind runs apply now and again after every language switch. apply sets texts from T; it runs
// on the UI goroutine.
func (t *Translator) Bind(apply func()) {
	apply()
	t.binds = append(t.binds, apply)
}

// Set switches the language and re-applies every bound text.
func (t *Translator) Set(l settings.Language) {
	if l != settings.English {
		l = settings.Chinese
	}
	t.lang = l
	for _, apply := range t.binds {
		apply()
	}
}

type text struct{ zh, en string }

var catalog = map[Key]text{
	// Window and tabs.
	"title":        {"京东发货工作台", "Waybill Station"},
	"tab.scan":     {"扫描发货", "Scan"},
	"tab.batch":    {"批量打印", "Batch"},
	"tab.history":  {"记录", "History"},
	"tab.settings": {"设置", "Settings"},
	"lang.toggle":  {"English", "中文"},

	// Status bar.
	"status.endpoint":      {"接口：%s", "JOS: %s"},
	"status.demo":          {"演示模拟器", "demo simulator"},
	"status.production":    {"正式环境", "production"},
	"status.test":          {"测试环境", "test environment"},
	"status.custom":        {"自定义 %s", "custom %s"},
	"status.token.ok":      {"令牌已设置", "token set"},
	"status.token.missing": {"缺少令牌", "no token"},
	"status.printer":       {"打印机：%s", "Printer: %s"},
	"status.printer.none":  {"未设置", "none"},
	"status.printer.ok":    {"就绪", "ready"},
	"status.printer.bad":   {"异常：%s", "problem: %s"},
	"status.printer.held":  {"%s · 等待打印 %d 张", "%s · %d label(s) waiting"},
	"scan.printer.held":    {"%s　等待打印：%d 张", "%s — labels waiting: %d"},
	"status.today":         {"今日：已打印 %d · 已发货 %d · 失败 %d", "Today: printed %d · shipped %d · failed %d"},
	"status.unconfirmed":   {" · 待核对 %d", " · unconfirmed %d"},
	"status.verified":      {" · 验货 %d", " · verified %d"},
	"status.connecting":    {"正在连接…", "connecting…"},
	"status.notconnected":  {"未连接：%s", "not connected: %s"},

	// Scan tab.
	"scan.placeholder":         {"扫描订单号（或手动输入后按回车）", "Scan an order id (or type it and press Enter)"},
	"scan.placeholder.wb":      {"扫描订单 %s 的运单号", "Scan the waybill for order %s"},
	"scan.placeholder.item":    {"扫描订单 %s 的商品（Esc 放到异常单）", "Scan order %s's items (Esc: set aside)"},
	"scan.submit":              {"确定", "Enter"},
	"scan.mode":                {"模式", "Mode"},
	"mode.print":               {"打印", "Print"},
	"mode.printship":           {"打印并发货", "Print and ship"},
	"mode.shiponly":            {"仅发货", "Ship only"},
	"scan.packages":            {"包裹数", "Parcels"},
	"scan.carrier":             {"承运商", "Carrier"},
	"scan.carrier.detect":      {"默认（或按运单号识别）", "default (or from the waybill)"},
	"scan.choose.title":        {"选择承运商", "Choose the carrier"},
	"scan.choose.text":         {"运单号 %s 可能属于以下承运商，请选择：", "Waybill %s could belong to these carriers; choose one:"},
	"scan.cancelwait":          {"取消等待运单 (Esc)", "Stop waiting (Esc)"},
	"scan.reprint":             {"重打此单", "Reprint this order"},
	"scan.ready":               {"请扫描订单", "Ready: scan an order"},
	"scan.ready.hint":          {"扫描订单条码即可。F1 打印 · F2 打印并发货 · F3 仅发货 · Ctrl+1…4 切换页面", "Scan an order barcode. F1 print · F2 print and ship · F3 ship only · Ctrl+1…4 switch pages"},
	"scan.working":             {"处理中：%s", "Working: %s"},
	"scan.wait.title":          {"请扫描运单号", "Scan the waybill"},
	"scan.wait.text":           {"订单 %s（%s）：扫描快递运单号完成发货；按 Esc 取消", "Order %s (%s): scan the carrier's waybill to ship it; Esc cancels"},
	"scan.recent":              {"最近扫描", "Recent scans"},
	"scan.preview":             {"面单预览", "Label preview"},
	"scan.preview.none":        {"暂无面单", "No label yet"},
	"scan.notconnected":        {"未连接京东接口：%s。请在“设置”中检查。", "Not connected to JD: %s. Check the Settings tab."},
	"scan.sorting":             {"分拣码 %s", "sorting code %s"},
	"scan.parcels":             {"%d 个包裹", "%d parcels"},
	"exc.title":                {"异常单（%d）", "Exceptions (%d)"},
	"set.scanend":              {"扫描结束键", "Scan ends with"},
	"set.scanend.enter_tab":    {"回车或 Tab", "Enter or Tab"},
	"set.scanend.enter":        {"只有回车", "Enter only"},
	"batch.left":               {"（还剩 %d 单）", " (%d orders left)"},
	"result.stop":              {"停！京东已发货，不要再发", "Stop: JD has it shipped, do not ship"},
	"scan.queued":              {"还有 %d 个扫描在排队，会按顺序处理（打印机或京东较慢）", "%d more scans in line, handled in order (the printer or JD is slow)"},
	"set.sound":                {"提示音", "Sound"},
	"set.sound.voice":          {"语音（中文）", "Voice (Chinese)"},
	"set.sound.tones":          {"提示音（嘀声）", "Tones"},
	"set.sound.off":            {"关闭", "Off"},
	"scan.nosound":             {"没有声音设备：提示音已关闭", "No sound device: prompts off"},
	"batch.confirm.title":      {"确认批量处理", "Confirm the batch"},
	"batch.confirm.print":      {"打印 %d 个订单的面单（%s）。", "Print the labels of %d orders (%s)."},
	"batch.confirm.printship":  {"打印 %d 个订单的面单并向京东发货（%s）。发货后不能撤回。", "Print the labels of %d orders and ship them at JD (%s). Shipping cannot be undone."},
	"batch.confirm.ship":       {"向京东发货 %d 个订单（%s），不打印。发货后不能撤回。", "Ship %d orders at JD (%s) without printing. Shipping cannot be undone."},
	"batch.confirm.sopcarrier": {"SOP 订单的承运商：%s", "SOP orders ship with: %s"},
	"batch.confirm.jdcarrier":  {"LBP/SOPL 订单：%s", "LBP/SOPL orders: %s"},
	"batch.sop.nocarrier":      {"选中的订单里有 SOP 订单，但没有选择 SOP 承运商：请在上方选择一个不需要运单号的承运商（如厂家自送），或只选 LBP/SOPL 订单。什么都没有做。", "The selection has SOP orders but no SOP carrier is chosen: choose one that needs no waybill above (such as self delivery), or select only LBP/SOPL orders. Nothing was done."},
	"batch.sop.waybills":       {"SOP 承运商 %s 需要每个包裹的运单号，这里没有运单号：请在扫描页逐单扫描运单号，或用 station batch -waybills 文件发货。什么都没有做。", "The SOP carrier %s needs each parcel's waybill, which this tab does not have: scan them on the scan tab, or ship with `station batch -waybills FILE`. Nothing was done."},
	"exc.clear":                {"清除", "Clear"},
	"exc.retry":                {"重试", "Retry"},
	"exc.reprint":              {"重打", "Reprint"},
	"exc.resume":               {"继续发货", "Ship it"},
	"scan.center":              {"分拨中心 %s", "centre %s"},

	"result.printed":        {"已打印", "Printed"},
	"result.shipped":        {"已发货", "Shipped"},
	"result.printedshipped": {"已打印并发货", "Printed and shipped"},
	"result.needwaybill":    {"等待运单号", "Waiting for waybill"},
	"result.alreadydone":    {"已处理过", "Already done"},
	"result.rejected":       {"扫描无效", "Not accepted"},
	"result.failed":         {"失败", "Failed"},
	"result.verifying":      {"验货中", "Verifying"},
	"result.held":           {"待确认", "Needs a decision"},
	"result.aside":          {"已放到异常单", "Set aside"},
	"result.wrong":          {"错货", "Wrong item"},
	"result.surplus":        {"多件", "One too many"},
	"result.unknown":        {"未知条码", "Unknown code"},

	// History: verification and weight.
	"history.col.pack":        {"验货 / 重量", "Verified / weight"},
	"history.pack.checking":   {"验货中", "verifying"},
	"history.pack.complete":   {"验货 ✓", "verified ✓"},
	"history.pack.skipped":    {"跳过验货", "skipped"},
	"history.pack.aside":      {"放到异常单", "set aside"},
	"history.weight.accepted": {"重量异常，已放行", "off, accepted"},
	"history.weight.over":     {"超重", "overweight"},
	"history.weight.under":    {"偏轻", "underweight"},
	"history.weight.unsure":   {"无单件重量", "no unit weights"},
	"history.weight.none":     {"未称重，已放行", "not weighed, let go"},

	// Settings: verification and weighing.
	"set.section.pack":      {"验货与称重", "Verification and weighing"},
	"set.section.warehouse": {"仓库共享记录（多工作台）", "Warehouse journal (several stations)"},
	"set.journal":           {"共享记录数据库", "Journal database"},
	"set.journal.password":  {"数据库密码", "Database password"},
	"set.station":           {"工作台名称", "Station name"},
	"set.station.hint":      {"默认：%s", "default: %s"},
	"set.verify":            {"验货", "Verify items"},
	"set.verify.auto":       {"自动（有商品表时开启）", "auto (on once there is a product table)"},
	"set.verify.on":         {"开", "on"},
	"set.verify.off":        {"关", "off"},
	"set.scale":             {"电子秤串口", "Scale (serial port)"},
	"set.tolerance":         {"重量允许误差", "Weight tolerance"},

	// The 商品 page of Settings.
	"tab.settings.general":  {"常规", "General"},
	"tab.settings.products": {"商品", "Products"},
	"prod.import":           {"导入商品表（CSV / XLSX）…", "Import products (CSV / XLSX)…"},
	"prod.search":           {"搜索：名称、商家编码、条码或 SKU", "Search: name, merchant code, barcode or SKU"},
	"prod.notloaded":        {"商品表未加载（未连接）", "Product table not loaded (not connected)"},
	"prod.empty":            {"商品表是空的：导入商品表后，扫描发货会逐件验货。", "The product table is empty: import one, and the scan tab verifies each item."},
	"prod.summary":          {"商品表：%d 个商品（显示 %d 个）", "Product table: %d products (%d shown)"},
	"prod.preview.title":    {"导入 %s", "Import %s"},
	"prod.close":            {"关闭", "Close"},
	"prod.cancel":           {"取消", "Cancel"},
	"prod.import.n":         {"导入 %d 个商品", "Import %d products"},
	"prod.columns":          {"识别的列：", "Columns recognised:"},
	"prod.rows":             {"可导入 %d 行，有问题 %d 行", "%d good rows, %d bad rows"},
	"prod.bad":              {"有问题的行（改好后再导入；有问题时什么都不会导入）：", "Bad rows (fix them and import again; nothing is imported while there are any):"},
	"prod.badrow":           {"第 %d 行：%s", "line %d: %s"},
	"prod.imported":         {"已导入：新增 %d 个，更新 %d 个。", "Imported: %d new, %d updated."},
	"prod.field.none":       {"（不用）", "(not used)"},
	"prod.field.sku":        {"京东 SKU", "JD SKU id"},
	"prod.field.outer":      {"商家编码", "merchant code"},
	"prod.field.barcode":    {"条码", "barcode"},
	"prod.field.name":       {"商品名称", "name"},
	"prod.field.weight":     {"单件重量", "unit weight"},

	// Pack verification panel.
	"pack.none":        {"验货", "Verification"},
	"pack.title":       {"验货：订单 %s", "Verify order %s"},
	"pack.nocode":      {"商品表里没有条码", "no code in the product table"},
	"pack.skip":        {"跳过验货…", "Skip verification…"},
	"pack.aside":       {"放到异常单 (Esc)", "Set aside (Esc)"},
	"pack.weigh":       {"重新称重", "Weigh again"},
	"pack.accept":      {"重量放行", "Accept the weight"},
	"pack.reason":      {"跳过验货的原因", "Why is verification skipped"},
	"pack.reason.hint": {"例如：赠品无条码、客户同意少发", "e.g. the gift has no barcode"},
	"pack.reason.ok":   {"跳过并继续", "Skip and go on"},
	"pack.cancel":      {"取消", "Cancel"},

	// Batch tab.
	"batch.state":       {"订单状态", "Order state"},
	"batch.from":        {"开始日期", "From"},
	"batch.to":          {"结束日期", "To"},
	"batch.type":        {"类型", "Type"},
	"batch.type.all":    {"全部", "All"},
	"batch.query":       {"查询订单", "Find orders"},
	"batch.selectall":   {"全选", "Select all"},
	"batch.counts":      {"共 %d 单（%s）· 已选 %d", "%d orders (%s) · %d selected"},
	"batch.print":       {"打印所选", "Print selected"},
	"batch.ship":        {"发货所选", "Ship selected"},
	"batch.retry":       {"重试失败项", "Retry failed"},
	"batch.cancel":      {"停止", "Stop"},
	"batch.carrier.sop": {"SOP 承运商", "SOP carrier"},
	"batch.carrier.jd":  {"LBP/SOPL 承运商", "LBP/SOPL carrier"},
	"batch.rate":        {"%d/%d · %.1f 单/秒 · 剩余 %s", "%d/%d · %.1f orders/s · %s left"},
	"batch.summary":     {"完成：打印 %d，发货 %d，跳过 %d，失败 %d", "Done: %d printed, %d shipped, %d skipped, %d failed"},
	"batch.cancelled":   {"已停止：打印 %d，发货 %d，失败 %d；再次运行会从中断处继续", "Stopped: %d printed, %d shipped, %d failed; running it again resumes"},
	"batch.none":        {"请先勾选订单", "Select some orders first"},
	"batch.found":       {"找到 %d 单", "%d orders found"},
	"batch.searching":   {"正在查询…", "Searching…"},
	"batch.listing":     {"正在列出订单：已列 %d 单，约 %d 单", "Listing orders: %d of about %d"},
	"batch.ratecut":     {"京东限流：已降至 %.1f 次/秒", "JD is limiting calls: %.1f/s"},
	"batch.busy":        {"批量任务进行中，请等待或停止", "A batch is running: wait for it or stop it"},
	"batch.dates":       {"日期格式为 2006-01-02", "Dates look like 2006-01-02"},
	"batch.row.ok":      {"完成", "done"},
	"batch.row.skipped": {"已跳过（已完成）", "skipped (already done)"},
	"batch.row.failed":  {"失败：%s", "failed: %s"},
	"batch.row.working": {"处理中", "working"},
	"batch.step.fetch":  {"取数", "fetch"},
	"batch.step.print":  {"打印", "print"},
	"batch.step.ship":   {"发货", "ship"},
	"batch.col.created": {"下单时间", "Created"},
	"batch.col.region":  {"地区", "Region"},
	"batch.col.result":  {"处理结果", "Result"},
	"batch.dateph":      {"年-月-日", "YYYY-MM-DD"},
	"batch.empty":       {"点击“查询订单”列出待发货的订单", "Press “Find orders” to list the orders waiting to ship"},
	"batch.nomatch":     {"没有符合条件的订单", "No orders match"},

	"orderstate.WAIT_SELLER_STOCK_OUT":        {"等待出库", "Waiting to ship"},
	"orderstate.SEND_TO_DISTRIBUTION_CENER":   {"发往配送中心", "Sent to distribution centre"},
	"orderstate.DISTRIBUTION_CENTER_RECEIVED": {"配送中心已收货", "Received at distribution centre"},
	"orderstate.WAIT_GOODS_RECEIVE_CONFIRM":   {"等待确认收货", "Waiting for receipt"},
	"orderstate.RECEIPTS_CONFIRM":             {"收款确认", "Payment confirmed"},
	"orderstate.WAIT_SELLER_DELIVERY":         {"等待发货", "Waiting for delivery"},
	"orderstate.FINISHED_L":                   {"完成", "Finished"},
	"orderstate.TRADE_CANCELED":               {"已取消", "Cancelled"},
	"orderstate.LOCKED":                       {"已锁定", "Locked"},

	// History tab.
	"history.search":         {"订单号或运单号", "Order id or waybill"},
	"history.find":           {"搜索", "Search"},
	"history.all":            {"全部", "All"},
	"history.reprint":        {"重打面单", "Reprint label"},
	"history.fixwaybill":     {"修改运单", "Correct waybill"},
	"history.select":         {"请先选择一条记录", "Select an entry first"},
	"history.count":          {"%d 条记录", "%d entries"},
	"history.col.order":      {"订单号", "Order"},
	"history.col.type":       {"类型", "Type"},
	"history.col.state":      {"状态", "State"},
	"history.col.waybill":    {"承运商 / 运单", "Carrier / waybill"},
	"history.col.prints":     {"打印", "Prints"},
	"history.col.time":       {"更新时间", "Updated"},
	"signin.title":           {"打包员登录", "Packer sign-in"},
	"signin.id":              {"工号", "Staff no."},
	"signin.name":            {"姓名", "Name"},
	"signin.ok":              {"登录", "Sign in"},
	"signin.cancel":          {"取消", "Cancel"},
	"status.packer":          {"打包员 %s（Ctrl+L）", "Packer %s (Ctrl+L)"},
	"status.packer.none":     {"未登录（Ctrl+L）", "Not signed in (Ctrl+L)"},
	"status.journal.waiting": {"共享记录连不上，等待中：不打印、不发货", "Shared journal unreachable, waiting: nothing prints or ships"},
	"batch.claim":            {"领取", "Claim"},
	"batch.claim.number":     {"请填写要领取的单数（如 50）", "Give how many orders to claim (e.g. 50)"},
	"batch.claim.list":       {"请先查询订单，再从列表中领取", "Search for orders first, then claim from the list"},
	"batch.claim.none":       {"没有可领取的订单：列表中的订单都已发货或已被其他工作台领取", "Nothing to claim: every listed order is shipped or claimed by another station"},
	"batch.claimed":          {"已领取 %d 单（共 %d 单），已选中", "Claimed %d of %d orders; they are selected"},
	"tab.board":              {"看板", "Board"},
	"board.stations":         {"各工作台（今天）", "Stations (today)"},
	"board.packers":          {"各打包员（今天）", "Packers (today)"},
	"board.hours":            {"每小时发货（蓝）与打印（灰）", "Shipped (blue) and printed (grey) per hour"},
	"board.open":             {"未结异常（全仓）", "Open exceptions (whole warehouse)"},
	"board.open.none":        {"没有未结异常", "No open exceptions"},
	"board.open.count":       {"%d 单待处理：", "%d orders to deal with:"},
	"board.updated":          {"更新于 %s", "Updated %s"},
	"board.col.name":         {"名称", "Name"},
	"board.col.printed":      {"已打印", "Printed"},
	"board.col.shipped":      {"已发货", "Shipped"},
	"board.col.failed":       {"失败", "Failed"},
	"board.nostation":        {"（未命名）", "(no name)"},
	"board.nopacker":         {"（未登录）", "(not signed in)"},
	"history.col.who":        {"工作台 · 打包员", "Station · packer"},
	"history.filter.station": {"工作台（全部）", "Station (all)"},
	"history.filter.packer":  {"打包员工号（全部）", "Packer (all)"},
	"history.filter.day":     {"日期 YYYY-MM-DD（全部）", "Day YYYY-MM-DD (all)"},
	"history.filter.baddate": {"日期“%s”无法识别：请写成 2026-12-03", "The day %q is not a date: write it as 2026-12-03"},
	"history.col.reason":     {"说明", "Note"},
	"history.reprinted":      {"已重打 %s", "Reprinted %s"},
	"history.updated":        {"运单已修改：%s", "Waybill corrected: %s"},
	"waybill.title":          {"修改运单 %s", "Correct the waybill of %s"},
	"waybill.carrier":        {"承运商", "Carrier"},
	"waybill.number":         {"运单号", "Waybill"},
	"waybill.save":           {"提交到京东", "Send to JD"},
	"waybill.cancel":         {"取消", "Cancel"},

	"state.printing": {"打印中", "printing"},
	"state.printed":  {"已打印", "printed"},
	"state.shipping": {"发货待确认", "shipping (unconfirmed)"},
	"state.shipped":  {"已发货", "shipped"},
	"state.failed":   {"失败", "failed"},

	// Settings tab.
	"set.section.jos":        {"京东接口", "JD Open Platform"},
	"set.endpoint":           {"接口环境", "Endpoint"},
	"ep.demo":                {"演示（内置模拟器）", "Demo (built-in simulator)"},
	"ep.production":          {"正式环境", "Production"},
	"ep.test":                {"测试环境", "Test"},
	"ep.custom":              {"自定义地址", "Custom URL"},
	"set.customurl":          {"自定义地址", "Custom URL"},
	"set.appkey":             {"App Key", "App key"},
	"set.appsecret":          {"App Secret", "App secret"},
	"set.token":              {"Access Token", "Access token"},
	"set.rate":               {"每秒调用上限", "JOS calls per second"},
	"set.rate.hint":          {"默认 %d；京东限流时自动放慢", "%d by default; slows down by itself when JD limits"},
	"set.secrets.keyring":    {"密钥保存在系统钥匙串中", "Secrets are kept in the OS keyring"},
	"set.secrets.file":       {"系统没有钥匙串服务：密钥保存在 %s（仅本用户可读）", "No OS keyring: secrets are kept in %s (readable by this user only)"},
	"set.section.printer":    {"打印机", "Printer"},
	"set.printer.kind":       {"打印方式", "Print to"},
	"pk.pdf":                 {"PDF 文件夹", "PDF folder"},
	"pk.usb":                 {"USB 标签打印机", "USB label printer"},
	"pk.tcp":                 {"网络打印机 (TCP 9100)", "Network printer (TCP 9100)"},
	"pk.cups":                {"CUPS 队列", "CUPS queue"},
	"pk.win":                 {"Windows 打印机", "Windows printer"},
	"pk.file":                {"设备文件", "Device file"},
	"set.printer.target":     {"位置", "Where"},
	"set.printer.find":       {"查找 USB 打印机", "Find USB printers"},
	"set.printer.found":      {"找到 %d 台 USB 打印机", "%d USB printers found"},
	"set.printer.nofound":    {"没有找到 USB 打印机：%s", "No USB printer found: %s"},
	"set.printer.findwin":    {"列出 Windows 打印机", "List Windows printers"},
	"set.printer.foundwin":   {"Windows 里装了 %d 台打印机（默认的在最前）", "%d printers installed in Windows (the default first)"},
	"set.printer.nofoundwin": {"没有找到 Windows 打印机：%s。先用厂家驱动安装标签打印机", "No Windows printer found: %s. Install the label printer with its maker's driver first"},
	"set.printer.default":    {"（默认）", "(default)"},
	"set.printer.lang.pick":  {"语言请在下面选择", "choose the language below"},
	"set.printer.lang":       {"打印机语言", "Printer language"},
	"set.printer.lang.auto":  {"自动", "Automatic"},
	"set.printer.dpi":        {"分辨率 (dpi)", "Resolution (dpi)"},
	"set.label.size":         {"面单尺寸 (毫米)", "Label size (mm)"},
	"set.offset.x":           {"水平偏移 (毫米)", "Offset right (mm)"},
	"set.offset.y":           {"垂直偏移 (毫米)", "Offset down (mm)"},
	"set.testprint":          {"打印测试页", "Print a test label"},
	"set.testprint.ok":       {"测试页已发送到 %s", "Test label sent to %s"},
	"set.privacy":            {"隐私面单（隐藏收件人姓名和电话）", "Privacy labels (mask consignee name and phone)"},
	"set.section.carriers":   {"默认承运商", "Default carriers"},
	"set.carriers.load":      {"从京东读取承运商", "Load carriers from JD"},
	"set.carriers.none":      {"未读取承运商：%s", "Carriers not loaded: %s"},
	"carrier.deliverjd":      {"0 商家送至京东分拣中心", "0 merchant delivers to JD sorting centre"},
	"carrier.none":           {"（未设置）", "(not set)"},
	"set.section.ui":         {"界面", "Window"},
	"set.language":           {"界面语言", "Language"},
	"set.save":               {"保存设置", "Save settings"},
	"set.saved":              {"设置已保存", "Settings saved"},
	"set.saved.reconnect":    {"设置已保存，已重新连接", "Settings saved and reconnected"},
	"set.demo.note":          {"当前为演示模式（-demo）：使用内置模拟器、临时 PDF 文件夹和临时记录；保存的设置在正常启动时生效。", "Demo mode (-demo): the built-in simulator, a temporary PDF folder and a temporary journal are used; saved settings apply when started normally."},
	"set.invalid":            {"设置有误：%s", "Settings not valid: %s"},
	"set.number":             {"请输入数字：%s", "Enter a number: %s"},

	"set.printer.browse": {"选择文件夹…", "Choose folder…"},
	"carrier.jd.short":   {"送京东分拣中心", "to JD sorting centre"},

	// Dialogs and common.
	"err.title": {"出错了", "Something went wrong"},
	"err.panic": {"内部错误：%v。窗口仍可使用；请把此信息告诉维护人员。", "Internal error: %v. The window still works; please report this."},
	"ok":        {"确定", "OK"},
	"busy":      {"请稍候…", "Please wait…"},
	"none":      {"无", "none"},
	"dash":      {"—", "—"},
}

// Check says what is wrong with the catalog: a text without both languages, or whose two sides
// take different arguments.
func Check() []string {
	var out []string
	for id, e := range catalog {
		if e.zh == "" || e.en == "" {
			out = append(out, string(id)+" lacks a translation")
		}
		if strings.Count(e.zh, "%") != strings.Count(e.en, "%") {
			out = append(out, string(id)+": the two texts take different arguments")
		}
	}
	return out
}

// Has reports whether the catalog has id.
func Has(id Key) bool {
	_, ok := catalog[id]
	return ok
}
