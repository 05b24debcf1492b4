package printdata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"station/jos"
)

// JOS bodies mix key spellings for one field ("Consignee"/"consignee", "invoice_title"/
// "invoice_Title", "orderInfo"/"order_info") and sometimes send two spellings at once.
// encoding/json folds case on its own and lets whichever key comes last win, so the result
// would depend on key order. The wire types below decode through obj instead: a field is
// looked up by its documented names in a fixed order, then by any key equal after folding case
// and dropping underscores, and the first one holding a value wins.

// obj is one JSON object ready for deliberate key lookup. Errors are kept, not returned, so
// that a wire type reads like a field list; err is the first one, with its JSON path.
type obj struct {
	path   string
	fields map[string]json.RawMessage
	err    *error
}

func newObj(path string, b []byte, err *error) obj {
	o := obj{path: path, err: err}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return o
	}
	if b[0] != '{' {
		o.fail("", fmt.Errorf("expected an object, got %s", jsonKind(b)))
		return o
	}
	if e := json.Unmarshal(b, &o.fields); e != nil {
		o.fail("", errors.New("invalid JSON object"))
	}
	return o
}

func (o obj) fail(key string, e error) {
	if *o.err != nil {
		return
	}
	p := o.path
	if key != "" {
		if p != "" {
			p += "."
		}
		p += key
	}
	if p == "" {
		*o.err = e
		return
	}
	*o.err = fmt.Errorf("%s: %w", p, e)
}

// foldKey is the spelling-insensitive form of a key: lower case, no underscores.
func foldKey(k string) string { return strings.ReplaceAll(strings.ToLower(k), "_", "") }

// lookup returns the first key among names (exact spellings first, in order; then other
// spellings of them, in sorted order) whose value is not empty. ok is false when none has one.
func (o obj) lookup(names ...string) (key string, v json.RawMessage, ok bool) {
	for _, n := range names {
		if v, ok := o.fields[n]; ok && !emptyJSON(v) {
			return n, v, true
		}
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[foldKey(n)] = true
	}
	var alt []string
	for k := range o.fields {
		if want[foldKey(k)] {
			alt = append(alt, k)
		}
	}
	sort.Strings(alt)
	for _, k := range alt {
		if v := o.fields[k]; !emptyJSON(v) {
			return k, v, true
		}
	}
	return "", nil, false
}

// emptyJSON reports whether a value carries nothing: null, a blank string, {} or [].
func emptyJSON(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0, string(v) == "null", string(v) == "{}", string(v) == "[]":
		return true
	case v[0] == '"':
		var s string
		return json.Unmarshal(v, &s) == nil && strings.TrimSpace(s) == ""
	case v[0] == '{' || v[0] == '[':
		var x []json.RawMessage
		if v[0] == '[' {
			return json.Unmarshal(v, &x) == nil && len(x) == 0
		}
		var m map[string]json.RawMessage
		return json.Unmarshal(v, &m) == nil && len(m) == 0
	}
	return false
}

// str reads a text field (string, number or bool in JSON) with surrounding space trimmed.
func (o obj) str(names ...string) string { return jos.PlainText(o.data(names...)) }

// data reads a field as it came (base64 images, where line breaks are part of the encoding);
// str is for everything shown to a person.
func (o obj) data(names ...string) string {
	k, v, ok := o.lookup(names...)
	if !ok {
		return ""
	}
	var s jos.Str
	if e := json.Unmarshal(v, &s); e != nil {
		o.fail(k, fmt.Errorf("expected text, got %s", jsonKind(v)))
		return ""
	}
	return strings.TrimSpace(string(s))
}

// int reads a whole number that may come as a number, a numeric string or an empty string.
func (o obj) int(names ...string) int64 {
	k, v, ok := o.lookup(names...)
	if !ok {
		return 0
	}
	var n jos.Int
	if e := json.Unmarshal(v, &n); e != nil {
		o.fail(k, e)
		return 0
	}
	return int64(n)
}

// object reads a nested object; an absent one reads as empty.
func (o obj) object(names ...string) obj {
	k, v, ok := o.lookup(names...)
	if !ok {
		return obj{path: o.join(names[0]), err: o.err}
	}
	return newObj(o.join(k), v, o.err)
}

