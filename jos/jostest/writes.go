package jostest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"station/internal/ascii"
	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

// carrier is a logistics company set up for the simulated merchant.
type carrier struct {
	id, name, remark string
	cod              bool
	// self: the merchant delivers; no waybill needed.
	self bool
}

var carriers = []carrier{
	{id: "1274", name: "厂家自送", remark: "商家自行配送,无需运单号", cod: true, self: true},
	{id: "336878", name: "京东快递", remark: "京东物流", cod: true},
	{id: "467", name: "顺丰速运", remark: "顺丰", cod: true},
	{id: "1499", name: "中通快递", remark: "中通"},
}

func carrierByID(id string) (carrier, bool) {
	for _, c := range carriers {
		if c.id == id {
			return c, true
		}
	}
	return carrier{}, false
}

// logistics is 360buy.delivery.logistics.get.
func (s *Server) logistics(gateway.Params) (map[string]any, *gateway.Error) {
	list := make([]any, len(carriers))
	for i, c := range carriers {
		list[i] = map[string]any{"logistics_id": json.Number(c.id), "logistics_name": c.name,
			"logistics_remark": c.remark, "sequence": fmt.Sprint(i + 1), "agree_flag": "1", "iscod": c.cod}
	}
	return map[string]any{"logistics_companies": map[string]any{"vender_id": s.venderID, "logistics_list": list}}, nil
}

// waybillPattern is what JD accepts as one waybill number.
var waybillPattern = regexp.MustCompile(`^[A-Za-z0-9-]{6,32}$`)

func badLogistics(zh, en string) *gateway.Error {
	return gateway.Business(gateway.CodeBadLogistics, zh, en)
}
func badWaybill(zh, en string) *gateway.Error {
	return gateway.Business(gateway.CodeBadWaybill, zh, en)
}

// checkWaybills validates one carrier's comma-separated waybills and counts them.
func checkWaybills(c carrier, group string) (int, *gateway.Error) {
	if group == "" {
		if c.self {
			return 0, nil
		}
		return 0, badWaybill("运单号不能为空:"+c.name+"需要运单号",
			fmt.Sprintf("Missing waybill: carrier %s (%s) needs a waybill number", c.id, c.name))
	}
	n := 0
	for _, w := range strings.Split(group, ",") {
		if !waybillPattern.MatchString(w) {
			return 0, badWaybill("运单号格式不正确:"+w,
				fmt.Sprintf("Waybill %q is not valid: 6-32 letters, digits or dashes", w))
		}
		n++
	}
	return n, nil
}

// shipment validates the carrier and waybill parameters of an outstorage or waybill update.
// SOP: several carriers split by "|", their waybill groups split the same way. LBP/SOPL: one
// carrier, 0 meaning the merchant takes the parcels to JD's sorting centre.
func shipment(typ, logisticsID, waybill string, packages int) (shop.Shipment, *gateway.Error) {
	if logisticsID == "" {
		return shop.Shipment{}, badLogistics("物流公司ID不能为空", "Missing logistics_id")
	}
	sh := shop.Shipment{LogisticsID: logisticsID, Waybill: waybill, PackageNum: packages}
	if typ != shop.TypeSOP {
		var c carrier
		if logisticsID == "0" {
			c = carrier{id: "0", name: "自送分拣中心", self: true}
		} else if strings.Contains(logisticsID, "|") {
			return shop.Shipment{}, badLogistics("只能指定一个物流公司", "An "+typ+" order takes one logistics_id, not a | list")
		} else {
			var ok bool
			if c, ok = carrierByID(logisticsID); !ok {
				return shop.Shipment{}, unknownCarrier(logisticsID)
			}
		}
		if _, e := checkWaybills(c, waybill); e != nil {
			return shop.Shipment{}, e
		}
		if sh.PackageNum == 0 {
			sh.PackageNum = 1
		}
		return sh, nil
	}

	ids := strings.Split(logisticsID, "|")
	cs := make([]carrier, len(ids))
	for i, id := range ids {
		c, ok := carrierByID(id)
		if !ok {
			return shop.Shipment{}, unknownCarrier(id)
		}
		cs[i] = c
	}
	groups := make([]string, len(ids)) // no waybill at all: every group empty
	if waybill != "" {
		groups = strings.Split(waybill, "|")
		if len(groups) != len(ids) {
			return shop.Shipment{}, badWaybill("运单号分组数与物流公司数不符",
				fmt.Sprintf("%d carriers but %d waybill groups: separate each carrier's waybills with |", len(ids), len(groups)))
		}
	}
	total := 0
	for i, c := range cs {
		n, e := checkWaybills(c, groups[i])
		if e != nil {
			return shop.Shipment{}, e
		}
		total += n
	}
	sh.PackageNum = max(total, 1)
	return sh, nil
}

func unknownCarrier(id string) *gateway.Error {
	return badLogistics("物流公司不存在或未签约:"+id,
		fmt.Sprintf("Logistics company %q is unknown or not contracted: take ids from 360buy.delivery.logistics.get", id))
}

