#!/usr/bin/env bash
# bench/store-query.sh: a 5-tuple and one-hour question on a large --db
# store (issue #16, target 3). Generates VNet flow logs with
# `pathproof generate logs` (the logs-ingest shape, over more hours), loads
# all of them into a DuckDB file through pathproof's own parsers and loader
# (timing the load: peak RSS, wall, CPU), then asks, RUNS times, each in a
# new process:
#
#   pathproof events --db F --src A --dst B --port P --proto tcp --since H --until H+1h [-o json]
#
# for a tuple of a blob in the middle hour, and prints DuckDB's own time
# for the query (EXPLAIN ANALYZE) and how many row groups the hour touches.
# On a shared machine, keep other benchmarks from overlapping it (e.g. run it under flock).
#
#   bash bench/store-query.sh                          # 100 M events over 28 hours (7.1 GB of logs, 2.4 GB store)
#   TUPLES=2000000 HOURS=4 bash bench/store-query.sh   # quick check
#   KEEP=1 ...                                         # keep the logs and the store
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
TUPLES=${TUPLES:-100000000}
HOURS=${HOURS:-28}
NICS=${NICS:-64}
RUNS=${RUNS:-5}
OUT=${BENCH_OUT:-bench/out/store-query}
mkdir -p "$OUT/bin"
go build -o "$OUT/bin/pathproof" ./cmd/pathproof
need_time
pp=$OUT/bin/pathproof

data="$OUT/data-$TUPLES-$HOURS"
if [ ! -f "$data/.done" ]; then
	rm -rf "$data"
	"$pp" generate logs --out "$data" --tuples "$TUPLES" --nsg-tuples 0 --firewall 0 --nics "$NICS" --hours "$HOURS" --seed 11 >/dev/null
	touch "$data/.done"
fi
db="$OUT/store-$TUPLES-$HOURS.duckdb"
if [ ! -f "$db.done" ]; then
	rm -f "$db" "$db.wal"
	/usr/bin/time -v "$pp" sql --logs "$data" --db "$db" "SELECT count(*) FROM event_rows" -o jsonl >"$OUT/load.out" 2>"$OUT/load.time"
	touch "$db.done"
	printf 'load: %s events, %.2f s wall, %.2f CPU-s, peak RSS %d MB, store %d MB\n' \
		"$(grep -o '[0-9]\+' "$OUT/load.out" | tail -1)" "$(wall_s "$OUT/load.time")" "$(cpu_s "$OUT/load.time")" \
		"$(($(rss_kb "$OUT/load.time") / 1024))" "$(($(stat -c %s "$db") / 1048576))"
fi

# The question: the 500th IPv4 tuple of the first blob of the middle hour.
start=$(date -u -d "2026-01-15T09:00:00Z + $((HOURS / 2)) hours" +%Y-%m-%dT%H:00:00Z)
until=$(date -u -d "$start + 1 hour" +%Y-%m-%dT%H:00:00Z)
folder=$(date -u -d "$start" +'y=%Y/m=%m/d=%d/h=%H')
blob=$(find "$data" -path "*$folder/*" -name PT1H.json | sort | head -1)
set +o pipefail
tuple=$(grep -o '"[0-9]\{13\},10\.[^"]*"' "$blob" | sed -n 500p | tr -d '"')
set -o pipefail
IFS=, read -r _ src dst _ dport _ <<<"$tuple"
q=(events --db "$db" --src "$src" --dst "$dst" --port "$dport" --proto tcp --since "$start" --until "$until")
echo "question: ${q[*]:3}"

for o in table json; do
	for i in $(seq "$RUNS"); do
		/usr/bin/time -v "$pp" "${q[@]}" -o "$o" >"$OUT/q-$o.out" 2>"$OUT/q-$o.time"
		printf '%-6s run %d: %.2f s wall, %.2f CPU-s, peak RSS %d MB, %d lines\n' "$o" "$i" \
			"$(wall_s "$OUT/q-$o.time")" "$(cpu_s "$OUT/q-$o.time")" "$(($(rss_kb "$OUT/q-$o.time") / 1024))" "$(wc -l <"$OUT/q-$o.out")"
	done
done

# DuckDB's own time and what the scan passes on, for the SQL the filter compiles to.
where=$("$pp" "${q[@]}" --print-filter | head -1 | sed 's/^WHERE //')
mapfile -t args < <("$pp" "${q[@]}" --print-filter | sed -n 's/^  \$[0-9]* = //p')
for a in "${args[@]}"; do
	# A quoted literal takes the type of what it is compared with.
	case $a in
	[0-9-]*T*Z) v="TIMESTAMPTZ '$a'" ;;
	*) v="'$a'" ;;
	esac
	where=${where/\?/$v}
done
"$pp" sql --db "$db" "EXPLAIN (ANALYZE, FORMAT json) SELECT count(*) FROM events WHERE $where" -o json |
	python3 -c '
import json, sys
plan = json.loads(json.load(sys.stdin)[0]["explain_value"])
print("DuckDB latency: %.3f s" % plan["latency"])
def walk(n):
    info = n.get("extra_info", {})
    if str(info.get("Table", "")).endswith("event_rows"):
        print("event_rows scan: %s rows out, %.3f s, filters: %s" % (n["operator_cardinality"], n["operator_timing"], info.get("Filters")))
    for c in n.get("children", []):
        walk(c)
walk(plan)'
"$pp" sql --db "$db" "SELECT count(DISTINCT row_group_id) AS row_groups,
	count(DISTINCT row_group_id) FILTER (WHERE stats LIKE '%Min: $(date -u -d "$start" '+%Y-%m-%d %H')%' OR stats LIKE '%Max: $(date -u -d "$start" '+%Y-%m-%d %H')%') AS touching_the_hour
	FROM pragma_storage_info('event_rows') WHERE column_name = 'time' AND segment_type <> 'VALIDITY'"
[ -n "${KEEP:-}" ] || rm -rf "$data" "$db" "$db.wal" "$db.done"
