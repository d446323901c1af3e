package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestDemoReadByTshark checks that the synthesised demo capture is a
// well-formed capture by tshark's reading: every frame decodes (no
// malformed packet) and the TLS, DNS and HTTP messages are what we meant.
func TestDemoReadByTshark(t *testing.T) {
	testenv.RequireTool(t, "tshark")
	var b bytes.Buffer
	if err := Demo(&b); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "demo.pcap")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := testenv.Tshark(t, "-r", p, "-T", "fields", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info", "-o", "tcp.analyze_sequence_numbers:TRUE")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 42 {
		t.Fatalf("tshark read %d frames, want 42", len(lines))
	}
	text := string(out)
	for _, want := range []string{"Client Hello", "Server Hello", "Certificate", "Alert (Level: Fatal, Description: Unknown CA)", "HTTP/1.1 503 Service Unavailable", "No such name", "GET /health"} {
		if !strings.Contains(text, want) {
			t.Errorf("tshark does not show %q:\n%s", want, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "malformed") {
		t.Errorf("malformed frames:\n%s", text)
	}
}
