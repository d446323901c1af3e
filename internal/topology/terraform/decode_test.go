package terraform

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// tfState3x is hand-written azurerm 3.x state: singular address_prefix,
// disable_bgp_route_propagation, enable_ip_forwarding, the bool
// private_endpoint_network_policies_enabled, a rule managed both inline and
// as azurerm_network_security_rule, a module two levels deep and a data
// source describing a managed VNet.
const tfState3x = `{
  "format_version": "1.0",
  "terraform_version": "1.5.7",
  "values": {
    "root_module": {
      "resources": [
        {"address": "azurerm_virtual_network.hub", "mode": "managed", "type": "azurerm_virtual_network", "name": "hub",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub", "name": "hub", "resource_group_name": "rg",
                    "location": "westeurope", "address_space": ["10.0.0.0/16"], "subnet": []}},
        {"address": "data.azurerm_virtual_network.hub", "mode": "data", "type": "azurerm_virtual_network", "name": "hub",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub", "name": "hub", "address_space": ["10.9.0.0/16"]}},
        {"address": "azurerm_subnet.app", "mode": "managed", "type": "azurerm_subnet", "name": "app",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/app", "name": "app",
                    "resource_group_name": "rg", "virtual_network_name": "hub", "address_prefix": "10.0.1.0/24",
                    "private_endpoint_network_policies_enabled": true, "service_endpoints": ["Microsoft.Storage"]}},
        {"address": "azurerm_storage_account.sa", "mode": "managed", "type": "azurerm_storage_account", "name": "sa", "values": {"id": "x"}}
      ],
      "child_modules": [{"address": "module.a", "resources": [], "child_modules": [{"address": "module.a.module.b", "resources": [
        {"address": "module.a.module.b.azurerm_route_table.rt", "mode": "managed", "type": "azurerm_route_table", "name": "rt",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt", "name": "rt", "resource_group_name": "rg",
                    "disable_bgp_route_propagation": true,
                    "route": [{"name": "fw", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_in_ip_address": "10.0.1.4"}]}},
        {"address": "module.a.module.b.azurerm_subnet_route_table_association.app", "mode": "managed", "type": "azurerm_subnet_route_table_association", "name": "app",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/app",
                    "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/app",
                    "route_table_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"}},
        {"address": "module.a.module.b.azurerm_network_security_group.nsg", "mode": "managed", "type": "azurerm_network_security_group", "name": "nsg",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg", "name": "nsg",
                    "security_rule": [{"name": "ssh", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                                       "source_address_prefix": "10.0.0.0/8", "source_address_prefixes": [], "source_port_range": "*",
                                       "destination_address_prefix": "*", "destination_port_range": "22"}]}},
        {"address": "module.a.module.b.azurerm_network_security_rule.ssh", "mode": "managed", "type": "azurerm_network_security_rule", "name": "ssh",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg/securityRules/ssh", "name": "ssh",
                    "resource_group_name": "rg", "network_security_group_name": "nsg", "priority": 100, "direction": "Inbound", "access": "Allow",
                    "protocol": "Tcp", "source_address_prefix": "10.0.0.0/8", "source_port_range": "*", "destination_address_prefix": "*", "destination_port_range": "22"}},
        {"address": "module.a.module.b.azurerm_network_interface.vm", "mode": "managed", "type": "azurerm_network_interface", "name": "vm",
         "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/vm-nic", "name": "vm-nic", "enable_ip_forwarding": true,
                    "ip_configuration": [{"name": "c", "primary": true, "private_ip_address": "10.0.1.5",
                                          "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/app"}]}},
        {"address": "module.a.module.b.azurerm_network_interface_security_group_association.vm", "mode": "managed",
         "type": "azurerm_network_interface_security_group_association", "name": "vm",
         "values": {"network_interface_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/vm-nic",
                    "network_security_group_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg"}}
      ]}]}]
    }
  }
}`

