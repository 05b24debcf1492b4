package jos

import (
	"bytes"
	"encoding/json"
	"net/url"
	"time"
)

// paramJSON is the business parameters as sent in 360buy_param_json: encoding/json's bytes,
// `{}` when there are none.
func paramJSON(params any) (string, error) {
	if params == nil {
		return "{}", nil
	}
	b, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	if bytes.Equal(b, []byte("null")) { // a nil map or pointer
		return "{}", nil
	}
	return string(b), nil
}

// form is one attempt's signed request body. Each attempt gets a fresh timestamp, so a retry
// late in a backoff is not rejected as clock skew.
func (c *Client) form(method, paramJSON string, now time.Time) string {
	p := map[string]string{
		"method":            method,
		"app_key":           c.appKey,
		"access_token":      c.accessToken,
		"timestamp":         now.In(ChinaTime).Format(TimeLayout),
		"v":                 "2.0",
		"360buy_param_json": paramJSON,
	}
	v := make(url.Values, len(p)+1)
	for k, s := range p {
		v.Set(k, s)
	}
	v.Set("sign", Sign(c.appSecret, p))
	return v.Encode()
}
