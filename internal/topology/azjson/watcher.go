package azjson

import (
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// WatcherOutput is a Network Watcher result found in an input file:
// effective routes or effective security rules of a NIC, a next-hop or an
// IP-flow-verify answer. They are Azure's computed answers, not topology;
// tests compare pathproof's own answers with them.
type WatcherOutput struct {
	// Kind is "effective-routes", "effective-nsg", "next-hop" or "ip-flow".
	Kind    string
	Routes  []WatcherRoute
	NSGs    []WatcherNSG
	NextHop *WatcherNextHop
	IPFlow  *WatcherIPFlow
	// Request holds the request parameters when the file is a REST example
	// (targetResourceId, sourceIPAddress, direction, localPort, ...).
	Request map[string]string
}

// WatcherRoute is one effective route as Azure lists it.
type WatcherRoute struct {
	Name                       string
	Source                     string // Default, User, VirtualNetworkGateway, Unknown
	State                      string // Active, Invalid
	AddressPrefixes            []string
	NextHopType                string
	NextHopIPs                 []string
	DisableBGPRoutePropagation bool
}

// WatcherNSG is one NSG's block of effective security rules.
type WatcherNSG struct {
	NSGID string
	// Association is "networkInterface", "subnet" or "networkManager" with its id.
	AssociationKind string
	AssociationID   string
	Rules           []WatcherRule
}

// WatcherRule is one effective security rule.
type WatcherRule struct {
	Name                 string // securityRules/X or defaultSecurityRules/X
	Priority             int
	Direction            string
	Access               string
	Protocol             string // All, Tcp, Udp, ...
	SourcePrefixes       []string
	DestinationPrefixes  []string
	SourcePorts          []string
	DestinationPorts     []string
	ExpandedSources      []string
	ExpandedDestinations []string
}

// WatcherNextHop is a next-hop answer; RouteTableID is a route table id or
// the literal "System Route".
type WatcherNextHop struct {
	NextHopType  string
	NextHopIP    string
	RouteTableID string
}

// WatcherIPFlow is an IP flow verify answer.
type WatcherIPFlow struct {
	Access   string
	RuleName string
}

// parseWatcher recognises a Network Watcher output object; params are the
// REST example's request parameters, if any.
func parseWatcher(v any, params any) *WatcherOutput {
	var w *WatcherOutput
	switch t := v.(type) {
	case []any:
		w = parseWatcherList(t)
	case map[string]any:
		_, hasID := t["id"]
		_, hasType := t["type"]
		switch {
		case hasID || hasType:
			return nil
		case jsonobj.Str(t, "nextHopType") != "" && t["addressPrefix"] == nil:
			w = &WatcherOutput{Kind: "next-hop", NextHop: &WatcherNextHop{
				NextHopType: jsonobj.Str(t, "nextHopType"), NextHopIP: jsonobj.Str(t, "nextHopIpAddress"), RouteTableID: jsonobj.Str(t, "routeTableId")}}
		case jsonobj.Str(t, "access") != "" && t["ruleName"] != nil:
			w = &WatcherOutput{Kind: "ip-flow", IPFlow: &WatcherIPFlow{Access: jsonobj.Str(t, "access"), RuleName: jsonobj.Str(t, "ruleName")}}
		default:
			if val, ok := t["value"].([]any); ok {
				w = parseWatcherList(val)
			}
		}
	}
	if w == nil {
		return nil
	}
	if p, ok := params.(map[string]any); ok {
		w.Request = map[string]string{}
		inner := jsonobj.Obj(p, "parameters")
		if inner == nil {
			inner = p
		}
		for k := range inner {
			if s := jsonobj.Str(inner, k); s != "" {
				w.Request[k] = s
			}
		}
	}
	return w
}

// parseWatcherList recognises a list of effective routes or effective NSG
// blocks; nil when the items are something else (resources).
func parseWatcherList(a []any) *WatcherOutput {
	if len(a) == 0 {
		return nil
	}
	first, ok := a[0].(map[string]any)
	if !ok || first["id"] != nil || first["type"] != nil {
		return nil
	}
	switch {
	case first["effectiveSecurityRules"] != nil:
		w := &WatcherOutput{Kind: "effective-nsg"}
		for _, x := range a {
			o, ok := x.(map[string]any)
			if !ok {
				continue
			}
			n := WatcherNSG{NSGID: jsonobj.Ref(o, "networkSecurityGroup")}
			assoc := jsonobj.Obj(o, "association")
			for _, k := range []string{"networkInterface", "subnet", "networkManager"} {
				if id := jsonobj.Ref(assoc, k); id != "" {
					n.AssociationKind, n.AssociationID = k, id
					break
				}
			}
			for _, r := range jsonobj.Objs(o, "effectiveSecurityRules") {
				p, _ := jsonobj.Int(r, "priority")
				n.Rules = append(n.Rules, WatcherRule{
					Name: jsonobj.Str(r, "name"), Priority: p, Direction: jsonobj.Str(r, "direction"), Access: jsonobj.Str(r, "access"),
					Protocol:             jsonobj.Str(r, "protocol"),
					SourcePrefixes:       arm.Union(jsonobj.Strs(r, "sourceAddressPrefixes"), jsonobj.Strs(r, "sourceAddressPrefix")),
					DestinationPrefixes:  arm.Union(jsonobj.Strs(r, "destinationAddressPrefixes"), jsonobj.Strs(r, "destinationAddressPrefix")),
					SourcePorts:          arm.Union(jsonobj.Strs(r, "sourcePortRanges"), jsonobj.Strs(r, "sourcePortRange")),
					DestinationPorts:     arm.Union(jsonobj.Strs(r, "destinationPortRanges"), jsonobj.Strs(r, "destinationPortRange")),
					ExpandedSources:      jsonobj.Strs(r, "expandedSourceAddressPrefix"),
					ExpandedDestinations: jsonobj.Strs(r, "expandedDestinationAddressPrefix"),
				})
			}
			w.NSGs = append(w.NSGs, n)
		}
		return w
	case first["nextHopType"] != nil && (first["source"] != nil || first["state"] != nil):
		w := &WatcherOutput{Kind: "effective-routes"}
		for _, x := range a {
			o, ok := x.(map[string]any)
			if !ok {
				continue
			}
			w.Routes = append(w.Routes, WatcherRoute{
				Name: jsonobj.Str(o, "name"), Source: jsonobj.Str(o, "source"), State: jsonobj.Str(o, "state"),
				AddressPrefixes: jsonobj.Strs(o, "addressPrefix"), NextHopType: jsonobj.Str(o, "nextHopType"),
				NextHopIPs:                 jsonobj.Strs(o, "nextHopIpAddress"),
				DisableBGPRoutePropagation: jsonobj.BoolOr(o, "disableBgpRoutePropagation", false),
			})
		}
		return w
	}
	return nil
}