func TestTerraformState3x(t *testing.T) {
	st, err := Decode([]byte(tfState3x))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Resources) != 10 || st.Plan {
		t.Fatalf("walked %d resources (plan %v), want 10 from three module levels", len(st.Resources), st.Plan)
	}
	var s armset.Set
	notes := st.AddTo(&s, "state.json")
	if len(notes) != 1 || !strings.Contains(notes[0], "1 azurerm_storage_account resource(s) skipped") {
		t.Errorf("notes = %q", notes)
	}
	n, md := s.Network()
	if len(md.Errors) > 0 || len(md.Warnings) > 0 || len(md.Missing) > 0 {
		t.Fatalf("errors %v warnings %v missing %v", md.Errors, md.Warnings, md.Missing)
	}
	n.Finish(&topology.Diagnostics{})
	checks := []struct{ what, got, want string }{
		{"vnets (data source ignored)", topotest.Counts(n)[:len("vnet=1")], "vnet=1"},
		{"address space from the managed resource", n.VNets[0].AddressSpace[0].String(), "10.0.0.0/16"},
		{"singular address_prefix", n.VNets[0].Subnets[0].Prefix.String(), "10.0.1.0/24"},
		{"3.x bool PE policies", n.VNets[0].Subnets[0].PrivateEndpointNetworkPolicies, "Enabled"},
		{"route table association", n.VNets[0].Subnets[0].RouteTable, "rt"},
		{"disable_bgp_route_propagation", boolStr(n.RouteTables[0].DisableBGPRoutePropagation), "true"},
		{"next_hop_in_ip_address", n.RouteTables[0].Routes[0].NextHopIP.String(), "10.0.1.4"},
		{"rule de-duplicated", strings.Repeat("r", len(n.NSGs[0].Rules)), "r"},
		{"enable_ip_forwarding", boolStr(n.NICs[0].IPForwarding), "true"},
		{"NIC NSG association", n.NICs[0].NSG, "nsg"},
		{"NIC subnet", n.NICs[0].Subnet, "hub/app"},
		{"source is the address", n.NICs[0].Src.ID, "module.a.module.b.azurerm_network_interface.vm"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestTerraformPlan reads a plan: prior state merged with planned values,
// ids of resources to be created made up.
func TestTerraformPlan(t *testing.T) {
	plan := `{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[
	  {"address":"azurerm_virtual_network.v","type":"azurerm_virtual_network","values":{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v","name":"v","resource_group_name":"rg","address_space":["10.0.0.0/16"]}}]}}},
	  "planned_values":{"root_module":{"resources":[
	  {"address":"azurerm_virtual_network.v","type":"azurerm_virtual_network","values":{"name":"v","resource_group_name":"rg","address_space":["10.0.0.0/16","10.1.0.0/16"]}},
	  {"address":"azurerm_subnet.s","type":"azurerm_subnet","values":{"name":"s","resource_group_name":"rg","virtual_network_name":"v","address_prefixes":["10.1.0.0/24"]}}]}}}`
	st, err := Decode([]byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	var s armset.Set
	notes := st.AddTo(&s, "plan.json")
	if !st.Plan || len(notes) != 1 || !strings.Contains(notes[0], "made-up id") {
		t.Errorf("plan %v notes %q", st.Plan, notes)
	}
	n, md := s.Network()
	if len(md.Errors) > 0 || len(md.Missing) > 0 {
		t.Fatal(md.Errors, md.Missing)
	}
	var d topology.Diagnostics
	n.Finish(&d)
	if len(d.Errors) > 0 {
		t.Fatalf("errors:\n%s", topotest.DiagLines(d.Errors))
	}
	if len(n.VNets) != 1 || len(n.VNets[0].AddressSpace) != 2 || len(n.VNets[0].Subnets) != 1 {
		t.Errorf("planned values not applied: %s", topotest.Counts(n))
	}
	if n.VNets[0].ID != "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v" {
		t.Errorf("prior id not kept: %s", n.VNets[0].ID)
	}
	if sb := n.Subnet("v/s"); sb == nil || sb.ID != n.VNets[0].ID+"/subnets/s" {
		t.Errorf("new subnet not joined to its existing VNet: %+v", n.VNets[0].Subnets)
	}
}
