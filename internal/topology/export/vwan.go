package export

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Virtual WAN and Route Server in ARM's shapes: virtualWans, virtualHubs
// (a Route Server is a virtualHubs resource without a virtual WAN and with
// an ip configuration in its VNet's RouteServerSubnet), hubRouteTables,
// hubVirtualNetworkConnections, vpnGateways with their connections (a
// branch site is the local network gateway sitesOut writes), routingIntent
// and bgpConnections. What BGP peers advertise travels as the answer of
// listLearnedRoutes (RouteServiceRole_IN_0), which the loader reads.

func (e *exporter) wanID(w *topology.VirtualWAN) string { return e.idOf(w.ID, "virtualWans", w.Name) }
func (e *exporter) hubID(h *topology.VirtualHub) string { return e.idOf(h.ID, "virtualHubs", h.Name) }
func (e *exporter) rsID(r *topology.RouteServer) string { return e.idOf(r.ID, "virtualHubs", r.Name) }

func (e *exporter) hubTableID(t *topology.HubRouteTable) string {
	if t.ID != "" {
		return t.ID
	}
	return e.hubID(t.Hub()) + "/hubRouteTables/" + t.Name
}

// hubConnID is a connection's id: under the hub (VNet) or under the hub's
// VPN / ExpressRoute gateway (branches).
func (e *exporter) hubConnID(c *topology.HubConnection) string {
	if c.ID != "" {
		return c.ID
	}
	switch c.Kind() {
	case topology.HubConnVPN:
		return e.hubGatewayID(c.Hub(), c.Kind()) + "/vpnConnections/" + c.Name
	case topology.HubConnExpressRoute:
		return e.hubGatewayID(c.Hub(), c.Kind()) + "/expressRouteConnections/" + c.Name
	}
	return e.hubID(c.Hub()) + "/hubVirtualNetworkConnections/" + c.Name
}

func (e *exporter) hubGatewayID(h *topology.VirtualHub, kind string) string {
	if kind == topology.HubConnExpressRoute {
		return e.idOf("", "expressRouteGateways", h.Name+"-ergw")
	}
	return e.idOf("", "vpnGateways", h.Name+"-vpngw")
}

// hubNextHopID resolves a hub route or routing-intent next hop (a firewall
// or connection name) to its exported id; a dangling reference is kept.
func (e *exporter) hubNextHopID(h *topology.VirtualHub, ref string) string {
	if f := e.n.Firewall(ref); f != nil {
		return e.idOf(f.ID, "azureFirewalls", f.Name)
	}
	if c := h.Connection(ref); c != nil {
		return e.hubConnID(c)
	}
	return ref
}

// hubTableRef resolves a route table reference of a connection of h.
func (e *exporter) hubTableRef(h *topology.VirtualHub, ref string) string {
	if t := e.n.HubRouteTable(h, ref); t != nil && t.Hub() != nil {
		return e.hubTableID(t)
	}
	return ref
}

// routingConfiguration is a connection's routingConfiguration: only what
// the design sets, so the defaults read back as defaults.
func (e *exporter) routingConfiguration(c *topology.HubConnection) map[string]any {
	h := c.Hub()
	rc := map[string]any{}
	if c.AssociatedRouteTable != "" {
		rc["associatedRouteTable"] = refObj(e.hubTableRef(h, c.AssociatedRouteTable))
	}
	if len(c.PropagatedRouteTables) > 0 || len(c.PropagatedLabels) > 0 {
		ids := []any{}
		for _, t := range c.PropagatedRouteTables {
			ids = append(ids, refObj(e.hubTableRef(h, t)))
		}
		rc["propagatedRouteTables"] = map[string]any{"ids": ids, "labels": list(c.PropagatedLabels)}
	}
	if len(c.StaticRoutes) > 0 || c.PropagateStaticRoutes != nil {
		var srs []any
		for _, s := range c.StaticRoutes {
			srs = append(srs, map[string]any{"name": s.Name, "addressPrefixes": prefixList(s.Prefixes), "nextHopIpAddress": s.NextHopIP.String()})
		}
		vr := map[string]any{"staticRoutes": orEmpty(srs)}
		if c.PropagateStaticRoutes != nil {
			vr["staticRoutesConfig"] = map[string]any{"propagateStaticRoutes": *c.PropagateStaticRoutes}
		}
		rc["vnetRoutes"] = vr
	}
	return rc
}

