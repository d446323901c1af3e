package kql

// header heads a printed query: where it runs, and what a workspace holds
// and what not.
const header = `// pathproof push-down: the same query runs on Log Analytics (--workspace) and
// Azure Data Explorer (--adx); a duration counts back from the service's now().
// NTANetAnalytics rows are Traffic Analytics aggregates (no source port, one row
// per interval); raw VNet and NSG flow-log tuples are only in the storage account
// flow logs write to (--logs https://ACCOUNT.blob.core.windows.net/...).
`

// tallyHeader heads explain's second query.
const tallyHeader = `// Activity count (explain): rows per resource and minute of the same window and
// tables, whatever their addresses: proof that a log was alive while the flow
// left no row in it.
`

// Header is the comment that heads a query printed by --print-kql: the
// services it runs on and what a workspace holds and what not.
func Header() string { return header }

// Printout is q as --print-kql prints it: Header and the first page's
// query and, with tally (explain), a blank line and the activity count
// query run beside it under its own comment.
func (q *Query) Printout(tally bool) string {
	s := header + q.String()
	if tally {
		s += "\n" + tallyHeader + q.Tally().String()
	}
	return s
}
