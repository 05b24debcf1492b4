package jostest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

// method is one JOS API: its reply's top-level key and its implementation. call returns the
// body under key, without "code"; the caller adds "code":"0".
type method struct {
	key   string
	write bool
	call  func(s *Server, p gateway.Params) (map[string]any, *gateway.Error)
}

var methods = map[string]method{
	"360buy.order.search":              {key: "order_search_response", call: (*Server).search},
	"360buy.order.get":                 {key: "order_get_response", call: (*Server).getOrder},
	"360buy.order.print.data.get":      {key: "order_printdata_response", call: printData("")},
	"360buy.order.sop.print.data.get":  {key: "order_sop_printdata_response", call: printData(shop.TypeSOP)},
	"360buy.order.lbp.print.data.get":  {key: "order_lbp_printdata_response", call: printData(shop.TypeLBP)},
	"360buy.order.sopl.print.data.get": {key: "order_sopl_printdata_response", call: printData(shop.TypeSOPL)},
	"360buy.order.sop.outstorage":      {key: "order_sop_outstorage_response", write: true, call: outstorage(shop.TypeSOP)},
	"360buy.order.lbp.outstorage":      {key: "order_lbp_outstorage_response", write: true, call: outstorage(shop.TypeLBP)},
	"360buy.order.sopl.outstorage":     {key: "order_sopl_outstorage_response", write: true, call: outstorage(shop.TypeSOPL)},
	// JD's waybill-update replies have no _response suffix.
	"360buy.order.sop.waybill.update":  {key: "order_sop_waybill_update", write: true, call: waybillUpdate(shop.TypeSOP)},
	"360buy.order.lbp.waybill.update":  {key: "order_lbp_waybill_update", write: true, call: waybillUpdate(shop.TypeLBP)},
	"360buy.order.sopl.waybill.update": {key: "order_sopl_waybill_update", write: true, call: waybillUpdate(shop.TypeSOPL)},
	"360buy.delivery.logistics.get":    {key: "delivery_logistics_get_response", call: (*Server).logistics},

	"360buy.order.fbp.search":                    {key: "order_fbp_search_response", call: (*Server).fbpSearch},
	"360buy.order.fbp.get":                       {key: "order_fbp_get_response", call: (*Server).fbpGet},
	"360buy.order.print":                         {key: "order_print_response", call: (*Server).orderPrint},
	"360buy.overseas.order.sop.outstorage":       {key: "overseas_order_sop_outstorage_response", write: true, call: (*Server).overseasOutstorage},
	"360buy.overseas.order.sop.delivery":         {key: "overseas_order_sop_delivery_response", write: true, call: (*Server).overseasDelivery},
	"jingdong.order.venderRemark.queryByOrderId": {key: "jingdong_order_venderRemark_queryByOrderId_responce", call: (*Server).venderRemarkQuery},
	// Like the waybill updates, the seed's remark-update reply has no _response suffix.
	"360buy.order.vender.remark.update":      {key: "order_vender_remark_update", write: true, call: (*Server).venderRemarkUpdate},
	"jingdong.order.orderDelete.apply":       {key: "jingdong_order_orderDelete_apply_responce", write: true, call: (*Server).deleteApplyCall},
	"jingdong.order.orderDelete.cancelApply": {key: "jingdong_order_orderDelete_cancelApply_responce", write: true, call: (*Server).deleteCancel},
	"jingdong.pop.order.track":               {key: "jingdong_pop_order_track_responce", call: (*Server).orderTrack},
}

// OrderInfo fields. The optional ones are returned only when asked for in optional_fields.
var (
	defaultFields = []string{"order_id", "vender_id", "pay_type", "order_total_price", "order_payment",
		"order_seller_price", "freight_price", "seller_discount", "order_state", "order_state_remark",
		"delivery_type", "invoice_info", "order_remark", "order_start_time", "order_end_time",
		"consignee_info", "item_info_list", "coupon_detail_list", "modified"}
	optionalFields = []string{"return_order", "vender_remark", "pin", "balance_used",
		"payment_confirm_time", "logistics_id", "waybill", "vat_invoice_info", "parent_order_id", "order_type"}
)

// parseFields reads optional_fields; nil means the default fields.
func parseFields(p gateway.Params) ([]string, *gateway.Error) {
	v, e := p.Text("optional_fields")
	if e != nil || strings.TrimSpace(v) == "" {
		return nil, e
	}
	var fields []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" || slices.Contains(fields, f) {
			continue
		}
		if !slices.Contains(defaultFields, f) && !slices.Contains(optionalFields, f) {
			return nil, gateway.Gateway(jos.CodeBadOptionalFields, "非法的optional_fields:"+f,
				fmt.Sprintf("Unknown field %q in optional_fields", f))
		}
		fields = append(fields, f)
	}
	return fields, nil
}

