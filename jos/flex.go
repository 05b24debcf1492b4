package jos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Str is a JOS text field that may arrive as a JSON string, a number, a bool or null.
// Numbers keep their exact digits (ids longer than float64's precision stay intact).
type Str string

func (s *Str) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = Str(v)
	case b[0] == '{' || b[0] == '[':
		// Name the JSON type only: values can be consignee data.
		return fmt.Errorf("jos: expected a text value, got a JSON %s", map[byte]string{'{': "object", '[': "array"}[b[0]])
	default: // number, true, false: keep the literal
		*s = Str(b)
	}
	return nil
}

func (s Str) String() string { return string(s) }

// Int is a JOS integer field that may arrive as a number, a numeric string, an empty string or
// null (the last two mean 0).
type Int int64

func (n *Int) UnmarshalJSON(b []byte) error {
	var s Str
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	t := strings.TrimSpace(string(s))
	if t == "" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return fmt.Errorf("jos: a %d-character value is not a whole number", len(t))
	}
	*n = Int(v)
	return nil
}

// maxPlainText is the most characters of one text from JD the station keeps: far above any
// address or description, so that a runaway field cannot flood a screen or a label.
const maxPlainText = 2000

// PlainText is a text from JD made safe to show on a terminal, in the window and on a label:
// tabs and line breaks become spaces, other control characters (escape sequences that redraw a
// terminal or forge a line) and the bidirectional controls that reorder a line become U+FFFD,
// and it is cut at maxPlainText characters.
func PlainText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxPlainText {
		s = string([]rune(s)[:maxPlainText]) + "…"
	}
	return strings.TrimSpace(s)
}
