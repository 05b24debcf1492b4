// Command station is the JD waybill station: the window by default, and subcommands for the CLI.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"station/internal/cli"
	_ "station/internal/cli/afscmd"     // afs (the after-sales desk)
	_ "station/internal/cli/jd"         // orders, carriers, fetch, preview, sim, printers, test-print
	_ "station/internal/cli/journalcmd" // history, reprint
	_ "station/internal/cli/ordercmd"   // remark, delete-apply, delete-cancel, track, jd-label
	_ "station/internal/cli/packing"    // products, scales, shift
	_ "station/internal/cli/scancmd"    // scan
	_ "station/internal/cli/warehouse"  // board
	"station/internal/console"
	"station/internal/quietlocale"
)

func main() {
	quietlocale.Restore()
	restoreConsole := console.UTF8()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	restoreConsole()
	os.Exit(code)
}

// run is the command line, for the tests.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Run(ctx, args, stdin, stdout, stderr)
}
