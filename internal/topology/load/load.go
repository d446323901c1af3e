// Package load reads topology files in any format pathproof understands
// into one validated topology.Network. The formats, and the order in which
// they are tried, are the formats table below.
package load

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/azjson"
	"github.com/pathproof/pathproof/internal/topology/design"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
	"github.com/pathproof/pathproof/internal/topology/terraform"
)

// format is one input format: sniff says whether it claims a file (from
// its name and content), read adds the file to the load.
type format struct {
	name  string
	sniff func(in *input) bool
	read  func(l *Loader, in *input) error
}

// formats are tried in this order; the first whose sniff claims a file
// reads it. The manifest of a topology export (pathproof topology export)
// is passed over; the design format comes next (it may be written as
// JSON), then terraform show -json, then every other JSON document. A JSON
// file is decoded at most once (input.json): the design sniff reads only its
// top-level keys, terraform's decodes it, and the format that claims it
// reads the decoded document.
var formats = []format{
	{"export manifest", func(in *input) bool { return IsManifest(in.path, in.data) }, func(*Loader, *input) error { return nil }},
	{"design", func(in *input) bool { return design.Sniff(in.path, in.data) }, (*Loader).readDesign},
	{"terraform", sniffTerraform, azure(terraform.ReadValue)},
	{"azure-json", func(in *input) bool { return azjson.Sniff(in.path, in.data) }, azure(azjson.ReadValue)},
}

// sniffTerraform claims terraform show -json output: cheaply turned down
// from the bytes, else decided on the decoded document.
func sniffTerraform(in *input) bool {
	if !terraform.MaybeState(in.data) {
		return false
	}
	v, err := in.json()
	return err == nil && terraform.SniffValue(v)
}

// input is one file as the formats see it: its path, its bytes and, once
// a format asked, its JSON decoded by jsonobj.Decode (or why it is not
// JSON), shared by every format after it.
type input struct {
	path    string
	data    []byte
	decoded bool
	value   any
	err     error
}

// json decodes the file once and returns the document every time.
func (in *input) json() (any, error) {
	if !in.decoded {
		in.value, in.err = jsonobj.Decode(in.data)
		in.decoded = true
	}
	return in.value, in.err
}

// maxInputSize bounds one topology file (a whole-tenant export is far smaller).
const maxInputSize = 512 << 20

// Load reads every file in paths (files or folders, walked recursively; only
// .yaml, .yml and .json files in folders) into one Network, indexes and
// validates it. It returns an error when a path cannot be read or the
// topology has validation errors; the Network and Diagnostics are returned
// in any case so callers can show every problem.
func Load(paths ...string) (*topology.Network, *topology.Diagnostics, error) {
	l := New()
	if err := l.Paths(paths...); err != nil {
		return l.net, l.diags, err
	}
	net, d := l.Finish()
	return net, d, d.Err()
}

// Paths reads files and folders into the load (folders walked
// recursively; only .yaml, .yml and .json files in folders). The error is
// for a path that cannot be listed; then nothing of paths is read. A file
// that cannot be read is an error diagnostic.
func (l *Loader) Paths(paths ...string) error {
	var files []string
	for _, p := range paths {
		found, err := Files(p)
		if err != nil {
			return fmt.Errorf("topology: %w", err)
		}
		files = append(files, found...)
	}
	for _, f := range files {
		if err := l.File(f); err != nil {
			l.errorf(topology.Source{File: f}, "%v", err)
		}
	}
	return nil
}

// Files returns p if it is a file, else the topology files under the
// folder p (.yaml, .yml and .json; hidden folders skipped), sorted: what
// Load reads of p.
func Files(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{p}, nil
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
		return nil, err
	}
	sort.Strings(found)
	return found, nil
}

// File reads one file into the load with the first format that claims it.
// The error is for a file that cannot be read at all; problems with single
// resources become diagnostics.
func (l *Loader) File(path string) error {
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
	return l.Bytes(path, data)
}

// Bytes is File on data already read.
func (l *Loader) Bytes(path string, data []byte) error {
	in := &input{path: path, data: data}
	for _, f := range formats {
		if f.sniff(in) {
			return f.read(l, in)
		}
	}
	l.skipped++
	l.warnf(topology.Source{File: path}, "not a topology file pathproof understands (design YAML, az CLI / ARM / Resource Graph JSON, terraform show -json); skipped")
	return nil
}
