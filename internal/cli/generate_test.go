package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/render/loggenrender"
)

func TestGenerateLogs(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := Main([]string{"generate", "logs", "--out", dir, "--tuples", "1200", "--nics", "2", "--seed", "3", "--start", "2026-02-01T10:20:00Z", "--output", "json"}, strings.NewReader(""), &out, &errb)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res loggenrender.ResultJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	// 1200 VNet + 120 NSG tuples; 60 firewall records.
	if res.Tuples != 1320 || res.Events != 1380 || res.Files != 2+2+8 || res.Out != dir {
		t.Errorf("result %+v", res)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "insights-logs-flowlogflowevent", "*", "*", "*", "y=2026", "m=02", "d=01", "h=10", "m=00", "*", "PT1H.json")); len(m) != 2 {
		t.Errorf("VNet blobs at the hour of --start: %v", m)
	}
	for _, args := range [][]string{
		{"generate", "logs"},
		{"generate", "logs", "--out", dir, "--tuples", "-1"},
		{"generate", "logs", "--out", dir, "--start", "yesterday"},
		{"generate", "logs", "--out", dir, "--output", "yaml"},
		{"generate", "logs", "--out", dir, "--bogus"},
		{"generate"},
	} {
		out.Reset()
		errb.Reset()
		if code := Main(args, strings.NewReader(""), &out, &errb); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("%v wrote to stdout: %q", args, out.String())
		}
	}
}
