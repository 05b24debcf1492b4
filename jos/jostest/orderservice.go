package jostest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

// The rest of the order service (seed 004 §3-5, §13-14, §18-21) and the logistics track of
// seed 001. The newer jingdong.* methods answer with an ApiJosResult (success, result_code,
// result_describe) inside a "_responce" envelope whose code is "0" even when they refuse.

// The simulator's codes in an ApiJosResult.
const (
	resultOK            = "10100000"
	resultOrderNotFound = "10200001"
	resultStateRefused  = "10200002" // the order's state forbids it (shipped, cancelled)
	resultApplyPending  = "10200003" // a delete request is already pending
	resultNoApply       = "10200004" // no delete request to cancel
	resultBadParam      = "10200005"
)

// The simulator's refusals for the overseas and remark writes.
const (
	CodeNotOverseas      = gateway.CodeOrderTypeMismatch
	codeDeliveryTooEarly = gateway.CodeOrderStateInvalid
)

// Remark colours of §18-19 (flag): 0 grey, 1 red, 2 yellow, 3 green, 4 blue, 5 purple.
const maxRemarkFlag = 5

// maxRemarkRunes and maxDeleteReasonRunes are the seed's "不大于500字符" and "长度不能超过500".
const (
	maxRemarkRunes       = 500
	maxDeleteReasonRunes = 500
)

// deleteApply is a pending delete request (§20): JD reviews it; while it is pending the order
// shows as LOCKED.
type deleteApply struct {
	Type      int
	Reason    string
	At        time.Time
	prevState string
}

func josResult(code, describe string) map[string]any {
	return map[string]any{"success": fmt.Sprint(code == resultOK), "result_code": code, "result_describe": describe}
}

func resultRefused(code, describe string) map[string]any {
	return map[string]any{"result": josResult(code, describe)}
}

// venderRemarkQuery is jingdong.order.venderRemark.queryByOrderId (§18).
func (s *Server) venderRemarkQuery(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return map[string]any{"venderRemarkQueryResult": map[string]any{
			"api_jos_result": josResult(resultOrderNotFound, "订单不存在"), "vender_remark": nil}}, nil
	}
	created, modified := o.remarkCreated, o.remarkModified
	if created.IsZero() {
		created, modified = o.Created, o.Created
	}
	return map[string]any{"venderRemarkQueryResult": map[string]any{
		"api_jos_result": josResult(resultOK, "成功"),
		"vender_remark": map[string]any{"order_id": json.Number(o.ID), "remark": o.VenderRemark,
			"created": fmtTime(created), "modified": fmtTime(modified), "flag": json.Number(fmt.Sprint(o.remarkFlag))},
	}}, nil
}

// venderRemarkUpdate is 360buy.order.vender.remark.update (§19): it replaces the merchant's
// remark; trade_no is the serial number that may not repeat.
func (s *Server) venderRemarkUpdate(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	remark, e := p.Text("remark")
	if e != nil {
		return nil, e
	}
	if utf8.RuneCountInString(remark) > maxRemarkRunes {
		return nil, gateway.Bad("remark", fmt.Sprintf("at most %d characters", maxRemarkRunes))
	}
	flag, e := p.Integer("flag", 0, 0, maxRemarkFlag)
	if e != nil {
		return nil, e
	}
	tradeNo, e := p.Required("trade_no")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return nil, orderNotFound(id)
	}
	if s.tradeNos[tradeNo] {
		return nil, gateway.Business(jos.CodeTradeNoExists, "流水号已经存在", fmt.Sprintf("trade_no %s was used before", tradeNo))
	}
	now := s.now()
	if o.remarkCreated.IsZero() {
		o.remarkCreated = now
	}
	o.VenderRemark, o.remarkFlag, o.remarkModified, o.Modified = remark, flag, now, now
	o.remarkUpdates++
	s.useTradeNo(tradeNo)
	return map[string]any{"vender_id": s.venderID, "modified": fmtTime(now), "order_id": o.ID}, nil
}

