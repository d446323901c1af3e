package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/render/explainrender"
	"github.com/pathproof/pathproof/internal/render/report"
	"github.com/pathproof/pathproof/internal/store"
	"github.com/pathproof/pathproof/internal/workspace"
)

// explainForm is the question as the form sends it.
type explainForm struct {
	From, To, Protocol, At, Since, Until string
	Pcaps                                []string
}

func formOf(r *http.Request) explainForm {
	q := r.URL.Query()
	f := explainForm{From: q.Get("from"), To: q.Get("to"), Protocol: q.Get("protocol"), At: q.Get("at"), Since: q.Get("since"), Until: q.Get("until"), Pcaps: q["pcap"]}
	if f.Protocol == "" {
		f.Protocol = "tcp"
	}
	return f
}

func (f explainForm) query() url.Values {
	v := url.Values{"from": {f.From}, "to": {f.To}, "protocol": {f.Protocol}}
	for k, x := range map[string]string{"at": f.At, "since": f.Since, "until": f.Until} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for _, p := range f.Pcaps {
		v.Add("pcap", p)
	}
	return v
}

// pick is one capture the explain form offers.
type pick struct {
	Name     string
	Selected bool
}

// citeView is a citation as the page links it.
type citeView struct {
	Origin, Link string
}

type explainPage struct {
	page
	Form      explainForm
	Protocols []string
	Endpoints []string
	Captures  []pick
	Result    *explain.Result
	Headline  string
	Diagram   template.HTML
	// StopIndex is the hop marked as where the flow stopped (or was
	// answered), -1 for none.
	StopIndex            int
	ReportHTML, ReportMD string
	files                []string
}

// Cite returns citation i with a link to what it cites: a log record's raw
// record, a capture connection's page.
func (p *explainPage) Cite(i int) citeView {
	if p.Result == nil || i < 0 || i >= len(p.Result.Citations) {
		return citeView{Origin: "?"}
	}
	c := p.Result.Citations[i]
	switch c.Kind {
	case "log":
		o := event.Origin{Key: c.Origin, Record: c.Record, Tuple: c.Tuple}.String()
		return citeView{Origin: o, Link: "/record?origin=" + url.QueryEscape(o)}
	case "capture":
		v := citeView{Origin: c.Origin + " connection " + strconv.Itoa(c.Record)}
		if slices.Contains(p.files, c.Origin) {
			v.Link = "/capture/conn?" + url.Values{"file": {c.Origin}, "i": {strconv.Itoa(c.Record)}}.Encode()
		}
		return v
	}
	return citeView{Origin: c.Kind}
}

func (s *server) explain(w http.ResponseWriter, r *http.Request) {
	f := formOf(r)
	p := &explainPage{page: s.page("explain", "Explain"), Form: f, Protocols: []string{"tcp", "udp", "icmp"}, StopIndex: -1}
	p.Endpoints = s.endpoints(r.Context())
	for _, c := range s.ws.ListFiles(200, ".pcap", ".pcapng", ".cap") {
		name := s.relName(c)
		p.files = append(p.files, name)
		p.Captures = append(p.Captures, pick{Name: name, Selected: slices.Contains(f.Pcaps, name)})
	}
	status := http.StatusOK
	if f.From != "" || f.To != "" {
		ex, err := s.explainOf(r.Context(), f)
		if err != nil {
			p.Error, status = err.Error(), statusOf(err)
		} else {
			p.Result = ex.Result
			p.Headline = explainrender.Headline(ex.Result)
			p.StopIndex = stopIndex(ex.Result)
			svg, err := report.DiagramSVG(report.Input{Result: ex.Result, Trace: ex.Plan.Trace})
			if err == nil {
				p.Diagram = template.HTML(svg) // drawn by internal/trace/diagram, every string escaped and redacted
			}
			q := f.query().Encode()
			p.ReportHTML, p.ReportMD = "/explain/report.html?"+q, "/explain/report.md?"+q
			p.Title = "Explain " + f.From + " → " + f.To
		}
	}
	s.render(w, status, "explain", p)
}

