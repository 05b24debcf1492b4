// Package journalcmd has the commands that read the journal or act on what it holds:
// history (every station's on a shared journal, filtered) and reprint.
package journalcmd

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"station/explain"
	"station/fulfill"
	"station/internal/cli"
	"station/journal"
	"station/printdata"
	"station/say"
	"station/scan"
	"station/ship"
)

func init() {
	cli.Register("history", cli.Command{
		Summary: "show the journal: what was printed and shipped, when, with which carriers\n\n" +
			"-order or -waybill finds one order; otherwise the most recent -n orders. Needs no JD access.",
		Run: runHistory,
	})
	cli.Register("reprint", cli.Command{
		Summary: "print an order's label again (never ships again)",
		Run:     runReprint,
	})
}

// historyJSON is one journal entry for `station history -json`.
type historyJSON struct {
	OrderID      string        `json:"order_id"`
	Type         string        `json:"type"`
	State        string        `json:"state"`
	FailedStep   string        `json:"failed_step,omitempty"`
	Reason       string        `json:"reason,omitempty"`
	Carriers     []carrierJSON `json:"carriers"`
	Waybills     []string      `json:"waybills"`
	Packages     int           `json:"packages"`
	TradeNo      string        `json:"trade_no,omitempty"`
	ShipAttempts int           `json:"ship_attempts"`
	Prints       int           `json:"prints"`
	Pages        int           `json:"pages"`
	Printer      string        `json:"printer,omitempty"`
	CreatedAt    *time.Time    `json:"created_at"`
	UpdatedAt    *time.Time    `json:"updated_at"`
	PrintedAt    *time.Time    `json:"printed_at"`
	ShippedAt    *time.Time    `json:"shipped_at"`
	Pack         *packJSON     `json:"pack,omitempty"`    // pack verification, when the order had one
	Station      string        `json:"station,omitempty"` // the station that last worked on the order
	Packer       string        `json:"packer,omitempty"`
}

type carrierJSON struct {
	LogisticsID string   `json:"logistics_id"`
	Waybills    []string `json:"waybills"`
}

// packJSON is an order's pack verification and weighing.
type packJSON struct {
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	WeightG     int    `json:"weight_g,omitempty"`
	ExpectedG   int    `json:"expected_g,omitempty"`
	ToleranceG  int    `json:"tolerance_g,omitempty"`
	WeightCheck string `json:"weight_check,omitempty"`
}

