package main

import (
	"strings"

	"station/printdata"
)

// Flag checks that several subcommands share, so their usage messages stay the same.

// requiredOrderFlag cleans a required -order value.
func requiredOrderFlag(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", usagef("-order is required")
	}
	id, err := printdata.CleanOrderID(s)
	if err != nil {
		return "", usagef("-order: %v", err)
	}
	return id, nil
}

// typeFlag parses a -type value (auto, sop, lbp or sopl).
func typeFlag(s string) (printdata.OrderType, error) {
	t, err := printdata.ParseOrderType(s)
	if err != nil {
		return "", usagef("-type: %v", err)
	}
	return t, nil
}

// orDash shows a blank table cell as "-".
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
