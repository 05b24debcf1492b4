package printdata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unique"

	"station/internal/ascii"
	"station/jos"
	"station/say"
)

// Caller is the part of the JOS client printdata needs (*jos.Client): reads only.
type Caller interface {
	Read(ctx context.Context, method string, params any, out any) error
}

// JOS methods used here.
const (
	methodOrderSearch   = "360buy.order.search"
	MethodOrderGet      = "360buy.order.get"
	methodPrintData     = "360buy.order.print.data.get" // generic; the station calls the type's own
	methodSOPPrintData  = "360buy.order.sop.print.data.get"
	methodLBPPrintData  = "360buy.order.lbp.print.data.get"
	methodSOPLPrintData = "360buy.order.sopl.print.data.get"
)

// printDataMethod is the print-data method of an order type.
func printDataMethod(t OrderType) (string, bool) {
	switch t {
	case SOP, Overseas: // an overseas order's label is a SOP one
		return methodSOPPrintData, true
	case LBP:
		return methodLBPPrintData, true
	case SOPL:
		return methodSOPLPrintData, true
	}
	return "", false
}

// Order states (§1). JD spells SEND_TO_DISTRIBUTION_CENER without the T.
const (
	StateWaitStockOut       = "WAIT_SELLER_STOCK_OUT"
	StateSentToDistribution = "SEND_TO_DISTRIBUTION_CENER"
	StateDistributionRecvd  = "DISTRIBUTION_CENTER_RECEIVED"
	StateWaitReceive        = "WAIT_GOODS_RECEIVE_CONFIRM"
	StateReceiptsConfirm    = "RECEIPTS_CONFIRM"
	StateWaitDelivery       = "WAIT_SELLER_DELIVERY"
	StateFinished           = "FINISHED_L"
	StateCanceled           = "TRADE_CANCELED"
	StateLocked             = "LOCKED"
)

// States lists every order state JOS knows, in the order of §1.
var States = []string{StateWaitStockOut, StateSentToDistribution, StateDistributionRecvd, StateWaitReceive,
	StateReceiptsConfirm, StateWaitDelivery, StateFinished, StateCanceled, StateLocked}

// ErrNotShippable is wrapped when JD forbids shipping the order (LOCKED or TRADE_CANCELED).
var ErrNotShippable = errors.New("JD does not allow it to be shipped")

// ErrBadOrderID is wrapped when an order id is not one JD could have issued (a scanner typo).
var ErrBadOrderID = errors.New("not a JD order id")

// ErrUnknownType is wrapped when the order's type is not known and was not given.
var ErrUnknownType = errors.New("order type unknown")

// Order is one order as 360buy.order.search and 360buy.order.get list it.
type Order struct {
	ID             string
	Type           OrderType // "" when JD did not say or the type is not SOP, LBP or SOPL
	TypeCode       string    // order_type as JD sent it (22, 23, 25, …)
	State          string
	StateRemark    string
	CreatedAt      time.Time // order_start_time
	PayType        string    // pay_type as JD words it, e.g. 1-货到付款
	Total          Fen       // order_total_price
	Payment        Fen       // order_payment: what the buyer pays
	ConsigneeName  string
	Province, City string
	ItemCount      int // the sum of item_total
	Lines          []Line
	BuyerRemark    string // order_remark: what the buyer wrote when ordering, made safe
}

// Line is one line of an order's items (item_info_list): what goes into the parcel.
type Line struct {
	SkuID    string
	OuterID  string // outer_sku_id: the merchant's own code
	Name     string // sku_name
	Quantity int    // item_total
}

// COD reports whether the order is cash on delivery.
func (o Order) COD() bool { return payTypeCOD(o.PayType) }

// Query selects orders for Search.
type Query struct {
	States     []string  // nil → WAIT_SELLER_STOCK_OUT
	Start, End time.Time // required by JD unless the only state is WAIT_SELLER_STOCK_OUT
	DateType   int       // 0: by modification time; 1: by creation time
}

// Fetcher reads orders and their waybill print data from JOS.
type Fetcher struct {
	c      Caller
	limits ImageLimits
	log    *slog.Logger
}

