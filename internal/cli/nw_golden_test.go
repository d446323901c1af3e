package cli

import "testing"

// Golden outputs of the offline Network Watcher commands on the built-in
// demo topology (and the hub routes on a virtual WAN scenario of
// internal/scenario): go test ./internal/cli -run TestNetworkWatcherGolden -update
func TestNetworkWatcherGolden(t *testing.T) {
	topo := demoTopo(t)
	vwan := "../scenario/testdata/model2/vwan-hub-route-conflicts.yaml"
	runGolden(t, []goldenCase{
		{"nw/routes-gateway.txt", []string{"routes", "-t", topo, "--subnet", "hub/GatewaySubnet"}, 0},
		{"nw/routes-web.json", []string{"routes", "-t", topo, "--ip", "10.11.1.4", "-o", "json"}, 0},
		{"nw/nsg-diag-db.txt", []string{"nsg-diag", "-t", topo, "--direction", "Inbound", "--protocol", "TCP", "--source", "10.11.1.4", "--destination", "10.12.1.4", "--port", "22"}, 0},
		{"nw/rules-db.json", []string{"rules", "-t", topo, "--nic", "db1-nic", "-o", "json"}, 0},
		{"nw/firewall-onprem.txt", []string{"firewall", "-t", topo, "--firewall", "fw-hub", "--protocol", "TCP", "--src", "192.168.5.20:51000", "--dst", "10.11.1.4:443"}, 0},
		{"nw/routes-hub-table.txt", []string{"routes", "-t", vwan, "--hub", "hub1", "--route-table", "RT_STATIC"}, 0},
		{"nw/routes-hub-connection.txt", []string{"routes", "-t", vwan, "--hub", "hub1", "--connection", "spoke1-conn"}, 0},
		{"nw/check.txt", []string{"check", topo}, ExitFailed},
	})
}
