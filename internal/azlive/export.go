package azlive

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pathproof/pathproof/internal/topology/load"
)

// Manifest is the manifest.json of an export folder: when and what was
// read, never a credential.
type Manifest struct {
	Kind          string          `json:"kind"` // load.ManifestKind
	SchemaVersion int             `json:"schema_version"`
	Written       time.Time       `json:"written_at"`
	Fetched       *time.Time      `json:"fetched_at,omitempty"` // when the live scopes were read
	Scopes        []ManifestScope `json:"scopes"`
	Inputs        []ManifestInput `json:"inputs"`
	// Types counts the resources fetched live per lower-cased ARM type.
	Types map[string]int `json:"resources_by_type"`
	// Files are every file written beside the manifest, slash-separated.
	Files []string `json:"files"`
}

// ManifestScope is one live scope of an export.
type ManifestScope struct {
	Scope    string   `json:"scope"`
	Pages    int      `json:"resource_graph_pages"`
	Rows     int      `json:"resource_graph_rows"`
	ARMCalls int      `json:"arm_calls"`
	Error    string   `json:"error,omitempty"`
	Problems []string `json:"problems,omitempty"`
}

// ManifestInput is one file or folder input copied into an export.
type ManifestInput struct {
	Source string   `json:"source"`
	Files  []string `json:"files"`
}

// Export reads values (azure:// scopes live, files and folders as they
// are) and writes what it read into dir, which must be absent or empty,
// as a folder that --topology dir loads later, offline: each Resource
// Graph page and ARM list as Azure returned it (skip tokens removed) under
// resource-graph/ and arm/, each input file copied under inputs/N/, and
// manifest.json. Scopes that could not be read are in the manifest and
// the snapshot's Problems; the error is for values that could not be read
// at all, no readable scope, or a folder that cannot be written.
func Export(ctx context.Context, opt Options, dir string, values ...string) (*Manifest, *Snapshot, error) {
	scopes, files, err := Scopes(values)
	if err != nil {
		return nil, nil, err
	}
	if err := emptyDir(dir); err != nil {
		return nil, nil, err
	}
	m := &Manifest{Kind: load.ManifestKind, SchemaVersion: 1, Scopes: []ManifestScope{}, Inputs: []ManifestInput{}, Types: map[string]int{}, Files: []string{}}
	var snap *Snapshot
	if len(scopes) > 0 {
		if snap, err = Fetch(ctx, scopes, opt); err != nil {
			return nil, snap, err
		}
		fetched := snap.Fetched
		m.Fetched, m.Types = &fetched, snap.Types
		for _, r := range snap.Scopes {
			ms := ManifestScope{Scope: r.Scope.String(), Pages: r.Pages, Rows: r.Rows, ARMCalls: r.ARMCalls}
			if r.Err != nil {
				ms.Error = r.Err.Error()
			}
			for _, p := range r.Problems {
				ms.Problems = append(ms.Problems, p.Error())
			}
			m.Scopes = append(m.Scopes, ms)
		}
		for _, d := range snap.Documents {
			if err := writeFile(dir, d.Name, d.Data); err != nil {
				return nil, snap, err
			}
			m.Files = append(m.Files, d.Name)
		}
	}
	for i, v := range files {
		in, err := copyInput(dir, fmt.Sprintf("inputs/%d", i+1), v)
		if err != nil {
			return nil, snap, err
		}
		m.Inputs = append(m.Inputs, in)
		m.Files = append(m.Files, in.Files...)
	}
	sort.Strings(m.Files)
	m.Written = time.Now().UTC()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, snap, err
	}
	if err := writeFile(dir, load.ManifestName, append(data, '\n')); err != nil {
		return nil, snap, err
	}
	return m, snap, nil
}

// emptyDir makes dir, or checks that it is an empty folder: an export
// never mixes with other files, which a later load would read too.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case os.IsNotExist(err):
		return os.MkdirAll(dir, 0o700)
	case err != nil:
		return fmt.Errorf("--out %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("--out %s is not empty: an export needs a folder of its own (a later --topology %s reads every file in it)", dir, dir)
	}
	return nil
}

// copyInput copies the topology files of one input (a file, or the
// files a load reads of a folder, with their relative paths) under
// dir/prefix.
func copyInput(dir, prefix, input string) (ManifestInput, error) {
	in := ManifestInput{Source: input}
	found, err := load.Files(input)
	if err != nil {
		return in, fmt.Errorf("--topology %s: %w", input, err)
	}
	st, err := os.Stat(input)
	if err != nil {
		return in, err
	}
	for _, f := range found {
		rel := filepath.Base(f)
		if st.IsDir() {
			if rel, err = filepath.Rel(input, f); err != nil {
				return in, err
			}
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return in, fmt.Errorf("--topology %s: %w", input, err)
		}
		name := prefix + "/" + filepath.ToSlash(rel)
		if err := writeFile(dir, name, data); err != nil {
			return in, err
		}
		in.Files = append(in.Files, name)
	}
	return in, nil
}

// writeFile writes data to dir/name (slash-separated, inside dir).
func writeFile(dir, name string, data []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("export: refusing to write %q outside %s", name, dir)
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
