package ingest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/store"
	"github.com/pathproof/pathproof/internal/testenv"
)

// TestKilledLoadLeavesStoreUsable: a --db load killed with SIGKILL in the
// middle leaves a store that opens and holds exactly what it held before
// (a load is one transaction); loading the logs again completes it, each
// event once. The killed load reads stdin that is never closed, so it is
// certainly still loading when it is killed: it has read several times the
// pipe's and the reader's buffers, and cannot have committed.
func TestKilledLoadLeavesStoreUsable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := testenv.BuildPathproof(t)
	dir := t.TempDir()
	res, err := loggen.Generate(loggen.Options{Out: dir, Seed: 9, NICs: 4, Tuples: 200000, NSGTuples: 0, Firewall: 0})
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "k.duckdb")
	ctx := context.Background()
	count := func() (events, distinct int64) {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatalf("the store does not open: %v", err)
		}
		defer st.Close()
		r, err := st.Query(ctx, "SELECT count(*), count(DISTINCT (origin, origin_record, origin_tuple)) FROM event_rows")
		if err != nil {
			t.Fatal(err)
		}
		return r.Rows[0][0].(int64), r.Rows[0][1].(int64)
	}
	// A first load of one blob: what the store holds before the kill.
	first := filepath.Join(dir, res.Files[0])
	if out, err := exec.Command(bin, "events", "--logs", first, "--db", db, "--limit", "1").CombinedOutput(); err != nil {
		t.Fatalf("first load: %v\n%s", err, out)
	}
	before, _ := count()
	if before == 0 {
		t.Fatal("the first load stored nothing")
	}

	cmd := exec.Command(bin, "events", "--logs", "-", "--db", db, "--limit", "1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var fed int64
	for _, f := range res.Files[1:] {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		n, err := stdin.Write(data) // blocks until the load has read it
		fed += int64(n)
		if err != nil {
			t.Fatalf("feeding the load: %v", err)
		}
		if fed > 4<<20 {
			break
		}
	}
	if fed <= 4<<20 {
		t.Fatalf("only %d bytes to feed: too little to be sure the load is under way", fed)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	stdin.Close()
	if after, distinct := count(); after != before || distinct != after {
		t.Fatalf("after the kill: %d events (%d distinct), want the %d stored before", after, distinct, before)
	}

	if out, err := exec.Command(bin, "events", "--logs", dir, "--db", db, "--limit", "1").CombinedOutput(); err != nil {
		t.Fatalf("load after the kill: %v\n%s", err, out)
	}
	all, distinct := count()
	if all != res.Events || distinct != all {
		t.Fatalf("after the rerun: %d events (%d distinct), want %d, each once", all, distinct, res.Events)
	}
	// The store answers queries, not only counts.
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(ctx, &filter.Filter{}); err != nil || n != all {
		t.Fatal(fmt.Errorf("count %d, %v; want %d", n, err, all))
	}
}