// Option configures a Fetcher.
type Option func(*Fetcher)

// WithImageLimits replaces DefaultImageLimits.
func WithImageLimits(l ImageLimits) Option { return func(f *Fetcher) { f.limits = l } }

// WithLogger logs each fetched waybill at debug level, masked.
func WithLogger(l *slog.Logger) Option { return func(f *Fetcher) { f.log = l } }

// NewFetcher returns a Fetcher that calls JOS through c (a *jos.Client).
func NewFetcher(c Caller, opts ...Option) *Fetcher {
	f := &Fetcher{c: c, limits: DefaultImageLimits}
	for _, o := range opts {
		o(f)
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	return f
}

// JD pages search results by at most 100 and serves at most 50 pages (§1: "最大page 50条,请缩短时间间隔,
// 以获取全部订单"): one search sees at most SearchWindow orders.
const (
	SearchPageSize = 100
	SearchMaxPages = 50
	SearchWindow   = SearchPageSize * SearchMaxPages
)

type searchParams struct {
	OrderState     string `json:"order_state"`
	StartDate      string `json:"start_date,omitempty"`
	EndDate        string `json:"end_date,omitempty"`
	DateType       string `json:"dateType,omitempty"`
	Page           string `json:"page"`
	PageSize       string `json:"page_size"`
	OptionalFields string `json:"optional_fields"`
}

// SearchPage is one page of 360buy.order.search.
type SearchPage struct {
	Orders []Order
	Total  int // how many orders match the whole query, as JD counts them at this call
}

// SearchPage reads page (1 to SearchMaxPages) of the orders matching q, SearchPageSize a page.
// Listing more than one window of orders is the listing package's job.
func (f *Fetcher) SearchPage(ctx context.Context, q Query, page int) (SearchPage, error) {
	if page < 1 || page > SearchMaxPages {
		return SearchPage{}, fmt.Errorf("page %d: JD serves pages 1 to %d", page, SearchMaxPages)
	}
	p, err := f.searchParams(q)
	if err != nil {
		return SearchPage{}, err
	}
	p.Page = strconv.Itoa(page)
	var raw json.RawMessage
	if err := f.c.Read(ctx, methodOrderSearch, p, &raw); err != nil {
		return SearchPage{}, fmt.Errorf("listing orders (page %d): %w", page, withMethod(methodOrderSearch, err))
	}
	r, err := decodeSearchReply(raw)
	if err == nil {
		err = codeError(methodOrderSearch, r.Code)
	}
	if err == nil && (r.Total < 0 || r.Total > 1<<31) {
		err = fmt.Errorf("order_total %d", r.Total)
	}
	if err != nil {
		return SearchPage{}, fmt.Errorf("listing orders (page %d): %w", page, malformed(methodOrderSearch, err))
	}
	out := SearchPage{Total: int(r.Total), Orders: make([]Order, 0, len(r.Orders))}
	for _, w := range r.Orders {
		o, err := orderFromWire(w)
		if err != nil {
			return SearchPage{}, fmt.Errorf("listing orders (page %d): %w", page, malformed(methodOrderSearch, err))
		}
		if o.ID != "" {
			out.Orders = append(out.Orders, o)
		}
	}
	return out, nil
}

// Normalized checks q against JD's rules and spells it out: the states in capitals
// (WAIT_SELLER_STOCK_OUT when none), an end (now) when only a start is given. It leaves both
// dates zero when JD may go without them: only orders waiting to be shipped, and JD's own
// default of the last month. A period longer than JD's month is allowed here: one call may not
// span it (SearchPage refuses it), so the listing cuts it.
func (q Query) Normalized() (Query, error) {
	var norm []string
	onlyWait := true
	for _, s := range q.States {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" || slices.Contains(norm, s) {
			continue
		}
		if !slices.Contains(States, s) {
			return q, fmt.Errorf("unknown order state %q: use one of %s", s, strings.Join(States, ", "))
		}
		onlyWait = onlyWait && s == StateWaitStockOut
		norm = append(norm, s)
	}
	if len(norm) == 0 {
		norm, onlyWait = []string{StateWaitStockOut}, true
	}
	q.States = norm
	if !q.Start.IsZero() && q.End.IsZero() {
		q.End = time.Now()
	}
	switch {
	case q.Start.IsZero() && q.End.IsZero():
		if !onlyWait {
			return q, fmt.Errorf("JD needs a start and an end date to list orders in state %s (only %s may go without)",
				strings.Join(norm, ","), StateWaitStockOut)
		}
	case q.Start.IsZero():
		return q, errors.New("an end date without a start date: give both")
	case q.End.Before(q.Start):
		return q, errors.New("the end date is before the start date")
	}
	return q, nil
}

