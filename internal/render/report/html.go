package report

import (
	"embed"
	"html/template"
	"io"
	"regexp"
	"strconv"
	"strings"
)

//go:embed tmpl/report.html.tmpl tmpl/report.css
var files embed.FS

var (
	pageTmpl = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{"codeText": codeText}).ParseFS(files, "tmpl/report.html.tmpl"))
	css      = mustRead("tmpl/report.css")
)

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// htmlPage is the view plus what only the HTML has: the stylesheet and the
// diagram as markup.
type htmlPage struct {
	*view
	CSS template.CSS
	SVG template.HTML
	// DiagramMin is the narrowest the diagram is drawn on screen (px), so
	// a long path scrolls instead of shrinking to unreadable text; zero
	// for no limit. Print fits it to the page.
	DiagramMin int
}

// diagramShrink is how far a diagram may shrink on screen to fit.
const diagramShrink = 0.7

var svgWidth = regexp.MustCompile(`^<svg [^>]*\bwidth="(\d+)"`)

// codeText writes trusted text whose `quoted` words are code (the codes
// registry's style) as HTML.
func codeText(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
		} else {
			b.WriteString(template.HTMLEscapeString(part))
		}
	}
	return template.HTML(b.String())
}

// HTML writes in as one self-contained HTML page: styles inline, the
// diagram as inline SVG, no script, no external reference; its
// Content-Security-Policy forbids every load but inline style.
func HTML(w io.Writer, in Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	s, err := svg(in)
	if err != nil {
		return err
	}
	// The SVG is built by the diagram package, which escapes every name it
	// draws (its tests check it); it holds no script and no reference
	// outside itself.
	p := htmlPage{view: v, CSS: template.CSS(css), SVG: template.HTML(s)}
	if m := svgWidth.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		p.DiagramMin = int(float64(n) * diagramShrink)
	}
	return pageTmpl.Execute(w, p)
}