// list reads an array of objects; an absent one reads as empty.
func (o obj) list(names ...string) []obj {
	k, v, ok := o.lookup(names...)
	if !ok {
		return nil
	}
	var raw []json.RawMessage
	if e := json.Unmarshal(v, &raw); e != nil {
		o.fail(k, fmt.Errorf("expected a list, got %s", jsonKind(v)))
		return nil
	}
	out := make([]obj, 0, len(raw))
	for i, r := range raw {
		out = append(out, newObj(fmt.Sprintf("%s[%d]", o.join(k), i), r, o.err))
	}
	return out
}

func (o obj) join(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

// jsonKind names the kind of a JSON value for error messages. Values themselves stay out of
// errors: they can be consignee names and phones.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// printDataWire is order_printdata of §6-9: the generic method's superset of the SOP, LBP and
// SOPL bodies. Amounts and times stay text here; normalize parses them with the field's name.
type printDataWire struct {
	ID                   string
	OutBoundDate         string
	NotifyBeforeDelivery string // bf_deli_good_glag: 是 or 否
	DeliveryTime         string // cod_time_name
	Remark               string
	DistributionCenter   string // cky2_name
	SortingCode          string
	CreateDate           string
	ShouldPay            string
	PaymentType          string // payment_typeStr
	Partner              string
	Generade             string
	PickUpSign           string
	PickUpSignType       int64
	OrderLevelSign       string
	OrderLevelType       int64
	ItemsCount           int64
	Freight              string
	InvoiceTitle         string
	InvoiceType          string
	InvoiceContent       string
	Items                []printItemWire
	Consignee            consigneeWire
}

type printItemWire struct {
	WareID    string // ware_id, or ware in the samples
	WareName  string
	Num       int64
	JDPrice   string
	Price     string
	ProduceNo string
}

type consigneeWire struct {
	Name    string // cons_name
	Phone   string // cons_phone
	Address string // cons_address
	Handset string // cons_handset
}

func (p *printDataWire) UnmarshalJSON(b []byte) error {
	var err error
	*p = readPrintData(newObj("", b, &err))
	return err
}

func readPrintData(o obj) printDataWire {
	p := printDataWire{
		ID:                   o.str("id", "order_id"),
		OutBoundDate:         o.str("out_bound_date"),
		NotifyBeforeDelivery: o.str("bf_deli_good_glag", "bf_deli_good_flag"),
		DeliveryTime:         o.str("cod_time_name"),
		Remark:               o.str("remark"),
		DistributionCenter:   o.str("cky2_name"),
		SortingCode:          o.str("sorting_code"),
		CreateDate:           o.str("create_date"),
		ShouldPay:            o.str("should_pay"),
		PaymentType:          o.str("payment_typeStr", "payment_type_str"),
		Partner:              o.str("partner"),
		Generade:             o.data("generade"),
		PickUpSign:           o.data("pickUpSign", "pick_up_sign"),
		PickUpSignType:       o.int("pickUpSign_type", "pick_up_sign_type"),
		OrderLevelSign:       o.data("orderLevelSign", "order_level_sign"),
		OrderLevelType:       o.int("orderLevel_Type", "orderLevel_type", "order_level_type"),
		ItemsCount:           o.int("items_count"),
		Freight:              o.str("freight"),
		InvoiceTitle:         o.str("invoice_title", "invoice_Title"),
		InvoiceType:          o.str("invoice_type", "invoice_Type"),
		InvoiceContent:       o.str("invoice_content", "invoice_Content"),
	}
	for _, it := range o.list("order_item", "order_items") {
		p.Items = append(p.Items, printItemWire{
			WareID:    it.str("ware_id", "ware"),
			WareName:  it.str("ware_name"),
			Num:       it.int("num"),
			JDPrice:   it.str("jd_price"),
			Price:     it.str("price"),
			ProduceNo: it.str("produce_no", "product_no"),
		})
	}
	c := o.object("consignee", "Consignee")
	p.Consignee = consigneeWire{
		Name:    c.str("cons_name"),
		Phone:   c.str("cons_phone"),
		Address: c.str("cons_address"),
		Handset: c.str("cons_handset"),
	}
	return p
}

// orderInfoWire is OrderInfo of 360buy.order.search and 360buy.order.get (§1-2), the fields the
// station uses.
type orderInfoWire struct {
	OrderID          string
	VenderID         string
	PayType          string // e.g. "1-货到付款"
	OrderTotalPrice  string
	OrderPayment     string
	FreightPrice     string
	OrderState       string
	OrderStateRemark string
	DeliveryType     string
	InvoiceInfo      string
	OrderRemark      string
	OrderStartTime   string
	Modified         string
	OrderType        string // 22 SOP, 23 LBP, 25 SOPL (optional field)
	Consignee        orderConsigneeWire
	Items            []orderItemWire
}

type orderConsigneeWire struct {
	FullName    string
	FullAddress string
	Telephone   string
	Mobile      string
	Province    string
	City        string
	County      string
}

type orderItemWire struct {
	SkuID     string
	SkuName   string
	WareID    string
	JDPrice   string
	ItemTotal int64
	ProductNo string
	OuterSku  string // outer_sku_id: the merchant's own code of the sku
}

// orderInfoFields are the OrderInfo fields asked for in optional_fields: JOS returns only
// those listed, and order_type is returned only when asked for.
const orderInfoFields = "order_id,vender_id,order_type,order_state,order_state_remark,pay_type," +
	"order_total_price,order_payment,freight_price,delivery_type,invoice_info,order_remark," +
	"order_start_time,modified,consignee_info,item_info_list"

func (w *orderInfoWire) UnmarshalJSON(b []byte) error {
	var err error
	*w = readOrderInfo(newObj("", b, &err))
	return err
}

func readOrderInfo(o obj) orderInfoWire {
	w := orderInfoWire{
		OrderID:          o.str("order_id"),
		VenderID:         o.str("vender_id"),
		PayType:          o.str("pay_type"),
		OrderTotalPrice:  o.str("order_total_price"),
		OrderPayment:     o.str("order_payment"),
		FreightPrice:     o.str("freight_price"),
		OrderState:       o.str("order_state"),
		OrderStateRemark: o.str("order_state_remark"),
		DeliveryType:     o.str("delivery_type"),
		InvoiceInfo:      o.str("invoice_info"),
		OrderRemark:      o.str("order_remark"),
		OrderStartTime:   o.str("order_start_time"),
		Modified:         o.str("modified"),
		OrderType:        o.str("order_type"),
	}
	c := o.object("consignee_info")
	w.Consignee = orderConsigneeWire{
		FullName:    c.str("fullname", "full_name"),
		FullAddress: c.str("full_address"),
		Telephone:   c.str("telephone"),
		Mobile:      c.str("mobile"),
		Province:    c.str("province"),
		City:        c.str("city"),
		County:      c.str("county"),
	}
	for _, it := range o.list("item_info_list") {
		w.Items = append(w.Items, orderItemWire{
			SkuID:     it.str("sku_id"),
			SkuName:   it.str("sku_name"),
			WareID:    it.str("ware_id", "ware"),
			JDPrice:   it.str("jd_price"),
			ItemTotal: it.int("item_total"),
			ProductNo: it.str("product_no"),
			OuterSku:  it.str("outer_sku_id"),
		})
	}
	return w
}

// The bodies of the replies, as jos.Client.Read hands them over (the object under the
// envelope's single top-level key).

type printDataReply struct {
	Code string
	Data *printDataWire // nil when the reply holds no order_printdata
}

type orderGetReply struct {
	Code  string
	Order *orderInfoWire // nil when the reply holds no order
}

type searchReply struct {
	Code   string
	Total  int64
	Orders []orderInfoWire
}

func decodePrintDataReply(b []byte) (printDataReply, error) {
	var err error
	var r printDataReply
	o := newObj("", b, &err)
	r.Code = o.str("code")
	if _, _, ok := o.lookup("order_printdata", "order_print_data"); ok {
		d := readPrintData(o.object("order_printdata", "order_print_data"))
		r.Data = &d
	}
	return r, err
}

func decodeOrderGetReply(b []byte) (orderGetReply, error) {
	var err error
	var r orderGetReply
	o := newObj("", b, &err)
	r.Code = o.str("code")
	order := o.object("order")
	if _, _, ok := order.lookup("orderInfo", "order_info"); ok {
		w := readOrderInfo(order.object("orderInfo", "order_info"))
		r.Order = &w
	}
	return r, err
}

func decodeSearchReply(b []byte) (searchReply, error) {
	var err error
	var r searchReply
	o := newObj("", b, &err)
	r.Code = o.str("code")
	s := o.object("order_search")
	r.Total = s.int("order_total")
	for _, it := range s.list("order_info_list") {
		r.Orders = append(r.Orders, readOrderInfo(it))
	}
	return r, err
}
