package redact

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestWriterRedactsEveryWrite(t *testing.T) {
	const secret = "SeCrEt"
	args := []string{"events", "--logs", "logs?sig=" + secret, "--db=x?st=" + secret}
	var out bytes.Buffer
	w := NewWriter(&out, args)
	for _, piece := range []string{
		"\rreading logs?sig=" + secret + "/a.json: 3 records",
		"\r\033[K",
		"logs?sig=" + secret + "/b.json: record 2: bad JSON\n",
		"store x?st=" + secret + " ",
		"token https://a.blob.core.windows.net/c?sv=1&sig=" + secret + "\n",
	} {
		if n, err := w.Write([]byte(piece)); n != len(piece) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", piece, n, err)
		}
	}
	got := out.String()
	if strings.Contains(got, secret) {
		t.Errorf("secret printed: %q", got)
	}
	for _, want := range []string{"\rreading logs?" + Marker + "/a.json: 3 records\r\033[K", "/b.json: record 2: bad JSON\n", "store x?" + Marker + " "} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q: %q", want, got)
		}
	}
}

func TestWriterFd(t *testing.T) {
	if got := NewWriter(os.Stderr, nil).Fd(); got != os.Stderr.Fd() {
		t.Errorf("Fd() = %d, want stderr's %d", got, os.Stderr.Fd())
	}
	if got := NewWriter(&bytes.Buffer{}, nil).Fd(); got != ^uintptr(0) {
		t.Errorf("Fd() of a buffer = %d, want ^0", got)
	}
}
