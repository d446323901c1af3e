#!/usr/bin/env bash
# Following logs as Azure writes them (issue #13): Azurite on loopback, 1,000
# flow-log blocks committed the way Azure commits them (one block per
# record, the closing block moved) over 25 NIC blobs at 25 blocks a second
# while `pathproof events --follow` runs. Prints the latency from each
# commit to the first line of its events (p50, p99, max; target p99 within
# 2 s), the follower's CPU per record against the one-shot `events --logs`
# over the same blobs, and, after a restart from the checkpoint, the blob
# bytes downloaded against the bytes appended while it was stopped (target:
# equal). Figures in docs/PERFORMANCE.md (Follow).
# -auth key (default: the Azurite account key, every request signed) or
# -auth sas (a container SAS URL, as users give --logs) for both readers.
# Usage: bench/follow.sh [-auth key|sas] [-blocks N] [-restart-blocks N] [-nics N] [-rate N] [-tuples N]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
tmp=$(mktemp -d)
trap 'stop_azurite; rm -rf "$tmp"' EXIT
go build -o "$tmp/pathproof" ./cmd/pathproof
go build -o "$tmp/followbench" ./internal/follow/followbench
start_azurite
"$tmp/followbench" -bin "$tmp/pathproof" -conn "$AZURITE_CONN" "$@"