// FitsOneSearch says whether JD takes start..end in one search: at most one month apart.
func FitsOneSearch(start, end time.Time) bool { return !start.AddDate(0, 1, 0).Before(end) }

func (f *Fetcher) searchParams(q Query) (searchParams, error) {
	q, err := q.Normalized()
	if err != nil {
		return searchParams{}, err
	}
	p := searchParams{
		OrderState:     strings.Join(q.States, ","),
		PageSize:       strconv.Itoa(SearchPageSize),
		OptionalFields: orderInfoFields,
	}
	if q.DateType != 0 {
		p.DateType = strconv.Itoa(q.DateType)
	}
	if q.Start.IsZero() {
		return p, nil
	}
	if !FitsOneSearch(q.Start, q.End) {
		return searchParams{}, errors.New("JD searches at most one month at a time: choose a shorter period")
	}
	p.StartDate = q.Start.In(jos.ChinaTime).Format(jos.TimeLayout)
	p.EndDate = q.End.In(jos.ChinaTime).Format(jos.TimeLayout)
	return p, nil
}

type orderGetParams struct {
	OrderID        string `json:"order_id"`
	OptionalFields string `json:"optional_fields"`
	OrderState     string `json:"order_state"`
}

// Order reads one order with 360buy.order.get, including its type and state.
func (f *Fetcher) Order(ctx context.Context, id string) (Order, error) {
	id, err := CleanOrderID(id)
	if err != nil {
		return Order{}, err
	}
	var raw json.RawMessage
	p := orderGetParams{OrderID: id, OptionalFields: orderInfoFields, OrderState: strings.Join(States, ",")}
	if err := f.c.Read(ctx, MethodOrderGet, p, &raw); err != nil {
		return Order{}, fmt.Errorf("order %s: %w", id, withMethod(MethodOrderGet, err))
	}
	r, err := decodeOrderGetReply(raw)
	if err == nil {
		err = codeError(MethodOrderGet, r.Code)
	}
	if err != nil {
		return Order{}, fmt.Errorf("order %s: %w", id, malformed(MethodOrderGet, err))
	}
	if r.Order == nil || r.Order.OrderID == "" {
		return Order{}, fmt.Errorf("order %s: %w", id, &jos.Error{Method: MethodOrderGet, Kind: jos.KindNotFound,
			Err: errors.New("JD returned no such order for this shop: check the order id")})
	}
	if strings.TrimSpace(r.Order.OrderID) != id {
		return Order{}, fmt.Errorf("order %s: %w", id, malformed(MethodOrderGet,
			fmt.Errorf("JD answered with order %s", r.Order.OrderID)))
	}
	o, err := orderFromWire(*r.Order)
	if err != nil {
		return Order{}, fmt.Errorf("order %s: %w", id, malformed(MethodOrderGet, err))
	}
	return o, nil
}

