package effective

import "github.com/pathproof/pathproof/internal/codes"

// Codes of the differences between Azure's effective routes and rules and
// pathproof's.
const (
	CodeRouteMissing = "effective.route-missing"
	CodeRouteExtra   = "effective.route-extra"
	CodeRouteDiffers = "effective.route-differs"
	CodeNSGMissing   = "effective.nsg-missing"
	CodeNSGExtra     = "effective.nsg-extra"
	CodeRuleMissing  = "effective.rule-missing"
	CodeRuleExtra    = "effective.rule-extra"
	CodeRuleDiffers  = "effective.rule-differs"
)

// domain is azlive's codes domain (live Azure reads and comparisons).
const domain = "azure-live"

func init() {
	check := " Either the topology is stale (export it again, or read it live with --topology azure://...), or pathproof computes this differently from Azure: compare with the rule in docs/azure-semantics.md and report it."
	codes.Register(
		codes.Code{ID: CodeRouteMissing, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "Azure's effective route table of the NIC lists a route (source and prefix) that pathproof does not compute.",
			Next:    "Look for what creates it: a BGP route learned by a gateway (pathproof only knows the routes of connections and sites in the topology), a peering or service endpoint missing from the input, or a platform None route of the observed profile (try --profile observed)." + check},
		codes.Code{ID: CodeRouteExtra, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "pathproof computes an effective route (source and prefix) that Azure's effective route table of the NIC does not list.",
			Next:    "Check whether the resource behind it (a route table association, a peering, a gateway connection) still exists or is still connected in Azure." + check},
		codes.Code{ID: CodeRouteDiffers, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "Azure and pathproof list the same route (source and prefix) with a different state (Active/Invalid), next hop type or next hop address.",
			Next:    "Compare the two values in the finding: an Invalid/Active swap usually means a more specific or preferred route exists on one side only; a different next hop, a changed route or appliance address." + check},
		codes.Code{ID: CodeNSGMissing, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "Azure applies a network security group (or admin rule set) to the NIC, at the NIC, its subnet or by Virtual Network Manager, that pathproof does not.",
			Next:    "Check the NIC's and subnet's networkSecurityGroup in the topology and whether Virtual Network Manager admin rules were exported." + check},
		codes.Code{ID: CodeNSGExtra, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "pathproof applies a network security group (or admin rule set) to the NIC that Azure's effective security rules do not list.",
			Next:    "Check whether the association was removed in Azure after the export." + check},
		codes.Code{ID: CodeRuleMissing, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "Azure's effective security rules of the NIC list a rule (group, direction, name) that pathproof does not.",
			Next:    "The NSG changed in Azure after the export, or the rule is an admin rule pathproof was not given." + check},
		codes.Code{ID: CodeRuleExtra, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "pathproof lists an effective security rule (group, direction, name) that Azure's effective security rules of the NIC do not.",
			Next:    "The rule was deleted in Azure after the export." + check},
		codes.Code{ID: CodeRuleDiffers, Domain: domain, Kind: "finding", Severity: "error",
			Meaning: "Azure and pathproof list the same security rule with a different priority, access, protocol, ports or expanded address prefixes.",
			Next:    "Compare the two values in the finding: a different expansion of VirtualNetwork usually means a peering or address space missing from (or added to) the topology; a different priority or access, a rule edited in Azure." + check},
	)
}
