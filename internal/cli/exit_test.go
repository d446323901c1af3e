package cli

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// einvalReader fails every read the way a file can: read X: invalid
// argument (EINVAL).
type einvalReader struct{}

func (einvalReader) Read([]byte) (int, error) {
	return 0, &os.PathError{Op: "read", Path: "capture.pcap", Err: syscall.EINVAL}
}

// TestExitCodeByType: an error's type decides the exit code, never its
// text. A file whose read fails with EINVAL ("invalid argument") is a
// failure (exit 1) without a pointer to --help; a bad command line exits
// 2.
func TestExitCodeByType(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name     string
		args     []string
		want     int
		wantErr  string
		wantHelp bool
	}{
		{"read fails with EINVAL", []string{"pcap", "-"}, ExitFailed, "invalid argument", false},
		{"a folder instead of a capture", []string{"pcap", dir}, ExitFailed, "is a directory", false},
		{"unknown flag", []string{"pcap", "--bogus", "x.pcap"}, ExitUsage, "unknown flag: --bogus", false},
		{"bad flag value", []string{"probe", "example.com", "--count", "many"}, ExitUsage, `invalid argument "many"`, false},
		{"missing argument", []string{"pcap"}, ExitUsage, "accepts 1 arg(s), received 0", true},
		{"unknown command", []string{"pcapp", "x.pcap"}, ExitUsage, `unknown command "pcapp"`, true},
	}
	for _, c := range cases {
		var o, e strings.Builder
		code := Main(c.args, einvalReader{}, &o, &e)
		if code != c.want || !strings.Contains(e.String(), c.wantErr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", c.name, code, e.String(), c.want, c.wantErr)
		}
		if got := strings.Contains(e.String(), "--help"); got != c.wantHelp {
			t.Errorf("%s: points to --help: %v, want %v (stderr %q)", c.name, got, c.wantHelp, e.String())
		}
	}
}
