package effective_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/effective"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
)

func engine(t *testing.T, src, profile string) (*azure.Engine, *topology.NIC) {
	t.Helper()
	n, err := design.Parse("design.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	n.Finish(&topology.Diagnostics{})
	return azure.New(n, azure.Options{Profile: profile}), n.NIC("nic1")
}

func shared(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(testenv.Shared(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func codesOf(r *effective.Result) string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code+" "+f.What)
	}
	return strings.Join(out, "\n")
}

// TestRoutes compares with Azure's effective routes of the REST example
// (a NIC in 172.20.2.0/24): the matching network agrees route by route, a
// network whose VNet has another address space differs in exactly the
// VNet route, and the real recording lists the observed None routes the
// documented profile lacks.
func TestRoutes(t *testing.T) {
	cases := []struct {
		name, file, design, profile, want string
	}{
		{"agrees", "arm/rest-examples/NetworkInterfaceEffectiveRouteTableList.json", `vnets:
  - {name: v, address_space: [172.20.2.0/24], subnets: [{name: s, prefix: 172.20.2.0/24}]}
nics:
  - {name: nic1, subnet: v/s, ip: 172.20.2.4}
`, azure.ProfileDocumented, ""},
		{"stale address space", "arm/rest-examples/NetworkInterfaceEffectiveRouteTableList.json", `vnets:
  - {name: v, address_space: [172.21.0.0/16], subnets: [{name: s, prefix: 172.21.2.0/24}]}
nics:
  - {name: nic1, subnet: v/s, ip: 172.21.2.4}
`, azure.ProfileDocumented, "effective.route-extra Default 172.21.0.0/16\neffective.route-missing Default 172.20.2.0/24"},
		{"observed profile agrees", "arm/recorded/nic-effective-route-table.rest.json", `vnets:
  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.0.0/24}]}
nics:
  - {name: nic1, subnet: v/s, ip: 10.0.0.4}
`, azure.ProfileObserved, "*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, nic := engine(t, c.design, c.profile)
			res, err := effective.Routes(e, nic, shared(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			got := codesOf(res)
			if c.want == "*" {
				// The recording is a dated sample: whatever differs must be a
				// None route (semantics §2.2), never a VNet or Internet route.
				for _, f := range res.Findings {
					if !strings.Contains(f.Azure+f.Pathproof, "None") {
						t.Errorf("%s: %s", f.Code, f.Message)
					}
				}
				if res.Agree < 3 {
					t.Errorf("only %d routes agree", res.Agree)
				}
				return
			}
			if got != c.want {
				t.Errorf("findings:\n%s\nwant:\n%s", got, c.want)
			}
			if res.Differ() != (c.want != "") || res.Azure == 0 || res.Pathproof == 0 {
				t.Errorf("differ %v azure %d pathproof %d", res.Differ(), res.Azure, res.Pathproof)
			}
		})
	}
}

// TestRules compares with the effective security rules Azure returned for
// a NIC of az vm create's default network: the NSG without custom rules
// agrees (the Internet tag's expansion is noted, not compared); a custom
// rule pathproof has and a subnet NSG Azure does not list are findings.
func TestRules(t *testing.T) {
	body := shared(t, "arm/recorded/nic-effective-nsg.rest.json")
	base := `vnets:
  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.0.0/24%s}]}
nsgs:
  - {name: vm1NSG, rules: [%s]}
  - {name: subnet-nsg, rules: []}
nics:
  - {name: nic1, subnet: v/s, ip: 10.0.0.4, nsg: vm1NSG}
`
	cases := []struct{ name, subnet, rules, want string }{
		{"agrees", "", "", ""},
		{"extra rule and NSG", ", nsg: subnet-nsg", "{name: Allow-RDP, priority: 300, direction: Inbound, access: Allow, protocol: Tcp, source: ['*'], source_ports: ['*'], destination: ['*'], destination_ports: ['3389']}",
			"effective.nsg-extra subnet subnet-nsg\neffective.rule-extra nic vm1NSG Inbound securityRules/Allow-RDP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, nic := engine(t, strings.Replace(strings.Replace(base, "%s", c.subnet, 1), "%s", c.rules, 1), "")
			res, err := effective.Rules(e, nic, body)
			if err != nil {
				t.Fatal(err)
			}
			if got := codesOf(res); got != c.want {
				t.Errorf("findings:\n%s\nwant:\n%s\n%+v", got, c.want, res.Findings)
			}
			if res.Agree < 6 || len(res.Notes) == 0 {
				t.Errorf("agree %d notes %v", res.Agree, res.Notes)
			}
		})
	}
	// A peering pathproof does not know changes VirtualNetwork's expansion.
	e, nic := engine(t, `vnets:
  - {name: v, address_space: [10.0.0.0/16, 10.9.0.0/16], subnets: [{name: s, prefix: 10.0.0.0/24}]}
nsgs:
  - {name: vm1NSG, rules: []}
nics:
  - {name: nic1, subnet: v/s, ip: 10.0.0.4, nsg: vm1NSG}
`, "")
	res, err := effective.Rules(e, nic, body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(codesOf(res), "effective.rule-differs nic vm1NSG Inbound defaultSecurityRules/AllowVnetInBound") {
		t.Errorf("findings:\n%s", codesOf(res))
	}
}
