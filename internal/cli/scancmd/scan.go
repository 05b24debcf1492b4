// Package scancmd is station scan: scanned lines from stdin through the scan line (verification,
// print, ship, waybills), a result line each, and the ':' commands of a scan session.
package scancmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"station/explain"
	"station/internal/ascii"
	"station/internal/cli"
	"station/scan"
	"station/ship"
)

func init() {
	cli.Register("scan", cli.Command{
		Summary: "print and ship orders as their barcodes are scanned (one per line on stdin)\n\n" +
			"Each line is an order id: its label is printed (-printer SPEC, or PDF files into -o DIR) and,\n" +
			"with -ship, the order is shipped. Without a printer, -ship ships only. A SOP order whose carrier\n" +
			"needs a waybill (-logistics, or none: detected from the waybill) waits for its waybill: the next\n" +
			"line. An order already done is reported and left alone unless -reprint. Scanner noise (spaces,\n" +
			"control characters, ]C0 prefixes, lower case) is cleaned; a wrong barcode does nothing.\n" +
			"Lines starting with ':' are commands: ':cancel' drops the order waiting for its waybill,\n" +
			"':carrier ID' sets the SOP carrier (':carrier' alone: detect), ':reprint on|off'.\n" +
			"With -verify (验货), an order id lists the order's lines and each item's barcode (or merchant\n" +
			"code) after it counts one piece; '+N' adds N pieces of the item just scanned. The order prints\n" +
			"and ships only once every piece is in; a wrong item, a surplus or an unknown code is refused.\n" +
			"':skip REASON' ships it unverified (recorded), ':aside' sets it aside. With -scale SPEC the\n" +
			"complete parcel is weighed and checked against its items' unit weights (':accept', ':weigh').\n" +
			"One result line per scan on stdout; the exit status is 1 if any scan failed or was refused.",
		Run: runScan,
	})
}

