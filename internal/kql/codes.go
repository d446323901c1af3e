package kql

import "github.com/pathproof/pathproof/internal/codes"

// Codes of domain "kql": why a push-down result is partial.
const (
	CodePartial   = "kql.partial"
	CodeTruncated = "kql.truncated"
	CodeBadRow    = "kql.bad-row"
	CodeFailed    = "kql.failed"
)

func init() {
	const d, k = "kql", "drop-reason"
	codes.Register(
		codes.Code{ID: CodePartial, Domain: d, Kind: k, Severity: "warning",
			Meaning: "Log Analytics or Azure Data Explorer answered a push-down query in part (a PartialError, a limit the query hit, a table or workspace it could not read): the rows it returned were used, others may be missing.",
			Next:    "Read the service's message in the summary; narrow --since/--until or the filter so the query stays within the service's limits (500,000 rows, 64 MB, 10 minutes), and check that every table the query names exists in the workspace."},
		codes.Code{ID: CodeTruncated, Domain: d, Kind: k, Severity: "warning",
			Meaning: "More rows match the push-down query than pathproof reads at once (200,000 by default); the oldest were read, the rest were not.",
			Next:    "Narrow the window (--since/--until) or add filters (--ip, --port, --source) so fewer rows match."},
		codes.Code{ID: CodeBadRow, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A row of a push-down result could not be read (its packed columns were not a JSON object, its table name or time was malformed); it was skipped, the other rows were kept.",
			Next:    "Run the query `--print-kql` prints in the portal and look at the row; a function or view named like a table may return another shape."},
		codes.Code{ID: CodeFailed, Domain: d, Kind: k, Severity: "error",
			Meaning: "A push-down query could not run at all: sign-in failed, the identity lacks read access (Log Analytics Reader on the workspace, viewer on the ADX database), the workspace or database does not exist, or the service refused the query. Nothing was read from that source.",
			Next:    "Sign in (`az login`, or the variables of Azure's default credential chain), check the role assignment and the workspace id or database URL, and run the query `--print-kql` prints in the portal to see the service's own error."},
	)
}
