package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/topotest"
)

const idp = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"

// TestAzureInputProblems checks that bad input gives a clear error,
// warning or missing reference naming the file and the resource, and that
// the rest still loads. A missing reference (an export that lacks a
// resource another refers to) is never also an error.
func TestAzureInputProblems(t *testing.T) {
	vnet := `{"id":"` + idp + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"id":"` + idp + `virtualNetworks/v/subnets/s","name":"s","addressPrefix":"10.0.1.0/24"}]}`
	nic := func(name, ip, subnet string) string {
		return `{"id":"` + idp + `networkInterfaces/` + name + `","name":"` + name + `","type":"Microsoft.Network/networkInterfaces","ipConfigurations":[{"name":"c","privateIPAddress":"` + ip + `","subnet":{"id":"` + idp + `virtualNetworks/v/subnets/` + subnet + `"}}]}`
	}
	cases := []struct {
		name     string
		json     string
		severity string // error | warning | missing
		resource string // part of the resource id or address that must be named
		want     string
		loaded   string // counts that must still load
	}{
		{"bad vnet cidr", `[{"id":"` + idp + `virtualNetworks/bad","name":"bad","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/33"]}},` + vnet + `]`,
			"error", "virtualNetworks/bad", `address space "10.0.0.0/33" is not a valid CIDR`, "vnet=2"},
		{"bad subnet prefix", `[{"id":"` + idp + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"id":"` + idp + `virtualNetworks/v/subnets/s","name":"s","addressPrefix":"10.0.1/24"}]}]`,
			"error", "virtualNetworks/v/subnets/s", `subnet prefix "10.0.1/24" is not a valid CIDR`, "vnet=1"},
		{"dangling subnet", `[` + vnet + `,` + nic("n1", "10.0.1.4", "nope") + `,` + nic("n2", "10.0.1.5", "s") + `]`,
			"missing", "networkInterfaces/n1", "its subnet " + idp + "virtualNetworks/v/subnets/nope is not in the inputs", "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=1"},
		{"duplicate ip", `[` + vnet + `,` + nic("n1", "10.0.1.4", "s") + `,` + nic("n2", "10.0.1.4", "s") + `]`,
			"error", "networkInterfaces/n2", "duplicate IP 10.0.1.4", "nic=2"},
		{"bad ip", `[` + vnet + `,` + nic("n1", "10.0.1.400", "s") + `]`,
			"error", "networkInterfaces/n1", `private IP address "10.0.1.400" is not a valid IP address`, "nic=1"},
		{"unknown type", `[` + vnet + `,{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app","name":"app","type":"Microsoft.Web/sites","properties":{}}]`,
			"warning", "Microsoft.Web/sites/app", `unknown resource type "microsoft.web/sites" skipped`, "vnet=1 subnet=1"},
		{"ignored type", `[` + vnet + `,{"id":"` + idp + `bastionHosts/b","name":"b","type":"Microsoft.Network/bastionHosts","properties":{}}]`,
			"warning", "bastionHosts/b", "Bastion hosts are not modelled", "vnet=1 subnet=1"},
		{"missing NAT gateway", `[{"id":"` + idp + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"id":"` + idp + `virtualNetworks/v/subnets/s","name":"s","addressPrefix":"10.0.1.0/24","natGateway":{"id":"` + idp + `natGateways/gone"}}]},` + nic("n1", "10.0.1.4", "s") + `]`,
			"missing", "virtualNetworks/v/subnets/s", "natGateways/gone is not in the inputs", "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=1"},
		{"missing backend pool", `[` + vnet + `,{"id":"` + idp + `loadBalancers/lb","name":"lb","type":"Microsoft.Network/loadBalancers","frontendIPConfigurations":[{"name":"fe","privateIPAddress":"10.0.1.10","subnet":{"id":"` + idp + `virtualNetworks/v/subnets/s"}}],"loadBalancingRules":[{"name":"r","protocol":"Tcp","frontendPort":80,"backendPort":80,"frontendIPConfiguration":{"id":"` + idp + `loadBalancers/lb/frontendIPConfigurations/fe"},"backendAddressPool":{"id":"` + idp + `loadBalancers/lb/backendAddressPools/gone"}}]}]`,
			"missing", "loadBalancers/lb", `rule "r": its backend pool ` + idp + `loadBalancers/lb/backendAddressPools/gone is not in the inputs`, "vnet=1 subnet=1"},
		{"route without appliance ip", `[{"id":"` + idp + `routeTables/rt","name":"rt","type":"Microsoft.Network/routeTables","routes":[{"name":"r","addressPrefix":"0.0.0.0/0","nextHopType":"VirtualAppliance"}]}]`,
			"error", "routeTables/rt", "next hop VirtualAppliance needs next_hop_ip", "rt=1 route=1"},
		{"orphan subnet", `[{"id":"` + idp + `virtualNetworks/gone/subnets/s","name":"s","type":"Microsoft.Network/virtualNetworks/subnets","addressPrefix":"10.0.1.0/24"},` + vnet + `]`,
			"missing", "virtualNetworks/gone/subnets/s", "its virtual network " + idp + "virtualNetworks/gone is not in the inputs", "vnet=1 subnet=1"},
		{"listed twice", `[` + vnet + `,` + nic("n1", "10.0.1.4", "s") + `,` + nic("n1", "10.0.1.5", "s") + `]`,
			"warning", "networkInterfaces/n1", "listed again in", "nic=1"},
		{"secured hub firewall", `[{"id":"` + idp + `azureFirewalls/hubfw","name":"hubfw","type":"Microsoft.Network/azureFirewalls","properties":{"sku":{"name":"AZFW_Hub"},"hubIPAddresses":{"privateIPAddress":"10.10.0.4"}}}]`,
			"warning", "azureFirewalls/hubfw", "names no virtual hub", "fw=0"},
		{"missing hub of an ip configuration", `[{"id":"` + idp + `virtualHubs/gone/ipConfigurations/ipconfig1","name":"ipconfig1","type":"Microsoft.Network/virtualHubs/ipConfigurations","properties":{"subnet":{"id":"` + idp + `virtualNetworks/v/subnets/RouteServerSubnet"}}}]`,
			"missing", "ipConfigurations/ipconfig1", "its virtual hub " + idp + "virtualHubs/gone is not in the inputs", "vnet=0"},
		{"missing hub", `[{"id":"` + idp + `virtualHubs/gone/hubVirtualNetworkConnections/c","name":"c","type":"Microsoft.Network/virtualHubs/hubVirtualNetworkConnections","properties":{"remoteVirtualNetwork":{"id":"` + idp + `virtualNetworks/v"}}}]`,
			"missing", "hubVirtualNetworkConnections/c", "its virtual hub " + idp + "virtualHubs/gone is not in the inputs", "vnet=0"},
		// Each site where an export refers to a resource it lacks: a
		// missing reference naming the id, the rest loaded.
		{"orphan peering", `[` + vnet + `,{"id":"` + idp + `virtualNetworks/gone/virtualNetworkPeerings/p","name":"p","type":"Microsoft.Network/virtualNetworks/virtualNetworkPeerings","properties":{"remoteVirtualNetwork":{"id":"` + idp + `virtualNetworks/v"}}}]`,
			"missing", "virtualNetworkPeerings/p", "its virtual network " + idp + "virtualNetworks/gone is not in the inputs", "vnet=1 subnet=1 peer=0"},
		{"orphan security rule", `[` + vnet + `,{"id":"` + idp + `networkSecurityGroups/gone/securityRules/r","name":"r","type":"Microsoft.Network/networkSecurityGroups/securityRules","properties":{"priority":100,"direction":"Inbound","access":"Allow","protocol":"*","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"*"}}]`,
			"missing", "securityRules/r", "its network security group " + idp + "networkSecurityGroups/gone is not in the inputs", "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0"},
		{"orphan route", `[` + vnet + `,{"id":"` + idp + `routeTables/gone/routes/r","name":"r","type":"Microsoft.Network/routeTables/routes","properties":{"addressPrefix":"0.0.0.0/0","nextHopType":"Internet"}}]`,
			"missing", "routeTables/gone/routes/r", "its route table " + idp + "routeTables/gone is not in the inputs", "vnet=1 subnet=1 peer=0 rt=0 route=0"},
		{"orphan rule collection group", `[` + vnet + `,{"id":"` + idp + `firewallPolicies/gone/ruleCollectionGroups/g","name":"g","type":"Microsoft.Network/firewallPolicies/ruleCollectionGroups","properties":{"priority":100,"ruleCollections":[]}}]`,
			"missing", "ruleCollectionGroups/g", "its firewall policy " + idp + "firewallPolicies/gone is not in the inputs", "vnet=1 subnet=1"},
		{"orphan admin rule", `[` + vnet + `,{"id":"` + idp + `networkManagers/nm/securityAdminConfigurations/c/ruleCollections/gone/rules/r","name":"r","type":"Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules","kind":"Custom","properties":{"priority":5,"direction":"Inbound","access":"Deny","protocol":"Tcp","sources":[],"destinations":[],"sourcePortRanges":[],"destinationPortRanges":["22"]}}]`,
			"error", "ruleCollections/gone/rules/r", "its rule collection " + idp + "networkManagers/nm/securityAdminConfigurations/c/ruleCollections/gone is not in the inputs", "vnet=1 subnet=1"},
		{"orphan load balancer probe", `[` + vnet + `,{"id":"` + idp + `loadBalancers/gone/probes/p","name":"p","type":"Microsoft.Network/loadBalancers/probes","properties":{"protocol":"Tcp","port":80}}]`,
			"missing", "probes/p", "its load balancer " + idp + "loadBalancers/gone is not in the inputs", "vnet=1 subnet=1"},
		{"orphan A record", `[` + vnet + `,{"id":"` + idp + `privateDnsZones/gone.example/A/www","name":"www","type":"Microsoft.Network/privateDnsZones/A","properties":{"ttl":300,"aRecords":[{"ipv4Address":"10.0.1.4"}]}}]`,
			"missing", "privateDnsZones/gone.example/A/www", "private DNS zone " + idp + "privateDnsZones/gone.example not found in the inputs", "vnet=1 subnet=1"},
		{"orphan zone link", `[` + vnet + `,{"id":"` + idp + `privateDnsZones/gone.example/virtualNetworkLinks/l","name":"l","type":"Microsoft.Network/privateDnsZones/virtualNetworkLinks","properties":{"virtualNetwork":{"id":"` + idp + `virtualNetworks/v"},"registrationEnabled":false}}]`,
			"missing", "virtualNetworkLinks/l", "private DNS zone " + idp + "privateDnsZones/gone.example not found in the inputs", "vnet=1 subnet=1"},
		{"orphan hub route table", `[` + vnet + `,{"id":"` + idp + `virtualHubs/gone/hubRouteTables/t","name":"t","type":"Microsoft.Network/virtualHubs/hubRouteTables","properties":{"routes":[],"labels":["default"]}}]`,
			"missing", "hubRouteTables/t", "its virtual hub " + idp + "virtualHubs/gone is not in the inputs", "vnet=1 subnet=1"},
		{"orphan routing intent", `[` + vnet + `,{"id":"` + idp + `virtualHubs/gone/routingIntent/ri","name":"ri","type":"Microsoft.Network/virtualHubs/routingIntent","properties":{"routingPolicies":[]}}]`,
			"missing", "routingIntent/ri", "its virtual hub " + idp + "virtualHubs/gone is not in the inputs", "vnet=1 subnet=1"},
		{"orphan BGP peer", `[` + vnet + `,{"id":"` + idp + `virtualHubs/gone/bgpConnections/b","name":"b","type":"Microsoft.Network/virtualHubs/bgpConnections","properties":{"peerAsn":65001,"peerIp":"10.0.1.10"}}]`,
			"missing", "bgpConnections/b", "its route server or virtual hub " + idp + "virtualHubs/gone is not in the inputs", "vnet=1 subnet=1"},
		{"load balancer frontend in a subnet not exported", `[` + vnet + `,{"id":"` + idp + `loadBalancers/lb","name":"lb","type":"Microsoft.Network/loadBalancers","properties":{"frontendIPConfigurations":[{"name":"fe","properties":{"privateIPAddress":"10.9.0.10","subnet":{"id":"` + idp + `virtualNetworks/other/subnets/x"}}}]}}]`,
			"missing", "loadBalancers/lb", `frontend "fe": its subnet ` + idp + `virtualNetworks/other/subnets/x is not in the inputs`, "vnet=1 subnet=1"},
		{"chained gateway frontend not exported", `[` + vnet + `,{"id":"` + idp + `loadBalancers/lb","name":"lb","type":"Microsoft.Network/loadBalancers","properties":{"frontendIPConfigurations":[{"name":"fe","properties":{"privateIPAddress":"10.0.1.10","subnet":{"id":"` + idp + `virtualNetworks/v/subnets/s"},"gatewayLoadBalancer":{"id":"` + idp + `loadBalancers/gwlb/frontendIPConfigurations/g"}}}]}}]`,
			"missing", "loadBalancers/lb", `its gateway load balancer frontend ` + idp + `loadBalancers/gwlb/frontendIPConfigurations/g is not in the inputs`, "vnet=1 subnet=1"},
		{"backend pool member not exported", `[` + vnet + `,{"id":"` + idp + `loadBalancers/lb","name":"lb","type":"Microsoft.Network/loadBalancers","properties":{"backendAddressPools":[{"name":"bp","properties":{"backendIPConfigurations":[{"id":"` + idp + `networkInterfaces/gone/ipConfigurations/c"}]}}]}}]`,
			"missing", "loadBalancers/lb", `backend pool "bp": its network interface ` + idp + `networkInterfaces/gone is not in the inputs`, "vnet=1 subnet=1"},
		{"NAT gateway of a subnet not exported", `[` + vnet + `,{"id":"` + idp + `natGateways/ng","name":"ng","type":"Microsoft.Network/natGateways","properties":{"subnets":[{"id":"` + idp + `virtualNetworks/other/subnets/x"}]}}]`,
			"missing", "natGateways/ng", `its subnet ` + idp + `virtualNetworks/other/subnets/x is not in the inputs`, "vnet=1 subnet=1"},
		{"private endpoint in a subnet not exported", `[` + vnet + `,{"id":"` + idp + `privateEndpoints/pe","name":"pe","type":"Microsoft.Network/privateEndpoints","properties":{"subnet":{"id":"` + idp + `virtualNetworks/other/subnets/x"},"customDnsConfigs":[{"ipAddresses":["10.9.0.5"]}]}}]`,
			"missing", "privateEndpoints/pe", `its subnet ` + idp + `virtualNetworks/other/subnets/x is not in the inputs`, "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0"},
		{"gateway in a VNet not exported", `[` + vnet + `,{"id":"` + idp + `virtualNetworkGateways/gw","name":"gw","type":"Microsoft.Network/virtualNetworkGateways","properties":{"gatewayType":"Vpn","ipConfigurations":[{"name":"c","properties":{"subnet":{"id":"` + idp + `virtualNetworks/other/subnets/GatewaySubnet"}}}]}}]`,
			"missing", "virtualNetworkGateways/gw", `its virtual network ` + idp + `virtualNetworks/other is not in the inputs`, "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0"},
		{"hub of a virtual WAN not exported", `[` + vnet + `,{"id":"` + idp + `virtualHubs/h","name":"h","type":"Microsoft.Network/virtualHubs","properties":{"addressPrefix":"10.100.0.0/23","virtualWan":{"id":"` + idp + `virtualWans/gone"}}}]`,
			"missing", "virtualHubs/h", `its virtual WAN ` + idp + `virtualWans/gone is not in the inputs`, "vnet=1 subnet=1"},
		{"graph row without properties", `{"data":[{"id":"` + idp + `virtualNetworks/x","name":"x","type":"microsoft.network/virtualnetworks","location":"westus"}]}`,
			"warning", "virtualNetworks/x", "Resource Graph query without 'properties'", "vnet=0"},
		{"az resource list row", `[{"id":"` + idp + `virtualNetworks/x","name":"x","type":"Microsoft.Network/virtualNetworks","location":"westus","resourceGroup":"rg","properties":null,"tags":{}}]`,
			"warning", "virtualNetworks/x", "an 'az resource list' row", "vnet=0"},
		{"az resource list row of a load balancer", `[{"id":"` + idp + `loadBalancers/lb","name":"lb","type":"Microsoft.Network/loadBalancers","location":"westus","resourceGroup":"rg","properties":null}]`,
			"warning", "loadBalancers/lb", "an 'az resource list' row", "vnet=0"},
		{"az resource list row of a private zone", `[{"id":"` + idp + `privateDnsZones/corp.example","name":"corp.example","type":"Microsoft.Network/privateDnsZones","location":"global","resourceGroup":"rg","properties":null}]`,
			"warning", "privateDnsZones/corp.example", "an 'az resource list' row", "vnet=0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "export.json")
			if err := os.WriteFile(p, []byte(c.json), 0o644); err != nil {
				t.Fatal(err)
			}
			n, d, _ := Load(p)
			list := d.Errors
			switch c.severity {
			case "warning":
				list = d.Warnings
			case "missing":
				list = d.Missing
				if len(d.Errors) > 0 {
					t.Errorf("a missing reference also gave errors:\n%s", topotest.DiagLines(d.Errors))
				}
			}
			found := false
			for _, x := range list {
				if strings.Contains(x.Message, c.want) {
					found = true
					if x.Src.File != p || !strings.Contains(x.Src.ID, c.resource) {
						t.Errorf("%s does not name the file %s and resource %s", x, p, c.resource)
					}
				}
			}
			if !found {
				t.Errorf("no %s containing %q; errors:\n%swarnings:\n%smissing:\n%s", c.severity, c.want, topotest.DiagLines(d.Errors), topotest.DiagLines(d.Warnings), topotest.DiagLines(d.Missing))
			}
			if !strings.Contains(topotest.Counts(n), c.loaded) {
				t.Errorf("loaded %s, want %s", topotest.Counts(n), c.loaded)
			}
		})
	}
}

