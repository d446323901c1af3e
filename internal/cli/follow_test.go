package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/render/explainrender"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/testenv/azwriter"
)

// lockedWriter is a buffer a running command writes to while the test
// reads it.
type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// runUntil runs pathproof in-process until done reports true of its
// stdout (a readiness wait with a generous limit), then interrupts it as
// Ctrl-C would, and returns the exit code and both streams.
func runUntil(t *testing.T, done func(stdout string) bool, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var o, e lockedWriter
	code := make(chan int, 1)
	go func() { code <- execute(ctx, &Env{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e}, args) }()
	deadline := time.Now().Add(60 * time.Second)
	for !done(o.String()) {
		select {
		case c := <-code:
			return c, o.String(), e.String()
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			<-code
			t.Fatalf("%q: gave up waiting; stdout:\n%s\nstderr:\n%s", args, o.String(), e.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	return <-code, o.String(), e.String()
}

// compactLines re-encodes JSON values compactly, sorted, for comparing
// what two commands printed.
func compactLines(t *testing.T, vals []json.RawMessage) []string {
	t.Helper()
	out := make([]string, len(vals))
	for i, v := range vals {
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			t.Fatal(err)
		}
		out[i] = b.String()
	}
	slices.Sort(out)
	return out
}

// checkFollowHidesSecrets: `events --follow` over a SAS URL prints the
// events a one-shot read prints (want, -o json), and no stream it writes
// holds the SAS: stdout, stderr, the checkpoint file, nor the error of a
// follower whose SAS is refused.
func checkFollowHidesSecrets(t *testing.T, sasURL, want string, leak func(t *testing.T, out, errOut string)) {
	var wantEvents []json.RawMessage
	if err := json.Unmarshal([]byte(want), &wantEvents); err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "follow.cp")
	args := []string{"events", "--follow", "--logs", sasURL, "--source", "keyvault", "-o", "jsonl", "--poll", "100ms", "--checkpoint", cp, "--since", "2026-11-25T09:00:00Z"}
	lines := func(out string) []json.RawMessage {
		var vals []json.RawMessage
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l != "" {
				vals = append(vals, json.RawMessage(l))
			}
		}
		return vals
	}
	code, out, errOut := runUntil(t, func(out string) bool { return len(lines(out)) >= len(wantEvents) }, args...)
	leak(t, out, errOut)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got, w := compactLines(t, lines(out)), compactLines(t, wantEvents); !slices.Equal(got, w) {
		for i := range min(len(got), len(w)) {
			if got[i] != w[i] {
				t.Fatalf("--follow printed %d events, a one-shot read %d; first difference:\n%s\n%s", len(got), len(w), got[i], w[i])
			}
		}
		t.Fatalf("--follow printed %d events, a one-shot read %d", len(got), len(w))
	}
	data, err := os.ReadFile(cp)
	if err != nil {
		t.Fatal(err)
	}
	leak(t, string(data), "")
	if strings.Contains(string(data), "sig=") || strings.Contains(string(data), "?") {
		t.Fatalf("the checkpoint holds a query string:\n%s", data)
	}
	// A restart from the checkpoint prints nothing again.
	code, out, errOut = runUntil(t, func(string) bool { return true }, args...)
	leak(t, out, errOut)
	if code != ExitOK || out != "" {
		t.Fatalf("restart: exit %d, printed again:\n%s\n%s", code, out, errOut)
	}
	// A refused SAS: the error names the source, not the signature.
	bad := strings.Replace(sasURL, "sig=", "sig=NotTheRightSig", 1)
	code, out, errOut = runUntil(t, func(string) bool { return false }, "events", "--follow", "--logs", bad, "--poll", "100ms")
	if code == ExitOK || strings.Contains(out+errOut, "NotTheRightSig") || !strings.Contains(errOut, "REDACTED") && !strings.Contains(errOut, "insights-logs-auditevent") {
		t.Fatalf("refused SAS: exit %d\n%s\n%s", code, out, errOut)
	}
	leak(t, out, errOut)
}

