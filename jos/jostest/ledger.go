package jostest

import (
	"fmt"
	"net/http"
	"station/jos/jostest/gateway"
	"station/jos/jostest/shop"
)

// Ledger is the simulator's record of every order's state and shipments, for tests that check
// that each parcel was confirmed exactly once. It is what GET /_sim/ledger returns.
type Ledger struct {
	Orders []LedgerOrder `json:"orders"`
}

// LedgerOrder is one order in the ledger.
type LedgerOrder struct {
	OrderID string `json:"order_id"`
	Type    string `json:"type"` // SOP, LBP, SOPL or OVERSEAS
	State   string `json:"state"`
	// OutstorageAttempts counts the outstorage calls on this order that reached the business
	// logic (valid request, known order), whatever their outcome.
	OutstorageAttempts int `json:"outstorage_attempts"`
	// OutstorageAccepted counts the ones applied, including those whose reply was lost.
	OutstorageAccepted int `json:"outstorage_accepted"`
	// DeliveryAttempts and DeliveryAccepted count an overseas order's
	// 360buy.overseas.order.sop.delivery calls in the same way.
	DeliveryAttempts int             `json:"delivery_attempts,omitempty"`
	DeliveryAccepted int             `json:"delivery_accepted,omitempty"`
	RemarkUpdates    int             `json:"remark_updates,omitempty"`
	DeleteApplies    int             `json:"delete_applies,omitempty"`
	DeletePending    bool            `json:"delete_pending,omitempty"`
	Shipments        []shop.Shipment `json:"shipments"`
}

// Order returns the ledger entry of the order id.
func (l Ledger) Order(id string) (LedgerOrder, bool) {
	for _, o := range l.Orders {
		if o.OrderID == id {
			return o, true
		}
	}
	return LedgerOrder{}, false
}

// Ledger returns a snapshot of every order, sorted by order id.
func (s *Server) Ledger() Ledger {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := Ledger{Orders: make([]LedgerOrder, len(s.orders))}
	for i, o := range s.orders {
		l.Orders[i] = LedgerOrder{
			OrderID:            o.ID,
			Type:               o.Type,
			State:              o.State,
			OutstorageAttempts: o.attempts,
			OutstorageAccepted: o.accepted,
			DeliveryAttempts:   o.deliveryAttempts,
			DeliveryAccepted:   o.deliveryAccepted,
			RemarkUpdates:      o.remarkUpdates,
			DeleteApplies:      o.deleteApplies,
			DeletePending:      o.deleteApply != nil,
			Shipments:          append([]shop.Shipment{}, o.Shipments...),
		}
	}
	return l
}

// serveLedger answers GET /_sim/ledger. Faults and latency never apply here.
func (s *Server) serveLedger(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the ledger is read with GET", http.StatusMethodNotAllowed)
		return
	}
	gateway.WriteJSON(w, gateway.Marshal(s.Ledger()))
}

// FBPOrderIDs lists the ids of the FBP orders, sorted.
func (s *Server) FBPOrderIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, o := range s.fbp {
		ids = append(ids, o.ID)
	}
	return ids
}

// OrderIDs lists the ids of the orders of type typ in state, sorted; "" matches any.
func (s *Server) OrderIDs(typ, state string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, o := range s.orders {
		if (typ == "" || o.Type == typ) && (state == "" || o.State == state) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// SetState puts an order in state, as if something outside the station had changed it (a
// buyer cancelled, customer service locked it). Shipments are left as they are.
func (s *Server) SetState(id, state string) error {
	if _, ok := stateRemarks[state]; !ok {
		return fmt.Errorf("jostest: unknown order state %q", state)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("jostest: no order %s", id)
	}
	o.State = state
	o.Modified = s.now()
	return nil
}

// Edit changes an order's data as JD would serve it (a buyer's odd address, a hostile name), for
// tests of what the station makes of it.
func (s *Server) Edit(id string, fn func(*shop.Order)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("jostest: no order %s", id)
	}
	fn(&o.Order)
	o.Modified = s.now()
	return nil
}
