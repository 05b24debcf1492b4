package printer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
)

func TestTCPPrints(t *testing.T) {
	printertest.NoLeak(t)
	srv, err := printertest.StartServer(printertest.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, lang := range []raw.Language{raw.ZPL, raw.TSPL, raw.ESCPOS} {
		p := printertest.MustOpen(t, printer.Opener{}, "tcp:"+srv.Addr+"?lang="+string(lang))
		if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("TCP-"+string(lang))); err != nil {
			t.Fatal(err)
		}
	}
	printertest.Eventually(t, "three jobs", func() bool { return len(srv.Jobs()) == 3 })
	for i, lang := range []raw.Language{raw.ZPL, raw.TSPL, raw.ESCPOS} {
		if got := printertest.Scanned(t, lang, srv.Jobs()[i], 203); !slices.Equal(got, []string{"TCP-" + string(lang)}) {
			t.Errorf("%s: printer got %v", lang, got)
		}
	}
}

func TestTCPRefused(t *testing.T) {
	addr, err := printertest.ClosedAddr()
	if err != nil {
		t.Fatal(err)
	}
	p := printertest.MustOpen(t, printer.Opener{}, "tcp:"+addr+"?lang=zpl&timeout=2s")
	start := time.Now()
	err = p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X"))
	pe := wantErr(t, err, printer.KindRefused, printer.SentNone)
	if time.Since(start) > time.Second {
		t.Errorf("refusal took %v", time.Since(start))
	}
	if !strings.Contains(pe.Error(), "refused") {
		t.Errorf("message %q", pe)
	}
	if !printer.Retryable(err) {
		t.Error("a refused label (never started) is not retryable")
	}
	if _, err := p.Status(printertest.Ctx(t, 5*time.Second)); printer.KindOf(err) != printer.KindRefused {
		t.Errorf("status of a refusing printer: %v", err)
	}
}

func TestTCPStalledWithinTheDeadline(t *testing.T) {
	printertest.NoLeak(t)
	srv, err := printertest.StartServer(printertest.ServerOptions{Mode: printertest.Stall})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// ZPL is small enough to sit in the socket buffers: the stall shows as bytes never
	// acknowledged. ESC/POS is big: the write itself blocks.
	for _, lang := range []string{"zpl", "escpos"} {
		p := printertest.MustOpen(t, printer.Opener{}, "tcp:"+srv.Addr+"?lang="+lang+"&timeout=300ms")
		start := time.Now()
		err := p.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("X"))
		pe := wantErr(t, err, printer.KindTimeout, printer.SentPartial)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: stall noticed after %v", lang, d)
		}
		if pe.Bytes >= pe.Total || printer.Retryable(err) {
			t.Errorf("%s: %d of %d bytes, retryable %v", lang, pe.Bytes, pe.Total, printer.Retryable(err))
		}
	}
}

