package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/logs"
)

// TestResolveStaysInsideFiles: a name resolves only to a regular file
// inside a Files folder; "..", absolute paths elsewhere, symlinks leading
// out and folders are refused, and without Files nothing resolves.
func TestResolveStaysInsideFiles(t *testing.T) {
	root := t.TempDir()
	files := filepath.Join(root, "files")
	outside := filepath.Join(root, "secret.txt")
	for _, p := range []string{filepath.Join(files, "sub", "a.pcap"), outside} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(files, "link.pcap")); err != nil {
		t.Fatal(err)
	}
	w, err := Open(context.Background(), Config{Files: []string{files}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	real, _ := filepath.EvalSymlinks(filepath.Join(files, "sub", "a.pcap"))
	for _, ok := range []string{"sub/a.pcap", filepath.Join(files, "sub", "a.pcap")} {
		if got, err := w.Resolve(ok); err != nil || got != real {
			t.Errorf("%s: %q %v, want %s", ok, got, err, real)
		}
	}
	for _, bad := range []string{"../secret.txt", outside, "link.pcap", "sub", "sub/../../secret.txt", "/etc/passwd", "missing.pcap"} {
		if got, err := w.Resolve(bad); err == nil {
			t.Errorf("%s resolved to %s, want a refusal", bad, got)
		} else if !strings.Contains(err.Error(), "inside the folders") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	none, err := Open(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := none.Resolve("sub/a.pcap"); err == nil || !strings.Contains(err.Error(), "--files") {
		t.Errorf("without Files: %v", err)
	}
	if got := w.ListFiles(10, ".pcap"); len(got) != 1 || got[0] != filepath.Join(files, "sub", "a.pcap") {
		t.Errorf("ListFiles: %v (a symlink out of the folder must not be listed)", got)
	}
}

// TestRawRecordRedacts: the raw record the web UI's /record and the MCP
// record tool show has every secret redacted, a JSON-escaped one too, and
// the rest of the record kept.
func TestRawRecordRedacts(t *testing.T) {
	p := filepath.Join(t.TempDir(), "kv.json")
	rec := `{"time":"2026-03-01T10:00:00Z","category":"AuditEvent","properties":{"requestUri":"https://kv.vault.azure.net/secrets/a?sv=1&sig=PLAINSECRET","note":"x sig\u003dESCAPEDSECRET y","callerIp":"10.0.0.9"}}` + "\n"
	if err := os.WriteFile(p, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(context.Background(), Config{Evidence: ingest.Sources{Logs: []string{p}}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	raw, err := w.RawRecord(context.Background(), logs.KeyFor(p)+"#0")
	if err != nil {
		t.Fatal(err)
	}
	got := string(raw)
	for _, secret := range []string{"PLAINSECRET", "ESCAPEDSECRET"} {
		if strings.Contains(got, secret) {
			t.Errorf("record shows %s: %s", secret, got)
		}
	}
	if !strings.Contains(got, "10.0.0.9") || !strings.Contains(got, "kv.vault.azure.net") {
		t.Errorf("record lost its content: %s", got)
	}
}
