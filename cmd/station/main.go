// Command station is the JD waybill station: the window by default, and subcommands for the CLI.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"station/internal/quietlocale"
)

// command is one subcommand. run gets the arguments after the command's name; the global flags
// are registered on its flag set too, so they may come before or after the name.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// commands is filled by each cmd_*.go file's init, so that a subcommand lives in one file.
var commands = map[string]command{}

// env is what every command shares: the global settings and the output streams.
type env struct {
	g      globals
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func main() {
	quietlocale.Restore()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	e.g.fromEnv()
	top := flag.NewFlagSet("station", flag.ContinueOnError)
	top.SetOutput(stderr)
	e.g.register(top)
	top.Usage = func() { usage(stderr, top) }
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	name, rest := "gui", top.Args()
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "station: unknown command %q; run 'station -h' for the list\n", name)
		return 2
	}
	if err := cmd.run(ctx, e, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "station %s: %s\n", name, ue.msg)
			return 2
		}
		fmt.Fprintf(stderr, "station %s: %s\n", name, describe(err))
		return 1
	}
	return 0
}

// usageError is a mistake in the command line itself (exit status 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// newFlags makes a subcommand's flag set with the global flags on it.
func (e *env) newFlags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("station "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	e.g.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: station %s %s\n\n%s\n\nflags:\n", name, args, commands[name].summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses a subcommand's flags and refuses leftover arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func usage(w io.Writer, top *flag.FlagSet) {
	fmt.Fprintln(w, "usage: station [global flags] [command] [flags]")
	fmt.Fprintln(w, "\nWith no command, station opens the station window.\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, strings.SplitN(commands[n].summary, "\n", 2)[0])
	}
	fmt.Fprintln(w, "\nglobal flags (also accepted after the command):")
	top.PrintDefaults()
}
