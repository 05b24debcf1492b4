package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"station/fulfill"
	"station/journal"
	"station/printdata"
	"station/printer"
	"station/render"
)

// openJournal opens the journal -journal names, or the default one. With -demo and no -journal
// a temporary journal is used (the demo's orders are not the shop's) and stderr says where.
func (e *env) openJournal(ctx context.Context) (journal.Store, error) {
	path := strings.TrimSpace(e.g.journal)
	if path == "" && e.g.demo {
		dir, err := os.MkdirTemp("", "station-demo-")
		if err != nil {
			return nil, fmt.Errorf("creating a temporary journal for -demo: %w", err)
		}
		path = filepath.Join(dir, "journal.db")
		fmt.Fprintf(e.stderr, "station: -demo without -journal: using a temporary journal at %s\n", path)
	}
	if path == "" {
		var err error
		if path, err = journal.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return journal.OpenSQLite(ctx, path)
}

// stationSetup is what a command asks of the station it opens.
type stationSetup struct {
	printer     string // printer spec; "" = none
	label       render.Options
	defaults    map[printdata.OrderType]string
	concurrency int
}

// openStation connects to JOS, opens the journal and the printer and starts a Station (which
// first settles what an earlier run left unsettled, and says so on stderr). close releases all.
func (e *env) openStation(ctx context.Context, s stationSetup) (st *fulfill.Station, closeAll func(), err error) {
	var p printer.Printer
	if s.printer != "" {
		if p, err = printer.Open(s.printer); err != nil {
			return nil, nil, usagef("-printer: %v", err)
		}
	}
	c, closeSim, err := e.connect()
	if err != nil {
		if p != nil {
			p.Close()
		}
		return nil, nil, err
	}
	j, err := e.openJournal(ctx)
	if err != nil {
		closeSim()
		if p != nil {
			p.Close()
		}
		return nil, nil, err
	}
	st, err = fulfill.NewStation(ctx, fulfill.StationConfig{Client: c, Journal: j, Printer: p, Label: s.label,
		Defaults: s.defaults, Concurrency: s.concurrency,
		Logger: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		j.Close()
		closeSim()
		if p != nil {
			p.Close()
		}
		return nil, nil, err
	}
	results, rerr := st.Recovered()
	for _, r := range results {
		switch r.State {
		case journal.StateShipped:
			fmt.Fprintf(e.stderr, "station: order %s, left unsettled by an earlier run, is shipped (JD confirms)\n", r.OrderID)
		case journal.StateFailed:
			fmt.Fprintf(e.stderr, "station: order %s, left unsettled by an earlier run, was not shipped: %s\n", r.OrderID, r.Reason)
		}
	}
	if rerr != nil {
		fmt.Fprintf(e.stderr, "station: some orders left unsettled by an earlier run are still unsettled (they are checked with JD before shipping): %v\n", rerr)
	}
	return st, func() { st.Close(); closeSim() }, nil
}

// printerSpec is the printer of -printer SPEC or -o DIR (PDF files into DIR), checked.
func printerSpec(spec, outDir string) (string, error) {
	spec, outDir = strings.TrimSpace(spec), strings.TrimSpace(outDir)
	switch {
	case spec != "" && outDir != "":
		return "", usagef("give -printer or -o, not both")
	case outDir != "":
		return "pdf:" + outDir, nil
	}
	if spec != "" {
		if _, err := printer.ParseSpec(spec); err != nil {
			return "", usagef("-printer: %v", err)
		}
	}
	return spec, nil
}

// logisticsFlag checks a carrier id given on the command line.
func logisticsFlag(name, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !isDigits(v) {
		return "", usagef("%s %q: give the carrier's numeric logistics id (see the shop's carrier list), or 0 for LBP/SOPL", name, v)
	}
	return v, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// message prints a fulfill.Message as two lines: Chinese, then English.
func message(m fulfill.Message) string {
	switch {
	case m.ZH == "":
		return m.EN
	case m.EN == "":
		return m.ZH
	}
	return m.ZH + "\n  " + m.EN
}
