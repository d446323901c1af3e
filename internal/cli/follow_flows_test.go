package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/testenv"
)

// TestFlowsFollow: `flows --follow -o jsonl` over a story's logs written
// into Azurite record by record while it runs prints conversations as
// their summaries change, and the last line printed for each conversation
// is the conversation a one-shot `flows -o json` of the finished blobs
// gives (every one of them, nothing else).
func TestFlowsFollow(t *testing.T) {
	az := testenv.StartAzurite(t)
	story := demo.Stories()[0]
	d, err := story.Build(filepath.Join(t.TempDir(), story.Name))
	if err != nil {
		t.Fatal(err)
	}
	written := writeWhileFollowing(t, az, d.Logs)
	since := story.At.Add(-10 * time.Minute).UTC().Format(time.RFC3339)
	// The last line printed for each conversation, compacted.
	latest := func(out string) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l == "" {
				continue
			}
			k, c := flowKey(t, []byte(l))
			m[k] = c
		}
		return m
	}
	var want map[string]string
	wantOf := func() map[string]string {
		if want != nil {
			return want
		}
		select {
		case <-written:
		default:
			return nil
		}
		code, out, errOut := run("flows", "--logs", "azblob://", "--since", since, "--limit", "0", "-o", "json")
		if code != ExitOK {
			t.Fatalf("one-shot flows: exit %d\n%s", code, errOut)
		}
		var convs []json.RawMessage
		if err := json.Unmarshal([]byte(out), &convs); err != nil {
			t.Fatalf("one-shot flows: %v\n%s", err, out)
		}
		want = map[string]string{}
		for _, c := range convs {
			k, v := flowKey(t, c)
			want[k] = v
		}
		if len(want) == 0 {
			t.Fatalf("the one-shot flows found no conversation")
		}
		return want
	}
	code, out, errOut := runUntil(t, func(out string) bool {
		w := wantOf()
		return w != nil && maps.Equal(latest(out), w)
	}, "flows", "--follow", "--logs", "azblob://", "--since", since, "--poll", "100ms", "-o", "jsonl")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got := latest(out); !maps.Equal(got, wantOf()) {
		t.Fatalf("the follower's last lines (%d conversations) differ from the one-shot flows (%d):\n%s", len(got), len(want), out)
	}
}

// flowKey returns a flows JSON object's 5-tuple and its compact form.
func flowKey(t *testing.T, raw []byte) (string, string) {
	t.Helper()
	var c struct {
		Protocol   string `json:"protocol"`
		Client     string `json:"client"`
		ClientPort int    `json:"client_port"`
		Server     string `json:"server"`
		ServerPort int    `json:"server_port"`
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.Client == "" && c.Server == "" {
		t.Fatalf("not a conversation: %v\n%s", err, raw)
	}
	var b strings.Builder
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	cj, _ := json.Marshal(v)
	b.Write(cj)
	return fmt.Sprintf("%s|%s|%d|%s|%d", c.Protocol, c.Client, c.ClientPort, c.Server, c.ServerPort), b.String()
}