func TestTCPDropped(t *testing.T) {
	printertest.NoLeak(t)
	srv, err := printertest.StartServer(printertest.ServerOptions{Mode: printertest.Drop, DropAfter: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p := printertest.MustOpen(t, printer.Opener{}, "tcp:"+srv.Addr+"?lang=escpos&timeout=2s")
	err = p.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("X"))
	pe := wantErr(t, err, printer.KindDropped, printer.SentPartial)
	if !strings.Contains(pe.Error(), "check the printer before printing it again") {
		t.Errorf("message %q", pe)
	}
}

func TestTCPStatus(t *testing.T) {
	hs := printertest.HostStatus
	var reply []byte
	srv, err := printertest.StartServer(printertest.ServerOptions{Status: func(q []byte) []byte {
		switch string(q) {
		case "~HS":
			return reply
		case "\x1b!?":
			return []byte{0x01}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	zpl := printertest.MustOpen(t, printer.Opener{}, "tcp:"+srv.Addr+"?lang=zpl")
	for _, c := range []struct {
		reply []byte
		state printer.State
	}{
		{hs(false, false, false), printer.StateReady},
		{hs(true, false, false), printer.StatePaperOut},
		{hs(false, true, false), printer.StatePaused},
		{hs(false, false, true), printer.StateHeadOpen},
		{[]byte("garbage"), printer.StateUnknown},
	} {
		reply = c.reply
		st, err := zpl.Status(printertest.Ctx(t, 5*time.Second))
		if err != nil || st.State != c.state {
			t.Errorf("~HS %q: %v, %v; want %v", c.reply, st, err, c.state)
		}
	}
	tspl := printertest.MustOpen(t, printer.Opener{}, "tcp:"+srv.Addr+"?lang=tspl")
	if st, err := tspl.Status(printertest.Ctx(t, 5*time.Second)); err != nil || st.State != printer.StateHeadOpen || st.Message.ZH == "" {
		t.Errorf("TSPL status: %+v, %v", st, err)
	}
	// Without a language, nothing is sent: the printer could take a query for label data.
	auto := printertest.MustOpen(t, printer.Opener{}, "tcp:"+srv.Addr)
	if st, err := auto.Status(printertest.Ctx(t, 5*time.Second)); err != nil || st.State != printer.StateUnknown || !st.OK() {
		t.Errorf("status without a language: %+v, %v", st, err)
	}
}

// A network printer whose language has a status query is asked before each label: one that
// says it is out of paper, paused or open gets nothing (SentNone: a queue holds the label); a
// ready one gets the label; one that never answers is asked once, not before every label.
func TestTCPAsksBeforeEachLabel(t *testing.T) {
	var mu sync.Mutex
	reply := printertest.HostStatus(true, false, false)
	answering, err := printertest.StartServer(printertest.ServerOptions{Status: func(q []byte) []byte {
		mu.Lock()
		defer mu.Unlock()
		if string(q) == "~HS" {
			return reply
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer answering.Close()
	p := printertest.MustOpen(t, printer.Opener{}, "tcp:"+answering.Addr+"?lang=zpl&timeout=2s")
	for _, c := range []struct {
		reply []byte
		kind  printer.Kind
	}{
		{printertest.HostStatus(true, false, false), printer.KindPaperOut},
		{printertest.HostStatus(false, true, false), printer.KindOffline},
		{printertest.HostStatus(false, false, true), printer.KindHeadOpen},
	} {
		mu.Lock()
		reply = c.reply
		mu.Unlock()
		err := p.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("HELD"))
		pe := wantErr(t, err, c.kind, printer.SentNone)
		if !printer.Away(err) || !strings.Contains(pe.Error(), "nothing was sent") {
			t.Errorf("%v: away %v, message %q", c.kind, printer.Away(err), pe)
		}
	}
	if n := len(answering.Jobs()); n != 0 {
		t.Fatalf("%d jobs sent to a printer that said it could not print", n)
	}
	mu.Lock()
	reply = printertest.HostStatus(false, false, false)
	mu.Unlock()
	if err := p.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob("READY")); err != nil {
		t.Fatal(err)
	}
	if jobs := answering.Jobs(); len(jobs) != 1 || !strings.Contains(string(jobs[0]), "READY") {
		t.Fatalf("jobs %q", jobs)
	}

	silent, err := printertest.StartServer(printertest.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	q := printertest.MustOpen(t, printer.Opener{}, "tcp:"+silent.Addr+"?lang=zpl&timeout=300ms")
	for _, c := range []string{"S1", "S2", "S3"} {
		if err := q.Print(printertest.Ctx(t, 10*time.Second), printertest.LabelJob(c)); err != nil {
			t.Fatal(err)
		}
	}
	printertest.Eventually(t, "three labels", func() bool { return len(silent.Jobs()) == 3 })
	if n := silent.Connections(); n != 4 {
		t.Errorf("%d connections for three labels to a printer that does not answer ~HS, want 4 (one question)", n)
	}
}

func TestFilePrinter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.zpl")
	os.WriteFile(path, []byte("old content"), 0o644)
	p := printertest.MustOpen(t, printer.Opener{}, "file:"+path+"?lang=zpl")
	for _, c := range []string{"F1", "F2"} {
		if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob(c)); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(path)
	if got := printertest.Scanned(t, raw.ZPL, data, 203); !slices.Equal(got, []string{"F1", "F2"}) {
		t.Errorf("file holds %v", got)
	}
	if st, err := p.Status(printertest.Ctx(t, time.Second)); err != nil || !st.OK() {
		t.Errorf("status %v %v", st, err)
	}
	// A missing device node is an unplugged printer, and is never created.
	dev := printertest.MustOpen(t, printer.Opener{}, "file:/dev/usb/lp-station-test-missing?lang=zpl")
	err := dev.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X"))
	wantErr(t, err, printer.KindNotFound, printer.SentNone)
	if _, err := os.Stat("/dev/usb/lp-station-test-missing"); !errors.Is(err, os.ErrNotExist) {
		t.Error("the device node was created")
	}
	if _, err := dev.Status(printertest.Ctx(t, time.Second)); printer.KindOf(err) != printer.KindNotFound {
		t.Errorf("status of a missing device: %v", err)
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o500)
		p := printertest.MustOpen(t, printer.Opener{}, "file:"+filepath.Join(ro, "x.zpl")+"?lang=zpl")
		wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindPermission, printer.SentNone)
	}
}

func TestCUPSPrinter(t *testing.T) {
	dir := t.TempDir()
	lp := filepath.Join(dir, "lp")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + dir + "/args\ncat > " + dir + "/data\n"
	if err := os.WriteFile(lp, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	p := printertest.MustOpen(t, printer.Opener{LP: lp}, "cups:Zebra_1?lang=zpl")
	if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("C1/../\"x")); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	if string(args) != "-d\nZebra_1\n-o\nraw\n-t\nC1_____x\n" {
		t.Errorf("lp arguments:\n%s", args)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "data"))
	if got := printertest.Scanned(t, raw.ZPL, data, 203); !slices.Equal(got, []string{"C1/../\"x"}) {
		t.Errorf("lp got %v", got)
	}

	// lp refusing: nothing was queued.
	bad := filepath.Join(dir, "lp-bad")
	os.WriteFile(bad, []byte("#!/bin/sh\ncat >/dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n"), 0o755)
	p = printertest.MustOpen(t, printer.Opener{LP: bad}, "cups:Nope?lang=zpl")
	pe := wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindBadSpec, printer.SentNone)
	if !strings.Contains(pe.Error(), "no queue named Nope") {
		t.Errorf("message %q", pe)
	}

	// lp hanging: whether CUPS queued the label is unknown.
	slow := filepath.Join(dir, "lp-slow")
	os.WriteFile(slow, []byte("#!/bin/sh\nexec sleep 5\n"), 0o755)
	p = printertest.MustOpen(t, printer.Opener{LP: slow}, "cups:Q?lang=zpl&timeout=200ms")
	start := time.Now()
	wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindTimeout, printer.SentPartial)
	if time.Since(start) > 3*time.Second {
		t.Errorf("lp timeout took %v", time.Since(start))
	}

	// No lp at all.
	t.Setenv("PATH", t.TempDir())
	p = printertest.MustOpen(t, printer.Opener{}, "cups:Q?lang=zpl")
	pe = wantErr(t, p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("X")), printer.KindUnsupported, printer.SentNone)
	if !strings.Contains(pe.Error(), "cups-client") {
		t.Errorf("message %q", pe)
	}
}

func TestPDFPrinter(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2025, 3, 4, 5, 6, 7, 890e6, time.UTC)
	o := printer.Opener{Now: func() time.Time { return now }}
	p := printertest.MustOpen(t, o, "pdf:"+dir)
	for range 2 {
		if err := p.Print(printertest.Ctx(t, 5*time.Second), printertest.LabelJob("../../etc/JD 1")); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"______etc_JD_1-20250304-050607-890-2.pdf", "______etc_JD_1-20250304-050607-890.pdf"}
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v (and no temporary files)", names, want)
	}
	data, _ := os.ReadFile(filepath.Join(dir, want[1]))
	if !bytes.HasPrefix(data, []byte("%PDF-1.4 label ../../etc/JD 1")) {
		t.Errorf("file content %q", data)
	}
	if st, err := p.Status(printertest.Ctx(t, time.Second)); err != nil || st.State != printer.StateReady {
		t.Errorf("status %v %v", st, err)
	}
	failing := printertest.LabelJob("X")
	failing.PDF = func(w io.Writer) error { w.Write([]byte("%PDF half")); return errors.New("font missing") }
	wantErr(t, p.Print(printertest.Ctx(t, time.Second), failing), printer.KindBadJob, printer.SentNone)
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("a failed PDF left a file: %d entries", len(entries))
	}
	missing := printertest.MustOpen(t, o, "pdf:"+filepath.Join(dir, "nope"))
	wantErr(t, missing.Print(printertest.Ctx(t, time.Second), printertest.LabelJob("X")), printer.KindNotFound, printer.SentNone)
}

func TestClosedPrinter(t *testing.T) {
	p, _ := printer.Open("file:" + filepath.Join(t.TempDir(), "x") + "?lang=zpl")
	p.Close()
	wantErr(t, p.Print(context.Background(), printertest.LabelJob("X")), printer.KindClosed, printer.SentNone)
}

// TestFilePrinterFIFO: a file: printer on a FIFO nobody reads gives up after its timeout with
// nothing sent, instead of blocking in open forever; Ctrl+C (ctx) ends the wait at once; and a
// reader that comes within the timeout gets the label.