// vwanNotes lists the design facts the exports cannot carry.
func (e *exporter) vwanNotes() {
	for _, h := range e.n.VirtualHubs {
		for _, c := range h.Connections {
			if len(c.Prefixes) > 0 {
				e.notes = append(e.notes, fmt.Sprintf("hub %s connection %s: its prefixes are learned over BGP and not exported", h.Name, c.Name))
			}
		}
		if ri := h.RoutingIntent; ri != nil && len(ri.PrivatePrefixes) > 0 {
			e.notes = append(e.notes, fmt.Sprintf("hub %s routing intent: additional private prefixes not exported", h.Name))
		}
	}
}

// vwanOut writes the Virtual WAN and Route Server resources.
func (e *exporter) vwanOut() {
	e.vwanNotes()
	for _, w := range e.n.VirtualWANs {
		typ := w.Type
		if typ == "" {
			typ = "Standard"
		}
		e.add(e.wanID(w), w.Name, "Microsoft.Network/virtualWans", map[string]any{"type": typ, "allowBranchToBranchTraffic": !w.DisableBranchToBranch}, nil)
	}
	for _, h := range e.n.VirtualHubs {
		id := e.hubID(h)
		p := map[string]any{"virtualRouterIps": addrList(h.RouterIPs)}
		if w := h.WANRef(); w != nil {
			p["virtualWan"] = refObj(e.wanID(w))
		} else if h.WAN != "" {
			p["virtualWan"] = refObj(h.WAN)
		}
		if h.AddressPrefix.IsValid() {
			p["addressPrefix"] = h.AddressPrefix.String()
		}
		if h.RouterASN != 0 {
			p["virtualRouterAsn"] = h.RouterASN
		}
		if h.RoutingPreference != "" {
			p["hubRoutingPreference"] = h.RoutingPreference
		}
		r := e.add(id, h.Name, "Microsoft.Network/virtualHubs", p, nil)
		if h.Region != "" {
			r["location"] = h.Region
		}
		for _, t := range h.RouteTables {
			var routes []any
			for _, ro := range t.Routes {
				routes = append(routes, map[string]any{"name": ro.Name, "destinationType": "CIDR", "destinations": list(ro.Destinations),
					"nextHopType": "ResourceId", "nextHop": e.hubNextHopID(h, ro.NextHop)})
			}
			e.add(e.hubTableID(t), t.Name, "Microsoft.Network/virtualHubs/hubRouteTables", map[string]any{"labels": list(t.Labels), "routes": orEmpty(routes)}, nil)
		}
		gws := map[string][]any{}
		for _, c := range h.Connections {
			props := map[string]any{"enableInternetSecurity": c.InternetSecurity, "routingConfiguration": e.routingConfiguration(c)}
			if !c.Branch() {
				if v := c.VNetRef(); v != nil {
					props["remoteVirtualNetwork"] = refObj(e.vnetID(v))
				} else {
					props["remoteVirtualNetwork"] = refObj(c.RemoteVNet)
				}
				e.add(e.hubConnID(c), c.Name, "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections", props, nil)
				continue
			}
			if s := c.SiteRef(); s != nil {
				props["remoteVpnSite"] = refObj(e.siteID(s))
			} else if c.Site != "" {
				props["remoteVpnSite"] = refObj(c.Site)
			}
			gws[c.Kind()] = append(gws[c.Kind()], map[string]any{"id": e.hubConnID(c), "name": c.Name, "properties": props})
		}
		for _, kind := range []string{topology.HubConnVPN, topology.HubConnExpressRoute} {
			if len(gws[kind]) == 0 {
				continue
			}
			gid := e.hubGatewayID(h, kind)
			typ, key := "Microsoft.Network/vpnGateways", "connections"
			if kind == topology.HubConnExpressRoute {
				typ, key = "Microsoft.Network/expressRouteGateways", "expressRouteConnections"
			}
			e.add(gid, arm.LastSegment(gid), typ, map[string]any{"virtualHub": refObj(id), key: gws[kind]}, nil)
		}
		if ri := h.RoutingIntent; ri != nil {
			e.add(e.intentID(h), ri.Name, "Microsoft.Network/virtualHubs/routingIntent", map[string]any{"routingPolicies": e.routingPolicies(h)}, nil)
		}
		for _, p := range h.BGPPeers {
			props := map[string]any{"peerIp": p.PeerIP.String(), "peerAsn": p.PeerASN}
			if c := h.Connection(p.Connection); c != nil {
				props["hubVirtualNetworkConnection"] = refObj(e.hubConnID(c))
			} else if p.Connection != "" {
				props["hubVirtualNetworkConnection"] = refObj(p.Connection)
			}
			e.add(e.peerID(id, p), p.Name, "Microsoft.Network/virtualHubs/bgpConnections", props, nil)
			e.learnedOut(h.Name, p)
		}
	}
	for _, r := range e.n.RouteServers {
		id := e.rsID(r)
		p := map[string]any{"virtualRouterIps": addrList(r.IPs), "allowBranchToBranchTraffic": r.BranchToBranch}
		if r.ASN != 0 {
			p["virtualRouterAsn"] = r.ASN
		}
		vnet := r.VNet
		if v := r.VNetRef(); v != nil {
			vnet = e.vnetID(v)
		}
		p["ipConfigurations"] = []any{map[string]any{"id": id + "/ipConfigurations/ipconfig1", "name": "ipconfig1",
			"properties": map[string]any{"subnet": refObj(vnet + "/subnets/RouteServerSubnet")}}}
		e.add(id, r.Name, "Microsoft.Network/virtualHubs", p, nil)
		for _, pe := range r.Peers {
			e.add(e.peerID(id, pe), pe.Name, "Microsoft.Network/virtualHubs/bgpConnections", map[string]any{"peerIp": pe.PeerIP.String(), "peerAsn": pe.PeerASN}, nil)
			e.learnedOut(r.Name, pe)
		}
	}
}

