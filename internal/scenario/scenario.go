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
)

// Schema is the scenario schema this package reads.
const Schema = "pathproof.scenario/v1"

// File is one parsed scenario file.
type File struct {
	Path       string
	Schema     string            `yaml:"schema"`
	ID         string            `yaml:"id"`
	Title      string            `yaml:"title"`
	Provenance string            `yaml:"provenance"`
	Profile    map[string]string `yaml:"profile"`
	Queries    []Query           `yaml:"queries"`
	// Topology is the file's own topology (indexed, not validated).
	Topology *topology.Network `yaml:"-"`
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

// Parse parses scenario data read from path.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	if err := topology.UnmarshalYAML(data, f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.Schema != "" && f.Schema != Schema {
		return nil, fmt.Errorf("%s: schema %q is not %s", path, f.Schema, Schema)
	}
	n, err := topology.ParseDesign(path, data)
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
