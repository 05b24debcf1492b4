package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
	"sync"
	"time"

	"station/internal/geom"
	"station/printer/raw"
	"station/printer/spec"
	"station/printer/usb"
	"station/printer/winspool"
	"station/say"
)

// Job is one label to print. The printer package does not know how labels are drawn: the job
// carries functions that draw it.
type Job struct {
	Name              string // e.g. the order id (for logs and file names)
	Copies            int    // 0 counts as 1
	WidthMM, HeightMM float64
	Raster            func(dpi int) (image.Image, error) // the label at the printer's resolution
	PDF               func(w io.Writer) error            // the label as a one-page PDF (pdf: printers)
}

// Printer prints labels.
type Printer interface {
	// Print sends job to the printer. A failure is an *Error whose Sent says whether any of the
	// label reached the device.
	Print(ctx context.Context, job Job) error
	// Status asks the printer how it is. An error means it could not be reached.
	Status(ctx context.Context) (Status, error)
	Close() error
	Spec() string
}

// Prepared is a job turned into the bytes its printer takes.
type Prepared struct {
	Job  Job
	Lang raw.Language // "" for pdf: printers
	Data []byte
	by   *printer
}

// Preparer is implemented by the printers Open returns: Print split in two, so that a queue
// can draw and encode the next label while the current one is being sent.
type Preparer interface {
	Prepare(ctx context.Context, job Job) (*Prepared, error)
	Send(ctx context.Context, p *Prepared) error
}

// State is a printer's condition as far as it tells.
type State int

const (
	StateUnknown   State = iota // reachable, but it does not say more
	StateReady                  // it says it is ready
	StatePaused                 // paused or off-line
	StatePaperOut               // out of labels
	StateHeadOpen               // print head open
	StateRibbonOut              // out of ribbon
	StateError                  // some other error (jam, overheating, …)
)

