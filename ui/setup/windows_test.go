package setup

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
	"station/printer/winspool"
	"station/printer/winspool/spooltest"
	"station/settings"
	"station/ui/uitest"
)

// On Windows the printer page offers the printers installed in Windows, the default first
// with the language its driver gives; picking one fills the name and the language, and the
// saved spec prints to it through the spooler.
func TestSettingsPicksAWindowsPrinter(t *testing.T) {
	sp := &spooltest.Spooler{}
	sp.Install(winspool.Info{Name: "Microsoft Print to PDF", Driver: "Microsoft Print To PDF"})
	sp.Install(winspool.Info{Name: "ZDesigner ZD421-203dpi ZPL", Driver: "ZDesigner ZD421-203dpi ZPL", Default: true})
	sp.Install(winspool.Info{Name: "TSC TTP-244 Pro", Driver: "TSC TTP-244 Pro"})
	h := &testHost{Host: uitest.NewHost(t)}
	h.Windows = printer.Opener{Spooler: sp}.ListWindows
	h.open()
	st := h.settings
	tr := h.Tr()
	if !slices.Contains(st.kind.Options, tr.T("pk.win")) || slices.Contains(st.kind.Options, tr.T("pk.cups")) {
		t.Fatalf("printer kinds %q: want Windows printers and no CUPS", st.kind.Options)
	}
	pdfDir := st.target.Text
	st.kind.SetSelected(tr.T("pk.win"))
	if st.target.Text != "" {
		t.Errorf("the PDF folder %q stayed as the Windows printer's name", st.target.Text)
	}
	if !st.findUSB.Visible() || st.findUSB.Text != "列出 Windows 打印机" {
		t.Fatalf("find button %q visible=%v", st.findUSB.Text, st.findUSB.Visible())
	}
	tr.Set(settings.English) // the button follows the window's language
	if st.findUSB.Text != "List Windows printers" {
		t.Errorf("in English the find button says %q", st.findUSB.Text)
	}
	tr.Set(settings.Chinese)
	test.Tap(st.findUSB)
	h.Wait()
	opts := st.usbFound.Options
	if len(opts) != 3 || !strings.HasPrefix(opts[0], "ZDesigner ZD421-203dpi ZPL （默认）") || !strings.Contains(opts[0], "ZPL)") ||
		!strings.Contains(opts[1], "语言请在下面选择") {
		t.Fatalf("offered %q", opts)
	}
	if st.target.Text != "ZDesigner ZD421-203dpi ZPL" || !strings.Contains(st.Note.Text, "3 台") {
		t.Errorf("the default is not picked: target %q, note %q", st.target.Text, st.Note.Text)
	}
	st.usbFound.SetSelected(opts[2])
	if st.target.Text != "TSC TTP-244 Pro" || st.langSel != "tspl" {
		t.Errorf("picked TSC: target %q, language %q", st.target.Text, st.langSel)
	}
	st.kind.SetSelected(tr.T("pk.pdf")) // back and forth: each kind keeps its own target
	if st.target.Text != pdfDir {
		t.Errorf("back on PDF the folder is %q, want %q", st.target.Text, pdfDir)
	}
	st.kind.SetSelected(tr.T("pk.win"))
	if st.target.Text != "TSC TTP-244 Pro" {
		t.Errorf("back on Windows the printer is %q", st.target.Text)
	}
	test.Tap(st.Save)
	h.Wait()
	cfg, err := h.Store().Load()
	if err != nil {
		t.Fatal(err)
	}
	if spec := cfg.Spec(); !strings.HasPrefix(spec, "win:TSC TTP-244 Pro?lang=tspl") {
		t.Fatalf("saved spec %q", spec)
	}
	p, err := printer.Opener{Spooler: sp}.Open(cfg.Spec())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("W1")); err != nil {
		t.Fatal(err)
	}
	if jobs := sp.Jobs(); len(jobs) != 1 || jobs[0].Printer != "TSC TTP-244 Pro" || !slices.Equal(printertest.Scanned(t, raw.TSPL, jobs[0].Data, 203), []string{"W1"}) {
		t.Errorf("jobs %+v", jobs)
	}
}
