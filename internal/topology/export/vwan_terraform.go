package export

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/topology"
)

// vwan writes the Virtual WAN and Route Server resources as the azurerm
// provider (4.x) keeps them: azurerm_virtual_wan, azurerm_virtual_hub,
// azurerm_virtual_hub_route_table, azurerm_virtual_hub_connection,
// azurerm_vpn_gateway with azurerm_vpn_gateway_connection (the branch site
// is the azurerm_local_network_gateway gateways() writes),
// azurerm_express_route_gateway with azurerm_express_route_connection,
// azurerm_virtual_hub_routing_intent, azurerm_virtual_hub_bgp_connection,
// azurerm_route_server and azurerm_route_server_bgp_connection. What a BGP
// peer advertises has no Terraform attribute: it is not written (a note
// says so).
func (w *tfWriter) vwan() {
	e := w.e
	rg := ResourceGroup
	e.vwanNotes()
	for _, x := range e.n.VirtualWANs {
		typ := x.Type
		if typ == "" {
			typ = "Standard"
		}
		w.add("azurerm_virtual_wan", x.Name, map[string]any{"id": e.wanID(x), "name": x.Name, "resource_group_name": rg, "type": typ,
			"allow_branch_to_branch_traffic": !x.DisableBranchToBranch}, false)
	}
	for _, h := range e.n.VirtualHubs {
		id := e.hubID(h)
		v := map[string]any{"id": id, "name": h.Name, "resource_group_name": rg, "location": h.Region, "virtual_router_ips": addrList(h.RouterIPs),
			"virtual_router_asn": h.RouterASN, "hub_routing_preference": h.RoutingPreference, "address_prefix": "", "virtual_wan_id": h.WAN}
		if x := h.WANRef(); x != nil {
			v["virtual_wan_id"] = e.wanID(x)
		}
		if h.AddressPrefix.IsValid() {
			v["address_prefix"] = h.AddressPrefix.String()
		}
		w.add("azurerm_virtual_hub", h.Name, v, false)
		for _, t := range h.RouteTables {
			var routes []any
			for _, ro := range t.Routes {
				routes = append(routes, map[string]any{"name": ro.Name, "destinations": list(ro.Destinations), "destinations_type": "CIDR",
					"next_hop": e.hubNextHopID(h, ro.NextHop), "next_hop_type": "ResourceId"})
			}
			w.add("azurerm_virtual_hub_route_table", h.Name+"_"+t.Name, map[string]any{"id": e.hubTableID(t), "name": t.Name, "virtual_hub_id": id,
				"labels": list(t.Labels), "route": orEmpty(routes)}, false)
		}
		gateways := map[string]bool{}
		for _, c := range h.Connections {
			v := map[string]any{"id": e.hubConnID(c), "name": c.Name, "internet_security_enabled": c.InternetSecurity, "routing": w.hubRouting(c)}
			switch c.Kind() {
			case topology.HubConnVNet:
				v["virtual_hub_id"], v["remote_virtual_network_id"] = id, c.RemoteVNet
				if x := c.VNetRef(); x != nil {
					v["remote_virtual_network_id"] = e.vnetID(x)
				}
				w.add("azurerm_virtual_hub_connection", h.Name+"_"+c.Name, v, false)
				continue
			case topology.HubConnVPN:
				v["vpn_gateway_id"], v["remote_vpn_site_id"] = e.hubGatewayID(h, c.Kind()), c.Site
				if s := c.SiteRef(); s != nil {
					v["remote_vpn_site_id"] = e.siteID(s)
				}
				w.add("azurerm_vpn_gateway_connection", h.Name+"_"+c.Name, v, false)
			case topology.HubConnExpressRoute:
				v["express_route_gateway_id"] = e.hubGatewayID(h, c.Kind())
				w.add("azurerm_express_route_connection", h.Name+"_"+c.Name, v, false)
			}
			gateways[c.Kind()] = true
		}
		for kind, typ := range map[string]string{topology.HubConnVPN: "azurerm_vpn_gateway", topology.HubConnExpressRoute: "azurerm_express_route_gateway"} {
			if gateways[kind] {
				gid := e.hubGatewayID(h, kind)
				w.add(typ, h.Name+"_"+kind, map[string]any{"id": gid, "name": h.Name + "-" + kind, "resource_group_name": rg, "virtual_hub_id": id}, false)
			}
		}
		if ri := h.RoutingIntent; ri != nil {
			var pols []any
			for _, p := range e.routingPolicies(h) {
				m := p.(map[string]any)
				pols = append(pols, map[string]any{"name": m["name"], "destinations": m["destinations"], "next_hop": m["nextHop"]})
			}
			w.add("azurerm_virtual_hub_routing_intent", h.Name+"_"+ri.Name, map[string]any{"id": e.intentID(h), "name": ri.Name, "virtual_hub_id": id,
				"routing_policy": orEmpty(pols)}, false)
		}
		for _, p := range h.BGPPeers {
			conn := p.Connection
			if c := h.Connection(p.Connection); c != nil {
				conn = e.hubConnID(c)
			}
			w.add("azurerm_virtual_hub_bgp_connection", h.Name+"_"+p.Name, map[string]any{"id": e.peerID(id, p), "name": p.Name, "virtual_hub_id": id,
				"peer_ip": p.PeerIP.String(), "peer_asn": p.PeerASN, "virtual_network_connection_id": conn}, false)
			w.peerRoutesNote(h.Name, p)
		}
	}
	for _, r := range e.n.RouteServers {
		id := e.rsID(r)
		vnet := r.VNet
		if v := r.VNetRef(); v != nil {
			vnet = e.vnetID(v)
		}
		w.add("azurerm_route_server", r.Name, map[string]any{"id": id, "name": r.Name, "resource_group_name": rg, "sku": "Standard",
			"subnet_id": vnet + "/subnets/RouteServerSubnet", "virtual_router_ips": addrList(r.IPs), "virtual_router_asn": r.ASN,
			"branch_to_branch_traffic_enabled": r.BranchToBranch}, false)
		for _, p := range r.Peers {
			w.add("azurerm_route_server_bgp_connection", r.Name+"_"+p.Name, map[string]any{"id": e.peerID(id, p), "name": p.Name, "route_server_id": id,
				"peer_ip": p.PeerIP.String(), "peer_asn": p.PeerASN}, false)
			w.peerRoutesNote(r.Name, p)
		}
	}
}