func runScan(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("scan", "[-printer SPEC | -o DIR] [-ship] [-logistics ID] [-packages N] [-reprint]")
	spec := fs.String("printer", "", "the printer `spec`, e.g. usb:auto, tcp:192.168.1.50?lang=zpl, file:/dev/usb/lp0")
	outDir := fs.String("o", "", "write each label as a PDF file into this `folder` (instead of -printer)")
	doShip := fs.Bool("ship", false, "ship each order after its label (without a printer: ship only)")
	logistics := fs.String("logistics", "", "carrier `id` of SOP orders (default: detected from the waybill scanned next)")
	lbp := fs.String("lbp-logistics", "", "carrier `id` of LBP orders (default: the saved settings', else 0: taken to JD's sorting centre)")
	sopl := fs.String("sopl-logistics", "", "carrier `id` of SOPL orders (default: the saved settings', else 0)")
	packages := fs.Int("packages", 1, "parcels per order: that many labels and the package count sent to JD")
	reprint := fs.Bool("reprint", false, "print orders again that were printed already (never ships twice)")
	vf := addVerifyFlags(fs)
	lf := cli.AddLabelFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	p, err := cli.PrinterSpec(*spec, *outDir)
	if err != nil {
		return err
	}
	opts := scan.Options{Packages: *packages, Reprint: *reprint}
	switch {
	case p != "" && *doShip:
		opts.Mode = scan.ModePrintShip
	case p != "":
		opts.Mode = scan.ModePrint
	case *doShip:
		opts.Mode = scan.ModeShipOnly
	default:
		return cli.Usagef("give a printer (-printer SPEC or -o DIR), -ship, or both")
	}
	if *packages < 1 || *packages > ship.MaxPackages {
		return cli.Usagef("-packages must be between 1 and %d", ship.MaxPackages)
	}
	defaults, err := cli.DefaultFlags("", *lbp, *sopl)
	if err != nil {
		return err
	}
	if opts.Logistics, err = cli.LogisticsFlag("-logistics", *logistics); err != nil {
		return err
	}
	label, err := lf.Options(fs)
	if err != nil {
		return err
	}
	if err := vf.check(); err != nil {
		return err
	}
	st, closeAll, err := e.OpenStation(ctx, cli.StationSetup{Printer: p, Label: label, Defaults: defaults})
	if err != nil {
		return err
	}
	defer closeAll()
	closeScale, err := vf.apply(ctx, st, &opts)
	if err != nil {
		return err
	}
	defer closeScale()

	var away string
	opts.OnPrinterAway = func(err error) {
		if line := explain.Away(err).Lines(); line != away {
			away = line
			fmt.Fprintf(e.Stderr, "station: %s\n", line)
		}
	}
	sc := scan.New(st.Station, opts)
	interactive := cli.IsTerminal(e.Stdin)
	prompt := func() {
		if !interactive {
			return
		}
		if v, ok := sc.Packing(); ok {
			fmt.Fprintf(e.Stderr, "item for %s (%d/%d)> ", v.OrderID, v.Got, v.Want)
		} else if id, ok := sc.Awaiting(); ok {
			fmt.Fprintf(e.Stderr, "waybill for %s> ", id)
		} else {
			fmt.Fprint(e.Stderr, "scan> ")
		}
	}
	mode, modeEN := explain.Mode(opts.Mode).ZH, explain.Mode(opts.Mode).EN
	fmt.Fprintf(e.Stderr, "station scan: %s / %s; one order id per line, Ctrl+D to end\n", mode, modeEN)
	bad := 0
	// Lines are read in a goroutine, so that Ctrl+C ends the session at once; a scan being
	// handled finishes first (its label and shipment are recorded).
	lines := make(chan scanInput)
	readErr := make(chan error, 1)
	go func() {
		err := readScanLines(e.Stdin, func(line scanInput) bool {
			select {
			case lines <- line:
				return true
			case <-ctx.Done():
				return false
			}
		})
		readErr <- err
		close(lines)
	}()
	prompt()
loop:
	for {
		var in scanInput
		select {
		case <-ctx.Done():
			break loop
		case l, ok := <-lines:
			if !ok {
				break loop
			}
			in = l
		}
		if in.tooLong > 0 {
			fmt.Fprintf(e.Stdout, "%-15s %s  %s\n", scan.Rejected, "-", fmt.Sprintf(
				"扫描内容过长（%d 字节），不是订单号或运单号，已忽略；请重新扫描 / a scan of %d bytes is far too long for an order id or a waybill: ignored, scan again", in.tooLong, in.tooLong))
			bad++
			prompt()
			continue
		}
		line := in.text
		if cmd, ok := strings.CutPrefix(strings.TrimSpace(line), ":"); ok && !scan.IsDecision(line) {
			if err := scanCommand(e, sc, cmd); err != nil {
				fmt.Fprintf(e.Stdout, "error: %v\n", err)
				bad++
			}
			prompt()
			continue
		}
		// ctx stops a label held for an absent printer; a label being sent and a shipment
		// being sent finish first.
		r := sc.Submit(ctx, line)
		if a := r.SetAside; a != nil {
			fmt.Fprintln(e.Stdout, scanLine(*a))
			bad++ // printed, not shipped: left for a person
		}
		fmt.Fprintln(e.Stdout, scanLine(r))
		if r.Pack != nil && (r.Note == scan.NotePackStarted || r.Note == scan.NotePackResumed || r.Note == scan.NoteUncoded) {
			writePackLines(e.Stdout, r.Pack)
		}
		if r.Status == scan.Failed || r.Status == scan.Rejected {
			bad++
		}
		prompt()
	}
	if interactive {
		fmt.Fprintln(e.Stderr)
	}
	select {
	case err := <-readErr:
		if err != nil {
			return fmt.Errorf("reading the scans: %w", err)
		}
	default:
	}
	if v, ok := sc.Packing(); ok {
		fmt.Fprintf(e.Stderr, "station: 订单 %s 验货未完成（%d/%d 件），计数已保存：再扫订单号继续 / order %s is not verified yet (%d/%d pieces); the count is kept: scan the order again to go on\n",
			v.OrderID, v.Got, v.Want, v.OrderID, v.Got, v.Want)
		bad++
	}
	if id, ok := sc.Awaiting(); ok || bad > 0 {
		return cli.Told(errScansLeft, explain.ScanSessionEnd(bad, id))
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// errScansLeft ends a scan session some of whose scans are not done.
var errScansLeft = errors.New("some scans are not done")

// scanLine is a scan's result line: status, order, then the message in both languages.
func scanLine(r scan.Result) string {
	id := r.OrderID
	if id == "" {
		id = "-"
	}
	return fmt.Sprintf("%-15s %s  %s", r.Status, id, explain.Scan(r).Lines())
}

func scanCommand(e *cli.Env, sc *scan.Scanner, cmd string) error {
	name, arg, _ := strings.Cut(strings.TrimSpace(cmd), " ")
	arg = strings.TrimSpace(arg)
	opts := sc.Options()
	switch strings.ToLower(name) {
	case "cancel":
		id, ok := sc.Awaiting()
		if !ok {
			return errors.New("no order is waiting for its waybill")
		}
		sc.Cancel()
		fmt.Fprintf(e.Stdout, "cancelled       %s  printed, not shipped: scan it again to ship it\n", id)
	case "carrier":
		if arg == "auto" {
			arg = ""
		}
		if arg != "" && !ascii.Digits(arg) {
			return fmt.Errorf("carrier %q: give a numeric logistics id, or nothing to detect it from the waybill", arg)
		}
		opts.Logistics = arg
		sc.SetOptions(opts)
		fmt.Fprintf(e.Stdout, "carrier         %s\n", cli.OrDash(arg))
	case "reprint":
		switch strings.ToLower(arg) {
		case "", "on", "1", "true", "yes":
			opts.Reprint = true
		case "off", "0", "false", "no":
			opts.Reprint = false
		default:
			return fmt.Errorf(":reprint %q: say :reprint on or :reprint off", arg)
		}
		sc.SetOptions(opts)
		fmt.Fprintf(e.Stdout, "reprint         %v\n", opts.Reprint)
	default:
		return fmt.Errorf("unknown command %q (commands: :cancel, :carrier ID, :reprint on|off)", name)
	}
	return nil
}

// maxScanLine is the longest line taken as a scan: order ids and waybills are a few dozen
// characters; a longer line is a scanner gone wild or a paste, refused on its own.
const maxScanLine = 4 << 10

// scanInput is one line of a scan session: its text, or for an over-long line only its length.
type scanInput struct {
	text    string
	tooLong int
}

// readScanLines calls line for each line of r (an over-long one's bytes are skipped, not
// kept), until r ends or line returns false. Only a read error is returned: no line, however
// long, ends the session.
func readScanLines(r io.Reader, line func(scanInput) bool) error {
	br := bufio.NewReaderSize(r, maxScanLine)
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			n := len(b)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = br.ReadSlice('\n')
				n += len(bytes.TrimRight(b, "\r\n"))
			}
			if !line(scanInput{tooLong: n}) {
				return nil
			}
		} else if len(b) > 0 && !line(scanInput{text: strings.TrimRight(string(b), "\r\n")}) {
			return nil
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
