package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// Every shared scenario file is a valid topology file.
func TestLoadSharedScenarios(t *testing.T) {
	dir := testenv.Shared(t, "scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	for _, f := range files {
		n, d, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if len(n.VNets) == 0 && len(n.FirewallPolicies) == 0 {
			t.Errorf("%s: nothing loaded", filepath.Base(f))
		}
		_ = d
	}
}

func TestValidateErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"dangling nsg", `vnets:
  - name: v
    address_space: [10.0.0.0/16]
    subnets: [{name: s, prefix: 10.0.1.0/24, nsg: nope}]
`, `NSG "nope" not found`},
		{"host bits", `vnets:
  - name: v
    address_space: [10.0.0.1/16]
    subnets: [{name: s, prefix: 10.0.1.0/24}]
`, "host bits set"},
		{"subnet outside", `vnets:
  - name: v
    address_space: [10.0.0.0/16]
    subnets: [{name: s, prefix: 10.9.1.0/24}]
`, "outside the VNet address space"},
		{"overlapping peers", `vnets:
  - {name: a, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}
  - {name: b, address_space: [10.0.0.0/8], subnets: [{name: s, prefix: 10.9.1.0/24}]}
peerings:
  - {vnet: a, remote_vnet: b}
  - {vnet: b, remote_vnet: a}
`, "peered address spaces overlap"},
		{"duplicate ip", `vnets:
  - {name: a, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}
nics:
  - {name: n1, subnet: a/s, ip: 10.0.1.4}
  - {name: n2, subnet: a/s, ip: 10.0.1.4}
`, "duplicate IP 10.0.1.4"},
		{"dangling subnet", `vnets:
  - {name: a, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}
nics:
  - {name: n1, subnet: a/zz, ip: 10.0.1.4}
`, `subnet "a/zz" not found`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "topo.yaml")
			if err := os.WriteFile(p, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want it to mention %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "topo.yaml:") {
				t.Errorf("error does not name the file and line: %v", err)
			}
		})
	}
}
