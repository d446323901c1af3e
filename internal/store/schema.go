package store

// schemaVersion is stored in the meta table; a database written by a
// different schema version is refused rather than misread.
const schemaVersion = "1"

// ddl creates the store's tables and views. events has one column per
// event.Event field (see docs/events.md); src_hi/src_lo/dst_hi/dst_lo are
// the order-preserving address keys of filter.AddrKey that CIDR filters
// compile to. sources remembers, per origin key, how many records are
// loaded, so a re-read of a blob adds only the records appended since.
const ddl = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS events (
	time                  TIMESTAMPTZ NOT NULL,
	source                VARCHAR NOT NULL,
	category              VARCHAR,
	emitter               VARCHAR,
	emitter_id            VARCHAR,
	protocol              VARCHAR,
	src_ip                VARCHAR,
	src_port              INTEGER NOT NULL,
	dst_ip                VARCHAR,
	dst_port              INTEGER NOT NULL,
	icmp_type             INTEGER,
	direction             VARCHAR,
	verdict               VARCHAR NOT NULL,
	rule_name             VARCHAR,
	rule_raw              VARCHAR,
	rule_acl              VARCHAR,
	rule_policy           VARCHAR,
	rule_collection_group VARCHAR,
	rule_collection       VARCHAR,
	rule_signature        VARCHAR,
	rule_threat_intel     VARCHAR,
	rule_default          BOOLEAN NOT NULL,
	rule_reason           VARCHAR,
	nat_kind              VARCHAR,
	nat_ip                VARCHAR,
	nat_port              INTEGER,
	flow_state            VARCHAR,
	packets_sent          BIGINT NOT NULL,
	bytes_sent            BIGINT NOT NULL,
	packets_recv          BIGINT NOT NULL,
	bytes_recv            BIGINT NOT NULL,
	fqdn                  VARCHAR,
	url                   VARCHAR,
	http_status           INTEGER,
	caller                VARCHAR,
	aggregate             BOOLEAN NOT NULL,
	count                 BIGINT NOT NULL,
	detail                JSON,
	origin_key            VARCHAR NOT NULL,
	origin_record         INTEGER NOT NULL,
	origin_tuple          INTEGER NOT NULL,
	src_hi                BIGINT,
	src_lo                BIGINT,
	dst_hi                BIGINT,
	dst_lo                BIGINT
);
CREATE TABLE IF NOT EXISTS sources (
	origin_key VARCHAR PRIMARY KEY,
	records    INTEGER NOT NULL,
	events     BIGINT NOT NULL,
	loaded_at  TIMESTAMPTZ NOT NULL
);
CREATE OR REPLACE VIEW denied AS
	SELECT * FROM events WHERE verdict IN ('deny', 'drop');
CREATE OR REPLACE VIEW conversations AS
	SELECT coalesce(protocol, '') AS protocol, src_ip, src_port,
	       coalesce(dst_ip, fqdn, emitter, '') AS dst, dst_port,
	       min(time) AS first_seen, max(time) AS last_seen, count(*) AS events,
	       string_agg(DISTINCT verdict, ',' ORDER BY verdict) AS verdicts,
	       string_agg(DISTINCT source, ',' ORDER BY source) AS sources
	FROM events
	GROUP BY ALL;
`

// columns lists the events columns in table order; the loader appends
// values in this order and the reader selects them in this order.
var columns = []string{
	"time", "source", "category", "emitter", "emitter_id", "protocol",
	"src_ip", "src_port", "dst_ip", "dst_port", "icmp_type", "direction", "verdict",
	"rule_name", "rule_raw", "rule_acl", "rule_policy", "rule_collection_group", "rule_collection",
	"rule_signature", "rule_threat_intel", "rule_default", "rule_reason",
	"nat_kind", "nat_ip", "nat_port", "flow_state",
	"packets_sent", "bytes_sent", "packets_recv", "bytes_recv",
	"fqdn", "url", "http_status", "caller", "aggregate", "count", "detail",
	"origin_key", "origin_record", "origin_tuple",
	"src_hi", "src_lo", "dst_hi", "dst_lo",
}
