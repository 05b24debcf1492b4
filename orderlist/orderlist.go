// Package orderlist reads the lists a merchant hands the station: order ids (a file of one a
// line, or typed separated by commas) and waybill files (CSV). Every line is checked and the
// mistakes come back together, with their line numbers, before anything is done.
package orderlist

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"station/internal/ascii"
	"station/printdata"
	"station/ship"
)

var (
	// ErrBadWaybillFile: a waybill file (CSV) has mistakes; nothing was done. *Error lists them
	// with line numbers.
	ErrBadWaybillFile = errors.New("the waybill file has mistakes")
	// ErrBadOrderList: an order list has lines that are not order ids; nothing was done.
	ErrBadOrderList = errors.New("the order list has mistakes")
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
// (*Error).
func ReadWaybillsCSV(r io.Reader) ([]WaybillRow, error) {
	lr := newLimited(r)
	// Line by line, each its own CSV: a waybill file never needs a field over two lines, and
	// a quote left open then spoils its own line, not every line after it.
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 4096), MaxLineBytes)
	var (
		rows     []WaybillRow
		problems problemList
	)
	bad := func(line int, format string, a ...any) {
		problems.add(fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, a...))
	}
	first := true
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // spreadsheet programs write a byte-order mark
		}
		if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.IndexByte(text, 0) >= 0 {
			return nil, &NotAListError{Of: Waybills, Problem: Binary, Line: line}
		}
		cr := csv.NewReader(strings.NewReader(text))
		cr.FieldsPerRecord = -1
		cr.TrimLeadingSpace = true
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			bad(line, "%v (tabs come from copying cells; commas separate columns)", err)
			continue
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
			bad(line, "order id %q is not a JD order id (up to 20 digits)", short(rec[0]))
			continue
		}
		row.OrderID = id
		row.LogisticsID = rec[1]
		if row.LogisticsID == "" || !ascii.Digits(row.LogisticsID) {
			bad(line, "logistics id %q: give the carrier's numeric logistics_id (see 'station carriers'), or 0 for LBP/SOPL orders taken to JD's sorting centre", short(rec[1]))
			continue
		}
		row.Waybill = ship.NormalizeWaybill(rec[2])
		if row.Waybill != "" && !ship.LooksLikeWaybill(row.Waybill) {
			bad(line, "waybill %q is not a waybill number (%s)", short(rec[2]), ship.GenericWaybillHelp)
			continue
		}
		if len(rec) == 4 && rec[3] != "" {
			n, err := strconv.Atoi(rec[3])
			if err != nil || n < 1 || n > ship.MaxPackages {
				bad(line, "packages %q: give a number from 1 to %d", short(rec[3]), ship.MaxPackages)
				continue
			}
			row.Packages = n
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, &NotAListError{Of: Waybills, Problem: LongLine, Line: line + 1}
	} else if err != nil {
		return nil, fmt.Errorf("reading the waybill file: %w", err)
	}
	if err := lr.check(Waybills); err != nil {
		return nil, err
	}
	if len(problems.list) > 0 {
		return nil, &Error{Of: Waybills, Problems: problems.done()}
	}
	return rows, nil
}

// Limits of the files the station reads: far above any real list (a 32 MB order list holds two
// million ids), so that a wrong file (a device, a binary, a log) is refused at once instead of
// filling memory.
const (
	MaxListBytes = 32 << 20
	MaxLineBytes = 64 << 10
	maxProblems  = 50 // mistakes listed; the rest are counted
)

// ErrNotAList is wrapped when a file is too big, has a line far too long for a list, or is not
// text at all: nothing was done.
var ErrNotAList = errors.New("not a list the station can read")

// limited reads at most MaxListBytes from r and says whether it went past.
type limited struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

func newLimited(r io.Reader) *limited { return &limited{r: r, left: MaxListBytes} }

func (l *limited) check(of Kind) error {
	if l.over {
		return &NotAListError{Of: of, Problem: TooBig}
	}
	return nil
}

// NotAProblem says why a file is not a list.
type NotAProblem int

const (
	TooBig   NotAProblem = iota + 1 // larger than MaxListBytes
	LongLine                        // a line longer than MaxLineBytes
	Binary                          // a line with a NUL byte: not text
)

