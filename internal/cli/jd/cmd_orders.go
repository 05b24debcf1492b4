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
	"time"

	"station/internal/cli"
	"station/jdorder"
	"station/listing"
	"station/printdata"
)

func init() {
	cli.Register("orders", cli.Command{
		Summary: "list orders at JD (default: those waiting to be shipped)\n\n" +
			"DATE is 2006-01-02 or \"2006-01-02 15:04:05\", China time. JD needs -from and -to for any state\n" +
			"but WAIT_SELLER_STOCK_OUT. Every matching order is listed: JD's limits of one month and 5,000\n" +
			"orders a search are met by listing the period in smaller pieces. Consignee names are masked.\n" +
			"-fbp lists the FBP orders instead (360buy.order.fbp.search: JD's warehouse stores and ships them,\n" +
			"so the station refuses them), changed in -from … -to (default the last 30 days).",
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
	fs := e.NewFlags("orders", "[-state S[,S…]] [-type sop|lbp|sopl|overseas] [-from DATE] [-to DATE] [-by-created] [-fbp] [-json]")
	state := fs.String("state", printdata.StateWaitStockOut, "order `states`, comma-separated: "+strings.Join(printdata.States, ", "))
	typ := fs.String("type", "", "only orders of this `type`: sop, lbp, sopl or overseas (default all)")
	from := fs.String("from", "", "start `DATE` (China time)")
	to := fs.String("to", "", "end `DATE` (China time; a bare date means the end of that day; default now when -from is given)")
	byCreated := fs.Bool("by-created", false, "select by creation time instead of JD's default, the last change of state")
	asJSON := fs.Bool("json", false, "print a JSON array")
	fbp := fs.Bool("fbp", false, "list the FBP orders (JD ships them) changed in the period")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *fbp {
		return runFBPOrders(ctx, e, *from, *to, *asJSON)
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

// fbpJSON is one line of `station orders -fbp -json`.
type fbpJSON struct {
	OrderID     string `json:"order_id"`
	State       string `json:"state"`
	StateRemark string `json:"state_remark,omitempty"`
	CreatedAt   string `json:"created_at"`
	Modified    string `json:"modified"`
	Consignee   string `json:"consignee"` // masked
	City        string `json:"city"`
	ItemCount   int    `json:"item_count"`
}

func runFBPOrders(ctx context.Context, e *cli.Env, from, to string, asJSON bool) error {
	start, err := printdata.ParseRangeEnd(from, false)
	if err != nil {
		return cli.Usagef("-from: %v", err)
	}
	end, err := printdata.ParseRangeEnd(to, true)
	if err != nil {
		return cli.Usagef("-to: %v", err)
	}
	if end.IsZero() {
		end = time.Now()
	}
	if start.IsZero() {
		start = end.AddDate(0, 0, -30)
	}
	conn, err := e.Connect()
	if err != nil {
		return err
	}
	defer conn.Close()
	orders, err := jdorder.New(conn.Client).FBPOrders(ctx, start, end)
	if err != nil {
		return err
	}
	list := make([]fbpJSON, 0, len(orders))
	for _, o := range orders {
		list = append(list, fbpJSON{OrderID: o.ID, State: o.State, StateRemark: o.StateRemark, CreatedAt: cli.FormatTime(o.CreatedAt),
			Modified: cli.FormatTime(o.Modified), Consignee: printdata.MaskName(o.Consignee), City: o.City, ItemCount: o.Items})
	}
	if asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, "No FBP orders in the period.")
		return nil
	}
	rows := [][]string{{"ORDER (FBP)", "STATE", "", "CREATED", "CONSIGNEE", "CITY", "ITEMS"}}
	for _, o := range list {
		rows = append(rows, []string{o.OrderID, o.State, o.StateRemark, o.CreatedAt, o.Consignee, o.City, strconv.Itoa(o.ItemCount)})
	}
	cli.WriteTable(e.Stdout, rows, map[int]bool{6: true})
	fmt.Fprintf(e.Stdout, "%d FBP orders: JD's warehouse ships them; the station does not. / %d 个 FBP 订单：由京东仓发货，本工作台不打印不发货。\n", len(list), len(list))
	return nil
}