// explainOf answers the form's question.
func (s *server) explainOf(ctx context.Context, f explainForm) (*workspace.Explained, error) {
	if f.From == "" || f.To == "" {
		return nil, badRequest("give both From and To")
	}
	var caps []string
	for _, c := range f.Pcaps {
		if c != "" {
			caps = append(caps, c)
		}
	}
	return s.ws.Explain(ctx, workspace.ExplainQuery{
		Query:    explain.Query{From: f.From, To: f.To, Protocol: f.Protocol},
		Window:   explain.WindowSpec{At: f.At, Since: f.Since, Until: f.Until},
		Captures: caps,
	})
}

// report serves the proof report `explain --report` writes, as a download.
func (s *server) report(w http.ResponseWriter, r *http.Request) {
	f := formOf(r)
	ex, err := s.explainOf(r.Context(), f)
	if err != nil {
		http.Error(w, "pathproof: "+err.Error(), statusOf(err))
		return
	}
	format, ctype := report.FormatHTML, "text/html; charset=utf-8"
	if filepath.Ext(r.URL.Path) == ".md" {
		format, ctype = report.FormatMarkdown, "text/markdown; charset=utf-8"
	}
	var b bytes.Buffer
	in := report.Input{Result: ex.Result, Trace: ex.Plan.Trace, Generated: time.Now(), Command: "pathproof serve: explain " + f.query().Encode(),
		Raw: s.ws.ReportRaw(r.Context(), ex.Result)}
	if err := report.Write(&b, format, in); err != nil {
		http.Error(w, "pathproof: report: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="pathproof-proof`+filepath.Ext(r.URL.Path)+`"`)
	_, _ = w.Write(b.Bytes())
}

// stopIndex is the hop the verdict names: on the leg where the flow
// stopped (forward for dropped, return for asymmetric-return), else its
// first appearance.
func stopIndex(res *explain.Result) int {
	if res.At == "" {
		return -1
	}
	leg := ""
	switch res.Verdict {
	case explain.VerdictDropped:
		leg = explain.LegForward
	case explain.VerdictAsymmetric:
		leg = explain.LegReturn
	}
	first := -1
	for i, h := range res.Hops {
		if h.Hop != res.At {
			continue
		}
		if first < 0 {
			first = i
		}
		if leg == "" || h.Leg == leg {
			return i
		}
	}
	return first
}

// endpoints are the form's suggestions: the topology's NICs (by name and
// address), on-premises hosts, private endpoints and firewalls, and the
// addresses seen most in the evidence.
func (s *server) endpoints(ctx context.Context) []string {
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if v != "" && !seen[v] && len(out) < 2000 {
			seen[v] = true
			out = append(out, v)
		}
	}
	if n := s.ws.Net; n != nil {
		for _, x := range n.NICs {
			add("nic:" + x.Name)
			if x.IP.IsValid() {
				add(x.IP.String())
			}
		}
		for _, site := range n.OnPremSites {
			for _, h := range site.Hosts {
				add("onprem:" + site.Name + "/" + h.Name)
			}
		}
		for _, pe := range n.PrivateEndpoints {
			if pe.IP.IsValid() {
				add(pe.IP.String())
			}
		}
		for _, fw := range n.Firewalls {
			if fw.PrivateIP.IsValid() {
				add(fw.PrivateIP.String())
			}
		}
	}
	if st, err := s.ws.NeedStore(); err == nil {
		for _, by := range []store.TopBy{store.BySrc, store.ByDst} {
			rows, err := st.Top(ctx, &filter.Filter{}, by, 100)
			if err != nil {
				continue
			}
			for _, r := range rows {
				add(r.Key)
			}
		}
	}
	return out
}

// relName is a file's name as the UI shows and asks for it: relative to
// the Files folder it is in.
func (s *server) relName(abs string) string {
	for _, root := range s.ws.Config().Files {
		if rel, err := filepath.Rel(root, abs); err == nil && rel != "." && !filepath.IsAbs(rel) && rel[0] != '.' {
			return rel
		}
	}
	return abs
}

// httpError carries a status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(msg string) error { return &httpError{http.StatusBadRequest, msg} }

// statusOf maps an error to an HTTP status: the question's fault is 400,
// what the server was not started with 404... else 500.
func statusOf(err error) int {
	var he *httpError
	var qe *explain.QueryError
	var we *explain.WindowError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.As(err, &qe), errors.As(err, &we):
		return http.StatusBadRequest
	case errors.Is(err, workspace.ErrNoEvidence), errors.Is(err, workspace.ErrNoTopology):
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}