func orderFromWire(w orderInfoWire) (Order, error) {
	// A listing holds tens of thousands of orders: the words they share (states, pay types,
	// places) are kept once.
	o := Order{
		ID:            w.OrderID,
		TypeCode:      intern(w.OrderType),
		State:         intern(strings.ToUpper(w.OrderState)),
		StateRemark:   intern(w.OrderStateRemark),
		PayType:       intern(w.PayType),
		ConsigneeName: w.Consignee.FullName,
		Province:      intern(w.Consignee.Province),
		City:          intern(w.Consignee.City),
	}
	o.Type, _ = typeFromCode(w.OrderType)
	if o.State == StateWaitDelivery && (o.Type == SOP || o.Type == "") {
		o.Type = Overseas // the seed: only overseas orders wait in WAIT_SELLER_DELIVERY
	}
	o.BuyerRemark = say.Safe(jos.PlainText(strings.TrimSpace(w.OrderRemark)))
	var err error
	if o.CreatedAt, err = parseTime(w.OrderStartTime); err != nil {
		return Order{}, fmt.Errorf("order %s: order_start_time: %w", w.OrderID, err)
	}
	if o.Total, err = parseFen(w.OrderTotalPrice); err != nil {
		return Order{}, fmt.Errorf("order %s: order_total_price: %w", w.OrderID, err)
	}
	if o.Payment, err = parseFen(w.OrderPayment); err != nil {
		return Order{}, fmt.Errorf("order %s: order_payment: %w", w.OrderID, err)
	}
	for i, it := range w.Items {
		if it.ItemTotal < 0 {
			return Order{}, fmt.Errorf("order %s: item_info_list[%d].item_total: negative quantity %d", w.OrderID, i, it.ItemTotal)
		}
		o.ItemCount += int(it.ItemTotal)
		// Orders of a listing share their products: their words are kept once.
		o.Lines = append(o.Lines, Line{SkuID: intern(it.SkuID), OuterID: intern(it.OuterSku),
			Name: intern(it.SkuName), Quantity: int(it.ItemTotal)})
	}
	return o, nil
}

func intern(s string) string { return unique.Make(s).Value() }

// CleanOrderID trims a typed or scanned order id and checks that it is one JD could have issued:
// digits only, at most 20 of them.
func CleanOrderID(id string) (string, error) {
	t := strings.TrimSpace(id)
	if t == "" || len(t) > 20 || !ascii.Digits(t) {
		return "", fmt.Errorf("order id %q: %w (JD order ids are up to 20 digits)", id, ErrBadOrderID)
	}
	return t, nil
}

// NotShippableError is an order JD does not let the merchant ship, in the state JD gave.
type NotShippableError struct {
	OrderID string
	State   string // LOCKED, TRADE_CANCELED, …
}

func (e *NotShippableError) Error() string {
	return fmt.Sprintf("order %s is %s: %v", e.OrderID, e.State, ErrNotShippable)
}

// Is makes errors.Is(err, ErrNotShippable) true.
func (e *NotShippableError) Is(target error) bool { return target == ErrNotShippable }

// AlreadyOut reports an order state that means the goods have left: JD has the order shipped
// (to the buyer or to a distribution centre), received or finished.
func AlreadyOut(state string) bool {
	switch state {
	case StateSentToDistribution, StateDistributionRecvd, StateWaitReceive, StateReceiptsConfirm, StateFinished:
		return true
	}
	return false
}

// CheckWaiting refuses, with a *NotShippableError, an order JD does not show waiting for its
// outstorage (WAIT_SELLER_STOCK_OUT): shipped elsewhere, received, finished, cancelled, locked,
// or in a state the station does not know. Nothing is printed for shipping such an order.
func CheckWaiting(o Order) error {
	if o.State == StateWaitStockOut || o.State == StateWaitDelivery && o.Type == Overseas {
		// An overseas order out of the (bonded) warehouse still waits for its domestic delivery.
		return nil
	}
	return &NotShippableError{OrderID: o.ID, State: o.State}
}

// CheckType refuses an order whose type JD reported as one the station does not ship.
func CheckType(o Order) error {
	if o.Type == "" {
		return fmt.Errorf("order %s: %w: JD's order_type is %s, not one the station ships (22 SOP, 23 LBP, 25 SOPL, "+OverseasTypeCode+" overseas)",
			o.ID, ErrUnknownType, o.TypeCode)
	}
	return nil
}

// CheckShippable refuses a LOCKED or cancelled order with a *NotShippableError.
func CheckShippable(o Order) error {
	switch o.State {
	case StateLocked, StateCanceled:
		return &NotShippableError{OrderID: o.ID, State: o.State}
	}
	return nil
}

type printDataParams struct {
	OrderID string `json:"order_id"`
}

