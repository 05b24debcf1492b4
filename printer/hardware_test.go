//go:build hardware

package printer_test

import (
	"context"
	"image"
	"os"
	"testing"
	"time"

	"station/printer"
	"station/printer/calib"
)

// TestHardware runs against the real USB bus: go test -tags hardware -run Hardware -v
// ./printer/. It lists the attached printers and asks the first usable one for its status.
// With STATION_HARDWARE_PRINT=1 it also prints a calibration label (one label of media): on a
// ZPL printer this is the check of the Z64 CRC variant — a blank label means the printer
// dropped the graphic; try compress=acs and report it.
func TestHardware(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := printer.ListUSB(ctx)
	if err != nil {
		t.Skipf("USB is not usable here: %v", err)
	}
	if len(list) == 0 {
		t.Skip("no USB printer attached")
	}
	var use *printer.USBPrinter
	for i, p := range list {
		t.Logf("%s  %s %s serial %q at %s, language %q, device id %q, err %v",
			p.Spec, p.Vendor(), p.Product, p.Serial, p.Location(), p.Language, p.DeviceID, p.Err)
		if p.Err == nil && use == nil {
			use = &list[i]
		}
	}
	if use == nil {
		t.Fatalf("no attached printer can be opened (see the errors above)")
	}
	spec := use.Spec
	if env := os.Getenv("STATION_HARDWARE_SPEC"); env != "" {
		spec = env
	}
	p, err := printer.Open(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st, err := p.Status(ctx)
	if err != nil {
		t.Fatalf("status of %s: %v", spec, err)
	}
	t.Logf("status of %s: %s / %s (%s)", spec, st.Message.EN, st.Message.ZH, st.Detail)
	if os.Getenv("STATION_HARDWARE_PRINT") != "1" {
		t.Log("set STATION_HARDWARE_PRINT=1 to print a calibration label")
		return
	}
	job := printer.Job{Name: "hardware-test", WidthMM: 100, HeightMM: 150, Raster: func(dpi int) (image.Image, error) {
		return calib.Label(calib.Options{WidthMM: 100, HeightMM: 150, DPI: dpi, Spec: spec, Lang: string(use.Language), Darkness: -1})
	}}
	if err := p.Print(ctx, job); err != nil {
		t.Fatalf("printing on %s: %v", spec, err)
	}
	t.Logf("calibration label sent to %s: check that it printed whole and that its barcodes scan", spec)
}
