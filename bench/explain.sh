#!/usr/bin/env bash
# bench/explain.sh: `pathproof explain` against `pathproof events` with the
# same 5-tuple filter, on the same generated input (the ingest benchmark's
# VNet flow-log set plus Azure Firewall logs), in the same run. Both read
# every file once; explain keeps only the flow's events (plan.Keep, the
# one-shot filtered load) and tallies every event per emitter and minute
# (to prove logging was alive), then correlates. The target: explain within
# 1.2x the time of events, memory flat in the input size. Prints wall and
# CPU seconds, the ratio, and peak RSS at each size.
#
#   bash bench/explain.sh                   # 1 M and 2 M tuples
#   SIZES="200000" bash bench/explain.sh    # quick check
#   RUNS=3 ...                              # best of N runs per tool
#   KEEP=1 ...                              # keep the generated data
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SIZES=${SIZES:-"1000000 2000000"}
RUNS=${RUNS:-3}
OUT=${BENCH_OUT:-bench/out/explain}
mkdir -p "$OUT/bin"
go build -o "$OUT/bin/pathproof" ./cmd/pathproof
need_time

# best LABEL CMD...: runs CMD RUNS times under time -v and sets WALL CPU
# RSS_MB from the fastest run (the machine is shared; the best run is the
# one least disturbed).
best() {
	local label=$1; shift
	WALL="" CPU="" RSS_MB=""
	for r in $(seq "$RUNS"); do
		/usr/bin/time -v "$@" >"$OUT/$label.out" 2>"$OUT/$label.time" || true
		local w c m
		w=$(wall_s "$OUT/$label.time"); c=$(cpu_s "$OUT/$label.time")
		m=$(rss_kb "$OUT/$label.time" | awk '{printf "%.0f", $1/1024}')
		if [ -z "$WALL" ] || awk -v a="$w" -v b="$WALL" 'BEGIN {exit !(a < b)}'; then
			WALL=$w CPU=$c RSS_MB=$m
		fi
	done
}

printf '%-9s %-6s %-8s %8s %8s %8s\n' TUPLES MB TOOL WALL_S CPU_S RSS_MB
for n in $SIZES; do
	data="$OUT/data-$n"
	if [ ! -f "$data/.done" ]; then
		rm -rf "$data"
		"$OUT/bin/pathproof" generate logs --out "$data" --tuples "$n" --nsg-tuples 0 --firewall $((n / 20)) --nics 64 --hours 4 --seed 11 >/dev/null
		touch "$data/.done"
	fi
	mb=$(du -sm "$data" | cut -f1)
	# The flow to explain: the first tuple of the first flow-log blob.
	first=$(find "$data" -path '*flowlogflowevent*' -name PT1H.json -print -quit)
	set +o pipefail
	tuple=$(grep -o '"[0-9]\{13\},[^"]*"' "$first" | head -1 | tr -d '"')
	set -o pipefail
	IFS=, read -r ts src dst sport dport _ <<<"$tuple"
	at=$(date -u -d "@$((ts / 1000))" +%Y-%m-%dT%H:%M:%SZ)
	to="$dst:$dport"
	case "$dst" in *:*) to="[$dst]:$dport" ;; esac

	best "events-$n" "$OUT/bin/pathproof" events --logs "$data" \
		--src "$src" --dst "$dst" --src-port "$sport" --port "$dport" --proto tcp --limit 0 -o jsonl
	ev_wall=$WALL ev_cpu=$CPU ev_rss=$RSS_MB
	best "explain-$n" "$OUT/bin/pathproof" explain --logs "$data" --from "$src" --to "$to" --at "$at" -o json
	ex_wall=$WALL ex_cpu=$CPU ex_rss=$RSS_MB
	verdict=$(grep -o '"verdict": "[^"]*"' "$OUT/explain-$n.out" | head -1)

	printf '%-9s %-6s %-8s %8.2f %8.2f %8s\n' "$n" "$mb" events "$ev_wall" "$ev_cpu" "$ev_rss"
	printf '%-9s %-6s %-8s %8.2f %8.2f %8s\n' "$n" "$mb" explain "$ex_wall" "$ex_cpu" "$ex_rss"
	awk -v a="$ex_wall" -v b="$ev_wall" -v ca="$ex_cpu" -v cb="$ev_cpu" 'BEGIN {printf "ratio explain/events: %.2fx wall, %.2fx CPU (target <= 1.2x)\n", a/b, ca/cb}'
	echo "flow $src:$sport -> $dst:$dport tcp: events matched $(wc -l <"$OUT/events-$n.out"), explain $verdict"
	[ -n "${KEEP:-}" ] || rm -rf "$data"
done
