package azjson

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/armset"
)

func TestDecodeAzureJSONDialects(t *testing.T) {
	const nsgNested = `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n1","name":"n1","type":"Microsoft.Network/networkSecurityGroups","properties":{"securityRules":[{"name":"r1","properties":{"priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","destinationPortRange":"443"}}]}}`
	const nsgFlat = `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n1","name":"n1","type":"Microsoft.Network/networkSecurityGroups","resourceGroup":"rg","securityRules":[{"name":"r1","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","destinationPortRange":"443"}]}`
	const nsgARG = `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n1","name":"n1","type":"microsoft.network/networksecuritygroups","properties":{"securityRules":[{"name":"r1","properties":{"priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","destinationPortRange":"443"}}]}}`
	cases := []struct {
		name, in string
		dialect  Dialect
		types    []string
		watcher  string
		err      string
		notes    int
	}{
		{"arm object", nsgNested, DialectARM, []string{tNSG}, "", "", 0},
		{"cli object", nsgFlat, DialectCLI, []string{tNSG}, "", "", 0},
		{"cli list", "[" + nsgFlat + "," + nsgFlat + "]", DialectCLI, []string{tNSG, tNSG}, "", "", 0},
		{"arm list value", `{"value":[` + nsgNested + `],"nextLink":null}`, DialectARM, []string{tNSG}, "", "", 0},
		{"graph rest", `{"totalRecords":1,"count":1,"data":[` + nsgARG + `]}`, DialectResourceGraph, []string{tNSG}, "", "", 0},
		{"graph az cli", `{"count":1,"data":[` + nsgARG + `],"skip_token":null,"total_records":1}`, DialectResourceGraph, []string{tNSG}, "", "", 0},
		{"graph bare array", `[` + nsgARG + `]`, DialectResourceGraph, []string{tNSG}, "", "", 0},
		{"search-azgraph json", `{"Data":[` + nsgARG + `],"SkipToken":null}`, DialectResourceGraph, []string{tNSG}, "", "", 0},
		{"graph table format", `{"data":{"columns":[{"name":"id"},{"name":"type"},{"name":"properties"}],"rows":[["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt","microsoft.network/routetables",{"routes":[]}]]}}`, DialectResourceGraph, []string{tRouteTable}, "", "", 0},
		{"rest example", `{"parameters":{"api-version":"1"},"responses":{"200":{"body":` + nsgNested + `}}}`, DialectARM, []string{tNSG}, "", "", 0},
		{"type from id", `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/firewallPolicies/p/ruleCollectionGroups/g","properties":{"priority":100}}`, DialectARM, []string{tRCG}, "", "", 0},
		{"effective routes", `{"value":[{"source":"Default","state":"Active","addressPrefix":["10.0.0.0/16"],"nextHopType":"VnetLocal","nextHopIpAddress":[]}]}`, DialectWatcher, nil, "effective-routes", "", 0},
		{"effective routes bare", `[{"source":"Default","state":"Active","addressPrefix":["10.0.0.0/16"],"nextHopType":"VnetLocal"}]`, DialectWatcher, nil, "effective-routes", "", 0},
		{"next hop", `{"nextHopType":"VnetLocal","nextHopIpAddress":"10.0.0.1","routeTableId":"System Route"}`, DialectWatcher, nil, "next-hop", "", 0},
		{"ip flow", `{"access":"Deny","ruleName":"defaultSecurityRules/DenyAllInBound"}`, DialectWatcher, nil, "ip-flow", "", 0},
		{"terraform", `{"format_version":"1.0","values":{"root_module":{}}}`, DialectTerraform, nil, "", "", 0},
		{"template", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[]}`, "", nil, "", "deployment template", 0},
		{"not json", `{"a":`, "", nil, "", "not valid JSON", 0},
		{"two values", `{} {}`, "", nil, "", "more than one", 0},
		{"scalar", `42`, "", nil, "", "not an object or array", 0},
		{"non-object items", `[1, "x", ` + nsgFlat + `]`, DialectCLI, []string{tNSG}, "", "", 2},
		{"no type", `[{"name":"x"}]`, DialectCLI, nil, "", "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Decode([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.Dialect != c.dialect {
				t.Errorf("dialect = %q, want %q", doc.Dialect, c.dialect)
			}
			var types []string
			for _, r := range doc.Resources {
				types = append(types, r.Type)
			}
			if strings.Join(types, ",") != strings.Join(c.types, ",") {
				t.Errorf("types = %v, want %v", types, c.types)
			}
			if got := ""; doc.Watcher != nil {
				got = doc.Watcher.Kind
				if got != c.watcher {
					t.Errorf("watcher = %q, want %q", got, c.watcher)
				}
			} else if c.watcher != "" {
				t.Errorf("watcher output not recognised")
			}
			if len(doc.Notes) != c.notes {
				t.Errorf("notes = %q, want %d", doc.Notes, c.notes)
			}
		})
	}
}

// TestDialectsReadAlike checks the nested and flattened shapes of one NSG
// give the same rule.
func TestDialectsReadAlike(t *testing.T) {
	nested := `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n1","type":"Microsoft.Network/networkSecurityGroups","properties":{"securityRules":[{"name":"r1","properties":{"priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefixes":["10.0.0.0/8","192.168.0.0/16"],"sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRanges":["443","8443"],"sourceApplicationSecurityGroups":[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/a1"}]}}]}}`
	flat := `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n1","type":"Microsoft.Network/networkSecurityGroups","securityRules":[{"name":"r1","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefixes":["10.0.0.0/8","192.168.0.0/16"],"sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRanges":["443","8443"],"sourceApplicationSecurityGroups":[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/a1","resourceGroup":"rg"}]}]}`
	var got []string
	for _, in := range []string{nested, flat} {
		doc, err := Decode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		var s armset.Set
		if note, err := add(&s, "f.json", doc.Resources[0]); note != "" || err != nil {
			t.Fatalf("add: %q %v", note, err)
		}
		r := s.NSGs[0].Rules[0]
		got = append(got, strings.Join([]string{r.Name, r.Direction, r.Access, r.Protocol, strings.Join(r.Sources, " "), strings.Join(r.SourceASGs, " "),
			strings.Join(r.SourcePorts, " "), strings.Join(r.Destinations, " "), strings.Join(r.DestinationPorts, " ")}, "|"))
	}
	want := "r1|Inbound|Allow|Tcp|10.0.0.0/8 192.168.0.0/16|/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/a1|*|*|443 8443"
	for i, g := range got {
		if g != want {
			t.Errorf("dialect %d: got %s\nwant %s", i, g, want)
		}
	}
}
