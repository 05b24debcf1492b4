// Package ordercmd has the commands on one order at JD beside printing and shipping: the
// merchant's remark (remark), delete requests (delete-apply, delete-cancel), the logistics
// track (track) and JD's own label (jd-label).
package ordercmd

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"station/explain"
	"station/internal/app"
	"station/internal/cli"
	"station/jdorder"
	"station/journal"
	"station/printdata"
	"station/say"
)

func init() {
	cli.Register("remark", cli.Command{
		Summary: "show the merchant's remark on an order (商家备注) and the buyer's; -set TEXT replaces the merchant's\n" +
			"(360buy.order.vender.remark.update, with a fresh trade_no; -flag 0-5 its colour: grey, red, yellow,\n" +
			"green, blue, purple). -set \"\" clears it.",
		Run: runRemark,
	})
	cli.Register("delete-apply", cli.Command{
		Summary: "ask JD to delete an order (删单申请, jingdong.order.orderDelete.apply) with one of JD's nine reasons:\n" +
			reasonList() + "\n" +
			"Reason 9 needs -text. From then on no station on this journal prints or ships the order\n" +
			"until the request is withdrawn (station delete-cancel) or JD refuses it.",
		Run: runDeleteApply,
	})
	cli.Register("delete-cancel", cli.Command{
		Summary: "withdraw an order's delete request (jingdong.order.orderDelete.cancelApply): the order can be printed\n" +
			"and shipped again.",
		Run: runDeleteCancel,
	})
	cli.Register("track", cli.Command{
		Summary: "the logistics track of a shipped order (jingdong.pop.order.track), oldest event first",
		Run:     runTrack,
	})
	cli.Register("jd-label", cli.Command{
		Summary: "fetch JD's own label of an order (360buy.order.print) into an HTML file, its barcode filled in:\n" +
			"for comparing with the station's label. It is never printed for shipping.",
		Run: runJDLabel,
	})
}

func reasonList() string {
	var b strings.Builder
	for _, r := range jdorder.DeleteReasons() {
		t := r.Text()
		fmt.Fprintf(&b, "  %d  %s / %s\n", int(r), t.ZH, t.EN)
	}
	return strings.TrimRight(b.String(), "\n")
}

func orderFlag(v string) (string, error) {
	id, err := printdata.CleanOrderID(v)
	if err != nil {
		return "", cli.Usagef("-order: %v", err)
	}
	return id, nil
}

// onOrder parses a command's flags (-order among them), checks the order id, opens the
// station and runs do on it.
func onOrder(ctx context.Context, e *cli.Env, fs *flag.FlagSet, order *string, args []string, check func() error,
	do func(st *app.Station, id string) error) error {
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	id, err := orderFlag(*order)
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	st, closeAll, err := e.OpenStation(ctx, cli.StationSetup{})
	if err != nil {
		return err
	}
	defer closeAll()
	return do(st, id)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type remarkJSON struct {
	OrderID     string `json:"order_id"`
	Remark      string `json:"remark"`
	Flag        int    `json:"flag"`
	Colour      string `json:"colour"`
	Modified    string `json:"modified,omitempty"`
	BuyerRemark string `json:"buyer_remark"`
}

func runRemark(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("remark", "-order ID [-set TEXT [-flag 0-5]] [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	var set *string
	fs.Func("set", "replace the merchant's remark with `TEXT` (\"\" clears it)", func(v string) error { set = &v; return nil })
	colour := fs.Int("flag", 0, "the remark's `colour`: 0 grey, 1 red, 2 yellow, 3 green, 4 blue, 5 purple")
	asJSON := fs.Bool("json", false, "print JSON")
	checkFlag := func() error {
		if *colour < 0 || *colour > int(jdorder.FlagPurple) {
			return cli.Usagef("-flag %d: give 0 to 5", *colour)
		}
		return nil
	}
	return onOrder(ctx, e, fs, order, args, checkFlag, func(st *app.Station, id string) error {
		if set != nil {
			if _, err := st.SetRemark(ctx, id, *set, jdorder.RemarkFlag(*colour)); err != nil {
				return err
			}
		}
		r, err := st.Remark(ctx, id)
		if err != nil {
			return err
		}
		buyer := ""
		if o, err := st.Order(ctx, id); err == nil {
			buyer = o.BuyerRemark
		}
		out := remarkJSON{OrderID: id, Remark: r.Text, Flag: int(r.Flag), Colour: r.Flag.Name().EN, Modified: cli.FormatTime(r.Modified), BuyerRemark: buyer}
		if *asJSON {
			return writeJSON(e.Stdout, out)
		}
		if set != nil {
			fmt.Fprintf(e.Stdout, "订单 %s 的商家备注已保存。 / The merchant's remark on order %s is saved.\n", id, id)
		}
		fmt.Fprintf(e.Stdout, "商家备注 merchant: %s (%s/%s)\n买家备注 buyer:    %s\n", cli.OrDash(out.Remark), r.Flag.Name().ZH, r.Flag.Name().EN, cli.OrDash(buyer))
		return nil
	})
}

type deleteJSON struct {
	OrderID    string `json:"order_id"`
	Reason     int    `json:"reason"`
	ReasonText string `json:"reason_text"`
	Text       string `json:"text,omitempty"`
	State      string `json:"state"`
	Note       string `json:"note,omitempty"`
	Station    string `json:"station,omitempty"`
	Packer     string `json:"packer,omitempty"`
	AskedAt    string `json:"asked_at,omitempty"`
}

func deleteJSONOf(d journal.DeleteRequest) deleteJSON {
	return deleteJSON{OrderID: d.OrderID, Reason: d.Reason, ReasonText: jdorder.DeleteReason(d.Reason).Text().ZH, Text: say.Safe(d.Text),
		State: string(d.State), Note: say.Safe(d.Note), Station: say.Safe(d.Who.Station), Packer: say.Safe(d.Who.Packer),
		AskedAt: cli.FormatTime(d.AskedAt)}
}

// printDelete reports a delete request after a call: err when it failed, else the request
// (as JSON, or in words and then what it means).
func printDelete(w io.Writer, d journal.DeleteRequest, err error, asJSON bool, means string) error {
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, deleteJSONOf(d))
	}
	st := explain.DeleteState(d.State)
	r := explain.DeleteReason(d.Reason)
	fmt.Fprintf(w, "订单 %s 删单申请：%s（原因 %s）\nOrder %s delete request: %s (reason %s)\n%s\n", d.OrderID, st.ZH, r.ZH, d.OrderID, st.EN, r.EN, means)
	return nil
}

