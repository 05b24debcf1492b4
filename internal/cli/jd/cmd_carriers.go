package jd

import (
	"context"
	"encoding/json"
	"strconv"

	"station/internal/cli"
	"station/ship"
)

func init() {
	cli.Register("carriers", cli.Command{
		Summary: "list the shop's carriers with their logistics ids (360buy.delivery.logistics.get)\n\n" +
			"The ids are what -logistics, -sop-logistics and a waybill file's logistics_id take; 0 is\n" +
			"for LBP and SOPL orders taken to JD's sorting centre.",
		Run: runCarriers,
	})
}

// carrierJSON is one line of `station carriers -json`.
type carrierJSON struct {
	LogisticsID  string `json:"logistics_id"`
	Name         string `json:"name"`
	Remark       string `json:"remark,omitempty"`
	Agreed       bool   `json:"agreed"`
	COD          bool   `json:"cod"`
	SelfDelivery bool   `json:"self_delivery"`
}

func runCarriers(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("carriers", "[-json]")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	conn, err := e.Connect()
	if err != nil {
		return err
	}
	defer conn.Close()
	list, err := ship.NewCarriers(conn.Client, 0, nil).Refresh(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]carrierJSON, 0, len(list))
		for _, c := range list {
			out = append(out, carrierJSON{LogisticsID: c.ID, Name: c.Name, Remark: c.Remark, Agreed: c.Agreed, COD: c.COD, SelfDelivery: c.SelfDelivery()})
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	rows := [][]string{{"LOGISTICS_ID", "NAME", "COD", "NOTE"}}
	for _, c := range list {
		note := c.Remark
		if c.SelfDelivery() {
			note = "self delivery: no waybill / 商家自送，无需运单号"
		}
		rows = append(rows, []string{c.ID, c.Name, strconv.FormatBool(c.COD), note}) // plain text already (ship)
	}
	cli.WriteTable(e.Stdout, rows, nil)
	return nil
}
