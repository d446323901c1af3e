package cli

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
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

// printedCommand finds a pathproof command line a demo printed: after "$ ",
// or after two spaces or ": " (drill-downs in tables, advice in prose).
var printedCommand = regexp.MustCompile(`(?m)(?:^\$ |  |: |^)pathproof ([^\n]+)$`)

// TestDemoCommandsRunAsPrinted runs each demo in a fresh directory with the
// default --out, then runs every command it printed, word for word, after
// the demo has finished: the data they name must still be there. Commands
// exit 0 or 4, except those that fail on purpose (the network-watcher's
// check, the trace stories), which exit as they did in the demo, and
// explain, which exits 1 for a verdict that is a failure.
func TestDemoCommandsRunAsPrinted(t *testing.T) {
	for _, d := range demoTable() {
		if d.Name == "probe" || d.Name == "monitor" {
			continue // their servers stop with the demo (TestDemoLabGone)
		}
		t.Run(d.Name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, out, errOut := run("demo", d.Name)
			if code != ExitOK && code != ExitFailed {
				t.Fatalf("demo exit %d\n%s\n%s", code, out, errOut)
			}
			if !strings.Contains(out, "The demo's data stays in "+filepath.Join("pathproof-demo", d.Name)) {
				t.Errorf("the demo does not say where its data stays:\n%s", out)
			}
			cmds := printedCommand.FindAllStringSubmatch(out, -1)
			if len(cmds) == 0 {
				t.Fatalf("the demo printed no command:\n%s", out)
			}
			for _, m := range cmds {
				args, err := shellWords(m[1])
				if err != nil {
					t.Fatalf("%s: %v", m[1], err)
				}
				want := []int{ExitOK, ExitPartial}
				switch args[0] {
				case "check", "trace":
					want = []int{code}
				case "explain":
					want = append(want, ExitFailed) // a verdict that is a failure (dropped, ...)
				}
				if got, rout, rerr := run(args...); !slices.Contains(want, got) {
					t.Errorf("pathproof %s: exit %d, want one of %v\n%s%s", m[1], got, want, rout, rerr)
				}
			}
		})
	}
}

// TestDemoLabGone: the probe and monitor demos print commands against
// servers that stop with the demo, and say so.
func TestDemoLabGone(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, name := range []string{"probe", "monitor"} {
		code, out, errOut := run("demo", name)
		if code != ExitFailed || !strings.Contains(out, "servers stopped with it") {
			t.Errorf("demo %s: exit %d\n%s\n%s", name, code, out, errOut)
		}
	}
}

// shellWords splits a command line that textutil.ShellJoin quoted: words
// separated by spaces, '...' quoted, \' an escaped quote.
func shellWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quoted, escaped := false, false, false
	for _, r := range line {
		switch {
		case escaped:
			w.WriteRune(r)
			escaped = false
		case quoted && r == '\'':
			quoted = false
		case quoted:
			w.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == '\\':
			escaped, inWord = true, true
		case r == ' ':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted || escaped {
		return nil, fmt.Errorf("unterminated quote or escape")
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}
