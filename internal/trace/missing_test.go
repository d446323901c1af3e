package trace

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// loadMissing loads testdata/file, an export that lacks one resource, and
// requires exactly one missing reference whose id holds wantRef.
func loadMissing(t *testing.T, file, wantRef string) (*topology.Network, *azure.Engine) {
	t.Helper()
	n, d, err := load.Load(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(d.Missing) != 1 || !strings.Contains(d.Missing[0].Ref, wantRef) {
		t.Fatalf("missing references %v, want one naming %s", d.Missing, wantRef)
	}
	return n, azure.New(n, azure.Options{})
}

// traceTCP traces a TCP flow from → to on e.
func traceTCP(t *testing.T, e *azure.Engine, from, to string) *Result {
	t.Helper()
	q, err := ParseQuery(from, to, "tcp", DefaultSourcePort)
	if err != nil {
		t.Fatal(err)
	}
	res, err := TraceEngine(e, q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
