package jd

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"

	"station/internal/cli"
	"station/printdata"
)

func init() {
	cli.Register("fetch", cli.Command{
		Summary: "fetch an order's waybill print data from JD and show it normalized\n\n" +
			"The type is learnt from JD unless -type gives it. Locked and cancelled orders are refused.\n" +
			"Images are shown as their size, not their data.",
		Run: runFetch,
	})
}

// waybillJSON is `station fetch -json`: the normalized waybill, money in yuan and fen.
type waybillJSON struct {
	OrderID              string         `json:"order_id"`
	Type                 string         `json:"type"`
	CreatedAt            string         `json:"created_at"`
	OutboundAt           string         `json:"outbound_at"`
	DeliveryTime         string         `json:"delivery_time"`
	NotifyBeforeDelivery bool           `json:"notify_before_delivery"`
	Remark               string         `json:"remark"`
	DistributionCenter   string         `json:"distribution_center"`
	SortingCode          string         `json:"sorting_code"`
	Site                 string         `json:"site"`
	PaymentType          string         `json:"payment_type"`
	COD                  bool           `json:"cod"`
	ShouldPay            string         `json:"should_pay"`
	ShouldPayFen         int64          `json:"should_pay_fen"`
	Freight              string         `json:"freight"`
	FreightFen           int64          `json:"freight_fen"`
	ItemsCount           int            `json:"items_count"`
	Items                []itemJSON     `json:"items"`
	Consignee            consigneeJSON  `json:"consignee"`
	Invoice              *invoiceJSON   `json:"invoice"`
	Pickup               markJSON       `json:"pickup"`
	Level                markJSON       `json:"level"`
	JDBarcode            *imageInfoJSON `json:"jd_barcode"`
}

type itemJSON struct {
	WareID       string `json:"ware_id"`
	Name         string `json:"name"`
	Quantity     int    `json:"quantity"`
	UnitPrice    string `json:"unit_price"`
	UnitPriceFen int64  `json:"unit_price_fen"`
	Subtotal     string `json:"subtotal"`
	SubtotalFen  int64  `json:"subtotal_fen"`
	ProduceNo    string `json:"produce_no"`
}

type consigneeJSON struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Mobile  string `json:"mobile"`
	Address string `json:"address"`
}

type invoiceJSON struct {
	Title   string `json:"title"`
	Type    string `json:"type"`
	Content string `json:"content"`
}

// markJSON is the pickup or order-level type with what it means and its sign image.
type markJSON struct {
	Type      int            `json:"type"`
	MeaningZh string         `json:"meaning_zh"`
	MeaningEn string         `json:"meaning_en"`
	Sign      *imageInfoJSON `json:"sign"`
}

type imageInfoJSON struct {
	Width   int  `json:"width"`
	Height  int  `json:"height"`
	Decoded bool `json:"decoded"`
}

func runFetch(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("fetch", "-order ID [-type auto|sop|lbp|sopl] [-json]")
	id := fs.String("order", "", "the JD order `ID`")
	typ := fs.String("type", "auto", "order `type`: auto (ask JD), sop, lbp or sopl")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	orderID, err := cli.RequiredOrderFlag(*id)
	if err != nil {
		return err
	}
	t, err := cli.TypeFlag(*typ)
	if err != nil {
		return err
	}

	f, done, err := fetcher(e)
	if err != nil {
		return err
	}
	defer done()
	w, err := f.Fetch(ctx, orderID, t)
	if err != nil {
		return err // explain says what a broken image or any other failure means
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(toWaybillJSON(w))
	}
	writeWaybillText(e.Stdout, w)
	return nil
}

func imageInfo(img image.Image) *imageInfoJSON {
	if img == nil {
		return nil
	}
	return &imageInfoJSON{Width: img.Bounds().Dx(), Height: img.Bounds().Dy(), Decoded: true}
}

