package exportrender

import (
	"bytes"
	"testing"

	"github.com/pathproof/pathproof/internal/azlive"
)

func TestHuman(t *testing.T) {
	a := Answer{Dir: "incident\x1b[2J", Warnings: 2, Loads: map[string]int{"vnets": 2, "subnets": 5, "firewalls": 0},
		Manifest: &azlive.Manifest{Files: []string{"a", "b", "c"},
			Scopes: []azlive.ManifestScope{
				{Scope: "sub1", Pages: 2, Rows: 40, ARMCalls: 3},
				{Scope: "sub2", Error: "denied"},
				{Scope: "sub3/rg", Pages: 1, Rows: 1, Problems: []string{"x"}},
			},
			Inputs: []azlive.ManifestInput{{Source: "hub.yaml", Files: []string{"inputs/0/hub.yaml"}}}}}
	var b bytes.Buffer
	if err := Human(&b, a); err != nil {
		t.Fatal(err)
	}
	want := `wrote incident\x1b[2J: 3 files and manifest.json
  sub1: read, 40 Resource Graph rows in 2 pages, 3 ARM calls
  sub2: NOT READ, 0 Resource Graph rows in 0 pages, 0 ARM calls
  sub3/rg: read in part, 1 Resource Graph rows in 1 pages, 0 ARM calls
  hub.yaml: 1 files copied
LOADS AS  COUNT
subnets   5
vnets     2
replay: pathproof <command> --topology incident\x1b[2J (2 load warnings: skipped types as in any export)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
