package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkScenario is a small valid scenario whose one query passes.
const checkScenario = `schema: pathproof.scenario/v1
id: small
topology:
  vnets:
    - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.1.0/24}]}
  nics: [{name: n1, subnet: v/s, ip: 10.0.1.4}]
queries:
  - id: q1
    kind: next_hop
    input: {nic: n1, destination_ip: 10.0.1.5}
    expect: {next_hop_type: VnetLocal}
`

func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckRejectsWhatIsNotAScenario: a file that is not a valid scenario
// is a usage error (exit 2) naming the file (and line), and nothing runs.
func TestCheckRejectsWhatIsNotAScenario(t *testing.T) {
	good := writeFile(t, "good.yaml", checkScenario)
	cases := []struct {
		name  string
		files []string
		want  []string
	}{
		{"junk", []string{writeFile(t, "junk.yaml", "hello: world\n")}, []string{"junk.yaml: not a scenario file"}},
		{"monitor config", []string{writeFile(t, "monitor.yaml", "tests:\n  - {name: x, target: 127.0.0.1:1}\n")}, []string{"monitor.yaml: not a scenario file"}},
		{"bare topology", []string{writeFile(t, "topo.yaml", "vnets:\n  - {name: v, address_space: [10.0.0.0/16]}\n")}, []string{"topo.yaml: not a scenario file"}},
		{"no queries", []string{writeFile(t, "empty.yaml", "schema: pathproof.scenario/v1\nid: e\n")}, []string{"empty.yaml: no queries"}},
		{"misspelled key", []string{writeFile(t, "typo.yaml", strings.Replace(checkScenario, "expect:", "expcet:", 1))}, []string{`typo.yaml:11:5: unknown key "expcet" in queries[0] (q1)`}},
		{"unknown kind", []string{writeFile(t, "kind.yaml", strings.Replace(checkScenario, "kind: next_hop", "kind: next_hopp", 1))}, []string{`kind.yaml:9:11: queries[0] (q1): unknown query kind "next_hopp" (known kinds: `, "next_hop, nsg_diagnostics"}},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.yaml")}, []string{"nope.yaml: no such file"}},
		{"one bad of two", []string{good, writeFile(t, "junk2.yaml", "hello: world\n")}, []string{"1 of 2 scenario files are not valid, nothing was run:\n", "junk2.yaml: not a scenario file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(append([]string{"check"}, c.files...)...)
			if code != ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("something ran:\n%s", out)
			}
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

func TestCheckPassesAValidScenario(t *testing.T) {
	code, out, errs := run("check", writeFile(t, "good.yaml", checkScenario))
	if code != ExitOK || !strings.Contains(out, "1 passed, 0 failed, 0 skipped") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// TestCheckOutcome: skipped queries never look like success unless
// --allow-skips says so, and a run that checked nothing is a failure.
func TestCheckOutcome(t *testing.T) {
	for _, c := range []struct {
		pass, fail, skip int
		allow            bool
		want             int
	}{
		{3, 0, 0, false, ExitOK},
		{3, 1, 0, false, ExitFailed},
		{3, 1, 2, true, ExitFailed},
		{3, 0, 2, false, ExitPartial},
		{3, 0, 2, true, ExitOK},
		{0, 0, 2, false, ExitFailed},
		{0, 0, 2, true, ExitOK},
	} {
		err := checkOutcome(c.pass, c.fail, c.skip, c.allow)
		if got := ExitCode(err); got != c.want {
			t.Errorf("%+v: exit %d, want %d (%v)", c, got, c.want, err)
		}
		if c.pass == 0 && c.skip > 0 && !c.allow && (err == nil || !strings.Contains(err.Error(), "no query was checked (2 queries skipped")) {
			t.Errorf("all skipped: %v", err)
		}
	}
	var ee *ExitError
	if err := checkOutcome(0, 0, 1, false); !errors.As(err, &ee) || !strings.Contains(err.Error(), "(1 query skipped") {
		t.Errorf("one skipped: %v", err)
	}
}

// TestMultiLineErrorsKeepLineBreaks: an error listing several problems
// prints one per line, each escaped, not a literal \n.
func TestMultiLineErrorsKeepLineBreaks(t *testing.T) {
	bad := writeFile(t, "bad-topo.yaml", "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n    subnets:\n      - {name: a, prefix: 10.9.0.0/24, nsg: \"x\\e[31m\"}\n")
	code, _, errs := run("routes", "-t", bad, "--subnet", "hub/a")
	if code != ExitFailed {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "invalid topology (2 problem(s)):") || !strings.Contains(lines[1], "bad-topo.yaml:5:") {
		t.Errorf("want a heading and a line per problem:\n%s", errs)
	}
	if strings.Contains(errs, `\n`) || strings.Contains(errs, "\x1b") || !strings.Contains(errs, `x\x1b[31m`) {
		t.Errorf("not escaped line by line: %q", errs)
	}
}