// NotAListError is a file the station does not read as a list at all; nothing was done.
type NotAListError struct {
	Of      Kind
	Problem NotAProblem
	Line    int // the line concerned (LongLine, Binary)
}

func (e *NotAListError) Error() string {
	what, give := "the order list", "give a text file, one order id a line"
	if e.Of == Waybills {
		what, give = "the waybill file", "give a CSV file"
	}
	switch e.Problem {
	case TooBig:
		return fmt.Sprintf("%s is larger than %d MB: %v; split it into smaller files", what, MaxListBytes>>20, ErrNotAList)
	case LongLine:
		return fmt.Sprintf("%s: line %d is longer than %d KB: %v (%s)", what, e.Line, MaxLineBytes>>10, ErrNotAList, give)
	}
	return fmt.Sprintf("%s: line %d holds binary data: %v (%s)", what, e.Line, ErrNotAList, give)
}

// Is makes errors.Is(err, ErrNotAList) true.
func (e *NotAListError) Is(target error) bool { return target == ErrNotAList }

// short is a field as a message may quote it: at most 40 characters.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// problemList gathers a file's mistakes, listing the first maxProblems.
type problemList struct {
	list []string
	more int
}

func (p *problemList) add(s string) {
	if len(p.list) < maxProblems {
		p.list = append(p.list, s)
		return
	}
	p.more++
}

func (p *problemList) done() []string {
	if p.more > 0 {
		return append(p.list, fmt.Sprintf("… and %d more lines like these", p.more))
	}
	return p.list
}

// ReadOrderIDs reads an order list: one order id per line (the first column of a CSV line;
// blank lines, '#' comments and a header are skipped). Lines that are not order ids come back
// together with their line numbers (*Error). ctx stops the reading (Ctrl+C on a slow pipe).
func ReadOrderIDs(ctx context.Context, r io.Reader) ([]string, error) {
	lr := newLimited(r)
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 4096), MaxLineBytes)
	var (
		ids      []string
		problems problemList
	)
	line := 0
	for sc.Scan() {
		line++
		if line%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if bytes.IndexByte(sc.Bytes(), 0) >= 0 {
			return nil, &NotAListError{Of: OrderIDs, Problem: Binary, Line: line}
		}
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
			if len(ids) == 0 && len(problems.list) == 0 && strings.Contains(strings.ToLower(t), "order") {
				continue // a header
			}
			problems.add(fmt.Sprintf("line %d: %q is not a JD order id (up to 20 digits)", line, short(t)))
			continue
		}
		ids = append(ids, id)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, &NotAListError{Of: OrderIDs, Problem: LongLine, Line: line + 1}
	} else if err != nil {
		return nil, fmt.Errorf("reading the order list: %w", err)
	}
	if err := lr.check(OrderIDs); err != nil {
		return nil, err
	}
	if len(problems.list) > 0 {
		return nil, &Error{Of: OrderIDs, Problems: problems.done()}
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
		return nil, &Error{Of: OrderIDs, Problems: problems}
	}
	if len(ids) == 0 {
		return nil, &Error{Of: OrderIDs, Problems: []string{"no order ids given"}}
	}
	return ids, nil
}

// Kind names the kind of list an Error is about.
type Kind int

const (
	Waybills Kind = iota + 1 // a waybill CSV: order_id,logistics_id,waybill[,packages]
	OrderIDs                 // order ids, one a line or comma-separated
)

// Error lists the mistakes of a waybill file or an order list, each with its line number
// (or the id concerned); nothing was done.
type Error struct {
	Of       Kind
	Problems []string // "line 3: …"
}

func (e *Error) Error() string {
	what := "the order list"
	if e.Of == Waybills {
		what = "the waybill file"
	}
	const show = 20
	p, more := e.Problems, ""
	if len(p) > show {
		more = fmt.Sprintf("\n  … and %d more", len(p)-show)
		p = p[:show]
	}
	return fmt.Sprintf("%s has %d mistake(s); nothing was done:\n  %s%s", what, len(e.Problems), strings.Join(p, "\n  "), more)
}

// Is makes errors.Is(err, ErrBadWaybillFile) or ErrBadOrderList true, after the kind.
func (e *Error) Is(target error) bool {
	return target == ErrBadWaybillFile && e.Of == Waybills || target == ErrBadOrderList && e.Of == OrderIDs
}