// deleteApplyCall is jingdong.order.orderDelete.apply (§20).
func (s *Server) deleteApplyCall(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	typ, e := p.Integer("del_apply_type", 0, 1, 9)
	if e != nil {
		return nil, e
	}
	if typ == 0 {
		return nil, gateway.Missing("del_apply_type")
	}
	reason, e := p.Text("del_apply_reason")
	if e != nil {
		return nil, e
	}
	switch {
	case typ == 9 && strings.TrimSpace(reason) == "":
		return resultRefused(resultBadParam, "删单类型为9时,删单原因描述不能为空"), nil
	case utf8.RuneCountInString(reason) > maxDeleteReasonRunes:
		return resultRefused(resultBadParam, fmt.Sprintf("删单原因描述长度不能超过%d", maxDeleteReasonRunes)), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	switch {
	case !ok:
		return resultRefused(resultOrderNotFound, "订单不存在"), nil
	case o.deleteApply != nil:
		return resultRefused(resultApplyPending, "该订单已有删单申请,请等待审核"), nil
	case o.State != shop.StateWaitStockOut && o.State != shop.StateWaitSellerDelivery:
		return resultRefused(resultStateRefused, "订单状态不允许删单:"+stateRemarks[o.State]), nil
	}
	now := s.now()
	o.deleteApply = &deleteApply{Type: typ, Reason: reason, At: now, prevState: o.State}
	o.State, o.Modified = shop.StateLocked, now
	o.deleteApplies++
	return map[string]any{"result": josResult(resultOK, "成功")}, nil
}

// deleteCancel is jingdong.order.orderDelete.cancelApply (§21): the order goes back to the
// state it had.
func (s *Server) deleteCancel(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	switch {
	case !ok:
		return resultRefused(resultOrderNotFound, "订单不存在"), nil
	case o.deleteApply == nil:
		return resultRefused(resultNoApply, "该订单没有待审核的删单申请"), nil
	}
	o.State, o.Modified = o.deleteApply.prevState, s.now()
	o.deleteApply = nil
	return map[string]any{"result": josResult(resultOK, "成功")}, nil
}

// overseasTarget finds the overseas order of a write. Lock held.
func (s *Server) overseasTarget(id, tradeNo, what string) (*order, *gateway.Error) {
	o, ok := s.byID[id]
	if !ok {
		return nil, orderNotFound(id)
	}
	if o.Type != shop.TypeOverseas {
		return o, gateway.Business(CodeNotOverseas, "非海外购订单,不能调用海外购"+what+"接口",
			fmt.Sprintf("Order %s is a %s order, not an overseas one: use 360buy.order.%s.outstorage", o.ID, o.Type, strings.ToLower(o.Type)))
	}
	if tradeNo != "" && s.tradeNos[tradeNo] {
		return o, gateway.Business(jos.CodeTradeNoExists, "流水号已经存在", fmt.Sprintf("trade_no %s was used before", tradeNo))
	}
	return o, nil
}

// overseasOutstorage is 360buy.overseas.order.sop.outstorage (§13): the order leaves the
// (bonded) warehouse and waits for its domestic delivery, WAIT_SELLER_DELIVERY.
func (s *Server) overseasOutstorage(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	tradeNo, e := p.Text("trade_no")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, e := s.overseasTarget(id, tradeNo, "出库")
	if o != nil {
		o.attempts++
	}
	if e != nil {
		return nil, e
	}
	switch {
	case o.State == shop.StateWaitSellerDelivery || shop.Shipped(o.State):
		return nil, gateway.Business(gateway.CodeOrderShipped, "订单已出库",
			fmt.Sprintf("Order %s has already left the warehouse (%s)", o.ID, o.State))
	case o.State != shop.StateWaitStockOut:
		return nil, gateway.Business(gateway.CodeOrderStateInvalid, "订单状态不允许出库:"+stateRemarks[o.State],
			fmt.Sprintf("Order %s is %s and cannot leave the warehouse", o.ID, o.State))
	}
	now := s.now()
	o.State, o.Outbound, o.Modified = shop.StateWaitSellerDelivery, now, now
	o.accepted++
	s.useTradeNo(tradeNo)
	return writeReply(s, o), nil
}

// overseasDelivery is 360buy.overseas.order.sop.delivery (§14): the domestic carrier has the
// parcel. It needs the outstorage first; the waybill may be empty for the merchant's own delivery.
func (s *Server) overseasDelivery(p gateway.Params) (map[string]any, *gateway.Error) {
	w, e := readWriteParams(shop.TypeSOP, p, false)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, e := s.overseasTarget(w.id, w.tradeNo, "发货")
	if o != nil {
		o.deliveryAttempts++
	}
	if e != nil {
		return nil, e
	}
	switch {
	case shop.Shipped(o.State):
		return nil, gateway.Business(gateway.CodeOrderShipped, "订单已发货",
			fmt.Sprintf("Order %s has already been delivered (%s)", o.ID, o.State))
	case o.State == shop.StateWaitStockOut:
		return nil, gateway.Business(codeDeliveryTooEarly, "订单未出库,请先调用海外购订单出库接口",
			fmt.Sprintf("Order %s has not left the warehouse: call 360buy.overseas.order.sop.outstorage first", o.ID))
	case o.State != shop.StateWaitSellerDelivery:
		return nil, gateway.Business(gateway.CodeOrderStateInvalid, "订单状态不允许发货:"+stateRemarks[o.State],
			fmt.Sprintf("Order %s is %s and cannot be delivered", o.ID, o.State))
	}
	if strings.Contains(w.logisticsID, "|") {
		return nil, badLogistics("只能指定一个物流公司", "An overseas delivery takes one logistics_id, not a | list")
	}
	sh, e := shipment(shop.TypeSOP, w.logisticsID, w.waybill, 0)
	if e != nil {
		return nil, e
	}
	now := s.now()
	o.State, o.Modified = shop.StateWaitReceive, now
	o.Shipments = append(o.Shipments, sh)
	o.deliveryAccepted++
	s.useTradeNo(w.tradeNo)
	return writeReply(s, o), nil
}

// trackStep is one event of a parcel's way, after the order left.
type trackStep struct {
	after time.Duration
	text  func(o *order, carrier string) string
}

var trackSteps = []trackStep{
	{0, func(o *order, c string) string { return "您的订单已出库，" + c + "已揽收" }},
	{2 * time.Hour, func(o *order, c string) string { return "快件已到达【" + o.Cons.Province + "转运中心】" }},
	{9 * time.Hour, func(o *order, c string) string {
		return "快件已从转运中心发出，正在发往【" + o.Cons.City + "】"
	}},
	{20 * time.Hour, func(o *order, c string) string {
		return "快件已到达【" + o.Cons.City + o.Cons.County + "营业部】，快递员正在派送"
	}},
	{27 * time.Hour, func(o *order, c string) string { return "您的快件已签收，感谢使用" + c }},
}

// orderTrack is jingdong.pop.order.track (seed 001): the events of a shipped order up to now,
// oldest first; none before it has left.
func (s *Server) orderTrack(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return nil, orderNotFound(id)
	}
	tracks := []any{}
	if len(o.Shipments) > 0 && !o.Outbound.IsZero() {
		carrier := "承运商"
		if c, ok := carrierByID(strings.Split(o.lastShipment().LogisticsID, "|")[0]); ok {
			carrier = c.name
		} else if o.lastShipment().LogisticsID == "0" {
			carrier = "京东物流"
		}
		now := s.now()
		for _, st := range trackSteps {
			at := o.Outbound.Add(st.after)
			if at.After(now) {
				break
			}
			tracks = append(tracks, map[string]any{"time": fmtTime(at), "content": st.text(o, carrier)})
		}
	}
	return map[string]any{"order_tracks": tracks}, nil
}

