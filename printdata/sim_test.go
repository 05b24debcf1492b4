package printdata_test

import (
	"context"
	"errors"
	"image"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"station/jos"
	"station/jos/jostest"
	"station/printdata"
)

// simFetcher starts the JOS simulator on a loopback HTTP server and returns a Fetcher that
// talks to it through a real, signing jos.Client.
func simFetcher(t *testing.T) (*printdata.Fetcher, *jostest.Server) {
	t.Helper()
	sim := jostest.New(jostest.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := jos.New(jos.Config{
		Endpoint:    srv.URL + "/routerjson",
		AppKey:      jostest.DemoAppKey,
		AppSecret:   jostest.DemoAppSecret,
		AccessToken: jostest.DemoAccessToken,
		RateLimit:   -1, // unlimited: the simulator is local
	})
	if err != nil {
		t.Fatal(err)
	}
	return printdata.NewFetcher(c), sim
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// readBarcode decodes a Code 128 barcode from an image.
func readBarcode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := oned.NewCode128Reader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the barcode image does not scan: %v", err)
	}
	return res.GetText()
}

func TestSimSearchListsAllTypes(t *testing.T) {
	f, sim := simFetcher(t)
	pg, err := f.SearchPage(ctx(t), printdata.Query{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	orders := pg.Orders
	if len(orders) != min(pg.Total, printdata.SearchPageSize) {
		t.Fatalf("%d orders of %d on page 1", len(orders), pg.Total)
	}
	types := map[printdata.OrderType]int{}
	var ids []string
	for _, o := range orders {
		types[o.Type]++
		ids = append(ids, o.ID)
		if o.State != printdata.StateWaitStockOut {
			t.Errorf("order %s in state %s listed for %s", o.ID, o.State, printdata.StateWaitStockOut)
		}
		if o.ConsigneeName == "" || o.ItemCount < 1 || o.CreatedAt.IsZero() {
			t.Errorf("order %s lacks data: %+v", o.ID, o)
		}
	}
	if types[printdata.SOP] == 0 || types[printdata.LBP] == 0 || types[printdata.SOPL] == 0 || types[""] != 0 {
		t.Errorf("types listed: %v", types)
	}
	// Orders waiting to be shipped at the simulator, each once.
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Error("an order was listed twice")
	}
	for _, id := range ids {
		if !slices.Contains(sim.OrderIDs("", printdata.StateWaitStockOut), id) {
			t.Errorf("order %s is not waiting to be shipped at the simulator", id)
		}
	}
	if len(ids) < 2 {
		t.Fatalf("only %d orders", len(ids))
	}

	// Other states need dates.
	now := time.Now()
	locked, err := f.SearchPage(ctx(t), printdata.Query{States: []string{printdata.StateLocked, printdata.StateCanceled},
		Start: now.AddDate(0, -1, 0), End: now}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range locked.Orders {
		if o.State != printdata.StateLocked && o.State != printdata.StateCanceled {
			t.Errorf("order %s in state %s", o.ID, o.State)
		}
	}
}

func TestSimFetchEachType(t *testing.T) {
	f, sim := simFetcher(t)
	var sawPickupSign, sawLevelSign bool
	for _, typ := range []printdata.OrderType{printdata.SOP, printdata.LBP, printdata.SOPL} {
		ids := sim.OrderIDs(string(typ), printdata.StateWaitStockOut)
		if len(ids) == 0 {
			t.Fatalf("the simulator has no %s order to ship", typ)
		}
		for i, id := range ids[:min(len(ids), 15)] {
			given := printdata.OrderType("")
			if i%2 == 1 {
				given = typ // given and confirmed by JD
			}
			w, err := f.Fetch(ctx(t), id, given)
			if err != nil {
				t.Fatalf("%s %s: %v", typ, id, err)
			}
			if w.OrderID != id || w.Type != typ {
				t.Errorf("%s: waybill %s %s", id, w.OrderID, w.Type)
			}
			if len(w.Items) == 0 || w.ItemsCount < len(w.Items) || w.Consignee.Name == "" || w.Consignee.Address == "" {
				t.Errorf("%s: incomplete waybill %+v", id, w)
			}
			if w.COD != (w.ShouldPay > 0) {
				t.Errorf("%s: COD %v but should pay %s", id, w.COD, w.ShouldPay)
			}
			if typ != printdata.SOP {
				if w.JDBarcode == nil {
					t.Fatalf("%s %s: no generade", typ, id)
				}
				if got := readBarcode(t, w.JDBarcode); got != id {
					t.Errorf("%s: the barcode reads %q", id, got)
				}
				if w.DistributionCenter == "" {
					t.Errorf("%s: no distribution center", id)
				}
				if (w.Pickup != printdata.PickupNone) != (w.PickupSign != nil) {
					t.Errorf("%s: pickup type %d with sign %v", id, w.Pickup, w.PickupSign != nil)
				}
				if (w.Level != printdata.LevelNone) != (w.LevelSign != nil) {
					t.Errorf("%s: level %d with sign %v", id, w.Level, w.LevelSign != nil)
				}
				sawPickupSign = sawPickupSign || w.PickupSign != nil
				sawLevelSign = sawLevelSign || w.LevelSign != nil
			} else if w.JDBarcode != nil {
				if got := readBarcode(t, w.JDBarcode); got != id {
					t.Errorf("%s: the SOP barcode reads %q", id, got)
				}
			}
		}
	}
	if !sawPickupSign || !sawLevelSign {
		t.Errorf("no pickup sign (%v) or no order-level sign (%v) among the orders fetched", sawPickupSign, sawLevelSign)
	}
}

func TestSimRefusals(t *testing.T) {
	f, sim := simFetcher(t)
	ids := sim.OrderIDs(string(printdata.LBP), printdata.StateWaitStockOut)
	if len(ids) < 2 {
		t.Fatal("too few LBP orders")
	}
	for i, state := range []string{printdata.StateLocked, printdata.StateCanceled} {
		if err := sim.SetState(ids[i], state); err != nil {
			t.Fatal(err)
		}
		_, err := f.Fetch(ctx(t), ids[i], "")
		if !errors.Is(err, printdata.ErrNotShippable) {
			t.Errorf("%s order: %v, want ErrNotShippable", state, err)
		}
	}

	// An order JD does not know stays a *jos.Error, with the order id in the message.
	_, err := f.Fetch(ctx(t), "99999999999", "")
	var je *jos.Error
	if !errors.As(err, &je) || je.Kind != jos.KindNotFound {
		t.Errorf("unknown order: %v (kind %v), want a not-found *jos.Error", err, jos.KindOf(err))
	}

	// The wrong type given is caught before the print data is asked for.
	sop := sim.OrderIDs(string(printdata.SOP), printdata.StateWaitStockOut)
	if len(sop) == 0 {
		t.Fatal("no SOP order")
	}
	if _, err := f.Fetch(ctx(t), sop[0], printdata.LBP); err == nil {
		t.Error("an SOP order fetched as LBP")
	}
	// Asked directly with the wrong method, JD refuses, and the refusal stays a *jos.Error.
	_, err = f.Waybill(ctx(t), printdata.Order{ID: sop[0], Type: printdata.LBP, State: printdata.StateWaitStockOut})
	if !errors.As(err, &je) {
		t.Errorf("SOP order through the LBP method: %v, want a *jos.Error", err)
	}
}
