package azlive

import (
	"context"
	"fmt"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// Scopes parses the azure:// values among --topology values and returns
// them and the other values (files and folders), each in order.
func Scopes(values []string) (scopes []Scope, files []string, err error) {
	for _, v := range values {
		if !IsLive(v) {
			files = append(files, v)
			continue
		}
		s, err := ParseScope(v)
		if err != nil {
			return nil, nil, err
		}
		scopes = append(scopes, s)
	}
	return scopes, files, nil
}

// Load reads --topology values into one validated Network, as load.Load
// does, with azure:// values read live (Fetch) and handed to the same
// loader as the files, so references join across both. The snapshot is
// nil when no value is live; its Problems are the scopes or parts that
// could not be read (the Network holds the rest). The error is for
// values that cannot be read at all, no scope that could be read, or a
// topology with validation errors.
func Load(ctx context.Context, opt Options, values ...string) (*topology.Network, *topology.Diagnostics, *Snapshot, error) {
	scopes, files, err := Scopes(values)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(scopes) == 0 {
		net, d, err := load.Load(files...)
		return net, d, nil, err
	}
	snap, err := Fetch(ctx, scopes, opt)
	if err != nil {
		return nil, nil, snap, err
	}
	l := load.New()
	if err := l.Paths(files...); err != nil {
		return nil, nil, snap, err
	}
	for _, d := range snap.Documents {
		if err := l.Bytes(SourceName(d.Name), d.Data); err != nil {
			return nil, nil, snap, fmt.Errorf("%s: %w", SourceName(d.Name), err)
		}
	}
	net, d := l.Finish()
	return net, d, snap, d.Err()
}

// SourceName is how diagnostics name a fetched document.
func SourceName(doc string) string { return "azure:" + doc }
