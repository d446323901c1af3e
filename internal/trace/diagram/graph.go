// Package diagram draws a traced flow: VNets and on-premises sites as boxes,
// hops as nodes, the forward leg as solid numbered arrows, the return leg as
// dashed arrows, and the drop point marked. It writes Mermaid, Graphviz DOT
// and SVG; the SVG is laid out here (no Graphviz needed). EvidenceSVG tones
// each hop by what the evidence saw there, and Path draws a path known only
// from evidence (explain without a topology) in the same layout.
package diagram

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/trace"
)

// graph is the drawing-independent form of a trace: nodes in layout order,
// grouped into boxes, and the arrows of both legs.
type graph struct {
	groups []*group
	nodes  []*node
	edges  []edge
	drops  []dropMark
}

type group struct {
	id    string
	label string // "VNet hub", "on-premises onprem"; empty = no box
	nodes []*node
}

type node struct {
	id     string // n0, n1, ...
	token  string
	title  string // "firewall: azfw"
	detail string // IP
	tone   Tone   // how the node is drawn; "" plain
	col    int
}

type edge struct {
	from, to *node
	label    string
	ret      bool // part of the return leg
}

type dropMark struct {
	at     *node
	label  string
	ret    bool
	reason string
}

// build turns r into a graph. Nodes are keyed by hop token, so a device on
// both legs is drawn once.
func build(r *trace.Result) *graph {
	g := &graph{}
	byToken := map[string]*node{}
	byGroup := map[string]*group{}
	add := func(h trace.Hop) *node {
		if n, ok := byToken[h.Token()]; ok {
			return n
		}
		gid, label := groupOf(h)
		gr, ok := byGroup[gid]
		if !ok {
			gr = &group{id: fmt.Sprintf("g%d", len(g.groups)), label: label}
			byGroup[gid] = gr
			g.groups = append(g.groups, gr)
		}
		n := &node{token: h.Token(), title: h.Kind}
		if h.Name != "" {
			n.title = h.Kind + ": " + h.Name
		}
		if h.IP.IsValid() {
			n.detail = h.IP.String()
		}
		byToken[h.Token()] = n
		gr.nodes = append(gr.nodes, n)
		return n
	}
	legs := []struct {
		leg trace.Leg
		ret bool
	}{{r.Forward, false}, {r.Return, true}}
	for _, l := range legs {
		var prev *node
		for i, h := range l.leg.Hops {
			n := add(h)
			if prev != nil && prev != n {
				label := fmt.Sprintf("%d", i)
				if l.ret {
					label = fmt.Sprintf("R%d", i)
				}
				g.edges = append(g.edges, edge{from: prev, to: n, label: label, ret: l.ret})
			}
			prev = n
		}
		if l.leg.Drop != nil && prev != nil {
			at := prev
			if n, ok := byToken[l.leg.Drop.At]; ok {
				at = n
			}
			label := "dropped: " + l.leg.Drop.Reason
			if l.ret {
				label = "reply dropped: " + l.leg.Drop.Reason
			}
			g.drops = append(g.drops, dropMark{at: at, label: label, ret: l.ret, reason: l.leg.Drop.Reason})
		}
	}
	// Layout order: groups by first appearance, nodes within a group by
	// first appearance, so every box is a contiguous run of columns.
	col := 0
	for _, gr := range g.groups {
		for _, n := range gr.nodes {
			n.id = fmt.Sprintf("n%d", col)
			n.col = col
			g.nodes = append(g.nodes, n)
			col++
		}
	}
	return g
}

// groupOf returns the box a hop belongs to and the box's label.
func groupOf(h trace.Hop) (id, label string) {
	switch {
	case h.Kind == trace.KindOnPrem:
		return "onprem/" + h.Name, "on-premises " + h.Name
	case h.Kind == trace.KindInternet || h.Kind == trace.KindService:
		return "edge/" + h.Token(), ""
	case h.VNet != "":
		return "vnet/" + h.VNet, "VNet " + h.VNet
	default:
		return "none/" + h.Token(), ""
	}
}
