package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
)

// Download defaults: a blob whose server sends no byte for StallTimeout is
// retried from where it stopped, at most Retries times, waiting Backoff,
// then twice that, and so on (issue #18: a silent server kept a download
// waiting forever; one that ignored Range made the SDK's retry reader ask
// 91,177 times in two minutes and stitch wrong bytes together).
const (
	DefaultStallTimeout = 30 * time.Second
	DefaultRetries      = 3
	DefaultBackoff      = time.Second
)

// DownloadOptions bound one blob download. Zero values take the defaults.
type DownloadOptions struct {
	// StallTimeout is how long a read may wait for its first byte.
	StallTimeout time.Duration
	// Retries is how many times a failed or stalled download resumes.
	Retries int
	// Backoff is the wait before the first retry; it doubles each time.
	Backoff time.Duration
}

func (o DownloadOptions) withDefaults() DownloadOptions {
	if o.StallTimeout <= 0 {
		o.StallTimeout = DefaultStallTimeout
	}
	if o.Retries <= 0 {
		o.Retries = DefaultRetries
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	return o
}

// errStalled is a read that saw no byte for StallTimeout.
var errStalled = errors.New("stalled")

// download streams one blob: each attempt is a GET from the byte the
// caller has reached, checked against the Content-Range the server answers
// with. A server that ignores Range gets one restart from the beginning
// (bytes the caller already has are read again and dropped); a second
// mismatch, or a failure past Retries, is an error the reader returns (the
// blob is then skipped and the command exits 4).
type download struct {
	ctx       context.Context
	bc        *blob.Client
	name      string
	opt       DownloadOptions
	delivered int64 // bytes given to the caller
	pos       int64 // offset in the blob of the current body's next byte
	body      io.ReadCloser
	bodyCtx   context.Context
	cancel    context.CancelFunc
	timer     *time.Timer
	opened    bool // an attempt was made: the next one is a retry
	tries     int  // retries used
	restarted bool // the one restart from zero was used
	eof       bool
	last      error // why the last attempt ended
}

func newDownload(ctx context.Context, bc *blob.Client, name string, opt DownloadOptions) *download {
	return &download{ctx: ctx, bc: bc, name: name, opt: opt.withDefaults()}
}

// open starts a GET at from; its stall timer covers the response headers
// and every read of the body.
func (d *download) open(from int64) error {
	ctx, cancel := context.WithCancelCause(d.ctx)
	var o *blob.DownloadStreamOptions
	if from > 0 {
		o = &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: from}}
	}
	timer := time.AfterFunc(d.opt.StallTimeout, func() { cancel(errStalled) })
	resp, err := d.bc.DownloadStream(ctx, o)
	// A ranged answer must start where asked; a whole-blob request may be
	// answered with a range only if it starts at 0.
	if err == nil && (from > 0 || resp.ContentRange != nil) && !rangeStartsAt(resp.ContentRange, from) {
		resp.Body.Close()
		err = &rangeError{want: from, got: resp.ContentRange}
	}
	if err != nil {
		timer.Stop()
		stalled := errors.Is(context.Cause(ctx), errStalled)
		cancel(nil)
		if stalled {
			return errStalled
		}
		return err
	}
	d.body, d.bodyCtx, d.cancel, d.timer, d.pos = resp.Body, ctx, func() { cancel(nil) }, timer, from
	return nil
}

// rangeStartsAt reports whether a Content-Range header ("bytes 100-199/200")
// starts at from.
func rangeStartsAt(cr *string, from int64) bool {
	if cr == nil {
		return false
	}
	s, ok := strings.CutPrefix(strings.TrimSpace(*cr), "bytes ")
	if !ok {
		return false
	}
	start, _, ok := strings.Cut(s, "-")
	n, err := strconv.ParseInt(start, 10, 64)
	return ok && err == nil && n == from
}

// rangeError is a resumed download the server answered from elsewhere.
type rangeError struct {
	want int64
	got  *string
}

func (e *rangeError) Error() string {
	got := "no Content-Range"
	if e.got != nil {
		got = "Content-Range " + strconv.Quote(*e.got)
	}
	return fmt.Sprintf("the server ignored the range request (asked from byte %d, got %s)", e.want, got)
}

func (d *download) closeBody() {
	if d.body != nil {
		d.timer.Stop()
		d.body.Close()
		d.cancel()
		d.body = nil
	}
}

// Close ends the download.
func (d *download) Close() error {
	d.closeBody()
	return nil
}

// Read delivers the blob's bytes, resuming after failures and stalls.
func (d *download) Read(p []byte) (int, error) {
	if d.eof {
		return 0, io.EOF
	}
	for {
		if d.body == nil {
			if err := d.next(); err != nil {
				return 0, err
			}
		}
		n, err := d.body.Read(p)
		if n > 0 {
			d.timer.Reset(d.opt.StallTimeout)
			start := d.pos
			d.pos += int64(n)
			if d.pos > d.delivered {
				skip := max(0, d.delivered-start)
				m := copy(p, p[skip:n])
				d.delivered += int64(m)
				d.ended(err)
				return m, nil
			}
		}
		if err != nil {
			d.ended(err)
			if d.eof {
				return 0, io.EOF
			}
			if d.ctx.Err() != nil {
				return 0, d.ctx.Err()
			}
		}
	}
}

// ended handles the error that ended (or will end) the current body.
func (d *download) ended(err error) {
	switch {
	case err == nil:
	case err == io.EOF && d.pos >= d.delivered:
		d.closeBody()
		d.eof = true
	case err == io.EOF:
		d.closeBody()
		d.last = io.ErrUnexpectedEOF
	default:
		if errors.Is(context.Cause(d.bodyCtx), errStalled) {
			err = errStalled
		}
		d.closeBody()
		d.last = err
	}
}

// next opens the next attempt: a retry after a backoff, within the budget,
// or the one restart from zero after a server ignored Range.
func (d *download) next() error {
	for {
		if d.opened {
			if d.tries >= d.opt.Retries {
				return d.fail(fmt.Sprintf("gave up after %d retries", d.tries))
			}
			select {
			case <-time.After(d.opt.Backoff << d.tries):
			case <-d.ctx.Done():
				return d.ctx.Err()
			}
			d.tries++
		}
		d.opened = true
		err := d.open(d.delivered)
		var re *rangeError
		if errors.As(err, &re) {
			if d.restarted {
				d.last = err
				return d.fail("after one restart from the beginning")
			}
			d.restarted = true
			err = d.open(0)
		}
		if err == nil {
			return nil
		}
		if d.ctx.Err() != nil {
			return d.ctx.Err()
		}
		d.last = err
	}
}

// fail is the download's final error, redacted.
func (d *download) fail(how string) error {
	why := "unknown error"
	switch {
	case errors.Is(d.last, errStalled):
		why = fmt.Sprintf("no data for %s", d.opt.StallTimeout)
	case d.last != nil:
		why = sdkErr(d.last)
	}
	return safeErrorf("downloading %s: %s (%s, at byte %d)", d.name, why, how, d.delivered)
}
