package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/textutil"
)

// event is one line of `go test -json` (cmd/test2json), with the build
// events of go 1.24 and later (ImportPath, Action build-output).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// test is the output of one test or subtest, kept until it ends.
type test struct {
	header   string   // "--- FAIL: TestX (0.01s)"
	body     []string // its own log lines
	children []*test  // subtests, in the order they started
	failed   bool
}

// summary turns a stream of events into go test's non-verbose output and
// counts skipped tests by reason.
type summary struct {
	w     io.Writer
	tests map[string]*test // key: package + " " + test name
	skips map[string]int   // reason -> tests and subtests skipped
}

func newSummary(w io.Writer) *summary {
	return &summary{w: w, tests: map[string]*test{}, skips: map[string]int{}}
}

// read consumes the event stream. Lines that are not JSON events (output
// of a command that is not go test -json) are printed as they are.
func (s *summary) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			fmt.Fprintln(s.w, sc.Text())
			continue
		}
		s.handle(e)
	}
	return sc.Err()
}

func (s *summary) handle(e event) {
	if e.Action == "build-output" {
		fmt.Fprint(s.w, e.Output)
		return
	}
	if e.Test == "" {
		// Package lines: ok, FAIL, "? pkg [no test files]", panics outside
		// a test; a bare PASS is printed only with -v.
		if e.Action == "output" && e.Output != "PASS\n" {
			fmt.Fprint(s.w, e.Output)
		}
		return
	}
	key := e.Package + " " + e.Test
	t := s.tests[key]
	if t == nil {
		t = &test{}
		s.tests[key] = t
		if i := strings.LastIndexByte(e.Test, '/'); i >= 0 {
			if parent := s.tests[e.Package+" "+e.Test[:i]]; parent != nil {
				parent.children = append(parent.children, t)
			}
		}
	}
	switch e.Action {
	case "output":
		line := strings.TrimRight(e.Output, "\n")
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "=== "):
		case strings.HasPrefix(trimmed, "--- "):
			t.header = trimmed
		default:
			t.body = append(t.body, line)
		}
	case "skip":
		s.skips[skipReason(t.body)]++
	case "fail":
		t.failed = true
		if !strings.Contains(e.Test, "/") {
			s.printFailed(t, 0)
		}
	}
	if e.Action == "pass" || e.Action == "skip" || (e.Action == "fail" && !strings.Contains(e.Test, "/")) {
		s.forget(e.Package, e.Test)
	}
}

// printFailed prints a failed test as go test does without -v: its
// header, its log lines, then its failed subtests, indented per level.
func (s *summary) printFailed(t *test, depth int) {
	pad := strings.Repeat("    ", depth)
	if t.header != "" {
		fmt.Fprintln(s.w, pad+t.header)
	}
	for _, l := range t.body {
		fmt.Fprintln(s.w, pad+l)
	}
	for _, c := range t.children {
		if c.failed {
			s.printFailed(c, depth+1)
		}
	}
}

// forget drops a finished top-level test and its subtests, or a finished
// subtest that passed or skipped (a failed one is printed with its parent).
func (s *summary) forget(pkg, name string) {
	prefix := pkg + " " + name
	for k := range s.tests {
		if k == prefix || (!strings.Contains(name, "/") && strings.HasPrefix(k, prefix+"/")) {
			delete(s.tests, k)
		}
	}
}

// logPrefix is the "file_test.go:42: " testing puts before a log line.
var logPrefix = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// skipReason is the last line a skipped test logged (the t.Skip message),
// without its file:line prefix.
func skipReason(body []string) string {
	for i := len(body) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(logPrefix.ReplaceAllString(body[i], "")); l != "" {
			return l
		}
	}
	return "(no reason given)"
}

// printSkips prints one line per skip reason, most frequent first.
func (s *summary) printSkips() {
	if len(s.skips) == 0 {
		return
	}
	reasons := make([]string, 0, len(s.skips))
	total := 0
	for r, n := range s.skips {
		reasons = append(reasons, r)
		total += n
	}
	sort.Slice(reasons, func(i, j int) bool {
		a, b := reasons[i], reasons[j]
		if s.skips[a] != s.skips[b] {
			return s.skips[a] > s.skips[b]
		}
		return a < b
	})
	fmt.Fprintf(s.w, "\n%s (go test -v -run NAME ./PKG shows which):\n", textutil.Plural(total, "test or subtest skipped", "tests and subtests skipped"))
	for _, r := range reasons {
		fmt.Fprintf(s.w, "  %s: %s\n", textutil.Plural(s.skips[r], "skipped", "skipped"), r)
	}
}