var stateNames = [...]string{"unknown", "ready", "paused", "paper-out", "head-open", "ribbon-out", "error"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Status is what a printer says about itself, in plain words.
type Status struct {
	State   State
	Message say.Text // e.g. 缺纸 / out of paper
	Detail  string   // what the printer actually answered, e.g. "port status 0x38"
}

// OK reports whether labels can be sent: the printer is ready or does not say otherwise.
func (s Status) OK() bool { return s.State == StateReady || s.State == StateUnknown }

// Kind is the error kind matching the state (KindOther when OK).
func (s Status) Kind() Kind {
	switch s.State {
	case StatePaused:
		return KindOffline
	case StatePaperOut:
		return KindPaperOut
	case StateHeadOpen:
		return KindHeadOpen
	case StateRibbonOut, StateError:
		return KindPrinterError
	}
	return KindOther
}

func (s Status) String() string {
	out := s.Message.EN
	if out == "" {
		out = s.State.String()
	}
	if s.Detail != "" {
		out += " (" + s.Detail + ")"
	}
	return out
}

// transport moves prepared bytes to a device.
type transport interface {
	// language is the printer language the device says it speaks, "" when it cannot tell.
	language(ctx context.Context) (raw.Language, error)
	// send delivers one label. n is how many bytes are known to have reached the device. An
	// error is an *Error with Kind and Msg; its Sent is set when n alone cannot tell.
	send(ctx context.Context, name string, data []byte) (n int, err error)
	status(ctx context.Context, lang raw.Language) (Status, error)
	close() error
}

// Opener opens printers. Its zero value uses the real system: libusb, the network, lp, the
// Windows spooler.
type Opener struct {
	USB     usb.Host         // nil: usb.System
	Spooler winspool.Spooler // nil: winspool.System (Windows printers)
	LP      string           // the lp command; "": "lp" from PATH
	Now     func() time.Time // nil: time.Now (PDF file names)
}

// Open opens the printer a spec names (see package spec). It does not talk to the device yet:
// a printer that is switched off can be opened, and its first job says what is wrong.
func Open(spec string) (Printer, error) { return Opener{}.Open(spec) }

// Open opens the printer spec names.
func (o Opener) Open(text string) (Printer, error) {
	s, err := spec.Parse(text)
	if err != nil {
		return nil, specError(err)
	}
	p := &printer{spec: s}
	switch s.Scheme {
	case "pdf":
		now := o.Now
		if now == nil {
			now = time.Now
		}
		p.tr = &pdfTransport{dir: s.Target, now: now}
	case "file":
		p.tr = &fileTransport{path: s.Target, timeout: s.Options.Timeout}
	case "tcp":
		addr, _ := spec.TCPAddress(s.Target)
		p.tr = &tcpTransport{addr: addr, timeout: s.Options.Timeout}
		p.askFirst = s.Options.Lang != raw.LangAuto
	case "cups":
		p.tr = &cupsTransport{queue: s.Target, lp: o.LP, timeout: s.Options.Timeout}
	case "usb":
		sel, _ := usb.ParseSelector(s.Target)
		host := o.USB
		if host == nil {
			host = usb.System
		}
		p.tr = &usbTransport{host: host, sel: sel, timeout: s.Options.Timeout}
	case "win":
		// The spooler knows the printer's state: a paused or off-line printer gets nothing.
		p.tr = &winTransport{sp: o.spooler(), name: s.Target}
		p.askFirst = true
	}
	return p, nil
}

type printer struct {
	spec   spec.Spec
	tr     transport
	sendMu sync.Mutex // one label at a time on the wire
	// askFirst: before each label, ask the printer's status and hold the label while it says
	// it cannot print (paper out, head open, paused). Set for network printers whose spec
	// names a language with a status query; cleared for good when the printer does not answer
	// one, so that a printer that keeps silent costs one wait, not one per label. (USB printers
	// check their port status inside send.)
	askFirst bool

	mu     sync.Mutex
	lang   raw.Language
	closed bool
}

func (p *printer) Spec() string { return p.spec.Raw }

func (p *printer) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func (p *printer) fail(job string, kind Kind, msg string, err error) *Error {
	return &Error{Op: "print", Printer: p.spec.Raw, Job: job, Kind: kind, Msg: msg, Err: err}
}

// language resolves the printer language: the spec's, else what the device says, else ZPL.
func (p *printer) language(ctx context.Context) (raw.Language, error) {
	if p.spec.Options.Lang != raw.LangAuto {
		return p.spec.Options.Lang, nil
	}
	p.mu.Lock()
	l := p.lang
	p.mu.Unlock()
	if l != raw.LangAuto {
		return l, nil
	}
	l, err := p.tr.language(ctx)
	if err != nil {
		return "", err
	}
	if l == raw.LangAuto {
		l = raw.ZPL
	}
	if err := p.spec.Check(l); err != nil {
		return "", specError(err)
	}
	p.mu.Lock()
	p.lang = l
	p.mu.Unlock()
	return l, nil
}

func (p *printer) Print(ctx context.Context, job Job) error {
	prep, err := p.Prepare(ctx, job)
	if err != nil {
		return err
	}
	return p.Send(ctx, prep)
}

// Prepare draws and encodes job for this printer. Nothing is sent.
func (p *printer) Prepare(ctx context.Context, job Job) (*Prepared, error) {
	if p.isClosed() {
		return nil, p.fail(job.Name, KindClosed, "the printer is closed", nil)
	}
	if err := ctx.Err(); err != nil {
		return nil, p.fail(job.Name, KindOf(err), "canceled before sending", err)
	}
	if p.spec.Scheme == "pdf" {
		if job.PDF == nil {
			return nil, p.fail(job.Name, KindBadJob, "the job has no PDF", nil)
		}
		var buf bytes.Buffer
		if err := job.PDF(&buf); err != nil {
			return nil, p.fail(job.Name, KindBadJob, "drawing the label as PDF failed", err)
		}
		return &Prepared{Job: job, Data: buf.Bytes(), by: p}, nil
	}
	lang, err := p.language(ctx)
	if err != nil {
		return nil, p.wrap(job.Name, err, 0, 0)
	}
	opt := p.spec.Options
	opt.Lang = lang
	bm, err := Rasterize(job, opt)
	if err != nil {
		return nil, p.fail(job.Name, KindBadJob, err.Error(), nil)
	}
	copies := max(job.Copies, 1) * max(opt.Copies, 1)
	data, err := raw.Encode(bm, opt, job.Name, copies)
	if err != nil {
		return nil, p.fail(job.Name, KindBadJob, err.Error(), nil)
	}
	return &Prepared{Job: job, Lang: lang, Data: data, by: p}, nil
}

// Send delivers a prepared label. It never sends a label twice by itself: a failure says how
// much reached the device, and only a label that never started may be sent again.
func (p *printer) Send(ctx context.Context, prep *Prepared) error {
	if prep == nil || prep.by != p {
		return p.fail("", KindBadJob, "the label was prepared for another printer", nil)
	}
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if p.isClosed() {
		return p.fail(prep.Job.Name, KindClosed, "the printer is closed", nil)
	}
	if err := ctx.Err(); err != nil {
		return p.fail(prep.Job.Name, KindOf(err), "canceled before sending", err)
	}
	if err := p.checkFirst(ctx, prep); err != nil {
		return err
	}
	n, err := p.tr.send(ctx, prep.Job.Name, prep.Data)
	if err != nil {
		return p.wrap(prep.Job.Name, err, n, len(prep.Data))
	}
	return nil
}

// own returns a transport error as this printer's *Error for op and job (a copy: the
// transport's error is left as it is).
func (p *printer) own(op, job string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		e = &cp
	} else {
		e = &Error{Kind: KindOf(err), Msg: err.Error(), Err: err}
	}
	e.Op, e.Printer, e.Job = op, p.spec.Raw, job
	return e
}

