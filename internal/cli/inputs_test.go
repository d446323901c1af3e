package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMissingInputIsAUsageError: every command that reads a file named on
// its command line exits 2 naming it when the file does not exist.
func TestMissingInputIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nonexistent")
	topo := writeFile(t, "good.yaml", checkScenario)
	for _, args := range [][]string{
		{"trace", "-t", missing, "--from", "nic:n1", "--to", "10.0.1.5:443"},
		{"routes", "-t", missing, "--nic", "n1"},
		{"routes", "-t", topo, "--nic", "n1", "--service-tags", missing},
		{"next-hop", "-t", missing, "--from", "10.0.1.4", "--to", "10.0.1.5"},
		{"check", topo, "--topology", missing},
		{"check", missing},
		{"pcap", missing},
		{"events", "--logs", missing},
		{"flows", "--logs", missing},
		{"sql", "--logs", missing, "select 1"},
		{"monitor", "--config", missing, "--once"},
		{"probe", "127.0.0.1:1", "--protocol", "tls", "--ca", missing},
	} {
		code, _, errs := run(args...)
		if code != ExitUsage || !strings.Contains(errs, missing) {
			t.Errorf("%v: exit %d, want 2 naming the file; stderr %q", args, code, errs)
		}
	}
}

// TestFlowsLimitSaysItTruncated: like events, flows says when --limit
// cut the list, and says nothing when everything fits.
func TestFlowsLimitSaysItTruncated(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	code, out, errs := run("flows", "--logs", root, "-o", "jsonl")
	all := strings.Count(out, "\n")
	if code != 0 || all < 2 || strings.Contains(errs, "showing") {
		t.Fatalf("exit %d, %d conversations, stderr %q", code, all, errs)
	}
	code, out, errs = run("flows", "--logs", root, "-o", "jsonl", "--limit", "1")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(errs, "showing the first 1 conversation; there are more (--limit 0 shows all)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	_, _, errs = run("flows", "--logs", root, "-o", "jsonl", "--limit", strconv.Itoa(all))
	if strings.Contains(errs, "showing") {
		t.Errorf("--limit equal to the count: %q", errs)
	}
}

// TestFlowsFromStdinSaysStdinIsGone: drill-downs printed after reading
// stdin say that stdin cannot be read again; with --db they do not need to.
func TestFlowsFromStdinSaysStdinIsGone(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	var blob []byte
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && blob == nil {
			blob, err = os.ReadFile(p)
		}
		return err
	})
	for _, tc := range []struct {
		args []string
		note bool
	}{
		{[]string{"flows", "--logs", "-"}, true},
		{[]string{"flows", "--logs", "-", "--top", "3", "--by", "rule"}, true},
		{[]string{"flows", "--logs", "-", "--db", filepath.Join(t.TempDir(), "e.duckdb")}, false},
	} {
		var o, e bytes.Buffer
		code := Main(tc.args, bytes.NewReader(blob), &o, &e)
		if code != 0 || !strings.Contains(o.String(), "pathproof events") {
			t.Fatalf("%v: exit %d\n%s%s", tc.args, code, o.String(), e.String())
		}
		if got := strings.Contains(e.String(), "stdin) again: pipe the same logs"); got != tc.note {
			t.Errorf("%v: note %v, want %v; stderr %q", tc.args, got, tc.note, e.String())
		}
	}
}

// TestFilterHelpNamesRealFlags: a command's help documents only filter
// flags it has (pcap documented --verdict, --rule and --since, which it
// never had).
func TestFilterHelpNamesRealFlags(t *testing.T) {
	flagRE := regexp.MustCompile(`--[a-z][a-z-]*`)
	root := NewRoot(&Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
	checked := 0
	for _, c := range root.Commands() {
		_, section, ok := strings.Cut(c.Long, "Filters:")
		if !ok {
			continue
		}
		checked++
		for _, f := range flagRE.FindAllString(section, -1) {
			if c.Flags().Lookup(f[2:]) == nil {
				t.Errorf("%s --help documents %s, which it does not have", c.Name(), f)
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d commands have a Filters section", checked)
	}
}

// TestCodesShowsWhatToCheckNext: the table view of one code has the
// advice -o json has, and where its docs section is.
func TestCodesShowsWhatToCheckNext(t *testing.T) {
	code, out, _ := run("codes", "check-failed")
	var list []struct{ Next string }
	_, js, _ := run("codes", "check-failed", "-o", "json")
	if err := json.Unmarshal([]byte(js), &list); err != nil || len(list) != 1 || list[0].Next == "" {
		t.Fatalf("json: %v %q", err, js)
	}
	for _, want := range []string{"check-failed  (model verdict, error)", "What to check next: " + list[0].Next, "Docs: docs/codes/model.md#check-failed"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, missing %q in\n%s", code, want, out)
		}
	}
}

// TestEventTablesFitAndSelectColumns: with a width, every line of the
// events table fits and stderr says cells were cut; --columns picks and
// orders columns; a short ORIGIN from the table is a valid --record.
func TestEventTablesFitAndSelectColumns(t *testing.T) {
	root := t.TempDir()
	writeStory(t, root)
	t.Setenv("COLUMNS", "125")
	code, out, errs := run("events", "--logs", root)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > 125 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	if !strings.Contains(errs, "cut (…) to fit 125 columns") {
		t.Errorf("no note on stderr: %q", errs)
	}
	t.Setenv("COLUMNS", "")
	code, out, _ = run("events", "--logs", root, "--columns", "verdict,origin")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || strings.Join(strings.Fields(lines[0]), " ") != "VERDICT ORIGIN" || len(strings.Fields(lines[1])) != 2 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	origin := strings.Fields(lines[1])[1]
	if strings.HasPrefix(origin, "insights-logs-") || !strings.Contains(origin, "PT1H.json#") {
		t.Errorf("origin not shortened: %q", origin)
	}
	code, out, errs = run("events", "--logs", root, "--record", origin)
	if code != 0 || !strings.Contains(out, "flowRecords") {
		t.Errorf("--record %s: exit %d\n%s%s", origin, code, out, errs)
	}
	for _, args := range [][]string{
		{"events", "--logs", root, "--columns", "time,orign"},
		{"events", "--logs", root, "--columns", "time", "-o", "json"},
		{"flows", "--logs", root, "--columns", "client", "--top", "3"},
		{"flows", "--logs", root, "--columns", "nope"},
	} {
		if code, _, errs := run(args...); code != ExitUsage || !strings.Contains(errs, "--columns") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}
