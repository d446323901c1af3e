#!/usr/bin/env bash
# kill -9 a follower at random points, many times (issue #13): runs
# TestKill9 of internal/follow with PATHPROOF_FOLLOW_KILLS (default 50)
# followers killed with SIGKILL at random moments while Azurite's blobs
# grow, each restarted from its checkpoint with its output appended to the
# same file; the test fails unless that file holds exactly the events of a
# full read of the finished blobs (no gap, no repeat). Prints the seed, the
# kills and the events compared.
# Usage: bench/follow-kill.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
PATH=$PATH:$PWD/.tools/node_modules/.bin
export PATHPROOF_FOLLOW_KILLS=${1:-50}
out=$(go test -count=1 -timeout 60m -run '^TestKill9$' -v ./internal/follow 2>&1) || { echo "$out" | tail -40; exit 1; }
echo "$out" | grep -E 'seed|kills|SKIP|PASS|FAIL|ok|missing|repeated'
# A skipped test (no Azurite on PATH) proves nothing.
if echo "$out" | grep -q -- '--- SKIP'; then echo "TestKill9 was skipped: put azurite-blob on PATH" >&2; exit 1; fi
