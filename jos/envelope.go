package jos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// A JOS reply is one JSON object with one key: "error_response" for gateway errors, otherwise
// the method's body under a key whose spelling varies ("…_response", "…_responce", or no suffix
// at all as in "order_sop_waybill_update"). So the key's name is never trusted, only its count.

// errMalformed marks a reply that is not a JOS envelope.
var errMalformed = errors.New("the reply is not a JOS envelope")

// replyStatus is what the envelope's body (or error_response) says about the call. The
// descriptions are kept raw so that an odd one (an object, say) cannot fail a good reply.
type replyStatus struct {
	Code   *Str            `json:"code"`
	ZhDesc json.RawMessage `json:"zh_desc"`
	EnDesc json.RawMessage `json:"en_desc"`
	Msg    json.RawMessage `json:"msg"`
}

// text is a description as text, or "" when it is missing or not a plain value.
func text(raw json.RawMessage) string {
	var s Str
	if len(raw) == 0 || s.UnmarshalJSON(raw) != nil {
		return ""
	}
	return PlainText(string(s))
}

// unwrap returns the body under the reply's single top-level key. A JOS refusal (error_response,
// or a body whose code is not "0") comes back as a *Error without Method; an unreadable reply
// as an error wrapping errMalformed.
func unwrap(reply []byte) (json.RawMessage, error) {
	reply = bytes.TrimPrefix(reply, []byte("\xef\xbb\xbf")) // a BOM, as some gateways send
	if len(bytes.TrimSpace(reply)) == 0 {
		return nil, fmt.Errorf("%w: the reply is empty", errMalformed)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(reply, &top); err != nil {
		// json's syntax errors name a character and an offset, never the reply's content.
		return nil, fmt.Errorf("%w: %s", errMalformed, describeNonJSON(reply, err))
	}
	if len(top) != 1 {
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("%w: expected one top-level key, got %d %q", errMalformed, len(keys), keys)
	}
	var key string
	var body json.RawMessage
	for key, body = range top {
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: %q holds no JSON object", errMalformed, key)
	}
	var st replyStatus
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("%w: the code under %q is not a plain value", errMalformed, key)
	}
	zh, en := text(st.ZhDesc), text(st.EnDesc)
	if zh == "" && en == "" {
		if msg := text(st.Msg); isASCII(msg) {
			en = msg
		} else {
			zh = msg
		}
	}
	code := ""
	if st.Code != nil {
		code = strings.TrimSpace(string(*st.Code))
	}
	// A gateway refusal, or a business failure inside the method's own envelope (e.g. already shipped).
	if strings.TrimSpace(key) == "error_response" || (code != "" && code != "0") {
		return nil, &Error{Kind: KindOfCode(code, zh, en), Code: code, ZhDesc: zh, EnDesc: en}
	}
	return body, nil
}

func describeNonJSON(reply []byte, err error) string {
	t := bytes.TrimSpace(reply)
	if len(t) > 0 && t[0] == '<' {
		return "got HTML or XML instead of JSON (a proxy or gateway error page?)"
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) && syn.Offset >= int64(len(reply)) {
		return fmt.Sprintf("the JSON ends early after %d bytes (truncated?)", len(reply))
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("the reply is a JSON %s, not an object", typ.Value)
	}
	return "invalid JSON: " + err.Error()
}

// decodeBody fills out from a successful body. A type mismatch keeps the field's path and Go
// type but loses the value: json quotes numbers, and they can be consignee phones.
func decodeBody(body json.RawMessage, out any) error {
	if out == nil {
		return nil
	}
	err := json.Unmarshal(body, out)
	if err == nil {
		return nil
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		clean := *typ
		clean.Value, _, _ = strings.Cut(typ.Value, " ") // "number 13717578711" → "number"
		err = &clean
	}
	return fmt.Errorf("decoding the reply: %w", err)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
