package diagram

import (
	"fmt"
	"io"
)

// Path is a path drawn without a trace: the hops of a flow known only from
// where evidence appeared (explain without a topology). It is laid out like
// a trace: forward hops left to right with solid arrows, hops that saw only
// the reply after them with dashed arrows from the destination.
type Path struct {
	// Title heads the picture (the flow).
	Title string
	// Note is a line under the title ("path inferred from the evidence").
	Note string
	// Hops in path order: the forward hops, then the return-only hops.
	Hops []PathHop
}

// PathHop is one hop of a Path.
type PathHop struct {
	// Kind and Name make the hop's token, as trace spells it (nic,
	// firewall, gateway, onprem, internet, keyvault, ...).
	Kind, Name string
	// Detail is the node's second line (an address, or what was seen).
	Detail string
	// Group boxes contiguous hops with the same label (a VNet, an
	// on-premises site); empty: no box.
	Group string
	// Return is true for a hop that saw only the reply.
	Return bool
	// Tone says how the evidence left the hop.
	Tone Tone
	// Stop, when not empty, marks the hop where the flow stopped, with
	// this label.
	Stop string
}

// Tone is how a node is drawn: what the evidence says about it.
type Tone string

// Tones of a node.
const (
	TonePlain   Tone = ""        // no evidence judgement
	ToneSeen    Tone = "seen"    // evidence shows the flow passing (green)
	ToneStopped Tone = "stopped" // evidence shows the flow refused here (red)
	ToneSilent  Tone = "silent"  // the hop's log shows nothing of the flow (amber, dashed)
	ToneUnknown Tone = "unknown" // no log speaks for the hop (grey, dashed)
)

// toneStyle returns the SVG fill, stroke and extra attributes of a tone.
func toneStyle(t Tone) (fill, stroke, extra string) {
	switch t {
	case ToneSeen:
		return "#e6f4ea", "#1a7f37", ""
	case ToneStopped:
		return "#ffe0e0", "#c00000", ` stroke-width="2"`
	case ToneSilent:
		return "#fff8e1", "#9a6700", ` stroke-dasharray="5 3"`
	case ToneUnknown:
		return "#f6f8fa", "#8c959f", ` stroke-dasharray="5 3"`
	}
	return "#ffffff", "#24292f", ""
}

// token is the hop's token: "kind:name", or the kind alone.
func (h PathHop) token() string {
	if h.Name == "" {
		return h.Kind
	}
	return h.Kind + ":" + h.Name
}

// PathSVG writes p as a standalone SVG picture.
func PathSVG(w io.Writer, p Path) error {
	legends := []legend{{"━ request", colorFwd}}
	if p.hasReturn() {
		legends = append(legends, legend{"┅ reply seen", colorRet})
	}
	if p.Note != "" {
		legends = append(legends, legend{p.Note, "#57606a"})
	}
	return writeSVG(w, buildPath(p), p.Title, legends)
}

// PathMermaid writes p as a Mermaid flowchart.
func PathMermaid(w io.Writer, p Path) error {
	return writeMermaid(w, buildPath(p))
}

func (p Path) hasReturn() bool {
	for _, h := range p.Hops {
		if h.Return {
			return true
		}
	}
	return false
}

// buildPath turns p into a graph: forward hops chained in order, return
// hops chained from the last forward hop. A hop is drawn once however often
// it is listed.
func buildPath(p Path) *graph {
	g := &graph{}
	byToken := map[string]*node{}
	var cur *group
	add := func(h PathHop) *node {
		if n, ok := byToken[h.token()]; ok {
			return n
		}
		if cur == nil || h.Group == "" || cur.label != h.Group {
			cur = &group{id: fmt.Sprintf("g%d", len(g.groups)), label: h.Group}
			g.groups = append(g.groups, cur)
		}
		title := h.Kind
		if h.Name != "" {
			title = h.Kind + ": " + h.Name
		}
		n := &node{id: fmt.Sprintf("n%d", len(g.nodes)), token: h.token(), title: title, detail: h.Detail, tone: h.Tone, col: len(g.nodes)}
		byToken[n.token] = n
		cur.nodes = append(cur.nodes, n)
		g.nodes = append(g.nodes, n)
		return n
	}
	var last *node // the last forward hop: the reply starts there
	step, rstep := 0, 0
	for _, h := range p.Hops {
		if h.Return {
			continue
		}
		n := add(h)
		if last != nil && last != n {
			step++
			g.edges = append(g.edges, edge{from: last, to: n, label: fmt.Sprint(step)})
		}
		last = n
		if h.Stop != "" {
			g.drops = append(g.drops, dropMark{at: n, label: h.Stop})
		}
	}
	prev := last
	for _, h := range p.Hops {
		if !h.Return {
			continue
		}
		n := add(h)
		if prev != nil && prev != n {
			rstep++
			g.edges = append(g.edges, edge{from: prev, to: n, label: fmt.Sprintf("R%d", rstep), ret: true})
		}
		prev = n
		if h.Stop != "" {
			g.drops = append(g.drops, dropMark{at: n, label: h.Stop, ret: true})
		}
	}
	return g
}
