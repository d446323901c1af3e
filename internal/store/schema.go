package store

// schemaVersion is stored in the meta table; a database written by a
// different schema version is refused rather than misread.
const schemaVersion = "5"

// ddl creates the store's tables and views.
//
// Loading speed decides the layout. The Go side of DuckDB crosses into C
// once per string or NULL value but writes integers and times straight into
// the chunk (or hands them over as Arrow columns, stream.go), so the row
// table event_rows holds only numbers: every string of
// an event lives in a small dictionary table (shapes: the low-cardinality
// facts such as source, emitter, verdict, rule, ICMP type, HTTP status;
// every column event_rows does not need costs a per-row write; addrs: one row per
// address; extras: FQDN, URL, caller and NAT target; sources: one row per
// origin key). The events view joins them back into one column per
// event.Event field; users and the filter query the view (docs/events.md).
//
// Addresses: an IPv4 address is stored in the row itself (src/dst = the
// address as a number + 1; 0 = none), so the most common case needs no
// dictionary and the Go side keeps no per-address state (memory stays flat
// however many scanners appear in the logs); any other address is -id of
// its addrs row. The view renders the text and the filter.AddrKey halves
// (hi/lo) either way, so CIDR filters stay integer ranges, and shows the
// stored number as src_code/dst_code: the filter names it too, because a
// condition on a column of event_rows itself is pushed into the scan and
// prunes row groups by their min/max, where one on the computed keys is
// applied only after every row of the time window was read and joined.
// Time: a load appends rows in the order of its inputs, which list by
// hour (blob paths and file trees hold y=/m=/d=/h=), so each row group
// spans about one hour and a --since/--until window reads only its own
// row groups (docs/PERFORMANCE.md, Persistent store).
// Detail: shapes.detail holds the JSON text as VARCHAR and the view casts
// it to JSON. (The appender marshals any value written to a JSON column, so
// a JSON column filled with the text held a JSON string, not an object, and
// detail->>'key' was NULL.)
// sources.records is how many records of each origin key are loaded, so a
// re-read of a blob adds only the records appended since; sources.size and
// version identify the content loaded (a file's size and modification
// time, a blob's size and ETag; NULL when unknown), so a load can pass over
// an input the store already holds whole without reading it (the columns
// are added to stores written before them).
var ddl = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS event_rows (
	time          TIMESTAMPTZ NOT NULL,
	shape         INTEGER NOT NULL,
	src           BIGINT NOT NULL,
	src_port      INTEGER NOT NULL,
	dst           BIGINT NOT NULL,
	dst_port      INTEGER NOT NULL,
	packets_sent  BIGINT NOT NULL,
	bytes_sent    BIGINT NOT NULL,
	packets_recv  BIGINT NOT NULL,
	bytes_recv    BIGINT NOT NULL,
	count         BIGINT NOT NULL,
	extra         INTEGER NOT NULL,
	origin        INTEGER NOT NULL,
	origin_record INTEGER NOT NULL,
	origin_tuple  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS shapes (
	id INTEGER PRIMARY KEY, source VARCHAR NOT NULL, category VARCHAR, emitter VARCHAR, emitter_id VARCHAR,
	protocol VARCHAR, direction VARCHAR, verdict VARCHAR NOT NULL, flow_state VARCHAR,
	rule_name VARCHAR, rule_raw VARCHAR, rule_acl VARCHAR, rule_policy VARCHAR, rule_collection_group VARCHAR,
	rule_collection VARCHAR, rule_signature VARCHAR, rule_threat_intel VARCHAR, rule_default BOOLEAN NOT NULL,
	rule_reason VARCHAR, detail VARCHAR,
	icmp_type INTEGER NOT NULL, http_status INTEGER NOT NULL, aggregate BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS addrs (id INTEGER PRIMARY KEY, ip VARCHAR NOT NULL, hi BIGINT NOT NULL, lo BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS extras (
	id INTEGER PRIMARY KEY, fqdn VARCHAR, url VARCHAR, caller VARCHAR,
	nat_kind VARCHAR, nat_ip VARCHAR, nat_port INTEGER
);
CREATE TABLE IF NOT EXISTS sources (
	id         INTEGER PRIMARY KEY,
	origin_key VARCHAR NOT NULL UNIQUE,
	records    INTEGER NOT NULL,
	events     BIGINT NOT NULL,
	loaded_at  TIMESTAMPTZ NOT NULL,
	size       BIGINT,
	version    VARCHAR
);
ALTER TABLE sources ADD COLUMN IF NOT EXISTS size BIGINT;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS version VARCHAR;
CREATE OR REPLACE VIEW events AS
	SELECT r.time, s.source, s.category, s.emitter, s.emitter_id, s.protocol,
	       CASE WHEN r.src > 0 THEN ` + ipv4Text("r.src") + ` ELSE sa.ip END AS src_ip, r.src_port,
	       CASE WHEN r.dst > 0 THEN ` + ipv4Text("r.dst") + ` ELSE da.ip END AS dst_ip, r.dst_port, s.icmp_type,
	       s.direction, s.verdict,
	       s.rule_name, s.rule_raw, s.rule_acl, s.rule_policy, s.rule_collection_group, s.rule_collection,
	       s.rule_signature, s.rule_threat_intel, s.rule_default, s.rule_reason,
	       x.nat_kind, x.nat_ip, x.nat_port, s.flow_state,
	       r.packets_sent, r.bytes_sent, r.packets_recv, r.bytes_recv,
	       x.fqdn, x.url, nullif(s.http_status, 0) AS http_status, x.caller,
	       s.aggregate, r.count, CAST(s.detail AS JSON) AS detail,
	       o.origin_key, r.origin_record, r.origin_tuple,
	       CASE WHEN r.src > 0 THEN ` + ipv4Hi + ` ELSE sa.hi END AS src_hi,
	       CASE WHEN r.src > 0 THEN ` + ipv4Lo("r.src") + ` ELSE sa.lo END AS src_lo,
	       CASE WHEN r.dst > 0 THEN ` + ipv4Hi + ` ELSE da.hi END AS dst_hi,
	       CASE WHEN r.dst > 0 THEN ` + ipv4Lo("r.dst") + ` ELSE da.lo END AS dst_lo,
	       r.src AS src_code, r.dst AS dst_code
	FROM event_rows r
	JOIN shapes s ON s.id = r.shape
	JOIN sources o ON o.id = r.origin
	LEFT JOIN addrs sa ON sa.id = -r.src
	LEFT JOIN addrs da ON da.id = -r.dst
	LEFT JOIN extras x ON x.id = r.extra;
CREATE OR REPLACE VIEW denied AS
	SELECT * FROM events WHERE verdict IN ('deny', 'drop');
`

// columns lists the events view's columns in order; the reader selects the
// first 41 (the event's fields) in this order.
var columns = []string{
	"time", "source", "category", "emitter", "emitter_id", "protocol",
	"src_ip", "src_port", "dst_ip", "dst_port", "icmp_type", "direction", "verdict",
	"rule_name", "rule_raw", "rule_acl", "rule_policy", "rule_collection_group", "rule_collection",
	"rule_signature", "rule_threat_intel", "rule_default", "rule_reason",
	"nat_kind", "nat_ip", "nat_port", "flow_state",
	"packets_sent", "bytes_sent", "packets_recv", "bytes_recv",
	"fqdn", "url", "http_status", "caller", "aggregate", "count", "detail",
	"origin_key", "origin_record", "origin_tuple",
	"src_hi", "src_lo", "dst_hi", "dst_lo", "src_code", "dst_code",
}

// ipv4Text renders the IPv4 address stored as col (address + 1) as text.
func ipv4Text(col string) string {
	v := "(" + col + " - 1)"
	return "printf('%d.%d.%d.%d', (" + v + " >> 24) & 255, (" + v + " >> 16) & 255, (" + v + " >> 8) & 255, " + v + " & 255)"
}

// ipv4Hi is filter.AddrKey's high half of every IPv4 address (::ffff:0:0/96
// has a zero high half; the sign bit is flipped).
const ipv4Hi = "(-9223372036854775807 - 1)"

// ipv4Lo is filter.AddrKey's low half of the IPv4 address stored as col:
// (0xffff << 32 | v4) with the sign bit flipped, which for a value below
// 2^63 is the value minus 2^63.
func ipv4Lo(col string) string {
	return "(" + col + " - 1 + 281470681743360 - 9223372036854775807 - 1)"
}

// eventColumns is the reader's select list: the first 41 columns, detail
// read back as its JSON text (the driver would decode a JSON column into Go
// maps).
var eventColumns = func() []string {
	c := append([]string(nil), columns[:41]...)
	for i, n := range c {
		if n == "detail" {
			c[i] = "CAST(detail AS VARCHAR) AS detail"
		}
	}
	return c
}()
