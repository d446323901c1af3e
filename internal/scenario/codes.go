package scenario

import "github.com/pathproof/pathproof/internal/codes"

// Codes printed by pathproof check.
const (
	CodeFailed      = "check-failed"
	CodeUnsupported = "check-unsupported"
)

func init() {
	codes.Register(
		codes.Code{ID: CodeFailed, Domain: "model", Kind: "verdict", Severity: "error",
			Meaning: "A scenario query's actual answer differs from its expectation: the network no longer does what the file asserts.",
			Next:    "Read the diff lines (want/got per field); run the matching command (routes, next-hop, ip-flow, nsg-diag, firewall, trace) for the full answer, then fix the network or the assertion."},
		codes.Code{ID: CodeUnsupported, Domain: "model", Kind: "verdict", Severity: "warning",
			Meaning: "A scenario query could not be answered by this build and was skipped: exit 4 when others passed and none failed, 1 when every query was skipped, 0 with --allow-skips. (An unknown kind is an error when the file is read.)",
			Next:    "Upgrade pathproof or remove the query; `pathproof check --help` lists the supported kinds."},
	)
}