// writeWhileFollowing plans the log records of dir for Azurite, writes the
// first record of every container now (so an azblob:// follower started
// next knows every container), points the commands at Azurite and writes
// the rest in the background; the channel closes when all are written,
// which the test's cleanup waits for (before Azurite's stops it).
func writeWhileFollowing(t *testing.T, az *testenv.Azurite, dir string) <-chan struct{} {
	t.Helper()
	plan, err := azwriter.Plan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) < 2 {
		t.Fatalf("%s has %d log records; want several", dir, len(plan))
	}
	w, err := azwriter.New(az.ConnectionString)
	if err != nil {
		t.Fatal(err)
	}
	first, rest := azwriter.ContainersFirst(plan)
	for _, r := range first {
		if err := w.Write(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(connStringEnv, az.ConnectionString)
	written := make(chan struct{})
	t.Cleanup(func() { <-written })
	go func() {
		defer close(written)
		for _, r := range rest {
			if err := w.Write(context.Background(), r); err != nil {
				t.Errorf("writing: %v", err)
				return
			}
		}
	}()
	return written
}

// TestExplainFollow: `explain --follow -o jsonl` over a story's logs
// written into Azurite record by record while it runs prints one line per
// change of verdict, each naming the verdict before it, and ends on the
// verdict a one-shot explain of the finished blobs gives (the story's).
func TestExplainFollow(t *testing.T) {
	az := testenv.StartAzurite(t)
	var story demo.Story
	for _, s := range demo.Stories() {
		if s.Want.Verdict == "dropped" {
			story = s
			break
		}
	}
	d, err := story.Build(filepath.Join(t.TempDir(), story.Name))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Captures) > 0 {
		t.Fatalf("story %s has captures; the test wants logs alone", story.Name)
	}
	writeWhileFollowing(t, az, d.Logs)
	since := story.At.Add(-10 * time.Minute).UTC().Format(time.RFC3339)
	args := []string{"explain", "--topology", d.Topology, "--from", story.From, "--to", story.To, "--since", since, "--logs", "azblob://", "--follow", "--poll", "100ms", "-o", "jsonl"}
	var changes []explainrender.Change
	parse := func(out string) []explainrender.Change {
		var cs []explainrender.Change
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var c explainrender.Change
			if l != "" && json.Unmarshal([]byte(l), &c) == nil && c.Result != nil {
				cs = append(cs, c)
			}
		}
		return cs
	}
	wantKey := story.Want.Verdict + " at " + story.Want.At
	code, out, errOut := runUntil(t, func(out string) bool {
		cs := parse(out)
		return len(cs) > 0 && cs[len(cs)-1].Result.VerdictKey() == wantKey
	}, args...)
	changes = parse(out)
	if code != ExitOK && code != ExitPartial {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if len(changes) < 2 {
		t.Fatalf("%d change(s) printed; the verdict before any evidence and %s at least:\n%s", len(changes), wantKey, out)
	}
	prev := ""
	for i, c := range changes {
		if c.Change != i+1 || c.Previous != prev {
			t.Fatalf("line %d: change %d, previous %q; want %d, %q", i+1, c.Change, c.Previous, i+1, prev)
		}
		prev = c.Result.VerdictKey()
	}
	// The one-shot explain of the finished blobs agrees.
	one := []string{"explain", "--topology", d.Topology, "--from", story.From, "--to", story.To, "--since", since, "--logs", "azblob://", "-o", "json"}
	_, jout, jerr := run(one...)
	var res explain.Result
	if err := json.Unmarshal([]byte(jout), &res); err != nil {
		t.Fatalf("one-shot: %v\n%s", err, jerr)
	}
	if res.VerdictKey() != wantKey {
		t.Fatalf("the one-shot explain says %s, the follower ended on %s", res.VerdictKey(), wantKey)
	}
}
