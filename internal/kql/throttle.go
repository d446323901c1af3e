package kql

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"
)

// throttled retries a request the service refused with HTTP 429 (too many
// requests) or 503, waiting as its Retry-After (or retry-after-ms) says,
// else with exponential backoff from delay, up to tries attempts.
type throttled struct {
	base            http.RoundTripper
	tries           int
	delay, maxDelay time.Duration
}

func (t *throttled) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	backoff := t.delay
	for try := 1; ; try++ {
		r := req.Clone(req.Context())
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil || try >= t.tries || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
			return resp, err
		}
		wait, ok := retryAfter(resp.Header)
		if !ok {
			wait = backoff
			backoff = min(2*backoff, t.maxDelay)
		}
		wait = min(wait, t.maxDelay)
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
	}
}

// retryAfter reads retry-after-ms, x-ms-retry-after-ms or Retry-After
// (seconds or an HTTP date).
func retryAfter(h http.Header) (time.Duration, bool) {
	for _, k := range []string{"retry-after-ms", "x-ms-retry-after-ms"} {
		if v := h.Get(k); v != "" {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				return time.Duration(n) * time.Millisecond, true
			}
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}