// writeTarget finds the order a write (what: "outstorage" or "waybill.update") names, and refuses
// it when its type is not typ or the trade_no (serial number) was carried by an applied write
// before. The order is returned whenever it exists, even with an error. Lock held.
func (s *Server) writeTarget(typ, what string, w writeParams) (*order, *gateway.Error) {
	o, ok := s.byID[w.id]
	if !ok {
		return nil, orderNotFound(w.id)
	}
	if o.Type != typ {
		return o, typeMismatch(o, typ, what)
	}
	if w.tradeNo != "" && s.tradeNos[w.tradeNo] {
		return o, gateway.Business(jos.CodeTradeNoExists, "流水号已经存在", fmt.Sprintf("trade_no %s was used before", w.tradeNo))
	}
	return o, nil
}

// useTradeNo records the trade_no of an applied write. Lock held.
func (s *Server) useTradeNo(tradeNo string) {
	if tradeNo != "" {
		s.tradeNos[tradeNo] = true
	}
}

// writeParams are the parameters outstorage and waybill update share.
type writeParams struct {
	id, logisticsID, waybill, tradeNo string
	packages                          int
}

func readWriteParams(typ string, p gateway.Params, withPackages bool) (writeParams, *gateway.Error) {
	var w writeParams
	var e *gateway.Error
	if w.id, e = p.OrderID(); e != nil {
		return w, e
	}
	if w.logisticsID, e = p.Text("logistics_id"); e != nil {
		return w, e
	}
	if w.waybill, e = p.Text("waybill"); e != nil {
		return w, e
	}
	if w.tradeNo, e = p.Text("trade_no"); e != nil {
		return w, e
	}
	if withPackages && typ != shop.TypeSOP {
		if w.packages, e = p.Integer("package_num", 0, 1, 999); e != nil {
			return w, e
		}
		// JD's SDKs always send send_type "1" for LBP and SOPL outstorage and the C# SDK
		// refuses to call without it: the router is taken to require it.
		if st, e := p.Required("send_type"); e != nil {
			return w, e
		} else if !ascii.Digits(st) {
			return w, gateway.Bad("send_type", fmt.Sprintf("%q is not a number", st))
		}
	}
	if typ == shop.TypeSOPL {
		// address_id is reserved: accepted when it is a number, otherwise ignored by JD.
		if a, e := p.Text("address_id"); e != nil {
			return w, e
		} else if a != "" && !ascii.Digits(a) {
			return w, gateway.Bad("address_id", fmt.Sprintf("%q is not a number", a))
		}
	}
	return w, nil
}

func writeReply(s *Server, o *order) map[string]any {
	return map[string]any{"order_id": json.Number(o.ID), "vender_id": s.venderID, "modified": fmtTime(o.Modified)}
}

// outstorage is 360buy.order.{sop,lbp,sopl}.outstorage: the parcel has left the warehouse.
func outstorage(typ string) func(s *Server, p gateway.Params) (map[string]any, *gateway.Error) {
	return func(s *Server, p gateway.Params) (map[string]any, *gateway.Error) {
		w, e := readWriteParams(typ, p, true)
		if e != nil {
			return nil, e
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		o, e := s.writeTarget(typ, "outstorage", w)
		if o != nil {
			o.attempts++ // refused attempts count too: the ledger shows what the station tried
		}
		if e != nil {
			return nil, e
		}
		switch {
		case shop.Shipped(o.State):
			return nil, gateway.Business(gateway.CodeOrderShipped, "订单已出库",
				fmt.Sprintf("Order %s has already been shipped (%s)", o.ID, o.State))
		case o.State != shop.StateWaitStockOut:
			return nil, gateway.Business(gateway.CodeOrderStateInvalid, "订单状态不允许出库:"+stateRemarks[o.State],
				fmt.Sprintf("Order %s is %s and cannot be shipped", o.ID, o.State))
		}
		sh, e := shipment(typ, w.logisticsID, w.waybill, w.packages)
		if e != nil {
			return nil, e
		}
		now := s.now()
		if typ == shop.TypeSOP {
			o.State = shop.StateWaitReceive
		} else {
			o.State = shop.StateSentToCenter
		}
		o.Outbound, o.Modified = now, now
		o.Shipments = append(o.Shipments, sh)
		o.accepted++
		s.useTradeNo(w.tradeNo)
		return writeReply(s, o), nil
	}
}

// waybillUpdate is 360buy.order.{sop,lbp,sopl}.waybill.update: it corrects the carrier and
// waybill of a shipped order.
func waybillUpdate(typ string) func(s *Server, p gateway.Params) (map[string]any, *gateway.Error) {
	return func(s *Server, p gateway.Params) (map[string]any, *gateway.Error) {
		w, e := readWriteParams(typ, p, false)
		if e != nil {
			return nil, e
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		o, e := s.writeTarget(typ, "waybill.update", w)
		if e != nil {
			return nil, e
		}
		if !shop.Shipped(o.State) {
			return nil, gateway.Business(gateway.CodeWaybillLocked, "当前状态的订单不能修改运单号:"+stateRemarks[o.State],
				fmt.Sprintf("Order %s is %s: only a shipped order's waybill can be changed", o.ID, o.State))
		}
		last := o.lastShipment()
		sh, e := shipment(typ, w.logisticsID, w.waybill, last.PackageNum)
		if e != nil {
			return nil, e
		}
		if len(o.Shipments) == 0 {
			o.Shipments = append(o.Shipments, sh)
		} else {
			o.Shipments[len(o.Shipments)-1] = sh
		}
		o.Modified = s.now()
		s.useTradeNo(w.tradeNo)
		return writeReply(s, o), nil
	}
}
