package diagram

import (
	"fmt"
	"io"
	"strings"

	"github.com/pathproof/pathproof/internal/trace"
)

// Mermaid writes r as a Mermaid flowchart.
func Mermaid(w io.Writer, r *trace.Result) error {
	return writeMermaid(w, build(r))
}

// writeMermaid writes g as a Mermaid flowchart.
func writeMermaid(w io.Writer, g *graph) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, gr := range g.groups {
		indent := "  "
		if gr.label != "" {
			fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", gr.id, mermaidText(gr.label))
			indent = "    "
		}
		for _, n := range gr.nodes {
			label := mermaidText(n.title)
			if n.detail != "" {
				label += "<br/>" + mermaidText(n.detail)
			}
			fmt.Fprintf(&b, "%s%s[\"%s\"]%s\n", indent, n.id, label, mermaidClass(n.tone))
		}
		if gr.label != "" {
			b.WriteString("  end\n")
		}
	}
	for _, e := range g.edges {
		arrow := "-->"
		if e.ret {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.from.id, arrow, e.label, e.to.id)
	}
	for i, d := range g.drops {
		fmt.Fprintf(&b, "  drop%d([\"✖ %s\"]):::drop\n", i, mermaidText(d.label))
		fmt.Fprintf(&b, "  %s --x drop%d\n", d.at.id, i)
	}
	if len(g.drops) > 0 {
		b.WriteString("  classDef drop fill:#ffe0e0,stroke:#c00000,color:#c00000\n")
	}
	writeToneClasses(&b, g)
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidClass is the class suffix of a node of tone t.
func mermaidClass(t Tone) string {
	if t == TonePlain {
		return ""
	}
	return ":::" + string(t)
}

// writeToneClasses defines the Mermaid classes of the tones g uses.
func writeToneClasses(b *strings.Builder, g *graph) {
	used := map[Tone]bool{}
	for _, n := range g.nodes {
		used[n.tone] = true
	}
	for _, t := range []Tone{ToneSeen, ToneStopped, ToneSilent, ToneUnknown} {
		if used[t] {
			fill, stroke, extra := toneStyle(t)
			dash := ""
			if strings.Contains(extra, "dasharray") {
				dash = ",stroke-dasharray:5 3"
			}
			fmt.Fprintf(b, "  classDef %s fill:%s,stroke:%s%s\n", t, fill, stroke, dash)
		}
	}
}

// mermaidText makes an untrusted string safe inside a quoted Mermaid label:
// quotes and angle brackets become entity codes, control characters go.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("#quot;")
		case r == '<':
			b.WriteString("#lt;")
		case r == '>':
			b.WriteString("#gt;")
		case r == '#':
			b.WriteString("#35;")
		case r < 0x20 || r == 0x7f:
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DOT writes r as a Graphviz digraph.
func DOT(w io.Writer, r *trace.Result) error {
	g := build(r)
	var b strings.Builder
	b.WriteString("digraph pathproof {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n")
	for _, gr := range g.groups {
		indent := "  "
		if gr.label != "" {
			fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=%s;\n    style=rounded;\n    color=\"#888888\";\n", gr.id, dotQuote(gr.label))
			indent = "    "
		}
		for _, n := range gr.nodes {
			label := n.title
			if n.detail != "" {
				label += "\n" + n.detail
			}
			fmt.Fprintf(&b, "%s%s [label=%s];\n", indent, n.id, dotQuote(label))
		}
		if gr.label != "" {
			b.WriteString("  }\n")
		}
	}
	for _, e := range g.edges {
		if e.ret {
			fmt.Fprintf(&b, "  %s -> %s [label=%s, style=dashed, color=\"#8250df\"];\n", e.from.id, e.to.id, dotQuote(e.label))
		} else {
			fmt.Fprintf(&b, "  %s -> %s [label=%s, color=\"#1f6feb\"];\n", e.from.id, e.to.id, dotQuote(e.label))
		}
	}
	for i, d := range g.drops {
		fmt.Fprintf(&b, "  drop%d [label=%s, shape=octagon, color=\"#c00000\", fontcolor=\"#c00000\"];\n", i, dotQuote("✖ "+d.label))
		fmt.Fprintf(&b, "  %s -> drop%d [color=\"#c00000\", arrowhead=tee];\n", d.at.id, i)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotQuote returns s as a DOT quoted string; newlines become \n and control
// characters are dropped.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
