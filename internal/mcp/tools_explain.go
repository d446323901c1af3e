package mcp

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/render/report"
	"github.com/pathproof/pathproof/internal/workspace"
)

type explainIn struct {
	From     string   `json:"from" jsonschema:"the source: an IP, nic:NAME, onprem:SITE/HOST or internet:IP"`
	To       string   `json:"to" jsonschema:"the destination: IP:PORT or FQDN:PORT (a PaaS name resolves through the topology's private endpoints)"`
	Protocol string   `json:"protocol,omitempty" jsonschema:"tcp (default), udp or icmp"`
	At       string   `json:"at,omitempty" jsonschema:"when it failed (RFC3339): the window is 10 minutes either side"`
	Since    string   `json:"since,omitempty" jsonschema:"window start: RFC3339 or a duration counted back from the newest event (default: the newest hour)"`
	Until    string   `json:"until,omitempty" jsonschema:"window end"`
	Captures []string `json:"captures,omitempty" jsonschema:"capture files of the flow, by name inside the folders the server may read"`
}

// reports keeps the proof reports of the last explanations as resources.
type reports struct {
	mu    sync.Mutex
	seq   int
	order []string
}

// maxReports is how many explanations' reports stay readable.
const maxReports = 20

const reportsURI = "pathproof://reports/"

func (h *server) addExplainTool(s *sdk.Server) {
	addToolContent(s, h.o.Log, tool{name: "explain", title: "Where did my packet stop, and why",
		desc: "One verdict for one flow from the simulated path and the evidence: delivered-and-answered, dropped (at a named hop by a named rule), asymmetric-return, " +
			"never-reached-azure, not-yet-known or no-evidence, with a confidence, what each hop was expected to do and was seen doing, findings with fixes, " +
			"and a citation for every claim (a log record's origin, a capture connection, a simulation step). Cite the citations in your answer. " +
			"Returns the JSON of `pathproof explain -o json` and links to the proof report (Markdown and HTML) as resources."},
		func(ctx context.Context, in explainIn) (any, []sdk.Content, error) {
			ex, err := h.ws.Explain(ctx, workspace.ExplainQuery{
				Query:    explain.Query{From: in.From, To: in.To, Protocol: in.Protocol},
				Window:   explain.WindowSpec{At: in.At, Since: in.Since, Until: in.Until},
				Captures: in.Captures,
			})
			if err != nil {
				return nil, nil, err
			}
			links, err := h.addReport(ctx, s, ex)
			if err != nil {
				return nil, nil, err
			}
			return ex.Result, links, nil
		})
}

// addReport renders the proof report of ex in both formats, adds them as
// resources (dropping the oldest beyond maxReports) and returns links. The
// report quotes the cited log records as Azure wrote them, read again
// from the evidence sources.
func (h *server) addReport(ctx context.Context, s *sdk.Server, ex *workspace.Explained) ([]sdk.Content, error) {
	in := report.Input{Result: ex.Result, Trace: ex.Plan.Trace, Generated: time.Now(), Raw: h.ws.ReportRaw(ctx, ex.Result)}
	h.reports.mu.Lock()
	defer h.reports.mu.Unlock()
	h.reports.seq++
	id := "explain-" + strconv.Itoa(h.reports.seq)
	var links []sdk.Content
	for _, f := range []struct {
		format report.Format
		ext    string
		mime   string
	}{{report.FormatMarkdown, ".md", "text/markdown"}, {report.FormatHTML, ".html", "text/html"}} {
		var b bytes.Buffer
		if err := report.Write(&b, f.format, in); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		uri := reportsURI + id + f.ext
		title := fmt.Sprintf("Proof: %s → %s: %s", ex.Result.Query.From, ex.Result.Query.To, ex.Result.Verdict)
		s.AddResource(&sdk.Resource{URI: uri, Name: id + f.ext, Title: title, MIMEType: f.mime, Size: int64(b.Len()),
			Description: "the proof report of an explanation, to quote or forward"}, textResourceOf(b.String(), f.mime))
		h.reports.order = append(h.reports.order, uri)
		links = append(links, &sdk.ResourceLink{URI: uri, Name: id + f.ext, Title: title, MIMEType: f.mime})
	}
	for len(h.reports.order) > 2*maxReports {
		s.RemoveResources(h.reports.order[0])
		h.reports.order = h.reports.order[1:]
	}
	return links, nil
}
