// Package printer sends labels to printers: thermal label printers in their own languages
// (ZPL, TSPL, ESC/POS) over USB (libusb, package usb), the network (raw port 9100), a device
// node or a CUPS queue, and PDF files into a folder.
//
// A label reaches a printer as pixels only: the job's Raster draws it at the printer's
// resolution, and package raw thresholds it into a 1-bit bitmap and wraps that in the printer's
// commands, so no text of the order (a consignee's name, say) can ever become a command. Open takes a spec (package spec), the same string the settings store.
//
// Printing is at most once. A failed Print says through its *Error whether any byte reached
// the device (Sent): a label that never started may be sent again, one that was partly or
// fully sent must not be sent again without a person deciding. Queue builds on that: one
// order's labels at a time, labels held while the printer is away (Away) and let go by
// themselves when it answers again, partly sent ones returned to the caller to ask a person.
package printer
