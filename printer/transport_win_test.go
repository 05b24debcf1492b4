package printer_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
	"station/printer/winspool"
	"station/printer/winspool/spooltest"
)

func windowsPrinters() *spooltest.Spooler {
	sp := &spooltest.Spooler{}
	sp.Install(winspool.Info{Name: "Microsoft Print to PDF", Driver: "Microsoft Print To PDF", Port: "PORTPROMPT:"})
	sp.Install(winspool.Info{Name: "ZDesigner ZD421-203dpi ZPL", Driver: "ZDesigner ZD421-203dpi ZPL", Port: "USB001", Default: true})
	sp.Install(winspool.Info{Name: "TSC TTP-244 Pro", Driver: "TSC TTP-244 Pro", Port: "USB002"})
	sp.Install(winspool.Info{Name: "Label", Driver: "Generic / Text Only", Port: "USB003"})
	return sp
}

// A win: printer gets the label as one RAW job named after the order, in the language its
// driver's name gives.
func TestWindowsPrinterPrintsRaw(t *testing.T) {
	sp := windowsPrinters()
	o := printer.Opener{Spooler: sp}
	ctx := printertest.Ctx(t, 10*time.Second)
	for _, c := range []struct {
		spec string
		lang raw.Language
	}{
		{"win:ZDesigner ZD421-203dpi ZPL", raw.ZPL},
		{"win:TSC TTP-244 Pro", raw.TSPL},
		{"win:Label?lang=tspl", raw.TSPL}, // a driver that does not say: the spec does
	} {
		before := len(sp.Jobs())
		p := printertest.MustOpen(t, o, c.spec)
		if err := p.Print(ctx, printertest.LabelJob("2449910\x1b[31m89335")); err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		jobs := sp.Jobs()
		if len(jobs) != before+1 {
			t.Fatalf("%s: %d jobs, want one more than %d", c.spec, len(jobs), before)
		}
		j := jobs[len(jobs)-1]
		if !j.Complete || j.Doc != "2449910[31m89335" {
			t.Errorf("%s: job %q complete=%v", c.spec, j.Doc, j.Complete)
		}
		if got := printertest.Scanned(t, c.lang, j.Data, 203); !slices.Equal(got, []string{"2449910\x1b[31m89335"}) {
			t.Errorf("%s: the %s job scans as %v", c.spec, c.lang, got)
		}
	}
}

// A driver whose name does not say the language is not guessed at: nothing is queued, and the
// message says what to set.
func TestWindowsPrinterAsksForTheLanguage(t *testing.T) {
	sp := windowsPrinters()
	p := printertest.MustOpen(t, printer.Opener{Spooler: sp}, "win:Label")
	pe := wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X1")), printer.KindBadSpec, printer.SentNone)
	if !strings.Contains(pe.Error(), "Generic / Text Only") || !strings.Contains(pe.Error(), "lang=tspl") {
		t.Errorf("message %q", pe)
	}
	if n := len(sp.Jobs()); n != 0 {
		t.Errorf("%d jobs queued", n)
	}
}

// Spooler failures: before the job exists nothing is sent (the label may go again); once the
// spooler has it, the label counts as sent and a person looks before it is printed again.
func TestWindowsPrinterFailures(t *testing.T) {
	ctx := printertest.Ctx(t, 10*time.Second)
	const zebra = "win:ZDesigner ZD421-203dpi ZPL"
	for _, c := range []struct {
		name   string
		spec   string
		setup  func(*spooltest.Spooler)
		kind   printer.Kind
		sent   printer.Sent
		says   string
		queued int
	}{
		{"no such printer", "win:Zebra?lang=zpl", nil, printer.KindNotFound, printer.SentNone, "no printer named", 0},
		{"access denied", zebra, func(s *spooltest.Spooler) { s.Fail(spooltest.Open, winspool.ErrorAccessDenied) }, printer.KindPermission, printer.SentNone, "does not let this user", 0},
		{"spooler stopped", zebra, func(s *spooltest.Spooler) { s.Fail(spooltest.StartDoc, winspool.ErrorServiceUnavailable) }, printer.KindNotFound, printer.SentNone, "Print Spooler", 0},
		{"no RAW", zebra, func(s *spooltest.Spooler) { s.Fail(spooltest.StartDoc, winspool.ErrorInvalidDatatype) }, printer.KindBadSpec, printer.SentNone, "RAW data type", 0},
		{"paused", zebra, func(s *spooltest.Spooler) { s.SetStatus("ZDesigner ZD421-203dpi ZPL", winspool.StatusPaused) }, printer.KindOffline, printer.SentNone, "paused", 0},
		{"offline", zebra, func(s *spooltest.Spooler) { s.SetStatus("ZDesigner ZD421-203dpi ZPL", winspool.StatusOffline) }, printer.KindOffline, printer.SentNone, "off-line", 0},
		{"paper out", zebra, func(s *spooltest.Spooler) { s.SetStatus("ZDesigner ZD421-203dpi ZPL", winspool.StatusPaperOut) }, printer.KindPaperOut, printer.SentNone, "out of paper", 0},
		{"write fails at once", zebra, func(s *spooltest.Spooler) { s.Fail(spooltest.Write, winspool.ErrorNotReady) }, printer.KindOffline, printer.SentNone, "not ready", 0},
		{"write fails midway", zebra, func(s *spooltest.Spooler) { s.WriteLimit = 100 }, printer.KindOffline, printer.SentPartial, "100 of", 1},
		{"end fails", zebra, func(s *spooltest.Spooler) { s.Fail(spooltest.EndDoc, winspool.ErrorPrintCancelled) }, printer.KindCanceled, printer.SentAll, "look at the printer", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			sp := windowsPrinters()
			if c.setup != nil {
				c.setup(sp)
			}
			p := printertest.MustOpen(t, printer.Opener{Spooler: sp}, c.spec)
			pe := wantErr(t, p.Print(ctx, printertest.LabelJob("E1")), c.kind, c.sent)
			if !strings.Contains(pe.Error(), c.says) {
				t.Errorf("message %q does not say %q", pe, c.says)
			}
			if n := len(sp.Jobs()); n != c.queued {
				t.Errorf("%d jobs in the queue, want %d", n, c.queued)
			}
		})
	}
}

// station printers and the settings offer the installed printers, the default first, with the
// language their driver gives.
func TestListWindowsPrinters(t *testing.T) {
	list, err := printer.Opener{Spooler: windowsPrinters()}.ListWindows(printertest.Ctx(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range list {
		got = append(got, p.Spec()+"="+string(p.Language()))
	}
	want := []string{"win:ZDesigner ZD421-203dpi ZPL=zpl", "win:Label=", "win:Microsoft Print to PDF=", "win:TSC TTP-244 Pro=tspl"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestWindowsPrinterStatus(t *testing.T) {
	sp := windowsPrinters()
	p := printertest.MustOpen(t, printer.Opener{Spooler: sp}, "win:TSC TTP-244 Pro")
	ctx := printertest.Ctx(t, 5*time.Second)
	if st, err := p.Status(ctx); err != nil || st.State != printer.StateReady {
		t.Errorf("status %v, %v", st, err)
	}
	sp.SetStatus("TSC TTP-244 Pro", winspool.StatusDoorOpen)
	if st, err := p.Status(ctx); err != nil || st.State != printer.StateHeadOpen {
		t.Errorf("door open: status %v, %v", st, err)
	}
}
