package azlivetest

import (
	_ "embed"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
	"github.com/pathproof/pathproof/internal/topology/export"
)

// HubSubscription is the subscription of the hub fixture's ids.
const HubSubscription = export.Subscription

//go:embed hub.yaml
var hubDesign []byte

// Hub is hub.yaml (a hub with an Azure Firewall whose policy has two rule
// collection groups, two spokes, three NICs) as Azure would hold it: its
// ARM export split into Resource Graph rows (everything but the rule
// collection groups) and the policy's rule collection group list, which
// only ARM returns.
type Hub struct {
	ARMFile   string // the ARM export, for an offline load of the same network
	Rows      []any
	PolicyID  string
	RCGList   []byte // {"value": [...]}: the policy's rule collection groups
	Resources int    // resources in the export
}

// NewHub builds the fixture; the ARM export is written to a temporary
// folder.
func NewHub(t testing.TB) Hub {
	t.Helper()
	n, err := design.Parse("hub.yaml", hubDesign)
	if err != nil {
		t.Fatal(err)
	}
	n.Finish(&topology.Diagnostics{})
	data, _, err := export.ARM(n)
	if err != nil {
		t.Fatal(err)
	}
	h := Hub{ARMFile: filepath.Join(t.TempDir(), "hub.arm.json")}
	if err := os.WriteFile(h.ARMFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	h.Resources = len(list.Value)
	var rest, groups []map[string]any
	for _, r := range list.Value {
		typ, _ := r["type"].(string)
		switch strings.ToLower(typ) {
		case "microsoft.network/firewallpolicies/rulecollectiongroups":
			groups = append(groups, r)
			continue
		case "microsoft.network/firewallpolicies":
			h.PolicyID, _ = r["id"].(string)
		}
		rest = append(rest, r)
	}
	if h.PolicyID == "" || len(groups) != 2 {
		t.Fatalf("hub fixture: policy %q, %d rule collection groups", h.PolicyID, len(groups))
	}
	h.Rows = Rows(t, rest...)
	if h.RCGList, err = json.Marshal(map[string]any{"value": groups}); err != nil {
		t.Fatal(err)
	}
	return h
}

// ServeHub makes s answer for subscription sub with the hub fixture, in
// Resource Graph pages of size rows built on envelope (a Resource Graph
// response body), and the rule collection groups through ARM.
func (s *Server) ServeHub(t testing.TB, sub string, envelope []byte, size int) Hub {
	t.Helper()
	h := NewHub(t)
	s.Graph(sub, Pages(t, envelope, h.Rows, size)...)
	s.Get(h.PolicyID+"/ruleCollectionGroups", h.RCGList)
	return h
}

// Envelope is the body of a Resource Graph response example file (the
// shared ResourcesFirstPageQuery.json), for Pages.
func Envelope(t testing.TB, example []byte) []byte {
	t.Helper()
	b, err := json.Marshal(Body(t, example))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