// wrap completes a transport error with the job, the printer and how much was sent.
func (p *printer) wrap(job string, err error, n, total int) error {
	e := p.own("print", job, err)
	e.Bytes, e.Total = int64(n), int64(total)
	if e.Sent == SentNone && n > 0 {
		e.Sent = SentPartial
		if n >= total {
			e.Sent = SentAll
		}
	}
	return e
}

// checkFirst asks a printer that can tell (see askFirst) whether it can print now. A printer
// that says it cannot, or cannot be reached, gets nothing: the error says so (SentNone), and a
// queue holds the label until the printer is back.
func (p *printer) checkFirst(ctx context.Context, prep *Prepared) error {
	p.mu.Lock()
	ask := p.askFirst
	p.mu.Unlock()
	if !ask {
		return nil
	}
	st, err := p.tr.status(ctx, prep.Lang)
	switch {
	case err != nil:
		return p.wrap(prep.Job.Name, err, 0, len(prep.Data))
	case st.State == StateUnknown:
		p.mu.Lock()
		p.askFirst = false
		p.mu.Unlock()
	case !st.OK():
		e := p.fail(prep.Job.Name, st.Kind(), "the printer says: "+st.String()+"; nothing was sent", nil)
		e.Total = int64(len(prep.Data))
		return e
	}
	return nil
}

func (p *printer) Status(ctx context.Context) (Status, error) {
	if p.isClosed() {
		return Status{}, &Error{Op: "status", Printer: p.spec.Raw, Kind: KindClosed, Msg: "the printer is closed"}
	}
	lang := p.spec.Options.Lang
	if lang == raw.LangAuto {
		p.mu.Lock()
		lang = p.lang
		p.mu.Unlock()
	}
	st, err := p.tr.status(ctx, lang)
	if err != nil {
		return st, p.own("status", "", err)
	}
	return st, nil
}

func (p *printer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	// Wait for a label being sent, so that closing never cuts one in half.
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	return p.tr.close()
}

