#!/usr/bin/env bash
# Path trace speed: 10,000 traces (both legs, every check, NAT, findings) on
# the model benchmark's generated hub-and-spoke network (internal/topology/
# topogen: 1,000 spokes, 11,003 subnets, 50,001 NICs, Azure Firewall, a VPN
# gateway), against the in-run peer: the raw effective-route lookups the
# same traces need (azure engine next hop), so the ratio shows what the hop
# model costs on top of routing.
#
#   BENCH_SPOKES=1000 BENCH_TRACES=10000 bash bench/trace.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SPOKES=${BENCH_SPOKES:-1000}
TRACES=${BENCH_TRACES:-10000}
CPUS=${BENCH_CPUS:-1}
work=$(mktemp -d /tmp/pp-trace.XXXXXX)
trap 'rm -rf "$work"' EXIT

go test -c -o "$work/trace.test" ./internal/trace
PATHPROOF_BENCH_SPOKES="$SPOKES" "$work/trace.test" -test.run '^$' \
	-test.bench '^(BenchmarkTrace|BenchmarkNextHopBaseline)$' -test.benchtime "${TRACES}x" \
	-test.benchmem -test.cpu "$CPUS" >"$work/out"
metric() { awk -v b="$1" -v u="$2" '$1 ~ "^"b"(-[0-9]+)?$" {for(i=1;i<=NF;i++) if($(i+1)==u) print $i}' "$work/out"; }
tr_us=$(metric BenchmarkTrace 'µs/trace')
tr_cpu=$(metric BenchmarkTrace 'cpu-µs/trace')
nh_cpu=$(metric BenchmarkNextHopBaseline 'cpu-µs/trace')
tr_alloc=$(metric BenchmarkTrace 'B/op')
tr_build=$(metric BenchmarkTrace 'build-ms')
nh_us=$(metric BenchmarkNextHopBaseline 'µs/trace')
echo "network: topogen hub + $SPOKES spokes (10 subnets x 5 NICs each, Azure Firewall, VPN gateway, $SPOKES GatewaySubnet UDRs); engine build ${tr_build} ms"
echo "flows: $TRACES traces; 2 in 3 spoke→spoke through the firewall (both legs), 1 in 3 on-prem→spoke (denied at the firewall)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) (wall time suffers under load; CPU time per trace does not)"
printf '%-26s %14s %14s %10s\n' what wall-µs/trace cpu-µs/trace B/trace
printf '%-26s %14s %14s %10s\n' "pathproof trace" "$tr_us" "$tr_cpu" "$tr_alloc"
printf '%-26s %14s %14s %10s\n' "next-hop lookups only" "$nh_us" "$nh_cpu" "0"
echo "$tr_cpu $nh_cpu" | awk '{ if ($2 > 0) printf "ratio trace/lookups (CPU): %.1fx; ", $1/$2; printf "target < 100 µs/trace (CPU): %s\n", ($1 < 100 ? "met" : "MISSED") }'
