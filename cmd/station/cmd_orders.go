package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"station/jos"
	"station/printdata"
)

func init() {
	commands["orders"] = command{
		summary: "list orders at JD (default: those waiting to be shipped)\n\n" +
			"DATE is 2006-01-02 or \"2006-01-02 15:04:05\", China time. JD needs -from and -to for any state\n" +
			"but WAIT_SELLER_STOCK_OUT, at most one month apart. Consignee names are masked.",
		run: runOrders,
	}
}

// orderJSON is one line of `station orders -json`.
type orderJSON struct {
	OrderID     string `json:"order_id"`
	Type        string `json:"type"`      // SOP, LBP, SOPL; "" when JD did not say
	TypeCode    string `json:"type_code"` // JD's order_type
	State       string `json:"state"`
	StateRemark string `json:"state_remark,omitempty"`
	CreatedAt   string `json:"created_at"` // China time; "" when unknown
	PayType     string `json:"pay_type"`
	COD         bool   `json:"cod"`
	Total       string `json:"total"` // yuan
	TotalFen    int64  `json:"total_fen"`
	Payment     string `json:"payment"` // what the buyer pays, yuan
	PaymentFen  int64  `json:"payment_fen"`
	Consignee   string `json:"consignee"` // masked
	Province    string `json:"province"`
	City        string `json:"city"`
	ItemCount   int    `json:"item_count"`
}

func runOrders(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("orders", "[-state S[,S…]] [-type sop|lbp|sopl] [-from DATE] [-to DATE] [-by-created] [-json]")
	state := fs.String("state", printdata.StateWaitStockOut, "order `states`, comma-separated: "+strings.Join(printdata.States, ", "))
	typ := fs.String("type", "", "only orders of this `type`: sop, lbp or sopl (default all)")
	from := fs.String("from", "", "start `DATE` (China time)")
	to := fs.String("to", "", "end `DATE` (China time; a bare date means the end of that day; default now when -from is given)")
	byCreated := fs.Bool("by-created", false, "select by creation time instead of JD's default, the last change of state")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := parse(fs, args); err != nil {
		return err
	}
	q := printdata.Query{States: strings.Split(*state, ",")}
	if *byCreated {
		q.DateType = 1
	}
	var err error
	if q.Start, err = printdata.ParseRangeEnd(*from, false); err != nil {
		return usagef("-from: %v", err)
	}
	if q.End, err = printdata.ParseRangeEnd(*to, true); err != nil {
		return usagef("-to: %v", err)
	}
	if q.Start.IsZero() && q.End.IsZero() && strings.ToUpper(strings.TrimSpace(*state)) != printdata.StateWaitStockOut {
		return usagef("-state %s needs -from and -to: JD lists orders without dates only for %s", *state, printdata.StateWaitStockOut)
	}
	only, err := typeFlag(*typ)
	if err != nil {
		return err
	}

	conn, err := e.connect()
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	all, err := printdata.NewFetcher(c).Search(ctx, q)
	if err != nil {
		return err
	}
	orders := all[:0:0]
	for _, o := range all {
		if only == "" || o.Type == only {
			orders = append(orders, o)
		}
	}
	if *asJSON {
		return writeOrdersJSON(e.stdout, orders)
	}
	writeOrdersTable(e.stdout, orders)
	return nil
}

func writeOrdersJSON(w io.Writer, orders []printdata.Order) error {
	list := make([]orderJSON, 0, len(orders))
	for _, o := range orders {
		list = append(list, orderJSON{
			OrderID: o.ID, Type: string(o.Type), TypeCode: o.TypeCode, State: o.State, StateRemark: o.StateRemark,
			CreatedAt: formatTime(o.CreatedAt), PayType: o.PayType, COD: o.COD(),
			Total: o.Total.String(), TotalFen: int64(o.Total), Payment: o.Payment.String(), PaymentFen: int64(o.Payment),
			Consignee: printdata.MaskName(o.ConsigneeName), Province: o.Province, City: o.City, ItemCount: o.ItemCount,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(list)
}

func writeOrdersTable(w io.Writer, orders []printdata.Order) {
	if len(orders) == 0 {
		fmt.Fprintln(w, "No orders match.")
		return
	}
	rows := [][]string{{"ORDER", "TYPE", "STATE", "CREATED", "TOTAL", "PAY", "CONSIGNEE", "CITY", "ITEMS"}}
	for _, o := range orders {
		typ := string(o.Type)
		if typ == "" {
			typ = "?" + o.TypeCode
		}
		pay := o.PayType
		if o.COD() {
			pay = "COD"
		}
		rows = append(rows, []string{o.ID, typ, o.State, formatTime(o.CreatedAt), o.Total.String(), pay,
			printdata.MaskName(o.ConsigneeName), o.Province + o.City, strconv.Itoa(o.ItemCount)})
	}
	writeTable(w, rows, map[int]bool{4: true, 8: true})
	fmt.Fprintf(w, "%d orders\n", len(orders))
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(jos.ChinaTime).Format(jos.TimeLayout)
}

// writeTable aligns columns by display width: Chinese characters take two terminal cells,
// which text/tabwriter does not know. Columns in right are right-aligned (numbers).
func writeTable(w io.Writer, rows [][]string, right map[int]bool) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth counts terminal cells: East Asian wide and fullwidth characters take two.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r < 0x1100:
			n++
		case r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
			n += 2
		default:
			n++
		}
	}
	return n
}