// hubRouting is a connection's routing block (only what the design sets).
func (w *tfWriter) hubRouting(c *topology.HubConnection) []any {
	e, h := w.e, c.Hub()
	if c.AssociatedRouteTable == "" && len(c.PropagatedRouteTables) == 0 && len(c.PropagatedLabels) == 0 && len(c.StaticRoutes) == 0 && c.PropagateStaticRoutes == nil {
		return []any{}
	}
	r := map[string]any{}
	if c.AssociatedRouteTable != "" {
		key := "associated_route_table_id"
		if c.Kind() == topology.HubConnVPN {
			key = "associated_route_table"
		}
		r[key] = e.hubTableRef(h, c.AssociatedRouteTable)
	}
	if len(c.PropagatedRouteTables) > 0 || len(c.PropagatedLabels) > 0 {
		ids := []any{}
		for _, t := range c.PropagatedRouteTables {
			ids = append(ids, e.hubTableRef(h, t))
		}
		r["propagated_route_table"] = []any{map[string]any{"route_table_ids": ids, "labels": list(c.PropagatedLabels)}}
	}
	var srs []any
	for _, s := range c.StaticRoutes {
		srs = append(srs, map[string]any{"name": s.Name, "address_prefixes": prefixList(s.Prefixes), "next_hop_ip_address": s.NextHopIP.String()})
	}
	r["static_vnet_route"] = orEmpty(srs)
	if c.PropagateStaticRoutes != nil {
		r["static_vnet_propagate_static_routes_enabled"] = *c.PropagateStaticRoutes
	}
	return []any{r}
}

func (w *tfWriter) peerRoutesNote(router string, p *topology.BGPPeer) {
	if len(p.Routes) > 0 {
		w.e.notes = append(w.e.notes, fmt.Sprintf("BGP peer %s of %s: the %d route(s) it advertises have no Terraform attribute; not exported", p.Name, router, len(p.Routes)))
	}
}
