package cli

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
)

// missingNATExport is an export whose subnet names a NAT gateway it does
// not contain; the rest (the VNet, the NIC, its public IP) loads.
const missingNATExport = `[
 {"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks",
  "properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app","name":"app",
   "properties":{"addressPrefix":"10.0.1.0/24","natGateway":{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-elsewhere"}}}]}},
 {"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/app-nic","name":"app-nic","type":"Microsoft.Network/networkInterfaces",
  "properties":{"ipConfigurations":[{"name":"c","properties":{"privateIPAddress":"10.0.1.4","subnet":{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app"},
   "publicIPAddress":{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/app-pip"}}}]}},
 {"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/app-pip","name":"app-pip","type":"Microsoft.Network/publicIPAddresses","properties":{"ipAddress":"20.1.2.3"}}
]`

const missingNATID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-elsewhere"

// TestMissingReferenceAnswersThenExits4: every command taking --topology
// answers from an export that refers to a resource it lacks, names the
// missing resource's id on stderr with its code, and exits 4.
func TestMissingReferenceAnswersThenExits4(t *testing.T) {
	export := writeFile(t, "export.json", missingNATExport)
	scen := writeFile(t, "s.yaml", strings.ReplaceAll(checkScenario, "nic: n1", "nic: app-nic"))
	for _, c := range []struct {
		args []string
		out  string // part of the answer on stdout
	}{
		{[]string{"trace", "-t", export, "--from", "nic:app-nic", "--to", "52.1.2.3:443"}, "source address is unknown"},
		{[]string{"routes", "-t", export, "--nic", "app-nic"}, "0.0.0.0/0"},
		{[]string{"rules", "-t", export, "--nic", "app-nic"}, "No NSG or admin rule applies to app-nic"},
		{[]string{"next-hop", "-t", export, "--from", "10.0.1.4", "--to", "10.0.1.5"}, "VnetLocal"},
		{[]string{"ip-flow", "-t", export, "--direction", "Outbound", "--protocol", "TCP", "--local", "10.0.1.4:50000", "--remote", "10.0.1.5:443"}, "Allow"},
		{[]string{"nsg-diag", "-t", export, "--direction", "Inbound", "--protocol", "TCP", "--source", "10.0.1.5", "--destination", "10.0.1.4", "--port", "22"}, "Allow"},
		{[]string{"check", scen, "-t", export}, "q1"},
		{[]string{"diagram", "-t", export}, "<svg"},
	} {
		code, out, errs := run(c.args...)
		if code != ExitPartial {
			t.Errorf("%v: exit %d, want 4; stderr %q", c.args, code, errs)
		}
		if !strings.Contains(out, c.out) {
			t.Errorf("%v: answer lacks %q:\n%s", c.args, c.out, out)
		}
		want := "pathproof: warning [" + topology.CodeReferenceMissing + "]: " + export + ": "
		if !strings.Contains(errs, want) || !strings.Contains(errs, missingNATID) || strings.Contains(errs, topology.CodeInvalid) {
			t.Errorf("%v: stderr does not name the missing NAT gateway with %q:\n%s", c.args, want, errs)
		}
	}
}

// TestSharedExamplesWithMissingReferencesLoad: the REST examples that
// refer to a hub and to a subnet and chained frontend they lack used to
// stop every command with topology-invalid (exit 1).
func TestSharedExamplesWithMissingReferencesLoad(t *testing.T) {
	hubConn := testenv.Shared(t, "arm/rest-examples/HubVirtualNetworkConnectionGet.json")
	hubID := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualHubs/virtualHub1"
	code, _, errs := run("routes", "-t", hubConn, "--hub", "virtualHub1")
	if code != ExitPartial || !strings.Contains(errs, `virtual hub "virtualHub1" is not in the inputs`) || !strings.Contains(errs, hubID) || strings.Contains(errs, topology.CodeInvalid) {
		t.Errorf("routes --hub of a hub the export lacks: exit %d, stderr:\n%s", code, errs)
	}
	lb := testenv.Shared(t, "arm/rest-examples/LoadBalancerCreateGatewayLoadBalancerConsumer.json")
	code, out, errs := run("diagram", "-t", lb)
	for _, id := range []string{"virtualNetworks/vnetlb/subnets/subnetlb", "loadBalancers/lb/frontendIPConfigurations/fe-lb-provider"} {
		if !strings.Contains(errs, id) {
			t.Errorf("diagram: stderr does not name %s:\n%s", id, errs)
		}
	}
	if code != ExitPartial || !strings.Contains(out, "<svg") || strings.Contains(errs, topology.CodeInvalid) {
		t.Errorf("diagram: exit %d, stderr:\n%s", code, errs)
	}
	// The trace now says what it can about the loaded rest: no NIC owns
	// the source (a question the export cannot answer), not that the
	// topology is invalid.
	code, _, errs = run("trace", "-t", lb, "--from", "10.0.0.4", "--to", "10.0.0.5:80")
	if code == ExitFailed || strings.Contains(errs, topology.CodeInvalid) || !strings.Contains(errs, "10.0.0.4 is a private address no NIC") {
		t.Errorf("trace: exit %d, stderr:\n%s", code, errs)
	}
}

// TestDesignDanglingReferenceStillInvalid: a hand-written design that
// names a resource it does not define is a mistake in the file, not an
// export that lacks a resource: the command stops (exit 1).
func TestDesignDanglingReferenceStillInvalid(t *testing.T) {
	design := writeFile(t, "d.yaml", `vnets:
  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}
load_balancers:
  - name: lb
    frontends: [{name: fe, subnet: v/nope, private_ip: 10.0.1.10}]
nics: [{name: n1, subnet: v/s, ip: 10.0.1.4}]
`)
	code, _, errs := run("next-hop", "-t", design, "--from", "10.0.1.4", "--to", "10.0.1.5")
	if code != ExitFailed || !strings.Contains(errs, topology.CodeInvalid) || !strings.Contains(errs, `subnet "v/nope" not found`) || strings.Contains(errs, topology.CodeReferenceMissing) {
		t.Errorf("exit %d, want 1 with %s; stderr:\n%s", code, topology.CodeInvalid, errs)
	}
}
