// Package azwriter writes log blobs to Blob Storage (Azurite, in tests and
// benchmarks) the way Azure writes them, one record at a time, so a
// follower (internal/follow) can be tested while they grow:
//
//   - flow logs: a block blob whose committed list is the 12-byte block
//     `{"records":[`, one block per record (those after the first led by
//     ","), and the 2-byte block `]}`; each record stages one block and
//     commits the whole list again, the new block before the closing one
//     (docs/log-formats.md §2.4);
//   - diagnostic settings: an append blob, one JSON line per record
//     (§1.2).
//
// Plan splits logs that internal/loggen wrote to a folder into such
// records, in the order Azure would write them. Only tests and the
// benchmark commands import this package; product code only reads.
package azwriter

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/pathproof/pathproof/internal/blob"
)

// Record is one record of one blob.
type Record struct {
	// Container and Name locate the blob.
	Container, Name string
	// Append is set for append blobs (JSON Lines), else the blob is a
	// flow-log block blob.
	Append bool
	// Data is the record's JSON, without a separator.
	Data []byte
}

// Plan reads the storage-account layout loggen wrote under dir and returns
// its records in the order Azure writes them: hour by hour, and within an
// hour, round-robin over the blobs of that hour.
func Plan(dir string) ([]Record, error) {
	byHour := map[string][][]Record{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		cont, name, _ := strings.Cut(filepath.ToSlash(rel), "/")
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var recs []Record
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte(`{"records":`)) {
			var doc struct {
				Records []json.RawMessage `json:"records"`
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			for _, r := range doc.Records {
				recs = append(recs, Record{Container: cont, Name: name, Data: r})
			}
		} else {
			for _, l := range bytes.Split(data, []byte("\n")) {
				if len(bytes.TrimSpace(l)) > 0 {
					recs = append(recs, Record{Container: cont, Name: name, Append: true, Data: l})
				}
			}
		}
		hour := ""
		if _, h, ok := blob.HourFolder(name); ok {
			hour = h.Format(time.RFC3339)
		}
		byHour[hour] = append(byHour[hour], recs)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, h := range slices.Sorted(maps.Keys(byHour)) {
		blobs := byHour[h]
		sort.Slice(blobs, func(i, j int) bool {
			return blobs[i][0].Container+blobs[i][0].Name < blobs[j][0].Container+blobs[j][0].Name
		})
		for k := 0; ; k++ {
			more := false
			for _, b := range blobs {
				if k < len(b) {
					out = append(out, b[k])
					more = true
				}
			}
			if !more {
				break
			}
		}
	}
	return out, nil
}

// Writer writes records to one storage account.
type Writer struct {
	cl *azblob.Client

	mu         sync.Mutex
	containers map[string]bool
	blocks     map[string][]string // committed block ids per flow-log blob
	created    map[string]bool     // append blobs created
}

// New connects to the account of a connection string.
func New(conn string) (*Writer, error) {
	cl, err := azblob.NewClientFromConnectionString(conn, nil)
	if err != nil {
		return nil, err
	}
	return &Writer{cl: cl, containers: map[string]bool{}, blocks: map[string][]string{}, created: map[string]bool{}}, nil
}

const (
	opening = `{"records":[`
	closing = `]}`
)

func blockID(i int) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "block-%010d", i))
}

// Write writes one record as Azure would: a new block committed before the
// closing block, or a line appended. It is safe for concurrent use on
// different blobs.
func (w *Writer) Write(ctx context.Context, r Record) error {
	cc, err := w.container(ctx, r.Container)
	if err != nil {
		return err
	}
	key := r.Container + "/" + r.Name
	if r.Append {
		ab := cc.NewAppendBlobClient(r.Name)
		w.mu.Lock()
		made := w.created[key]
		w.mu.Unlock()
		if !made {
			if _, err := ab.Create(ctx, nil); err != nil {
				return fmt.Errorf("create %s: %w", key, err)
			}
			w.mu.Lock()
			w.created[key] = true
			w.mu.Unlock()
		}
		line := append(append([]byte{}, r.Data...), '\n')
		if _, err := ab.AppendBlock(ctx, nopSeeker(line), nil); err != nil {
			return fmt.Errorf("append to %s: %w", key, err)
		}
		return nil
	}
	bb := cc.NewBlockBlobClient(r.Name)
	w.mu.Lock()
	ids := w.blocks[key]
	w.mu.Unlock()
	if ids == nil {
		// The opening and closing blocks, staged once.
		if _, err := bb.StageBlock(ctx, blockID(0), nopSeeker([]byte(opening)), nil); err != nil {
			return fmt.Errorf("stage %s: %w", key, err)
		}
		if _, err := bb.StageBlock(ctx, blockID(1<<30), nopSeeker([]byte(closing)), nil); err != nil {
			return fmt.Errorf("stage %s: %w", key, err)
		}
		ids = []string{blockID(0)}
	}
	data := r.Data
	if len(ids) > 1 {
		data = append([]byte{','}, data...)
	}
	id := blockID(len(ids))
	if _, err := bb.StageBlock(ctx, id, nopSeeker(data), nil); err != nil {
		return fmt.Errorf("stage %s: %w", key, err)
	}
	ids = append(ids, id)
	list := append(append([]string{}, ids...), blockID(1<<30))
	if _, err := bb.CommitBlockList(ctx, list, &blockblob.CommitBlockListOptions{}); err != nil {
		return fmt.Errorf("commit %s: %w", key, err)
	}
	w.mu.Lock()
	w.blocks[key] = ids
	w.mu.Unlock()
	return nil
}

func (w *Writer) container(ctx context.Context, name string) (*container.Client, error) {
	cc := w.cl.ServiceClient().NewContainerClient(name)
	w.mu.Lock()
	made := w.containers[name]
	w.mu.Unlock()
	if !made {
		if _, err := cc.Create(ctx, nil); err != nil && !strings.Contains(err.Error(), "ContainerAlreadyExists") {
			return nil, fmt.Errorf("create container %s: %w", name, err)
		}
		w.mu.Lock()
		w.containers[name] = true
		w.mu.Unlock()
	}
	return cc, nil
}

// nopSeeker is a ReadSeekCloser over p (the SDK wants one to retry).
func nopSeeker(p []byte) *readSeekCloser { return &readSeekCloser{bytes.NewReader(p)} }

type readSeekCloser struct{ *bytes.Reader }

func (readSeekCloser) Close() error { return nil }

// ContainersFirst splits plan into the first record of each container, in
// plan order, and the rest, so a caller can write first before starting an
// azblob:// follower (which then knows every container) and rest while it
// runs. Each blob's records stay in order: a container's first record is
// its first blob's first record.
func ContainersFirst(plan []Record) (first, rest []Record) {
	seen := map[string]bool{}
	for _, r := range plan {
		if !seen[r.Container] {
			seen[r.Container] = true
			first = append(first, r)
			continue
		}
		rest = append(rest, r)
	}
	return first, rest
}
