package packing

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"station/internal/cli"
	"station/journal"
)

func init() {
	cli.Register("shift", cli.Command{
		Summary: "the day's figures: labels printed, orders shipped and failed, orders verified (验货),\n" +
			"skipped and set aside, item scans refused by kind (wrong item, surplus, unknown code) and\n" +
			"parcels overweight or underweight. -date YYYY-MM-DD for another day; -json for scripts.",
		Run: runShift,
	})
}

// shiftJSON is station shift -json.
type shiftJSON struct {
	Date        string         `json:"date"`
	Printed     int            `json:"printed"`
	Shipped     int            `json:"shipped"`
	Failed      int            `json:"failed"`
	Verified    int            `json:"verified"`
	Skipped     int            `json:"verify_skipped"`
	Aside       int            `json:"set_aside"`
	Refused     map[string]int `json:"refused_scans"`
	Overweight  int            `json:"overweight"`
	Underweight int            `json:"underweight"`
}

func runShift(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("shift", "[-date YYYY-MM-DD] [-json]")
	date := fs.String("date", "", "the `day` to count (default today)")
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
	c, err := journal.TodayCounts(ctx, j, day)
	if err != nil {
		return err
	}
	p, err := journal.TodayPackCounts(ctx, j, day)
	if err != nil {
		return err
	}
	out := shiftJSON{Date: day.Format("2006-01-02"), Printed: c.Printed, Shipped: c.Shipped, Failed: c.Failed,
		Verified: p.Verified, Skipped: p.Skipped, Aside: p.Aside, Refused: p.Refused, Overweight: p.Overweight, Underweight: p.Underweight}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	rows := [][]string{
		{out.Date, ""},
		{"已打印 printed", fmt.Sprint(out.Printed)},
		{"已发货 shipped", fmt.Sprint(out.Shipped)},
		{"失败 failed", fmt.Sprint(out.Failed)},
		{"验货完成 verified", fmt.Sprint(out.Verified)},
		{"跳过验货 skipped", fmt.Sprint(out.Skipped)},
		{"放到异常单 set aside", fmt.Sprint(out.Aside)},
		{"错货 wrong item", fmt.Sprint(p.Refused["wrong"])},
		{"多件 surplus", fmt.Sprint(p.Refused["surplus"])},
		{"未知条码 unknown code", fmt.Sprint(p.Refused["unknown"] + p.Refused["no-line"])},
		{"超重 overweight", fmt.Sprint(out.Overweight)},
		{"偏轻 underweight", fmt.Sprint(out.Underweight)},
	}
	cli.WriteTable(e.Stdout, rows, map[int]bool{1: true})
	return nil
}
