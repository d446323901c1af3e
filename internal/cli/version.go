package cli

import (
	"runtime/debug"
	"strings"
)

// Version is stamped by `make build` from `git describe --tags --always
// --dirty` (-ldflags "-X github.com/pathproof/pathproof/internal/cli.Version=...").
// Empty, the build information Go records says what was built.
var Version = ""

// version is what --version prints: the stamped version, else the module
// version of `go install ...@vX`, with the commit the binary was built
// from (and "+dirty" for uncommitted changes) when Go recorded it.
func version() string {
	bi, _ := debug.ReadBuildInfo()
	return describeVersion(Version, bi)
}

// describeVersion builds the --version text from the stamp and the build
// information (nil when the binary has none).
func describeVersion(stamp string, bi *debug.BuildInfo) string {
	v := stamp
	var rev, modified, when string
	if bi != nil {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			case "vcs.time":
				when = s.Value
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "+dirty"
	}
	if strings.Contains(v, rev[:7]) {
		return v // git describe already names the commit
	}
	extra := "commit " + rev
	if when != "" {
		extra += ", " + when
	}
	return v + " (" + extra + ")"
}