// packOf is the order's pack verification from the journal, nil when it had none.
func packOf(ctx context.Context, j journal.Store, id string) (*packJSON, error) {
	p, ok, err := j.Pack(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return &packJSON{State: string(p.State), Reason: p.Reason, WeightG: p.WeightG, ExpectedG: p.ExpectedG,
		ToleranceG: p.ToleranceG, WeightCheck: p.WeightCheck}, nil
}

// packNote is the history table's word for a pack: its state and weight.
func packNote(p *packJSON) string {
	if p == nil {
		return "-"
	}
	s := p.State
	if p.WeightG > 0 {
		s += " " + explain.Kilograms(p.WeightG) + "kg"
		if p.WeightCheck != "" && p.WeightCheck != "ok" {
			s += "(" + p.WeightCheck + ")"
		}
	}
	return s
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toHistoryJSON(e journal.Entry) historyJSON {
	h := historyJSON{OrderID: e.OrderID, Type: string(e.Type), State: string(e.State), FailedStep: e.FailedStep,
		Reason: e.Reason, Waybills: e.Waybills(), Packages: e.Packages, TradeNo: e.TradeNo, ShipAttempts: e.ShipAttempts,
		Prints: e.Prints, Pages: e.Pages, Printer: e.Printer, CreatedAt: timeOrNil(e.CreatedAt), UpdatedAt: timeOrNil(e.UpdatedAt),
		PrintedAt: timeOrNil(e.PrintedAt), ShippedAt: timeOrNil(e.ShippedAt), Carriers: []carrierJSON{},
		Station: say.Safe(e.Who.Station), Packer: say.Safe(e.Who.Packer)}
	if h.Waybills == nil {
		h.Waybills = []string{}
	}
	for _, c := range e.Carriers {
		w := c.Waybills
		if w == nil {
			w = []string{}
		}
		h.Carriers = append(h.Carriers, carrierJSON{LogisticsID: c.LogisticsID, Waybills: w})
	}
	return h
}

func runHistory(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("history", "[-order ID | -waybill W] [-station NAME] [-by PACKER] [-date YYYY-MM-DD] [-n N] [-json]")
	order := fs.String("order", "", "the order `ID` to show")
	waybill := fs.String("waybill", "", "show the order shipped with this `waybill`")
	n := fs.Int("n", 50, "how many recent orders to show")
	asJSON := fs.Bool("json", false, "print JSON")
	byStation := fs.String("at", "", "only the orders this station `name` last worked on (a shared journal holds every station's)")
	byPacker := fs.String("by", "", "only the orders this `packer` last worked on")
	date := fs.String("date", "", "only the orders last changed on this `day` (YYYY-MM-DD, local time)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	var day time.Time
	if *date != "" {
		var err error
		if day, err = cli.DayFlag(*date, time.Time{}); err != nil {
			return err
		}
	}
	filtered := *byStation != "" || *byPacker != "" || !day.IsZero()
	if *order != "" && *waybill != "" {
		return cli.Usagef("give -order or -waybill, not both")
	}
	if *n < 1 {
		return cli.Usagef("-n must be at least 1")
	}
	query := ""
	switch {
	case *order != "":
		id, err := printdata.CleanOrderID(*order)
		if err != nil {
			return cli.Usagef("-order: %v", err)
		}
		query = id
	case *waybill != "":
		query = ship.NormalizeWaybill(*waybill)
		if query == "" {
			return cli.Usagef("-waybill is empty")
		}
	}
	j, cleanup, err := e.OpenJournal(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	defer j.Close()
	var entries []journal.Entry
	if filtered {
		f := journal.HistoryFilter{Query: query, Station: strings.TrimSpace(*byStation), Packer: strings.TrimSpace(*byPacker), Limit: *n}
		if !day.IsZero() {
			f.From, f.To = day, day.AddDate(0, 0, 1)
		}
		entries, err = j.History(ctx, f)
	} else if *order != "" {
		// An order id is only an order id here (journal.Search would also try it as a waybill).
		e, ok, err := j.Get(ctx, query)
		if err != nil {
			return err
		}
		if ok {
			entries = append(entries, e)
		}
	} else if *waybill != "" {
		entries, err = j.ByWaybill(ctx, query)
	} else {
		entries, err = journal.Search(ctx, j, "", *n)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		list := make([]historyJSON, len(entries))
		for i, en := range entries {
			list[i] = toHistoryJSON(en)
			if list[i].Pack, err = packOf(ctx, j, en.OrderID); err != nil {
				return err
			}
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(entries) == 0 {
		if query != "" {
			return cli.Told(journal.ErrNotInJournal, explain.NothingFound(query, j.Where()))
		}
		fmt.Fprintf(e.Stdout, "The journal (%s) is empty.\n", j.Where())
		return nil
	}
	rows := [][]string{{"ORDER", "TYPE", "STATE", "PRINTED", "SHIPPED", "CARRIERS", "PACK", "BY", "NOTE"}}
	for _, en := range entries {
		state := string(en.State)
		if en.FailedStep != "" {
			state += " (" + en.FailedStep + ")"
		}
		var cs []string
		for _, c := range en.Carriers {
			s := c.LogisticsID
			if len(c.Waybills) > 0 {
				s += ":" + strings.Join(c.Waybills, ",")
			}
			cs = append(cs, s)
		}
		printed := cli.FormatTime(en.PrintedAt)
		if en.Prints > 1 {
			printed += " ×" + strconv.Itoa(en.Prints)
		}
		note := en.Reason
		if len([]rune(note)) > 60 {
			note = string([]rune(note)[:59]) + "…"
		}
		pack, err := packOf(ctx, j, en.OrderID)
		if err != nil {
			return err
		}
		rows = append(rows, []string{en.OrderID, string(en.Type), state, printed, cli.FormatTime(en.ShippedAt), cli.OrDash(strings.Join(cs, " ")), packNote(pack), cli.OrDash(say.Safe(en.Who.Join("/"))), note})
	}
	cli.WriteTable(e.Stdout, rows, nil)
	return nil
}

func runReprint(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("reprint", "-order ID [-printer SPEC | -o FILE.pdf] [-packages N]")
	order := fs.String("order", "", "the JD order `ID`")
	packages := fs.Int("packages", 0, "labels to print, one per parcel (default: as many as the order was shipped or printed with)")
	spec := fs.String("printer", "", "the printer `spec`")
	out := fs.String("o", "", "write the label into this PDF `file` (an existing file is never replaced)")
	lf := cli.AddLabelFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	id, err := printdata.CleanOrderID(*order)
	if err != nil {
		return cli.Usagef("-order: %v", err)
	}
	if *spec != "" && *out != "" {
		return cli.Usagef("give -printer SPEC or -o FILE.pdf, not both")
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "packages" })
	if *packages < 0 || *packages > ship.MaxPackages || (given && *packages == 0) {
		return cli.Usagef("-packages must be between 1 and %d", ship.MaxPackages)
	}
	if *spec != "" {
		if _, err := cli.PrinterSpec(*spec, ""); err != nil {
			return err
		}
	}
	label, err := lf.Options(fs)
	if err != nil {
		return err
	}
	// Neither: the saved settings' printer.
	st, closeAll, err := e.OpenStation(ctx, cli.StationSetup{Printer: *spec, FromSettings: *out == "", Label: label})
	if err != nil {
		return err
	}
	defer closeAll()
	if *out == "" {
		r, err := scan.Reprint(ctx, st.Station, id, *packages)
		if err != nil {
			return cli.Explained(err)
		}
		fmt.Fprintln(e.Stdout, explain.Scan(r).Lines())
		return nil
	}
	bspec := fulfill.BatchSpec{IDs: []string{id}, Print: true, PDFPath: *out, Reprint: true}
	if *packages == 0 {
		// As on a printer (scan.Reprint): one label per parcel the order was shipped with.
		if e, ok, err := st.Journal().Get(ctx, id); err != nil {
			return cli.Explained(err)
		} else if ok && e.Packages > 1 {
			*packages = e.Packages
		}
	}
	if *packages > 0 {
		bspec.Waybills = map[string]ship.Shipment{id: {OrderID: id, Packages: *packages}}
	}
	sum, err := st.Batch(ctx, bspec, nil)
	if err != nil {
		return cli.Explained(err)
	}
	if len(sum.Failed) > 0 {
		return cli.Explained(sum.Failed[0].Err)
	}
	fmt.Fprintf(e.Stdout, "Reprinted order %s's label into %s (not shipped again). / 已重打订单 %s 的面单。\n", id, sum.PDFPath, id)
	return nil
}
