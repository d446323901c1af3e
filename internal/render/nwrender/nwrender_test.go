package nwrender

import (
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/effective"
	"github.com/pathproof/pathproof/internal/scenario"
)

// TestHuman: the human forms of the answers without a scenario to drive
// them: a comparison's empty side printed as "-", notes and untrusted
// names escaped, unknown service tags named once, a hub connection's
// findings under FINDINGS.
func TestHuman(t *testing.T) {
	for _, c := range []struct {
		name  string
		write func(*strings.Builder) error
		want  string
	}{
		{"comparison", func(b *strings.Builder) error {
			return Comparison(b, "table", &effective.Result{NIC: "web\x1b[2J-nic", Kind: "routes", Azure: 3, Pathproof: 2, Agree: 1,
				Findings: []effective.Finding{
					{Code: "effective.route-missing", What: "User 10.9.0.0/16", Azure: "VirtualAppliance 10.0.0.4"},
					{Code: "effective.route-extra", What: "Default 0.0.0.0/0", Pathproof: "Internet"},
				},
				Notes: []string{"rules not compared"}})
		}, "Effective routes of web\\x1b[2J-nic compared with Azure's\n" +
			"Azure lists 3, pathproof 2: 1 agree, 2 differ\n\n" +
			"CODE                     WHAT               AZURE                      PATHPROOF\n" +
			"effective.route-missing  User 10.9.0.0/16   VirtualAppliance 10.0.0.4  -\n" +
			"effective.route-extra    Default 0.0.0.0/0  -                          Internet\n" +
			"note: rules not compared\n"},
		{"comparison agreeing", func(b *strings.Builder) error {
			return Comparison(b, "table", &effective.Result{NIC: "db-nic", Kind: "rules", Azure: 2, Pathproof: 2, Agree: 2})
		}, "Effective rules of db-nic compared with Azure's\nAzure lists 2, pathproof 2: 2 agree, 0 differ\n"},
		{"notes", func(b *strings.Builder) error {
			return Notes(b, []string{"no\nnewline"}, []string{"Sql.WestEurope", "AzureCloud", "Sql.WestEurope"})
		}, "note [" + azure.CodeAssumption + "]: no\\nnewline\n" +
			"note [" + azure.CodeTagUnknown + "]: service tags not resolved (treated as not matching; pass --service-tags): Sql.WestEurope, AzureCloud\n"},
		{"hub connection", func(b *strings.Builder) error {
			return HubRoutes(b, "table", scenario.HubRoutesAnswer{Hub: "hub1", RouteTable: "defaultRouteTable", Connection: "spoke\x07conn",
				Routes: []scenario.HubRouteJSON{{AddressPrefixes: []string{"10.1.0.0/16"}, NextHopType: "Vnet connection",
					NextHops: []string{"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualHubs/hub1/hubVirtualNetworkConnections/spoke"}, RouteOrigin: "/x/y/spoke", ASPath: "65520"}},
				Findings: []scenario.HubFindingJSON{{Code: "vwan.x", Severity: "warning", Message: "bad\x1b", Fix: "fix it"}}})
		}, "Effective routes of hub hub1, connection spoke\\aconn (associated with defaultRouteTable)\n\n" +
			"PREFIX       NEXT HOP TYPE    NEXT HOP  NEXT HOP IP  ORIGIN  AS PATH\n" +
			"10.1.0.0/16  Vnet connection  spoke                  spoke   65520\n\n" +
			"FINDINGS\n  WARNING vwan.x: bad\\x1b\n    fix: fix it\n"},
	} {
		var b strings.Builder
		if err := c.write(&b); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, b.String(), c.want)
		}
	}
}
