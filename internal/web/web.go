// Package web is pathproof's local web UI (`pathproof serve`): the explain
// page (verdict, path diagram, each hop's expected decision beside the
// records that prove it, the proof report to download), the evidence
// (events with the filters of `events`, paged in the store, a time
// histogram, each row's raw record), the topology (a diagram; a NIC's
// effective routes and rules) and captures (upload or choose one, the
// connection table, one connection's timeline).
//
// It is a thin front end over internal/workspace and the packages that own
// each answer; it computes nothing of its own. Pages are server-rendered
// with html/template; a few lines of JavaScript and one stylesheet are
// embedded. It is read-only: nothing it does changes a file, the store or
// Azure (an uploaded capture is analysed in memory).
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// DefaultMaxUpload bounds an uploaded capture.
const DefaultMaxUpload = 64 << 20

// Options tune the UI.
type Options struct {
	// Token, when set, is the bearer token every request must carry (as an
	// Authorization header, or the cookie a visit with ?token= sets).
	Token string
	// MaxUpload bounds an uploaded capture in bytes (0: DefaultMaxUpload).
	MaxUpload int64
	// Version is shown in the footer.
	Version string
	// Log receives the stack of a handler that panicked (nil: discarded).
	Log io.Writer
}

// server holds what the handlers share.
type server struct {
	ws     *workspace.Workspace
	o      Options
	pages  map[string]*template.Template
	inputs string
}

// New returns the UI's handler over ws: every page, its assets, the
// security headers and, with a token, the authentication.
func New(ws *workspace.Workspace, o Options) (http.Handler, error) {
	if o.MaxUpload <= 0 {
		o.MaxUpload = DefaultMaxUpload
	}
	s := &server{ws: ws, o: o, pages: map[string]*template.Template{}, inputs: describeInputs(ws)}
	for _, p := range []string{"explain", "evidence", "record", "topology", "nic", "capture", "connection"} {
		t, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", p, err)
		}
		s.pages[p] = t
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/explain", http.StatusSeeOther) })
	mux.HandleFunc("GET /explain", s.explain)
	mux.HandleFunc("GET /explain/report.html", s.report)
	mux.HandleFunc("GET /explain/report.md", s.report)
	mux.HandleFunc("GET /evidence", s.evidence)
	mux.HandleFunc("GET /record", s.record)
	mux.HandleFunc("GET /topology", s.topology)
	mux.HandleFunc("GET /topology/nic", s.nic)
	mux.HandleFunc("GET /capture", s.capture)
	mux.HandleFunc("POST /capture", s.upload)
	mux.HandleFunc("GET /capture/conn", s.connection)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	var h http.Handler = mux
	h = http.NewCrossOriginProtection().Handler(h)
	if o.Token != "" {
		h = requireToken(o.Token, h)
	}
	return securityHeaders(recoverPanics(o.Log, h)), nil
}

// page is what every page's template reads.
type page struct {
	Title, Page, Error, Version, Inputs string
}

func (s *server) page(name, title string) page {
	return page{Title: title, Page: name, Version: s.o.Version, Inputs: s.inputs}
}

// render executes a page into a buffer first, so a template error is a
// clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout", data); err != nil {
		http.Error(w, "pathproof: cannot render the page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// describeInputs says in one line what the server answers from.
func describeInputs(ws *workspace.Workspace) string {
	c := ws.Config()
	var parts []string
	if len(c.Topology) > 0 {
		parts = append(parts, "topology "+strings.Join(c.Topology, ", "))
	} else {
		parts = append(parts, "no topology")
	}
	switch {
	case c.Evidence.DB != "":
		parts = append(parts, "evidence "+c.Evidence.DB)
	case c.Evidence.Workspace != "" || c.Evidence.ADX != "":
		parts = append(parts, "push-down "+strings.Join(c.Evidence.Args(), " ")+" (queried per explain question)")
	case len(c.Evidence.Logs) > 0:
		var logs []string
		args := c.Evidence.Args() // --logs SRC pairs, secrets taken out
		for i := 1; i < len(args); i += 2 {
			logs = append(logs, args[i])
		}
		parts = append(parts, "logs "+strings.Join(logs, ", "))
	default:
		parts = append(parts, "no logs")
	}
	return strings.Join(parts, " · ")
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	"fmtTime": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.UTC().Format("2006-01-02 15:04:05.000Z")
	},
	"join": strings.Join,
	"short": func(list []string) string {
		if len(list) <= 3 {
			return strings.Join(list, ",")
		}
		return strings.Join(list[:3], ",") + fmt.Sprintf(",…(+%d)", len(list)-3)
	},
}