var deliveryTexts = map[int]string{
	1: "只工作日送货(双休日、假日不用送)",
	2: "只双休日、假日送货(工作日不用送)",
	3: "工作日、双休日与假日均可送货",
}

func deliveryText(t int) string {
	if s, ok := deliveryTexts[t]; ok {
		return s
	}
	return "任意时间"
}

func payTypes(o *order) (code, text string) {
	if o.COD {
		return "1-货到付款", "货到付款"
	}
	return "4-在线支付", "在线支付"
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// lastShipment is the shipment the order's logistics_id and waybill come from. Lock held.
func (o *order) lastShipment() shop.Shipment {
	if len(o.Shipments) == 0 {
		return shop.Shipment{}
	}
	return o.Shipments[len(o.Shipments)-1]
}

// orderInfo is the OrderInfo structure of search and get, restricted to fields (nil: the
// default ones). s.mu must be held.
func (s *Server) orderInfo(o *order, fields []string) map[string]any {
	if fields == nil {
		fields = defaultFields
	}
	info := make(map[string]any, len(fields))
	for _, f := range fields {
		info[f] = s.orderField(o, f)
	}
	return info
}

func (s *Server) orderField(o *order, f string) any {
	switch f {
	case "order_id":
		return o.ID
	case "vender_id":
		return s.venderID
	case "pay_type":
		code, _ := payTypes(o)
		return code
	case "order_total_price":
		return yuan(o.Goods())
	case "order_payment":
		return yuan(o.Payment())
	case "order_seller_price":
		return yuan(o.Goods() - o.Discount)
	case "freight_price":
		return yuan(o.Freight)
	case "seller_discount":
		return yuan(o.Discount)
	case "order_state":
		return o.State
	case "order_state_remark":
		if r, ok := fbpStateRemarks[o.State]; ok {
			return r
		}
		return stateRemarks[o.State]
	case "delivery_type":
		return deliveryText(o.Delivery)
	case "invoice_info":
		if o.Inv.Kind == "" {
			return "不需要开具发票"
		}
		return fmt.Sprintf("发票类型:%s;发票抬头:%s;发票内容:%s;", o.Inv.Kind, o.Inv.Title, o.Inv.Content)
	case "order_remark":
		return o.Remark
	case "order_start_time":
		return fmtTime(o.Created)
	case "order_end_time":
		return fmtTime(o.Ended)
	case "consignee_info":
		c := o.Cons
		return map[string]any{"fullname": c.Name, "full_address": c.Address, "telephone": c.Phone,
			"mobile": c.Mobile, "province": c.Province, "city": c.City, "county": c.County}
	case "item_info_list":
		list := make([]any, len(o.Items))
		for i, it := range o.Items {
			list[i] = map[string]any{"sku_id": it.SkuID, "outer_sku_id": it.OuterID, "sku_name": it.Name,
				"jd_price": yuan(it.Price), "gift_point": "0", "ware_id": it.WareID,
				"item_total": strconv.Itoa(it.Num), "product_no": it.ProduceNo}
		}
		return list
	case "coupon_detail_list":
		list := []any{}
		if o.Discount > 0 {
			list = append(list, map[string]any{"order_id": o.ID, "sku_id": o.Items[0].SkuID,
				"coupon_type": "100-店铺优惠", "coupon_price": yuan(o.Discount)})
		}
		return list
	case "modified":
		return fmtTime(o.Modified)
	case "return_order":
		return "0"
	case "vender_remark":
		return o.VenderRemark
	case "pin":
		return o.Pin
	case "balance_used":
		return "0.00"
	case "payment_confirm_time":
		return fmtTime(o.PaidAt)
	case "logistics_id":
		return o.lastShipment().LogisticsID
	case "waybill":
		return o.lastShipment().Waybill
	case "vat_invoice_info":
		return map[string]any{"taxpayer_ident": o.Inv.TaxID, "registered_address": o.Inv.RegAddress,
			"registered_phone": o.Inv.RegPhone, "deposit_bank": o.Inv.Bank, "bank_account": o.Inv.Account}
	case "parent_order_id":
		return "0"
	case "order_type":
		return orderTypeCodes[o.Type]
	}
	return nil
}

func orderNotFound(id string) *gateway.Error {
	return gateway.Business(gateway.CodeOrderNotFound, "订单不存在", fmt.Sprintf("Order %s does not exist for this merchant", id))
}

// parseStates reads a comma-separated order_state list.
func parseStates(v string) ([]string, *gateway.Error) {
	var states []string
	for _, st := range strings.Split(v, ",") {
		st = strings.TrimSpace(st)
		if st == "" {
			continue
		}
		if _, ok := stateRemarks[st]; !ok {
			return nil, gateway.Bad("order_state", fmt.Sprintf("unknown state %q", st))
		}
		states = append(states, st)
	}
	return states, nil
}

// search is 360buy.order.search.
func (s *Server) search(p gateway.Params) (map[string]any, *gateway.Error) {
	v, e := p.Required("order_state")
	if e != nil {
		return nil, e
	}
	states, e := parseStates(v)
	if e != nil {
		return nil, e
	}
	if len(states) == 0 {
		return nil, gateway.Missing("order_state")
	}
	dateType, e := p.Integer("dateType", 0, -1<<31, 1<<31-1)
	if e != nil {
		return nil, e
	}
	sortType, e := p.Integer("sortType", 0, -1<<31, 1<<31-1)
	if e != nil {
		return nil, e
	}
	page, e := p.Integer("page", 1, 1, 1<<31-1)
	if e != nil {
		return nil, e
	}
	if page > maxSearchPages {
		return nil, gateway.Bad("page", fmt.Sprintf("最大page %d条,请缩短时间间隔,以获取全部订单 (JD serves at most %d pages: shorten the period)",
			maxSearchPages, maxSearchPages))
	}
	pageSize, e := p.Integer("page_size", 10, 1, 100)
	if e != nil {
		return nil, e
	}
	fields, e := parseFields(p)
	if e != nil {
		return nil, e
	}
	start, end, e := s.searchWindow(p, states)
	if e != nil {
		return nil, e
	}

	// dateType 1 searches by creation time; anything else by modification time.
	when := func(o *order) time.Time { return o.Modified }
	if dateType == 1 {
		when = func(o *order) time.Time { return o.Created }
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*order
	for _, o := range s.orders {
		t := when(o)
		if slices.Contains(states, o.State) && !t.Before(start) && !t.After(end) {
			found = append(found, o)
		}
	}
	slices.SortStableFunc(found, func(a, b *order) int {
		c := when(a).Compare(when(b))
		if c == 0 {
			c = cmp.Compare(len(a.ID), len(b.ID))
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if sortType == 1 {
			c = -c
		}
		return c
	})
	return s.searchPage(found, page, pageSize, fields), nil
}

// searchPage is the order_search of a search (360buy.order.search, .fbp.search): one page of
// found and their total. Lock held.
func (s *Server) searchPage(found []*order, page, pageSize int, fields []string) map[string]any {
	list := []any{}
	if from := (page - 1) * pageSize; from < len(found) {
		for _, o := range found[from:min(from+pageSize, len(found))] {
			list = append(list, s.orderInfo(o, fields))
		}
	}
	return map[string]any{"order_search": map[string]any{"order_total": len(found), "order_info_list": list}}
}

// maxSearchPages is JD's cap on the pages of one search (§1).
const maxSearchPages = 50

// maxSearchSpan is JD's "one month" between start_date and end_date, taken as the longest month.
const maxSearchSpan = 31 * 24 * time.Hour

// searchWindow reads start_date and end_date. Without them JD searches the last month, which it
// allows only for orders waiting to be shipped; the window may not exceed a month.
func (s *Server) searchWindow(p gateway.Params, states []string) (start, end time.Time, e *gateway.Error) {
	startS, e := p.Text("start_date")
	if e != nil {
		return start, end, e
	}
	endS, e := p.Text("end_date")
	if e != nil {
		return start, end, e
	}
	now := s.now()
	if startS == "" && endS == "" {
		if len(states) != 1 || states[0] != shop.StateWaitStockOut {
			return start, end, gateway.Gateway(jos.CodeBadParam, "缺少必选参数:start_date,end_date",
				"start_date and end_date are required unless order_state is WAIT_SELLER_STOCK_OUT alone")
		}
		return now.AddDate(0, -1, 0), now, nil
	}
	parse := parseTimeParam
	end = now
	if endS != "" {
		if end, e = parse("end_date", endS); e != nil {
			return start, end, e
		}
	}
	start = end.AddDate(0, -1, 0)
	if startS != "" {
		if start, e = parse("start_date", startS); e != nil {
			return start, end, e
		}
	}
	if end.Before(start) {
		return start, end, gateway.Bad("end_date", "is before start_date")
	}
	if end.Sub(start) > maxSearchSpan {
		return start, end, gateway.Bad("end_date", "start_date and end_date may be at most one month (31 days) apart")
	}
	return start, end, nil
}

// parseTimeParam reads a time parameter in JOS's layout, China time.
func parseTimeParam(name, v string) (time.Time, *gateway.Error) {
	t, err := time.ParseInLocation(timeLayout, v, jos.ChinaTime)
	if err != nil {
		return t, gateway.Bad(name, fmt.Sprintf("%q is not a time like 2024-05-01 12:00:00", v))
	}
	return t, nil
}

// getOrder is 360buy.order.get.
func (s *Server) getOrder(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	fields, e := parseFields(p)
	if e != nil {
		return nil, e
	}
	v, e := p.Text("order_state")
	if e != nil {
		return nil, e
	}
	states, e := parseStates(v)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return nil, orderNotFound(id)
	}
	if len(states) > 0 && !slices.Contains(states, o.State) {
		// Worded without "状态"/"state": a refusal is read by its words.
		return nil, gateway.Business(gateway.CodeOrderNotFound, "订单不存在(按所给筛选条件)",
			fmt.Sprintf("Order %s not found with the filter given", id))
	}
	return map[string]any{"order": map[string]any{"orderInfo": s.orderInfo(o, fields)}}, nil
}

func typeMismatch(o *order, want, what string) *gateway.Error {
	return gateway.Business(gateway.CodeOrderTypeMismatch,
		fmt.Sprintf("订单类型与接口不符:订单%s是%s订单", o.ID, o.Type),
		fmt.Sprintf("Order %s is a %s order, not %s: use 360buy.order.%s.%s", o.ID, o.Type, want, strings.ToLower(o.Type), what))
}

// printData is 360buy.order.print.data.get (want "") and its type-specific variants.
func printData(want string) func(s *Server, p gateway.Params) (map[string]any, *gateway.Error) {
	return func(s *Server, p gateway.Params) (map[string]any, *gateway.Error) {
		id, e := p.OrderID()
		if e != nil {
			return nil, e
		}
		s.mu.Lock()
		o, ok := s.byID[id]
		var outbound time.Time
		if ok {
			outbound = o.Outbound
		}
		s.mu.Unlock()
		if !ok {
			return nil, orderNotFound(id)
		}
		if want != "" && o.Type != want && !(want == shop.TypeSOP && o.Type == shop.TypeOverseas) {
			return nil, typeMismatch(o, want, "print.data.get")
		}
		pd, err := s.printDataBody(o, outbound)
		if err != nil {
			return nil, gateway.Gateway(jos.CodeSystemError, "系统错误", "System error: "+err.Error())
		}
		return map[string]any{"order_printdata": pd}, nil
	}
}

// printDataBody builds the print data of o; it reads only o's immutable fields.
func (s *Server) printDataBody(o *order, outbound time.Time) (map[string]any, error) {
	barcode, err := s.generade(o)
	if err != nil {
		return nil, err
	}
	_, payText := payTypes(o)
	shouldPay := "0.00"
	if o.COD {
		shouldPay = yuan(o.Payment())
	}
	items := make([]any, len(o.Items))
	for i, it := range o.Items {
		items[i] = map[string]any{"ware": it.WareID, "ware_name": it.Name, "num": strconv.Itoa(it.Num),
			"jd_price": yuan(it.Price), "price": yuan(it.Price * int64(it.Num)), "produce_no": it.ProduceNo}
	}
	out := ""
	if !outbound.IsZero() {
		out = fmtTime(outbound)
	}
	pd := map[string]any{
		"id":                o.ID,
		"out_bound_date":    out,
		"bf_deli_good_glag": yesNo(o.Notify),
		"cod_time_name":     deliveryText(o.Delivery),
		"remark":            o.Remark,
		"cky2_name":         "",
		"sorting_code":      "",
		"create_date":       fmtTime(o.Created),
		"should_pay":        shouldPay,
		"payment_typeStr":   payText,
		"partner":           "",
		"generade":          barcode,
		"items_count":       strconv.Itoa(o.ItemCount()),
		"order_item":        items,
		"Consignee": map[string]any{"cons_name": o.Cons.Name, "cons_phone": o.Cons.Phone,
			"cons_address": o.Cons.Address, "cons_handset": o.Cons.Mobile},
	}
	if o.Type == shop.TypeSOP || o.Type == shop.TypeOverseas {
		pd["freight"] = yuan(o.Freight)
		pd["invoice_title"] = o.Inv.Title
		pd["invoice_type"] = o.Inv.Kind
		pd["invoice_content"] = o.Inv.Content
		return pd, nil
	}
	pickup, err := s.pickupSign(o)
	if err != nil {
		return nil, err
	}
	level, err := s.levelSign(o)
	if err != nil {
		return nil, err
	}
	pd["cky2_name"] = o.Type + " - " + o.DC
	pd["sorting_code"] = o.SortingCode
	pd["partner"] = o.Site
	pd["pickUpSign"] = pickup
	pd["pickUpSign_type"] = o.Pickup
	pd["orderLevelSign"] = level
	pd["orderLevel_Type"] = o.Level
	return pd, nil
}
