package packing

import (
	"context"
	"fmt"
	"time"

	"station/internal/cli"
	"station/scale"
)

func init() {
	cli.Register("scales", cli.Command{
		Summary: "list the serial ports a scale can be on, and try one\n\n" +
			"Without -try: the serial ports (USB-serial adapters with their USB ids). With -try SPEC\n" +
			"(serial:/dev/ttyUSB0, serial:COM3?format=toledo&baud=9600): waits for a steady weight and\n" +
			"shows it, or says what the scale does instead. Formats: text (ST,GS,+  1.234kg: A&D and the\n" +
			"indicators that copy it) and toledo (Mettler Toledo continuous output); auto tells them apart.",
		Run: runScales,
	})
}

func runScales(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("scales", "[-try SPEC [-wait 10s]]")
	try := fs.String("try", "", "read a steady weight from the scale at this `spec`")
	wait := fs.Duration("wait", 10*time.Second, "how long -try waits for a steady weight")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *try == "" {
		ports, err := scale.Ports()
		if err != nil {
			return err
		}
		if len(ports) == 0 {
			fmt.Fprintln(e.Stdout, "no serial ports found: plug in the scale's USB-serial adapter (on Linux it shows as /dev/ttyUSB0 or /dev/ttyACM0)")
			return nil
		}
		rows := [][]string{{"PORT", "USB", "VID:PID", "PRODUCT", "SPEC"}}
		for _, p := range ports {
			usb, id := "-", "-"
			if p.USB {
				usb, id = "yes", p.VID+":"+p.PID
			}
			rows = append(rows, []string{p.Name, usb, id, cli.OrDash(p.Product), "serial:" + p.Name})
		}
		cli.WriteTable(e.Stdout, rows, nil)
		return nil
	}
	sc, err := scale.Open(*try)
	if err != nil {
		return cli.Explained(err)
	}
	defer sc.Close()
	wctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	g, err := sc.Weigh(wctx, true)
	if err != nil {
		return cli.Explained(err)
	}
	fmt.Fprintf(e.Stdout, "%s: %d g (%.3f kg), steady\n", sc.Name(), g, float64(g)/1000)
	return nil
}
