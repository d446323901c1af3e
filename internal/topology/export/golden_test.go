package export_test

import (
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
	"github.com/pathproof/pathproof/internal/topology/export"
	"github.com/pathproof/pathproof/internal/topology/load"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestExportGolden pins the exported shapes of a small design that uses
// every resource kind (testdata/export/*.json; -update rewrites them) and
// checks each export loads back without errors or warnings.
func TestExportGolden(t *testing.T) {
	n, err := design.Parse("design.yaml", []byte(fuzzDesign))
	if err != nil {
		t.Fatal(err)
	}
	n.Finish(&topology.Diagnostics{})
	var d topology.Diagnostics
	n.Validate(&d)
	if len(d.Errors) > 0 || len(d.Warnings) > 0 {
		t.Fatalf("design is not clean:\n%s%s", topotest.DiagLines(d.Errors), topotest.DiagLines(d.Warnings))
	}
	for _, c := range []struct {
		file  string
		write func(*topology.Network) ([]byte, []string, error)
	}{
		{"design.arm.json", export.ARM},
		{"design.az.json", export.AZCLI},
		{"design.tfstate.json", export.TerraformState},
	} {
		t.Run(c.file, func(t *testing.T) {
			got, notes, err := c.write(n)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) > 0 {
				t.Errorf("notes: %q", notes)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", c.file)
			testenv.Golden(t, path, got)
			back, d, err := load.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Warnings) > 0 {
				t.Errorf("warnings:\n%s", topotest.DiagLines(d.Warnings))
			}
			if topotest.Counts(back) != topotest.Counts(n) {
				t.Errorf("read back %s\n      want %s", topotest.Counts(back), topotest.Counts(n))
			}
		})
	}
}

// fuzzDesign is a small network exercising every exported resource kind;
// its exports seed the fuzzers.
const fuzzDesign = `topology:
  vnets:
    - name: hub
      address_space: [10.0.0.0/16]
      subnets:
        - {name: AzureFirewallSubnet, prefix: 10.0.1.0/26}
        - {name: GatewaySubnet, prefix: 10.0.2.0/27}
        - {name: app, prefix: 10.0.3.0/24, nsg: nsg-app, route_table: rt-app, private_endpoint_network_policies: Enabled}
    - name: spoke
      address_space: [10.1.0.0/16]
      subnets: [{name: pe, prefix: 10.1.1.0/24}]
  peerings:
    - {vnet: hub, remote_vnet: spoke, allow_gateway_transit: true}
    - {vnet: spoke, remote_vnet: hub, use_remote_gateways: true, allow_forwarded_traffic: true}
  route_tables:
    - name: rt-app
      routes: [{name: fw, prefix: 0.0.0.0/0, next_hop_type: VirtualAppliance, next_hop_ip: 10.0.1.4}]
  nsgs:
    - name: nsg-app
      rules:
        - {name: web, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, source: [Internet, 'asg:web'], source_ports: ['*'], destination: ['*'], destination_ports: ['80', '443']}
  asgs: [web]
  nics:
    - {name: vm1-nic, subnet: hub/app, ip: 10.0.3.4, asgs: [web], public_ip: 20.0.0.5, nva: {stateful: true, snat: true}}
  private_endpoints:
    - {name: pe1, subnet: spoke/pe, ip: 10.1.1.4, target: {resource_type: Microsoft.Storage/storageAccounts, subresource: blob, fqdn: acct.blob.core.windows.net}}
  firewalls:
    - {name: fw, subnet: hub/AzureFirewallSubnet, private_ip: 10.0.1.4, public_ips: [20.0.0.10], policy: pol}
  firewall_policies:
    - name: pol
      dns_records: [{fqdn: www.example.com, ip: 93.184.216.34}]
      rule_collection_groups:
        - name: g1
          priority: 100
          rule_collections:
            - {name: dnat, type: DNAT, priority: 100, action: DNAT, rules: [{name: d1, protocols: [TCP], source_addresses: ['*'], destination_addresses: [20.0.0.10], destination_ports: ['443'], translated_address: 10.0.3.4, translated_port: '443'}]}
            - {name: net, type: Network, priority: 200, action: Allow, rules: [{name: n1, protocols: [TCP], source_addresses: [10.1.0.0/16], destination_ip_groups: [ipg], destination_ports: ['*']}]}
            - {name: app, type: Application, priority: 300, action: Allow, rules: [{name: a1, protocols: ['Https:443'], source_addresses: ['*'], target_fqdns: [www.example.com]}]}
  ip_groups:
    - {name: ipg, addresses: [10.0.0.0/16]}
  gateways:
    - name: gw
      vnet: hub
      type: Vpn
      sku: VpnGw1
      bgp: {enabled: true, asn: 65515}
      nat_rules: [{name: in1, mode: IngressSnat, type: Static, internal: [10.0.3.0/24], external: [100.0.3.0/24]}]
  connections:
    - {name: c1, gateway: gw, type: IPsec, remote: onprem, learned_prefixes: [192.168.0.0/16], nat_rules: [in1]}
  onprem_sites:
    - {name: onprem, prefixes: [192.168.0.0/16], hosts: [{name: pc, ip: 192.168.1.10}]}
`
