package httpclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice/connectors/pollable"
)

// StatusError is an HTTP answer with an unexpected status.
type StatusError struct {
	Code int
	URL  string
	Body string
	Msg  string
}

// Error implements error.
func (e *StatusError) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = "Unexpected code"
	}
	s := fmt.Sprintf("%s: %d %s (%s)", msg, e.Code, http.StatusText(e.Code), e.URL)
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

func truncate(b []byte) string {
	const max = 512
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// MaxBody is the largest response body read (64 MiB).
const MaxBody = 64 << 20

// Doer sends requests with credentials, retries throttled and failed ones
// with back-off, and reads whole responses. Every wait honours the context.
type Doer struct {
	HTTP *http.Client
	Auth Authenticator
	// Clock drives waits and Retry-After dates; nil means the system clock.
	Clock pollable.Clock
	// MaxRetries is how many times one request is retried after 429/502/503/504
	// answers or transport errors.
	MaxRetries int
	// BackoffInitial and BackoffMax bound the exponential back-off (full
	// jitter between half and all of the current step).
	BackoffInitial, BackoffMax time.Duration
	// RetryAfterMax caps a server-requested wait.
	RetryAfterMax time.Duration
	// CallTimeout bounds one attempt, body included (0: none).
	CallTimeout time.Duration
	// Jitter returns a number in [0,1); nil means math/rand.
	Jitter func() float64
	// OnWait, when set, is told every wait before it starts (for logs and tests).
	OnWait func(reason string, d time.Duration)
}

// Response is a fully read HTTP answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	URL    string
}

func (d *Doer) clock() pollable.Clock {
	if d.Clock == nil {
		return pollable.SystemClock{}
	}
	return d.Clock
}

// Do sends the request built by newReq (called again for every attempt)
// and returns the 2xx answer.
func (d *Doer) Do(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error)) (*Response, error) {
	authRetried := false
	attempt := 0
	for {
		resp, err := d.once(ctx, newReq)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var wait time.Duration
		var reason string
		switch {
		case err != nil:
			var se *StatusError
			if errors.As(err, &se) {
				return nil, err
			}
			reason = "transport error: " + err.Error()
			wait = d.backoff(attempt)
		case resp.Status/100 == 2:
			return resp, nil
		case resp.Status == http.StatusUnauthorized && !authRetried && d.Auth != nil && d.Auth.Invalidate():
			authRetried = true
			continue
		case resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable ||
			resp.Status == http.StatusBadGateway || resp.Status == http.StatusGatewayTimeout:
			reason = "HTTP " + strconv.Itoa(resp.Status)
			if ra, ok := d.retryAfter(resp.Header); ok {
				wait = ra
			} else {
				wait = d.backoff(attempt)
			}
			err = &StatusError{Code: resp.Status, URL: resp.URL, Body: truncate(resp.Body)}
		default:
			return nil, &StatusError{Code: resp.Status, URL: resp.URL, Body: truncate(resp.Body)}
		}
		if attempt >= d.MaxRetries {
			return nil, fmt.Errorf("giving up after %d retries: %w", attempt, err)
		}
		attempt++
		if d.OnWait != nil {
			d.OnWait(reason, wait)
		}
		if werr := d.clock().Sleep(ctx, wait); werr != nil {
			return nil, werr
		}
	}
}

func (d *Doer) once(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error)) (*Response, error) {
	if d.CallTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.CallTimeout)
		defer cancel()
	}
	req, err := newReq(ctx)
	if err != nil {
		return nil, &StatusError{Msg: "invalid request: " + err.Error()}
	}
	if d.Auth != nil {
		if err := d.Auth.Apply(ctx, req); err != nil {
			var se *StatusError
			if errors.As(err, &se) {
				return nil, err
			}
			return nil, fmt.Errorf("authenticate: %w", err)
		}
	}
	resp, err := d.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil {
		return nil, fmt.Errorf("read response of %s: %w", req.URL.Redacted(), err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body, URL: req.URL.Redacted()}, nil
}

// backoff is the wait before retry attempt+1: BackoffInitial doubled per
// attempt, capped at BackoffMax, with jitter in [half, all] of it.
func (d *Doer) backoff(attempt int) time.Duration {
	step := d.BackoffInitial
	for i := 0; i < attempt && step < d.BackoffMax; i++ {
		step *= 2
	}
	if d.BackoffMax > 0 && step > d.BackoffMax {
		step = d.BackoffMax
	}
	j := d.Jitter
	if j == nil {
		j = rand.Float64
	}
	return step/2 + time.Duration(j()*float64(step/2))
}

// retryAfter reads the server's wait request: Retry-After in seconds or as
// an HTTP date, else X-Rate-Limit-Reset (epoch seconds, as Okta sends).
func (d *Doer) retryAfter(h http.Header) (time.Duration, bool) {
	w, ok := ParseRetryAfter(h, d.clock().Now())
	if !ok {
		return 0, false
	}
	if d.RetryAfterMax > 0 && w > d.RetryAfterMax {
		w = d.RetryAfterMax
	}
	return w, true
}

// ParseRetryAfter returns how long the server asks to wait, from
// Retry-After (delay-seconds or HTTP-date) or X-Rate-Limit-Reset (epoch
// seconds). A date in the past means no wait.
func ParseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if n < 0 {
				n = 0
			}
			if n > 1<<31 {
				n = 1 << 31
			}
			return time.Duration(n) * time.Second, true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0), true
		}
	}
	if v := strings.TrimSpace(h.Get("X-Rate-Limit-Reset")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && n < 1<<40 {
			return max(time.Unix(n, 0).Sub(now), 0), true
		}
	}
	return 0, false
}
