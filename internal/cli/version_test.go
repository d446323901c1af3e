package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "4b7b458c0ffee0123456789abcdef0123456789a"
	for _, tc := range []struct {
		name  string
		stamp string
		bi    *debug.BuildInfo
		want  string
	}{
		{"no information", "", nil, "dev"},
		{"go run in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "dev (commit 4b7b458c0ffe, 2026-12-01T10:00:00Z)"},
		{"dirty tree", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "dev (commit 4b7b458c0ffe+dirty, 2026-12-01T10:00:00Z)"},
		{"go install @v0.4.0", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, "v0.4.0"},
		{"make build, git describe", "v0.4.0-3-g4b7b458-dirty", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "v0.4.0-3-g4b7b458-dirty"},
		{"make build, no tags", "4b7b458", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "4b7b458"},
	} {
		if got := describeVersion(tc.stamp, tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionFlag: --version prints what version() says, never an empty
// version.
func TestVersionFlag(t *testing.T) {
	code, out, _ := run("--version")
	if code != 0 || !strings.HasPrefix(out, "pathproof version ") || strings.TrimSpace(strings.TrimPrefix(out, "pathproof version ")) != version() {
		t.Errorf("exit %d: %q (version() = %q)", code, out, version())
	}
}
