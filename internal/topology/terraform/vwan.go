package terraform

import (
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// tfReadVWAN adds one Virtual WAN or Route Server resource of the azurerm
// provider (4.x attribute names, 3.x spellings where they differ) to s;
// false when r is not one. Child resources name their parent by id
// (virtual_hub_id, route_server_id, vpn_gateway_id, ...), as ARM does.
func tfReadVWAN(s *armset.Set, r Resource, a armset.Src, j *tfJoins) bool {
	v := r.Values
	name := jsonobj.Str(v, "name")
	w := s.VirtualWAN()
	switch r.Type {
	case "azurerm_virtual_wan":
		a.ID = tfID(v, "virtualWans", name)
		w.WANs = append(w.WANs, &armset.VirtualWAN{Src: a, Name: name, Type: jsonobj.Str(v, "type"), BranchToBranch: jsonobj.BoolOr(v, "allow_branch_to_branch_traffic", true)})
	case "azurerm_virtual_hub":
		a.ID = tfID(v, "virtualHubs", name)
		h := &armset.VirtualHub{Src: a, Name: name, WANID: jsonobj.Str(v, "virtual_wan_id"), AddressPrefix: jsonobj.Str(v, "address_prefix"),
			RoutingPreference: jsonobj.Str(v, "hub_routing_preference"), RouterIPs: jsonobj.Strs(v, "virtual_router_ips"), Region: jsonobj.Str(v, "location")}
		h.ASN, _ = jsonobj.Int(v, "virtual_router_asn")
		w.Hubs = append(w.Hubs, h)
	case "azurerm_route_server":
		// A Route Server is a virtualHubs resource without a virtual WAN.
		a.ID = tfID(v, "virtualHubs", name)
		h := &armset.VirtualHub{Src: a, Name: name, SubnetID: jsonobj.Str(v, "subnet_id"), RouterIPs: jsonobj.Strs(v, "virtual_router_ips"),
			RoutingPreference: jsonobj.Str(v, "hub_routing_preference"), BranchToBranch: jsonobj.BoolOr(v, "branch_to_branch_traffic_enabled", false)}
		h.ASN, _ = jsonobj.Int(v, "virtual_router_asn")
		w.Hubs = append(w.Hubs, h)
	case "azurerm_virtual_hub_ip":
		hub := jsonobj.Str(v, "virtual_hub_id")
		w.HubIPConfig[arm.IDKey(hub)] = jsonobj.Str(v, "subnet_id")
		w.HubIPSrc[arm.IDKey(hub)] = armset.HubIPRef{Src: a, HubID: hub}
	case "azurerm_virtual_hub_route_table":
		hub := jsonobj.Str(v, "virtual_hub_id")
		a.ID = tfChildID(v, hub, "hubRouteTables")
		t := &armset.HubRouteTable{Src: a, HubID: hub, Name: name, Labels: jsonobj.Strs(v, "labels")}
		for _, ro := range jsonobj.Objs(v, "route") {
			t.Routes = append(t.Routes, tfHubRoute(ro))
		}
		w.Tables = append(w.Tables, t)
	case "azurerm_virtual_hub_route_table_route":
		k := arm.IDKey(jsonobj.Str(v, "route_table_id"))
		j.hubRoutes[k] = append(j.hubRoutes[k], tfHubRoute(v))
	case "azurerm_virtual_hub_connection":
		hub := jsonobj.Str(v, "virtual_hub_id")
		a.ID = tfChildID(v, hub, "hubVirtualNetworkConnections")
		c := tfHubConn(v, a, name, topology.HubConnVNet)
		c.HubID, c.RemoteVNetID = hub, jsonobj.Str(v, "remote_virtual_network_id")
		w.Conns = append(w.Conns, c)
	case "azurerm_vpn_gateway", "azurerm_express_route_gateway":
		a.ID = tfID(v, map[string]string{"azurerm_vpn_gateway": "vpnGateways", "azurerm_express_route_gateway": "expressRouteGateways"}[r.Type], name)
		w.GatewayHub[arm.IDKey(a.ID)] = jsonobj.Str(v, "virtual_hub_id")
	case "azurerm_vpn_gateway_connection":
		gw := jsonobj.Str(v, "vpn_gateway_id")
		a.ID = tfChildID(v, gw, "vpnConnections")
		c := tfHubConn(v, a, name, topology.HubConnVPN)
		c.GatewayID, c.SiteID = gw, jsonobj.Str(v, "remote_vpn_site_id")
		w.Conns = append(w.Conns, c)
	case "azurerm_express_route_connection":
		gw := jsonobj.Str(v, "express_route_gateway_id")
		a.ID = tfChildID(v, gw, "expressRouteConnections")
		c := tfHubConn(v, a, name, topology.HubConnExpressRoute)
		c.GatewayID = gw
		w.Conns = append(w.Conns, c)
	case "azurerm_vpn_site":
		a.ID = tfID(v, "vpnSites", name)
		w.Sites = append(w.Sites, &armset.VPNSite{Src: a, Name: name, Prefixes: jsonobj.Strs(v, "address_cidrs")})
	case "azurerm_virtual_hub_routing_intent":
		hub := jsonobj.Str(v, "virtual_hub_id")
		a.ID = tfChildID(v, hub, "routingIntent")
		ri := &armset.RoutingIntent{Src: a, HubID: hub, Name: name}
		for _, p := range jsonobj.Objs(v, "routing_policy") {
			ri.AddPolicy(jsonobj.Strs(p, "destinations"), jsonobj.Str(p, "next_hop"))
		}
		w.Intents = append(w.Intents, ri)
	case "azurerm_virtual_hub_bgp_connection", "azurerm_route_server_bgp_connection":
		hub := jsonobj.Str(v, "virtual_hub_id")
		if r.Type == "azurerm_route_server_bgp_connection" {
			hub = jsonobj.Str(v, "route_server_id")
		}
		a.ID = tfChildID(v, hub, "bgpConnections")
		p := &armset.BGPPeer{Src: a, HubID: hub, Name: name, PeerIP: jsonobj.Str(v, "peer_ip"), ConnectionID: jsonobj.Str(v, "virtual_network_connection_id")}
		p.ASN, _ = jsonobj.Int(v, "peer_asn")
		w.BGPPeers = append(w.BGPPeers, p)
	default:
		return false
	}
	return true
}

// tfHubRoute reads a route block of azurerm_virtual_hub_route_table (or an
// azurerm_virtual_hub_route_table_route): next_hop is a resource id.
func tfHubRoute(v map[string]any) *topology.HubRoute {
	return &topology.HubRoute{Name: jsonobj.Str(v, "name"), Destinations: jsonobj.Strs(v, "destinations"), NextHop: jsonobj.Str(v, "next_hop")}
}

// tfHubConn reads the routing block every hub connection kind shares:
// associated_route_table_id (associated_route_table on VPN connections),
// propagated_route_table, static_vnet_route and
// static_vnet_propagate_static_routes_enabled (3.x: propagate_static_routes).
func tfHubConn(v map[string]any, a armset.Src, name, typ string) *armset.HubConnection {
	c := &armset.HubConnection{Src: a, Name: name, Type: typ}
	if b, ok := jsonobj.Bool(v, "internet_security_enabled"); ok {
		c.InternetSecurity = b
	} else {
		c.InternetSecurity = jsonobj.BoolOr(v, "enable_internet_security", false)
	}
	for _, rt := range jsonobj.Objs(v, "routing") {
		c.Associated = jsonobj.Str(rt, "associated_route_table_id")
		if c.Associated == "" {
			c.Associated = jsonobj.Str(rt, "associated_route_table")
		}
		for _, p := range jsonobj.Objs(rt, "propagated_route_table") {
			c.PropagatedTables = append(c.PropagatedTables, jsonobj.Strs(p, "route_table_ids")...)
			c.Labels = append(c.Labels, jsonobj.Strs(p, "labels")...)
		}
		for _, sr := range jsonobj.Objs(rt, "static_vnet_route") {
			c.StaticRoutes = append(c.StaticRoutes, armset.NewStaticRoute(jsonobj.Str(sr, "name"), jsonobj.Strs(sr, "address_prefixes"), jsonobj.Str(sr, "next_hop_ip_address")))
		}
		for _, k := range []string{"static_vnet_propagate_static_routes_enabled", "propagate_static_routes"} {
			if b, ok := jsonobj.Bool(rt, k); ok {
				c.PropagateStatic = &b
				break
			}
		}
	}
	return c
}
