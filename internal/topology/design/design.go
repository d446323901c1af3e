// Package design reads pathproof's design format (docs/topology-format.md):
// a scenario file's `topology:` section or a bare topology, in YAML or in
// its JSON subset.
package design

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	gojson "github.com/goccy/go-json"
	"github.com/goccy/go-yaml/ast"

	"github.com/pathproof/pathproof/internal/safejson"
	"github.com/pathproof/pathproof/internal/safeyaml"
	"github.com/pathproof/pathproof/internal/topology"
)

// Sniff recognises pathproof's design YAML: a scenario file (with a
// `topology:` section) or a bare topology (top-level `vnets:` and friends).
func Sniff(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
	case ".json":
		return designJSONKeys(data)
	default:
		return false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		for _, k := range []string{"topology:", "schema: pathproof", "vnets:", "firewall_policies:", "nsgs:", "route_tables:", "public_dns:", "dns_forwarders:"} {
			if bytes.HasPrefix(line, []byte(k)) {
				return true
			}
		}
	}
	return false
}

// Parse decodes design YAML (a scenario file or a bare topology) into
// a new Network without indexing it. Sources name file.
func Parse(file string, data []byte) (*topology.Network, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' && strings.EqualFold(filepath.Ext(file), ".json") {
		return parseDesignJSON(file, data)
	}
	// One parse (safeyaml's limits first) serves both decodes and the
	// line stamps: the YAML library's tree is the expensive part.
	f, err := safeyaml.Parse("", data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", file, safeyaml.FormatError(err))
	}
	var body ast.Node
	if len(f.Docs) > 0 && f.Docs[0] != nil {
		body = f.Docs[0].Body
	}
	var doc struct {
		Topology *topology.Network `yaml:"topology"`
	}
	if err := safeyaml.DecodeNode("", body, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, safeyaml.FormatError(err))
	}
	root := "$.topology"
	n := doc.Topology
	if n == nil {
		n = &topology.Network{}
		if err := safeyaml.DecodeNode("", body, n); err != nil {
			return nil, fmt.Errorf("%s: %s", file, safeyaml.FormatError(err))
		}
		root = "$"
	}
	n.DropNils()
	stampSources(n, file, f, root)
	return n, nil
}

// UnmarshalYAML decodes YAML into v through safeyaml: size, depth and
// alias limits first, and a panic of the YAML library becomes an error.
// The error names the line, not the file (callers add it).
func UnmarshalYAML(data []byte, v any) error {
	if err := safeyaml.Unmarshal("", data, v); err != nil {
		return errors.New(safeyaml.FormatError(err))
	}
	return nil
}

