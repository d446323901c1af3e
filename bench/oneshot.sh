#!/usr/bin/env bash
# bench/oneshot.sh: a one-shot question from files (no --db) against
# DuckDB's direct streaming query over the same files, in the same run.
# pathproof: `events --logs DIR --src A --dst B --port P --proto tcp --limit 0`
# (the filter applied while parsing, on both cores). Peer: bench/duckjson
# -stream, one SQL query (read_json → unnest records/flows/groups/tuples →
# string_split → the filter, count(*)), no table. Both must count the same
# matches. Two shapes:
#
#   flow   bench/flowgen: R flow-log resources × N NICs × H hours, T_MIN–T_MAX
#          tuples per minute record (default 24 × 3 × 2, 150–450: ~2.6 M
#          tuples in 144 PT1H.json blobs); the question: a NIC → a busy
#          destination on 443.
#   ingest the logs-ingest benchmark's set (`pathproof generate logs`,
#          64 NICs × 4 hours, SIZE tuples); the question: the 5-tuple of
#          its first tuple.
#
# Prints best-of-RUNS wall (2 cores), CPU seconds and peak RSS per tool,
# then the ratios (wall; per CPU-second). Runs the two tools back to back,
# alternating, so a busy machine hurts both alike.
#
#   bash bench/oneshot.sh                       # both shapes
#   SHAPES=flow RUNS=5 bash bench/oneshot.sh
#   RESOURCES=24 NICS=3 HOURS=2 T_MIN=150 T_MAX=450 SIZE=14500000 ...
#   KEEP=1 ...                                  # keep the generated data
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SHAPES=${SHAPES:-"flow ingest"}
RUNS=${RUNS:-3}
RESOURCES=${RESOURCES:-24} NICS=${NICS:-3} HOURS=${HOURS:-2} T_MIN=${T_MIN:-150} T_MAX=${T_MAX:-450}
SIZE=${SIZE:-14500000}
OUT=${BENCH_OUT:-bench/out/oneshot}
mkdir -p "$OUT/bin"
go build -o "$OUT/bin/pathproof" ./cmd/pathproof
go build -o "$OUT/bin/duckjson" ./bench/duckjson
go build -o "$OUT/bin/flowgen" ./bench/flowgen
need_time

# run1 LABEL CMD...: one run under time -v; keeps the best (lowest wall)
# of LABEL's runs in BEST_<LABEL>_{WALL,CPU,RSS}.
declare -A BW BC BR
run1() {
	local label=$1; shift
	/usr/bin/time -v "$@" >"$OUT/$label.out" 2>"$OUT/$label.time" || { cat "$OUT/$label.time" >&2; exit 1; }
	local w c m
	w=$(wall_s "$OUT/$label.time"); c=$(cpu_s "$OUT/$label.time")
	m=$(rss_kb "$OUT/$label.time" | awk '{printf "%.0f", $1/1024}')
	if [ -z "${BW[$label]:-}" ] || awk -v a="$w" -v b="${BW[$label]}" 'BEGIN {exit !(a < b)}'; then
		BW[$label]=$w BC[$label]=$c BR[$label]=$m
	fi
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %-10s %-6s %-10s %8s %8s %8s %8s\n' SHAPE TUPLES MB TOOL WALL_S CPU_S RSS_MB MATCHES
for shape in $SHAPES; do
	case $shape in
	flow)
		data="$OUT/flow-$RESOURCES-$NICS-$HOURS-$T_MIN-$T_MAX"
		if [ ! -f "$data/.done" ]; then
			rm -rf "$data"
			"$OUT/bin/flowgen" -out "$data" -resources "$RESOURCES" -nics "$NICS" -hours "$HOURS" -min "$T_MIN" -max "$T_MAX" >"$data.json"
			touch "$data/.done"
		fi
		src=$(grep -o '"src":"[^"]*"' "$data.json" | cut -d'"' -f4)
		dst=$(grep -o '"dst":"[^"]*"' "$data.json" | cut -d'"' -f4)
		sport="" dport=443
		;;
	ingest)
		data="$OUT/ingest-$SIZE"
		if [ ! -f "$data/.done" ]; then
			rm -rf "$data"
			"$OUT/bin/pathproof" generate logs --out "$data" --tuples "$SIZE" --nsg-tuples 0 --firewall 0 --nics 64 --hours 4 --seed 11 >/dev/null
			touch "$data/.done"
		fi
		first=$(find "$data" -name PT1H.json -print -quit)
		set +o pipefail
		tuple=$(grep -o '"[0-9]\{13\},[^"]*"' "$first" | head -1 | tr -d '"')
		set -o pipefail
		IFS=, read -r _ src dst sport dport _ <<<"$tuple"
		;;
	*) echo "unknown shape $shape" >&2; exit 2 ;;
	esac
	mb=$(du -sm "$data" | cut -f1)
	pp=("$OUT/bin/pathproof" events --logs "$data" --src "$src" --dst "$dst" --port "$dport" --proto tcp --limit 0 -o jsonl)
	dk=("$OUT/bin/duckjson" -stream -dir "$data" -src "$src" -dst "$dst" -dst-port "$dport")
	if [ -n "$sport" ]; then
		pp+=(--src-port "$sport")
		dk+=(-src-port "$sport")
	fi
	for r in $(seq "$RUNS"); do
		run1 "pp-$shape" "${pp[@]}"
		run1 "duck-$shape" "${dk[@]}"
	done
	pm=$(wc -l <"$OUT/pp-$shape.out")
	dm=$(grep -o '"matches":[0-9]*' "$OUT/duck-$shape.out" | cut -d: -f2)
	tuples=$(grep -o '"tuples":[0-9]*' "$OUT/duck-$shape.out" | cut -d: -f2)
	printf '%-7s %-10s %-6s %-10s %8.2f %8.2f %8s %8s\n' "$shape" "$tuples" "$mb" pathproof "${BW[pp-$shape]}" "${BC[pp-$shape]}" "${BR[pp-$shape]}" "$pm"
	printf '%-7s %-10s %-6s %-10s %8.2f %8.2f %8s %8s\n' "$shape" "$tuples" "$mb" duckdb "${BW[duck-$shape]}" "${BC[duck-$shape]}" "${BR[duck-$shape]}" "$dm"
	awk -v s="$shape" -v a="${BW[duck-$shape]}" -v b="${BW[pp-$shape]}" -v ca="${BC[duck-$shape]}" -v cb="${BC[pp-$shape]}" -v ra="${BR[duck-$shape]}" -v rb="${BR[pp-$shape]}" \
		'BEGIN {printf "ratio %s pathproof/duckdb: %.2fx wall, %.2fx per CPU-second; RSS %.2fx of duckdb'"'"'s (target: >= 3x wall, RSS <= 1x)\n", s, a/b, ca/cb, rb/ra}'
	[ "$pm" = "$dm" ] || echo "WARNING: $shape: pathproof matched $pm, duckdb $dm"
	[ -n "${KEEP:-}" ] || rm -rf "$data" "$data.json"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
