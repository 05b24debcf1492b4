package fulfill

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"station/internal/ascii"
	"station/journal"
	"station/printdata"
	"station/ship"
)

// WaybillRow is one line of a waybill file: order_id,logistics_id,waybill[,packages].
type WaybillRow struct {
	Line        int
	OrderID     string
	LogisticsID string
	Waybill     string // normalized; "" for self delivery or logistics id 0
	Packages    int    // 0 when not given
}

// ReadWaybillsCSV reads a waybill file: CSV (comma, or tab) with the columns order_id,
// logistics_id, waybill and optionally packages; a header line, blank lines and lines starting
// with '#' are skipped. Several lines for one order add carriers (or waybills of one carrier).
// Every line is checked; the mistakes come back together, with their line numbers
// (*ListError).
func ReadWaybillsCSV(r io.Reader) ([]WaybillRow, error) {
	br := bufio.NewReader(r)
	// Spreadsheet programs write a byte-order mark; tabs come from copying cells.
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	var (
		rows     []WaybillRow
		problems []string
	)
	bad := func(line int, format string, a ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, a...))
	}
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad(pe.Line, "%v", pe.Err)
				if len(problems) > 200 {
					break
				}
				continue
			}
			return nil, fmt.Errorf("reading the waybill file: %w", err)
		}
		if len(rec) == 1 && strings.Contains(rec[0], "\t") {
			rec = strings.Split(rec[0], "\t")
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if first {
			first = false
			if strings.EqualFold(strings.ReplaceAll(rec[0], " ", "_"), "order_id") || (len(rec) > 0 && !ascii.Digits(rec[0]) && strings.Contains(strings.ToLower(rec[0]), "order")) {
				continue // a header
			}
		}
		if len(rec) < 3 || len(rec) > 4 {
			bad(line, "%d columns; give order_id,logistics_id,waybill[,packages] (the waybill may be empty)", len(rec))
			continue
		}
		row := WaybillRow{Line: line}
		id, err := printdata.CleanOrderID(rec[0])
		if err != nil {
			bad(line, "order id %q is not a JD order id (up to 20 digits)", rec[0])
			continue
		}
		row.OrderID = id
		row.LogisticsID = rec[1]
		if row.LogisticsID == "" || !ascii.Digits(row.LogisticsID) {
			bad(line, "logistics id %q: give the carrier's numeric logistics_id (see 'station carriers'), or 0 for LBP/SOPL orders taken to JD's sorting centre", rec[1])
			continue
		}
		row.Waybill = ship.NormalizeWaybill(rec[2])
		if row.Waybill != "" && !ship.LooksLikeWaybill(row.Waybill) {
			bad(line, "waybill %q is not a waybill number (%s)", rec[2], ship.GenericWaybillHelp)
			continue
		}
		if len(rec) == 4 && rec[3] != "" {
			n, err := strconv.Atoi(rec[3])
			if err != nil || n < 1 || n > ship.MaxPackages {
				bad(line, "packages %q: give a number from 1 to %d", rec[3], ship.MaxPackages)
				continue
			}
			row.Packages = n
		}
		rows = append(rows, row)
	}
	if len(problems) > 0 {
		return nil, &ListError{Of: WaybillFile, Problems: problems}
	}
	return rows, nil
}

// CheckWaybillRows checks every row against the shop's carrier list (carrier known, waybill
// shaped like the carrier's, a waybill where the carrier needs one) and groups the rows into
// one shipment per order, the order type left empty (the batch learns it from JD). All
// mistakes come back together with their line numbers (*ListError); nothing is sent.
func (s *Station) CheckWaybillRows(ctx context.Context, rows []WaybillRow) (map[string]ship.Shipment, error) {
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
		return nil, &ListError{Of: WaybillFile, Problems: problems}
	}
	return out, nil
}

// ReadOrderIDs reads an order list: one order id per line (the first column of a CSV line;
// blank lines, '#' comments and a header are skipped). Lines that are not order ids come back
// together with their line numbers (*ListError).
func ReadOrderIDs(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	var (
		ids      []string
		problems []string
	)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if i := strings.IndexAny(t, ",\t;"); i >= 0 {
			t = strings.TrimSpace(t[:i])
		}
		t = strings.Trim(t, `"`)
		id, err := printdata.CleanOrderID(t)
		if err != nil {
			if len(ids) == 0 && len(problems) == 0 && strings.Contains(strings.ToLower(t), "order") {
				continue // a header
			}
			problems = append(problems, fmt.Sprintf("line %d: %q is not a JD order id (up to 20 digits)", line, t))
			continue
		}
		ids = append(ids, id)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the order list: %w", err)
	}
	if len(problems) > 0 {
		return nil, &ListError{Of: OrderList, Problems: problems}
	}
	return ids, nil
}

// ParseOrderList reads order ids as typed on a command line or into a field: separated by
// commas (also the full-width ，) or white space, in the given order. An id that is not a JD
// order id, or one given twice (two labels for one parcel), refuses the list.
func ParseOrderList(list string) ([]string, error) {
	var (
		ids      []string
		problems []string
	)
	seen := map[string]bool{}
	for _, raw := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '，' || unicode.IsSpace(r) }) {
		id, err := printdata.CleanOrderID(raw)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%q is not a JD order id (up to 20 digits)", raw))
		case seen[id]:
			problems = append(problems, fmt.Sprintf("order %s is listed twice: a parcel needs one label", id))
		default:
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(problems) > 0 {
		return nil, &ListError{Of: OrderList, Problems: problems}
	}
	if len(ids) == 0 {
		return nil, &ListError{Of: OrderList, Problems: []string{"no order ids given"}}
	}
	return ids, nil
}