func toWaybillJSON(w *printdata.Waybill) waybillJSON {
	j := waybillJSON{
		OrderID: w.OrderID, Type: string(w.Type),
		CreatedAt: cli.FormatTime(w.CreatedAt), OutboundAt: cli.FormatTime(w.OutboundAt),
		DeliveryTime: w.DeliveryTime, NotifyBeforeDelivery: w.NotifyBeforeDelivery, Remark: w.Remark,
		DistributionCenter: w.DistributionCenter, SortingCode: w.SortingCode, Site: w.Site,
		PaymentType: w.PaymentType, COD: w.COD,
		ShouldPay: w.ShouldPay.String(), ShouldPayFen: int64(w.ShouldPay),
		Freight: w.Freight.String(), FreightFen: int64(w.Freight),
		ItemsCount: w.ItemsCount, Items: []itemJSON{},
		Consignee: consigneeJSON(w.Consignee),
		JDBarcode: imageInfo(w.JDBarcode),
	}
	for _, it := range w.Items {
		j.Items = append(j.Items, itemJSON{
			WareID: it.WareID, Name: it.Name, Quantity: it.Quantity,
			UnitPrice: it.UnitPrice.String(), UnitPriceFen: int64(it.UnitPrice),
			Subtotal: it.Subtotal.String(), SubtotalFen: int64(it.Subtotal), ProduceNo: it.ProduceNo,
		})
	}
	if w.Invoice != nil {
		j.Invoice = &invoiceJSON{Title: w.Invoice.Title, Type: w.Invoice.Type, Content: w.Invoice.Content}
	}
	j.Pickup = markJSON{Type: int(w.Pickup), Sign: imageInfo(w.PickupSign)}
	j.Pickup.MeaningZh, j.Pickup.MeaningEn = w.Pickup.Meaning()
	j.Level = markJSON{Type: int(w.Level), Sign: imageInfo(w.LevelSign)}
	j.Level.MeaningZh, j.Level.MeaningEn = w.Level.Meaning()
	return j
}

func writeWaybillText(out io.Writer, w *printdata.Waybill) {
	var rows [][]string
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []string{k, v})
		}
	}
	add("Order", w.OrderID+"  "+string(w.Type))
	add("Created", cli.FormatTime(w.CreatedAt))
	add("Outbound", cli.FormatTime(w.OutboundAt))
	pay := w.ShouldPay.String() + " yuan"
	if w.COD {
		pay += "  cash on delivery (货到付款): collect from the consignee"
	}
	add("Should pay", pay)
	add("Payment", w.PaymentType)
	if w.Freight != 0 {
		add("Freight", w.Freight.String()+" yuan")
	}
	add("Consignee", w.Consignee.Name)
	add("Phone", strings.TrimSpace(strings.Join(nonEmpty(w.Consignee.Mobile, w.Consignee.Phone), " / ")))
	add("Address", w.Consignee.Address)
	add("Delivery", w.DeliveryTime)
	if w.NotifyBeforeDelivery {
		add("Notify", "call the consignee before delivery (送货前通知)")
	}
	add("Distribution", w.DistributionCenter)
	add("Sorting code", w.SortingCode)
	add("Site", w.Site)
	if zh, en := w.Pickup.Meaning(); zh != "" {
		add("Pickup", zh+" ("+en+")"+imageText(w.PickupSign))
	}
	if zh, en := w.Level.Meaning(); zh != "" {
		add("Level", zh+" ("+en+")"+imageText(w.LevelSign))
	}
	if w.Invoice != nil {
		add("Invoice", strings.Join(nonEmpty(w.Invoice.Type, w.Invoice.Title, w.Invoice.Content), " / "))
	}
	add("Remark", w.Remark)
	if w.JDBarcode != nil {
		add("JD barcode", strings.TrimPrefix(imageText(w.JDBarcode), ", "))
	} else {
		add("JD barcode", "none")
	}
	add("Items", strconv.Itoa(w.ItemsCount))
	cli.WriteTable(out, rows, nil)
	if len(w.Items) > 0 {
		fmt.Fprintln(out)
		items := [][]string{{"WARE", "NAME", "QTY", "PRICE", "SUBTOTAL", "NO."}}
		for _, it := range w.Items {
			items = append(items, []string{it.WareID, it.Name, strconv.Itoa(it.Quantity),
				it.UnitPrice.String(), it.Subtotal.String(), it.ProduceNo})
		}
		cli.WriteTable(out, items, map[int]bool{2: true, 3: true, 4: true})
	}
}

func imageText(img image.Image) string {
	if img == nil {
		return ""
	}
	return fmt.Sprintf(", image %dx%d decoded", img.Bounds().Dx(), img.Bounds().Dy())
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