func runDeleteApply(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("delete-apply", "-order ID -reason 1-9 [-text T] [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	reason := fs.Int("reason", 0, "JD's delete `reason`, 1-9 (see station delete-apply -h)")
	text := fs.String("text", "", "the reason in words (`T`, up to 500 characters; required for reason 9)")
	asJSON := fs.Bool("json", false, "print JSON")
	var d jdorder.DeleteRequest
	check := func() (err error) {
		if d, err = (jdorder.DeleteRequest{OrderID: *order, Reason: jdorder.DeleteReason(*reason), Text: *text}).Check(); err != nil {
			return cli.Usagef("%s", explain.Error(err).EN)
		}
		return nil
	}
	return onOrder(ctx, e, fs, order, args, check, func(st *app.Station, _ string) error {
		rec, err := st.ApplyDelete(ctx, d)
		return printDelete(e.Stdout, rec, err, *asJSON, "这个订单现在不打印、不发货。 / The order is now held from printing and shipping.")
	})
}

func runDeleteCancel(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("delete-cancel", "-order ID [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	asJSON := fs.Bool("json", false, "print JSON")
	return onOrder(ctx, e, fs, order, args, nil, func(st *app.Station, id string) error {
		rec, err := st.CancelDelete(ctx, id)
		return printDelete(e.Stdout, rec, err, *asJSON, "这个订单可以重新打印发货了。 / The order can be printed and shipped again.")
	})
}

type trackJSON struct {
	Time string `json:"time"`
	Text string `json:"text"`
}

func runTrack(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("track", "-order ID [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	asJSON := fs.Bool("json", false, "print a JSON array")
	return onOrder(ctx, e, fs, order, args, nil, func(st *app.Station, id string) error {
		events, err := st.Track(ctx, id)
		if err != nil {
			return err
		}
		if *asJSON {
			out := []trackJSON{}
			for _, ev := range events {
				out = append(out, trackJSON{Time: cli.FormatTime(ev.At), Text: ev.Text})
			}
			return writeJSON(e.Stdout, out)
		}
		if len(events) == 0 {
			fmt.Fprintf(e.Stdout, "订单 %s 还没有物流轨迹（还没发货，或承运商还没揽收）。 / Order %s has no track yet (not shipped, or not picked up).\n", id, id)
		}
		for _, ev := range events {
			fmt.Fprintf(e.Stdout, "%s  %s\n", cli.FormatTime(ev.At), ev.Text)
		}
		return nil
	})
}

func runJDLabel(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("jd-label", "-order ID -o FILE.html")
	order := fs.String("order", "", "the JD order `ID`")
	out := fs.String("o", "", "the HTML `file` to write")
	needFile := func() error {
		if strings.TrimSpace(*out) == "" {
			return cli.Usagef("-o FILE.html is required")
		}
		return nil
	}
	return onOrder(ctx, e, fs, order, args, needFile, func(st *app.Station, id string) error {
		l, err := st.JDLabel(ctx, id)
		if err != nil {
			return err
		}
		if err := writeFileWhole(*out, l.HTML); err != nil {
			return err
		}
		// The page's text carries the consignee's name and phone: it stays in the file.
		fmt.Fprintf(e.Stdout, "京东面单已写入 %s（%d 行文字，只供对照，不用于打印发货）。 / JD's label of order %s written to %s (%d lines of text; for comparison, never printed for shipping).\n",
			*out, len(l.Lines), id, *out, len(l.Lines))
		return nil
	})
}

// writeFileWhole writes the file through a temporary one, so that a failure leaves no half file.
func writeFileWhole(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".jd-label-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
