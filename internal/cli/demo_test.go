package cli

import (
	"strings"
	"testing"
)

// TestDemoFlags: a demo refuses flags it does not have and formats it
// cannot print, with a usage error, before running anything.
func TestDemoFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"demo", "logs", "--bogus-flag"}, "unknown flag: --bogus-flag"},
		{"unknown flag before the name", []string{"demo", "--bogus-flag", "network-watcher"}, "unknown flag: --bogus-flag"},
		{"tables-only demo", []string{"demo", "keyvault-denied", "-o", "json"}, "prints tables only"},
		{"tables-only demo", []string{"demo", "network-watcher", "-o", "json"}, "prints tables only"},
		{"format the demo lacks", []string{"demo", "pcap", "-o", "svg"}, `"svg" is not one of table, json`},
		{"tour with a format", []string{"demo", "-o", "json"}, "applies to one demo"},
		{"two names", []string{"demo", "logs", "pcap"}, "accepts at most 1 arg"},
		{"unknown demo", []string{"demo", "nope"}, `no demo "nope"`},
	}
	for _, c := range cases {
		code, out, errOut := run(c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%s %v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.name, c.args, code, out, errOut, ExitUsage, c.want)
		}
	}
}

// TestDemoList: every demo is listed with the formats it accepts.
func TestDemoList(t *testing.T) {
	code, out, errOut := run("demo", "--list")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, d := range demoTable() {
		want := d.Name + " "
		if !strings.Contains(out, want) {
			t.Errorf("--list lacks %s:\n%s", d.Name, out)
		}
	}
	if !strings.Contains(out, "table,json,mermaid,dot,svg") {
		t.Errorf("--list does not show the trace demos' formats:\n%s", out)
	}
}
