package diagram

import (
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pathproof/pathproof/internal/trace"
)

// Layout constants for the SVG, in pixels. Nodes sit on one row, one column
// each; boxes (VNets, sites) wrap contiguous columns. Forward arrows arc
// above the row, return arrows below, so the two legs never overlap.
const (
	nodeW    = 170
	nodeH    = 46
	colGap   = 60
	boxPad   = 14
	marginX  = 30
	arcStep  = 26 // extra arc height per column an arrow spans
	labelGap = 18
)

// arcHeight is how far an arrow spanning span columns rises or falls.
func arcHeight(span int) int { return 52 + arcStep*(max(span, 1)-1) }

// SVG writes r as a standalone SVG picture.
func SVG(w io.Writer, r *trace.Result) error {
	return writeSVG(w, build(r), title(r), []legend{
		{"━ forward: " + r.Forward.Result, colorFwd},
		{"┅ return: " + r.Return.Result, colorRet},
	})
}

// EvidenceSVG writes r like SVG, with each node toned by what the evidence
// says about it: tones maps a hop token to its tone (hops not in it stay
// plain).
func EvidenceSVG(w io.Writer, r *trace.Result, tones map[string]Tone) error {
	g := build(r)
	for _, n := range g.nodes {
		n.tone = tones[n.token]
	}
	return writeSVG(w, g, title(r), []legend{
		{"━ forward: " + r.Forward.Result, colorFwd},
		{"┅ return: " + r.Return.Result, colorRet},
	})
}

// Colours of the two legs.
const (
	colorFwd = "#1f6feb"
	colorRet = "#8250df"
)

// legend is one line under the picture's title.
type legend struct {
	text, color string
}

// writeSVG lays g out on one row and writes it with a title and legend
// lines above.
func writeSVG(w io.Writer, g *graph, heading string, legends []legend) error {
	width := marginX*2 + len(g.nodes)*nodeW + max(0, len(g.nodes)-1)*colGap
	// Wide enough for the title and the legend of a short path, by an
	// average glyph width (8 px at 14 px bold, 7 px at 13 px).
	width = max(width, marginX*2+utf8.RuneCountInString(heading)*8)
	for _, l := range legends {
		width = max(width, marginX*2+utf8.RuneCountInString(l.text)*7)
	}
	// Room above the row for forward arcs and below for return arcs.
	up, down := 0, 0
	for _, e := range g.edges {
		h := arcHeight(abs(e.to.col - e.from.col))
		if e.ret {
			down = max(down, h)
		} else {
			up = max(up, h)
		}
	}
	top := 58 + 16*len(legends)
	rowY := top + max(up, 60)
	canvasH := rowY + nodeH + max(down, 60) + 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="13">`+"\n", width, canvasH, width, canvasH)
	b.WriteString(`<defs>
<marker id="fwd" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f6feb"/></marker>
<marker id="ret" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8250df"/></marker>
</defs>
<rect width="100%" height="100%" fill="#ffffff"/>
`)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="14" font-weight="bold">%s</text>`+"\n", marginX, esc(heading))
	for i, l := range legends {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", marginX, 40+16*i, l.color, esc(l.text))
	}
	for _, gr := range g.groups {
		if gr.label == "" || len(gr.nodes) == 0 {
			continue
		}
		x0 := colX(gr.nodes[0].col) - boxPad
		x1 := colX(gr.nodes[len(gr.nodes)-1].col) + nodeW + boxPad
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="10" fill="#f4f6f8" stroke="#8c959f" stroke-dasharray="4 3"/>`+"\n", x0, rowY-boxPad-labelGap, x1-x0, nodeH+2*boxPad+labelGap)
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#57606a" font-size="12">%s</text>`+"\n", x0+8, rowY-boxPad-4, esc(gr.label))
	}
	for _, n := range g.nodes {
		x := colX(n.col)
		fill, stroke, dash := toneStyle(n.tone)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s"%s/>`+"\n", x, rowY, nodeW, nodeH, fill, stroke, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s</text>`+"\n", x+nodeW/2, rowY+19, esc(clip(n.title, 24)))
		if n.detail != "" {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#57606a">%s</text>`+"\n", x+nodeW/2, rowY+36, esc(n.detail))
		}
	}
	for _, e := range g.edges {
		writeArc(&b, e, rowY)
	}
	for _, d := range g.drops {
		cx := colX(d.at.col) + nodeW/2
		cy := rowY - 34
		ty := rowY - 52
		if d.ret {
			cy = rowY + nodeH + 34
			ty = rowY + nodeH + 64
		}
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="11" fill="#ffe0e0" stroke="#c00000" stroke-width="2"/>`+"\n", cx, cy)
		fmt.Fprintf(&b, `<path d="M%d,%d L%d,%d M%d,%d L%d,%d" stroke="#c00000" stroke-width="2.5"/>`+"\n", cx-5, cy-5, cx+5, cy+5, cx+5, cy-5, cx-5, cy+5)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#c00000" font-weight="bold">%s</text>`+"\n", cx, ty, esc(d.label))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeArc draws one arrow between two nodes: an arc above the row for the
// forward leg, below for the return leg, higher the more columns it spans.
func writeArc(b *strings.Builder, e edge, rowY int) {
	span := abs(e.to.col - e.from.col)
	fx, tx := colX(e.from.col)+nodeW/2, colX(e.to.col)+nodeW/2
	// Leave and enter a little off-centre so arrows in both directions
	// between the same pair stay apart.
	off := 18
	if e.to.col < e.from.col {
		off = -18
	}
	fx += off
	tx -= off
	y, dir, color, marker, dash := rowY, -1, "#1f6feb", "fwd", ""
	if e.ret {
		y, dir, color, marker, dash = rowY+nodeH, 1, "#8250df", "ret", ` stroke-dasharray="6 4"`
	}
	h := arcHeight(span)
	cy := y + dir*h*2
	fmt.Fprintf(b, `<path d="M%d,%d Q%d,%d %d,%d" fill="none" stroke="%s" stroke-width="2"%s marker-end="url(#%s)"/>`+"\n",
		fx, y, (fx+tx)/2, cy, tx, y, color, dash, marker)
	ly := y + dir*h - 4
	if dir > 0 {
		ly = y + dir*h + 12
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" fill="%s" font-size="12">%s</text>`+"\n", (fx+tx)/2, ly, color, esc(e.label))
}

func colX(col int) int { return marginX + col*(nodeW+colGap) }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func esc(s string) string { return html.EscapeString(stripControl(s)) }

func stripControl(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// title is the picture's heading: the flow and the overall verdict.
func title(r *trace.Result) string {
	q := r.Query
	return fmt.Sprintf("%s %s → %s:%d", q.Protocol, q.Src, q.Dst, q.DstPort)
}
