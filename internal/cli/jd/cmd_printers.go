package jd

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"station/internal/cli"
	"station/printer"
	"station/printer/winspool"
	"station/say"
)

func init() {
	cli.Register("printers", cli.Command{
		Summary: "list the printers installed (Windows) or attached by USB, and check the configured printers\n\n" +
			"On Windows: the installed printers, the default first, each with the spec that selects it\n" +
			"(win:NAME), its driver, port, state and the language its driver's name gives.\n" +
			"For each USB printer: the spec that selects it (usb:VID:PID[:SERIAL] or usb:VID:PID@BUS.PORT\n" +
			"for identical printers without serial numbers), vendor, product, serial, where it is plugged\n" +
			"in and the language its device id names. Configured printers (-printer, repeatable, or\n" +
			"STATION_PRINTER) are asked for their status.",
		Run: runPrinters,
	})
}

// printerSpecFlags collects repeated -printer flags.
type printerSpecFlags []string

func (s *printerSpecFlags) String() string     { return strings.Join(*s, " ") }
func (s *printerSpecFlags) Set(v string) error { *s = append(*s, v); return nil }

// configuredPrinterSpecs returns the -printer specs, or STATION_PRINTER when none was given.
func configuredPrinterSpecs(flags printerSpecFlags) []string {
	if len(flags) > 0 {
		return flags
	}
	if env := strings.TrimSpace(os.Getenv("STATION_PRINTER")); env != "" {
		return []string{env}
	}
	return nil
}

func runPrinters(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("printers", "[-printer SPEC]…")
	var specs printerSpecFlags
	fs.Var(&specs, "printer", "a configured printer `spec` to check, e.g. usb:auto or tcp:192.168.1.50?lang=zpl (repeatable; env STATION_PRINTER)")
	wait := fs.Duration("wait", 5*time.Second, "how long to wait for each printer's status")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}

	if runtime.GOOS == "windows" {
		listWindowsPrinters(ctx, e.Stdout)
	}
	list, err := printer.ListUSB(ctx)
	fmt.Fprintln(e.Stdout, "USB printers:")
	switch {
	case err != nil:
		fmt.Fprintf(e.Stdout, "  cannot look for USB printers: %v\n", err)
	case len(list) == 0:
		fmt.Fprintln(e.Stdout, "  none found (is the printer plugged in and switched on?)")
	default:
		tw := tabwriter.NewWriter(e.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  SPEC\tVENDOR\tPRODUCT\tSERIAL\tBUS.PORT\tLANGUAGE\tNOTE")
		for _, p := range list {
			lang := string(p.Language)
			if lang == "" {
				lang = "? (set lang=)"
			}
			note := ""
			if p.Err != nil {
				note = p.Err.Error()
			} else if p.DeviceID != "" {
				note = "device id: " + p.DeviceID
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Spec, cli.OrDash(p.Vendor()), cli.OrDash(p.Product), cli.OrDash(p.Serial), p.Location(), lang, note)
		}
		tw.Flush()
	}

	configured := configuredPrinterSpecs(specs)
	fmt.Fprintln(e.Stdout, "\nConfigured printers:")
	if len(configured) == 0 {
		fmt.Fprintln(e.Stdout, "  none (give -printer SPEC or set STATION_PRINTER)")
		return nil
	}
	failed := 0
	for _, spec := range configured {
		line, ok := printerStatusLine(ctx, spec, *wait)
		if !ok {
			failed++
		}
		fmt.Fprintf(e.Stdout, "  %s: %s\n", spec, line)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d configured printers are not ready", failed, len(configured))
	}
	return nil
}

// listWindowsPrinters prints the installed Windows printers, the default first.
func listWindowsPrinters(ctx context.Context, w io.Writer) {
	list, err := printer.ListWindows(ctx)
	fmt.Fprintln(w, "Windows printers:")
	switch {
	case err != nil:
		fmt.Fprintf(w, "  cannot list the Windows printers: %v\n", err)
	case len(list) == 0:
		fmt.Fprintln(w, "  none installed (install the label printer with its maker's driver, then look again)")
	default:
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  SPEC\tDRIVER\tPORT\tSTATE\tLANGUAGE")
		for _, p := range list {
			lang := string(p.Language())
			if lang == "" {
				lang = "? (set lang=)"
			}
			spec := say.Plain(p.Spec())
			if p.Default {
				spec += " (default)"
			}
			_, state := winspool.StateOf(p.Info)
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", spec, cli.OrDash(say.Plain(p.Driver)), cli.OrDash(say.Plain(p.Port)), state, lang)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
}

func printerStatusLine(ctx context.Context, spec string, wait time.Duration) (string, bool) {
	p, err := printer.Open(spec)
	if err != nil {
		return err.Error(), false
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	st, err := p.Status(ctx)
	if err != nil {
		return err.Error(), false
	}
	words := st.Message.EN
	if st.Message.ZH != "" && st.Message.ZH != st.Message.EN {
		words += " / " + st.Message.ZH
	}
	if st.Detail != "" {
		words += " (" + st.Detail + ")"
	}
	return words, st.OK()
}
