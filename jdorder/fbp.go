package jdorder

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"station/jos"
)

// FBPOrder is an order JD stores and ships itself (FBP): the merchant's station must not pack it.
type FBPOrder struct {
	ID          string
	State       string // JD's, e.g. DengDaiChuKu
	StateRemark string // made safe, e.g. 等待出库
	CreatedAt   time.Time
	Modified    time.Time
	Consignee   string // made safe; mask it before a log
	City        string
	Items       int
}

type fbpInfoWire struct {
	OrderID     jos.Str `json:"order_id"`
	State       jos.Str `json:"order_state"`
	StateRemark jos.Str `json:"order_state_remark"`
	Start       jos.Str `json:"order_start_time"`
	Modified    jos.Str `json:"modified"`
	Consignee   struct {
		FullName jos.Str `json:"fullname"`
		Province jos.Str `json:"province"`
		City     jos.Str `json:"city"`
	} `json:"consignee_info"`
	Items []struct {
		Total jos.Int `json:"item_total"`
	} `json:"item_info_list"`
}

func (w fbpInfoWire) order() FBPOrder {
	o := FBPOrder{ID: strings.TrimSpace(string(w.OrderID)), State: text(w.State), StateRemark: text(w.StateRemark),
		CreatedAt: parseTime(string(w.Start)), Modified: parseTime(string(w.Modified)),
		Consignee: text(w.Consignee.FullName), City: text(w.Consignee.Province) + text(w.Consignee.City)}
	for _, it := range w.Items {
		o.Items += int(it.Total)
	}
	return o
}

// fbpFields are asked for in optional_fields: the ones a listing shows.
const fbpFields = "order_id,order_state,order_state_remark,order_start_time,modified,consignee_info,item_info_list"

type fbpGetParams struct {
	OrderID        string `json:"order_id"`
	OptionalFields string `json:"optional_fields"`
}

type fbpGetReply struct {
	Order *struct {
		Info *fbpInfoWire `json:"orderInfo"`
	} `json:"order"`
}

// FBPOrder reads one FBP order (360buy.order.fbp.get); found is false when JD has no FBP
// order of that id for this shop.
func (s *Service) FBPOrder(ctx context.Context, orderID string) (o FBPOrder, found bool, err error) {
	id, err := clean(orderID)
	if err != nil {
		return FBPOrder{}, false, err
	}
	var r fbpGetReply
	if err := s.c.Read(ctx, MethodFBPGet, fbpGetParams{id, fbpFields}, &r); err != nil {
		if err = wrap(id, MethodFBPGet, err); errors.Is(err, ErrNotFound) {
			return FBPOrder{}, false, nil
		}
		return FBPOrder{}, false, err
	}
	if r.Order == nil || r.Order.Info == nil || strings.TrimSpace(string(r.Order.Info.OrderID)) == "" {
		return FBPOrder{}, false, nil
	}
	o = r.Order.Info.order()
	if o.ID != id {
		return FBPOrder{}, false, fmt.Errorf("order %s: %s: %w", id, MethodFBPGet,
			&jos.Error{Method: MethodFBPGet, Kind: jos.KindMalformed, Err: fmt.Errorf("JD answered for order %s", o.ID)})
	}
	return o, true, nil
}

type fbpSearchParams struct {
	StartDate      string `json:"start_date"`
	EndDate        string `json:"end_date"`
	Page           string `json:"page"`
	PageSize       string `json:"page_size"`
	OptionalFields string `json:"optional_fields"`
}

type fbpSearchReply struct {
	Search *struct {
		Total jos.Int       `json:"order_total"`
		List  []fbpInfoWire `json:"order_info_list"`
	} `json:"order_search"`
}

// FBPPageSize is the largest page 360buy.order.fbp.search serves (§3).
const FBPPageSize = 100

// maxFBPSpan is the seed's "不得相差超过1个月", taken as 31 days.
const maxFBPSpan = 31 * 24 * time.Hour

// FBPOrders lists the FBP orders modified in [start, end] (360buy.order.fbp.search), every
// page; a longer period than a month is searched a month at a time.
func (s *Service) FBPOrders(ctx context.Context, start, end time.Time) ([]FBPOrder, error) {
	if !end.After(start) {
		return nil, fmt.Errorf("FBP orders: the period ends (%s) before it starts (%s)", end.Format(time.DateTime), start.Format(time.DateTime))
	}
	var out []FBPOrder
	seen := map[string]bool{}
	for from := start; from.Before(end); from = from.Add(maxFBPSpan) {
		to := from.Add(maxFBPSpan)
		if to.After(end) {
			to = end
		}
		for page := 1; ; page++ {
			p := fbpSearchParams{StartDate: from.In(jos.ChinaTime).Format(jos.TimeLayout), EndDate: to.In(jos.ChinaTime).Format(jos.TimeLayout),
				Page: fmt.Sprint(page), PageSize: fmt.Sprint(FBPPageSize), OptionalFields: fbpFields}
			var r fbpSearchReply
			if err := s.c.Read(ctx, MethodFBPSearch, p, &r); err != nil {
				return out, fmt.Errorf("FBP orders, page %d: %w", page, err)
			}
			if r.Search == nil {
				return out, fmt.Errorf("FBP orders, page %d: %w", page, &jos.Error{Method: MethodFBPSearch, Kind: jos.KindMalformed,
					Err: errors.New("the reply has no order_search")})
			}
			for _, w := range r.Search.List {
				if o := w.order(); o.ID != "" && !seen[o.ID] {
					seen[o.ID] = true
					out = append(out, o)
				}
			}
			if len(r.Search.List) < FBPPageSize || page*FBPPageSize >= int(r.Search.Total) {
				break
			}
		}
	}
	return out, nil
}
