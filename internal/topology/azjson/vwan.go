package azjson

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// Virtual WAN and Route Server resources (az network vwan/vhub/routeserver
// list and show, ARM REST, Resource Graph rows).
const (
	tVirtualWAN   = "microsoft.network/virtualwans"
	tVirtualHub   = "microsoft.network/virtualhubs"
	tHubTable     = "microsoft.network/virtualhubs/hubroutetables"
	tHubVNetConn  = "microsoft.network/virtualhubs/hubvirtualnetworkconnections"
	tRoutingInt   = "microsoft.network/virtualhubs/routingintent"
	tHubBGP       = "microsoft.network/virtualhubs/bgpconnections"
	tHubIPConfig  = "microsoft.network/virtualhubs/ipconfigurations"
	tHubTableV2   = "microsoft.network/virtualhubs/routetables"
	tVPNGateway   = "microsoft.network/vpngateways"
	tVPNConn      = "microsoft.network/vpngateways/vpnconnections"
	tERGateway    = "microsoft.network/expressroutegateways"
	tERConn       = "microsoft.network/expressroutegateways/expressrouteconnections"
	tVPNSite      = "microsoft.network/vpnsites"
	tRouter       = "microsoft.network/virtualrouters"
	tRouterPeer   = "microsoft.network/virtualrouters/peerings"
	tLearnedRoute = "pathproof/bgplearnedroutes"
)