// stampSources sets Src (file and line) on every top-level resource and
// on subnets, routes and NSG rules, from one walk of the YAML syntax tree.
func stampSources(n *topology.Network, file string, f *ast.File, root string) {
	lines := map[string]int{}
	if f != nil && len(f.Docs) > 0 {
		body := f.Docs[0].Body
		if root != "$" {
			body = mappingValue(body, "topology")
		}
		for k, v := range mappingEntries(body) {
			seq, ok := v.(*ast.SequenceNode)
			if !ok {
				continue
			}
			for i, item := range seq.Values {
				key := fmt.Sprintf("%s[%d]", k, i)
				if item != nil && item.GetToken() != nil {
					lines[key] = item.GetToken().Position.Line
				}
				for _, sub := range []string{"subnets", "routes", "rules"} {
					if inner, ok := mappingValue(item, sub).(*ast.SequenceNode); ok {
						for j, x := range inner.Values {
							if x != nil && x.GetToken() != nil {
								lines[fmt.Sprintf("%s.%s[%d]", key, sub, j)] = x.GetToken().Position.Line
							}
						}
					}
				}
			}
		}
	}
	src := func(key string) topology.Source { return topology.Source{File: file, Line: lines[key]} }
	for i, x := range n.VNets {
		x.Src = src(fmt.Sprintf("vnets[%d]", i))
		for j, s := range x.Subnets {
			s.Src = src(fmt.Sprintf("vnets[%d].subnets[%d]", i, j))
		}
	}
	for i, x := range n.Peerings {
		x.Src = src(fmt.Sprintf("peerings[%d]", i))
	}
	for i, x := range n.RouteTables {
		x.Src = src(fmt.Sprintf("route_tables[%d]", i))
		for j, r := range x.Routes {
			r.Src = src(fmt.Sprintf("route_tables[%d].routes[%d]", i, j))
		}
	}
	for i, x := range n.NSGs {
		x.Src = src(fmt.Sprintf("nsgs[%d]", i))
		for j, r := range x.Rules {
			r.Src = src(fmt.Sprintf("nsgs[%d].rules[%d]", i, j))
		}
	}
	for i, x := range n.AdminRules {
		x.Src = src(fmt.Sprintf("admin_rules[%d]", i))
	}
	for i, x := range n.ASGs {
		x.Src = src(fmt.Sprintf("asgs[%d]", i))
	}
	for i, x := range n.NICs {
		x.Src = src(fmt.Sprintf("nics[%d]", i))
	}
	for i, x := range n.PrivateEndpoints {
		x.Src = src(fmt.Sprintf("private_endpoints[%d]", i))
	}
	for i, x := range n.Firewalls {
		x.Src = src(fmt.Sprintf("firewalls[%d]", i))
	}
	for i, x := range n.FirewallPolicies {
		x.Src = src(fmt.Sprintf("firewall_policies[%d]", i))
	}
	for i, x := range n.IPGroups {
		x.Src = src(fmt.Sprintf("ip_groups[%d]", i))
	}
	for i, x := range n.Gateways {
		x.Src = src(fmt.Sprintf("gateways[%d]", i))
	}
	for i, x := range n.Connections {
		x.Src = src(fmt.Sprintf("connections[%d]", i))
	}
	for i, x := range n.OnPremSites {
		x.Src = src(fmt.Sprintf("onprem_sites[%d]", i))
	}
	for i, x := range n.LoadBalancers {
		x.Src = src(fmt.Sprintf("load_balancers[%d]", i))
	}
	for i, x := range n.NATGateways {
		x.Src = src(fmt.Sprintf("nat_gateways[%d]", i))
	}
	for i, x := range n.VirtualWANs {
		x.Src = src(fmt.Sprintf("virtual_wans[%d]", i))
	}
	for i, x := range n.VirtualHubs {
		x.Src = src(fmt.Sprintf("virtual_hubs[%d]", i))
		for _, t := range x.RouteTables {
			t.Src = x.Src
		}
		for _, c := range x.Connections {
			c.Src = x.Src
		}
		for _, p := range x.BGPPeers {
			p.Src = x.Src
		}
	}
	for i, x := range n.RouteServers {
		x.Src = src(fmt.Sprintf("route_servers[%d]", i))
		for _, p := range x.Peers {
			p.Src = x.Src
		}
	}
	for i, x := range n.PrivateDNSZones {
		x.Src = src(fmt.Sprintf("private_dns_zones[%d]", i))
	}
	for i, x := range n.DNSForwarders {
		x.Src = src(fmt.Sprintf("dns_forwarders[%d]", i))
	}
}

// mappingEntries returns the key/value pairs of a YAML mapping node.
func mappingEntries(n ast.Node) map[string]ast.Node {
	out := map[string]ast.Node{}
	var vals []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		vals = m.Values
	case *ast.MappingValueNode:
		vals = []*ast.MappingValueNode{m}
	}
	for _, mv := range vals {
		if mv == nil || mv.Key == nil || mv.Key.GetToken() == nil {
			continue
		}
		out[mv.Key.GetToken().Value] = mv.Value
	}
	return out
}

func mappingValue(n ast.Node, key string) ast.Node { return mappingEntries(n)[key] }

// designKeys are top-level keys only pathproof's design format has.
var designKeys = map[string]bool{"topology": true, "vnets": true, "firewall_policies": true, "nsgs": true, "route_tables": true, "schema": true,
	// DNS facts no Azure export holds, in a file of their own beside one.
	"public_dns": true, "dns_forwarders": true}

// designJSONKeys reports whether data is a JSON object with a design key
// at the top level (the design format written as JSON, e.g. by topogen).
// Only the top-level keys are read (safejson.TopKeys): a terraform state
// or an ARM export is not decoded to be turned down.
func designJSONKeys(data []byte) bool {
	keys, _ := safejson.TopKeys(data)
	return slices.ContainsFunc(keys, func(k string) bool { return designKeys[k] })
}

// parseDesignJSON decodes the design format written as JSON (YAML's JSON
// subset), fast for generated or converted large topologies. Sources carry
// the file but no line.
func parseDesignJSON(file string, data []byte) (*topology.Network, error) {
	if err := safejson.Check("", data, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var doc struct {
		Topology *topology.Network `json:"topology"`
	}
	if err := gojson.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	n := doc.Topology
	if n == nil {
		n = &topology.Network{}
		if err := gojson.Unmarshal(data, n); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	n.DropNils()
	stampSources(n, file, nil, "$")
	return n, nil
}
