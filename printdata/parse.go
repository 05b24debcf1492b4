package printdata

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"station/internal/ascii"
	"station/jos"
)

// parseFen parses an amount in yuan as JOS writes it ("297.00", "79.5", "0", "1,299.00") into
// fen, exactly: the digits are read as digits, never through float64. An empty string is 0.
// More than two decimals are accepted only when the extra ones are zeros, since anything else
// cannot be represented in fen without rounding someone's money.
func parseFen(s string) (Fen, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimLeft(t, "¥￥")
	t = strings.TrimSpace(t)
	if t == "" {
		return 0, nil
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasPoint := strings.Cut(t, ".")
	if whole == "" && (!hasPoint || frac == "") {
		return 0, fmt.Errorf("%q is not an amount in yuan", s)
	}
	if strings.Contains(whole, ",") {
		var err error
		if whole, err = ungroup(whole); err != nil {
			return 0, fmt.Errorf("%q is not an amount in yuan: %w", s, err)
		}
	}
	if whole != "" && !ascii.Digits(whole) || frac != "" && !ascii.Digits(frac) {
		return 0, fmt.Errorf("%q is not an amount in yuan", s)
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, fmt.Errorf("%q has fractions of a fen", s)
		}
		frac = frac[:2]
	}
	frac += strings.Repeat("0", 2-len(frac))
	var fen int64
	for _, c := range whole + frac {
		d := int64(c - '0')
		if fen > (math.MaxInt64-d)/10 {
			return 0, fmt.Errorf("%q is too large an amount", s)
		}
		fen = fen*10 + d
	}
	if neg {
		fen = -fen
	}
	return Fen(fen), nil
}

// ungroup removes thousands separators, accepting only well-formed groups ("1,299", not "12,99").
func ungroup(s string) (string, error) {
	parts := strings.Split(s, ",")
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return "", errors.New("misplaced thousands separator")
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return "", errors.New("misplaced thousands separator")
		}
	}
	return strings.Join(parts, ""), nil
}

// zeroTimes are what JOS sends for "no such time yet" (§1-2: an order not finished).
var zeroTimes = map[string]bool{
	"":                    true,
	"0001-01-01 00:00:00": true,
	"1970-01-01 00:00:00": true,
	"0000-00-00 00:00:00": true,
}

// parseTime parses a JOS time ("2012-05-30 10:26:00", China time). The placeholders JOS uses for
// an absent time, and an empty string, give the zero time. A trailing ".0" (Java timestamps) is
// accepted.
func parseTime(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	if base, _, ok := strings.Cut(t, "."); ok && zeroTimes[base] {
		t = base
	}
	if zeroTimes[t] {
		return time.Time{}, nil
	}
	for _, layout := range []string{jos.TimeLayout, "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if v, err := time.ParseInLocation(layout, t, jos.ChinaTime); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time like %s", s, jos.TimeLayout)
}

// ParseRangeEnd reads a date or time a person gives for a search (-from/-to, the batch tab's
// fields), in China time, JD's clock: "2024-05-01", "2024-05-01 08:00[:00]" or with a T. A
// bare date is the start of that day, or its last second when end is set. "" is the zero time.
func ParseRangeEnd(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{jos.TimeLayout, "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, jos.ChinaTime); err == nil {
			return t, nil
		}
	}
	t, err := time.ParseInLocation("2006-01-02", s, jos.ChinaTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date like 2024-05-01 or \"2024-05-01 08:00:00\"", s)
	}
	if end {
		t = t.Add(24*time.Hour - time.Second)
	}
	return t, nil
}

// ParseOrderType reads an order type as a person or JOS writes it: "sop", "LBP", "SOPL", or
// JD's order_type codes 22, 23 and 25. "auto" and "" give "" (find out from JD).
func ParseOrderType(s string) (OrderType, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "AUTO":
		return "", nil
	case "SOP", "22":
		return SOP, nil
	case "LBP", "23":
		return LBP, nil
	case "SOPL", "25":
		return SOPL, nil
	case "OVERSEAS", "海外购", OverseasTypeCode:
		return Overseas, nil
	}
	return "", fmt.Errorf("unknown order type %q: use sop, lbp, sopl or overseas (JD order_type 22, 23, 25 or %s), or auto", s, OverseasTypeCode)
}

// typeFromCode maps order.get's order_type; ok is false for a code the station does not ship
// (FBP and others) or an absent one.
func typeFromCode(code string) (OrderType, bool) {
	switch strings.TrimSpace(code) {
	case "22":
		return SOP, true
	case "23":
		return LBP, true
	case "25":
		return SOPL, true
	case OverseasTypeCode:
		return Overseas, true
	}
	return "", false
}

// payTypeCOD reports whether OrderInfo's pay_type ("1", "1-货到付款") is cash on delivery.
func payTypeCOD(payType string) bool {
	code, _, _ := strings.Cut(strings.TrimSpace(payType), "-")
	return strings.TrimSpace(code) == "1" || strings.Contains(payType, "货到付款")
}
