package workspace

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/pathproof/pathproof/internal/pcap"
)

// captureCache keeps the last few capture reports, so a client asking
// about one connection after the summary does not read the file again.
type captureCache struct {
	mu    sync.Mutex
	max   int
	order []string
	byKey map[string]*pcap.Report
}

func newCaptureCache(max int) *captureCache {
	return &captureCache{max: max, byKey: map[string]*pcap.Report{}}
}

func (c *captureCache) get(key string) (*pcap.Report, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.byKey[key]
	return r, ok
}

func (c *captureCache) put(key string, r *pcap.Report) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok {
		c.order = append(c.order, key)
	}
	c.byKey[key] = r
	for len(c.order) > c.max {
		delete(c.byKey, c.order[0])
		c.order = c.order[1:]
	}
}

// Capture analyses the capture file a client names (see Resolve), as
// `pathproof pcap FILE -o json` does: the Report lists every connection,
// worst first. Reports are cached while the file is unchanged.
func (w *Workspace) Capture(name string) (*pcap.Report, error) {
	path, err := w.Resolve(name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("pcap: %w", err)
	}
	key := fmt.Sprintf("file:%s:%d:%d:%s", path, st.Size(), st.ModTime().UnixNano(), name)
	if r, ok := w.captures.get(key); ok {
		return r, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pcap: %w", err)
	}
	defer f.Close()
	rep, err := pcap.Analyze(bufio.NewReaderSize(f, 1<<20), pcap.Options{File: name})
	if err != nil {
		return nil, fmt.Errorf("pcap: %s: %w", path, err)
	}
	w.captures.put(key, rep)
	return rep, nil
}

// AnalyzeUpload analyses a capture sent by a client (label names it in the
// report) and keeps the report under id for later questions; nothing is
// written to disk.
func (w *Workspace) AnalyzeUpload(id, label string, r io.Reader) (*pcap.Report, error) {
	rep, err := pcap.Analyze(r, pcap.Options{File: label})
	if err != nil {
		return nil, fmt.Errorf("pcap: %s: %w", label, err)
	}
	w.captures.put("upload:"+id, rep)
	return rep, nil
}

// Upload returns the report of an upload AnalyzeUpload kept.
func (w *Workspace) Upload(id string) (*pcap.Report, bool) {
	return w.captures.get("upload:" + id)
}
