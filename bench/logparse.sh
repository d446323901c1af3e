#!/usr/bin/env bash
# Log parsing speed: pathproof's VNet flow-log reader against jq extracting
# the same tuples from the same files, in the same run.
#
#   BENCH_TUPLES=2000000 BENCH_NICS=8 bash bench/logparse.sh
#
# Prints tuples/s for each (wall clock and per CPU-second), the ratio, and
# peak memory (max RSS from /usr/bin/time -v, and pathproof's Go heap).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
TUPLES=${BENCH_TUPLES:-2000000}
NICS=${BENCH_NICS:-8}
CPUS=${BENCH_CPUS:-1}
work=$(mktemp -d /tmp/pp-logparse.XXXXXX)
trap 'rm -rf "$work"' EXIT

go build -o "$work/pathproof" ./cmd/pathproof
go test -c -o "$work/logs.test" ./internal/logs

timed() { # timed OUTFILE CMD...: runs CMD under /usr/bin/time -v if present
	local out=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$out" "$@"
	else
		"$@"
		: >"$out"
	fi
}

gen_start=$(date +%s.%N)
timed "$work/gen.time" "$work/pathproof" generate logs --out "$work/logs" --tuples "$TUPLES" --nics "$NICS" --nsg-tuples 0 --firewall 0 >/dev/null
gen_end=$(date +%s.%N)
bytes=$(du -sb "$work/logs" | cut -f1)
gen_rss=$(rss_kb "$work/gen.time")
echo "input: $TUPLES VNet flow tuples, $NICS NICs, $((bytes / 1000000)) MB; generated in $(echo "$gen_start $gen_end" | awk '{printf "%.1f", $2-$1}') s, max RSS $(( ${gen_rss:-0} / 1024 )) MB"

# pathproof: ReadAll over the folder, GOMAXPROCS=$CPUS.
PATHPROOF_BENCH_LOGS="$work/logs" timed "$work/pp.time" "$work/logs.test" \
	-test.run '^$' -test.bench '^BenchmarkReadDir$' -test.benchtime 1x -test.cpu "$CPUS" >"$work/pp.out"
pp_line=$(grep BenchmarkReadDir "$work/pp.out")
pp_rate=$(echo "$pp_line" | awk '{for(i=1;i<=NF;i++) if($(i+1)=="events/s") print $i}')
pp_cpu=$(echo "$pp_line" | awk '{for(i=1;i<=NF;i++) if($(i+1)=="events/cpu-s") print $i}')
pp_heap=$(echo "$pp_line" | awk '{for(i=1;i<=NF;i++) if($(i+1)=="peak-heap-MB") print $i}')
pp_rss=$(rss_kb "$work/pp.time")

# Peer: jq printing every tuple string (one process per blob batch).
start=$(date +%s.%N)
timed "$work/jq.time" bash -c "find '$work/logs' -name PT1H.json -print0 | xargs -0 jq -r '.records[].flowRecords.flows[].flowGroups[].flowTuples[]' | wc -l >'$work/jq.count'"
end=$(date +%s.%N)
jq_n=$(cat "$work/jq.count")
jq_user=$(field "User time" "$work/jq.time")
jq_sys=$(field "System time" "$work/jq.time")
jq_rss=$(rss_kb "$work/jq.time")
jq_rate=$(echo "$jq_n $start $end" | awk '{printf "%.0f", $1/($3-$2)}')
jq_cpu=$(echo "$jq_n ${jq_user:-0} ${jq_sys:-0}" | awk '{ if ($2+$3 > 0) printf "%.0f", $1/($2+$3); else print "n/a" }')

if [ "$jq_n" != "$TUPLES" ]; then
	echo "jq extracted $jq_n tuples, expected $TUPLES" >&2
	exit 1
fi
printf '%-10s %14s %16s %12s %14s\n' tool tuples/s tuples/cpu-s maxRSS-MB go-heap-MB
printf '%-10s %14.0f %16.0f %12s %14s\n' pathproof "$pp_rate" "$pp_cpu" "$(( ${pp_rss:-0} / 1024 ))" "$pp_heap"
printf '%-10s %14.0f %16s %12s %14s\n' jq "$jq_rate" "$jq_cpu" "$(( ${jq_rss:-0} / 1024 ))" "-"
echo "$pp_rate $jq_rate $pp_cpu $jq_cpu" | awk '{printf "ratio pathproof/jq: %.1fx wall, %.1fx per CPU-second\n", $1/$2, ($4=="n/a"?0:$3/$4)}'
echo "(pathproof GOMAXPROCS=$CPUS; jq single-threaded per process; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
