package jos

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Across every kind of failure, neither the error texts nor the log lines show the app secret,
// the access token, the parameters or the reply's content.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	const (
		paramMarker = "收货人王小二-13900001111" // consignee data sent as a parameter
		replyMarker = "收件人李四-13800002222"  // consignee data in a reply
	)
	params := map[string]string{"order_id": "16050909", "cons_name": paramMarker}
	var logs logBuffer
	var texts []string
	check := func(name string, err error) {
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		texts = append(texts, name+": "+fmt.Sprintf("%v | %+v | %#v", err, err, err))
		for e := err; e != nil; {
			texts = append(texts, name+" (chain): "+e.Error())
			u, ok := e.(interface{ Unwrap() error })
			if !ok {
				break
			}
			e = u.Unwrap()
		}
	}
	for _, tc := range []struct {
		name string
		rep  reply
	}{
		{"http 500", reply{status: 500, body: replyMarker}},
		{"http 404", reply{status: 404, body: replyMarker}},
		{"html", ok("<html>" + replyMarker + "</html>")},
		{"truncated", ok(`{"order_get_response":{"code":"0","cons_name":"` + replyMarker)},
		{"two keys", ok(`{"a":{"cons_name":"` + replyMarker + `"},"b":{}}`)},
		{"token", ok(tokenReply)},
		{"business", ok(shipped)},
		{"stall", reply{stall: true}},
		{"reset", reply{reset: true}},
		{"cut off", reply{short: true, body: `{"x":{"cons_name":"` + replyMarker}},
	} {
		f := newFakeJOS(t, replies(tc.rep))
		c := newTestClient(t, f.URL, func(c *Config) {
			c.Logger = logs.logger()
			c.Timeout = 200 * time.Millisecond
			c.MaxRetries = 1
		})
		check(tc.name+" read", c.Read(background, "360buy.order.get", params, nil))
		check(tc.name+" write", c.Write(background, "360buy.order.sop.outstorage", params, nil))
	}
	refused := newTestClient(t, refusedURL(t), func(c *Config) { c.Logger = logs.logger() })
	check("refused", refused.Write(background, "360buy.order.sop.outstorage", params, nil))

	f := newFakeJOS(t, replies(ok(`{"order_get_response":{"code":"0","cons_handset":13800002222}}`)))
	var mismatch struct {
		Handset int8 `json:"cons_handset"`
	}
	check("mismatch", newTestClient(t, f.URL, func(c *Config) { c.Logger = logs.logger() }).Read(background, "360buy.order.get", params, &mismatch))

	f.secret = "another-secret"
	check("bad signature", newTestClient(t, f.URL, func(c *Config) { c.Logger = logs.logger() }).Read(background, "360buy.order.get", params, nil))

	out := logs.String()
	if !strings.Contains(out, "method=360buy.order.sop.outstorage") || !strings.Contains(out, "attempt=2") ||
		!strings.Contains(out, "result=transport") || !strings.Contains(out, "code=19") || !strings.Contains(out, "outcome=maybe-applied") {
		t.Errorf("the log lacks the expected attempt records:\n%s", out)
	}
	for _, s := range append(texts, out) {
		for _, secret := range []string{testSecret, testToken, paramMarker, replyMarker, "13800002222"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows up in: %s", secret, s)
			}
		}
	}
}
