package diagram

import (
	"fmt"
	"io"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Layout of the topology picture: one column per VNet (a box holding its
// subnets, each listing what sits in it), peerings as arcs above the
// boxes, on-premises sites in a row below joined to their gateway.
const (
	topoColW    = 250
	topoColGap  = 50
	topoHeadH   = 40
	topoSubHead = 34
	topoItemH   = 24
	topoSiteW   = 220
)

// Link returns the address a node of the topology picture links to (kind
// is "nic", "firewall", "pe" or "gateway"), or "" for no link.
type Link func(kind, name string) string

// topoItem is one resource drawn in a subnet.
type topoItem struct {
	kind, name, detail string
}

// TopologySVG writes the network as a standalone SVG picture: VNets with
// their subnets, NICs (appliances marked), firewalls, private endpoints and
// gateways; peerings between VNets; on-premises sites and the gateway each
// connects to. link, when not nil, makes nodes links (the web UI opens a
// NIC's routes and rules).
func TopologySVG(w io.Writer, n *topology.Network, link Link) error {
	n.EnsureIndex()
	items := map[*topology.Subnet][]topoItem{}
	for _, x := range n.NICs {
		if s := x.SubnetRef(); s != nil {
			d := x.IP.String()
			if x.IPForwarding {
				d += " · forwards"
			}
			items[s] = append(items[s], topoItem{"nic", x.Name, d})
		}
	}
	for _, f := range n.Firewalls {
		if s := f.SubnetRef(); s != nil {
			items[s] = append(items[s], topoItem{"firewall", f.Name, f.PrivateIP.String()})
		}
	}
	for _, p := range n.PrivateEndpoints {
		if s := p.SubnetRef(); s != nil {
			items[s] = append(items[s], topoItem{"pe", p.Name, p.IP.String()})
		}
	}
	col := map[*topology.VNet]int{}
	height := map[*topology.VNet]int{}
	gwPos := map[string][2]int{} // gateway name → x, y of its pill
	maxH := 0
	for i, v := range n.VNets {
		col[v] = i
		h := topoHeadH
		for _, s := range v.Subnets {
			h += topoSubHead + topoItemH*len(subnetItems(n, v, s, items)) + 10
		}
		height[v] = h + 8
		maxH = max(maxH, height[v])
	}
	arcs := 0
	for _, p := range n.Peerings {
		if p.Local() != nil && p.Remote() != nil && col[p.Local()] < col[p.Remote()] {
			arcs++
		}
	}
	top := 50 + 30*min(arcs, 4) + 20
	sitesY := top + maxH + 70
	width := marginX*2 + max(len(n.VNets)*topoColW+max(0, len(n.VNets)-1)*topoColGap, len(n.OnPremSites)*(topoSiteW+topoColGap))
	canvasH := top + maxH + 20
	if len(n.OnPremSites) > 0 {
		canvasH = sitesY + 60 + 16*maxHosts(n) + 20
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="13" class="topology">`+"\n", width, canvasH, width, canvasH)
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="14" font-weight="bold">%d VNets, %d peerings, %d NICs, %d firewalls, %d private endpoints, %d gateways</text>`+"\n",
		marginX, len(n.VNets), len(n.Peerings), len(n.NICs), len(n.Firewalls), len(n.PrivateEndpoints), len(n.Gateways))
	// Peerings: one arc per pair, drawn from the lower column.
	k := 0
	for _, p := range n.Peerings {
		a, r := p.Local(), p.Remote()
		if a == nil || r == nil || col[a] >= col[r] {
			continue
		}
		ax, rx := topoX(col[a])+topoColW/2, topoX(col[r])+topoColW/2
		cy := top - 24 - 30*(k%4)
		dash := ""
		if !p.Connected() {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<path d="M%d,%d C%d,%d %d,%d %d,%d" fill="none" stroke="#1f6feb" stroke-width="2"%s/>`+"\n", ax, top, ax, cy, rx, cy, rx, top, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#1f6feb" font-size="11">peering %s ↔ %s</text>`+"\n", (ax+rx)/2, cy+18, esc(clip(a.Name, 14)), esc(clip(r.Name, 14)))
		k++
	}
	for _, v := range n.VNets {
		x := topoX(col[v])
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="10" fill="#f4f6f8" stroke="#8c959f"/>`+"\n", x, top, topoColW, height[v])
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", x+10, top+18, esc(clip("VNet "+v.Name, 30)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#57606a" font-size="11">%s</text>`+"\n", x+10, top+32, esc(clip(prefixes(v), 38)))
		y := top + topoHeadH
		for _, s := range v.Subnets {
			its := subnetItems(n, v, s, items)
			h := topoSubHead + topoItemH*len(its)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="#ffffff" stroke="#d0d7de"/>`+"\n", x+8, y, topoColW-16, h)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12">%s <tspan fill="#57606a">%s</tspan></text>`+"\n", x+16, y+18, esc(clip(s.Name, 22)), esc(s.Prefix.String()))
			iy := y + topoSubHead - 6
			for _, it := range its {
				if it.kind == "gateway" {
					gwPos[it.name] = [2]int{x + topoColW/2, iy + topoItemH}
				}
				writeTopoItem(&b, it, x+16, iy, topoColW-32, link)
				iy += topoItemH
			}
			y += h + 10
		}
	}
	for i, site := range n.OnPremSites {
		x := marginX + i*(topoSiteW+topoColGap)
		hosts := len(site.Hosts)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="10" fill="#fff8e6" stroke="#bf8700"/>`+"\n", x, sitesY, topoSiteW, 44+16*hosts)
		title := "on-premises " + site.Name
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", x+10, sitesY+18, esc(clip(title, 30)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#57606a" font-size="11">%s</text>`+"\n", x+10, sitesY+34, esc(clip(joinPrefixes(site.Prefixes), 36)))
		for j, h := range site.Hosts {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11">%s %s</text>`+"\n", x+16, sitesY+52+16*j, esc(clip(h.Name, 18)), esc(h.IP.String()))
		}
		for _, c := range n.Connections {
			if c.Remote != site.Name {
				continue
			}
			if p, ok := gwPos[c.Gateway]; ok {
				fmt.Fprintf(&b, `<path d="M%d,%d L%d,%d" stroke="#bf8700" stroke-width="2" stroke-dasharray="5 3"/>`+"\n", p[0], p[1], x+topoSiteW/2, sitesY)
				fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#bf8700" font-size="11">%s</text>`+"\n", x+topoSiteW/2+6, sitesY-8, esc(clip(c.Type+" "+c.Name, 30)))
			}
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// subnetItems lists what is drawn in a subnet: its NICs, firewalls and
// private endpoints, and the VNet's gateways in GatewaySubnet.
func subnetItems(n *topology.Network, v *topology.VNet, s *topology.Subnet, items map[*topology.Subnet][]topoItem) []topoItem {
	out := items[s]
	if strings.EqualFold(s.Name, "GatewaySubnet") {
		for _, g := range n.GatewaysIn(v) {
			out = append(out, topoItem{"gateway", g.Name, g.Type})
		}
	}
	return out
}

// writeTopoItem draws one resource pill, as a link when link gives one.
func writeTopoItem(b *strings.Builder, it topoItem, x, y, w int, link Link) {
	fill, stroke := "#ddf4ff", "#54aeff"
	switch it.kind {
	case "firewall":
		fill, stroke = "#ffebe9", "#ff8182"
	case "pe":
		fill, stroke = "#fbefff", "#d2a8ff"
	case "gateway":
		fill, stroke = "#fff8c5", "#d4a72c"
	}
	href := ""
	if link != nil {
		href = link(it.kind, it.name)
	}
	if href != "" {
		fmt.Fprintf(b, `<a href="%s" class="node node-%s" data-name="%s">`, esc(href), it.kind, esc(it.name))
	}
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="%s" stroke="%s"/>`, x, y, w, topoItemH-4, fill, stroke)
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="12">%s <tspan fill="#57606a">%s</tspan></text>`, x+6, y+15, esc(clip(it.kind+" "+it.name, 26)), esc(clip(it.detail, 22)))
	if href != "" {
		b.WriteString(`</a>`)
	}
	b.WriteString("\n")
}

func topoX(col int) int { return marginX + col*(topoColW+topoColGap) }

func prefixes(v *topology.VNet) string { return joinPrefixes(v.AddressSpace) }

func joinPrefixes[T fmt.Stringer](ps []T) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

func maxHosts(n *topology.Network) int {
	m := 0
	for _, s := range n.OnPremSites {
		m = max(m, len(s.Hosts))
	}
	return m
}
