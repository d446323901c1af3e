#!/usr/bin/env bash
# bench/pcap-short.sh: a capture of many short connections (a busy front
# end, a health-probe storm, a port scan): `pathproof pcap` (report and
# -o json) against `tshark -n -q -z conv,tcp` on the same file, in the same
# run, best of RUNS, the tools alternating. bench/pcapgen -short writes
# CONNS TCP connections of about 7 packets (handshake, a PAYLOAD-byte
# non-TLS payload each way on 443/80/1433/3389, FIN exchange), UNANSWERED
# percent unanswered SYNs, RESET percent answered by RST, LIVE open at once
# (defaults: 135,000 connections, ~1 M packets, 5 % and 5 %, 500 live).
# Outputs go to /dev/null (the JSON is ~95 MB: writing it to a file would
# time the disk); the connection counts come from a separate run. Then
# pathproof's peak RSS at 1/2, 1 and 2 times the connections, to show it
# is flat in the connections the file holds.
#
#   bash bench/pcap-short.sh
#   CONNS=135000 LIVE=500 UNANSWERED=5 RESET=5 PAYLOAD=200 RUNS=3 bash bench/pcap-short.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
CONNS=${CONNS:-135000} LIVE=${LIVE:-500} UNANSWERED=${UNANSWERED:-5} RESET=${RESET:-5} PAYLOAD=${PAYLOAD:-200}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/pp-pcapshort.XXXXXX)
trap 'rm -rf "$work"' EXIT
need_time
command -v tshark >/dev/null || { echo "needs tshark (apt-get install -y tshark)" >&2; exit 1; }
go build -o "$work/pathproof" ./cmd/pathproof
go build -o "$work/pcapgen" ./bench/pcapgen

gen() { # gen CONNS FILE: writes the capture, prints its packet count
	"$work/pcapgen" -short -conns "$1" -live "$LIVE" -unanswered "$UNANSWERED" -reset "$RESET" -payload "$PAYLOAD" -o "$2" 2>"$work/gen.err"
	awk '{for(i=1;i<=NF;i++) if($(i+1)=="packets,") print $i}' "$work/gen.err"
}

declare -A BW BC BR
best() { # best LABEL CMD...: one run; keeps LABEL's fastest
	local label=$1; shift
	/usr/bin/time -v -o "$work/$label.time" "$@" >/dev/null 2>"$work/$label.err" || { cat "$work/$label.err" >&2; exit 1; }
	local w c m
	w=$(wall_s "$work/$label.time"); c=$(cpu_s "$work/$label.time"); m=$(rss_kb "$work/$label.time")
	if [ -z "${BW[$label]:-}" ] || awk -v a="$w" -v b="${BW[$label]}" 'BEGIN {exit !(a < b)}'; then
		BW[$label]=$w BC[$label]=$c BR[$label]=$((m / 1024))
	fi
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
packets=$(gen "$CONNS" "$work/short.pcap")
echo "input: $packets packets, $CONNS connections, $(($(stat -c %s "$work/short.pcap") / 1000000)) MB"
for r in $(seq "$RUNS"); do
	best report "$work/pathproof" pcap "$work/short.pcap"
	best json "$work/pathproof" pcap -o json "$work/short.pcap"
	best tshark tshark -n -q -z conv,tcp -r "$work/short.pcap"
done
pp_conns=$("$work/pathproof" pcap -o json "$work/short.pcap" | grep -c '^    {' || true)
ts_conns=$(tshark -n -q -z conv,tcp -r "$work/short.pcap" 2>/dev/null | grep -c '<->' || true)
printf '%-16s %8s %8s %8s %12s\n' tool wall_s cpu_s rss_MB packets/s
for t in report json tshark; do
	awk -v t="$t" -v w="${BW[$t]}" -v c="${BC[$t]}" -v m="${BR[$t]}" -v n="$packets" 'BEGIN {printf "%-16s %8.2f %8.2f %8d %12.0f\n", t, w, c, m, n/w}'
done
for t in report json; do
	awk -v t="$t" -v w="${BW[$t]}" -v c="${BC[$t]}" -v tw="${BW[tshark]}" -v tc="${BC[tshark]}" -v m="${BR[$t]}" -v tm="${BR[tshark]}" \
		'BEGIN {printf "ratio tshark/pathproof (%s): %.1fx wall, %.1fx per CPU-second; RSS %d MB vs %d MB (targets: >= 10x wall, <= 100 MB)\n", t, tw/w, tc/c, m, tm}'
done
echo "connections: pathproof $pp_conns, tshark $ts_conns TCP conversations"

# Memory against the connections in the file: 1/2, 1 and 2 times CONNS,
# same live connections and shape.
for q in 1 2 4; do
	n=$((CONNS * q / 2))
	gen "$n" "$work/mem.pcap" >/dev/null
	unset 'BW[mr]' 'BW[mj]'
	best mr "$work/pathproof" pcap "$work/mem.pcap"
	best mj "$work/pathproof" pcap -o json "$work/mem.pcap"
	echo "pathproof on $n connections: max RSS ${BR[mr]} MB (report), ${BR[mj]} MB (-o json)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
