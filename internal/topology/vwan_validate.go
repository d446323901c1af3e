package topology

import (
	"net/netip"
	"strings"
)

// validateVWAN reports dangling references of hubs, hub route tables,
// connections, routing intent and route servers (errors, so the rest still
// loads and the command exits 4). Contradictions (two static routes of one
// hub route table, or two connections of one WAN, claiming the same prefix)
// are not load problems: azure reports them as findings where the routes
// meet (azure/vwan_conflict.go), in the hub's effective routes and in a
// trace that uses such a route.
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
			for _, r := range t.Routes {
				rres := res + " route table " + t.Name + " route " + r.Name
				if n.hubNextHop(h, r.NextHop) == "" {
					d.Errorf(t.Src, rres, "next hop %q is neither a firewall nor a connection of the hub", r.NextHop)
				}
				for _, ds := range r.Destinations {
					if _, err := netip.ParsePrefix(ds); err != nil {
						d.Errorf(t.Src, rres, "destination %q is not a CIDR", ds)
					}
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
	for _, r := range n.RouteServers {
		if r.vnet == nil {
			d.Errorf(r.Src, "route server "+r.Name, "VNet %q not found", r.VNet)
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
