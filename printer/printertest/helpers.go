package printertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"station/internal/geom"
	"station/printer"
	"station/printer/raw"
)

// SampleCode is what Sample's main barcode carries.
const SampleCode = "JD0012345678901"

// Sample is SampleLabel for a test: w×h mm at dpi, its barcode carrying SampleCode.
func Sample(t testing.TB, dpi int, w, h float64) *image.Gray {
	t.Helper()
	img, err := SampleLabel(w, h, dpi, SampleCode, 1)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// BarcodeBand is where SampleLabel puts its main barcode.
func BarcodeBand(dpi int) image.Rectangle {
	d := func(mm float64) int { return geom.Dots(mm, dpi) }
	return image.Rect(0, d(21), d(100), d(39))
}

// SameDots compares bitmaps dot for dot. ESC/POS carries widths in whole bytes, so a decoded
// bitmap may be up to 7 (white) dots wider than the one sent.
func SameDots(got, want *raw.Bitmap) bool {
	return got.Stride == want.Stride && got.Height == want.Height && bytes.Equal(got.Pix, want.Pix) &&
		got.Width >= want.Width && got.Width < want.Width+8
}

// Options are the default printer options for lang at dpi, changed by mod (may be nil).
func Options(lang raw.Language, dpi int, mod func(*raw.Options)) raw.Options {
	o := raw.DefaultOptions()
	o.Lang, o.DPI = lang, dpi
	if mod != nil {
		mod(&o)
	}
	return o
}

// LabelJob is a 100x150 mm sample label whose main barcode holds code, drawn at whatever
// resolution the printer asks for; its PDF is a stand-in that names the code.
func LabelJob(code string) printer.Job {
	return printer.Job{
		Name: code, WidthMM: 100, HeightMM: 150,
		Raster: func(dpi int) (image.Image, error) {
			return SampleLabel(100, 150, dpi, code, 1)
		},
		PDF: func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "%%PDF-1.4 label %s\n", code)
			return err
		},
	}
}

// Scanned decodes a stream and returns the barcode of every label in it (copies repeated).
func Scanned(t testing.TB, lang raw.Language, data []byte, dpi int) []string {
	t.Helper()
	labels, err := Decode(lang, data, dpi, raw.ZeroIsBlack)
	if err != nil {
		t.Fatalf("decoding what the printer got: %v", err)
	}
	var out []string
	for _, l := range labels {
		got, err := ScanCode128(l.Bitmap.Gray(), BarcodeBand(dpi))
		if err != nil {
			t.Fatalf("label %d: %v", len(out), err)
		}
		for range l.Copies {
			out = append(out, got)
		}
	}
	return out
}

// Ctx is a context that ends after d or with the test.
func Ctx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// Eventually polls cond for up to 5 s.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// NoLeak fails the test if goroutines started during it are still running at its end.
func NoLeak(t testing.TB) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(3 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				n := runtime.Stack(buf, true)
				t.Errorf("%d goroutines left running (had %d):\n%s", runtime.NumGoroutine(), before, buf[:n])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// MustOpen opens spec with o and closes it when the test ends.
func MustOpen(t testing.TB, o printer.Opener, spec string) printer.Printer {
	t.Helper()
	p, err := o.Open(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// Timed is a printer that notes when each print returned: for a printer whose transport writes
// synchronously (file:, a null device), when the label's last byte was written.
type Timed struct {
	printer.Printer
	mu   sync.Mutex
	last time.Time
}

// Print prints and notes the time.
func (p *Timed) Print(ctx context.Context, job printer.Job) error {
	err := p.Printer.Print(ctx, job)
	p.mu.Lock()
	p.last = time.Now()
	p.mu.Unlock()
	return err
}

// Last is when the last print returned.
func (p *Timed) Last() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}
