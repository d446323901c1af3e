// Package scenario reads pathproof scenario files (schema
// pathproof.scenario/v1: a topology plus queries with expected answers),
// applies each query's `modify` edits to a copy of the topology, runs the
// query through the kind registered for it and compares the actual answer
// with the expectation.
//
// Query kinds are a registry: Register("kind", fn). This package registers
// the Network Watcher kinds (effective_routes, next_hop, ip_flow_verify,
// nsg_diagnostics, tag_membership, firewall_decision,
// firewall_processing_order, advertised_routes, vpn_nat); other packages
// add theirs (path_trace) from their own init functions.
package scenario

import (
	"fmt"
	"os"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
)

// Schema is the scenario schema this package reads.
const Schema = "pathproof.scenario/v1"

// ProfileNoneRoutes is the profile key choosing the platform None routes
// (azure.ProfileDocumented or azure.ProfileObserved).
const ProfileNoneRoutes = "platform_none_routes"

// File is one parsed scenario file.
type File struct {
	Path       string            `yaml:"-"`
	Schema     string            `yaml:"schema"`
	ID         string            `yaml:"id"`
	Title      string            `yaml:"title"`
	Provenance string            `yaml:"provenance"`
	Summary    string            `yaml:"summary"`
	Profile    map[string]string `yaml:"profile"`
	Sources    []SourceRef       `yaml:"sources"`
	Queries    []Query           `yaml:"queries"`
	Notes      string            `yaml:"notes"`
	// Topology is the file's own topology (indexed, not validated).
	Topology *topology.Network `yaml:"-"`
}

// SourceRef is a document the file's answers come from; a query's
// Source names its Key.
type SourceRef struct {
	Key     string `yaml:"key"`
	URL     string `yaml:"url"`
	Title   string `yaml:"title"`
	UsedFor string `yaml:"used_for"`
}

// Query is one question with its expected answer.
type Query struct {
	ID         string           `yaml:"id"`
	Kind       string           `yaml:"kind"`
	Provenance string           `yaml:"provenance"`
	Source     string           `yaml:"source"`
	Input      map[string]any   `yaml:"input"`
	Expect     any              `yaml:"expect"`
	Modify     []map[string]any `yaml:"modify"`
	Notes      string           `yaml:"notes"`
}

// maxScenarioFile bounds a scenario file.
const maxScenarioFile = 64 << 20

// ReadFile parses a scenario file and its topology.
func ReadFile(path string) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxScenarioFile {
		return nil, fmt.Errorf("%s: %d bytes is more than the %d limit", path, st.Size(), maxScenarioFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses scenario data read from path. A scenario has the schema
// line and at least one query; keys the schema does not have, query kinds
// nobody registered and modify ops that do not exist are errors naming
// the line (a *SchemaError), so a misspelled key cannot pass unnoticed.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	if err := design.UnmarshalYAML(data, f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch f.Schema {
	case Schema:
	case "":
		return nil, fmt.Errorf("%s: not a scenario file: it has no `schema: %s` line", path, Schema)
	default:
		return nil, fmt.Errorf("%s: schema %q is not %s", path, f.Schema, Schema)
	}
	if err := checkKeys(path, data); err != nil {
		return nil, err
	}
	if len(f.Queries) == 0 {
		return nil, fmt.Errorf("%s: no queries: a scenario file needs at least one", path)
	}
	n, err := design.Parse(path, data)
	if err != nil {
		return nil, err
	}
	n.Index()
	f.Topology = n
	for i, q := range f.Queries {
		if q.ID == "" || q.Kind == "" {
			return nil, fmt.Errorf("%s: query %d has no id or kind", path, i+1)
		}
	}
	return f, nil
}
