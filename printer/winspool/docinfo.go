package winspool

import "unicode/utf16"

// docInfo1 is DOC_INFO_1W, which StartDocPrinterW takes: the job's name, no output file, and
// the RAW data type, so that the spooler passes the label's bytes to the port untouched.
type docInfo1 struct {
	DocName    *uint16
	OutputFile *uint16
	Datatype   *uint16
}

// newDocInfo builds the DOC_INFO_1W for a RAW job named after the label.
func newDocInfo(name string) *docInfo1 {
	return &docInfo1{DocName: utf16z(DocName(name)), Datatype: utf16z("RAW")}
}

// utf16z is s as a NUL-terminated UTF-16 string, as the W functions take it.
func utf16z(s string) *uint16 {
	u := utf16.Encode([]rune(s + "\x00"))
	return &u[0]
}