// TestBadFileDoesNotStopTheRest loads a folder with one broken file.
func TestBadFileDoesNotStopTheRest(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"value":[{"id":"`+idp+`routeTables/rt","type":"Microsoft.Network/routeTables","properties":{"routes":[]}}]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"value":[`), 0o644)
	os.WriteFile(filepath.Join(dir, "c.json"), []byte(`{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[]}`), 0o644)
	n, d, err := Load(dir)
	if err == nil {
		t.Fatal("no error for the broken files")
	}
	if len(n.RouteTables) != 1 {
		t.Errorf("the good file was not loaded: %s", topotest.Counts(n))
	}
	var msgs []string
	for _, e := range d.Errors {
		msgs = append(msgs, e.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"b.json: not valid JSON: line 1, column 11", "c.json: this is an ARM deployment template"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
}

// TestFilesAcrossExportsJoin checks references resolve across files in
// any order: a subnet listed on its own, the public IP holding a NIC's
// address, a policy's rule collection groups.
func TestFilesAcrossExportsJoin(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"1-subnet.json": `{"id":"` + idp + `virtualNetworks/v/subnets/extra","name":"extra","type":"Microsoft.Network/virtualNetworks/subnets","properties":{"addressPrefix":"10.0.9.0/24","routeTable":{"id":"` + idp + `routeTables/RT"}}}`,
		"2-nic.json":    `[{"id":"` + idp + `networkInterfaces/n1","name":"n1","type":"Microsoft.Network/networkInterfaces","ipConfigurations":[{"name":"c","privateIPAddress":"10.0.9.4","subnet":{"id":"` + strings.ToUpper(idp) + `VIRTUALNETWORKS/V/SUBNETS/EXTRA"},"publicIPAddress":{"id":"` + idp + `publicIPAddresses/pip"}}]}]`,
		"3-pip.json":    `{"data":[{"id":"` + idp + `publicIPAddresses/pip","type":"microsoft.network/publicipaddresses","properties":{"ipAddress":"20.1.2.3"}}]}`,
		"4-vnet.json":   `[{"id":"` + idp + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[]}]`,
		"5-rt.json":     `[{"id":"` + idp + `routeTables/rt","name":"rt","type":"Microsoft.Network/routeTables","routes":[]}]`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) > 0 {
		t.Errorf("warnings:\n%s", topotest.DiagLines(d.Warnings))
	}
	nic := n.NIC("n1")
	if nic == nil || nic.SubnetRef() == nil || nic.SubnetRef().Key() != "v/extra" || nic.PublicIP.String() != "20.1.2.3" {
		t.Fatalf("NIC not joined: %+v", nic)
	}
	if rt := n.RouteTable(nic.SubnetRef().RouteTable); rt == nil || rt.Name != "rt" {
		t.Errorf("subnet route table %q not resolved case-insensitively", nic.SubnetRef().RouteTable)
	}
}
