package cli

import (
	"strings"

	"station/printdata"
)

// Flag checks that several subcommands share, so their usage messages stay the same.

// RequiredOrderFlag cleans a required -order value.
func RequiredOrderFlag(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", Usagef("-order is required")
	}
	id, err := printdata.CleanOrderID(s)
	if err != nil {
		return "", Usagef("-order: %v", err)
	}
	return id, nil
}

// TypeFlag parses a -type value (auto, sop, lbp or sopl).
func TypeFlag(s string) (printdata.OrderType, error) {
	t, err := printdata.ParseOrderType(s)
	if err != nil {
		return "", Usagef("-type: %v", err)
	}
	return t, nil
}

// OrDash is s, or "-" for nothing, in a table.
func OrDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
