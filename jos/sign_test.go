package jos

import "testing"

// The vector from notes/jos.md, cross-checked against public JOS SDKs.
func TestSignVector(t *testing.T) {
	params := map[string]string{
		"method":            "360buy.order.sop.print.data.get",
		"app_key":           "TEST_APP_KEY",
		"access_token":      "test_token_abc",
		"timestamp":         "2024-05-01 12:00:00",
		"v":                 "2.0",
		"360buy_param_json": `{"order_id":"1234567890"}`,
	}
	const want = "9173DD69965A13D026435C7FBBDC6C12"
	if got := Sign("test_secret_0123", params); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	// sign itself and empty values take no part.
	params["sign"] = "whatever"
	params["format"] = ""
	if got := Sign("test_secret_0123", params); got != want {
		t.Fatalf("Sign with sign and empty format = %s, want %s", got, want)
	}
}
