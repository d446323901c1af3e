package topology

import "github.com/pathproof/pathproof/internal/codes"

// Codes printed for topology loading problems.
const (
	CodeInvalid = "topology-invalid"
	CodeIgnored = "topology-ignored"
	// CodeReferenceMissing: an export refers to a resource it lacks.
	CodeReferenceMissing = "topology-reference-missing"
)

func init() {
	codes.Register(
		codes.Code{ID: CodeInvalid, Domain: "model", Kind: "failure", Severity: "error",
			Meaning: "The topology input is invalid or inconsistent: a dangling reference, a bad CIDR, overlapping peered address spaces or a duplicate IP. Answers computed from it would be wrong, so the command stops.",
			Next:    "Fix the resource named in the message (file and line or resource id are given) or re-export it; check that every referenced NSG, route table, subnet and policy is part of the export."},
		codes.Code{ID: CodeIgnored, Domain: "model", Kind: "finding", Severity: "warning",
			Meaning: "Part of the input was skipped: an unknown resource type, a file that is no topology, or a setting pathproof does not model. Answers are computed without it.",
			Next:    "Check the warning: if the skipped resource matters for the path (a load balancer, a vWAN hub), add it by hand in design YAML or ask for support."},
		codes.Code{ID: CodeReferenceMissing, Domain: "model", Kind: "finding", Severity: "warning",
			Meaning: "An Azure or Terraform export refers to a resource it does not contain (a subnet's virtual network or NAT gateway, a load balancer's backend pool or subnet, a hub route table's virtual hub, a record's private DNS zone). The referring part is left out, the rest loads and the command answers, then exits 4. A subnet whose NAT gateway is missing keeps an unknown outbound source address.",
			Next:    "Export the resource named by its id too (it may live in another resource group or subscription) and load both files together."},
	)
}