// Rasterize draws job at the printer's resolution and places it on the media as opt says
// (size, offset), ready for Encode.
func Rasterize(job Job, opt raw.Options) (*raw.Bitmap, error) {
	if job.Raster == nil {
		return nil, fmt.Errorf("the job has no label image")
	}
	img, err := job.Raster(opt.DPI)
	if err != nil {
		return nil, fmt.Errorf("drawing the label failed: %w", err)
	}
	if img == nil || img.Bounds().Empty() {
		return nil, fmt.Errorf("the label image is empty")
	}
	bm := raw.FromImage(img)
	// A label drawn for another resolution prints too big or too small: refuse it.
	if job.WidthMM > 0 && job.HeightMM > 0 {
		ew, eh := geom.Dots(job.WidthMM, opt.DPI), geom.Dots(job.HeightMM, opt.DPI)
		if off(bm.Width, ew) || off(bm.Height, eh) {
			return nil, fmt.Errorf("the label image is %dx%d dots, but a %gx%g mm label at %d dpi is %dx%d dots: it was drawn for another resolution",
				bm.Width, bm.Height, job.WidthMM, job.HeightMM, opt.DPI, ew, eh)
		}
	}
	mw, mh := bm.Width, bm.Height
	if opt.WidthMM > 0 {
		mw, mh = geom.Dots(opt.WidthMM, opt.DPI), geom.Dots(opt.HeightMM, opt.DPI)
		tol := geom.Dots(1, opt.DPI)
		if bm.Width > mw+tol || bm.Height > mh+tol {
			lw, lh := job.WidthMM, job.HeightMM
			if lw == 0 {
				k := geom.DotsPerMM(opt.DPI)
				lw, lh = float64(bm.Width)/k, float64(bm.Height)/k
			}
			return nil, fmt.Errorf("the label is %.0fx%.0f mm but the printer is set for %gx%g mm labels: change the printer's size setting (size=%.0fx%.0f) or the label size",
				lw, lh, opt.WidthMM, opt.HeightMM, lw, lh)
		}
	} else if job.WidthMM > 0 && job.HeightMM > 0 {
		mw, mh = geom.Dots(job.WidthMM, opt.DPI), geom.Dots(job.HeightMM, opt.DPI)
	}
	ox, oy := geom.Dots(opt.OffsetXMM, opt.DPI), geom.Dots(opt.OffsetYMM, opt.DPI)
	if mw == bm.Width && mh == bm.Height && ox == 0 && oy == 0 {
		return bm, nil
	}
	media := raw.NewBitmap(mw, mh)
	media.Draw(bm, ox, oy)
	return media, nil
}

// off reports whether a dimension is more than 2% (and at least 8 dots) away from the expected.
func off(got, want int) bool {
	d := got - want
	if d < 0 {
		d = -d
	}
	return d > max(8, want/50)
}

// LanguageFromDeviceID picks the printer language from an IEEE 1284 device id's command set
// (CMD: or COMMAND SET:), preferring label languages: ZPL, then TSPL, then ESC/POS. It returns
// LangAuto when none is named.
func LanguageFromDeviceID(id string) raw.Language {
	var cmds []string
	for _, field := range strings.Split(id, ";") {
		k, v, ok := strings.Cut(field, ":")
		if !ok {
			continue
		}
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "CMD", "COMMAND SET":
			for _, c := range strings.Split(v, ",") {
				cmds = append(cmds, strings.ToUpper(strings.TrimSpace(c)))
			}
		}
	}
	has := func(pred func(string) bool) bool {
		for _, c := range cmds {
			if pred(c) {
				return true
			}
		}
		return false
	}
	switch {
	case has(func(c string) bool { return strings.HasPrefix(c, "ZPL") }):
		return raw.ZPL
	case has(func(c string) bool { return strings.HasPrefix(c, "TSPL") || c == "TSC" }):
		return raw.TSPL
	case has(func(c string) bool { return c == "ESC/POS" || c == "ESCPOS" || c == "ESC_POS" || c == "ESC-POS" }):
		return raw.ESCPOS
	}
	return raw.LangAuto
}

// DeviceIDField returns the value of key (e.g. "MFG", "MDL") in an IEEE 1284 device id; long
// and short key names are both tried.
func DeviceIDField(id string, keys ...string) string {
	for _, field := range strings.Split(id, ";") {
		k, v, ok := strings.Cut(field, ":")
		if !ok {
			continue
		}
		for _, want := range keys {
			if strings.EqualFold(strings.TrimSpace(k), want) {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}

type stopBeforeKey struct{}

// KeepSending is a context for sending a label: it is not ended by parent, so that a label
// being sent is finished (half a label is a wrong label), yet a transport still waiting to send
// its first byte (a device that will not open) gives up when parent ends: nothing went out.
func KeepSending(parent context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(parent), stopBeforeKey{}, parent)
}

// stopBeforeSending is the Done channel that ends a wait before the first byte: parent's for
// a KeepSending context, else ctx's own.
func stopBeforeSending(ctx context.Context) context.Context {
	if p, ok := ctx.Value(stopBeforeKey{}).(context.Context); ok {
		return p
	}
	return ctx
}
