package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestNICDNSServers loads a NIC with its own DNS servers (Azure's
// dnsSettings.dnsServers, Terraform's dns_servers, the design's
// dns_servers) from every format that reads NICs, beside a NIC without
// any, and checks a bad address is an error naming the NIC while the rest
// loads.
func TestNICDNSServers(t *testing.T) {
	const p = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	vnetARM := `{"id":"` + p + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},
  "subnets":[{"id":"` + p + `virtualNetworks/v/subnets/app","name":"app","properties":{"addressPrefix":"10.0.1.0/24"}}]}}`
	nicARM := func(name, ip, dns string) string {
		return `{"id":"` + p + `networkInterfaces/` + name + `","name":"` + name + `","type":"Microsoft.Network/networkInterfaces","properties":{` + dns +
			`"ipConfigurations":[{"name":"ipconfig1","properties":{"primary":true,"privateIPAddress":"` + ip + `","subnet":{"id":"` + p + `virtualNetworks/v/subnets/app"}}}]}}`
	}
	vnetCLI := `{"id":"` + p + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","resourceGroup":"rg","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},
  "subnets":[{"id":"` + p + `virtualNetworks/v/subnets/app","name":"app","addressPrefix":"10.0.1.0/24","resourceGroup":"rg"}]}`
	nicCLI := func(name, ip, dns string) string {
		return `{"id":"` + p + `networkInterfaces/` + name + `","name":"` + name + `","type":"Microsoft.Network/networkInterfaces","resourceGroup":"rg",` + dns +
			`"ipConfigurations":[{"name":"ipconfig1","primary":true,"privateIPAddress":"` + ip + `","subnet":{"id":"` + p + `virtualNetworks/v/subnets/app","resourceGroup":"rg"}}]}`
	}
	tf := func(dns string) string {
		return `{"format_version":"1.0","values":{"root_module":{"resources":[
 {"address":"azurerm_virtual_network.v","type":"azurerm_virtual_network","values":{"id":"` + p + `virtualNetworks/v","name":"v","resource_group_name":"rg","address_space":["10.0.0.0/16"],"dns_servers":[]}},
 {"address":"azurerm_subnet.app","type":"azurerm_subnet","values":{"id":"` + p + `virtualNetworks/v/subnets/app","name":"app","resource_group_name":"rg","virtual_network_name":"v","address_prefixes":["10.0.1.0/24"]}},
 {"address":"azurerm_network_interface.a","type":"azurerm_network_interface","values":{"id":"` + p + `networkInterfaces/a","name":"a","resource_group_name":"rg","dns_servers":` + dns + `,
  "ip_configuration":[{"name":"ipconfig1","primary":true,"private_ip_address":"10.0.1.4","subnet_id":"` + p + `virtualNetworks/v/subnets/app"}]}},
 {"address":"azurerm_network_interface.b","type":"azurerm_network_interface","values":{"id":"` + p + `networkInterfaces/b","name":"b","resource_group_name":"rg","dns_servers":[],
  "ip_configuration":[{"name":"ipconfig1","primary":true,"private_ip_address":"10.0.1.5","subnet_id":"` + p + `virtualNetworks/v/subnets/app"}]}}]}}}`
	}
	design := func(dns string) string {
		return "vnets:\n  - name: v\n    address_space: [10.0.0.0/16]\n    subnets:\n      - {name: app, prefix: 10.0.1.0/24}\n" +
			"nics:\n  - {name: a, subnet: v/app, ip: 10.0.1.4, dns_servers: " + dns + "}\n  - {name: b, subnet: v/app, ip: 10.0.1.5}\n"
	}
	cases := []struct {
		name, file, doc string
		want            string // NIC a's servers, then b's
		err             string // a diagnostic that must name NIC a
	}{
		{"arm", "arm.json", `{"value":[` + vnetARM + `,` + nicARM("a", "10.0.1.4", `"dnsSettings":{"dnsServers":["10.0.0.10","10.0.0.11"],"appliedDnsServers":[]},`) + `,` + nicARM("b", "10.0.1.5", `"dnsSettings":{"dnsServers":[]},`) + `]}`,
			"a=10.0.0.10,10.0.0.11 b=", ""},
		{"az cli nic list", "az.json", `[` + vnetCLI + `,` + nicCLI("a", "10.0.1.4", `"dnsSettings":{"appliedDnsServers":[],"dnsServers":["10.0.0.10"],"internalDomainNameSuffix":"x.bx.internal.cloudapp.net"},`) + `,` + nicCLI("b", "10.0.1.5", "") + `]`,
			"a=10.0.0.10 b=", ""},
		{"resource graph", "graph.json", `{"totalRecords":2,"count":2,"data":[` + strings.ReplaceAll(vnetARM+`,`+nicARM("a", "10.0.1.4", `"dnsSettings":{"dnsServers":["10.0.0.10"]},`)+`,`+nicARM("b", "10.0.1.5", ""), "Microsoft.Network/", "microsoft.network/") + `]}`,
			"a=10.0.0.10 b=", ""},
		{"AzureProvidedDNS", "arm.json", `{"value":[` + vnetARM + `,` + nicARM("a", "10.0.1.4", `"dnsSettings":{"dnsServers":["AzureProvidedDNS"]},`) + `,` + nicARM("b", "10.0.1.5", "") + `]}`,
			"a=168.63.129.16 b=", ""},
		{"terraform", "tf.json", tf(`["10.0.0.10"]`), "a=10.0.0.10 b=", ""},
		{"design yaml", "d.yaml", design("[10.0.0.10, 10.0.0.11]"), "a=10.0.0.10,10.0.0.11 b=", ""},
		{"design json", "d.json", `{"vnets":[{"name":"v","address_space":["10.0.0.0/16"],"subnets":[{"name":"app","prefix":"10.0.1.0/24"}]}],
  "nics":[{"name":"a","subnet":"v/app","ip":"10.0.1.4","dns_servers":["10.0.0.10"]},{"name":"b","subnet":"v/app","ip":"10.0.1.5"}]}`, "a=10.0.0.10 b=", ""},
		{"arm bad address", "arm.json", `{"value":[` + vnetARM + `,` + nicARM("a", "10.0.1.4", `"dnsSettings":{"dnsServers":["10.0.0.999","10.0.0.11"]},`) + `,` + nicARM("b", "10.0.1.5", "") + `]}`,
			"a=10.0.0.11 b=", `network interface "a": DNS server "10.0.0.999" is not a valid IP address`},
		{"terraform bad address", "tf.json", tf(`["dns.contoso.com"]`), "a= b=", `network interface "a": DNS server "dns.contoso.com" is not a valid IP address`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.file)
			if err := os.WriteFile(path, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			n, d, err := Load(path) // err repeats d.Errors
			if n == nil || d == nil || (err != nil) != (len(d.Errors) > 0) {
				t.Fatalf("load: %v", err)
			}
			msgs := topotest.DiagLines(d.Errors)
			switch {
			case c.err == "" && len(d.Errors) > 0:
				t.Errorf("errors: %s", msgs)
			case c.err != "" && (len(d.Errors) != 1 || !strings.Contains(msgs, c.err) || !strings.Contains(msgs, c.file)):
				t.Errorf("want one error in %s: %s, got:\n%s", c.file, c.err, msgs)
			}
			var got []string
			for _, name := range []string{"a", "b"} {
				x := n.NIC(name)
				if x == nil {
					t.Fatalf("NIC %s not loaded", name)
				}
				var ips []string
				for _, ip := range x.DNSServers {
					ips = append(ips, ip.String())
				}
				got = append(got, fmt.Sprintf("%s=%s", name, strings.Join(ips, ",")))
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("DNS servers: got %s, want %s", g, c.want)
			}
		})
	}
}
