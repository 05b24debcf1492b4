package printdata

import (
	"log/slog"
	"strings"
	"unicode/utf8"
)

// MaskName hides all but the first character of a name: 张三丰 → 张**. A one-character name is
// hidden entirely.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	switch n {
	case 0:
		return ""
	case 1:
		return "*"
	}
	first, _ := utf8.DecodeRuneInString(name)
	return string(first) + strings.Repeat("*", n-1)
}

// maskPhone hides the middle of a phone number and keeps what a packer or courier uses to tell
// numbers apart: a mobile keeps its first three and last four digits (13817578711 →
// 138****8711); a landline keeps its area code and last four digits (010-87636735 →
// 010-****6735). Separators are kept; only digits and letters are hidden.
func maskPhone(phone string) string {
	p := []rune(strings.TrimSpace(phone))
	if len(p) == 0 {
		return ""
	}
	head := 0
	if i := strings.IndexAny(string(p), "- "); i > 0 {
		head = utf8.RuneCountInString(string(p)[:i]) // the area (or country) code
	}
	count := func(rs []rune) (n int) {
		for _, r := range rs {
			if !isSeparator(r) {
				n++
			}
		}
		return n
	}
	digits := count(p[head:])
	if head == 0 && digits >= 11 && len(p) > 3 {
		head = 3 // a mobile, or a landline written without a separator
		digits = count(p[head:])
	}
	tail := 4
	if digits < 7 {
		tail = digits / 3
	}
	out := make([]rune, len(p))
	copy(out, p)
	hide := digits - tail
	for i := head; i < len(out) && hide > 0; i++ {
		if !isSeparator(out[i]) {
			out[i] = '*'
			hide--
		}
	}
	return string(out)
}

func isSeparator(r rune) bool {
	switch r {
	case '-', ' ', '(', ')', '+', '/':
		return true
	}
	return false
}

// maskAddress keeps the start of an address (province and city, usually) for logs.
func maskAddress(a string) string {
	r := []rune(strings.TrimSpace(a))
	if len(r) == 0 {
		return ""
	}
	keep := min(6, len(r)/2)
	return string(r[:keep]) + "***"
}

// Masked returns the consignee as a privacy label shows it: name and phones masked, the address
// whole (the courier needs it).
func (c Consignee) Masked() Consignee {
	return Consignee{Name: MaskName(c.Name), Phone: maskPhone(c.Phone), Mobile: maskPhone(c.Mobile), Address: c.Address}
}

// LogValue masks the consignee in logs, the address included.
func (c Consignee) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", MaskName(c.Name)),
		slog.String("phone", maskPhone(c.Phone)),
		slog.String("mobile", maskPhone(c.Mobile)),
		slog.String("address", maskAddress(c.Address)),
	)
}

// LogValue is what a log shows of a waybill: enough to trace it, nothing that identifies the
// consignee, no images.
func (w Waybill) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("order_id", w.OrderID),
		slog.String("type", string(w.Type)),
		slog.String("should_pay", w.ShouldPay.String()),
		slog.Bool("cod", w.COD),
		slog.Int("items", w.ItemsCount),
		slog.String("sorting_code", w.SortingCode),
		slog.Int("pickup", int(w.Pickup)),
		slog.Int("level", int(w.Level)),
		slog.Bool("barcode", w.JDBarcode != nil),
		slog.Attr{Key: "consignee", Value: w.Consignee.LogValue()},
	)
}

// LogValue masks the consignee's name in logs.
func (o Order) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("order_id", o.ID),
		slog.String("type", string(o.Type)),
		slog.String("state", o.State),
		slog.String("total", o.Total.String()),
		slog.String("consignee", MaskName(o.ConsigneeName)),
		slog.String("city", o.City),
	)
}

// MaskPhone hides the middle of a phone number as the label does (see maskPhone), for other
// screens that show one: the after-sales case's contact.
func MaskPhone(phone string) string { return maskPhone(phone) }
