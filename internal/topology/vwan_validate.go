package topology

import (
	"net/netip"
	"strings"
)

// validateVWAN reports dangling references of hubs, hub route tables,
// connections, routing intent and route servers (errors, so the rest still
// loads and the command exits 4), and contradictions: two static routes of
// one hub route table, or two connections of one WAN, claiming the same
// prefix (warnings: Azure picks one, the model says which it assumed).
func (n *Network) validateVWAN(d *Diagnostics) {
	for _, h := range n.VirtualHubs {
		res := "virtual hub " + h.Name
		if h.WAN != "" && h.wan == nil {
			d.Errorf(h.Src, res, "virtual WAN %q not found", h.WAN)
		}
		if h.AddressPrefix.IsValid() {
			checkPrefix(d, h.Src, res, h.AddressPrefix)
		}
		for _, t := range h.AllRouteTables() {
			seen := map[netip.Prefix]string{}
			for _, r := range t.Routes {
				rres := res + " route table " + t.Name + " route " + r.Name
				if n.hubNextHop(h, r.NextHop) == "" {
					d.Errorf(t.Src, rres, "next hop %q is neither a firewall nor a connection of the hub", r.NextHop)
				}
				for _, ds := range r.Destinations {
					p, err := netip.ParsePrefix(ds)
					if err != nil {
						d.Errorf(t.Src, rres, "destination %q is not a CIDR", ds)
						continue
					}
					if other, dup := seen[p.Masked()]; dup && other != r.Name {
						d.Warnf(t.Src, rres, "destination %s is also a destination of route %s of the same table: Azure does not say which wins; the model takes the first", p, other)
					}
					seen[p.Masked()] = r.Name
				}
			}
		}
		for _, c := range h.Connections {
			cres := res + " connection " + c.Name
			switch c.Kind() {
			case HubConnVNet:
				if c.vnet == nil {
					d.Errorf(c.Src, cres, "VNet %q not found", c.RemoteVNet)
				}
			default:
				if c.Site != "" && c.site == nil {
					d.Errorf(c.Src, cres, "site %q not found", c.Site)
				}
			}
			if c.AssociatedRouteTable != "" && n.HubRouteTable(h, c.AssociatedRouteTable) == nil {
				d.Errorf(c.Src, cres, "associated route table %q not found in hub %s", c.AssociatedRouteTable, h.Name)
			}
			for _, t := range c.PropagatedRouteTables {
				if n.HubRouteTable(h, t) == nil {
					d.Errorf(c.Src, cres, "propagated route table %q not found", t)
				}
			}
		}
		if ri := h.RoutingIntent; ri != nil {
			for _, nh := range []string{ri.PrivateNextHop, ri.InternetNextHop} {
				if nh != "" && n.hubNextHop(h, nh) == "" {
					d.Errorf(h.Src, res+" routing intent", "next hop %q is not a firewall or BGP peer of the hub", nh)
				}
			}
		}
	}
	n.validateHubPrefixes(d)
	for _, r := range n.RouteServers {
		if r.vnet == nil {
			d.Errorf(r.Src, "route server "+r.Name, "VNet %q not found", r.VNet)
		}
	}
}

// validateHubPrefixes warns when two VNet connections of one virtual WAN
// teach the hubs the same prefix.
func (n *Network) validateHubPrefixes(d *Diagnostics) {
	type claim struct {
		wan *VirtualWAN
		p   netip.Prefix
	}
	seen := map[claim]*HubConnection{}
	for _, h := range n.VirtualHubs {
		for _, c := range h.Connections {
			if c.vnet == nil {
				continue
			}
			for _, p := range c.vnet.AddressSpace {
				k := claim{h.wan, p.Masked()}
				if o := seen[k]; o != nil {
					d.Warnf(c.Src, "virtual hub "+h.Name+" connection "+c.Name, "prefix %s is also taught by connection %s (hub %s): equal prefixes in one virtual WAN, the hub router picks one", p, o.Name, o.hub.Name)
					continue
				}
				seen[k] = c
			}
		}
	}
}

// hubNextHop classifies a hub route or routing-intent next hop: "firewall",
// "connection", "peer" or "" when it names nothing of hub h.
func (n *Network) hubNextHop(h *VirtualHub, ref string) string {
	if f := n.Firewall(ref); f != nil && f.Hub != "" && n.VirtualHub(f.Hub) == h {
		return "firewall"
	}
	if h.Connection(ref) != nil {
		return "connection"
	}
	for _, p := range h.BGPPeers {
		if eqFold(p.Name, ref) || (p.ID != "" && eqFold(p.ID, ref)) {
			return "peer"
		}
	}
	return ""
}

// HubRouteTable resolves a hub route table reference made from hub from:
// an ARM id (".../virtualHubs/<hub>/hubRouteTables/<table>", whichever hub
// it names), "hub/table", or a table name of from itself.
func (n *Network) HubRouteTable(from *VirtualHub, ref string) *HubRouteTable {
	low := key(ref)
	if i := strings.Index(low, "/virtualhubs/"); i >= 0 {
		rest := strings.Split(ref[i+len("/virtualhubs/"):], "/")
		if len(rest) >= 3 {
			if h := n.VirtualHub(rest[0]); h != nil {
				return h.RouteTable(rest[2])
			}
		}
		return nil
	}
	if hub, table, ok := strings.Cut(ref, "/"); ok {
		if h := n.VirtualHub(hub); h != nil {
			return h.RouteTable(table)
		}
		return nil
	}
	if from != nil {
		return from.RouteTable(ref)
	}
	return nil
}
