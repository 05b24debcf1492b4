package printer_test

import (
	"context"
	"fmt"
	"image"
	"io"
	"runtime"
	"testing"
	"time"

	"station/printer"
	"station/printer/printertest"
	"station/printer/raw"
)

// labelJob is a 100x150 mm sample label whose main barcode holds code, drawn at whatever
// resolution the printer asks for; its PDF is a stand-in that names the code.
func labelJob(code string) printer.Job {
	return printer.Job{
		Name: code, WidthMM: 100, HeightMM: 150,
		Raster: func(dpi int) (image.Image, error) {
			return printertest.SampleLabel(100, 150, dpi, code, 1)
		},
		PDF: func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "%%PDF-1.4 label %s\n", code)
			return err
		},
	}
}

// scanned decodes a stream and returns the barcode of every label in it (copies repeated).
func scanned(t testing.TB, lang raw.Language, data []byte, dpi int) []string {
	t.Helper()
	labels, err := printertest.Decode(lang, data, dpi, raw.ZeroIsBlack)
	if err != nil {
		t.Fatalf("decoding what the printer got: %v", err)
	}
	var out []string
	for _, l := range labels {
		got, err := printertest.ScanCode128(l.Bitmap.Gray(), printertest.BarcodeBand(dpi))
		if err != nil {
			t.Fatalf("label %d: %v", len(out), err)
		}
		for range l.Copies {
			out = append(out, got)
		}
	}
	return out
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// eventually polls cond for up to 5 s.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// noLeak fails the test if goroutines started during it are still running at its end.
func noLeak(t testing.TB) {
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

func mustOpen(t testing.TB, o printer.Opener, spec string) printer.Printer {
	t.Helper()
	p, err := o.Open(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func wantErr(t testing.TB, err error, kind printer.Kind, sent printer.Sent) *printer.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v / %v", kind, sent)
	}
	pe, ok := err.(*printer.Error)
	if !ok {
		t.Fatalf("error %T %v is not a *printer.Error", err, err)
	}
	if pe.Kind != kind || pe.Sent != sent {
		t.Fatalf("error %q: kind %v, sent %v; want %v, %v", err, pe.Kind, pe.Sent, kind, sent)
	}
	return pe
}
