package terraform

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// tfLBState is hand-written state in the azurerm 3.x spellings
// (enable_floating_ip) with what Terraform keeps apart: a NIC joined to a
// pool and to an inbound NAT rule by association resources, an IP-based
// pool member, an inbound NAT pool, a NAT gateway with a public IP and a
// prefix by association, and a subnet associated with a NAT gateway the
// state lacks.
const tfLBState = `{"format_version": "1.0", "values": {"root_module": {"resources": [
 {"address": "azurerm_virtual_network.v", "type": "azurerm_virtual_network", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
  "name": "v", "resource_group_name": "rg", "address_space": ["10.0.0.0/16"]}},
 {"address": "azurerm_subnet.app", "type": "azurerm_subnet", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app",
  "name": "app", "resource_group_name": "rg", "virtual_network_name": "v", "address_prefixes": ["10.0.1.0/24"], "default_outbound_access_enabled": false}},
 {"address": "azurerm_subnet.other", "type": "azurerm_subnet", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/other",
  "name": "other", "resource_group_name": "rg", "virtual_network_name": "v", "address_prefixes": ["10.0.2.0/24"]}},
 {"address": "azurerm_network_interface.a", "type": "azurerm_network_interface", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/a",
  "name": "a", "ip_configuration": [{"name": "cfg", "primary": true, "private_ip_address": "10.0.1.4", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app"}]}},
 {"address": "azurerm_network_interface.b", "type": "azurerm_network_interface", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/b",
  "name": "b", "ip_configuration": [{"name": "cfg", "primary": true, "private_ip_address": "10.0.1.5", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app"}]}},
 {"address": "azurerm_public_ip.lb", "type": "azurerm_public_ip", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/lb", "name": "lb", "ip_address": "20.1.1.1"}},
 {"address": "azurerm_lb.lb", "type": "azurerm_lb", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb", "name": "lb", "resource_group_name": "rg", "sku": "Standard",
  "frontend_ip_configuration": [{"name": "pub", "public_ip_address_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/lb"},
                                {"name": "int", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/other", "private_ip_address": "10.0.2.10"}]}},
 {"address": "azurerm_lb_backend_address_pool.web", "type": "azurerm_lb_backend_address_pool", "values": {"name": "web",
  "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb"}},
 {"address": "azurerm_lb_backend_address_pool.byip", "type": "azurerm_lb_backend_address_pool", "values": {"name": "byip",
  "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
  "virtual_network_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"}},
 {"address": "azurerm_lb_backend_address_pool_address.b", "type": "azurerm_lb_backend_address_pool_address", "values": {"name": "b",
  "backend_address_pool_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/byip", "ip_address": "10.0.1.5"}},
 {"address": "azurerm_network_interface_backend_address_pool_association.a", "type": "azurerm_network_interface_backend_address_pool_association", "values": {
  "network_interface_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/a", "ip_configuration_name": "cfg",
  "backend_address_pool_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/web"}},
 {"address": "azurerm_lb_probe.http", "type": "azurerm_lb_probe", "values": {"name": "http", "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
  "protocol": "Http", "port": 80, "request_path": "/health"}},
 {"address": "azurerm_lb_rule.http", "type": "azurerm_lb_rule", "values": {"name": "http", "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
  "frontend_ip_configuration_name": "pub", "protocol": "Tcp", "frontend_port": 80, "backend_port": 8080, "enable_floating_ip": true,
  "backend_address_pool_ids": ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/web"],
  "probe_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/probes/http"}},
 {"address": "azurerm_lb_nat_rule.ssh", "type": "azurerm_lb_nat_rule", "values": {"name": "ssh", "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
  "frontend_ip_configuration_name": "pub", "protocol": "Tcp", "frontend_port": 50001, "backend_port": 22}},
 {"address": "azurerm_network_interface_nat_rule_association.a", "type": "azurerm_network_interface_nat_rule_association", "values": {
  "network_interface_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/a", "ip_configuration_name": "cfg",
  "nat_rule_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/inboundNatRules/ssh"}},
 {"address": "azurerm_lb_nat_pool.rdp", "type": "azurerm_lb_nat_pool", "values": {"name": "rdp", "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
  "frontend_ip_configuration_name": "pub", "protocol": "Tcp", "frontend_port_start": 50100, "frontend_port_end": 50199, "backend_port": 3389}},
 {"address": "azurerm_lb_outbound_rule.out", "type": "azurerm_lb_outbound_rule", "values": {"name": "out", "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
  "protocol": "All", "backend_address_pool_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/web",
  "frontend_ip_configuration": [{"name": "pub"}]}},
 {"address": "azurerm_lb_probe.orphan", "type": "azurerm_lb_probe", "values": {"name": "orphan", "loadbalancer_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/gone",
  "protocol": "Tcp", "port": 22}},
 {"address": "azurerm_nat_gateway.ng", "type": "azurerm_nat_gateway", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng", "name": "ng", "sku_name": "Standard"}},
 {"address": "azurerm_public_ip.ng", "type": "azurerm_public_ip", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ng", "name": "ng", "ip_address": "20.2.2.2"}},
 {"address": "azurerm_public_ip_prefix.ng", "type": "azurerm_public_ip_prefix", "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPPrefixes/ng", "name": "ng", "ip_prefix": "20.3.3.0/30"}},
 {"address": "azurerm_nat_gateway_public_ip_association.ng", "type": "azurerm_nat_gateway_public_ip_association", "values": {
  "nat_gateway_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng", "public_ip_address_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ng"}},
 {"address": "azurerm_nat_gateway_public_ip_prefix_association.ng", "type": "azurerm_nat_gateway_public_ip_prefix_association", "values": {
  "nat_gateway_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng", "public_ip_prefix_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPPrefixes/ng"}},
 {"address": "azurerm_subnet_nat_gateway_association.app", "type": "azurerm_subnet_nat_gateway_association", "values": {
  "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app", "nat_gateway_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng"}},
 {"address": "azurerm_subnet_nat_gateway_association.other", "type": "azurerm_subnet_nat_gateway_association", "values": {
  "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/other", "nat_gateway_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/missing"}}
]}}}`

