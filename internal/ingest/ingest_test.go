package ingest

import (
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
func TestRedactKeepsSecretsOut(t *testing.T) {
	cases := map[string]string{
		"https://acct.blob.core.windows.net/insights-logs-x?sv=2024&sig=SECRET": "https://acct.blob.core.windows.net/insights-logs-x",
		"https://user:pw@acct.blob.core.windows.net/c":                          "https://acct.blob.core.windows.net/c",
		"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRET":        "REDACTED",
		"./logs/insights-logs-flowlogflowevent":                                 "./logs/insights-logs-flowlogflowevent",
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
