package logs

import "github.com/pathproof/pathproof/internal/codes"

// Skip codes (domain "logs"): why an item was left out.
const (
	CodeBadJSON         = "logs.bad-json"
	CodeTruncated       = "logs.truncated"
	CodeUnknownCategory = "logs.unknown-category"
	CodeUnknownFormat   = "logs.unknown-format"
	CodeBadTuple        = "logs.bad-tuple"
	CodeBadMsg          = "logs.bad-msg"
	CodeBadTime         = "logs.bad-time"
	CodeBadRecord       = "logs.bad-record"
	CodeBadCSV          = "logs.bad-csv"
	CodeUnreadable      = "logs.unreadable"
)

func init() {
	const d, k = "logs", "drop-reason"
	codes.Register(
		codes.Code{ID: CodeBadJSON, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A record is not valid JSON (a broken line in a JSON Lines blob, a bad element of a records array); that record was skipped and the rest of the file was read.",
			Next:    "Look at the named file and record index; a pipeline that rewrites logs (Logstash, a function app) may have cut or mangled it. Re-download the blob from the storage account."},
		codes.Code{ID: CodeTruncated, Domain: d, Kind: k, Severity: "warning",
			Meaning: "The file ends in the middle of a record: every complete record before the cut was kept, the partial one was skipped. Flow-log blobs grow until their hour ends, so a blob copied mid-hour often ends this way.",
			Next:    "Copy the blob again after its hour has ended (flow logs close PT1H.json at the next UTC hour), or check that the download finished."},
		codes.Code{ID: CodeUnknownCategory, Domain: d, Kind: k, Severity: "info",
			Meaning: "A record's category, table or operation name is not one pathproof parses (for example ApplicationGatewayAccessLog or ResourceHealth arriving on the same event hub); it was counted and skipped.",
			Next:    "Run `pathproof codes --domain logs` and docs/log-sources.md for the categories read; send other categories to a separate folder or ignore the note."},
		codes.Code{ID: CodeUnknownFormat, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A whole file is neither JSON, a Log Analytics CSV export nor a registered line format; nothing was read from it.",
			Next:    "Check that the file is an Azure log (storage blob, event-hub capture or Log Analytics export) and not, say, an azcopy log in the same folder."},
		codes.Code{ID: CodeBadTuple, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A flow-log tuple has the wrong number of fields or a field that does not parse (address, port, protocol, timestamp, counter); that tuple was skipped, the other tuples of the record were kept.",
			Next:    "Compare the tuple with the layouts in docs/log-sources.md (VNet v4 13 fields, NSG v1 8, NSG v2 13); a rewriting pipeline may have changed it."},
		codes.Code{ID: CodeBadMsg, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A legacy Azure Firewall msg (AzureFirewallNetworkRule, ApplicationRule, DnsProxy) does not follow any known variant, or the record has no msg at all; the record was skipped.",
			Next:    "Send the msg text (from the named record) to the maintainers: Azure adds variants from time to time. Structured AZFW* categories avoid the problem: enable resource-specific mode."},
		codes.Code{ID: CodeBadTime, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A record's time field is absent or in no known spelling; the record was skipped because an event without a time cannot be correlated.",
			Next:    "Check the time column of the export (Log Analytics CSV exports must keep TimeGenerated)."},
		codes.Code{ID: CodeBadRecord, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A record of a known category lacks a field its parser needs (an address, a flow-record array of the wrong type) or carries a value that does not parse; it was skipped.",
			Next:    "Look at the named record; a third-party pipeline may have renamed or stringified fields."},
		codes.Code{ID: CodeBadCSV, Domain: d, Kind: k, Severity: "warning",
			Meaning: "A row of a Log Analytics CSV export could not be read (bad quoting); the row was skipped.",
			Next:    "Export again as JSON from Log Analytics, or check the row for an unbalanced quote."},
		codes.Code{ID: CodeUnreadable, Domain: d, Kind: k, Severity: "error",
			Meaning: "An input could not be opened or read (permissions, a broken gzip stream, a blob that vanished); what was read before the error was kept.",
			Next:    "Check the file's permissions or re-download it; for gzip, test it with `gzip -t`."},
	)
}