// Waybill fetches and normalizes the print data of an order whose type and state are known
// (from Order or Search). It refuses LOCKED and TRADE_CANCELED orders. An order without a state
// is looked up first, so that the refusal cannot be skipped by accident.
func (f *Fetcher) Waybill(ctx context.Context, o Order) (*Waybill, error) {
	id, err := CleanOrderID(o.ID)
	if err != nil {
		return nil, err
	}
	o.ID = id
	if o.State == "" {
		known, err := f.Order(ctx, id)
		if err != nil {
			return nil, err
		}
		if o, err = withType(known, o.Type); err != nil {
			return nil, err
		}
	}
	if err := CheckShippable(o); err != nil {
		return nil, err
	}
	method, ok := printDataMethod(o.Type)
	if !ok {
		return nil, fmt.Errorf("order %s: %w: give the type (SOP, LBP or SOPL)", id, ErrUnknownType)
	}
	var raw json.RawMessage
	if err := f.c.Read(ctx, method, printDataParams{OrderID: id}, &raw); err != nil {
		return nil, fmt.Errorf("order %s: %w", id, withMethod(method, err))
	}
	w, err := f.decodeWaybill(id, o.Type, method, raw, o.PayType)
	if err != nil {
		return nil, err
	}
	f.log.DebugContext(ctx, "print data fetched", "waybill", w)
	return w, nil
}

// Fetch reads the order (state, and type unless t is given) and then its waybill. When t is
// given and JD reports a different type, Fetch refuses: a label for the wrong type ships wrong.
func (f *Fetcher) Fetch(ctx context.Context, id string, t OrderType) (*Waybill, error) {
	// Without a state, Waybill reads the order first and settles its type with t.
	return f.Waybill(ctx, Order{ID: id, Type: t})
}

// withType settles the type of o, as JD reported it, given as t, or both when they agree.
func withType(o Order, t OrderType) (Order, error) {
	switch {
	case t == "" && o.Type == "" && o.TypeCode != "":
		return o, CheckType(o)
	case t == "" && o.Type == "":
		return o, fmt.Errorf("order %s: %w: JD did not report it; give it (sop, lbp or sopl)", o.ID, ErrUnknownType)
	case t != "" && o.Type != "" && t != o.Type:
		return o, fmt.Errorf("order %s is %s at JD, not %s: fetch it as %s", o.ID, o.Type, t, o.Type)
	case t != "":
		if _, ok := printDataMethod(t); !ok {
			return o, fmt.Errorf("order %s: unknown order type %q", o.ID, t)
		}
		o.Type = t
	}
	return o, nil
}

