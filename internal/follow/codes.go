package follow

import "github.com/pathproof/pathproof/internal/codes"

// Codes (domain "follow") of what a follower could not read as it was.
const (
	CodeReadFailed = "follow.read-failed"
	CodeRewritten  = "follow.rewritten"
)

func init() {
	const d, k = "follow", "drop-reason"
	codes.Register(
		codes.Code{ID: CodeReadFailed, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A request of the follower (a listing, a block list, a ranged read) failed; nothing of that blob was emitted for that poll, and the next poll asks again from the same place, so nothing is lost if it then succeeds.",
			Next:    "Read the reason (HTTP status and what to check); a lasting failure is usually an expired SAS, a missing Storage Blob Data Reader role or a storage firewall rule."},
		codes.Code{ID: CodeRewritten, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A blob changed in a way Azure's writers never change one: the committed blocks already read were replaced (a flow-log blob), or the blob was deleted and created again (an append blob). The follower read it again from its start; records at indexes it had already emitted were not emitted again, so changed content at those indexes is not shown.",
			Next:    "Check what else writes to the storage account (a copy job, a test writer, lifecycle rules); read the blob whole with `pathproof events --logs URL` to see its current content."},
	)
}
