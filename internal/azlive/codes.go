package azlive

import "github.com/pathproof/pathproof/internal/codes"

// Codes of live reads.
const (
	// CodeScopeUnreadable: a scope could not be read at all.
	CodeScopeUnreadable = "live.scope-unreadable"
	// CodePartRead: part of a scope could not be read.
	CodePartRead = "live.part-unreadable"
)

// Domain is the codes domain of live Azure reads and comparisons.
const Domain = "azure-live"

func init() {
	codes.Register(
		codes.Code{ID: CodeScopeUnreadable, Domain: Domain, Kind: "finding", Severity: "warning",
			Meaning: "An azure:// scope could not be read (HTTP 403 for lack of a role, an unknown subscription, throttling that outlasted the retries, no sign-in). Its resources are missing; the other scopes were loaded, answers were printed, and the command exits 4.",
			Next:    "Check the HTTP status and message: for 401/403 give the signed-in identity the Reader role on the subscription or resource group (az role assignment list --assignee ...); for a sign-in failure run 'az login' or set the service principal's AZURE_* variables. See docs/connectors.md#live-topology."},
		codes.Code{ID: CodePartRead, Domain: Domain, Kind: "finding", Severity: "warning",
			Meaning: "Part of an azure:// scope could not be read: a firewall policy's rule collection groups (an ARM read), or a Resource Graph result Azure truncated. Answers are computed without it and the command exits 4.",
			Next:    "Check the message for the policy or page; the Reader role on the policy's resource group is enough. Re-run, or export the missing part with az and add it as another --topology."},
	)
}
