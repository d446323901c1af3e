package logs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/testenv"
)

// These tests compare pathproof's parse with an independent one: Elastic's
// expected output shipped beside its test inputs (SOURCES.md "Expected-output
// oracles"). Only meaning is compared: 5-tuple, action, rule names, NAT
// target, counters.

type oracle struct {
	Expected []map[string]any `json:"expected"`
}

func loadOracle(t *testing.T, rel string) oracle {
	t.Helper()
	data, err := os.ReadFile(testenv.Shared(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	var o oracle
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Expected) == 0 {
		t.Fatalf("%s: no expected entries", rel)
	}
	return o
}

// get walks a dotted path through decoded JSON; "" when absent.
func jget(m any, path string) string {
	cur := m
	for _, p := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[p]
	}
	switch v := cur.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return fmt.Sprint(int64(v))
	case []any:
		if len(v) == 1 {
			return fmt.Sprint(v[0])
		}
	}
	return fmt.Sprint(cur)
}

// parseOne reads one raw record (the oracle's event.original) through the
// whole reader.
func parseOne(t *testing.T, raw string) ([]event.Event, *Report) {
	t.Helper()
	var rep Report
	var evs []event.Event
	in := StdinInput(strings.NewReader(raw))
	if err := Read(context.Background(), in, &rep, func(e *event.Event) error { evs = append(evs, *e); return nil }); err != nil {
		t.Fatal(err)
	}
	return evs, &rep
}

func portStr(p uint16) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprint(p)
}