// decodeWaybill turns a print-data reply into a Waybill.
func (f *Fetcher) decodeWaybill(id string, t OrderType, method string, raw []byte, payType string) (*Waybill, error) {
	r, err := decodePrintDataReply(raw)
	if err == nil {
		err = codeError(method, r.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("order %s: %w", id, malformed(method, err))
	}
	if r.Data == nil {
		return nil, fmt.Errorf("order %s: %w", id, malformed(method, errors.New("the reply holds no order_printdata")))
	}
	if r.Data.ID != "" && r.Data.ID != id {
		// Printing another order's label would ship the parcel to the wrong person.
		return nil, fmt.Errorf("order %s: %w", id, malformed(method, fmt.Errorf("JD answered with the print data of order %s", r.Data.ID)))
	}
	w, err := normalize(id, t, r.Data, payType, f.limits)
	if err != nil {
		var ie *ImageError
		if errors.As(err, &ie) {
			return nil, err
		}
		return nil, fmt.Errorf("order %s: %w", id, malformed(method, err))
	}
	return w, nil
}

// normalize turns the wire form into a Waybill. payType is the order's pay_type when known.
// Field errors name the JOS field; image errors are *ImageError.
func normalize(id string, t OrderType, p *printDataWire, payType string, lim ImageLimits) (*Waybill, error) {
	w := &Waybill{
		OrderID:              id,
		Type:                 t,
		DeliveryTime:         p.DeliveryTime,
		NotifyBeforeDelivery: p.NotifyBeforeDelivery == "是",
		Remark:               p.Remark,
		DistributionCenter:   p.DistributionCenter,
		SortingCode:          p.SortingCode,
		Site:                 p.Partner,
		PaymentType:          p.PaymentType,
		COD:                  strings.Contains(p.PaymentType, "货到付款") || payTypeCOD(payType),
		Consignee: Consignee{
			Name:    p.Consignee.Name,
			Phone:   p.Consignee.Phone,
			Mobile:  p.Consignee.Handset,
			Address: p.Consignee.Address,
		},
		Pickup: PickupType(p.PickUpSignType),
		Level:  OrderLevel(p.OrderLevelType),
	}
	var err error
	if w.CreatedAt, err = parseTime(p.CreateDate); err != nil {
		return nil, fmt.Errorf("create_date: %w", err)
	}
	if w.OutboundAt, err = parseTime(p.OutBoundDate); err != nil {
		return nil, fmt.Errorf("out_bound_date: %w", err)
	}
	if w.ShouldPay, err = parseFen(p.ShouldPay); err != nil {
		return nil, fmt.Errorf("should_pay: %w", err)
	}
	if w.Freight, err = parseFen(p.Freight); err != nil {
		return nil, fmt.Errorf("freight: %w", err)
	}
	sum := 0
	for i, it := range p.Items {
		item := Item{WareID: it.WareID, Name: it.WareName, Quantity: int(it.Num), ProduceNo: it.ProduceNo}
		if it.Num < 0 || it.Num > 1_000_000 {
			return nil, fmt.Errorf("order_item[%d].num: %d is not a quantity", i, it.Num)
		}
		if item.UnitPrice, err = parseFen(it.JDPrice); err != nil {
			return nil, fmt.Errorf("order_item[%d].jd_price: %w", i, err)
		}
		if item.Subtotal, err = parseFen(it.Price); err != nil {
			return nil, fmt.Errorf("order_item[%d].price: %w", i, err)
		}
		sum += item.Quantity
		w.Items = append(w.Items, item)
	}
	if p.ItemsCount < 0 || p.ItemsCount > 100_000_000 {
		return nil, fmt.Errorf("items_count: %d is not a count", p.ItemsCount)
	}
	w.ItemsCount = int(p.ItemsCount)
	if w.ItemsCount == 0 {
		w.ItemsCount = sum
	}
	if t.MerchantShips() && (p.InvoiceTitle != "" || p.InvoiceType != "" || p.InvoiceContent != "") {
		w.Invoice = &Invoice{Title: p.InvoiceTitle, Type: p.InvoiceType, Content: p.InvoiceContent}
	}
	images := []struct {
		field string
		b64   string
		dst   *image.Image
	}{
		{"generade", p.Generade, &w.JDBarcode},
		{"pickUpSign", p.PickUpSign, &w.PickupSign},
		{"orderLevelSign", p.OrderLevelSign, &w.LevelSign},
	}
	for _, im := range images {
		img, err := decodeImage(im.b64, lim)
		if err != nil {
			return nil, &ImageError{OrderID: id, Field: im.field, Err: err}
		}
		if img != nil {
			*im.dst = img
		}
	}
	return w, nil
}

// withMethod makes sure an error from the Caller names the method it came from.
func withMethod(method string, err error) error {
	var je *jos.Error
	if errors.As(err, &je) && je.Method != "" {
		return err
	}
	return fmt.Errorf("%s: %w", method, err)
}

// malformed wraps a reply that JOS accepted but that cannot be read as a *jos.Error, so that
// callers handle it like any unreadable reply. A *jos.Error passes unchanged.
func malformed(method string, err error) error {
	var je *jos.Error
	if errors.As(err, &je) {
		return err
	}
	return &jos.Error{Method: method, Kind: jos.KindMalformed, Err: err}
}

// codeError checks the body's code; the client does this already, but a Caller need not be
// the client.
func codeError(method, code string) error {
	if code == "" || code == "0" {
		return nil
	}
	return &jos.Error{Method: method, Kind: jos.KindOfCode(code, "", ""), Code: code}
}
