package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestSummary: go test's non-verbose lines (ok/FAIL, failed tests with
// their subtests, build errors) come through, and skips, including
// subtests of a parent that passed, are summed up by reason.
// testdata/mixed.jsonl is `go test -json` of a package with a passing,
// a skipped, a failing test and a parent whose subtests all skip, and of
// a package that does not build.
func TestSummary(t *testing.T) {
	f, err := os.Open("testdata/mixed.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	s := newSummary(&out)
	if err := s.read(f); err != nil {
		t.Fatal(err)
	}
	s.printSkips()
	testenv.Golden(t, "testdata/mixed.golden", out.Bytes())
}

func TestSkipReason(t *testing.T) {
	for _, tc := range []struct {
		body []string
		want string
	}{
		{[]string{"    testenv.go:45: shared reference data not found at /x"}, "shared reference data not found at /x"},
		{[]string{"    a_test.go:3: setting up", "    azurite.go:20: azurite not found", ""}, "azurite not found"},
		{nil, "(no reason given)"},
	} {
		if got := skipReason(tc.body); got != tc.want {
			t.Errorf("skipReason(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestRunKeepsTheExitCode: make test fails exactly when go test does.
func TestRunKeepsTheExitCode(t *testing.T) {
	for _, tc := range []struct {
		script string
		code   int
		last   string
	}{
		{`printf '%s\n' '{"Action":"output","Package":"p","Output":"ok  \tp\t0.1s\n"}'`, 0, "ok  \tp\t0.1s"},
		{`printf '%s\n' '{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}'; exit 1`, 1, "FAIL"},
		{`exit 2`, 2, "FAIL"},
	} {
		var out bytes.Buffer
		if code := run([]string{"sh", "-c", tc.script}, &out); code != tc.code {
			t.Errorf("%s: exit %d, want %d", tc.script, code, tc.code)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if lines[len(lines)-1] != tc.last {
			t.Errorf("%s: last line %q, want %q", tc.script, lines[len(lines)-1], tc.last)
		}
	}
}