// fbpSearch is 360buy.order.fbp.search (§3): FBP orders modified in [start_date, end_date].
func (s *Server) fbpSearch(p gateway.Params) (map[string]any, *gateway.Error) {
	page, e := p.Integer("page", 1, 1, 99999)
	if e != nil {
		return nil, e
	}
	pageSize, e := p.Integer("page_size", 10, 1, 100)
	if e != nil {
		return nil, e
	}
	fields, e := parseFields(p)
	if e != nil {
		return nil, e
	}
	start, end, e := s.fbpWindow(p)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*order
	for _, o := range s.fbp {
		if !o.Modified.Before(start) && !o.Modified.After(end) {
			found = append(found, o)
		}
	}
	return s.searchPage(found, page, pageSize, fields), nil
}

// fbpWindow reads the FBP search's start_date and end_date, both required, at most a month apart.
func (s *Server) fbpWindow(p gateway.Params) (start, end time.Time, e *gateway.Error) {
	parse := func(name string) (time.Time, *gateway.Error) {
		v, e := p.Required(name)
		if e != nil {
			return time.Time{}, e
		}
		return parseTimeParam(name, v)
	}
	if start, e = parse("start_date"); e != nil {
		return
	}
	if end, e = parse("end_date"); e != nil {
		return
	}
	if end.Before(start) {
		return start, end, gateway.Bad("end_date", "is before start_date")
	}
	if end.Sub(start) > maxSearchSpan {
		return start, end, gateway.Bad("end_date", "start_date and end_date may be at most one month (31 days) apart")
	}
	return start, end, nil
}

