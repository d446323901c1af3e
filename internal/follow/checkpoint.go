package follow

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/redact"
)

// checkpointVersion is the checkpoint format; another version is refused.
const checkpointVersion = 1

// blobState is what has been read of one blob.
type blobState struct {
	Append bool   `json:"append,omitempty"`
	ETag   string `json:"etag,omitempty"`
	// Created is an append blob's creation time: a blob deleted and created
	// again under the same name starts over.
	Created time.Time `json:"created,omitzero"`
	// Blocks is how many committed blocks of a block blob were read (the
	// opening block included); Sum hashes their ids and sizes, so a blob
	// rewritten under the follower is noticed.
	Blocks int    `json:"blocks,omitempty"`
	Sum    string `json:"sum,omitempty"`
	// Unverified is how many of the Blocks were read from the listing
	// alone (readTail): Sum covers the others; the block list read next
	// checks them by size.
	Unverified int `json:"unverified,omitempty"`
	// Whole is set for a block blob not in the flow-log layout (one
	// opening and one closing block around one block per record): it is
	// read whole when it changes, records below Records skipped.
	Whole bool `json:"whole,omitempty"`
	// Offset is the bytes read (and parsed) from the start of the blob.
	Offset int64 `json:"offset"`
	// Records is the index of the next record.
	Records int `json:"records"`
	// Hour is the hour folder's hour (zero without one).
	Hour time.Time `json:"hour,omitzero"`
	// Changed is when the follower last saw the blob change (wall clock).
	Changed time.Time `json:"changed,omitzero"`
	// Done is set once the blob's hour was succeeded and the blob stayed
	// unchanged for Settle: it is no longer polled.
	Done bool `json:"done,omitempty"`
}

// sourceState is one --logs source's part of the checkpoint.
type sourceState struct {
	// Since is where listing starts: the oldest hour still followed.
	Since time.Time             `json:"since,omitzero"`
	Blobs map[string]*blobState `json:"blobs"`
}

// outputMark identifies the regular file events are written to, and its
// length when the checkpoint was written.
type outputMark struct {
	Dev  uint64 `json:"dev"`
	Ino  uint64 `json:"ino"`
	Size int64  `json:"size"`
}

// checkpoint is the file --checkpoint names.
type checkpoint struct {
	Version int `json:"version"`
	// Sources are the --logs sources (redacted: no query string), in order.
	Sources []string       `json:"sources"`
	State   []*sourceState `json:"state"`
	Output  *outputMark    `json:"output,omitempty"`
	Written time.Time      `json:"written"`
}

// loadCheckpoint reads path; a missing file is no checkpoint (nil, nil).
// names are the sources of this run: a checkpoint of other sources is an
// error.
func loadCheckpoint(path string, names []string) (*checkpoint, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	var cp checkpoint
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, fmt.Errorf("checkpoint %s is not a pathproof follow checkpoint: %v", path, err)
	}
	if cp.Version != checkpointVersion {
		return nil, fmt.Errorf("checkpoint %s has version %d; this pathproof reads version %d", path, cp.Version, checkpointVersion)
	}
	if !slices.Equal(cp.Sources, names) || len(cp.State) != len(names) {
		return nil, fmt.Errorf("checkpoint %s was written following %q, not %q: give another --checkpoint file", path, cp.Sources, names)
	}
	for _, s := range cp.State {
		if s == nil {
			return nil, fmt.Errorf("checkpoint %s: a source without state", path)
		}
		if s.Blobs == nil {
			s.Blobs = map[string]*blobState{}
		}
		for k, b := range s.Blobs {
			if b == nil || b.Offset < 0 || b.Records < 0 || b.Blocks < 0 || b.Unverified < 0 || b.Unverified > b.Blocks {
				return nil, fmt.Errorf("checkpoint %s: bad state for blob %s", path, redact.String(k))
			}
		}
	}
	return &cp, nil
}

// removeTemps removes the temporary files of saves a kill interrupted.
func removeTemps(path string) {
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".*"))
	for _, p := range old {
		os.Remove(p)
	}
}

// save writes the checkpoint atomically: a temporary file in the same
// folder, fsync, rename over path, fsync of the folder. A kill at any point
// leaves either the old checkpoint or the new one.
func (cp *checkpoint) save(path string) error {
	cp.Version = checkpointVersion
	cp.Written = time.Now().UTC()
	data, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing checkpoint: %w", err)
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("writing checkpoint %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing checkpoint %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil {
			return fmt.Errorf("writing checkpoint %s: sync folder: %w", path, err)
		}
	}
	return nil
}

// sizeSum is the bytes of blocks.
func sizeSum(sizes []int64) int64 {
	var n int64
	for _, z := range sizes {
		n += z
	}
	return n
}

// blockSum hashes the ids and sizes of blocks read.
func blockSum(ids []string, sizes []int64) string {
	h := sha256.New()
	for i := range ids {
		h.Write([]byte(ids[i]))
		h.Write([]byte{0})
		h.Write([]byte(strconv.FormatInt(sizes[i], 10)))
		h.Write([]byte{0})
	}
	return base64.RawStdEncoding.EncodeToString(h.Sum(nil)[:16])
}
