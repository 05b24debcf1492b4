// Package gateway is the JOS router's side of the protocol, for the simulator: it checks a
// request's system parameters and signature as JOS does, decodes its business parameters, and
// writes replies and refusals in JOS's envelopes.
package gateway

import (
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"station/internal/ascii"
	"station/jos"
	"strconv"
	"time"
)

// Credentials are what a request must be signed with and carry.
type Credentials struct {
	AppKey, AppSecret, AccessToken string
}

// ClockSkew is how far a request's timestamp may be from the server's clock (JD: 6 minutes).
const ClockSkew = 6 * time.Minute

// Verify checks the system parameters in the order JOS does, the method's name against known,
// and decodes 360buy_param_json.
func Verify(form url.Values, c Credentials, now time.Time, known func(method string) bool) (string, Params, *Error) {
	name := form.Get("method")
	if name == "" {
		return "", nil, Gateway(jos.CodeMissingMethod, "缺少方法名参数", "Missing method")
	}
	switch key := form.Get("app_key"); {
	case key == "":
		return "", nil, Gateway(jos.CodeMissingAppKey, "缺少app_key参数", "Missing app_key")
	case key != c.AppKey:
		return "", nil, Gateway(jos.CodeBadAppKey, "无效的app_key", "Invalid app_key")
	}
	switch v := form.Get("v"); {
	case v == "":
		return "", nil, Gateway(jos.CodeMissingVersion, "缺少版本参数", "Missing version (v)")
	case v != "2.0":
		return "", nil, Gateway(jos.CodeBadVersion, "不支持的版本号", fmt.Sprintf("Unsupported version %q: use 2.0", v))
	}
	ts := form.Get("timestamp")
	if ts == "" {
		return "", nil, Gateway(jos.CodeMissingTimestamp, "缺少时间戳参数", "Missing timestamp")
	}
	t, err := time.ParseInLocation(jos.TimeLayout, ts, jos.ChinaTime)
	if err != nil {
		return "", nil, Gateway(jos.CodeBadTimestamp, "非法的时间戳参数",
			fmt.Sprintf("Invalid timestamp %q: use yyyy-MM-dd HH:mm:ss in China time (UTC+8)", ts))
	}
	if skew := t.Sub(now); skew > ClockSkew || skew < -ClockSkew {
		return "", nil, Gateway(jos.CodeBadTimestamp, "时间戳与服务器时间相差超过6分钟",
			fmt.Sprintf("Timestamp %s is %v away from the server's time %s (China time); at most 6 minutes are allowed",
				ts, skew.Abs().Round(time.Second), now.In(jos.ChinaTime).Format(jos.TimeLayout)))
	}
	if f := form.Get("format"); f != "" && f != "json" {
		return "", nil, Gateway(jos.CodeBadFormat, "无效数据格式", fmt.Sprintf("Unsupported format %q: only json", f))
	}
	sign := form.Get("sign")
	if sign == "" {
		return "", nil, Gateway(jos.CodeMissingSign, "缺少签名参数", "Missing signature")
	}
	signed := make(map[string]string, len(form))
	for k, vs := range form {
		if len(vs) > 0 {
			signed[k] = vs[0]
		}
	}
	if !hmac.Equal([]byte(sign), []byte(jos.Sign(c.AppSecret, signed))) {
		return "", nil, Gateway(jos.CodeBadSign, "无效签名", "Invalid signature")
	}
	switch tok := form.Get("access_token"); {
	case tok == "":
		return "", nil, Gateway(jos.CodeMissingToken, "缺少access_token参数", "Missing access_token")
	case tok != c.AccessToken:
		return "", nil, Gateway(jos.CodeBadToken, "无效access_token", "Invalid access_token")
	}
	if !known(name) {
		return "", nil, Gateway(jos.CodeBadMethod, "不存在的方法名", fmt.Sprintf("Invalid method %q", name))
	}
	raw := form.Get("360buy_param_json")
	if raw == "" {
		raw = "{}"
	}
	var p Params
	if err := json.Unmarshal([]byte(raw), &p); err != nil || p == nil {
		return "", nil, Gateway(jos.CodeBadJSON, "360buy_param_json格式错误",
			"360buy_param_json is not a JSON object")
	}
	return name, p, nil
}

// Error is a refusal: a gateway error (error_response) or a business error of the method.
type Error struct {
	code, zh, en string
	business     bool
}

// Gateway is a gateway refusal (error_response).
func Gateway(code, zh, en string) *Error { return &Error{code: code, zh: zh, en: en} }