// addVWAN reads one Virtual WAN or Route Server resource; false if r is not one.
func addVWAN(s *armset.Set, file string, r Resource) (note string, ok bool) {
	b := r.Body
	src := srcOf(file, r)
	w := s.VirtualWAN()
	switch r.Type {
	case tVirtualWAN:
		w.WANs = append(w.WANs, &armset.VirtualWAN{Src: src, Name: r.Name, Type: wanType(b), BranchToBranch: jsonobj.BoolOr(b, "allowBranchToBranchTraffic", true)})
	case tVirtualHub, tRouter:
		h := &armset.VirtualHub{Src: src, Name: r.Name, WANID: jsonobj.Ref(b, "virtualWan"), AddressPrefix: jsonobj.Str(b, "addressPrefix"),
			RoutingPreference: jsonobj.Str(b, "hubRoutingPreference"), RouterIPs: jsonobj.Strs(b, "virtualRouterIps"),
			BranchToBranch: jsonobj.BoolOr(b, "allowBranchToBranchTraffic", false), Region: jsonobj.Str(b, "location")}
		h.ASN, _ = jsonobj.Int(b, "virtualRouterAsn")
		if r.Type == tRouter {
			h.RouterIPs = jsonobj.Strs(b, "virtualRouterIps")
			h.SubnetID = jsonobj.Ref(b, "hostedSubnet")
		}
		for _, c := range jsonobj.Objs(b, "ipConfigurations") {
			if sid := jsonobj.Ref(c, "subnet"); sid != "" {
				h.SubnetID = sid
			}
		}
		w.Hubs = append(w.Hubs, h)
		for _, t := range jsonobj.Objs(b, "hubRouteTables") {
			addHubTable(w, file, r.ID.Raw, t)
		}
		if len(jsonobj.Objs(jsonobj.Obj(b, "routeTable"), "routes")) > 0 {
			note = "the hub's legacy routeTable property is not read (use hub route tables)"
		}
	case tHubTable:
		addHubTable(w, file, r.ID.Parent().Raw, b)
	case tHubVNetConn:
		c := hubConnFrom(b, src, r.Name, topology.HubConnVNet)
		c.HubID, c.RemoteVNetID = r.ID.Parent().Raw, jsonobj.Ref(b, "remoteVirtualNetwork")
		w.Conns = append(w.Conns, c)
	case tRoutingInt:
		ri := &armset.RoutingIntent{Src: src, HubID: r.ID.Parent().Raw, Name: r.Name}
		for _, p := range jsonobj.Objs(b, "routingPolicies") {
			ri.AddPolicy(jsonobj.Strs(p, "destinations"), jsonobj.Str(p, "nextHop"))
		}
		w.Intents = append(w.Intents, ri)
	case tHubBGP, tRouterPeer:
		p := &armset.BGPPeer{Src: src, HubID: r.ID.Parent().Raw, Name: r.Name, PeerIP: jsonobj.Str(b, "peerIp"), ConnectionID: jsonobj.Ref(b, "hubVirtualNetworkConnection")}
		p.ASN, _ = jsonobj.Int(b, "peerAsn")
		w.BGPPeers = append(w.BGPPeers, p)
	case tHubIPConfig:
		w.HubIPConfig[arm.IDKey(r.ID.Parent().Raw)] = jsonobj.Ref(b, "subnet")
		w.HubIPSrc[arm.IDKey(r.ID.Parent().Raw)] = armset.HubIPRef{Src: src, HubID: r.ID.Parent().Raw}
	case tHubTableV2:
		return "virtual hub route tables v2 (the legacy routeTables child) are not modelled; use hubRouteTables", true
	case tVPNGateway:
		w.GatewayHub[arm.IDKey(r.ID.Raw)] = jsonobj.Ref(b, "virtualHub")
		for _, c := range jsonobj.Objs(b, "connections") {
			w.Conns = append(w.Conns, branchConn(c, file, r.ID.Raw, topology.HubConnVPN))
		}
	case tVPNConn:
		w.Conns = append(w.Conns, branchConn(b, file, r.ID.Parent().Raw, topology.HubConnVPN))
	case tERGateway:
		w.GatewayHub[arm.IDKey(r.ID.Raw)] = jsonobj.Ref(b, "virtualHub")
		for _, c := range jsonobj.Objs(b, "expressRouteConnections") {
			w.Conns = append(w.Conns, branchConn(c, file, r.ID.Raw, topology.HubConnExpressRoute))
		}
	case tERConn:
		w.Conns = append(w.Conns, branchConn(b, file, r.ID.Parent().Raw, topology.HubConnExpressRoute))
	case tVPNSite:
		w.Sites = append(w.Sites, &armset.VPNSite{Src: src, Name: r.Name, Prefixes: jsonobj.Strs(jsonobj.Obj(b, "addressSpace"), "addressPrefixes")})
	case tLearnedRoute:
		l := &armset.LearnedRoutes{Src: armset.Src{File: file}, Hub: jsonobj.Str(b, "hubName"), Peer: jsonobj.Str(b, "connectionName")}
		for k, v := range b {
			if !strings.HasPrefix(strings.ToLower(k), "routeservicerole_") {
				continue
			}
			list, _ := v.([]any)
			for _, x := range list {
				o, _ := x.(map[string]any)
				l.Routes = append(l.Routes, armset.LearnedRoute{Network: jsonobj.Str(o, "network"), NextHop: jsonobj.Str(o, "nextHop"),
					SourcePeer: jsonobj.Str(o, "sourcePeer"), ASPath: jsonobj.Str(o, "asPath")})
			}
		}
		w.Learned = append(w.Learned, l)
	default:
		return "", false
	}
	return note, true
}

// wanType is a virtual WAN's type (Standard or Basic): az CLI prints it as
// typePropertiesType; in a flattened ARM body properties.type gives way to
// the resource type, so "" (Standard) is what is left.
func wanType(b map[string]any) string {
	if t := jsonobj.Str(b, "typePropertiesType"); t != "" {
		return t
	}
	if t := jsonobj.Str(b, "type"); !strings.Contains(t, "/") {
		return t
	}
	return ""
}

