// Command duckjson is the peer of bench/logs-ingest.sh: DuckDB's own SQL
// path over VNet flow log blobs (read_json + unnest + string_split), through
// the same duckdb-go driver pathproof links. It loads every tuple into a
// table with the 5-tuple columns, runs one 5-tuple filter query and prints
// the tuple count, the match count and the elapsed time as one JSON line.
// With -stream it builds no table: one streaming query over the files
// counts the tuples and the matches (bench/oneshot.sh's peer: what a user
// who knows SQL would type for a one-off question).
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	dir := flag.String("dir", "", "folder holding the generated insights-logs-flowlogflowevent tree")
	src := flag.String("src", "", "5-tuple filter: source IP")
	dst := flag.String("dst", "", "5-tuple filter: destination IP")
	sport := flag.Int("src-port", 0, "5-tuple filter: source port")
	dport := flag.Int("dst-port", 0, "5-tuple filter: destination port")
	threads := flag.Int("threads", runtime.NumCPU(), "DuckDB threads")
	stream := flag.Bool("stream", false, "no table: one streaming count query over the files")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "duckjson: -dir is required")
		os.Exit(2)
	}
	run := run
	if *stream {
		run = runStream
	}
	if err := run(*dir, *src, *dst, *sport, *dport, *threads); err != nil {
		fmt.Fprintln(os.Stderr, "duckjson:", err)
		os.Exit(1)
	}
}

// load is DuckDB's idiomatic path: read the blobs as JSON, unnest records,
// ACLs, rule groups and tuples, split each tuple on commas and cast.
const load = `
CREATE TABLE tuples AS
WITH r AS (SELECT unnest(records) AS rec FROM read_json(?, format = 'auto', maximum_object_size = 1073741824, union_by_name = true)),
     f AS (SELECT rec.macAddress AS mac, unnest(rec.flowRecords.flows) AS fl FROM r),
     g AS (SELECT mac, fl.aclID AS acl, unnest(fl.flowGroups) AS grp FROM f),
     t AS (SELECT mac, acl, grp.rule AS rule, string_split(unnest(grp.flowTuples), ',') AS p FROM g)
SELECT to_timestamp(CAST(p[1] AS BIGINT) / 1000.0) AS time, p[2] AS src_ip, p[3] AS dst_ip,
       CAST(p[4] AS INTEGER) AS src_port, CAST(p[5] AS INTEGER) AS dst_port, CAST(p[6] AS INTEGER) AS protocol,
       p[7] AS direction, p[8] AS flow_state, p[9] AS encryption,
       TRY_CAST(p[10] AS BIGINT) AS packets_sent, TRY_CAST(p[11] AS BIGINT) AS bytes_sent,
       TRY_CAST(p[12] AS BIGINT) AS packets_recv, TRY_CAST(p[13] AS BIGINT) AS bytes_recv,
       mac, acl, rule
FROM t`

func run(dir, src, dst string, sport, dport, threads int) error {
	ctx := context.Background()
	db, err := openDB(ctx, threads)
	if err != nil {
		return err
	}
	defer db.Close()
	glob := filepath.Join(dir, "**", "*.json")
	start := time.Now()
	if _, err := db.ExecContext(ctx, load, glob); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	var tuples, matches int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM tuples").Scan(&tuples); err != nil {
		return err
	}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM tuples WHERE src_ip = ? AND dst_ip = ? AND src_port = ? AND dst_port = ? AND protocol = 6`,
		src, dst, sport, dport).Scan(&matches)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return report(tuples, matches, start)
}

// streamQuery is the direct query: the same unnest and split, the filter
// on the split fields (a port of 0 is not filtered), both counts in one
// pass, no table.
const streamQuery = `
WITH r AS (SELECT unnest(records) AS rec FROM read_json(?, format = 'auto', maximum_object_size = 1073741824, union_by_name = true)),
     f AS (SELECT unnest(rec.flowRecords.flows) AS fl FROM r),
     g AS (SELECT unnest(fl.flowGroups) AS grp FROM f),
     t AS (SELECT string_split(unnest(grp.flowTuples), ',') AS p FROM g)
SELECT count(*), count(*) FILTER (WHERE p[2] = ? AND p[3] = ? AND (? = 0 OR CAST(p[4] AS INTEGER) = ?) AND (? = 0 OR CAST(p[5] AS INTEGER) = ?) AND p[6] = '6')
FROM t`

func runStream(dir, src, dst string, sport, dport, threads int) error {
	ctx := context.Background()
	db, err := openDB(ctx, threads)
	if err != nil {
		return err
	}
	defer db.Close()
	glob := filepath.Join(dir, "**", "*.json")
	start := time.Now()
	var tuples, matches int64
	if err := db.QueryRowContext(ctx, streamQuery, glob, src, dst, sport, sport, dport, dport).Scan(&tuples, &matches); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return report(tuples, matches, start)
}

// openDB opens an in-memory DuckDB on one connection with threads threads.
func openDB(ctx context.Context, threads int) (*sql.DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// report prints the counts and the time since start as one JSON line.
func report(tuples, matches int64, start time.Time) error {
	elapsed := time.Since(start)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"tuples": tuples, "matches": matches, "seconds": elapsed.Seconds(),
		"tuples_per_second": float64(tuples) / elapsed.Seconds(),
	})
}
