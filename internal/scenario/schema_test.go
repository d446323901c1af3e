package scenario

import (
	"errors"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology"
)

// validScenario parses; each case of TestParseRejects breaks one thing.
const validScenario = `schema: pathproof.scenario/v1
id: s
profile: {platform_none_routes: documented}
sources: [{key: S1, url: https://example.com, title: t, used_for: u}]
topology:
  vnets:
    - name: hub
      address_space: [10.0.0.0/16]
      subnets: [{name: a, prefix: 10.0.1.0/24, nsg: n}]
  nsgs: [{name: n, rules: []}]
  nics: [{name: vm-nic, subnet: hub/a, ip: 10.0.1.4}]
queries:
  - id: q1
    kind: next_hop
    input: {nic: vm-nic, destination_ip: 10.0.1.5}
    expect: {next_hop_type: VnetLocal}
    modify:
      - {op: add_nsg_rule, nsg: n, rule: {name: r, priority: 100, direction: Inbound, access: Allow, protocol: Tcp}}
`

func TestParseAcceptsTheSchema(t *testing.T) {
	f, err := Parse("s.yaml", []byte(validScenario))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Queries) != 1 || f.Sources[0].Key != "S1" {
		t.Errorf("parsed %+v", f)
	}
	if rep := Run(f, RunOptions{}); !rep.Results[0].Pass {
		t.Errorf("query failed: %v", rep.Results[0].Diff)
	}
}

// TestParseRejects: a file that is not a scenario, and every kind of
// unknown key, is an error naming the file, the line and the key.
func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []string // substrings of the error
	}{
		{"not a scenario", "hello: world\n", []string{"s.yaml: not a scenario file", "schema: pathproof.scenario/v1"}},
		{"monitor config", "tests:\n  - name: x\n", []string{"not a scenario file"}},
		{"bare topology", "vnets:\n  - name: a\n", []string{"not a scenario file"}},
		{"other schema", "schema: pathproof.monitor/v1\n", []string{`schema "pathproof.monitor/v1" is not pathproof.scenario/v1`}},
		{"no queries", "schema: pathproof.scenario/v1\nid: x\n", []string{"s.yaml: no queries"}},
		{"misspelled query key", edit(validScenario, "    expect: {", "    expcet: {"),
			[]string{`s.yaml:16:5: unknown key "expcet" in queries[0]`, "known: expect, id, input, kind, modify, notes, provenance, source"}},
		{"top-level key", validScenario + "queris: []\n", []string{`s.yaml:19:1: unknown key "queris" in the top level (known: id, notes, profile, provenance, queries, schema, sources, summary, title, topology)`}},
		{"topology key", edit(validScenario, "address_space", "adress_space"), []string{`s.yaml:8:7: unknown key "adress_space" in topology.vnets`}},
		{"nested topology key", edit(validScenario, "prefix: 10.0.1.0/24", "prefx: 10.0.1.0/24"), []string{`s.yaml:9:27: unknown key "prefx" in topology.vnets[0].subnets[0]`}},
		{"profile key", edit(validScenario, "platform_none_routes", "platform_none_route"), []string{`s.yaml:3:11: unknown key "platform_none_route" in profile`}},
		{"source key", edit(validScenario, "used_for", "usedfor"), []string{`unknown key "usedfor" in sources[0]`}},
		{"input key", edit(validScenario, "destination_ip", "destinaton_ip"), []string{`s.yaml:15:26: unknown key "destinaton_ip" in queries[0] (q1).input`}},
		{"expect key", edit(validScenario, "next_hop_type: VnetLocal", "next_hop_typ: VnetLocal"), []string{`s.yaml:16:14: unknown key "next_hop_typ" in queries[0] (q1).expect (known: next_hop_ip, next_hop_type, route_table)`}},
		{"modify op", edit(validScenario, "op: add_nsg_rule", "op: add_nsg_rules"), []string{`s.yaml:18:14: queries[0] (q1).modify[0]: unknown op "add_nsg_rules" (known ops: add_firewall_rule_collection`}},
		{"modify object key", edit(validScenario, "access: Allow", "acess: Allow"), []string{`unknown key "acess" in queries[0] (q1).modify[0].rule`}},
		{"unknown kind", edit(validScenario, "kind: next_hop", "kind: next_hopp"), []string{`s.yaml:14:11: queries[0] (q1): unknown query kind "next_hopp" (known kinds: advertised_routes, `, "effective_routes", "path_trace"}},
		{"no kind", edit(validScenario, "kind: next_hop", "knd: next_hop"), []string{`unknown key "knd"`, "queries[0] (q1) has no id or kind"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tc.data))
			if err == nil {
				t.Fatal("parsed")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

func edit(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("edit: " + old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestSchemaErrorListsEveryKey: all unknown keys are reported at once, one
// per line.
func TestSchemaErrorListsEveryKey(t *testing.T) {
	data := edit(edit(validScenario, "address_space", "adress_space"), "destination_ip", "dst")
	_, err := Parse("s.yaml", []byte(data))
	var se *SchemaError
	if !errors.As(err, &se) || se.Problems != 2 || strings.Count(err.Error(), "\n") != 1 {
		t.Fatalf("error %v (%#v)", err, se)
	}
}

// TestEveryKindDeclaresKeys: a kind registered without keys would accept
// any misspelling.
func TestEveryKindDeclaresKeys(t *testing.T) {
	for _, k := range Kinds() {
		e, _ := lookupKind(k)
		if len(e.input) == 0 || len(e.expect) == 0 {
			t.Errorf("%s: input keys %v, expect keys %v", k, e.input, e.expect)
		}
	}
}

// TestOpKeysMatchApply: every op with keys is one applyOne performs.
func TestOpKeysMatchApply(t *testing.T) {
	for op := range opKeys {
		err := applyOne(&topology.Network{}, map[string]any{"op": op})
		if err != nil && strings.Contains(err.Error(), "unknown op") {
			t.Errorf("%s: %v", op, err)
		}
	}
	if err := applyOne(&topology.Network{}, map[string]any{"op": "nope"}); err == nil || !strings.Contains(err.Error(), "unknown op") {
		t.Errorf("applyOne accepts an unknown op: %v", err)
	}
}
