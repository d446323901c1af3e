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
