package fulfill

import (
	"context"
	"errors"
	"fmt"

	"station/journal"
	"station/orderlist"
	"station/ship"
)

// CheckWaybillRows checks every row against the shop's carrier list (carrier known, waybill
// shaped like the carrier's, a waybill where the carrier needs one) and groups the rows into
// one shipment per order, the order type left empty (the batch learns it from JD). All
// mistakes come back together with their line numbers (*orderlist.Error); nothing is sent.
func (s *Station) CheckWaybillRows(ctx context.Context, rows []orderlist.WaybillRow) (map[string]ship.Shipment, error) {
	var problems []string
	bad := func(line int, format string, a ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, a...))
	}
	out := map[string]ship.Shipment{}
	waybillLine := map[string]int{}
	for _, row := range rows {
		if row.LogisticsID != ship.DeliverToJD {
			c, err := s.carriers.ByID(ctx, row.LogisticsID)
			switch {
			case errors.Is(err, ship.ErrCarrierNotFound):
				list, _ := s.carriers.List(ctx)
				bad(row.Line, "carrier %s is not in this shop's carrier list (%s)", row.LogisticsID, ship.Describe(list))
				continue
			case err != nil:
				return nil, fmt.Errorf("checking the waybill file: %w", err)
			case row.Waybill == "" && !c.SelfDelivery():
				bad(row.Line, "carrier %s needs a waybill", c)
				continue
			case row.Waybill != "":
				if err := c.CheckWaybill(row.Waybill); err != nil {
					bad(row.Line, "%v", err)
					continue
				}
			}
		} else if row.Waybill != "" {
			bad(row.Line, "logistics id 0 (taken to JD's sorting centre) carries no waybill; remove %s or give its carrier", row.Waybill)
			continue
		}
		if l, dup := waybillLine[row.Waybill]; dup && row.Waybill != "" {
			bad(row.Line, "waybill %s is already on line %d", row.Waybill, l)
			continue
		}
		if row.Waybill != "" {
			waybillLine[row.Waybill] = row.Line
		}
		sh := out[row.OrderID]
		sh.OrderID = row.OrderID
		found := false
		for i := range sh.Carriers {
			if sh.Carriers[i].LogisticsID == row.LogisticsID {
				if row.Waybill != "" {
					sh.Carriers[i].Waybills = append(sh.Carriers[i].Waybills, row.Waybill)
				}
				found = true
			}
		}
		if !found {
			c := journal.CarrierWaybills{LogisticsID: row.LogisticsID}
			if row.Waybill != "" {
				c.Waybills = []string{row.Waybill}
			}
			sh.Carriers = append(sh.Carriers, c)
		}
		// Each line is at least one parcel: the packages of an order add up.
		if row.Packages > 0 {
			sh.Packages += row.Packages
		} else {
			sh.Packages++
		}
		out[row.OrderID] = sh
	}
	if len(problems) > 0 {
		return nil, &orderlist.Error{Of: orderlist.Waybills, Problems: problems}
	}
	return out, nil
}
