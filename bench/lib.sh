# bench/lib.sh: reading /usr/bin/time -v reports, shared by the bench
# scripts (source it after cd to the repository root).

# need_time exits unless /usr/bin/time (GNU time, for -v) is installed.
need_time() {
	[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
}

# field NAME FILE prints the value of the line NAME in the time -v report
# FILE; nothing when the line or the file is missing.
field() { awk -F': ' -v k="$1" 'index($0, k) {print $2}' "$2" 2>/dev/null || true; }

# wall_s FILE: elapsed wall-clock seconds ("h:mm:ss" or "m:ss.ss").
wall_s() { field "Elapsed (wall clock)" "$1" | awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s}'; }

# cpu_s FILE: user + system seconds.
cpu_s() { echo "$(field "User time" "$1") $(field "System time" "$1")" | awk '{print $1 + $2}'; }

# rss_kb FILE: maximum resident set size in KB.
rss_kb() { field "Maximum resident set size" "$1"; }

# start_azurite starts a blob-only Azurite on a free loopback port, in
# memory, waits until it listens, and sets AZURITE_PID and AZURITE_CONN
# (the connection string of its well-known development account). Stop it
# with stop_azurite.
start_azurite() {
	local bin port
	bin=$(command -v azurite-blob || echo "$PWD/.tools/node_modules/.bin/azurite-blob")
	[ -x "$bin" ] || { echo "needs azurite-blob on PATH or in .tools (.ci/run installs azurite@3.35.0)" >&2; exit 1; }
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	AZURITE_DIR=$(mktemp -d)
	(cd "$AZURITE_DIR" && exec "$bin" --skipApiVersionCheck --disableTelemetry --inMemoryPersistence --blobHost 127.0.0.1 --blobPort "$port" >/dev/null 2>&1) &
	AZURITE_PID=$!
	local up=
	for _ in $(seq 600); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { up=1; break; }
		sleep 0.1 # readiness poll: until Azurite listens
	done
	[ -n "$up" ] || { echo "azurite did not start listening on $port" >&2; exit 1; }
	local key=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
	AZURITE_CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
}

# stop_azurite stops the Azurite start_azurite started (by its process id).
stop_azurite() {
	[ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null || true
	[ -n "${AZURITE_DIR:-}" ] && rm -rf "$AZURITE_DIR"
}

# The benchmarks build pathproof as `make build` does: with duckdb-go's
# Arrow interface (the duckdb_arrow build tag), which the --db loader uses.
export GOFLAGS="-tags=duckdb_arrow ${GOFLAGS:-}"
