package follow

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/pathproof/pathproof/internal/testenv/azwriter"
)

// TestSettleRetiresAndFlushes: an append blob of an hour a newer hour
// succeeded is retired once it stayed unchanged for Settle (the checkpoint
// marks it done and lists from the newer hour), and its last line, which
// never got its newline, is read as its last record first: the follower
// emits exactly the events of a full read.
func TestSettleRetiresAndFlushes(t *testing.T) {
	s := newScene(t, 9)
	// Two records of one append blob of the first hour and one of the
	// same resource's next hour, written whole by hand.
	var old []azwriter.Record
	var next *azwriter.Record
	for i, r := range s.plan {
		if !r.Append {
			continue
		}
		if len(old) == 0 || (len(old) < 2 && r.Name == old[0].Name) {
			old = append(old, r)
			continue
		}
		if len(old) == 2 && r.Container == old[0].Container && r.Name != old[0].Name && strings.Contains(r.Name, "/h=10/") {
			next = &s.plan[i]
			break
		}
	}
	if len(old) < 2 || next == nil || !strings.Contains(old[0].Name, "/h=09/") {
		t.Fatalf("the plan has no append blob with two records in hour 09 and one in hour 10")
	}
	cl, err := azblob.NewClientFromConnectionString(s.az.ConnectionString, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := cl.CreateContainer(ctx, old[0].Container, nil); err != nil {
		t.Fatal(err)
	}
	appendBlob := func(name string, data []byte) {
		ab := cl.ServiceClient().NewContainerClient(old[0].Container).NewAppendBlobClient(name)
		if _, err := ab.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ab.AppendBlock(ctx, nopCloser{strings.NewReader(string(data))}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// The last line of the old hour's blob has no newline.
	appendBlob(old[0].Name, bytes.Join([][]byte{old[0].Data, old[1].Data}, []byte("\n")))
	appendBlob(next.Name, append(append([]byte{}, next.Data...), '\n'))
	want := s.fullRead(t)
	if len(want) < 3 {
		t.Fatalf("the full read has %d events; want one per record", len(want))
	}

	cp := filepath.Join(t.TempDir(), "follow.cp")
	opt := s.options(cp)
	opt.Settle = 300 * time.Millisecond
	f, err := New(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	var c collector
	done := make(chan error, 1)
	go func() { done <- f.Run(rctx, c.emit(t)) }()
	waitFor(t, "every event of the full read", func() bool { return c.count() >= len(want) })
	waitFor(t, "the old hour's blob retired in the checkpoint", func() bool { return retired(t, cp, old[0].Container+"/"+old[0].Name) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	compare(t, c.lines, want)
	if opt.Report.Skipped() > 0 {
		t.Errorf("skipped %v", opt.Report.Skips())
	}
}

// retired reports whether the checkpoint at path marks key done (or has
// dropped it) and lists from a later hour than key's.
func retired(t *testing.T, path, key string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var cp checkpoint
	if err := json.Unmarshal(data, &cp); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	for _, st := range cp.State {
		b, ok := st.Blobs[key]
		if ok && !b.Done {
			return false
		}
		if ok && !st.Since.After(b.Hour) {
			return false
		}
	}
	return true
}
