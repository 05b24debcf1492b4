package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"station/internal/app"
	"station/internal/ascii"
	"station/journal"
	"station/listing"
	"station/printdata"
	"station/printer/spec"
	"station/render"
	"station/say"
)

// OpenJournal opens the journal of the settings and flags (with -demo and no -journal a
// temporary one, and stderr says where). cleanup removes a temporary journal.
func (e *Env) OpenJournal(ctx context.Context) (journal.Store, func(), error) {
	r, err := e.Request()
	if err != nil {
		return nil, nil, err
	}
	r.OnJournalWait = e.sayJournalWait
	j, cleanup, err := app.OpenJournal(ctx, r)
	if err == nil && r.Flags.Demo && r.Flags.Journal == "" {
		fmt.Fprintf(e.Stderr, "station: -demo without -journal: using a temporary journal at %s\n", j.Where())
	}
	return j, cleanup, err
}

// StationSetup is what a command asks of the station it opens.
type StationSetup struct {
	Printer string // printer spec; "" = none, unless FromSettings
	// FromSettings prints to the saved settings' printer when Printer is "".
	FromSettings bool
	Label        LabelChoice // over the settings' label options
	Defaults     map[printdata.OrderType]string
	Concurrency  int
}

// OpenStation opens the station of the settings and flags (app.Open), which first settles what
// an earlier run left unsettled, and says so on stderr. closeAll releases all.
func (e *Env) OpenStation(ctx context.Context, s StationSetup) (st *app.Station, closeAll func(), err error) {
	r, err := e.Request()
	if err != nil {
		return nil, nil, err
	}
	base, err := app.LabelOptions(r.Settings, r.Flags.Demo)
	if err != nil {
		return nil, nil, err
	}
	label := s.Label.over(base)
	r.Printer, r.PrinterFromSettings, r.Label, r.Carriers, r.Concurrency = s.Printer, s.FromSettings, &label, s.Defaults, s.Concurrency
	r.Logger = slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	r.OnRateCut = e.sayRateCut
	r.OnJournalWait = e.sayJournalWait
	if s.Printer != "" {
		if _, err := spec.Parse(s.Printer); err != nil {
			return nil, nil, Usagef("-printer: %v", err)
		}
	}
	st, err = app.Open(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	if st.TempJournal {
		fmt.Fprintf(e.Stderr, "station: -demo without -journal: using a temporary journal at %s\n", st.JournalPath)
	}
	results, rerr := st.Recovered()
	for _, line := range app.Describe(results) {
		fmt.Fprintln(e.Stderr, "station: "+line)
	}
	if rerr != nil {
		fmt.Fprintf(e.Stderr, "station: some orders left unsettled by an earlier run are still unsettled (they are checked with JD before shipping): %v\n", rerr)
	}
	return st, func() { st.Close() }, nil
}

// printerSpec is the printer of -printer SPEC or -o DIR (PDF files into DIR), checked.
func PrinterSpec(text, outDir string) (string, error) {
	text, outDir = strings.TrimSpace(text), strings.TrimSpace(outDir)
	switch {
	case text != "" && outDir != "":
		return "", Usagef("give -printer or -o, not both")
	case outDir != "":
		return "pdf:" + outDir, nil
	}
	if text != "" {
		if _, err := spec.Parse(text); err != nil {
			return "", Usagef("-printer: %v", err)
		}
	}
	return text, nil
}

// logisticsFlag checks a carrier id given on the command line.
func LogisticsFlag(name, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !ascii.Digits(v) {
		return "", Usagef("%s %q: give the carrier's numeric logistics id (see the shop's carrier list), or 0 for LBP/SOPL", name, v)
	}
	return v, nil
}

// LabelOptions are the saved settings' label options with the command line's over them.
func (e *Env) LabelOptions(c LabelChoice) (render.Options, error) {
	r, err := e.Request()
	if err != nil {
		return render.Options{}, err
	}
	base, err := app.LabelOptions(r.Settings, r.Flags.Demo)
	if err != nil {
		return render.Options{}, err
	}
	return c.over(base), nil
}

// sayRateCut tells the terminal that JD refused calls for its quota and the station slowed
// down: a batch then takes longer, and nothing fails because of it. Once per 10 seconds at
// most, as the rate saws up and down under a quota.
func (e *Env) sayRateCut(perSecond float64) {
	e.rateSaid.Lock()
	defer e.rateSaid.Unlock()
	if now := time.Now(); now.Sub(e.rateSaidAt) >= 10*time.Second {
		e.rateSaidAt = now
		n := strconv.FormatFloat(perSecond, 'f', 1, 64)
		fmt.Fprintf(e.Stderr, "station: 京东限流：已降至 %s 次/秒 / JD is limiting calls: slowed down to %s calls/s\n", n, n)
	}
}

// sayJournalWait tells the terminal that the warehouse's journal database went away (the
// station waits for it: nothing is printed or shipped meanwhile) and came back.
func (e *Env) sayJournalWait(err error) {
	if err != nil {
		fmt.Fprintf(e.Stderr, "station: 共享日志数据库无响应，等待中（不打印、不发货）/ the journal database does not answer: waiting (nothing is printed or shipped meanwhile): %s\n",
			say.Safe(err.Error()))
		return
	}
	fmt.Fprintln(e.Stderr, "station: 共享日志数据库已恢复 / the journal database answers again")
}

// ListingProgress shows a long listing of JD's orders on stderr: redrawn in place on a
// terminal, otherwise a line at each further window of JD's (5,000 orders), so that a listing
// JD serves in one search prints nothing. done ends the display.
func (e *Env) ListingProgress() (report func(listing.Progress), done func()) {
	terminal := IsTerminal(e.Stderr)
	var lastDraw time.Time
	var lastLine int
	drawn := false
	report = func(p listing.Progress) {
		text := fmt.Sprintf("正在列出订单：已列 %d 单，约 %d 单 / listing orders: %d of about %d", p.Listed, p.Expected, p.Listed, p.Expected)
		switch {
		case terminal:
			if time.Since(lastDraw) >= 100*time.Millisecond {
				lastDraw, drawn = time.Now(), true
				fmt.Fprintf(e.Stderr, "\r\033[K%s", text)
			}
		case p.Listed/printdata.SearchWindow > lastLine:
			lastLine = p.Listed / printdata.SearchWindow
			fmt.Fprintf(e.Stderr, "station: %s\n", text)
		}
	}
	done = func() {
		if drawn {
			fmt.Fprint(e.Stderr, "\r\033[K")
		}
	}
	return report, done
}

// isTerminal says whether f (a stream) is a terminal, where a line may be redrawn in place.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