// Business is a refusal of the method itself. JD gives those in two shapes (Reply): inside the
// method's own envelope, or as a top-level error_response with a 104xxxxx code.
func Business(code, zh, en string) *Error {
	return &Error{code: code, zh: zh, en: en, business: true}
}

// The simulator's own business codes. JD publishes no list of the order service's codes: the
// station must read refusals by their words, and these exist so that tests can tell the
// simulator's refusals apart.
const (
	CodeOrderNotFound     = "10100001" // 订单不存在
	CodeOrderStateInvalid = "10100002" // 订单状态不允许此操作 (locked, cancelled)
	CodeOrderShipped      = "10100003" // 订单已出库
	CodeBadLogistics      = "10100004" // 物流公司不存在或未签约
	CodeBadWaybill        = "10100005" // 运单号缺失或格式不正确
	CodeOrderTypeMismatch = "10100006" // 订单类型与接口不符
	CodeWaybillLocked     = "10100007" // 当前状态的订单不能修改运单号
)

// topLevelCodes are the codes a business refusal carries when it comes as a top-level
// error_response, in the 104xxxxx form of the one such refusal in public material
// (10400014, 当前状态的订单不能修改运单号).
var topLevelCodes = map[string]string{
	CodeOrderNotFound:     "10400001",
	CodeOrderStateInvalid: "10400002",
	CodeOrderShipped:      "10400003",
	CodeBadLogistics:      "10400004",
	CodeBadWaybill:        "10400005",
	CodeOrderTypeMismatch: "10400006",
	CodeWaybillLocked:     jos.CodeWaybillLocked,
}

// TopLevelCode is the code of a business refusal given as a top-level error_response.
func TopLevelCode(code string) string {
	if c, ok := topLevelCodes[code]; ok {
		return c
	}
	return code
}

func (e *Error) Error() string { return e.code + " " + e.en }

// Reply is the JSON body for e; key is the method's envelope, where a business refusal goes
// unless topLevel asks for the error_response shape.
func (e *Error) Reply(key string, topLevel bool) []byte {
	code := e.code
	switch {
	case !e.business || key == "":
		key = "error_response"
	case topLevel:
		key, code = "error_response", TopLevelCode(code)
	}
	return Marshal(map[string]any{key: map[string]any{"code": code, "zh_desc": e.zh, "en_desc": e.en}})
}

// Missing is a required parameter that was not given.
func Missing(name string) *Error {
	return Gateway(jos.CodeBadParam, "缺少必选参数:"+name, "Missing required parameter "+name)
}

// Bad is a parameter whose value is wrong, and why.
func Bad(name, why string) *Error {
	return Gateway(jos.CodeBadParamValue, "非法的参数:"+name, "Invalid parameter "+name+": "+why)
}

// Params is the decoded 360buy_param_json. Values may come as strings or numbers.
type Params map[string]json.RawMessage

// Text is a parameter as text ("" when absent).
func (p Params) Text(name string) (string, *Error) {
	raw, ok := p[name]
	if !ok {
		return "", nil
	}
	var v jos.Str
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", Bad(name, "must be a string or a number")
	}
	return string(v), nil
}

// Required is a parameter that must be given and not empty.
func (p Params) Required(name string) (string, *Error) {
	v, e := p.Text(name)
	if e == nil && v == "" {
		e = Missing(name)
	}
	return v, e
}

// OrderID is the order_id parameter, checked.
func (p Params) OrderID() (string, *Error) { return p.OrderIDNamed("order_id") }

// OrderIDNamed is an order id parameter of another name (the after-sales methods' orderId), checked.
func (p Params) OrderIDNamed(name string) (string, *Error) {
	id, e := p.Required(name)
	if e != nil {
		return "", e
	}
	if len(id) > 20 || !ascii.Digits(id) {
		return "", Bad(name, fmt.Sprintf("%q is not an order number", id))
	}
	return id, nil
}

// Integer reads a whole number in lo..hi; def when absent or empty.
func (p Params) Integer(name string, def, lo, hi int) (int, *Error) {
	v, e := p.Text(name)
	if e != nil || v == "" {
		return def, e
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, Bad(name, fmt.Sprintf("%q is not a whole number from %d to %d", v, lo, hi))
	}
	return n, nil
}

// Marshal encodes v without HTML escaping, as JOS does.
func Marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("jostest: encoding a reply: %v", err)) // only plain values are encoded
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// WriteJSON answers with body as JOS does.
func WriteJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// WriteHTML answers like the web server in front of JOS does when something breaks.
func WriteHTML(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>jfe</center>\r\n</body>\r\n</html>\r\n", title, title)
}
