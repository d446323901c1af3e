// Package kql pushes pathproof's event filter down into Azure's own query
// engines: Log Analytics workspaces (--workspace) and Azure Data Explorer
// databases (--adx), so a question over terabytes of logs downloads only the
// rows it can use.
//
// Compile turns the same filter.Filter that `events` and `flows` compile to
// SQL into one KQL query over the resource-specific tables (AZFWNetworkRule,
// AZFWApplicationRule, AZFWNatRule, AZFWThreatIntel, AZFWIdpsSignature,
// AZFWFlowTrace, AZFWDnsQuery, NTANetAnalytics, AZKVAuditLogs,
// StorageBlobLogs) and the legacy AzureDiagnostics firewall rows, whose msg_s
// text is split with the regular expressions of legacy.go. The time window is
// always in the query; addresses, CIDRs, ports, protocols, verdicts,
// directions, rules and reasons become predicates per table, and a table
// whose events can never pass the filter is left out. Each predicate keeps
// every row whose event could pass (never fewer): the rows are parsed by
// internal/logs and the store applies the filter exactly, as for files.
//
// Fetch runs the query with the official SDKs (azlogs for Log Analytics,
// azkustodata for Azure Data Explorer; credentials from azidentity's
// default chain), pages through large results by time, retries throttling,
// and returns the rows as logs.Inputs, one per table, keyed
// "loganalytics://WORKSPACE/TABLE/QUERY" or "adx://CLUSTER/DATABASE/TABLE/QUERY": the
// origin of each event cites the workspace (or database), the table and
// the row. No SDK type leaves the package, and no token reaches an error.
package kql
