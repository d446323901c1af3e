package ingest

import (
	"bytes"
	"context"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/loggen"
)

// TestBlobWindow: blob listings are pruned by the command's parsed
// --since/--until, absolute or relative; no filter means no window.
func TestBlobWindow(t *testing.T) {
	if w := blobWindow(nil); w != (blob.Window{}) {
		t.Errorf("no filter: window %+v", w)
	}
	f, err := filter.Parse(filter.Spec{Since: "2026-03-01T10:00:00Z", Until: "30m"})
	if err != nil {
		t.Fatal(err)
	}
	want := blob.Window{Since: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), UntilAgo: 30 * time.Minute}
	if w := blobWindow(f); !w.Since.Equal(want.Since) || !w.Until.IsZero() || w.SinceAgo != 0 || w.UntilAgo != want.UntilAgo {
		t.Errorf("window %+v, want %+v", w, want)
	}
}

// TestArgsKeepSecretsOut: the drill-down flags repeat the sources with
// their secrets replaced.
func TestArgsKeepSecretsOut(t *testing.T) {
	src := Sources{Logs: []string{
		"https://acct.blob.core.windows.net/insights-logs-x?sv=2024&sig=SECRET",
		"https://user:SECRET@acct.blob.core.windows.net/c",
		"./logs/insights-logs-flowlogflowevent",
	}}
	want := []string{
		"--logs", "https://acct.blob.core.windows.net/insights-logs-x?REDACTED",
		"--logs", "https://user:REDACTED@acct.blob.core.windows.net/c",
		"--logs", "./logs/insights-logs-flowlogflowevent",
	}
	if got := src.Args(); !slices.Equal(got, want) {
		t.Errorf("Args() = %q\nwant %q", got, want)
	}
	if got := (Sources{DB: "e.duckdb", Logs: src.Logs}).Args(); !slices.Equal(got, []string{"--db", "e.duckdb"}) {
		t.Errorf("with a store: Args() = %q", got)
	}
}

// TestReread: a filtered one-shot load reads its inputs again for the
// events a second predicate admits; the events already stored are not
// stored twice (the predicate refuses them) and the copies inside the
// second pass are still de-duplicated. A load into a DB file stores every
// event: Reread adds nothing.
func TestReread(t *testing.T) {
	dir := t.TempDir()
	s := loggen.NewScript(loggen.ScriptOptions{Out: dir, Seed: 1, ResourceGroup: "rg", Region: "westeurope"})
	nic := loggen.FlowLogNIC{VNet: "v", MAC: "000D3A000002"}
	t0 := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for i := 0; i < 6; i++ {
		port := uint16(443)
		if i%2 == 1 {
			port = 22
		}
		s.VNetFlows(nic, loggen.Flow{Start: t0.Add(time.Duration(i) * time.Minute), Proto: 6, Src: netip.AddrPortFrom(netip.MustParseAddr("10.0.1.5"), uint16(1000+i)),
			Dst: netip.AddrPortFrom(netip.MustParseAddr("10.5.1.4"), port), Inbound: true, Rule: "r"})
	}
	if _, err := s.Write(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	https := func(e *event.Event) bool { return e.DstPort == 443 }
	ssh := func(e *event.Event) bool { return e.DstPort == 22 }
	count := func(l *Loaded) int64 {
		n, err := l.Store.Count(ctx, &filter.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	l, err := Open(ctx, Sources{Logs: []string{dir, dir}}, Options{Keep: https})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	first := count(l)
	added, err := l.Reread(ctx, ssh)
	if err != nil {
		t.Fatal(err)
	}
	if first == 0 || added != first || count(l) != 2*first {
		t.Errorf("first pass %d events, second added %d, store holds %d; want the same number of SSH as HTTPS tuples, each once", first, added, count(l))
	}
	db, err := Open(ctx, Sources{Logs: []string{dir}, DB: filepath.Join(t.TempDir(), "e.duckdb")}, Options{Keep: https})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.Reread(ctx, ssh); err != nil || n != 0 {
		t.Errorf("Reread on a DB: %d, %v; want nothing to do", n, err)
	}
}

// TestReloadSkipsUnchangedInputs: loading the same logs into a DB again
// reads nothing (every input listed with the size and modification time it
// was loaded with); a log that changed since is read again, and only its
// new records are added; a one-shot load (no DB) always reads.
func TestReloadSkipsUnchangedInputs(t *testing.T) {
	dir := t.TempDir()
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: 3, NICs: 2, Tuples: 2000, NSGTuples: 0, Firewall: 100}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "e.duckdb")
	load := func() *Loaded {
		t.Helper()
		l, err := Open(ctx, Sources{Logs: []string{dir}, DB: dbPath}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	}
	first := load()
	inputs := first.Inputs
	if first.Added == 0 || inputs < 3 || first.Unchanged != 0 {
		t.Fatalf("first load: %d events from %d inputs, %d unchanged", first.Added, inputs, first.Unchanged)
	}
	first.Close()
	second := load()
	if second.Inputs != 0 || second.Unchanged != inputs || second.Added != 0 || second.Report.Inputs() != 0 {
		t.Fatalf("reload: read %d inputs (report %d), %d unchanged, %d events added; want 0 read, %d unchanged, 0 added",
			second.Inputs, second.Report.Inputs(), second.Unchanged, second.Added, inputs)
	}
	second.Close()
	// One log changes (Azure rewrites the hourly blob with a record more):
	// it alone is read, and adds only what is new.
	var blobPath string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && blobPath == "" && d.Name() == "PT1H.json" {
			blobPath = p
		}
		return nil
	})
	data, err := os.ReadFile(blobPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blobPath, append(bytes.TrimSpace(data), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(blobPath, future, future); err != nil {
		t.Fatal(err)
	}
	third := load()
	if third.Inputs != 1 || third.Unchanged != inputs-1 || third.Added != 0 {
		t.Fatalf("after one log changed: read %d inputs, %d unchanged, %d added; want 1, %d, 0 (its records are stored)", third.Inputs, third.Unchanged, third.Added, inputs-1)
	}
	third.Close()
	oneShot, err := Open(ctx, Sources{Logs: []string{dir}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer oneShot.Close()
	if oneShot.Inputs != inputs || oneShot.Added != first.Added {
		t.Fatalf("one-shot load: %d inputs, %d events; want %d, %d", oneShot.Inputs, oneShot.Added, inputs, first.Added)
	}
}
