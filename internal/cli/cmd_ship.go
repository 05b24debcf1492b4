package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"station/journal"
	"station/printdata"
	"station/ship"
)

func init() {
	commands["ship"] = command{
		summary: "tell JD that an order's parcel has left (outstorage), once\n\n" +
			"-logistics is the carrier's logistics id (several: 467|1499), -waybill its waybill(s) in JOS's\n" +
			"form (w1,w2|w3). LBP and SOPL orders may use -logistics 0: the merchant takes the parcels to\n" +
			"JD's sorting centre. The input is checked against the shop's carrier list before anything is\n" +
			"sent; an order already shipped is not sent again.",
		run: runShip,
	}
	commands["waybill"] = command{
		summary: "correct the carrier and waybill of a shipped order (waybill update)",
		run:     runWaybill,
	}
}

// shipmentFlags are the flags ship and waybill share.
type shipmentFlags struct {
	order, logistics, waybill, typ *string
}

func addShipmentFlags(fs interface {
	String(name, value, usage string) *string
}) shipmentFlags {
	return shipmentFlags{
		order:     fs.String("order", "", "the JD order `ID`"),
		logistics: fs.String("logistics", "", "carrier logistics `ID` (several: 467|1499)"),
		waybill:   fs.String("waybill", "", "waybill `number(s)` (several: w1,w2|w3, one group per carrier)"),
		typ:       fs.String("type", "auto", "order `type`: auto (the journal's or JD's), sop, lbp or sopl"),
	}
}

func (f shipmentFlags) shipment() (ship.Shipment, error) {
	id, err := printdata.CleanOrderID(*f.order)
	if err != nil {
		return ship.Shipment{}, Usagef("-order: %v", err)
	}
	t, err := TypeFlag(*f.typ)
	if err != nil {
		return ship.Shipment{}, err
	}
	lg := strings.TrimSpace(*f.logistics)
	if lg == "" {
		return ship.Shipment{}, Usagef("-logistics is required (0 for LBP/SOPL orders taken to JD's sorting centre)")
	}
	ids := strings.Split(lg, "|")
	var groups []string
	if w := strings.TrimSpace(*f.waybill); w != "" {
		groups = strings.Split(w, "|")
	}
	if len(groups) > len(ids) {
		return ship.Shipment{}, Usagef("-waybill has %d carrier groups (split by |) for %d carriers", len(groups), len(ids))
	}
	sh := ship.Shipment{OrderID: id, Type: t}
	for i, lid := range ids {
		c := journal.CarrierWaybills{LogisticsID: strings.TrimSpace(lid)}
		if i < len(groups) {
			for _, w := range strings.Split(groups[i], ",") {
				if w = strings.TrimSpace(w); w != "" {
					c.Waybills = append(c.Waybills, w)
				}
			}
		}
		sh.Carriers = append(sh.Carriers, c)
	}
	return sh, nil
}

func runShip(ctx context.Context, e *Env, args []string) error {
	fs := e.NewFlags("ship", "-order ID -logistics L [-waybill W] [-packages N] [-type T]")
	sf := addShipmentFlags(fs)
	packages := fs.Int("packages", 0, "parcels (default: one per waybill, at least one)")
	if err := Parse(fs, args); err != nil {
		return err
	}
	sh, err := sf.shipment()
	if err != nil {
		return err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "packages" })
	if *packages < 0 || *packages > ship.MaxPackages || (given && *packages == 0) {
		return Usagef("-packages must be between 1 and %d", ship.MaxPackages)
	}
	sh.Packages = *packages
	st, closeAll, err := e.OpenStation(ctx, StationSetup{})
	if err != nil {
		return err
	}
	defer closeAll()
	res, err := st.Ship(ctx, sh)
	if err != nil {
		return Explained(err)
	}
	switch {
	case res.AlreadyShipped:
		fmt.Fprintf(e.Stdout, "Order %s is already shipped; nothing was sent. / 订单 %s 已发货，没有再次提交。\n", res.OrderID, res.OrderID)
	case res.Reconciled:
		fmt.Fprintf(e.Stdout, "Order %s is shipped (confirmed with JD after an unclear reply; trade_no %s). / 订单 %s 已发货（已向京东核实）。\n", res.OrderID, res.TradeNo, res.OrderID)
	default:
		fmt.Fprintf(e.Stdout, "Order %s shipped (trade_no %s). / 订单 %s 已发货。\n", res.OrderID, res.TradeNo, res.OrderID)
	}
	return nil
}

func runWaybill(ctx context.Context, e *Env, args []string) error {
	fs := e.NewFlags("waybill", "-order ID -logistics L -waybill W [-type T]")
	sf := addShipmentFlags(fs)
	if err := Parse(fs, args); err != nil {
		return err
	}
	sh, err := sf.shipment()
	if err != nil {
		return err
	}
	if strings.TrimSpace(*sf.waybill) == "" {
		return Usagef("-waybill is required: it is what gets corrected")
	}
	st, closeAll, err := e.OpenStation(ctx, StationSetup{})
	if err != nil {
		return err
	}
	defer closeAll()
	res, err := st.UpdateWaybill(ctx, sh)
	if err != nil {
		return Explained(err)
	}
	fmt.Fprintf(e.Stdout, "Order %s: waybill corrected to %s %s (trade_no %s). / 订单 %s 的运单已更正。\n",
		res.OrderID, *sf.logistics, strings.ToUpper(*sf.waybill), res.TradeNo, res.OrderID)
	return nil
}
