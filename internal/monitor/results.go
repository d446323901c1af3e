package monitor

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// resultsWriter appends records as JSON Lines to one file per UTC day,
// DIR/monitor-YYYY-MM-DD.jsonl, switching files when the day changes.
type resultsWriter struct {
	mu  sync.Mutex
	dir string
	day string
	f   *os.File
	w   *bufio.Writer
}

func newResultsWriter(dir string) (*resultsWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results folder: %w", err)
	}
	return &resultsWriter{dir: dir}, nil
}

// fileFor names the file for a day.
func (r *resultsWriter) fileFor(t time.Time) string {
	return filepath.Join(r.dir, "monitor-"+t.UTC().Format("2006-01-02")+".jsonl")
}

// write appends one record (and flushes: a line is on disk when write
// returns, so a crash loses nothing already reported).
func (r *resultsWriter) write(rec *Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	day := rec.Time.UTC().Format("2006-01-02")
	if day != r.day || r.f == nil {
		if err := r.closeLocked(); err != nil {
			return err
		}
		f, err := os.OpenFile(r.fileFor(rec.Time), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("results file: %w", err)
		}
		r.f, r.w, r.day = f, bufio.NewWriter(f), day
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if _, err := r.w.Write(b); err != nil {
		return fmt.Errorf("results file: %w", err)
	}
	return r.w.Flush()
}

func (r *resultsWriter) closeLocked() error {
	if r.f == nil {
		return nil
	}
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f, r.w = nil, nil
	return err
}

// close flushes and closes the current file.
func (r *resultsWriter) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closeLocked()
}
