// Package logs finds Azure network log inputs, detects each file's kind from
// its content and container path, and streams its records through
// per-format parsers into normalised event.Events, counting and describing
// everything it had to skip.
//
// # Inputs
//
// An Input is one readable log: a file, stdin, or a blob. Expand turns
// command-line arguments (files, folders walked recursively in the
// storage-account layout, "-" for stdin) into Inputs; another package (blob)
// builds Inputs for Azure Blob Storage. Input.Key becomes event.Origin.Key:
// the path from the "insights-logs-*" container segment on when there is one,
// so a local copy and the blob it came from cite the same key. Gzip is
// detected from the magic bytes by the reader, never by Open or the name.
//
// # Framing
//
// The reader accepts, in one file, any of Azure's framings without a flag:
// storage JSON Lines (one record per line), flow-log and event-hub envelopes
// {"records":[...]} (pretty-printed or not, several per file), a single JSON
// record, a Log Analytics JSON array export, and a Log Analytics CSV export
// with a header row. A file cut short mid-record keeps every complete record
// before the cut and reports the rest as logs.truncated. Non-JSON line
// formats are recognised by the Sniffers of formats.go.
//
// # Formats
//
// formats.go lists every format in one place: recordFormats (record
// parsers keyed by category, Log Analytics table name or operation name,
// case-insensitively) and sniffers (whole-file, non-JSON formats, in the
// order they are tried). A
// record parser receives one *Record: an accessor that hides the framing, so
// Str("SourceIp") finds properties.SourceIp in raw storage JSON, SourceIp in a
// resource-specific table export and SourceIp_s in an AzureDiagnostics row.
// VNet flow records take a dedicated low-allocation path (vnetflow.go) and
// never go through map-based decoding.
//
// # Skips
//
// A malformed tuple, an unparseable msg, bad JSON, an unknown category: the
// item is skipped with a stable code of domain "logs" (see codes.go) and the
// file name, record index and tuple index, and everything else is kept. The
// Report counts records and events per source and category and every skip;
// WriteSummary prints the stderr summary.
//
// Events passed to emit callbacks are valid only during the call (the reader
// reuses them); Detail maps may be shared between events and must be treated
// as read-only.
package logs
