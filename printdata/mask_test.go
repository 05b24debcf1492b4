package printdata

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestMaskName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"张三丰", "张**"},
		{"刘海林 ", "刘**"},
		{"张三", "张*"},
		{"张", "*"},
		{"", ""},
		{"ochirly", "o******"},
		{"欧阳娜娜", "欧***"},
	} {
		if got := MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"13817578711", "138****8711"},
		{"13800000000    ", "138****0000"},
		{"010-87636735", "010-****6735"},
		{"0755-2345678", "0755-***5678"},
		{"02187636735", "021****6735"},
		{"87636735", "****6735"},
		{"+86 138 1757 8711", "+86 *** **** 8711"},
		{"010-87636735-123", "010-*******5-123"},
		{"12345", "****5"},
		{"1", "*"},
		{"", ""},
	} {
		if got := maskPhone(tc.in); got != tc.want {
			t.Errorf("maskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestConsigneeMasked(t *testing.T) {
	c := Consignee{Name: "刘海林", Phone: "010-87636735", Mobile: "13717578711", Address: "北京昌平水关新村3号楼4单元302"}
	want := Consignee{Name: "刘**", Phone: "010-****6735", Mobile: "137****8711", Address: c.Address}
	if got := c.Masked(); got != want {
		t.Errorf("Masked() = %+v, want %+v", got, want)
	}
}

// TestLogValueMasks: a logged waybill, consignee or order never shows a full name, phone or
// address, whatever the handler.
func TestLogValueMasks(t *testing.T) {
	w := &Waybill{OrderID: "610000455", Type: LBP, ShouldPay: 7950, COD: true, ItemsCount: 1,
		Consignee: Consignee{Name: "刘海林", Phone: "010-87636735", Mobile: "13717578711", Address: "北京昌平水关新村3号楼4单元302"}}
	o := Order{ID: "610000455", Type: LBP, ConsigneeName: "刘海林", City: "昌平区"}
	secrets := []string{"刘海林", "87636735", "13717578711", "水关新村"}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(h(&buf))
		log.Info("fetched", "waybill", w)       // a pointer, as Fetch returns it
		log.Info("fetched", "waybill", *w)      // a value
		log.Info("fetched", "who", w.Consignee) // the consignee alone
		log.Info("listed", "order", o)
		out := buf.String()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s log shows %q:\n%s", name, s, out)
			}
		}
		for _, s := range []string{"610000455", "刘**", "137****8711", "010-****6735", "79.50"} {
			if !strings.Contains(out, s) {
				t.Errorf("%s log lacks %q:\n%s", name, s, out)
			}
		}
	}
}
