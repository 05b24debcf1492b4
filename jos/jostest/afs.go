package jostest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"station/jos"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

// The after-sales service (jingdong.afsservice.*, seed 000): cases made from shipped orders,
// their status moving on with the simulator's clock (pending for an hour, in progress for a
// day, then completed), a schedule that grows the same way, cancellation while a case is open,
// and the seed's duplicate check: a second application of the same type for an order whose
// case of that type is still open is refused.

// afsCodeParam is the seed's 3001, parameter error: the simulator's refusals of the
// after-sales methods (403 and 500 are the gateway's to give; the faults stand for them).
const afsCodeParam = jos.CodeAfsParam

// afsResultOK is apply.create's resultCode on success; afsResultRefused the simulator's for a
// business refusal (a duplicate, an order not shipped), its words in resultComment.
const (
	afsResultOK      = 100
	afsResultRefused = 3001
)

// afsCase is one after-sales case. Guarded by Server.mu.
type afsCase struct {
	id                int64
	orderID           string
	typ, expect       int
	question          string
	images            []string
	detection         bool
	contact, phone    string
	created, canceled time.Time
}

// afsSteps are the milestones of a case after its creation.
var afsSteps = []struct {
	after time.Duration
	text  string
}{
	{0, "售后申请已提交"},
	{time.Hour, "审核通过"},
	{6 * time.Hour, "客户已寄回商品"},
	{20 * time.Hour, "商品检测中"},
	{24 * time.Hour, "处理完成"},
}

// status is the case's serviceStatus at now.
func (c *afsCase) status(now time.Time) int {
	switch age := now.Sub(c.created); {
	case !c.canceled.IsZero():
		return 4
	case age < time.Hour:
		return 1
	case age < 24*time.Hour:
		return 2
	}
	return 3
}

func (c *afsCase) result(now time.Time) string {
	switch c.status(now) {
	case 3:
		return map[int]string{10: "退货退款", 20: "换货", 30: "维修完成"}[c.typ]
	case 4:
		return "已取消"
	}
	return ""
}

var afsStatusWords = map[int]string{1: "待审核", 2: "处理中", 3: "已完成", 4: "已取消"}

func afsRefusal(code, zh, en string) *gateway.Error { return gateway.Gateway(code, zh, en) }

// seedAfs gives some of the orders that left before the simulator started a case of their own,
// from a stream of its own.
func (s *Server) seedAfs() {
	r := rand.New(rand.NewPCG(uint64(s.opts.Seed), 0x616673))
	s.afsNext = 987654321 + int64(r.IntN(1000000))
	for _, o := range s.orders {
		if !shop.Shipped(o.State) || o.Outbound.IsZero() || !(r.Float64() < 0.25) {
			continue
		}
		typ := []int{10, 10, 20, 30}[r.IntN(4)]
		expect := 10
		if typ != 10 {
			expect = 20
		}
		created := o.Outbound.Add(time.Duration(24+r.IntN(72)) * time.Hour)
		if created.After(s.now()) {
			created = s.now().Add(-time.Duration(1+r.IntN(120)) * time.Minute)
		}
		s.addAfs(&afsCase{orderID: o.ID, typ: typ, expect: expect, created: created,
			question: []string{"商品破损", "尺码不合适", "收到的颜色不对", "无法开机", "少发了配件"}[r.IntN(5)],
			contact:  o.Cons.Name, phone: strings.TrimSpace(o.Cons.Mobile)})
	}
}

// addAfs files a case under a new id. Lock held (or not yet serving).
func (s *Server) addAfs(c *afsCase) {
	s.afsNext += 1 + int64(len(s.afsCases)%7)
	c.id = s.afsNext
	s.afsCases[c.id] = c
	s.afsByOrder[c.orderID] = append(s.afsByOrder[c.orderID], c)
}

