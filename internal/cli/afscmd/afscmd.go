// Package afscmd has the returns desk's command: station afs list, show, apply, cancel,
// receive and returns (JD's after-sales service, and the returned parcels booked in the journal).
package afscmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"station/afs"
	"station/explain"
	"station/fulfill"
	"station/internal/app"
	"station/internal/cli"
	"station/journal"
	"station/printdata"
	"station/say"
)

func init() {
	cli.Register("afs", cli.Command{Summary: summary, Run: run})
}

const summary = "the after-sales desk (售后): JD's after-sales cases and the returned parcels\n\n" +
	"  station afs list -order ID            the order's cases: status, type, description, schedule\n" +
	"  station afs show -id N                one case: detail and schedule\n" +
	"  station afs apply -order ID -type 10|20|30 -expect 10|20 -desc TEXT [-image URL…]\n" +
	"                                        apply for a case (10 return ↔ 10 refund; 20 exchange and 30 repair ↔ 20),\n" +
	"                                        exactly once: an open case of the type refuses it\n" +
	"  station afs cancel -id N              cancel an open case\n" +
	"  station afs receive (-order ID | -waybill W) -condition good|damaged|missing [-note T] [-case N]\n" +
	"                                        book a returned parcel (damaged and missing need -note)\n" +
	"  station afs returns [-q ORDER|WAYBILL|CASE]   the returned parcels booked\n" +
	"Each takes -json. Consignee contacts are masked."

func run(ctx context.Context, e *cli.Env, args []string) error {
	if len(args) == 0 {
		return cli.Usagef("give a subcommand: list, show, apply, cancel, receive or returns (station afs -h)")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.Stdout, "station afs: "+summary)
		return nil
	case "list":
		return runList(ctx, e, rest)
	case "show":
		return runShow(ctx, e, rest)
	case "apply":
		return runApply(ctx, e, rest)
	case "cancel":
		return runCancel(ctx, e, rest)
	case "receive":
		return runReceive(ctx, e, rest)
	case "returns":
		return runReturns(ctx, e, rest)
	}
	return cli.Usagef("unknown subcommand %q: list, show, apply, cancel, receive or returns", say.Short(sub, 30))
}

