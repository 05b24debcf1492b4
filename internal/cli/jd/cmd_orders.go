// Package jd holds the commands that look at JD, the simulator and the printers without printing
// for shipping: orders, carriers, fetch, preview, sim, printers and test-print.
package jd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"station/internal/cli"
	"station/listing"
	"station/printdata"
)

func init() {
	cli.Register("orders", cli.Command{
		Summary: "list orders at JD (default: those waiting to be shipped)\n\n" +
			"DATE is 2006-01-02 or \"2006-01-02 15:04:05\", China time. JD needs -from and -to for any state\n" +
			"but WAIT_SELLER_STOCK_OUT. Every matching order is listed: JD's limits of one month and 5,000\n" +
			"orders a search are met by listing the period in smaller pieces. Consignee names are masked.",
		Run: runOrders,
	})
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

func runOrders(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("orders", "[-state S[,S…]] [-type sop|lbp|sopl] [-from DATE] [-to DATE] [-by-created] [-json]")
	state := fs.String("state", printdata.StateWaitStockOut, "order `states`, comma-separated: "+strings.Join(printdata.States, ", "))
	typ := fs.String("type", "", "only orders of this `type`: sop, lbp or sopl (default all)")
	from := fs.String("from", "", "start `DATE` (China time)")
	to := fs.String("to", "", "end `DATE` (China time; a bare date means the end of that day; default now when -from is given)")
	byCreated := fs.Bool("by-created", false, "select by creation time instead of JD's default, the last change of state")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	q := printdata.Query{States: strings.Split(*state, ",")}
	if *byCreated {
		q.DateType = 1
	}
	var err error
	if q.Start, err = printdata.ParseRangeEnd(*from, false); err != nil {
		return cli.Usagef("-from: %v", err)
	}
	if q.End, err = printdata.ParseRangeEnd(*to, true); err != nil {
		return cli.Usagef("-to: %v", err)
	}
	if q.Start.IsZero() && q.End.IsZero() && strings.ToUpper(strings.TrimSpace(*state)) != printdata.StateWaitStockOut {
		return cli.Usagef("-state %s needs -from and -to: JD lists orders without dates only for %s", *state, printdata.StateWaitStockOut)
	}
	only, err := cli.TypeFlag(*typ)
	if err != nil {
		return err
	}

	f, done, err := fetcher(e)
	if err != nil {
		return err
	}
	defer done()
	report, listed := e.ListingProgress()
	all, err := listing.All(ctx, f, q, listing.Options{Progress: report})
	listed()
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
		return writeOrdersJSON(e.Stdout, orders)
	}
	writeOrdersTable(e.Stdout, orders)
	return nil
}

func writeOrdersJSON(w io.Writer, orders []printdata.Order) error {
	list := make([]orderJSON, 0, len(orders))
	for _, o := range orders {
		list = append(list, orderJSON{
			OrderID: o.ID, Type: string(o.Type), TypeCode: o.TypeCode, State: o.State, StateRemark: o.StateRemark,
			CreatedAt: cli.FormatTime(o.CreatedAt), PayType: o.PayType, COD: o.COD(),
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
		rows = append(rows, []string{o.ID, typ, o.State, cli.FormatTime(o.CreatedAt), o.Total.String(), pay,
			printdata.MaskName(o.ConsigneeName), o.Province + o.City, strconv.Itoa(o.ItemCount)})
	}
	cli.WriteTable(w, rows, map[int]bool{4: true, 8: true})
	fmt.Fprintf(w, "%d orders\n", len(orders))
}

// fetcher reads from JD (or the simulator) as the settings and flags say; done releases it.
func fetcher(e *cli.Env) (f *printdata.Fetcher, done func(), err error) {
	conn, err := e.Connect()
	if err != nil {
		return nil, nil, err
	}
	return printdata.NewFetcher(conn.Client), func() { conn.Close() }, nil
}