func TestTerraformLoadBalancerAndNATGateway(t *testing.T) {
	st, err := Decode([]byte(tfLBState))
	if err != nil {
		t.Fatal(err)
	}
	var s armset.Set
	if notes := st.AddTo(&s, "lb.json"); len(notes) > 0 {
		t.Errorf("notes: %q", notes)
	}
	n, md := s.Network()
	// The probe of a load balancer the state lacks and the subnet whose NAT
	// gateway is missing are missing references naming the ids, not
	// errors; the rest loads.
	msgs := topotest.DiagLines(md.Missing)
	for _, want := range []string{"loadBalancers/gone", "natGateways/missing"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("missing references do not name %s:\n%s", want, msgs)
		}
	}
	if len(md.Missing) != 2 || len(md.Errors) != 0 {
		t.Errorf("%d missing references, want 2; errors:\n%s", len(md.Missing), topotest.DiagLines(md.Errors))
	}
	n.Finish(&topology.Diagnostics{})
	l := n.LoadBalancer("lb")
	if l == nil {
		t.Fatalf("no load balancer: %s", topotest.Counts(n))
	}
	nat := func(name string) *topology.LBInboundNATRule {
		for _, r := range l.InboundNATRules {
			if r.Name == name {
				return r
			}
		}
		t.Fatalf("no inbound NAT rule %s", name)
		return nil
	}
	g := n.NATGateway("ng")
	if g == nil {
		t.Fatal("no NAT gateway")
	}
	checks := []struct{ what, got, want string }{
		{"public frontend", l.Frontend("pub").PublicIP.String(), "20.1.1.1"},
		{"internal frontend", l.Frontend("int").Subnet + " " + l.Frontend("int").PrivateIP.String(), "v/other 10.0.2.10"},
		{"NIC member by association", strings.Join(l.Pool("web").NICs, ","), "a"},
		{"IP member with the pool's VNet", l.Pool("byip").Addresses[0].String() + " " + l.Pool("byip").VNet, "10.0.1.5 v"},
		{"rule", l.Rules[0].Frontend + " " + l.Rules[0].BackendPool + " " + l.Rules[0].Probe, "pub web http"},
		{"3.x enable_floating_ip", boolStr(l.Rules[0].FloatingIP), "true"},
		{"probe path", l.Probe("http").RequestPath, "/health"},
		{"NAT rule target by association", nat("ssh").NIC, "a"},
		{"NAT pool range", nat("rdp").Frontend + " " + itoa(nat("rdp").FrontendPort) + "-" + itoa(nat("rdp").FrontendPortEnd), "pub 50100-50199"},
		{"outbound rule", strings.Join(l.OutboundRules[0].Frontends, ",") + " " + l.OutboundRules[0].BackendPool, "pub web"},
		{"NAT gateway public IP", g.PublicIPs[0].String(), "20.2.2.2"},
		{"NAT gateway prefix", g.PublicIPPrefixes[0].String(), "20.3.3.0/30"},
		{"NAT gateway subnet", strings.Join(g.Subnets, ","), "v/app"},
		{"default_outbound_access_enabled", boolStr(*n.Subnet("v/app").DefaultOutboundAccess), "false"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	if got := n.NATGatewayOf(n.Subnet("v/app")); got != g {
		t.Errorf("subnet app's NAT gateway = %v", got)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
