#!/usr/bin/env bash
# Capture diagnosis speed: `pathproof pcap` against `tshark -q -z conv,tcp`
# on the same synthetic capture, in the same run.
#
#   BENCH_PACKETS=1000000 BENCH_LIVE=2000 bash bench/pcap.sh
#
# bench/pcapgen writes the capture: BENCH_LIVE TCP connections open at once
# (HTTP and TLS, some retransmissions, resets, refused and unanswered SYNs)
# plus DNS lookups. Prints packets/s for each tool, wall clock and per
# CPU-second, the ratio, and peak memory (max RSS from /usr/bin/time -v).
# pathproof then runs on three captures with about the same number of
# connections but 1x, 1/2 and 1/4 of the packets, and on three with the
# same live connections but 1/4, 1/2 and 1x the connections in the file
# (default report and -o json), to show that memory follows the live
# connections, not the packets or the connections in the file.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
PACKETS=${BENCH_PACKETS:-1000000}
LIVE=${BENCH_LIVE:-2000}
work=$(mktemp -d /tmp/pp-pcapbench.XXXXXX)
trap 'rm -rf "$work"' EXIT

need_time
command -v tshark >/dev/null || { echo "needs tshark (apt-get install -y tshark)" >&2; exit 1; }

go build -o "$work/pathproof" ./cmd/pathproof
go run ./bench/pcapgen -packets "$PACKETS" -live "$LIVE" -o "$work/bench.pcap" 2>"$work/gen0.err"
cat "$work/gen0.err" >&2
# pcapgen writes at least the packets asked for: count what it wrote.
PACKETS=$(awk '{for(i=1;i<=NF;i++) if($(i+1)=="packets,") print $i}' "$work/gen0.err")
size=$(stat -c %s "$work/bench.pcap")
echo "input: $PACKETS packets, $LIVE live connections, $((size / 1000000)) MB"

measure() { # measure NAME CMD...: prints "name wall cpu rssKB"
	local name=$1
	shift
	/usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
		echo "$name failed:" >&2
		cat "$work/$name.err" >&2
		exit 1
	}
	echo "$name $(wall_s "$work/$name.time") $(cpu_s "$work/$name.time") $(rss_kb "$work/$name.time")"
}

pp=$(measure pathproof "$work/pathproof" pcap "$work/bench.pcap")
ts=$(measure tshark tshark -q -z conv,tcp -r "$work/bench.pcap")

# Both must have read every packet.
"$work/pathproof" pcap -o json "$work/bench.pcap" >"$work/pp.json"
pp_n=$(awk -F': ' '/^  "packets"/ {gsub(",","",$2); print $2; exit}' "$work/pp.json")
ts_n=$(grep -c '<->' "$work/tshark.out" || true)
if [ "$pp_n" != "$PACKETS" ]; then
	echo "pathproof read $pp_n packets, expected $PACKETS" >&2
	exit 1
fi

printf '%-10s %12s %14s %10s %12s\n' tool packets/s packets/cpu-s wall-s maxRSS-MB
for row in "$pp" "$ts"; do
	echo "$row" | awk -v n="$PACKETS" '{printf "%-10s %12.0f %14.0f %10.2f %12.0f\n", $1, n/$2, n/$3, $2, $4/1024}'
done
echo "$pp $ts" | awk '{printf "ratio (pathproof/tshark): %.1fx wall clock, %.1fx per CPU-second; memory %.2fx\n", $6/$2, $7/$3, $4/$8}'
echo "tshark listed $ts_n TCP conversations"

# Memory against packets: about the same number of connections, spread
# over 4x, 2x and 1x the packets (longer connections).
for r in 4 2 1; do
	n=$((PACKETS * r / 4))
	go run ./bench/pcapgen -packets "$n" -live "$LIVE" -rounds "$r" -o "$work/mem.pcap" 2>"$work/gen.err"
	conns=$(awk '{for(i=1;i<=NF;i++) if($(i+1)=="connections,") print $i}' "$work/gen.err")
	row=$(measure "pathproof_r$r" "$work/pathproof" pcap "$work/mem.pcap")
	echo "$row" | awk -v n="$n" -v c="$conns" '{printf "pathproof on %8d packets, %6d connections: max RSS %4.0f MB\n", n, c, $4/1024}'
done

# Memory against connections in the file: the same live connections and
# connection length, 1/4, 1/2 and 1x the packets, so 1/4, 1/2 and 1x the
# connections.
for q in 1 2 4; do
	n=$((PACKETS * q / 4))
	go run ./bench/pcapgen -packets "$n" -live "$LIVE" -o "$work/conns.pcap" 2>"$work/gen.err"
	conns=$(awk '{for(i=1;i<=NF;i++) if($(i+1)=="connections,") print $i}' "$work/gen.err")
	human=$(measure "pathproof_c$q" "$work/pathproof" pcap "$work/conns.pcap")
	json=$(measure "pathproof_cj$q" "$work/pathproof" pcap -o json "$work/conns.pcap")
	echo "$human $json" | awk -v n="$n" -v c="$conns" '{printf "pathproof on %8d packets, %6d connections: max RSS %4.0f MB (report), %4.0f MB (-o json)\n", n, c, $4/1024, $8/1024}'
done
