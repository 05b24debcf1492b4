package jos

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
)

// maxReply bounds a reply's size: print data with its images is tens of KB, a search page a
// few hundred; anything near this is not a JOS reply.
const maxReply = 32 << 20

// failure is a failed attempt: the error to return, and whether a read may try again.
type failure struct {
	err   *Error
	retry bool
}

// attempt makes one signed POST and decodes the reply into out. It returns nil on success.
// Every failure carries its Kind and, for writes, its Outcome.
func (c *Client) attempt(ctx context.Context, method, params string, out any) *failure {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	// Once the request's headers are written, bytes may have reached JD: from then on a
	// failure leaves a write's outcome unknown. Before that (DNS, refused connection, TLS),
	// nothing was sent.
	var sent atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteHeaders: func() { sent.Store(true) }})

	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint, strings.NewReader(c.form(method, params, c.now())))
	if err != nil {
		return &failure{err: &Error{Method: method, Kind: KindInvalid, Err: err}}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	req.Header.Set("Accept", "application/json")

	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportFailure(ctx, method, err, sent.Load())
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return httpFailure(method, resp.StatusCode)
	}
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return c.transportFailure(ctx, method, fmt.Errorf("reading the reply: %w", err), true)
	}
	if len(reply) > maxReply {
		return &failure{err: &Error{Method: method, Kind: KindMalformed, Outcome: MaybeApplied,
			Err: fmt.Errorf("%w: the reply is larger than %d MiB", errMalformed, maxReply>>20)}}
	}

	body, err := unwrap(reply)
	if err != nil {
		var refusal *Error
		if errors.As(err, &refusal) {
			refusal.Method = method
			// A gateway that quotes the request back (an invalid token, in its words) must not
			// carry the credentials into messages and logs.
			refusal.ZhDesc, refusal.EnDesc = c.scrub(refusal.ZhDesc), c.scrub(refusal.EnDesc)
			if unknownOutcomeCode(refusal.Code) {
				refusal.Outcome = MaybeApplied
			}
			return &failure{err: refusal, retry: retryableCode(refusal.Code) || refusal.Kind == KindQuota}
		}
		// A garbled reply to a read is usually a proxy or an overloaded gateway: asking again
		// costs one call and changes nothing at JD.
		return &failure{err: &Error{Method: method, Kind: KindMalformed, Outcome: MaybeApplied, Err: err}, retry: true}
	}
	if err := decodeBody(body, out); err != nil {
		// JOS said yes (so a write did happen); the body does not fit out, and asking again
		// would get the same body.
		return &failure{err: &Error{Method: method, Kind: KindMalformed, Outcome: MaybeApplied, Err: err}}
	}
	return nil
}

func (c *Client) transportFailure(ctx context.Context, method string, err error, sent bool) *failure {
	e := &Error{Method: method, Kind: KindTransport, Err: err}
	if sent {
		e.Outcome = MaybeApplied
	}
	if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		// Our per-attempt timeout, not the caller's deadline.
		e.Err = fmt.Errorf("no reply within %v: %w", c.timeout, err)
	}
	// A certificate JOS does not present will not appear on a second try either.
	var cert *tls.CertificateVerificationError
	return &failure{err: e, retry: !errors.As(err, &cert)}
}

func httpFailure(method string, status int) *failure {
	text := http.StatusText(status)
	if text == "" {
		text = "unexpected HTTP status"
	}
	e := &Error{Method: method, Kind: KindServer, HTTP: status, Err: errors.New(text)}
	switch {
	case status == http.StatusTooManyRequests:
		e.Kind = KindQuota
		return &failure{err: e, retry: true}
	case status >= 500:
		// The gateway or something behind it failed: it may have passed the call on first.
		e.Outcome = MaybeApplied
		return &failure{err: e, retry: true}
	}
	// 3xx (redirects are not followed) and 4xx: refused before reaching any method.
	return &failure{err: e}
}

// scrub replaces the client's app secret and access token in a text from JD.
func (c *Client) scrub(s string) string {
	for _, secret := range []string{c.appSecret, c.accessToken} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "****")
		}
	}
	return s
}