// fbpGet is 360buy.order.fbp.get (§4).
func (s *Server) fbpGet(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	fields, e := parseFields(p)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.fbpByID[id]
	if !ok {
		return nil, orderNotFound(id)
	}
	return map[string]any{"order": map[string]any{"orderInfo": s.orderInfo(o, fields)}}, nil
}

// jdLabelPage is JD's own waybill as 360buy.order.print gives it: an HTML page whose barcode
// image the caller fills in from image_data.
var jdLabelPage = template.Must(template.New("jd").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>京东面单 {{.ID}}</title></head>
<body><table class="jd-waybill">
<tr><td>订单号</td><td>{{.ID}}</td></tr>
<tr><td>收货人</td><td>{{.Name}}</td></tr>
<tr><td>电话</td><td>{{.Phone}}</td></tr>
<tr><td>地址</td><td>{{.Address}}</td></tr>
{{if .Site}}<tr><td>配送站</td><td>{{.Site}}</td></tr>{{end}}
<tr><td>应收金额</td><td>{{.Pay}}</td></tr>
<tr><td>商品</td><td>{{range .Items}}{{.}}<br>{{end}}</td></tr>
<tr><td colspan="2"><img id="barcode" alt="条码" src=""></td></tr>
</table></body></html>
`))

// orderPrint is 360buy.order.print (§5).
func (s *Server) orderPrint(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderID()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	o, ok := s.byID[id]
	s.mu.Unlock()
	if !ok {
		return nil, orderNotFound(id)
	}
	phone := strings.TrimSpace(o.Cons.Mobile)
	if phone == "" {
		phone = o.Cons.Phone
	}
	pay := "0.00"
	if o.COD {
		pay = yuan(o.Payment())
	}
	var items []string
	for _, it := range o.Items {
		items = append(items, fmt.Sprintf("%s ×%d", it.Name, it.Num))
	}
	var page bytes.Buffer
	if err := jdLabelPage.Execute(&page, map[string]any{"ID": o.ID, "Name": o.Cons.Name, "Phone": phone,
		"Address": o.Cons.Address, "Site": o.Site, "Pay": pay, "Items": items}); err != nil {
		return nil, gateway.Gateway(jos.CodeSystemError, "系统错误", "System error: "+err.Error())
	}
	image := ""
	if slices.Contains([]string{shop.TypeLBP, shop.TypeSOPL}, o.Type) {
		var err error
		if image, err = s.generade(o); err != nil {
			return nil, gateway.Gateway(jos.CodeSystemError, "系统错误", "System error: "+err.Error())
		}
	}
	return map[string]any{"print_result": map[string]any{
		"html_content": base64.StdEncoding.EncodeToString(page.Bytes()), "image_data": image}}, nil
}
