package scenario

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
)

// modTopo is a scenario file with one query, for its topology.
const modTopo = `schema: pathproof.scenario/v1
queries:
  - {id: q, kind: next_hop, input: {nic: x, destination_ip: 10.0.0.1}, expect: {next_hop_type: None}}
topology:
  vnets:
    - name: hub
      address_space: [10.0.0.0/16]
      subnets: [{name: pe, prefix: 10.0.1.0/24}]
    - {name: spoke, address_space: [10.1.0.0/16]}
  peerings:
    - {vnet: hub, remote_vnet: spoke}
    - {vnet: spoke, remote_vnet: hub}
  route_tables:
    - {name: rt, routes: [{name: a, prefix: 0.0.0.0/0, next_hop_type: Internet}]}
  firewall_policies:
    - name: pol
      rule_collection_groups:
        - {name: g, priority: 100, rule_collections: [{name: rc, type: Network, priority: 100, action: Allow, rules: [{name: r}]}]}
`

func TestModifyOps(t *testing.T) {
	f, err := Parse("m.yaml", []byte(modTopo))
	if err != nil {
		t.Fatal(err)
	}
	n := f.Topology.Clone()
	ops := []map[string]any{
		{"op": "set", "path": "vnets[hub].subnets[pe].private_endpoint_network_policies", "value": "Enabled"},
		{"op": "set", "path": "peerings[spoke->hub].allow_forwarded_traffic", "value": true},
		{"op": "set", "path": "firewall_policies[pol].snat_private_ranges", "value": []any{"255.255.255.255/32"}},
		{"op": "set", "path": "firewall_policies[pol].rule_collection_groups[g].rule_collections[rc].action", "value": "Deny"},
		{"op": "remove_route", "route_table": "rt", "name": "a"},
		{"op": "add_route", "route_table": "rt", "route": map[string]any{"name": "b", "prefix": "10.9.0.0/16", "next_hop_type": "None"}},
	}
	if err := Apply(n, ops); err != nil {
		t.Fatal(err)
	}
	if n.Subnet("hub/pe").PEPolicy() != topology.PEPolicyEnabled {
		t.Error("set subnet policy")
	}
	if !n.Peerings[1].AllowForwardedTraffic || n.Peerings[0].AllowForwardedTraffic {
		t.Error("set peering selected the wrong object")
	}
	if got := n.FirewallPolicy("pol").SNATPrivateRanges; len(got) != 1 || got[0] != "255.255.255.255/32" {
		t.Errorf("set list: %v", got)
	}
	if n.FirewallPolicy("pol").RuleCollectionGroups[0].RuleCollections[0].Action != "Deny" {
		t.Error("set nested action")
	}
	if rt := n.RouteTable("rt"); len(rt.Routes) != 1 || rt.Routes[0].Name != "b" {
		t.Errorf("routes: %+v", rt.Routes)
	}
	if f.Topology.Subnet("hub/pe").PEPolicy() != topology.PEPolicyDisabled || len(f.Topology.RouteTable("rt").Routes) != 1 || f.Topology.RouteTable("rt").Routes[0].Name != "a" {
		t.Error("modify leaked into the original topology")
	}
	for _, bad := range []map[string]any{
		{"op": "set", "path": "vnets[nope].region", "value": "x"},
		{"op": "set", "path": "vnets[hub].nosuch", "value": "x"},
		{"op": "remove_nsg_rule", "nsg": "nope", "name": "x"},
		{"op": "explode"},
	} {
		if err := Apply(n, []map[string]any{bad}); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
}

func TestCompareProjects(t *testing.T) {
	actual := map[string]any{"access": "Allow", "rule_name": "securityRules/x", "nsg": "n", "extra": 1}
	p, d := Compare(actual, map[string]any{"access": "Allow", "rule_name": "securityRules/x"})
	if len(d) != 0 || len(p.(map[string]any)) != 2 {
		t.Errorf("projection %v diff %v", p, d)
	}
	_, d = Compare(actual, map[string]any{"nsg": nil})
	if len(d) != 1 || !strings.Contains(d[0], "want null") {
		t.Errorf("diff %v", d)
	}
	_, d = Compare(map[string]any{"to_port": 3389}, map[string]any{"to_port": uint64(3389)})
	if len(d) != 0 {
		t.Errorf("numbers: %v", d)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(modTopo))
	f.Add([]byte(modTopo + "notes: x\nexpcet: 1\n"))
	f.Add([]byte("schema: pathproof.scenario/v1\nqueries: [{}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		_ = Run(sf, RunOptions{})
	})
}