func withStation(ctx context.Context, e *cli.Env, do func(st *app.Station) error) error {
	st, closeAll, err := e.OpenStation(ctx, cli.StationSetup{})
	if err != nil {
		return err
	}
	defer closeAll()
	return do(st)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type stepJSON struct {
	Time string `json:"time"`
	Step string `json:"step"`
}

type caseJSON struct {
	ID       int64      `json:"id"`
	OrderID  string     `json:"order_id,omitempty"`
	Status   int        `json:"status"`
	State    string     `json:"status_text"`
	Type     int        `json:"type,omitempty"`
	Contact  string     `json:"contact"` // masked
	Phone    string     `json:"phone"`   // masked
	Question string     `json:"question"`
	Result   string     `json:"result,omitempty"`
	Schedule []stepJSON `json:"schedule"`
	Error    string     `json:"error,omitempty"`
}

func caseJSONOf(v fulfill.AfsView) caseJSON {
	c := caseJSON{ID: v.Case.ID, OrderID: v.Case.OrderID, Status: int(v.Case.Status), State: v.Case.Status.Name().ZH, Type: int(v.Case.Type),
		Contact: printdata.MaskName(v.Detail.Contact), Phone: printdata.MaskPhone(v.Detail.Phone), Question: v.Detail.Question,
		Result: v.Detail.Result, Schedule: []stepJSON{}}
	if v.Case.Status == 0 {
		c.State = v.Detail.Status
	}
	for _, s := range v.Schedule {
		c.Schedule = append(c.Schedule, stepJSON{Time: cli.FormatTime(s.At), Step: s.Text})
	}
	if v.Err != nil {
		c.Error = explain.Error(v.Err).EN
	}
	return c
}

func printCase(w io.Writer, c caseJSON) {
	typ := ""
	if c.Type != 0 {
		typ = " · " + afs.Type(c.Type).Name().ZH
	}
	fmt.Fprintf(w, "售后单 %d  %s%s\n  联系人 %s %s\n  问题：%s\n", c.ID, c.State, typ, cli.OrDash(c.Contact), cli.OrDash(c.Phone), cli.OrDash(c.Question))
	if c.Result != "" {
		fmt.Fprintf(w, "  处理结果：%s\n", c.Result)
	}
	for _, s := range c.Schedule {
		fmt.Fprintf(w, "  %s  %s\n", s.Time, s.Step)
	}
	if c.Error != "" {
		fmt.Fprintf(w, "  (%s)\n", c.Error)
	}
}

func orderFlag(v string) (string, error) {
	id, err := printdata.CleanOrderID(v)
	if err != nil {
		return "", cli.Usagef("-order: %v", err)
	}
	return id, nil
}

func caseFlag(v string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id <= 0 {
		return 0, cli.Usagef("-id %q: give the case's number (station afs list -order ID shows it)", say.Short(v, 30))
	}
	return id, nil
}

func runList(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("afs list", "-order ID [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	id, err := orderFlag(*order)
	if err != nil {
		return err
	}
	return withStation(ctx, e, func(st *app.Station) error {
		views, err := st.AfsCases(ctx, id)
		if err != nil {
			return err
		}
		out := []caseJSON{}
		for _, v := range views {
			out = append(out, caseJSONOf(v))
		}
		if *asJSON {
			return writeJSON(e.Stdout, out)
		}
		if len(out) == 0 {
			fmt.Fprintf(e.Stdout, "订单 %s 没有售后单。 / Order %s has no after-sales case.\n", id, id)
		}
		for _, c := range out {
			printCase(e.Stdout, c)
		}
		return nil
	})
}

func runShow(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("afs show", "-id N [-json]")
	idFlag := fs.String("id", "", "the case's `number`")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	id, err := caseFlag(*idFlag)
	if err != nil {
		return err
	}
	return withStation(ctx, e, func(st *app.Station) error {
		v, err := st.AfsCase(ctx, id)
		if err != nil {
			return err
		}
		c := caseJSONOf(v)
		if *asJSON {
			return writeJSON(e.Stdout, c)
		}
		printCase(e.Stdout, c)
		return nil
	})
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runApply(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("afs apply", "-order ID -type 10|20|30 -expect 10|20 -desc TEXT [-image URL…] [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	typ := fs.Int("type", 0, "afsApplyType: 10 return (退货), 20 exchange (换货), 30 repair (维修)")
	expect := fs.Int("expect", 0, "customerExpect: 10 refund (退款), 20 exchange (换货); 10 goes with a return, 20 with the others")
	desc := fs.String("desc", "", "the problem in words (`TEXT`, up to 500 characters)")
	var images stringList
	fs.Var(&images, "image", "an image `URL` on JD's CDN (repeat for several)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	id, err := orderFlag(*order)
	if err != nil {
		return err
	}
	a, err := afs.Application{OrderID: id, Type: afs.Type(*typ), Expect: afs.Expect(*expect), Question: *desc, Images: images}.Check()
	if err != nil {
		return cli.Usagef("%s", explain.Error(err).EN)
	}
	return withStation(ctx, e, func(st *app.Station) error {
		res, err := st.AfsApply(ctx, a)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.Stdout, map[string]any{"order_id": id, "case_id": res.CaseID, "found": res.Found, "sent": res.Sent})
		}
		if res.Found {
			fmt.Fprintf(e.Stdout, "订单 %s 的售后单 %d 已在京东（之前的申请已生效，没有再次提交）。 / Order %s already has case %d at JD (an earlier application took effect; nothing was sent again).\n",
				id, res.CaseID, id, res.CaseID)
			return nil
		}
		fmt.Fprintf(e.Stdout, "已为订单 %s 申请%s，售后单 %d。 / Applied for a %s of order %s: case %d.\n",
			id, a.Type.Name().ZH, res.CaseID, a.Type.Name().EN, id, res.CaseID)
		return nil
	})
}

func runCancel(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("afs cancel", "-id N")
	idFlag := fs.String("id", "", "the case's `number`")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	id, err := caseFlag(*idFlag)
	if err != nil {
		return err
	}
	return withStation(ctx, e, func(st *app.Station) error {
		if err := st.AfsCancel(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "售后单 %d 已取消。 / Case %d is cancelled.\n", id, id)
		return nil
	})
}

type returnJSON struct {
	ID        int64  `json:"id"`
	OrderID   string `json:"order_id"`
	CaseID    int64  `json:"case_id,omitempty"`
	Waybill   string `json:"waybill,omitempty"`
	Condition string `json:"condition"`
	Note      string `json:"note,omitempty"`
	Station   string `json:"station,omitempty"`
	Packer    string `json:"packer,omitempty"`
	At        string `json:"at"`
}

func returnJSONOf(r journal.Return) returnJSON {
	return returnJSON{ID: r.ID, OrderID: r.OrderID, CaseID: r.CaseID, Waybill: r.Waybill, Condition: string(r.Condition),
		Note: say.Safe(r.Note), Station: say.Safe(r.Who.Station), Packer: say.Safe(r.Who.Packer), At: cli.FormatTime(r.At)}
}

func runReceive(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("afs receive", "(-order ID | -waybill W) -condition good|damaged|missing [-note T] [-case N] [-json]")
	order := fs.String("order", "", "the JD order `ID`")
	waybill := fs.String("waybill", "", "the returned parcel's `waybill` (the one it was shipped with finds its order)")
	cond := fs.String("condition", "", "good (完好), damaged (破损) or missing (缺件)")
	note := fs.String("note", "", "what is wrong (`T`; required for damaged and missing)")
	caseID := fs.Int64("case", 0, "the after-sales case it belongs to (`N`)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if (*order == "") == (*waybill == "") {
		return cli.Usagef("give -order or -waybill")
	}
	c := journal.Condition(strings.ToLower(strings.TrimSpace(*cond)))
	switch c {
	case journal.ReturnGood, journal.ReturnDamaged, journal.ReturnMissing:
	default:
		return cli.Usagef("-condition %q: give good, damaged or missing", say.Short(*cond, 20))
	}
	return withStation(ctx, e, func(st *app.Station) error {
		scanned := *order
		if scanned == "" {
			scanned = *waybill
		}
		id, err := st.ReturnOrder(ctx, scanned)
		if err != nil {
			return err
		}
		r, err := st.ReceiveReturn(ctx, journal.Return{OrderID: id, CaseID: *caseID, Waybill: *waybill, Condition: c, Note: *note})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e.Stdout, returnJSONOf(r))
		}
		cw := explain.ReturnCondition(c)
		fmt.Fprintf(e.Stdout, "退货已登记：订单 %s，%s。 / Return booked: order %s, %s.\n", id, cw.ZH, id, cw.EN)
		return nil
	})
}

func runReturns(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("afs returns", "[-q ORDER|WAYBILL|CASE] [-json]")
	q := fs.String("q", "", "an order id, a waybill or a case number (default: the latest)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	return withJournal(ctx, e, func(j journal.Store) error {
		rs, err := j.Returns(ctx, journal.ReturnFilter{Query: *q})
		if err != nil {
			return err
		}
		out := []returnJSON{}
		for _, r := range rs {
			out = append(out, returnJSONOf(r))
		}
		if *asJSON {
			return writeJSON(e.Stdout, out)
		}
		rows := [][]string{{"ORDER", "CASE", "WAYBILL", "CONDITION", "NOTE", "WHO", "AT"}}
		for _, r := range out {
			cs := ""
			if r.CaseID != 0 {
				cs = strconv.FormatInt(r.CaseID, 10)
			}
			rows = append(rows, []string{r.OrderID, cli.OrDash(cs), cli.OrDash(r.Waybill), explain.ReturnCondition(journal.Condition(r.Condition)).ZH,
				cli.OrDash(r.Note), cli.OrDash(strings.TrimSpace(r.Station + " " + r.Packer)), r.At})
		}
		cli.WriteTable(e.Stdout, rows, nil)
		fmt.Fprintf(e.Stdout, "%d returns\n", len(out))
		return nil
	})
}

func withJournal(ctx context.Context, e *cli.Env, do func(j journal.Store) error) error {
	j, cleanup, err := e.OpenJournal(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	defer j.Close()
	return do(j)
}
