#!/usr/bin/env bash
# bench/logs-ingest.sh: pathproof's log ingest plus a 5-tuple filter query,
# against DuckDB's own SQL path (read_json + unnest + string_split, driven by
# bench/duckjson through the same duckdb-go driver) over the same generated
# VNet flow log blobs, in the same run. pathproof runs twice: a one-shot
# query (in-memory store; the filter is pushed into the load) and a full
# ingest into a --db file followed by the same query. Prints tuples/s (wall
# and per CPU second) for each, the ratios, and peak RSS, at two sizes to
# show how memory grows with input. Wall times suffer on a shared machine;
# tuples per CPU second is the steadier figure.
#
#   bash bench/logs-ingest.sh                 # 2 M and 14.5 M tuples (≥ 1 GB)
#   SIZES="200000" bash bench/logs-ingest.sh  # quick check
#   KEEP=1 ...                                # keep the generated data
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SIZES=${SIZES:-"2000000 14500000"}
OUT=${BENCH_OUT:-bench/out/logs-ingest}
mkdir -p "$OUT/bin"
go build -o "$OUT/bin/pathproof" ./cmd/pathproof
go build -o "$OUT/bin/duckjson" ./bench/duckjson
need_time

# measure LABEL CMD...: runs CMD under time -v, sets WALL CPU RSS_MB.
measure() {
	local label=$1; shift
	/usr/bin/time -v "$@" >"$OUT/$label.out" 2>"$OUT/$label.time"
	WALL=$(wall_s "$OUT/$label.time")
	CPU=$(cpu_s "$OUT/$label.time")
	RSS_MB=$(rss_kb "$OUT/$label.time" | awk '{printf "%.0f", $1/1024}')
}

printf '%-10s %-9s %-9s %9s %9s %12s %12s %8s\n' TUPLES MB TOOL WALL_S CPU_S TUPLES/S TUPLES/CPU_S RSS_MB
for n in $SIZES; do
	data="$OUT/data-$n"
	if [ ! -f "$data/.done" ]; then
		rm -rf "$data"
		"$OUT/bin/pathproof" generate logs --out "$data" --tuples "$n" --nsg-tuples 0 --firewall 0 --nics 64 --hours 4 --seed 11 >/dev/null
		touch "$data/.done"
	fi
	mb=$(du -sm "$data" | cut -f1)
	# The 5-tuple to look for: the first tuple of the first blob.
	first=$(find "$data" -name PT1H.json -print -quit)
	set +o pipefail
	tuple=$(grep -o '"[0-9]\{13\},[^"]*"' "$first" | head -1 | tr -d '"')
	set -o pipefail
	IFS=, read -r _ src dst sport dport _ <<<"$tuple"

	# One-shot query: the filter is pushed into the load (in-memory store).
	measure "pathproof-$n" "$OUT/bin/pathproof" events --logs "$data" \
		--src "$src" --dst "$dst" --src-port "$sport" --port "$dport" --proto tcp --limit 0 -o jsonl
	pp_wall=$WALL pp_cpu=$CPU pp_rss=$RSS_MB
	pp_match=$(wc -l <"$OUT/pathproof-$n.out")
	# Full ingest into a DuckDB file, then the same query.
	rm -f "$OUT/pp.duckdb" "$OUT/pp.duckdb.wal"
	measure "pathproof-db-$n" "$OUT/bin/pathproof" events --logs "$data" --db "$OUT/pp.duckdb" \
		--src "$src" --dst "$dst" --src-port "$sport" --port "$dport" --proto tcp --limit 0 -o jsonl
	db_wall=$WALL db_cpu=$CPU db_rss=$RSS_MB
	db_match=$(wc -l <"$OUT/pathproof-db-$n.out")
	tuples=$("$OUT/bin/pathproof" sql --db "$OUT/pp.duckdb" "SELECT count(*) FROM event_rows" -o jsonl | grep -o '[0-9]\+' | tail -1)

	measure "duckdb-$n" "$OUT/bin/duckjson" -dir "$data" -src "$src" -dst "$dst" -src-port "$sport" -dst-port "$dport"
	dk_wall=$WALL dk_cpu=$CPU dk_rss=$RSS_MB
	dk_tuples=$(grep -o '"tuples":[0-9]*' "$OUT/duckdb-$n.out" | cut -d: -f2)
	dk_match=$(grep -o '"matches":[0-9]*' "$OUT/duckdb-$n.out" | cut -d: -f2)

	awk -v n="$tuples" -v mb="$mb" -v w="$pp_wall" -v c="$pp_cpu" -v r="$pp_rss" 'BEGIN {printf "%-10d %-9d %-9s %9.2f %9.2f %12.0f %12.0f %8d\n", n, mb, "pathproof", w, c, n/w, n/c, r}'
	awk -v n="$tuples" -v mb="$mb" -v w="$db_wall" -v c="$db_cpu" -v r="$db_rss" 'BEGIN {printf "%-10d %-9d %-9s %9.2f %9.2f %12.0f %12.0f %8d\n", n, mb, "pp --db", w, c, n/w, n/c, r}'
	awk -v n="$dk_tuples" -v mb="$mb" -v w="$dk_wall" -v c="$dk_cpu" -v r="$dk_rss" 'BEGIN {printf "%-10d %-9d %-9s %9.2f %9.2f %12.0f %12.0f %8d\n", n, mb, "duckdb", w, c, n/w, n/c, r}'
	awk -v a="$dk_wall" -v b="$pp_wall" -v ca="$dk_cpu" -v cb="$pp_cpu" 'BEGIN {printf "ratio pathproof/duckdb (one-shot query): %.2fx wall, %.2fx per CPU second\n", a/b, ca/cb}'
	awk -v a="$dk_wall" -v b="$db_wall" -v ca="$dk_cpu" -v cb="$db_cpu" 'BEGIN {printf "ratio pathproof/duckdb (full ingest, --db): %.2fx wall, %.2fx per CPU second\n", a/b, ca/cb}'
	echo "5-tuple $src:$sport -> $dst:$dport tcp: pathproof matched $pp_match (--db $db_match), duckdb $dk_match"
	[ "$tuples" = "$dk_tuples" ] || echo "WARNING: tuple counts differ (pathproof $tuples, duckdb $dk_tuples)"
	[ -n "${KEEP:-}" ] || rm -rf "$data"
	rm -f "$OUT/pp.duckdb" "$OUT/pp.duckdb.wal"
done
