package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Input is one readable log: a file, stdin, or a blob.
type Input struct {
	// Name is shown in messages: a path, or a blob URL without its query
	// string (never a SAS token).
	Name string
	// Key is event.Origin.Key for the input's events: the path from the
	// "insights-logs-*" container segment on when the path has one, else the
	// cleaned absolute path, "-" for stdin. See KeyFor.
	Key string
	// Open returns the raw bytes. Gzip is detected and undone by the reader,
	// not by Open.
	Open func(ctx context.Context) (io.ReadCloser, error)
	// Size and Version identify the content as listed (a file's size and
	// modification time, a blob's size and ETag), so a store can tell a
	// log it already holds whole without reading it; Version is "" when
	// unknown.
	Size    int64
	Version string
	// First is the index of the input's first record: 0 for a whole log;
	// for part of one (a follower reads only the blocks or lines a blob
	// gained, ReadPart) the index its first record has in the whole log, so
	// origins cite the same record either way. JSON framings only.
	First int
}

// ContainerPrefix starts the name of every container Azure diagnostic
// settings and flow logs write to.
const ContainerPrefix = "insights-logs-"

// KeyFor returns the Origin key of a local path: from the "insights-logs-*"
// segment on (slash-separated, case kept) when the path has one, else the
// cleaned absolute path; "-" stays "-".
func KeyFor(path string) string {
	if path == "-" {
		return "-"
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	slash := filepath.ToSlash(abs)
	parts := strings.Split(slash, "/")
	for i, p := range parts {
		if strings.HasPrefix(strings.ToLower(p), ContainerPrefix) {
			return strings.Join(parts[i:], "/")
		}
	}
	return slash
}

// Container returns the "insights-logs-*" container name in key, lower-cased,
// or "" when the key has none.
func Container(key string) string {
	for _, p := range strings.Split(key, "/") {
		if l := strings.ToLower(p); strings.HasPrefix(l, ContainerPrefix) {
			return l
		}
	}
	return ""
}

// FileInput returns the Input for a local file.
func FileInput(path string) Input {
	return Input{
		Name: path,
		Key:  KeyFor(path),
		Open: func(context.Context) (io.ReadCloser, error) { return os.Open(path) },
	}
}

// fileInputInfo is FileInput with the size and modification time of fi
// (nil: unknown) as Size and Version.
func fileInputInfo(path string, fi fs.FileInfo) Input {
	in := FileInput(path)
	if fi != nil {
		in.Size, in.Version = fi.Size(), fi.ModTime().UTC().Format(time.RFC3339Nano)
	}
	return in
}

// StdinInput returns the Input reading r once, named and keyed "-".
func StdinInput(r io.Reader) Input {
	var used atomic.Bool
	return Input{
		Name: "-",
		Key:  "-",
		Open: func(context.Context) (io.ReadCloser, error) {
			if used.Swap(true) {
				return nil, errors.New("stdin can be read only once")
			}
			return io.NopCloser(r), nil
		},
	}
}

// Expand turns command-line arguments into Inputs: a file is one input, a
// folder every regular file under it (recursively, in lexical order, hidden
// files and folders skipped: the storage-account layout as azcopy or Storage
// Explorer download it), "-" is stdin (at most once). An argument that does
// not exist or a folder with no files is an error; the other arguments are
// still expanded.
func Expand(args []string, stdin io.Reader) ([]Input, []error) {
	var ins []Input
	var errs []error
	stdinSeen := false
	for _, a := range args {
		if a == "-" {
			if stdinSeen {
				errs = append(errs, errors.New(`"-" (stdin) given more than once`))
				continue
			}
			stdinSeen = true
			ins = append(ins, StdinInput(stdin))
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			errs = append(errs, fmt.Errorf("log input: %w", err))
			continue
		}
		if !st.IsDir() {
			ins = append(ins, fileInputInfo(a, st))
			continue
		}
		var found []string
		infos := map[string]fs.FileInfo{}
		werr := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, fmt.Errorf("log input: %w", err))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if p != a && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				found = append(found, p)
				if fi, err := d.Info(); err == nil {
					infos[p] = fi
				}
			}
			return nil
		})
		if werr != nil {
			errs = append(errs, fmt.Errorf("log input %s: %w", a, werr))
		}
		if len(found) == 0 {
			errs = append(errs, fmt.Errorf("log input %s: folder holds no files", a))
		}
		sort.Strings(found)
		for _, p := range found {
			ins = append(ins, fileInputInfo(p, infos[p]))
		}
	}
	return ins, errs
}
