package printer_test

import (
	"testing"

	"station/printer"
)

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
