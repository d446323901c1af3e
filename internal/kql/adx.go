package kql

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-kusto-go/azkustodata"
	kustoerrors "github.com/Azure/azure-kusto-go/azkustodata/errors"
	kustokql "github.com/Azure/azure-kusto-go/azkustodata/kql"
	"github.com/Azure/azure-kusto-go/azkustodata/query"

	"github.com/pathproof/pathproof/internal/redact"
)

type adx struct {
	client *azkustodata.Client
	t      Target
}

func newADX(t Target, opt Options) (*adx, error) {
	cred, err := credential(opt)
	if err != nil {
		return nil, err
	}
	base := http.DefaultTransport
	if opt.HTTPClient != nil && opt.HTTPClient.Transport != nil {
		base = opt.HTTPClient.Transport
	}
	// azkustodata does not retry: throttling is retried by the transport.
	hc := &http.Client{Transport: &throttled{base: base, tries: int(retry.MaxRetries) + 1, delay: retry.RetryDelay, maxDelay: retry.MaxRetryDelay}}
	kcsb := azkustodata.NewConnectionStringBuilder(t.Cluster).WithTokenCredential(cred)
	c, err := azkustodata.New(kcsb, azkustodata.WithHttpClient(hc))
	if err != nil {
		return nil, fmt.Errorf("client for Azure Data Explorer %s: %s", t, truncate(redact.String(firstLine(err.Error())), 300))
	}
	return &adx{client: c, t: t}, nil
}

// query runs text; the window is already in it (Azure Data Explorer has no
// separate timespan).
func (a *adx) query(ctx context.Context, text string, _, _ time.Time) (page, error) {
	var p page
	var err error
	p.partial, err = a.rows(ctx, text, keep(&p.answer, &p.rows, adxRow))
	return p, err
}

// tally runs a tally's text (its window is in it).
func (a *adx) tally(ctx context.Context, text string, _, _ time.Time) (tallyPage, error) {
	var p tallyPage
	var err error
	p.partial, err = a.rows(ctx, text, keep(&p.answer, &p.counts, adxCount))
	return p, err
}

// rows runs text and calls read with each row of the primary result;
// partial is the first error the answer carried.
func (a *adx) rows(ctx context.Context, text string, read func(query.Row)) (partial string, err error) {
	// The text is compiled by this package, every value quoted by str or
	// written by a formatter of validated numbers and addresses: it is not
	// user text, so the SDK's constant-only builder gets it whole.
	stmt := kustokql.New("").AddUnsafe(text)
	ds, err := a.client.IterativeQuery(ctx, a.t.Database, stmt, azkustodata.ServerTimeout(serverWait*time.Second))
	if err != nil {
		return "", kustoError("Azure Data Explorer database "+a.t.String(), err)
	}
	defer ds.Close()
	fail := func(err error) {
		if partial == "" {
			partial = truncate(redact.String(firstLine(kustoMessage(err))), 400)
		}
	}
	for tr := range ds.Tables() {
		if err := tr.Err(); err != nil {
			fail(err)
			continue
		}
		tb := tr.Table()
		if !tb.IsPrimaryResult() {
			if _, err := tb.ToTable(); err != nil {
				fail(err)
			}
			continue
		}
		for rr := range tb.Rows() {
			if err := rr.Err(); err != nil {
				fail(err)
				continue
			}
			read(rr.Row())
		}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return partial, nil
}

// adxCount reads one row of a tally.
func adxCount(r query.Row) (countRow, error) {
	var c countRow
	t, err := r.DateTimeByName(colMinute)
	if err != nil || t == nil {
		return c, fmt.Errorf("no %s", colMinute)
	}
	c.minute = t.UTC()
	n, err := r.LongByName(colCount)
	if err != nil || n == nil {
		return c, fmt.Errorf("no %s", colCount)
	}
	c.n = *n
	c.table, _ = r.StringByName(colTable)
	c.resource, _ = r.StringByName(colResource)
	return c, nil
}

// adxRow reads the columns the query projects from one result row.
func adxRow(r query.Row) (row, error) {
	t, err := r.DateTimeByName("TimeGenerated")
	if err != nil || t == nil {
		return row{}, errors.New("no TimeGenerated")
	}
	var out row
	out.time = t.UTC()
	out.table, _ = r.StringByName(colTable)
	out.resource, _ = r.StringByName(colResource)
	out.key, _ = r.StringByName(colKey)
	if out.packed, err = r.DynamicByName(colRow); err != nil {
		return row{}, fmt.Errorf("no %s column", colRow)
	}
	if len(out.packed) == 0 {
		return row{}, errors.New("the packed row is null")
	}
	return out, nil
}

// kustoError describes a failed ADX request by its HTTP status and the
// service's message, never with the SDK's text (it repeats the query and
// the whole body), and redacted.
func kustoError(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var he *kustoerrors.HttpError
	if errors.As(err, &he) {
		text := fmt.Sprintf("%s: HTTP %d", what, he.StatusCode)
		if m := restMessage(&he.KustoError); m != "" {
			text += ": " + m
		}
		switch he.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			text += " (sign in with `az login` or Azure's default credential chain; the identity needs a viewer role on the database)"
		case http.StatusTooManyRequests:
			text += " (throttled: still refused after retrying with backoff; try again later or narrow the query)"
		}
		return errors.New(redact.String(text))
	}
	return fmt.Errorf("%s: %s", what, truncate(redact.String(firstLine(kustoMessage(err))), 300))
}

// kustoMessage is the service's message of an SDK error when it has one.
func kustoMessage(err error) string {
	var ke *kustoerrors.Error
	if errors.As(err, &ke) {
		if m := restMessage(ke); m != "" {
			return m
		}
	}
	return err.Error()
}

// restMessage reads {"error":{"code","message","@message"}}.
func restMessage(ke *kustoerrors.Error) string {
	m := ke.UnmarshalREST()
	e, _ := m["error"].(map[string]any)
	if e == nil {
		return ""
	}
	msg, _ := e["@message"].(string)
	if msg == "" {
		msg, _ = e["message"].(string)
	}
	if code, _ := e["code"].(string); code != "" {
		msg = code + ": " + msg
	}
	return truncate(msg, 400)
}
