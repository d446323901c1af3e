package azure

import "github.com/pathproof/pathproof/internal/codes"

// Codes printed next to Network Watcher answers.
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
	)
}
