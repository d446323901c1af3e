package explainrender

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/explain"
)

func TestWriteChange(t *testing.T) {
	res := &explain.Result{Verdict: "dropped", At: "nic:api\x1b[0m", Confidence: "high"}
	at := time.Date(2026, 1, 15, 9, 4, 5, 0, time.FixedZone("x", 3600))
	cases := []struct {
		format, prev, want string
	}{
		{"table", "", "== 08:04:05  (start) → dropped at nic:api\\x1b[0m\n"},
		{"table", "delivered", "== 08:04:05  delivered → dropped at nic:api\\x1b[0m\n"},
		{"jsonl", "delivered", `{"change":2,"previous":"delivered","result":{`},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := WriteChange(&b, c.format, Change{Change: 2, Previous: c.prev, Result: res}, at); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.HasPrefix(out, c.want) {
			t.Errorf("%s %q: got %q, want it to start %q", c.format, c.prev, out, c.want)
		}
		if c.format == "jsonl" && strings.Count(out, "\n") != 1 {
			t.Errorf("jsonl: %d lines, want 1", strings.Count(out, "\n"))
		}
		if c.format == "table" && (!strings.Contains(out, "DROPPED") || !strings.HasSuffix(out, "\n\n")) {
			t.Errorf("table: no report or no closing blank line in %q", out)
		}
	}
}
