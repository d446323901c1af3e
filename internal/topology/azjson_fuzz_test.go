package topology

import "testing"

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

func fuzzSeeds(f *testing.F) (arm, cli, tf []byte) {
	n, err := ParseDesign("fuzz.yaml", []byte(fuzzDesign))
	if err != nil {
		f.Fatal(err)
	}
	n.Index()
	arm, _, _ = ExportARM(n)
	cli, _, _ = ExportAZCLI(n)
	tf, _, _ = ExportTerraformState(n)
	return arm, cli, tf
}

// FuzzDecodeAzureJSON feeds arbitrary bytes through the dialect
// normaliser, the per-type extraction and the mapping to the model: none
// may panic.
func FuzzDecodeAzureJSON(f *testing.F) {
	arm, cli, _ := fuzzSeeds(f)
	for _, s := range [][]byte{arm, cli,
		[]byte(`{"data":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"microsoft.network/virtualnetworks","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"a","properties":{"addressPrefix":"10.0.0.0/24"}}]}}]}`),
		[]byte(`{"parameters":{},"responses":{"200":{"body":{"nextHopType":"VnetLocal","routeTableId":"System Route"}}}}`),
		[]byte(`{"value":[{"source":"Default","state":"Active","addressPrefix":["0.0.0.0/0"],"nextHopType":"Internet"}]}`),
		[]byte(`{"data":{"columns":[{"name":"id"},{"name":"type"}],"rows":[["x","microsoft.network/routetables"]]}}`),
		[]byte(`[{"type":"Microsoft.Network/networkInterfaces","ipConfigurations":[{"privateIPAddress":"10.0.0.4/28","subnet":"bad"}]}]`),
		[]byte(`[1,null,"x",{"properties":[]}]`),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := DecodeAzureJSON(data)
		if err != nil {
			return
		}
		var s azSet
		for _, r := range doc.Resources {
			_, _ = s.add("fuzz.json", r)
		}
		n, _, _ := s.clone().toNetwork()
		n.Index()
		n.Validate(&Diagnostics{})
	})
}

// FuzzTerraformState feeds arbitrary bytes through the Terraform walker and
// the mapping to the model.
func FuzzTerraformState(f *testing.F) {
	_, _, tf := fuzzSeeds(f)
	for _, s := range [][]byte{tf,
		[]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"azurerm_subnet.a","type":"azurerm_subnet","values":{"name":"a","virtual_network_name":"v","resource_group_name":"r","address_prefixes":["10.0.0.0/24"]}}]}}}`),
		[]byte(`{"format_version":"1.0","values":{"root_module":{"child_modules":[{"child_modules":[{"resources":[{"type":"azurerm_route","values":{}}]}]}]}}}`),
		[]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"type":"azurerm_network_interface","values":{"ip_configuration":[{"private_ip_address":"x"}]}}]}}}`),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := DecodeTerraformState(data)
		if err != nil {
			return
		}
		var s azSet
		st.into(&s, "fuzz.json")
		n, _, _ := s.clone().toNetwork()
		n.Index()
		n.Validate(&Diagnostics{})
	})
}