func checkField(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func TestOracleFirewall(t *testing.T) {
	for _, rel := range []string{
		"azure-logs/firewall/elastic/test-networkrules-raw.log-expected.json",
		"azure-logs/firewall/elastic/test-applicationrules-raw.log-expected.json",
	} {
		o := loadOracle(t, rel)
		for i, x := range o.Expected {
			name := fmt.Sprintf("%s#%d", rel[strings.LastIndex(rel, "/")+1:], i)
			t.Run(name, func(t *testing.T) {
				evs, rep := parseOne(t, jget(x, "event.original"))
				if len(evs) != 1 || rep.Skipped() != 0 {
					t.Fatalf("got %d events, skips %v", len(evs), rep.Skips())
				}
				e := evs[0]
				checkField(t, "src ip", e.SrcIP.String(), jget(x, "source.ip"))
				checkField(t, "src port", portStr(e.SrcPort), jget(x, "source.port"))
				if d := jget(x, "destination.domain"); d != "" {
					checkField(t, "fqdn", e.FQDN, d)
				} else if ip := jget(x, "destination.ip"); ip != "" {
					checkField(t, "dst ip", e.DstIP.String(), ip)
				} else if e.DstIP.IsValid() || e.FQDN != "" {
					t.Errorf("destination %v %q where the oracle has none", e.DstIP, e.FQDN)
				}
				checkField(t, "dst port", portStr(e.DstPort), jget(x, "destination.port"))
				proto := jget(x, "network.transport")
				if proto == "" {
					proto = strings.TrimSpace(jget(x, "network.protocol"))
				}
				checkField(t, "protocol", e.Protocol, proto)
				if a := jget(x, "azure.firewall.action"); a != "" {
					checkField(t, "action", string(e.Verdict), strings.ToLower(a))
				}
				if ip := jget(x, "destination.nat.ip"); ip != "" {
					if e.NAT == nil {
						t.Fatalf("no NAT, want %s", ip)
					}
					checkField(t, "verdict", string(e.Verdict), "dnat")
					checkField(t, "nat ip", e.NAT.TranslatedIP.String(), ip)
					checkField(t, "nat port", portStr(e.NAT.TranslatedPort), jget(x, "destination.nat.port"))
				}
				if id := jget(x, "rule.id"); id != "" {
					checkField(t, "signature", e.Rule.Signature, id)
					checkField(t, "idps description", e.Detail["idps_description"], jget(x, "rule.name"))
					checkField(t, "idps classification", e.Detail["idps_classification"], jget(x, "rule.category"))
				} else if n := jget(x, "rule.name"); n != "" {
					if e.Rule.ThreatIntel != "" {
						checkField(t, "threat intel", e.Rule.ThreatIntel, n)
					} else {
						checkField(t, "rule", e.Rule.Name, n)
						checkField(t, "web category", e.Detail["web_category"], jget(x, "rule.category"))
					}
				}
				checkField(t, "rule collection", e.Rule.RuleCollection, jget(x, "rule.ruleset"))
				checkField(t, "policy", e.Rule.Policy, jget(x, "azure.firewall.policy"))
				checkField(t, "rule collection group", e.Rule.RuleCollectionGroup, jget(x, "azure.firewall.rule_collection_group"))
				checkField(t, "url", e.URL, jget(x, "url.original"))
				checkField(t, "time", e.Time.Format("2006-01-02T15:04:05.000Z"), jget(x, "@timestamp"))
				checkField(t, "emitter", e.Emitter, jget(x, "azure.resource.name"))
			})
		}
	}
}

func TestOracleFlowLogs(t *testing.T) {
	cases := []struct {
		rel, root, groups, inner, macKey string
	}{
		{"azure-logs/vnet-flow-logs/elastic/test-vnet.log-expected.json", "azure_network_watcher_vnet.log", "records.flows", "groups", "mac_address"},
		{"azure-logs/nsg-flow-logs/elastic/test-nsg.log-expected.json", "azure_network_watcher_nsg.log", "properties.flows", "flows", "mac"},
	}
	for _, c := range cases {
		o := loadOracle(t, c.rel)
		for _, x := range o.Expected {
			evs, rep := parseOne(t, jget(x, "event.original"))
			if rep.Skipped() != 0 {
				t.Fatalf("%s: skips %v", c.rel, rep.Skips())
			}
			// Flatten the oracle's tuples in document order.
			type want struct {
				rule, mac string
				tup       map[string]any
			}
			var wants []want
			root := x
			for _, p := range strings.Split(c.root, ".") {
				root = root[p].(map[string]any)
			}
			flows := root
			var list []any
			for _, p := range strings.Split(c.groups, ".") {
				switch v := flows[p].(type) {
				case map[string]any:
					flows = v
				case []any:
					list = v
				}
			}
			mac := jget(root, "mac_address")
			for _, f := range list {
				fm := f.(map[string]any)
				for _, g := range fm[c.inner].([]any) {
					gm := g.(map[string]any)
					rule := jget(gm, "rule")
					if rule == "" {
						rule = jget(fm, "rule")
					}
					m := mac
					if mm := jget(gm, "mac"); mm != "" {
						m = mm
					}
					for _, tu := range gm["tuples"].([]any) {
						wants = append(wants, want{rule, m, tu.(map[string]any)})
					}
				}
			}
			if len(evs) != len(wants) {
				t.Fatalf("%s: %d events, oracle has %d tuples", c.rel, len(evs), len(wants))
			}
			for i, w := range wants {
				e := evs[i]
				p := fmt.Sprintf("%s tuple %d", c.rel, i)
				checkField(t, p+" src", e.SrcIP.String(), jget(w.tup, "source.ip"))
				checkField(t, p+" sport", portStr(e.SrcPort), jget(w.tup, "source.port"))
				checkField(t, p+" dst", e.DstIP.String(), jget(w.tup, "destination.ip"))
				checkField(t, p+" dport", portStr(e.DstPort), jget(w.tup, "destination.port"))
				proto := map[string]string{"6": "tcp", "17": "udp", "TCP": "tcp", "UDP": "udp"}[jget(w.tup, "protocol")]
				checkField(t, p+" proto", e.Protocol, proto)
				dir := jget(w.tup, "flow.direction") + jget(w.tup, "traffic.flow")
				checkField(t, p+" direction", string(e.Direction), map[string]string{"Outbound": "out", "Inbound": "in"}[dir])
				state := jget(w.tup, "flow.state") + jget(w.tup, "flow_state")
				checkField(t, p+" state", e.FlowState, strings.ToLower(state))
				if dec := jget(w.tup, "traffic.decision"); dec != "" {
					checkField(t, p+" verdict", string(e.Verdict), map[string]string{"Allowed": "allow", "Denied": "deny"}[dec])
				}
				if enc := jget(w.tup, "flow.encryption"); enc != "" {
					checkField(t, p+" encryption", e.Detail["encryption"], enc)
				}
				n := func(v int64) string { return fmt.Sprint(v) }
				checkField(t, p+" packets sent", n(e.PacketsSent), jget(w.tup, "packets.sent"))
				checkField(t, p+" bytes sent", n(e.BytesSent), jget(w.tup, "bytes.sent"))
				checkField(t, p+" packets recv", n(e.PacketsRecv), jget(w.tup, "packets.received"))
				checkField(t, p+" bytes recv", n(e.BytesRecv), jget(w.tup, "bytes.received"))
				checkField(t, p+" time", e.Time.Format("2006-01-02T15:04:05.000Z"), jget(w.tup, "timestamp"))
				checkField(t, p+" rule", e.Rule.Name, w.rule)
				checkField(t, p+" mac", e.Emitter, strings.ReplaceAll(w.mac, "-", ""))
				checkField(t, p+" tuple index", fmt.Sprint(e.Origin.Tuple), fmt.Sprint(i))
			}
		}
	}
}
