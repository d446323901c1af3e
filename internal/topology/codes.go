package topology

import "github.com/pathproof/pathproof/internal/codes"

// Codes printed for topology loading problems.
const (
	CodeInvalid = "topology-invalid"
	CodeIgnored = "topology-ignored"
)

func init() {
	codes.Register(
		codes.Code{ID: CodeInvalid, Domain: "model", Kind: "failure", Severity: "error",
			Meaning: "The topology input is invalid or inconsistent: a dangling reference, a bad CIDR, overlapping peered address spaces or a duplicate IP. Answers computed from it would be wrong, so the command stops.",
			Next:    "Fix the resource named in the message (file and line or resource id are given) or re-export it; check that every referenced NSG, route table, subnet and policy is part of the export."},
		codes.Code{ID: CodeIgnored, Domain: "model", Kind: "finding", Severity: "warning",
			Meaning: "Part of the input was skipped: an unknown resource type, a file that is no topology, or a setting pathproof does not model. Answers are computed without it.",
			Next:    "Check the warning: if the skipped resource matters for the path (a load balancer, a vWAN hub), add it by hand in design YAML or ask for support."},
	)
}
