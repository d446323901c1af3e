package topology

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Loader reads one file into net. It records problems with individual
// resources in d and keeps going; it returns an error only when the file as
// a whole cannot be read.
type Loader func(path string, data []byte, net *Network, d *Diagnostics) error

// Sniffer reports whether a loader understands a file, from its name and content.
type Sniffer func(path string, data []byte) bool

type loaderEntry struct {
	name  string
	sniff Sniffer
	load  Loader
}

var (
	loadersMu sync.Mutex
	loaders   []loaderEntry
)

// RegisterLoader adds an input format. Formats are tried in registration
// order... except the design YAML, which is always tried first. Call it from
// an init function.
func RegisterLoader(name string, sniff Sniffer, load Loader) {
	loadersMu.Lock()
	defer loadersMu.Unlock()
	loaders = append(loaders, loaderEntry{name, sniff, load})
}

// maxInputSize bounds one topology file (a whole-tenant export is far smaller).
const maxInputSize = 512 << 20

// Load reads every file in paths (files or folders, walked recursively; only
// .yaml, .yml and .json files in folders) into one Network, indexes and
// validates it. It returns an error when a path cannot be read or the
// topology has validation errors; the Network and Diagnostics are returned
// in any case so callers can show every problem.
func Load(paths ...string) (*Network, *Diagnostics, error) {
	net := &Network{}
	d := &Diagnostics{}
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return net, d, fmt.Errorf("topology: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() && strings.HasPrefix(e.Name(), ".") && path != p {
				return filepath.SkipDir
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				if !e.IsDir() {
					found = append(found, path)
				}
			}
			return nil
		})
		if err != nil {
			return net, d, fmt.Errorf("topology: %w", err)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	for _, f := range files {
		if err := LoadFile(f, net, d); err != nil {
			d.Errorf(Source{File: f}, "", "%v", err)
		}
	}
	net.Finish(d)
	return net, d, d.Err()
}

// LoadFile reads one file into net with the first loader that claims it.
func LoadFile(path string, net *Network, d *Diagnostics) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.Size() > maxInputSize {
		return fmt.Errorf("file is %d bytes, more than the %d limit", st.Size(), maxInputSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return LoadBytes(path, data, net, d)
}

// LoadBytes is LoadFile on data already read.
func LoadBytes(path string, data []byte, net *Network, d *Diagnostics) error {
	if sniffDesign(path, data) {
		return loadDesign(path, data, net, d)
	}
	loadersMu.Lock()
	ls := append([]loaderEntry(nil), loaders...)
	loadersMu.Unlock()
	for _, l := range ls {
		if l.sniff(path, data) {
			return l.load(path, data, net, d)
		}
	}
	d.Skipped++
	d.Warnf(Source{File: path}, "", "not a topology file pathproof understands (design YAML, az CLI / ARM / Resource Graph JSON, terraform show -json); skipped")
	return nil
}

// Finish applies defaults, indexes and validates the network. Loaders that
// build a Network by hand call it once at the end.
func (n *Network) Finish(d *Diagnostics) {
	n.Index()
	n.Validate(d)
}
