package follow

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
)

// TestRewriteNoticed: after the follower has read a flow-log blob past
// more than verifyEvery blocks (most of them from the listing alone,
// readTail), a commit that replaces an already-read block by another of
// the same size and content under a new id is reported as
// follow.rewritten, and nothing is emitted twice: the emitted events stay
// exactly those of a full read.
func TestRewriteNoticed(t *testing.T) {
	s := newScene(t, 8)
	s.containersFirst(t)
	// One flow-log blob, written past verifyEvery blocks before and while
	// the follower runs.
	var key string
	var idx []int
	for i, r := range s.plan {
		if r.Append {
			continue
		}
		if key == "" {
			key = r.Container + "/" + r.Name
		}
		if r.Container+"/"+r.Name == key {
			idx = append(idx, i)
		}
	}
	if len(idx) < verifyEvery+4 {
		t.Fatalf("the plan has %d records for %s; want more than %d", len(idx), key, verifyEvery+4)
	}
	rest := s.plan[:0:0]
	for _, i := range idx {
		rest = append(rest, s.plan[i])
	}
	// The blob's first record was written by containersFirst, with the
	// first record of every other container.
	others := s.next - 1
	s.plan, s.next = rest, 1

	opt := s.options("")
	f, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var c collector
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx, c.emit(t)) }()
	for to := 2; to <= len(s.plan); to++ {
		s.write(t, to)
		waitFor(t, fmt.Sprintf("%d records", to), func() bool { return f.records() >= others+to })
	}
	if f.Stats().Requests >= 2*int64(len(s.plan)) {
		t.Errorf("%d requests for %d records: the listing alone was never enough", f.Stats().Requests, len(s.plan))
	}

	// The rewrite: block 1 staged again under a new id, the list committed.
	cl, err := azblob.NewClientFromConnectionString(s.az.ConnectionString, nil)
	if err != nil {
		t.Fatal(err)
	}
	container, name, _ := strings.Cut(key, "/")
	bb := cl.ServiceClient().NewContainerClient(container).NewBlockBlobClient(name)
	bl, err := bb.GetBlockList(context.Background(), blockblob.BlockListTypeCommitted, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range bl.CommittedBlocks {
		ids = append(ids, *b.Name)
	}
	resp, err := bb.DownloadStream(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	first := data[openingBlock : openingBlock+*bl.CommittedBlocks[1].Size]
	id := base64.StdEncoding.EncodeToString([]byte("rewritten-block"))
	if _, err := bb.StageBlock(context.Background(), id, nopCloser{strings.NewReader(string(first))}, nil); err != nil {
		t.Fatal(err)
	}
	ids[1] = id
	if _, err := bb.CommitBlockList(context.Background(), ids, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rewrite reported", func() bool { return opt.Report.SkipsByCode()[CodeRewritten] > 0 })
	want := s.fullRead(t)
	waitFor(t, "the events of the blob read again", func() bool { return c.count() >= len(want) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	compare(t, c.lines, want)
}

// nopCloser is a ReadSeekCloser over a strings.Reader.
type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }
