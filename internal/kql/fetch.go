package kql

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/redact"
)

// DefaultMaxRows bounds the rows one push-down reads (many pages); past
// it the result is reported as truncated (partial), never silently cut.
const DefaultMaxRows = 200000

// Options tune Fetch.
type Options struct {
	// MaxRows is the most rows to read (0: DefaultMaxRows).
	MaxRows int
	// PageSize is the rows per request (0: PageSize).
	PageSize int
	// Now is the clock relative windows resolve against (nil: time.Now).
	Now func() time.Time

	// Credential signs the requests; nil: azidentity's default chain.
	Credential azcore.TokenCredential
	// HTTPClient sends them; nil: the SDK's default client.
	HTTPClient *http.Client
	// Endpoint replaces Log Analytics' https://api.loganalytics.io (an
	// ADX target's cluster is its own URL). No flag or environment
	// variable sets these three: only tests do, to reach a loopback server.
	Endpoint string
}

// Result is what a push-down read: the rows as inputs for internal/logs,
// one per table, keyed Target.Key(table) + "/" + the query's id (see
// queryID); a record index is the row's index among that table's rows,
// oldest first. Skips say what made the result partial.
type Result struct {
	Target Target
	Inputs []logs.Input
	// Rows is how many rows were read; Pages how many requests it took.
	Rows, Pages int
	// Skips are partial results: a partial error of the service, rows past
	// MaxRows, rows that could not be mapped. Each names the target.
	Skips []logs.Skip
}

// backend runs one query text over a window and returns its rows: the
// evidence query's (query) or a tally's (tally).
type backend interface {
	query(ctx context.Context, text string, since, until time.Time) (page, error)
	tally(ctx context.Context, text string, since, until time.Time) (tallyPage, error)
}

// page is one answer of the evidence query: its rows and how the answer
// fell short.
type page struct {
	rows []row
	answer
}

// answer is how one answer fell short: partial, when the service reported
// a partial failure, says why the rows may be incomplete; bad counts rows
// that could not be read, with the first reason.
type answer struct {
	partial   string
	bad       int
	badReason string
}

// badRow counts a row that could not be read, keeping the first reason.
func (a *answer) badRow(err error) {
	a.bad++
	if a.badReason == "" {
		a.badReason = err.Error()
	}
}

// keep returns a row reader for a backend's rows: it appends what read
// makes of each row to dst, or counts the row in a when read fails.
func keep[R, T any](a *answer, dst *[]T, read func(R) (T, error)) func(R) {
	return func(r R) {
		v, err := read(r)
		if err != nil {
			a.badRow(err)
			return
		}
		*dst = append(*dst, v)
	}
}

// fetched keeps each target's result for the process: reading a cited
// record again (a report's quotes) reads the same rows, without a query.
var fetched sync.Map // Target → *Result

// Cached returns the result Fetch read from t in this process.
func Cached(t Target) (*Result, bool) {
	r, ok := fetched.Load(t)
	if !ok {
		return nil, false
	}
	return r.(*Result), true
}

// Fetch runs q on t, page by page, and returns the rows as inputs. An
// error means nothing could be read (sign-in, permissions, a refused
// query); its text never holds a token. What was read despite a partial
// failure is returned with the failure in Result.Skips.
func Fetch(ctx context.Context, t Target, q *Query, opt Options) (*Result, error) {
	b, err := newBackend(t, opt)
	if err != nil {
		return nil, err
	}
	res, err := fetch(ctx, b, t, q, opt)
	if err != nil {
		return nil, err
	}
	fetched.Store(t, res)
	return res, nil
}

// newBackend is the client of t's service.
func newBackend(t Target, opt Options) (backend, error) {
	if t.IsADX() {
		return newADX(t, opt)
	}
	return newLogAnalytics(t, opt)
}

// fetch pages through q's rows on b.
func fetch(ctx context.Context, b backend, t Target, q *Query, opt Options) (*Result, error) {
	res := &Result{Target: t}
	if len(q.Tables) == 0 {
		return res, nil
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	maxRows, size := opt.MaxRows, opt.PageSize
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	if size <= 0 {
		size = PageSize
	}
	size = min(size, maxRows)
	since, until := q.Window.Resolve(now())
	// Traffic Analytics rows are ingested after the flows they sum: the
	// service's window (it applies to TimeGenerated) reaches as far.
	until = until.Add(trafficAnalytics.lag)
	skip := func(code, reason string) {
		res.Skips = append(res.Skips, logs.Skip{Name: t.Flag(), Record: -1, Tuple: -1, Code: code, Reason: redact.String(reason)})
	}
	bufs := map[string]*bytes.Buffer{}
	var order []string
	var after *Cursor
	for {
		p, err := b.query(ctx, q.Text(after, size), since, until)
		if err != nil {
			return nil, err
		}
		res.Pages++
		more := len(p.rows) > size
		if more {
			p.rows = p.rows[:size]
		}
		for _, r := range p.rows {
			rec, err := record(r.table, r.resource, r.packed)
			if err != nil {
				p.badRow(err)
				continue
			}
			buf := bufs[r.table]
			if buf == nil {
				buf = &bytes.Buffer{}
				bufs[r.table] = buf
				order = append(order, r.table)
			}
			buf.Write(rec)
			buf.WriteByte('\n')
			res.Rows++
		}
		if p.bad > 0 {
			skip(CodeBadRow, fmt.Sprintf("%d row(s) could not be read: %s", p.bad, p.badReason))
		}
		if p.partial != "" {
			skip(CodePartial, "the service answered in part: "+p.partial)
			break
		}
		if !more {
			break
		}
		if res.Rows >= maxRows {
			skip(CodeTruncated, fmt.Sprintf("more than %d rows match: read the oldest %d; narrow --since/--until or the filter", maxRows, res.Rows))
			break
		}
		last := p.rows[len(p.rows)-1]
		after = &Cursor{Time: last.time, Key: last.key}
	}
	qid := queryID(q.Text(nil, size), since, until)
	for _, table := range order {
		data := bufs[table].Bytes()
		key := t.Key(table) + "/" + qid
		res.Inputs = append(res.Inputs, logs.Input{
			Name: key, Key: key, Size: int64(len(data)),
			Open: func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		})
	}
	return res, nil
}

// queryID names one query over one resolved window: the rows it returns
// (oldest first, ties ordered by their hash) are the same each time it
// runs over data that no longer changes, so a store that keeps events
// (--db) can tell rows it already holds; another query gets other keys.
func queryID(text string, since, until time.Time) string {
	h := sha256.Sum256([]byte(text + "\n" + since.Format(time.RFC3339Nano) + "\n" + until.Format(time.RFC3339Nano)))
	return hex.EncodeToString(h[:4])
}
