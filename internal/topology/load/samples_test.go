package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestSharedSamplesLoad loads every JSON sample of ../shared/testdata/arm on
// its own. The samples are independent documentation examples, so their
// references to resources outside the file dangle: those, and only those,
// are the expected missing references (and, for the references only model
// validation resolves, errors).
func TestSharedSamplesLoad(t *testing.T) {
	dir := testenv.Shared(t, "arm")
	cases := []struct {
		file   string
		counts string
		warns  int // warnings from this loader (skips and notes)
		// errs counts the dangling references to resources not in the
		// file: missing references (the referring part left out, so a
		// NIC in a subnet not in the file is not loaded) and, for an NSG,
		// route table or policy, errors.
		errs int
	}{
		{"cli-derived/firewall-policy-rcg-list.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"cli-derived/firewall-show.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=1 rcg=1 ipg=0 gw=0 conn=0 site=0", 2, 1},
		{"cli-derived/nic-show.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"cli-derived/nsg-list.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=1 rule=1 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"cli-derived/private-endpoint-list.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"cli-derived/route-table-list.json", "vnet=0 subnet=0 peer=0 rt=1 route=1 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"cli-derived/vnet-gateway-list.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"cli-derived/vnet-list.json", "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"cli-derived/vnet-peering-show.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"cli-derived/vnet-subnet-show.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"recorded/nic-effective-nsg.rest.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"recorded/nic-effective-route-table.rest.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"resource-graph/ResourcesBasicQuery.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 3, 0},
		{"resource-graph/ResourcesFirstPageQuery.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 3, 0},
		{"resource-graph/ResourcesNextPageQuery.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 3, 0},
		{"rest-examples/ApplicationSecurityGroupGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=1 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"rest-examples/AzureFirewallGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=1 rcg=1 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"rest-examples/AzureFirewallGetWithMgmtSubnet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=1 rcg=1 ipg=0 gw=0 conn=0 site=0", 2, 1},
		{"rest-examples/AzureFirewallPutInHub.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/FirewallPolicyGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=1 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/FirewallPolicyNatRuleCollectionGroupGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/FirewallPolicyRuleCollectionGroupGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/FirewallPolicyRuleCollectionGroupWithIpGroupsGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/FirewallPolicyRuleCollectionGroupWithWebCategoriesGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/IpGroupsGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=1 gw=0 conn=0 site=0", 0, 0},
		{"rest-examples/LocalNetworkGatewayGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=1", 0, 0},
		{"rest-examples/NetworkInterfaceEffectiveNSGList.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/NetworkInterfaceEffectiveRouteTableList.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/NetworkInterfaceGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"rest-examples/NetworkSecurityGroupGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=1 rule=1 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"rest-examples/NetworkWatcherIpFlowVerify.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/NetworkWatcherNextHopGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/PrivateEndpointGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"rest-examples/PublicIpAddressGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"rest-examples/RouteTableGet.json", "vnet=0 subnet=0 peer=0 rt=1 route=1 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"rest-examples/SubnetGetWithDelegation.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/VirtualNetworkGatewayConnectionGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"rest-examples/VirtualNetworkGatewayGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 1},
		{"rest-examples/VirtualNetworkGet.json", "vnet=1 subnet=1 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 0},
		{"rest-examples/VirtualNetworkPeeringGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		// Load balancers and NAT gateways (issue #14): the samples reference subnets,
		// public IPs and NICs they do not hold, which are the errors and notes.
		{"rest-examples/LoadBalancerBackendAddressPoolGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/LoadBalancerCreate.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 lb=1 lbpool=1", 0, 1},
		{"rest-examples/LoadBalancerCreateGatewayLoadBalancerConsumer.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 lb=1 lbpool=1", 0, 2},
		{"rest-examples/LoadBalancerCreateGatewayLoadBalancerProviderWithOneBackendPool.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 lb=1 lbpool=1", 0, 1},
		{"rest-examples/LoadBalancerCreateWithOutboundRules.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 lb=1 lbpool=1", 1, 0},
		{"rest-examples/LoadBalancerGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 lb=1 lbpool=1", 0, 1},
		{"rest-examples/NatGatewayGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 natgw=1", 2, 1},
		// Private DNS (issue #14): a record set or link alone names a zone the
		// file lacks, which is the error; the zone alone loads.
		{"rest-examples/PrivateZoneGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 dnszone=1", 0, 0},
		{"rest-examples/RecordSetAGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/VirtualNetworkLinkGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		// Samples of resources the model does not hold yet (Virtual WAN, Route Server, private DNS; issue #14) and Network
		// Watcher answers: each loads without an error and says what it skipped.
		{"rest-examples/EffectiveRoutesListForConnection.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 2, 0},
		{"rest-examples/EffectiveRoutesListForRouteTable.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 2, 0},
		{"rest-examples/EffectiveRoutesListForVirtualHub.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 2, 0},
		{"rest-examples/HubRouteTableGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/HubVirtualNetworkConnectionGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/NetworkWatcherConnectivityCheck.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/NetworkWatcherTopologyGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/NetworkWatcherTroubleshootGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/NetworkWatcherTroubleshootResultQuery.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},

		{"rest-examples/RoutingIntentGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/VirtualHubBgpConnectionGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/VirtualHubGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 hub=1", 0, 1},
		{"rest-examples/VirtualHubIpConfigurationGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 0, 1},
		{"rest-examples/VirtualHubRouteTableV2Get.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},

		{"rest-examples/VirtualRouterPeerListAdvertisedRoute.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/VirtualRouterPeerListLearnedRoute.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0", 1, 0},
		{"rest-examples/VirtualWANGet.json", "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 vwan=1", 0, 0},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.file] = true
		t.Run(c.file, func(t *testing.T) {
			n, d, _ := Load(filepath.Join(dir, c.file))
			if got := topotest.Counts(n); got != c.counts {
				t.Errorf("counts\n got %s\nwant %s", got, c.counts)
			}
			dangles := append(append([]topology.Diag{}, d.Missing...), d.Errors...)
			for _, e := range dangles {
				if !dangling(e.Message) {
					t.Errorf("unexpected error: %s", e)
				}
				if e.Src.File == "" || e.Src.ID == "" {
					t.Errorf("error does not name the file and resource: %s", e)
				}
			}
			if len(dangles) != c.errs {
				t.Errorf("%d missing references and errors, want %d:\n%s", len(dangles), c.errs, topotest.DiagLines(dangles))
			}
			if len(d.Warnings) != c.warns {
				t.Errorf("%d warnings, want %d:\n%s", len(d.Warnings), c.warns, topotest.DiagLines(d.Warnings))
			}
		})
	}
	// Every JSON sample of the topology kinds is in the table.
	for _, sub := range []string{"cli-derived", "recorded", "resource-graph", "rest-examples"} {
		files, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, f := range files {
			if strings.HasSuffix(f.Name(), ".json") && !seen[sub+"/"+f.Name()] {
				t.Errorf("sample %s/%s is not covered by the table", sub, f.Name())
			}
		}
	}
}

func dangling(msg string) bool {
	return strings.Contains(msg, "not found") || strings.Contains(msg, "not in the inputs")
}

// TestCLIAndRESTSamplesAgree loads the az CLI form and the ARM REST form of
// the same resources and expects the same model.
func TestCLIAndRESTSamplesAgree(t *testing.T) {
	dir := testenv.Shared(t, "arm")
	pairs := [][2]string{
		{"cli-derived/vnet-list.json", "rest-examples/VirtualNetworkGet.json"},
		{"cli-derived/nsg-list.json", "rest-examples/NetworkSecurityGroupGet.json"},
		{"cli-derived/route-table-list.json", "rest-examples/RouteTableGet.json"},
		{"cli-derived/nic-show.json", "rest-examples/NetworkInterfaceGet.json"},
		{"cli-derived/private-endpoint-list.json", "rest-examples/PrivateEndpointGet.json"},
		{"cli-derived/firewall-show.json", "rest-examples/AzureFirewallGetWithMgmtSubnet.json"},
		{"cli-derived/vnet-gateway-list.json", "rest-examples/VirtualNetworkGatewayGet.json"},
	}
	for _, p := range pairs {
		t.Run(p[0], func(t *testing.T) {
			a, _, _ := Load(filepath.Join(dir, p[0]))
			b, _, _ := Load(filepath.Join(dir, p[1]))
			ya, yb := modelYAML(t, a), modelYAML(t, b)
			if ya != yb {
				t.Errorf("az CLI and REST forms differ:\n--- %s\n%s\n--- %s\n%s", p[0], ya, p[1], yb)
			}
			if strings.Count(ya, "\n") < 3 {
				t.Errorf("model is empty:\n%s", ya)
			}
		})
	}
}

// modelYAML renders a network in the design format (sources left out).
func modelYAML(t *testing.T, n *topology.Network) string {
	t.Helper()
	b, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPrivateDNSSamplesTogether loads Microsoft's zone, A record set and
// VNet link examples as one export: the record and link join their zone,
// and the only error is the link's VNet, which the examples lack.
func TestPrivateDNSSamplesTogether(t *testing.T) {
	dir := testenv.Shared(t, "arm")
	var paths []string
	for _, f := range []string{"PrivateZoneGet.json", "RecordSetAGet.json", "VirtualNetworkLinkGet.json"} {
		paths = append(paths, filepath.Join(dir, "rest-examples", f))
	}
	n, d, _ := Load(paths...)
	if got, want := topotest.Counts(n), "vnet=0 subnet=0 peer=0 rt=0 route=0 nsg=0 rule=0 asg=0 nic=0 pe=0 fw=0 pol=0 rcg=0 ipg=0 gw=0 conn=0 site=0 dnszone=1 dnsrec=1 dnslink=1"; got != want {
		t.Errorf("counts\n got %s\nwant %s", got, want)
	}
	if len(d.Errors) != 1 || !strings.Contains(d.Errors[0].Message, "virtualNetworks/virtualNetworkName") {
		t.Errorf("errors:\n%s", topotest.DiagLines(d.Errors))
	}
	z := n.PrivateDNSZone("privatezone1.com")
	if z == nil || len(z.ARecords) != 1 || z.ARecords[0].IPs[0].String() != "1.2.3.4" || z.ARecords[0].TTL != 3600 || len(z.Links) != 1 || z.Links[0].Name != "virtualNetworkLink1" {
		t.Errorf("zone %+v", z)
	}
}
