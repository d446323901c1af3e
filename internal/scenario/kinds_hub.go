package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

func init() {
	Register("hub_effective_routes", runHubEffectiveRoutes,
		Keys{"hub": nil, "route_table": nil, "connection": nil},
		Keys{"match": nil, "routes": hubRouteKeys, "absent": nil, "findings": nil})
}

// hubRouteKeys are the fields a hub_effective_routes expectation matches on.
var hubRouteKeys = Keys{"prefix": nil, "next_hop_type": nil, "next_hop": nil, "next_hop_ip": nil, "origin": nil, "as_path": nil}

// HubRouteJSON is one effective route of a virtual hub in the scenario and
// CLI shape: Azure's effective routes API fields
// (VirtualHubs_GetEffectiveVirtualHubRoutes: addressPrefixes, nextHopType,
// nextHops, routeOrigin, asPath) in snake case, plus the appliance address
// a static route names.
type HubRouteJSON struct {
	AddressPrefixes []string `json:"address_prefixes"`
	NextHopType     string   `json:"next_hop_type"`
	NextHops        []string `json:"next_hops"`
	RouteOrigin     string   `json:"route_origin,omitempty"`
	ASPath          string   `json:"as_path,omitempty"`
	NextHopIP       string   `json:"next_hop_ip,omitempty"`
}

// HubFindingJSON is a contradiction behind one of a hub table's routes
// (codes hub-static-route-conflict, hub-prefix-conflict): which route Azure
// uses and which was not used.
type HubFindingJSON struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Prefix   string `json:"prefix"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

// HubRoutesAnswer is a hub route table's (or a connection's) effective
// routes with the contradictions found in it: the answer of
// hub_effective_routes and of `pathproof routes --hub`.
type HubRoutesAnswer struct {
	Hub        string           `json:"hub"`
	RouteTable string           `json:"route_table"`
	Connection string           `json:"connection,omitempty"`
	Routes     []HubRouteJSON   `json:"routes"`
	Findings   []HubFindingJSON `json:"findings"`
}

// HubRoutes answers for hub table t (as HubTableFor resolved it).
func HubRoutes(hub, conn string, t *azure.HubTable) HubRoutesAnswer {
	a := HubRoutesAnswer{Hub: hub, Connection: conn, Routes: HubRoutesJSON(t), Findings: []HubFindingJSON{}}
	if t != nil && t.Table != nil {
		a.RouteTable = t.Table.Name
	}
	for _, c := range t.Conflicts() {
		a.Findings = append(a.Findings, HubFindingJSON{Code: c.Code, Severity: "warning", Prefix: c.Prefix.String(), Message: c.Message(), Fix: c.Fix()})
	}
	return a
}

// HubRoutesJSON renders a hub route table's (or a connection's) effective routes.
func HubRoutesJSON(t *azure.HubTable) []HubRouteJSON {
	if t == nil {
		return []HubRouteJSON{}
	}
	out := make([]HubRouteJSON, 0, len(t.Routes))
	for _, r := range t.Routes {
		j := HubRouteJSON{AddressPrefixes: []string{r.Prefix.String()}, NextHopType: r.NextHopType, NextHops: []string{r.NextHop}, RouteOrigin: r.Origin, ASPath: r.ASPath}
		if r.NextHopIP.IsValid() {
			j.NextHopIP = r.NextHopIP.String()
		}
		out = append(out, j)
	}
	return out
}

// HubTableFor resolves a hub_effective_routes input: a hub and a route
// table (default: defaultRouteTable), or a hub and a connection (what the
// connection learns).
func HubTableFor(n *topology.Network, e *azure.Engine, hubRef, table, conn string) (*azure.HubTable, error) {
	hub := n.VirtualHub(hubRef)
	if hub == nil {
		return nil, fmt.Errorf("virtual hub %q not found", hubRef)
	}
	if conn != "" {
		c := hub.Connection(conn)
		if c == nil {
			return nil, fmt.Errorf("hub %s has no connection %q", hub.Name, conn)
		}
		return e.HubConnectionRoutes(c), nil
	}
	t := n.HubRouteTable(hub, table)
	if table == "" {
		t = hub.RouteTable(topology.HubDefaultTable)
	}
	if t == nil {
		return nil, fmt.Errorf("hub %s has no route table %q", hub.Name, table)
	}
	return e.HubRoutes(t), nil
}

func runHubEffectiveRoutes(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	hub, table, conn := i.str("hub", true), i.str("route_table", false), i.str("connection", false)
	if i.err != nil {
		return Outcome{}, i.err
	}
	t, err := HubTableFor(c.Net, c.Engine, hub, table, conn)
	if err != nil {
		return Outcome{}, err
	}
	ans := HubRoutes(hub, conn, t)
	routes := ans.Routes
	em, _ := expect.(map[string]any)
	actual := map[string]any{}
	if m, ok := em["match"]; ok {
		actual["match"] = m
	}
	all := make([]any, len(routes))
	for k, r := range routes {
		all[k] = normalize(r)
	}
	actual["routes"] = all
	var diff []string
	matched := map[int]bool{}
	for _, w := range asList(em["routes"]) {
		wm, _ := w.(map[string]any)
		found := -1
		for k, r := range routes {
			if hubRouteMatches(r, wm) && !matched[k] {
				found = k
				break
			}
		}
		if found < 0 {
			diff = append(diff, "routes: missing "+show(w))
			continue
		}
		matched[found] = true
	}
	if em["match"] == "exact" {
		for k, r := range routes {
			if !matched[k] {
				diff = append(diff, "routes: unexpected "+show(r))
			}
		}
	}
	if ab, ok := em["absent"].([]any); ok {
		var got []any
		for _, a := range ab {
			present := false
			for _, r := range routes {
				present = present || r.AddressPrefixes[0] == fmt.Sprint(a)
			}
			if present {
				diff = append(diff, "absent: "+show(a)+" is present")
			} else {
				got = append(got, a)
			}
		}
		actual["absent"] = got
	}
	if want, ok := em["findings"]; ok {
		got := []string{}
		for _, f := range ans.Findings {
			if !slices.Contains(got, f.Code) {
				got = append(got, f.Code)
			}
		}
		actual["findings"] = got
		diff = append(diff, compareFindings(got, want)...)
	}
	return Outcome{Actual: actual, Diff: diff}, nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// hubRouteMatches compares one route with an expectation; next_hop and
// origin match a full id or its last segment (a name).
func hubRouteMatches(r HubRouteJSON, w map[string]any) bool {
	for k, v := range w {
		s := fmt.Sprint(v)
		switch k {
		case "prefix":
			if r.AddressPrefixes[0] != s {
				return false
			}
		case "next_hop_type":
			if !strings.EqualFold(r.NextHopType, s) {
				return false
			}
		case "next_hop":
			if !refMatches(r.NextHops[0], s) {
				return false
			}
		case "origin":
			if !refMatches(r.RouteOrigin, s) {
				return false
			}
		case "as_path":
			if r.ASPath != s {
				return false
			}
		case "next_hop_ip":
			if r.NextHopIP != s {
				return false
			}
		}
	}
	return true
}

func refMatches(got, want string) bool {
	if strings.EqualFold(got, want) {
		return true
	}
	i := strings.LastIndexByte(got, '/')
	return i >= 0 && strings.EqualFold(got[i+1:], want)
}
