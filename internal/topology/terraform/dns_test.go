package terraform

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// tfDNSState is hand-written state: a zone with an A record, a CNAME and
// two links (one registering, one falling back to the internet), a zone
// filled only by private endpoints' zone groups (one with its computed
// record sets, one from a plan that knows only the zone ids), a VNet's DNS
// servers set by their own resource, and a record set whose zone the state
// lacks.
const tfDNSState = `{"format_version": "1.0", "values": {"root_module": {"resources": [
 {"address": "azurerm_virtual_network.hub", "type": "azurerm_virtual_network", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
  "name": "hub", "resource_group_name": "rg", "address_space": ["10.0.0.0/16"], "dns_servers": []}},
 {"address": "azurerm_virtual_network.spoke", "type": "azurerm_virtual_network", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
  "name": "spoke", "resource_group_name": "rg", "address_space": ["10.1.0.0/16"]}},
 {"address": "azurerm_subnet.pe", "type": "azurerm_subnet", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/pe",
  "name": "pe", "resource_group_name": "rg", "virtual_network_name": "spoke", "address_prefixes": ["10.1.1.0/24"]}},
 {"address": "azurerm_virtual_network_dns_servers.spoke", "type": "azurerm_virtual_network_dns_servers", "values": {
  "virtual_network_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke", "dns_servers": ["10.0.0.4"]}},
 {"address": "azurerm_private_dns_zone.corp", "type": "azurerm_private_dns_zone", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/corp.contoso.com",
  "name": "corp.contoso.com", "resource_group_name": "rg"}},
 {"address": "azurerm_private_dns_a_record.db", "type": "azurerm_private_dns_a_record", "values": {"name": "db", "zone_name": "corp.contoso.com", "resource_group_name": "rg",
  "ttl": 300, "records": ["10.0.5.4", "10.0.5.5"]}},
 {"address": "azurerm_private_dns_cname_record.www", "type": "azurerm_private_dns_cname_record", "values": {
  "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/corp.contoso.com/CNAME/www",
  "name": "www", "zone_name": "corp.contoso.com", "resource_group_name": "rg", "ttl": 60, "record": "db.corp.contoso.com"}},
 {"address": "azurerm_private_dns_zone_virtual_network_link.hub", "type": "azurerm_private_dns_zone_virtual_network_link", "values": {"name": "hub-link",
  "private_dns_zone_name": "corp.contoso.com", "resource_group_name": "rg", "virtual_network_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
  "registration_enabled": true}},
 {"address": "azurerm_private_dns_zone.kv", "type": "azurerm_private_dns_zone", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net",
  "name": "privatelink.vaultcore.azure.net", "resource_group_name": "rg"}},
 {"address": "azurerm_private_dns_zone_virtual_network_link.kv_spoke", "type": "azurerm_private_dns_zone_virtual_network_link", "values": {"name": "spoke-link",
  "private_dns_zone_name": "privatelink.vaultcore.azure.net", "resource_group_name": "rg", "virtual_network_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
  "registration_enabled": false, "resolution_policy": "NxDomainRedirect"}},
 {"address": "azurerm_private_endpoint.kv", "type": "azurerm_private_endpoint", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/kv",
  "name": "kv", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/pe",
  "private_service_connection": [{"name": "kv", "private_connection_resource_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso",
   "subresource_names": ["vault"], "is_manual_connection": false, "private_ip_address": "10.1.1.4"}],
  "private_dns_zone_group": [{"name": "default", "private_dns_zone_ids": ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"]}],
  "private_dns_zone_configs": [{"name": "privatelink.vaultcore.azure.net", "private_dns_zone_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net",
   "record_sets": [{"name": "kv-contoso", "type": "A", "fqdn": "kv-contoso.privatelink.vaultcore.azure.net", "ttl": 10, "ip_addresses": ["10.1.1.4"]}]}]}},
 {"address": "azurerm_private_endpoint.kv2", "type": "azurerm_private_endpoint", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/kv2",
  "name": "kv2", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/pe",
  "private_service_connection": [{"name": "kv2", "private_connection_resource_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-billing",
   "subresource_names": ["vault"], "private_ip_address": "10.1.1.5"}],
  "private_dns_zone_group": [{"name": "default", "private_dns_zone_ids": ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"]}]}},
 {"address": "azurerm_private_dns_a_record.orphan", "type": "azurerm_private_dns_a_record", "values": {"name": "x", "zone_name": "gone.example", "resource_group_name": "rg",
  "ttl": 300, "records": ["10.9.9.9"]}}
]}}}`

func TestTerraformPrivateDNS(t *testing.T) {
	st, err := Decode([]byte(tfDNSState))
	if err != nil {
		t.Fatal(err)
	}
	var s armset.Set
	if notes := st.AddTo(&s, "dns.json"); len(notes) > 0 {
		t.Errorf("notes: %q", notes)
	}
	n, md := s.Network()
	msgs := topotest.DiagLines(md.Missing)
	if len(md.Missing) != 1 || len(md.Errors) != 0 || !strings.Contains(msgs, "privateDnsZones/gone.example not found") || !strings.Contains(msgs, "azurerm_private_dns_a_record.orphan") {
		t.Errorf("want one missing reference naming the missing zone and the record's address, got:\n%s", msgs)
	}
	var d topology.Diagnostics
	n.Finish(&d)
	if len(d.Errors) > 0 {
		t.Errorf("validate: %v", d.Errors)
	}
	corp, kv := n.PrivateDNSZone("corp.contoso.com"), n.PrivateDNSZone("privatelink.vaultcore.azure.net")
	if corp == nil || kv == nil {
		t.Fatalf("zones missing: %s", topotest.Counts(n))
	}
	addrs := func(r *topology.DNSARecord) string {
		if r == nil {
			return "<none>"
		}
		var out []string
		for _, ip := range r.IPs {
			out = append(out, ip.String())
		}
		return strings.Join(out, ",")
	}
	link := func(z *topology.PrivateDNSZone, name string) string {
		for _, l := range z.Links {
			if l.Name == name {
				vnet := "<none>"
				if l.VNetRef() != nil {
					vnet = l.VNetRef().Name
				}
				return vnet + " registration=" + boolStr(l.RegistrationEnabled) + " fallback=" + boolStr(l.Fallback())
			}
		}
		return "<none>"
	}
	cname := "<none>"
	if c := corp.CNAME("www"); c != nil {
		cname = c.Target + " ttl " + itoa(c.TTL)
	}
	checks := []struct{ what, got, want string }{
		{"A record", addrs(corp.A("db")) + " ttl " + itoa(corp.A("db").TTL), "10.0.5.4,10.0.5.5 ttl 300"},
		{"CNAME record", cname, "db.corp.contoso.com ttl 60"},
		{"registration link", link(corp, "hub-link"), "hub registration=true fallback=false"},
		{"resolution_policy NxDomainRedirect", link(kv, "spoke-link"), "spoke registration=false fallback=true"},
		{"zone group record set", addrs(kv.A("kv-contoso")), "10.1.1.4"},
		{"plan zone group: named after the target", addrs(kv.A("kv-billing")), "10.1.1.5"},
		{"azurerm_virtual_network_dns_servers", n.VNet("spoke").DNSServers[0].String(), "10.0.0.4"},
		{"no DNS servers", itoa(len(n.VNet("hub").DNSServers)), "0"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	if len(kv.ARecords) != 2 {
		t.Errorf("%d A records in the privatelink zone, want 2", len(kv.ARecords))
	}
}