func addHubTable(w *armset.VWAN, file, hubID string, b map[string]any) {
	t := &armset.HubRouteTable{Src: armset.Src{File: file, ID: jsonobj.Str(b, "id")}, HubID: hubID, Name: jsonobj.Str(b, "name"), Labels: jsonobj.Strs(b, "labels")}
	for _, ro := range jsonobj.Objs(b, "routes") {
		t.Routes = append(t.Routes, &topology.HubRoute{Name: jsonobj.Str(ro, "name"), Destinations: jsonobj.Strs(ro, "destinations"), NextHop: jsonobj.Str(ro, "nextHop")})
	}
	w.Tables = append(w.Tables, t)
}

// hubConnFrom reads the routing configuration every hub connection kind shares.
func hubConnFrom(b map[string]any, src armset.Src, name, typ string) *armset.HubConnection {
	c := &armset.HubConnection{Src: src, Name: name, Type: typ, InternetSecurity: jsonobj.BoolOr(b, "enableInternetSecurity", false)}
	rc := jsonobj.Obj(b, "routingConfiguration")
	c.Associated = jsonobj.Ref(rc, "associatedRouteTable")
	prop := jsonobj.Obj(rc, "propagatedRouteTables")
	c.PropagatedTables, c.Labels = jsonobj.Refs(prop, "ids"), jsonobj.Strs(prop, "labels")
	vr := jsonobj.Obj(rc, "vnetRoutes")
	for _, sr := range jsonobj.Objs(vr, "staticRoutes") {
		c.StaticRoutes = append(c.StaticRoutes, armset.NewStaticRoute(jsonobj.Str(sr, "name"), jsonobj.Strs(sr, "addressPrefixes"), jsonobj.Str(sr, "nextHopIpAddress")))
	}
	if cfg := jsonobj.Obj(vr, "staticRoutesConfig"); cfg != nil {
		if v, ok := jsonobj.Bool(cfg, "propagateStaticRoutes"); ok {
			c.PropagateStatic = &v
		}
	}
	return c
}

// branchConn reads a VPN or ExpressRoute connection of a hub gateway.
func branchConn(b map[string]any, file, gatewayID, typ string) *armset.HubConnection {
	c := hubConnFrom(b, armset.Src{File: file, ID: jsonobj.Str(b, "id")}, jsonobj.Str(b, "name"), typ)
	c.GatewayID, c.SiteID = gatewayID, jsonobj.Ref(b, "remoteVpnSite")
	return c
}

// learnedRoutesBody reports whether o is a listLearnedRoutes (or
// listAdvertisedRoutes) answer: RouteServiceRole_IN_n lists of routes.
func learnedRoutesBody(o map[string]any) bool {
	for k := range o {
		if strings.HasPrefix(strings.ToLower(k), "routeservicerole_") {
			return true
		}
	}
	return false
}

// advertisedOnly reports whether every route's next hop is its local
// address: the route server's own advertisement, not what it learned.
func advertisedOnly(o map[string]any) bool {
	for k, v := range o {
		if !strings.HasPrefix(strings.ToLower(k), "routeservicerole_") {
			continue
		}
		list, _ := v.([]any)
		for _, x := range list {
			r, _ := x.(map[string]any)
			if jsonobj.Str(r, "nextHop") != jsonobj.Str(r, "localAddress") {
				return false
			}
		}
	}
	return true
}

// learnedItems turns a route server's routes answer into one synthetic
// resource (its hub and peer names from a REST example's parameters), or
// into a note when it is the route server's own advertisement.
func learnedItems(o map[string]any, params any, doc *Document) []any {
	if advertisedOnly(o) {
		doc.Notes = append(doc.Notes, "route server advertised routes (listAdvertisedRoutes): what it sends its peers, not topology; skipped")
		return nil
	}
	m := map[string]any{"type": tLearnedRoute}
	for k, v := range o {
		m[k] = v
	}
	if p, ok := params.(map[string]any); ok {
		m["hubName"], m["connectionName"] = jsonobj.Str(p, "hubName"), jsonobj.Str(p, "connectionName")
		if m["hubName"] == "" {
			m["hubName"] = jsonobj.Str(p, "virtualHubName")
		}
	}
	return []any{m}
}
