package ship

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"station/jos"
)

func TestCarriersDecode(t *testing.T) {
	c := NewCarriers(&fakeReader{body: carrierReply}, 0, nil)
	list, err := c.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 9 {
		t.Fatalf("%d carriers: %v", len(list), list)
	}
	want := []Carrier{
		{ID: "1274", Name: "厂家自送", Sequence: 1, Agreed: true, Brand: BrandSelf},
		{ID: "336878", Name: "京东快递", Sequence: 2, Agreed: true, COD: true, Brand: BrandJD},
		{ID: "467", Name: "顺丰速运", Sequence: 3, Agreed: true, COD: true, Brand: BrandSF},
		{ID: "1499", Name: "中通快递", Sequence: 4, Agreed: true, Brand: BrandZTO},
	}
	for i, w := range want {
		if list[i] != w {
			t.Errorf("carrier %d = %+v, want %+v", i, list[i], w)
		}
	}
	if list[7].Brand != BrandEMS || list[8].Brand != BrandUnknown {
		t.Errorf("EMS and 德邦: %v %v", list[7].Brand, list[8].Brand)
	}
}

func TestCarriersBadReplies(t *testing.T) {
	for name, body := range map[string]string{
		"no companies": `{"code":"0"}`,
		"empty list":   `{"logistics_companies":{"logistics_list":[]}}`,
		"missing id":   `{"logistics_companies":{"logistics_list":[{"logistics_name":"x"}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewCarriers(&fakeReader{body: body}, 0, nil).List(context.Background())
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestCarriersCache(t *testing.T) {
	ctx := context.Background()
	r := &fakeReader{body: carrierReply}
	c := NewCarriers(r, time.Minute, nil)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }

	for range 3 {
		if _, err := c.ByID(ctx, "467"); err != nil {
			t.Fatal(err)
		}
	}
	if r.count() != 1 {
		t.Errorf("%d reads within the TTL, want 1", r.count())
	}
	now = now.Add(2 * time.Minute)
	c.List(ctx)
	if r.count() != 2 {
		t.Errorf("%d reads after the TTL, want 2", r.count())
	}
	// A failed refresh keeps the old list (JOS refuses a carrier that is really gone).
	now = now.Add(2 * time.Minute)
	r.err = &jos.Error{Method: methodLogisticsGet, Kind: jos.KindServer}
	if list, err := c.List(ctx); err != nil || len(list) != 9 {
		t.Errorf("stale list on a failed refresh: %d carriers, %v", len(list), err)
	}
	// Refresh reports the failure.
	if _, err := c.Refresh(ctx); jos.KindOf(err) != jos.KindServer {
		t.Errorf("Refresh error %v", err)
	}
	// Refresh picks up a changed list at once.
	r.err = nil
	r.body = `{"logistics_companies":{"logistics_list":[{"logistics_id":"467","logistics_name":"顺丰速运"}]}}`
	if list, err := c.Refresh(ctx); err != nil || len(list) != 1 {
		t.Errorf("Refresh: %v %v", list, err)
	}
	if _, err := c.ByID(ctx, "1499"); !errors.Is(err, ErrCarrierNotFound) {
		t.Errorf("a carrier gone after Refresh: %v", err)
	}
	// With no list at all, the failure is the caller's.
	c2 := NewCarriers(&fakeReader{err: &jos.Error{Method: methodLogisticsGet, Kind: jos.KindAuth}}, 0, nil)
	if _, err := c2.List(ctx); jos.KindOf(err) != jos.KindAuth {
		t.Errorf("no list and no JOS: %v", err)
	}
}

func TestCarriersLookup(t *testing.T) {
	ctx := context.Background()
	c := NewCarriers(&fakeReader{body: carrierReply}, 0, nil)
	tests := []struct {
		byID, byName string
		want         string // carrier id; "" = not found
	}{
		{byID: "467", want: "467"},
		{byID: " 1499 ", want: "1499"},
		{byID: "999", want: ""},
		{byName: "顺丰速运", want: "467"},
		{byName: "顺丰", want: "467"},
		{byName: "ems", want: "465"},
		{byName: "快递", want: ""}, // several: ambiguous
		{byName: "不存在", want: ""},
	}
	for _, tt := range tests {
		var (
			k   Carrier
			err error
		)
		if tt.byID != "" {
			k, err = c.ByID(ctx, tt.byID)
		} else {
			k, err = c.ByName(ctx, tt.byName)
		}
		if tt.want == "" {
			if err == nil {
				t.Errorf("%q%q found %v", tt.byID, tt.byName, k)
			}
			continue
		}
		if err != nil || k.ID != tt.want {
			t.Errorf("%q%q = %v, %v; want %s", tt.byID, tt.byName, k, err, tt.want)
		}
	}
}

func TestCarriersDetect(t *testing.T) {
	ctx := context.Background()
	c := NewCarriers(&fakeReader{body: carrierReply}, 0, nil)
	tests := []struct {
		waybill string
		want    []string // candidate ids, best first; nil = not detected
	}{
		{"SF1234567890123", []string{"467"}},
		{"sf123456789012", []string{"467"}}, // scanner in lower case
		{" JDVA00123456789\r", []string{"336878"}},
		{"YT1234567890123", []string{"2100"}},
		{"731234567890", []string{"1499"}},                  // 12 digits from 7: ZTO only
		{"7712345678901", []string{"1499", "4700", "3046"}}, // 13 digits from 77: ZTO, STO or Yunda
		{"881234567890", []string{"4700"}},                  // 12 digits from 88: STO only
		{"312345678901234", []string{"3046"}},               // 15 digits from 3: Yunda
		{"EA123456789CN", []string{"465"}},
		{"1123456789012", []string{"3046", "465"}}, // 13 digits from 1: Yunda or EMS
		{"HELLO", nil},
		{"12345", nil},
	}
	for _, tt := range tests {
		got, err := c.Detect(ctx, tt.waybill)
		var ids []string
		for _, k := range got {
			ids = append(ids, k.ID)
		}
		if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q) = %v, want %v", tt.waybill, ids, tt.want)
		}
		if tt.want == nil && !errors.Is(err, ErrCarrierNotDetected) {
			t.Errorf("Detect(%q) error %v", tt.waybill, err)
		}
	}

	// Only the shop's carriers are candidates: a shop without SF gets no SF guess.
	only := NewCarriers(&fakeReader{body: `{"logistics_companies":{"logistics_list":[{"logistics_id":"1499","logistics_name":"中通快递"}]}}`}, 0, nil)
	if got, err := only.Detect(ctx, "SF1234567890123"); err == nil {
		t.Errorf("SF waybill detected in a shop without SF: %v", got)
	}
}

func TestCheckWaybill(t *testing.T) {
	sf := Carrier{ID: "467", Name: "顺丰速运", Brand: BrandSF}
	other := Carrier{ID: "9001", Name: "德邦快递"}
	tests := []struct {
		c  Carrier
		w  string
		ok bool
	}{
		{sf, "SF1234567890123", true},
		{sf, "SF12345678901", false},
		{sf, "731234567890", false},
		{other, "DPK123456-01", true},
		{other, "ABC", false},
		{other, "A,B|C1234", false}, // would break JOS's multi-carrier form
		{other, strings.Repeat("1", 33), false},
	}
	for _, tt := range tests {
		err := tt.c.CheckWaybill(tt.w)
		if (err == nil) != tt.ok {
			t.Errorf("%s CheckWaybill(%q) = %v", tt.c.Name, tt.w, err)
		}
	}
}

// TestCarrierTextIsPlain: a carrier name or remark from JD with escape sequences or line
// breaks reaches the terminal and the window as plain text.
func TestCarrierTextIsPlain(t *testing.T) {
	body := `{"logistics_companies":{"logistics_list":[{"logistics_id":"467","logistics_name":"顺丰\u001b[2J速运\r\n[1/1] forged","logistics_remark":"\u202eevil"}]}}`
	list, err := NewCarriers(&fakeReader{body: body}, 0, nil).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c := list[0]; strings.ContainsAny(c.Name+c.Remark, "\x1b\r\n\u202e") || !strings.Contains(c.Name, "速运") {
		t.Errorf("carrier %+v", c)
	}
}
