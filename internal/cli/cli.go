// Package cli is the station's command line: the subcommands over internal/app and the
// workflows, their flags (over the saved settings), and what they print. Subcommands register
// themselves (Register); Run picks one.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"station/internal/app"
	"strings"
	"sync"
	"time"
)

// command is one subcommand. run gets the arguments after the command's name; the global flags
// are registered on its flag set too, so they may come before or after the name.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands is filled by each cmd_*.go file's init, so that a subcommand lives in one file.
var commands = map[string]command{}

// DefaultCommand runs when no command is named.
const DefaultCommand = "gui"

// Env is what every command shares: the global settings and the streams.
type Env struct {
	g      globals
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	rateSaid   sync.Mutex // guards rateSaidAt
	rateSaidAt time.Time  // when the last slow-down for JD's quota was told
}

// Flags are the global flags and STATION_* variables as given.
func (e *Env) Flags() app.Flags { return e.g.flags }

// ConfigDir is the settings directory given (-config, STATION_CONFIG; "" = the default).
func (e *Env) ConfigDir() string { return e.g.config }

// Command is one subcommand: what it does (the first line of Summary is the list's), and how.
type Command struct {
	Summary string
	Run     func(ctx context.Context, e *Env, args []string) error
}

// Register adds a subcommand; every package of subcommands calls it from init.
func Register(name string, c Command) { commands[name] = command{summary: c.Summary, run: c.Run} }

// Run runs the command line args (without the program name) and returns the exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
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
	name, rest := DefaultCommand, top.Args()
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

func Usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// NewFlags makes a subcommand's flag set with the global flags on it.
func (e *Env) NewFlags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("station "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	e.g.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "usage: station %s %s\n\n%s\n\nflags:\n", name, args, commands[name].summary)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses a subcommand's flags and refuses leftover arguments.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
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
