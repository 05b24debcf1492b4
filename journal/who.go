package journal

import "time"

// Who is the station and the packer a journal records with each print, verification,
// weighing and shipment, so that a warehouse's shared journal tells who did what.
type Who struct {
	Station string // the station's name (default: the host name)
	Packer  string // the packer's 工号 and name, "" when nobody signed in
}

// Join is the station and the packer joined by sep ("打包台3 · 1024 张三"); either alone when
// the other is empty.
func (w Who) Join(sep string) string {
	switch {
	case w.Packer == "":
		return w.Station
	case w.Station == "":
		return w.Packer
	}
	return w.Station + sep + w.Packer
}

// HistoryFilter picks journal entries for History. Empty fields match everything.
type HistoryFilter struct {
	Query    string    // an order id or a waybill
	Station  string    // the station that last worked on the order
	Packer   string    // the packer that last worked on it: "1001 张三", or the 工号 "1001" alone
	From, To time.Time // last changed in [From, To)
	Limit    int       // at most this many (0: 50)
}

// Board is a period's work per station and per packer, for the warehouse's live board (看板).
type Board struct {
	From, To time.Time
	Stations []BoardRow     // by name
	Packers  []BoardRow     // by name; "" is work with no packer signed in
	Hours    []HourCount    // each hour of [From, To) that had work, in order
	Open     []Entry        // the open exceptions: failed orders and unconfirmed shipments, any station
	Packs    map[string]int // packs set aside (异常) in the period, by station
	Returns  int            // returned parcels received in the period
}

// BoardRow is one station's or packer's figures.
type BoardRow struct {
	Name                     string
	Printed, Shipped, Failed int
}

// HourCount is one hour's labels printed and orders shipped.
type HourCount struct {
	Start            time.Time
	Printed, Shipped int
}

// BatchClaim asks for a station's share of a wave of orders.
type BatchClaim struct {
	Candidates []string  // the waiting orders, in the order to work through them
	N          int       // how many to take at most
	Until      time.Time // the claims expire then (a station that died gives its share back)
	// PrintOnly: the batch prints and does not ship, so a printed order is done too (a
	// shipped one always is).
	PrintOnly bool
}