// afsApply is jingdong.afsservice.apply.create.
func (s *Server) afsApply(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderIDNamed("orderId")
	if e != nil {
		return nil, afsParam(e)
	}
	typ, e := p.Integer("afsApplyType", 0, 10, 30)
	if e != nil || typ%10 != 0 {
		return nil, afsRefusal(afsCodeParam, "参数错误:afsApplyType", "afsApplyType must be 10, 20 or 30")
	}
	expect, e := p.Integer("customerExpect", 0, 10, 20)
	if e != nil || expect%10 != 0 {
		return nil, afsRefusal(afsCodeParam, "参数错误:customerExpect", "customerExpect must be 10 or 20")
	}
	if want := map[int]int{10: 10, 20: 20, 30: 20}[typ]; expect != want {
		return nil, afsRefusal(afsCodeParam, "参数错误:售后类型与客户期望不符", fmt.Sprintf("afsApplyType %d goes with customerExpect %d", typ, want))
	}
	question, e := p.Required("questionDesc")
	if e != nil || utf8.RuneCountInString(question) > 500 {
		return nil, afsRefusal(afsCodeParam, "参数错误:questionDesc", "questionDesc is required, at most 500 characters")
	}
	detection, e := p.Integer("isNeedDetectionReport", 0, 0, 1)
	if e != nil {
		return nil, afsParam(e)
	}
	var images []string
	if raw, ok := p["images"]; ok && len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &images); err != nil {
			return nil, afsRefusal(afsCodeParam, "参数错误:images", "images must be a list of URLs")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	now := s.now()
	refused := func(comment string) (map[string]any, *gateway.Error) {
		return map[string]any{"resultCode": afsResultRefused, "resultComment": comment}, nil
	}
	switch {
	case !ok:
		return refused("订单不存在")
	case !shop.Shipped(o.State):
		return refused("订单未发货,不能申请售后:" + stateRemarks[o.State])
	}
	for _, c := range s.afsByOrder[id] {
		if c.typ == typ && c.status(now) != 4 && c.status(now) != 3 {
			return refused(fmt.Sprintf("重复提交:该订单已有%s售后申请 %d,请勿重复提交", afsTypeWords[typ], c.id))
		}
	}
	c := &afsCase{orderID: id, typ: typ, expect: expect, question: question, images: images, detection: detection == 1,
		created: now, contact: o.Cons.Name, phone: strings.TrimSpace(o.Cons.Mobile)}
	s.addAfs(c)
	s.afsApplies++
	return map[string]any{"resultCode": afsResultOK, "resultComment": "成功", "afsServiceId": c.id}, nil
}

var afsTypeWords = map[int]string{10: "退货", 20: "换货", 30: "维修"}

func afsParam(e *gateway.Error) *gateway.Error {
	return afsRefusal(afsCodeParam, "参数错误", "Parameter error: "+e.Error())
}

