package follow

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

// killRuns is how many followers TestKill9 kills: PATHPROOF_FOLLOW_KILLS
// (bench/follow-kill.sh sets 50 or more), else 6.
func killRuns(t *testing.T) int {
	if v := os.Getenv("PATHPROOF_FOLLOW_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("PATHPROOF_FOLLOW_KILLS=%q: want a count", v)
		}
		return n
	}
	return 6
}

// fileLines returns the lines of path.
func fileLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// TestKill9: `pathproof events --follow --checkpoint` killed with SIGKILL at
// random moments while Azure (the writer) keeps committing blocks and
// appending lines, and started again each time with its output appended
// to the same file, leaves in that file exactly the events of a full read
// of the finished blobs: no gap, no repeat. The random kill moments fall
// anywhere: during listing, between a ranged read and its emit, between the
// emit and the checkpoint, inside the checkpoint's write.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := testenv.BuildPathproof(t)
	s := newScene(t, 7)
	s.containersFirst(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "events.jsonl")
	cp := filepath.Join(dir, "follow.cp")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)

	var errb bytes.Buffer // the last follower's stderr
	start := func() *exec.Cmd {
		t.Helper()
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := exec.Command(bin, "events", "--follow", "--logs", "azblob://", "-o", "jsonl", "--poll", "100ms", "--checkpoint", cp)
		cmd.Env = append(os.Environ(), "AZURE_STORAGE_CONNECTION_STRING="+s.az.ConnectionString)
		cmd.Stdout = f
		errb.Reset()
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for ; s.next < len(s.plan); s.next++ {
			if err := s.w.Write(context.Background(), s.plan[s.next]); err != nil {
				t.Errorf("writing: %v", err)
				return
			}
		}
	}()
	runs := killRuns(t)
	for i := 0; i < runs; i++ {
		cmd := start()
		time.Sleep(time.Duration(rng.IntN(1500)) * time.Millisecond) // a random kill point, not a wait
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
	}
	<-writerDone
	// The full read: the one-shot command over the finished blobs.
	full := exec.Command(bin, "events", "--logs", "azblob://", "-o", "jsonl", "--limit", "0")
	full.Env = append(os.Environ(), "AZURE_STORAGE_CONNECTION_STRING="+s.az.ConnectionString)
	fullOut, err := full.Output()
	if err != nil {
		t.Fatalf("the full read: %v", err)
	}
	want := strings.Split(strings.TrimSpace(string(fullOut)), "\n")
	slices.Sort(want)
	if len(want) < len(s.plan) {
		t.Fatalf("the full read has %d events for %d records", len(want), len(s.plan))
	}
	began := time.Now().UTC()
	cmd := start()
	// A readiness wait: the last follower caught up. Lines in the file do
	// not tell (a killed follower's lines past its checkpoint are cut back
	// by the next one): wait for a checkpoint of this follower (written
	// after its signal handler is set) covering the whole file, with every
	// event of the full read in it.
	deadline := time.Now().Add(90 * time.Second)
	for !caughtUp(t, cp, out, began, len(want)) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the last follower: %v\n%s", err, errb.String())
	}
	compare(t, fileLines(t, out), want)
	t.Logf("%d kills, %d events", runs, len(want))
}

// caughtUp reports whether the checkpoint at cp was written after began
// and covers all of the output file out, which holds at least n lines.
func caughtUp(t *testing.T, cp, out string, began time.Time, n int) bool {
	t.Helper()
	data, err := os.ReadFile(cp)
	if err != nil {
		return false
	}
	var c checkpoint
	if json.Unmarshal(data, &c) != nil || c.Written.Before(began) || c.Output == nil {
		return false
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Size() != c.Output.Size {
		return false
	}
	return len(fileLines(t, out)) >= n
}
