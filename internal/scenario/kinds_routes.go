package scenario

import (
	"fmt"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
)

func init() {
	Register("effective_routes", runEffectiveRoutes,
		Keys{"subnet": nil, "nic": nil},
		Keys{"match": nil, "routes": routeKeys, "not_active": nil, "absent": {"source": nil, "prefix": nil}})
	Register("next_hop", runNextHop,
		Keys{"nic": nil, "destination_ip": nil},
		Keys{"next_hop_type": nil, "next_hop_ip": nil, "route_table": nil})
}

// routeKeys are the route fields an effective_routes expectation can
// match on (routeMatches).
var routeKeys = Keys{"source": nil, "state": nil, "prefix": nil, "next_hop_type": nil, "next_hop_ip": nil, "name": nil}

// RouteJSON is one effective route in the scenario and CLI shape.
type RouteJSON struct {
	Source      string   `json:"source"`
	State       string   `json:"state"`
	Prefix      string   `json:"prefix"`
	NextHopType string   `json:"next_hop_type"`
	NextHopIP   string   `json:"next_hop_ip,omitempty"`
	NextHopIPs  []string `json:"next_hop_ips,omitempty"`
	Name        string   `json:"name,omitempty"`
	RouteTable  string   `json:"route_table,omitempty"`
	Note        string   `json:"note,omitempty"`
}

// RoutesJSON renders an effective route table.
func RoutesJSON(t *azure.RouteTable) []RouteJSON {
	out := make([]RouteJSON, 0, len(t.Routes))
	for i := range t.Routes {
		r := &t.Routes[i]
		j := RouteJSON{Source: string(r.Source), State: r.State, Prefix: r.PrefixString(), NextHopType: string(r.NextHopType), Name: r.Name, RouteTable: r.RouteTable, Note: r.Note}
		for _, ip := range r.NextHopIPs {
			j.NextHopIPs = append(j.NextHopIPs, ip.String())
		}
		if len(j.NextHopIPs) > 0 {
			j.NextHopIP = j.NextHopIPs[0]
		}
		out = append(out, j)
	}
	return out
}

func tableFor(c *Context, input map[string]any) (*azure.RouteTable, error) {
	i := &in{m: input}
	if s := i.str("subnet", false); s != "" {
		sub := c.Net.Subnet(s)
		if sub == nil {
			return nil, fmt.Errorf("subnet %q not found", s)
		}
		return c.Engine.Routes(sub), nil
	}
	if s := i.str("nic", false); s != "" {
		nic := c.Net.NIC(s)
		if nic == nil {
			return nil, fmt.Errorf("NIC %q not found", s)
		}
		if t := c.Engine.RoutesOfNIC(nic); t != nil {
			return t, nil
		}
		return nil, fmt.Errorf("NIC %s has no subnet", s)
	}
	return nil, fmt.Errorf("input needs subnet or nic")
}

func runEffectiveRoutes(c *Context, input map[string]any, expect any) (Outcome, error) {
	t, err := tableFor(c, input)
	if err != nil {
		return Outcome{}, err
	}
	routes := RoutesJSON(t)
	em, _ := expect.(map[string]any)
	actual := map[string]any{}
	var diff []string
	if m, ok := em["match"]; ok {
		actual["match"] = m
	}
	all := make([]any, len(routes))
	for i, r := range routes {
		all[i] = normalize(r)
	}
	actual["routes"] = all
	want, _ := em["routes"].([]any)
	matched := map[int]bool{}
	for _, w := range want {
		wm, _ := w.(map[string]any)
		found := -1
		for i, r := range routes {
			if routeMatches(r, wm) {
				found = i
				if !matched[i] {
					break
				}
			}
		}
		if found < 0 {
			diff = append(diff, "routes: missing "+show(w))
			continue
		}
		matched[found] = true
	}
	if em["match"] == "exact" {
		for i, r := range routes {
			if r.State == azure.StateActive && !matched[i] {
				diff = append(diff, "routes: unexpected Active route "+show(r))
			}
		}
	}
	if na, ok := em["not_active"].([]any); ok {
		var got []any
		for _, p := range na {
			active := false
			for _, r := range routes {
				if r.Prefix == fmt.Sprint(p) && r.State == azure.StateActive {
					active = true
					diff = append(diff, fmt.Sprintf("not_active: %v is Active (%s %s)", p, r.Source, r.NextHopType))
				}
			}
			if !active {
				got = append(got, p)
			}
		}
		actual["not_active"] = got
	}
	if ab, ok := em["absent"].([]any); ok {
		var got []any
		for _, a := range ab {
			present := false
			for _, r := range routes {
				switch x := a.(type) {
				case map[string]any:
					present = present || (r.Prefix == fmt.Sprint(x["prefix"]) && r.Source == fmt.Sprint(x["source"]))
				default:
					present = present || r.Prefix == fmt.Sprint(x)
				}
			}
			if present {
				diff = append(diff, "absent: "+show(a)+" is present")
			} else {
				got = append(got, a)
			}
		}
		actual["absent"] = got
	}
	return Outcome{Actual: actual, Diff: diff, Assumptions: t.Assumptions}, nil
}

func routeMatches(r RouteJSON, w map[string]any) bool {
	for k, v := range w {
		s := fmt.Sprint(v)
		switch k {
		case "source":
			if r.Source != s {
				return false
			}
		case "state":
			if r.State != s {
				return false
			}
		case "prefix":
			if s != "any" && r.Prefix != s {
				return false
			}
		case "next_hop_type":
			if !strings.EqualFold(r.NextHopType, s) {
				return false
			}
		case "next_hop_ip":
			ok := false
			for _, ip := range r.NextHopIPs {
				ok = ok || scalarEqual(ip, s)
			}
			if !ok {
				return false
			}
		case "name":
			if r.Name != s {
				return false
			}
		}
	}
	return true
}

// NextHopJSON is the next hop answer (the `next-hop --output json` contract).
type NextHopJSON struct {
	NextHopType string   `json:"next_hop_type"`
	NextHopIP   *string  `json:"next_hop_ip"`
	RouteTable  string   `json:"route_table"`
	Assumptions []string `json:"assumptions,omitempty"`
}

// NextHopAnswer renders a next hop result.
func NextHopAnswer(r azure.NextHopResult) NextHopJSON {
	j := NextHopJSON{NextHopType: string(r.NextHopType), RouteTable: r.RouteTable}
	if len(r.NextHopIPs) > 0 {
		s := r.NextHopIPs[0].String()
		j.NextHopIP = &s
	}
	return j
}

func runNextHop(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	nicName := i.str("nic", true)
	dst := i.addr("destination_ip", true)
	if i.err != nil {
		return Outcome{}, i.err
	}
	nic := c.Net.NIC(nicName)
	if nic == nil || nic.SubnetRef() == nil {
		return Outcome{}, fmt.Errorf("NIC %q not found", nicName)
	}
	r, err := c.Engine.NextHopFromSubnet(nic.SubnetRef(), dst)
	if err != nil {
		return Outcome{}, err
	}
	actual, diff := Compare(NextHopAnswer(r), expect)
	return Outcome{Actual: actual, Diff: diff}, nil
}