// afsOrder is jingdong.afsservice.order.get: the order's cases, oldest first.
func (s *Server) afsOrder(p gateway.Params) (map[string]any, *gateway.Error) {
	id, e := p.OrderIDNamed("orderId")
	if e != nil {
		return nil, afsParam(e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[id]; !ok {
		return nil, afsRefusal(afsCodeParam, "订单不存在", fmt.Sprintf("Order %s does not exist for this merchant", id))
	}
	now := s.now()
	list := []any{}
	for _, c := range s.afsByOrder[id] {
		list = append(list, map[string]any{"afsServiceId": c.id, "orderId": json.Number(c.orderID), "serviceStatus": c.status(now),
			"afsApplyType": c.typ})
	}
	return map[string]any{"afsServiceList": list}, nil
}

// afsCaseParam finds the case of afsServiceId. Lock held.
func (s *Server) afsCaseParam(p gateway.Params) (*afsCase, *gateway.Error) {
	v, e := p.Required("afsServiceId")
	if e != nil {
		return nil, afsParam(e)
	}
	id, err := strconv.ParseInt(v, 10, 64)
	c, ok := s.afsCases[id]
	if err != nil || !ok {
		return nil, afsRefusal(afsCodeParam, "售后单不存在", fmt.Sprintf("There is no after-sales case %q", v))
	}
	return c, nil
}

// afsDetail is jingdong.afsservice.service.detail.get.
func (s *Server) afsDetail(p gateway.Params) (map[string]any, *gateway.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.afsCaseParam(p)
	if e != nil {
		return nil, e
	}
	now := s.now()
	return map[string]any{
		"customerInfo":      map[string]any{"linkMan": c.contact, "phone": c.phone},
		"serviceDetailInfo": map[string]any{"questionDesc": c.question, "processResult": c.result(now), "status": afsStatusWords[c.status(now)]},
	}, nil
}

// afsSchedule is jingdong.afsservice.service.schedule.get: the milestones reached by now.
func (s *Server) afsSchedule(p gateway.Params) (map[string]any, *gateway.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.afsCaseParam(p)
	if e != nil {
		return nil, e
	}
	now := s.now()
	end := now
	if !c.canceled.IsZero() {
		end = c.canceled
	}
	list := []any{}
	for _, st := range afsSteps {
		at := c.created.Add(st.after)
		if at.After(end) {
			break
		}
		list = append(list, map[string]any{"step": st.text, "date": fmtTime(at)})
	}
	if !c.canceled.IsZero() {
		list = append(list, map[string]any{"step": "售后申请已取消", "date": fmtTime(c.canceled)})
	}
	return map[string]any{"scheduleList": list}, nil
}

// afsCancel is jingdong.afsservice.service.cancel: only an open case can be cancelled.
func (s *Server) afsCancel(p gateway.Params) (map[string]any, *gateway.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.afsCaseParam(p)
	if e != nil {
		return nil, e
	}
	now := s.now()
	if st := c.status(now); st == 3 || st == 4 {
		return nil, afsRefusal(afsCodeParam, "售后单"+afsStatusWords[st]+",不能取消", fmt.Sprintf("Case %d is %s and cannot be cancelled", c.id, afsStatusWords[st]))
	}
	c.canceled = now
	return map[string]any{"afsServiceId": c.id, "serviceStatus": 4}, nil
}

// AfsCase is a case as tests see it.
type AfsCase struct {
	ID          int64
	OrderID     string
	Type        int
	Expect      int
	Status      int
	Question    string
	Images      []string
	CreatedAt   time.Time
	CancelledAt time.Time
}

// AfsCases lists an order's cases ("" → every order's), by id.
func (s *Server) AfsCases(orderID string) []AfsCase {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var out []AfsCase
	for _, c := range s.afsCases {
		if orderID == "" || c.orderID == orderID {
			out = append(out, AfsCase{ID: c.id, OrderID: c.orderID, Type: c.typ, Expect: c.expect, Status: c.status(now),
				Question: c.question, Images: append([]string(nil), c.images...), CreatedAt: c.created, CancelledAt: c.canceled})
		}
	}
	slices.SortFunc(out, func(a, b AfsCase) int { return int(a.ID - b.ID) })
	return out
}

// AfsApplies counts the applications the simulator took (cases created by apply.create).
func (s *Server) AfsApplies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.afsApplies
}

// afsMethods join the simulator's method table.
var afsMethods = map[string]method{
	"jingdong.afsservice.apply.create":         {key: "jingdong_afsservice_apply_create_responce", write: true, call: (*Server).afsApply},
	"jingdong.afsservice.order.get":            {key: "jingdong_afsservice_order_get_responce", call: (*Server).afsOrder},
	"jingdong.afsservice.service.detail.get":   {key: "jingdong_afsservice_service_detail_get_responce", call: (*Server).afsDetail},
	"jingdong.afsservice.service.schedule.get": {key: "jingdong_afsservice_service_schedule_get_responce", call: (*Server).afsSchedule},
	"jingdong.afsservice.service.cancel":       {key: "jingdong_afsservice_service_cancel_responce", write: true, call: (*Server).afsCancel},
}

func init() {
	for name, m := range afsMethods {
		methods[name] = m
	}
}

// AgeAfsCase moves a case's creation (and cancellation) back by d, as if it had been applied
// for that much earlier: its status and schedule move on without the simulator's clock.
func (s *Server) AgeAfsCase(caseID int64, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.afsCases[caseID]
	if !ok {
		return fmt.Errorf("jostest: no after-sales case %d", caseID)
	}
	c.created = c.created.Add(-d)
	if !c.canceled.IsZero() {
		c.canceled = c.canceled.Add(-d)
	}
	return nil
}
