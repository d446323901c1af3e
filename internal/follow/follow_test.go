package follow

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/testenv/azwriter"
)

// scene is Azurite with logs being written into it the way Azure writes
// them: flow-log block blobs and firewall append blobs over two hours.
type scene struct {
	az   *testenv.Azurite
	w    *azwriter.Writer
	plan []azwriter.Record
	src  []string
	// next is the plan's next record to write.
	next int
}

func newScene(t *testing.T, seed uint64) *scene {
	t.Helper()
	az := testenv.StartAzurite(t)
	dir := t.TempDir()
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: seed, Start: start, Hours: 2, NICs: 2, Tuples: 300, NSGTuples: 0, Firewall: 80}); err != nil {
		t.Fatal(err)
	}
	plan, err := azwriter.Plan(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := azwriter.New(az.ConnectionString)
	if err != nil {
		t.Fatal(err)
	}
	return &scene{az: az, w: w, plan: plan, src: []string{"azblob://"}}
}

// write writes the plan's records up to (not including) to.
func (s *scene) write(t *testing.T, to int) {
	t.Helper()
	for ; s.next < to; s.next++ {
		if err := s.w.Write(context.Background(), s.plan[s.next]); err != nil {
			t.Fatalf("writing: %v", err)
		}
	}
}

// containersFirst writes the first record of every container, so an
// azblob:// follower started next knows every container.
func (s *scene) containersFirst(t *testing.T) {
	t.Helper()
	first, rest := azwriter.ContainersFirst(s.plan)
	s.plan = append(first, rest...)
	s.write(t, len(first))
}

// fullRead reads every blob whole, as `events --logs` would, and returns
// each event's JSON line, sorted.
func (s *scene) fullRead(t *testing.T) []string {
	t.Helper()
	ins, err := blob.Expand(context.Background(), "azblob://", blob.Options{ConnectionString: s.az.ConnectionString})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	rep := &logs.Report{}
	err = logs.ReadAll(context.Background(), ins, logs.Options{}, rep, func(evs []event.Event) error {
		for i := range evs {
			lines = append(lines, jsonLine(t, &evs[i]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped() > 0 {
		t.Fatalf("the full read skipped %d item(s)", rep.Skipped())
	}
	slices.Sort(lines)
	return lines
}

func jsonLine(t *testing.T, e *event.Event) string {
	b, err := json.Marshal(event.ToJSON(e))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// collector gathers what a follower emits.
type collector struct {
	mu    sync.Mutex
	lines []string
}

func (c *collector) emit(t *testing.T) func(Batch) error {
	return func(b Batch) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i := range b.Events {
			c.lines = append(c.lines, jsonLine(t, &b.Events[i]))
		}
		return nil
	}
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.lines)
}

// waitFor waits until cond holds (a readiness wait with a generous limit,
// not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// compare fails unless got holds exactly the lines of want.
func compare(t *testing.T, got, want []string) {
	t.Helper()
	got = slices.Clone(got)
	slices.Sort(got)
	if slices.Equal(got, want) {
		return
	}
	seen := map[string]int{}
	for _, l := range want {
		seen[l]++
	}
	dups, extra := 0, 0
	for _, l := range got {
		switch {
		case seen[l] > 0:
			seen[l]--
		case slices.Contains(want, l):
			dups++
		default:
			extra++
		}
	}
	missing := 0
	for _, n := range seen {
		missing += n
	}
	t.Fatalf("emitted %d events, the full read has %d: %d missing, %d repeated, %d not in the full read", len(got), len(want), missing, dups, extra)
}

func (s *scene) options(cp string) Options {
	return Options{Sources: s.src, Blob: blob.Options{ConnectionString: s.az.ConnectionString}, Poll: 50 * time.Millisecond,
		Discover: 500 * time.Millisecond, Checkpoint: cp, Report: &logs.Report{}}
}

// TestFollowWhileAzureWrites: a follower started while flow-log block
// blobs and firewall append blobs grow record by record (across an hour
// turn, new NIC folders appearing) emits exactly the events a full read of
// the finished blobs gives, each once.
func TestFollowWhileAzureWrites(t *testing.T) {
	s := newScene(t, 5)
	s.containersFirst(t)
	s.write(t, len(s.plan)/4)
	opt := s.options("")
	f, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var c collector
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx, c.emit(t)) }()
	s.write(t, len(s.plan))
	want := s.fullRead(t)
	waitFor(t, fmt.Sprintf("%d events", len(want)), func() bool { return c.count() >= len(want) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	compare(t, c.lines, want)
	if opt.Report.Skipped() > 0 {
		t.Errorf("skipped %d item(s)", opt.Report.Skipped())
	}
	st := f.Stats()
	if st.Records != int64(len(s.plan)) {
		t.Errorf("read %d records, wrote %d", st.Records, len(s.plan))
	}
}

// TestCheckpointResumes: followers stopped one after the other, each
// resuming from the checkpoint the last one wrote, emit together every
// event once; the checkpoint holds no secret.
func TestCheckpointResumes(t *testing.T) {
	s := newScene(t, 6)
	s.containersFirst(t)
	cp := filepath.Join(t.TempDir(), "follow.checkpoint")
	var c collector
	step := len(s.plan) / 5
	for i := 0; i < 5; i++ {
		to := (i + 1) * step
		if i == 4 {
			to = len(s.plan)
		}
		s.write(t, to)
		f, err := New(context.Background(), s.options(cp))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- f.Run(ctx, c.emit(t)) }()
		waitFor(t, "the records written", func() bool { return f.records() >= to })
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	compare(t, c.lines, s.fullRead(t))
	data, err := os.ReadFile(cp)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{s.az.Key, "AccountKey", "sig="} {
		if strings.Contains(string(data), secret) {
			t.Fatalf("the checkpoint holds %q", secret)
		}
	}
}
