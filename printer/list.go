package printer

import (
	"context"

	"station/printer/raw"
	"station/printer/usb"
)

// USBPrinter is an attached USB printer.
type USBPrinter struct {
	usb.Info
	Spec     string       // the spec that selects this printer
	Language raw.Language // from its device id; "" when it does not say
}

// ListUSB finds the USB printers attached to this computer.
func ListUSB(ctx context.Context) ([]USBPrinter, error) { return Opener{}.ListUSB(ctx) }

// ListUSB finds the USB printers on o's USB host.
func (o Opener) ListUSB(ctx context.Context) ([]USBPrinter, error) {
	host := o.USB
	if host == nil {
		host = usb.System
	}
	infos, err := usb.List(ctx, host)
	if err != nil {
		e := usbError(err).(*Error)
		e.Op = "list"
		return nil, e
	}
	out := make([]USBPrinter, len(infos))
	for i, info := range infos {
		out[i] = USBPrinter{Info: info, Spec: usb.SpecFor(info, infos), Language: LanguageFromDeviceID(info.DeviceID)}
	}
	return out, nil
}
