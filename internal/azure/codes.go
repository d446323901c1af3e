package azure

import "github.com/pathproof/pathproof/internal/codes"

// Codes printed next to Network Watcher answers; the hub route
// contradiction findings (vwan_conflict.go) are registered here too.
const (
	CodeTagUnknown = "tag-unknown"
	CodeAssumption = "assumption"
)

func init() {
	codes.Register(
		codes.Code{ID: CodeTagUnknown, Domain: "model", Kind: "finding", Severity: "warning",
			Meaning: "A rule or route uses a service tag pathproof cannot expand (only VirtualNetwork, Internet and AzureLoadBalancer are built in). The rule was treated as not matching.",
			Next:    "Download Azure's service-tag JSON (ServiceTags_Public_*.json or `az network list-service-tags`) and pass it with --service-tags."},
		codes.Code{ID: CodeAssumption, Domain: "model", Kind: "finding", Severity: "info",
			Meaning: "The answer depends on a behaviour Azure does not document; pathproof used the stated default of its rule book (e.g. which NSG IP flow verify names when both allow, BGP 0/0 removing the reserved None routes).",
			Next:    "Read the note; if the outcome matters, confirm it with Network Watcher on a real VM or design so that the answer does not depend on it."},
		codes.Code{ID: CodeHubStaticConflict, Domain: "model", Kind: "finding", Severity: "warning",
			Meaning: "Two static routes of one Virtual WAN hub route table have the same destination prefix. Azure's route selection for a virtual hub (longest prefix, static over BGP, routing preference, AS path) does not separate them; its last step load-balances (ECMP) across both. pathproof follows the first route of the table and says the other was not used.",
			Next:    "Keep one route per destination in the hub route table (remove the other or change its destination); `pathproof routes --hub HUB --route-table TABLE` lists the table with the finding."},
		codes.Code{ID: CodeHubPrefixConflict, Domain: "model", Kind: "finding", Severity: "warning",
			Meaning: "Two VNet connections of one virtual WAN teach a hub route table the same prefix (overlapping VNet address spaces, or a connection static route equal to another VNet's range). Azure prefers the connection local to the hub over the one learned from a remote hub; between two local (or two remote) ones it load-balances (ECMP). The finding names the route pathproof used and the one it did not.",
			Next:    "Give the VNets distinct address ranges, or disconnect one of them; `pathproof routes --hub HUB` lists the hub's table with the finding."},
	)
}
