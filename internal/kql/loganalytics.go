package kql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/pathproof/pathproof/internal/redact"
)

// serverWait is how long the service may run one page's query (its
// maximum; the default is 3 minutes).
const serverWait = 600

// retry is the pipeline's retry policy: throttling (HTTP 429, honouring
// Retry-After) and transient server errors are retried with exponential
// backoff.
var retry = policy.RetryOptions{MaxRetries: 5, RetryDelay: 2 * time.Second, MaxRetryDelay: time.Minute}

type logAnalytics struct {
	client    *azlogs.Client
	workspace string
}

// credential is the default chain (environment, workload identity,
// managed identity, az CLI, azd, PowerShell) unless a test set one.
func credential(opt Options) (azcore.TokenCredential, error) {
	if opt.Credential != nil {
		return opt.Credential, nil
	}
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("sign-in with the default credential chain: %s", redact.String(err.Error()))
	}
	return cred, nil
}

func newLogAnalytics(t Target, opt Options) (*logAnalytics, error) {
	cred, err := credential(opt)
	if err != nil {
		return nil, err
	}
	co := &azlogs.ClientOptions{}
	co.Retry = retry
	co.Telemetry.Disabled = true
	if opt.HTTPClient != nil {
		co.Transport = opt.HTTPClient
	}
	if opt.Endpoint != "" {
		co.Cloud = cloud.Configuration{
			ActiveDirectoryAuthorityHost: cloud.AzurePublic.ActiveDirectoryAuthorityHost,
			Services:                     map[cloud.ServiceName]cloud.ServiceConfiguration{azlogs.ServiceName: {Audience: "https://api.loganalytics.io", Endpoint: opt.Endpoint}},
		}
	}
	c, err := azlogs.NewClient(cred, co)
	if err != nil {
		return nil, fmt.Errorf("client for Log Analytics: %s", redact.String(err.Error()))
	}
	return &logAnalytics{client: c, workspace: t.Workspace}, nil
}

func (la *logAnalytics) query(ctx context.Context, text string, since, until time.Time) (page, error) {
	var p page
	var err error
	p.partial, err = la.rows(ctx, text, since, until, keep(&p.answer, &p.rows, laRow))
	return p, err
}

func (la *logAnalytics) tally(ctx context.Context, text string, since, until time.Time) (tallyPage, error) {
	var p tallyPage
	var err error
	p.partial, err = la.rows(ctx, text, since, until, keep(&p.answer, &p.counts, laCount))
	return p, err
}

// rows runs text over the window and calls read with each result row;
// partial is the service's partial error.
func (la *logAnalytics) rows(ctx context.Context, text string, since, until time.Time, read func(laCells)) (partial string, err error) {
	span := azlogs.NewTimeInterval(since, until)
	wait := serverWait
	res, err := la.client.QueryWorkspace(ctx, la.workspace, azlogs.QueryBody{Query: &text, Timespan: &span},
		&azlogs.QueryWorkspaceOptions{Options: &azlogs.QueryOptions{Wait: &wait}})
	if err != nil {
		return "", serviceError("Log Analytics workspace "+la.workspace, err)
	}
	if res.Error != nil {
		partial = errorInfoText(res.Error)
	}
	for _, tb := range res.Tables {
		idx := map[string]int{}
		for i, c := range tb.Columns {
			if c.Name != nil {
				idx[*c.Name] = i
			}
		}
		for _, r := range tb.Rows {
			read(laCells{idx, r})
		}
	}
	return partial, nil
}

// laCells is one result row with its table's column indexes.
type laCells struct {
	idx map[string]int
	row azlogs.Row
}

// cell returns the cell of column name.
func (c laCells) cell(name string) (any, bool) {
	i, ok := c.idx[name]
	if !ok || i >= len(c.row) {
		return nil, false
	}
	return c.row[i], true
}

// laCount reads one row of a tally.
func laCount(r laCells) (countRow, error) {
	var c countRow
	v, ok := r.cell(colMinute)
	if !ok {
		return c, fmt.Errorf("no %s column", colMinute)
	}
	t, err := parseTime(v)
	if err != nil {
		return c, err
	}
	c.minute = t
	v, _ = r.cell(colCount)
	if c.n, err = cellInt(v); err != nil {
		return c, err
	}
	v, _ = r.cell(colTable)
	c.table, _ = v.(string)
	v, _ = r.cell(colResource)
	c.resource, _ = v.(string)
	return c, nil
}

// laRow reads the columns the query projects from one result row.
func laRow(r laCells) (row, error) {
	cell := r.cell
	var out row
	v, ok := cell("TimeGenerated")
	if !ok {
		return row{}, errors.New("no TimeGenerated column")
	}
	t, err := parseTime(v)
	if err != nil {
		return row{}, err
	}
	out.time = t
	str := func(name string) string {
		v, _ := cell(name)
		s, _ := v.(string)
		return s
	}
	out.table, out.resource, out.key = str(colTable), str(colResource), str(colKey)
	v, _ = cell(colRow)
	if out.packed, err = packedJSON(v); err != nil {
		return row{}, err
	}
	return out, nil
}

// errorInfoText is a partial error's code and message, without the rest
// of its JSON.
func errorInfoText(e *azlogs.ErrorInfo) string {
	type inner struct{ Code, Message string }
	var body struct {
		Code, Message string
		Details       []struct {
			Code, Message string
			Innererror    *inner
		}
		Innererror *inner
	}
	if json.Unmarshal([]byte(e.Error()), &body) != nil {
		return e.Code
	}
	msg := body.Code
	if body.Message != "" {
		msg += ": " + body.Message
	}
	for _, d := range body.Details {
		if d.Message != "" {
			msg += " (" + d.Message + ")"
		}
		if d.Innererror != nil && d.Innererror.Message != "" {
			msg += " (" + d.Innererror.Message + ")"
		}
	}
	if body.Innererror != nil && body.Innererror.Message != "" {
		msg += " (" + body.Innererror.Message + ")"
	}
	return truncate(redact.String(msg), 400)
}

// serviceError describes a failed request from its HTTP status and the
// service's error code and message, never from the SDK's own text (which
// repeats the request), and redacted.
func serviceError(what string, err error) error {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		msg := ""
		if re.RawResponse != nil {
			if body, perr := runtime.Payload(re.RawResponse); perr == nil {
				msg = bodyMessage(body)
			}
		}
		text := fmt.Sprintf("%s: HTTP %d", what, re.StatusCode)
		if re.ErrorCode != "" {
			text += " " + re.ErrorCode
		}
		if msg != "" {
			text += ": " + msg
		}
		switch re.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			text += " (sign in with `az login` or Azure's default credential chain; the identity needs Log Analytics Reader on the workspace, or a viewer role on the ADX database)"
		case http.StatusTooManyRequests:
			text += " (throttled: still refused after retrying with backoff; try again later or narrow the query)"
		}
		return errors.New(redact.String(text))
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ae *azidentity.AuthenticationFailedError
	if errors.As(err, &ae) {
		return fmt.Errorf("%s: Azure sign-in failed (run `az login`, or set the environment of Azure's default credential chain): %s", what, truncate(redact.String(firstLine(err.Error())), 300))
	}
	return fmt.Errorf("%s: %s", what, truncate(redact.String(firstLine(err.Error())), 300))
}

// bodyMessage reads {"error":{"code","message"}} (Log Analytics) and
// returns "message", cut.
func bodyMessage(body []byte) string {
	var b struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal(body, &b) != nil || b.Error.Message == "" {
		return ""
	}
	return truncate(b.Error.Message, 400)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' || c == '\r' {
			return s[:i]
		}
	}
	return s
}
