#!/usr/bin/env bash
# Hostile inputs of at most 1 MB against every YAML and JSON entry point
# (issue #18): each must be accepted or refused within 1 s and 100 MB.
# Prints, per input: size, exit code, wall time, peak RSS and the first
# line of the message. Needs /usr/bin/time (GNU time).
# Usage: bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/pathproof" ./cmd/pathproof
py() { python3 -c "$1" > "$2"; }
M=1000000
py "n=$M//2-6; print('topology: '+'['*n+']'*n)" "$dir/brackets.yaml"
py "n=$M//2-16; print('test_groups: '+'['*n+']'*n)" "$dir/brackets-monitor.yaml"
py "
import sys
out=['vnets:']
i=0
while sum(len(l)+1 for l in out) < $M - 2000:
    out.append(' '*(i+2)+'- k:'); i+=1
print('\n'.join(out))" "$dir/block.yaml"
py "
print('l0: &l0 x')
for i in range(1,12): print('l%d: &l%d [%s]' % (i,i,', '.join(['*l%d'%(i-1)]*10)))" "$dir/laughs.yaml"
py "print('vnets:\n'+''.join('  - {name: v%d, address_space: [10.%d.%d.0/24]}\n' % (i,(i//256)%256,i%256) for i in range(18000)))" "$dir/wide.yaml"
py "print('vnets:\n'+''.join('  - {name: v%d, address_space: [10.%d.%d.0/24]}\n' % (i,(i//256)%256,i%256) for i in range(3800)))" "$dir/wide-ok.yaml"
printf 'test_groups:\n  - name: w\n    destinations: [{address: 10.0.0.4}]\n    test_configurations:\n      - name: h\n        protocol: http\n        http:\n          valid_status_code_ranges: !x\n          path: /\n' > "$dir/custom-tag-monitor.yaml"
py "n=$M//2-10; print('{\"vnets\":'+'['*n+']'*n+'}')" "$dir/brackets.json"
py "n=$M//2-10; print('{\"value\":'+'['*n+']'*n+'}')" "$dir/arm.json"
py "n=$M//2-40; print('{\"format_version\":\"1.0\",\"values\":'+'{\"a\":'*(n//5)+'1'+'}'*(n//5)+'}')" "$dir/tf.json"
py "import json; print(json.dumps({'value':[{'id':'/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v%d'%i,'type':'Microsoft.Network/virtualNetworks','name':'v%d'%i,'properties':{'addressSpace':{'addressPrefixes':['10.%d.%d.0/24'%((i//256)%256,i%256)]}}} for i in range(4500)]}))" "$dir/wide-arm.json"
run() {
  local name=$1; shift
  local f=$dir/$name size
  size=$(stat -c %s "$f")
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$@" > "$dir/out" 2>&1
  local rc=$?
  set -e
  read -r secs usr sys kb < <(tail -1 "$dir/time")
  printf '%-24s %8d B  exit %d  %5.2f s wall %5.2f s cpu  %4d MB  %s\n' "$name" "$size" "$rc" "$secs" "$(echo "$usr + $sys" | bc)" $((kb/1024)) "$(head -c 110 "$dir/out" | head -1)"
}
for f in brackets.yaml block.yaml laughs.yaml wide.yaml wide-ok.yaml brackets.json arm.json tf.json wide-arm.json; do
  run "$f" "$dir/pathproof" routes --topology "$dir/$f" --subnet nope/nope
done
for f in brackets-monitor.yaml custom-tag-monitor.yaml laughs.yaml; do
  run "$f" "$dir/pathproof" monitor --once --listen off --config "$dir/$f"
done
run brackets.yaml "$dir/pathproof" check "$dir/brackets.yaml"