func (e *exporter) intentID(h *topology.VirtualHub) string {
	if h.RoutingIntent.ID != "" {
		return h.RoutingIntent.ID
	}
	return e.hubID(h) + "/routingIntent/" + h.RoutingIntent.Name
}

func (e *exporter) peerID(parent string, p *topology.BGPPeer) string {
	if p.ID != "" {
		return p.ID
	}
	return parent + "/bgpConnections/" + p.Name
}

// routingPolicies are a routing intent's policies, one per destination.
func (e *exporter) routingPolicies(h *topology.VirtualHub) []any {
	ri := h.RoutingIntent
	var out []any
	if ri.PrivateNextHop != "" {
		out = append(out, map[string]any{"name": "PrivateTrafficPolicy", "destinations": []any{"PrivateTraffic"}, "nextHop": e.hubNextHopID(h, ri.PrivateNextHop)})
	}
	if ri.InternetNextHop != "" {
		out = append(out, map[string]any{"name": "InternetTrafficPolicy", "destinations": []any{"Internet"}, "nextHop": e.hubNextHopID(h, ri.InternetNextHop)})
	}
	return orEmpty(out)
}

// learnedOut writes what peer p advertises as a listLearnedRoutes answer
// of its route server or hub (none when it advertises nothing).
func (e *exporter) learnedOut(hub string, p *topology.BGPPeer) {
	if len(p.Routes) == 0 {
		return
	}
	var routes []any
	for _, r := range p.Routes {
		routes = append(routes, map[string]any{"network": r.Prefix.String(), "nextHop": r.Hop(p).String(), "sourcePeer": p.PeerIP.String(), "asPath": r.ASPath})
	}
	e.out = append(e.out, map[string]any{"type": "pathproof/bgpLearnedRoutes", "hubName": hub, "connectionName": p.Name, "RouteServiceRole_IN_0": routes})
}

func addrList(as []netip.Addr) []any {
	out := make([]any, 0, len(as))
	for _, a := range as {
		out = append(out, a.String())
	}
	return out
}
