package ingest

import (
	"slices"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/filter"
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
