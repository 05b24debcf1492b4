// Package warehouse has the commands of a warehouse whose stations share one journal: the
// live board (看板) of every station's and packer's work.
package warehouse

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"station/internal/cli"
	"station/journal"
	"station/say"
)

func init() {
	cli.Register("board", cli.Command{
		Summary: "the warehouse's board (看板): today's labels printed, orders shipped and failures per station\n" +
			"and per packer, orders per hour, and the open exceptions of every station on the journal.\n" +
			"-date YYYY-MM-DD for another day; -json for scripts.",
		Run: runBoard,
	})
}

// boardJSON is station board -json.
type boardJSON struct {
	Date     string         `json:"date"`
	Stations []rowJSON      `json:"stations"`
	Packers  []rowJSON      `json:"packers"`
	Hours    []hourJSON     `json:"hours"`
	Open     []openJSON     `json:"open_exceptions"`
	Aside    map[string]int `json:"packs_set_aside"`
	Returns  int            `json:"returns_received"`
}

type rowJSON struct {
	Name    string `json:"name"`
	Printed int    `json:"printed"`
	Shipped int    `json:"shipped"`
	Failed  int    `json:"failed"`
}

type hourJSON struct {
	Hour    string `json:"hour"` // 09:00
	Printed int    `json:"printed"`
	Shipped int    `json:"shipped"`
}

type openJSON struct {
	OrderID string `json:"order_id"`
	State   string `json:"state"`
	Step    string `json:"failed_step,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Station string `json:"station,omitempty"`
	Packer  string `json:"packer,omitempty"`
}

// boardJSONOf is a journal's board in the form of station board -json.
func boardJSONOf(b journal.Board) boardJSON {
	out := boardJSON{Date: b.From.Format("2006-01-02"), Stations: []rowJSON{}, Packers: []rowJSON{}, Hours: []hourJSON{},
		Open: []openJSON{}, Aside: map[string]int{}, Returns: b.Returns}
	rows := func(rs []journal.BoardRow) []rowJSON {
		out := []rowJSON{}
		for _, r := range rs {
			out = append(out, rowJSON{Name: say.Safe(r.Name), Printed: r.Printed, Shipped: r.Shipped, Failed: r.Failed})
		}
		return out
	}
	out.Stations, out.Packers = rows(b.Stations), rows(b.Packers)
	for _, h := range b.Hours {
		out.Hours = append(out.Hours, hourJSON{Hour: h.Start.Format("15:04"), Printed: h.Printed, Shipped: h.Shipped})
	}
	for _, e := range b.Open {
		out.Open = append(out.Open, openJSON{OrderID: e.OrderID, State: string(e.State), Step: e.FailedStep,
			Reason: say.Safe(e.Reason), Station: say.Safe(e.Who.Station), Packer: say.Safe(e.Who.Packer)})
	}
	for k, v := range b.Packs {
		out.Aside[say.Safe(k)] = v
	}
	return out
}

func runBoard(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("board", "[-date YYYY-MM-DD] [-json]")
	date := fs.String("date", "", "the `day` to show (default today)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	day, err := cli.DayFlag(*date, time.Now())
	if err != nil {
		return err
	}
	j, cleanup, err := e.OpenJournal(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	defer j.Close()
	b, err := j.Board(ctx, day, day.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	out := boardJSONOf(b)
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(e.Stdout, "看板 board %s (%s)\n\n", out.Date, j.Where())
	table := func(title string, rs []rowJSON) {
		rows := [][]string{{title, "已打印 printed", "已发货 shipped", "失败 failed"}}
		for _, r := range rs {
			rows = append(rows, []string{cli.OrDash(r.Name), fmt.Sprint(r.Printed), fmt.Sprint(r.Shipped), fmt.Sprint(r.Failed)})
		}
		cli.WriteTable(e.Stdout, rows, map[int]bool{1: true, 2: true, 3: true})
		fmt.Fprintln(e.Stdout)
	}
	table("工作台 STATION", out.Stations)
	table("打包员 PACKER", out.Packers)
	rows := [][]string{{"时段 HOUR", "已打印 printed", "已发货 shipped"}}
	for _, h := range out.Hours {
		rows = append(rows, []string{h.Hour, fmt.Sprint(h.Printed), fmt.Sprint(h.Shipped)})
	}
	cli.WriteTable(e.Stdout, rows, map[int]bool{1: true, 2: true})
	fmt.Fprintf(e.Stdout, "\n退货已收 returns received: %d\n", out.Returns)
	fmt.Fprintf(e.Stdout, "未结异常 open exceptions: %d\n", len(out.Open))
	for _, o := range out.Open {
		fmt.Fprintf(e.Stdout, "  %s  %s  %s  %s\n", o.OrderID, o.State, cli.OrDash(o.Station), o.Reason)
	}
	return nil
}
