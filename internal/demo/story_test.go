package demo

import (
	"context"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/topology/load"
	"github.com/pathproof/pathproof/internal/trace"
)

// storyEvidence is a built story's events and captures.
type storyEvidence struct {
	s    Story
	evs  []event.Event
	caps []*pcap.Report
}

// n counts the events matching every predicate, within the story's
// explain window (At ± 10 minutes) when inWindow.
func (ev *storyEvidence) n(inWindow bool, preds ...func(e *event.Event) bool) int {
	c := 0
	for i := range ev.evs {
		e := &ev.evs[i]
		if inWindow && (e.Time.Before(ev.s.At.Add(-10*time.Minute)) || e.Time.After(ev.s.At.Add(10*time.Minute))) {
			continue
		}
		if !slices.ContainsFunc(preds, func(p func(*event.Event) bool) bool { return !p(e) }) {
			c++
		}
	}
	return c
}

// conn returns the capture connection to server, nil when none.
func (ev *storyEvidence) conn(server string) *pcap.Connection {
	for _, r := range ev.caps {
		for i := range r.Connections {
			if r.Connections[i].Server == server {
				return &r.Connections[i]
			}
		}
	}
	return nil
}

func src(ip string) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.SrcIP.String() == ip }
}
func dst(ip string) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.DstIP.String() == ip }
}
func dstPort(p uint16) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.DstPort == p }
}
func from(s event.Source) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.Source == s }
}
func emitter(name string) func(*event.Event) bool {
	return func(e *event.Event) bool { return strings.EqualFold(e.Emitter, name) }
}
func verdict(v event.Verdict) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.Verdict == v }
}
func rule(name string) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.Rule.Name == name }
}
func detail(k, v string) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.Detail[k] == v }
}
func answered(e *event.Event) bool { return e.PacketsRecv > 0 }
func inPrefix(p string) func(*event.Event) bool {
	pf := netip.MustParsePrefix(p)
	return func(e *event.Event) bool { return pf.Contains(e.SrcIP) }
}
func not(p func(*event.Event) bool) func(*event.Event) bool {
	return func(e *event.Event) bool { return !p(e) }
}

// fact is one thing a story's evidence must show: n (how many events or
// connections say so) must be at least min, or exactly 0 when min is 0.
type fact struct {
	what string
	n    func(ev *storyEvidence) int
	min  int
}

func hasFindings(c *pcap.Connection, codes ...string) bool {
	if c == nil {
		return false
	}
	for _, code := range codes {
		if !slices.ContainsFunc(c.Findings, func(f pcap.Finding) bool { return f.Code == code }) {
			return false
		}
	}
	return true
}

func boolN(b bool) int {
	if b {
		return 1
	}
	return 0
}

// storyFacts says what each story's evidence must show: the data tells the
// story before explain reads it.
var storyFacts = map[string][]fact{
	"rdp-never-reaches-azure": {
		{"nothing anywhere from the admin PC to the app VM", func(ev *storyEvidence) int { return ev.n(false, src("192.168.50.10"), dst("10.20.1.4")) }, 0},
		{"the gateway logged the tunnel up in the window", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceVPNGateway), detail("tunnel_state", "connected"))
		}, 1},
		{"the jump host logged the admin's RDP in the window", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A4E1004"), src("192.168.50.10"), dstPort(3389))
		}, 1},
		{"the app VM logged other traffic in the window", func(ev *storyEvidence) int { return ev.n(true, emitter("000D3A4E2004")) }, 3},
	},
	"https-asymmetric-return": {
		{"the VM's NIC logged the request in and answered", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A65A104"), src("192.168.20.10"), dstPort(443), verdict(event.VerdictAllow), answered)
		}, 3},
		{"the firewall's flow trace logged the reply INVALID", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceFirewall), detail("flag", "INVALID"), src("10.101.1.4"), dst("192.168.20.10"))
		}, 3},
		{"no firewall rule log of the request", func(ev *storyEvidence) int {
			return ev.n(false, from(event.SourceFirewall), src("192.168.20.10"))
		}, 0},
		{"the firewall's rule log was alive in the window", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceFirewall), not(detail("flow_trace", "true")))
		}, 1},
	},
	"pe-bypasses-firewall": {
		{"the client's NIC logged answered flows to the endpoint", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A0C0204"), dst("10.1.2.4"), dstPort(443), answered)
		}, 2},
		{"the storage account served the client's private address", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceStorage), src("10.0.2.4"), verdict(event.VerdictAllow))
		}, 2},
		{"the firewall made no decision on the storage flows", func(ev *storyEvidence) int {
			return ev.n(false, from(event.SourceFirewall), not(detail("query_type", "A")), func(e *event.Event) bool {
				return e.DstIP.String() == "10.1.2.4" || strings.HasPrefix(e.FQDN, "contosodata")
			})
		}, 0},
		{"the firewall logged the client's other traffic in the window", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceFirewall), src("10.0.2.4"), verdict(event.VerdictDeny))
		}, 1},
	},
	"app-rule-snat": {
		{"the firewall allowed the request by application rule", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceFirewall), src("10.4.1.4"), rule("api-https"), verdict(event.VerdictAllow))
		}, 3},
		{"the API NIC denied it from a firewall-subnet address", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A3C0104"), inPrefix("10.0.1.0/26"), dst("10.5.1.4"), rule("Deny-Other-HTTPS"), verdict(event.VerdictDeny))
		}, 3},
		{"the API NIC never saw the client's own address", func(ev *storyEvidence) int {
			return ev.n(false, emitter("000D3A3C0104"), src("10.4.1.4"))
		}, 0},
	},
	"tls-leaf-only-chain": {
		{"both NICs logged the HTTPS flow with bytes back", func(ev *storyEvidence) int {
			return ev.n(true, dst("10.2.0.7"), dstPort(443), src("10.1.0.4"), answered)
		}, 2},
		{"the capture shows the leaf-only chain refused", func(ev *storyEvidence) int {
			return boolN(hasFindings(ev.conn("10.2.0.7:443"), "tls.incomplete-chain", "tls.alert"))
		}, 1},
	},
	"keyvault-public-dns": {
		{"the vault firewall refused a public caller", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceKeyVault), verdict(event.VerdictDeny), detail("denial_layer", "vault-firewall"), detail("caller_address_kind", "public"))
		}, 1},
		{"vm-app's NIC went to the vault's public address", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A2B3C4D"), dst("52.174.33.140"), dstPort(443))
		}, 1},
		{"vm-batch reached the private endpoint and was served", func(ev *storyEvidence) int {
			return ev.n(true, from(event.SourceKeyVault), src("10.0.1.5"), verdict(event.VerdictAllow))
		}, 1},
	},
	"nsg-deny-at-server": {
		{"the SQL NIC denied the app VM by the named rule", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A2B0005"), src("10.1.0.4"), dstPort(1433), rule("Deny-SQL-Except-Batch"), verdict(event.VerdictDeny))
		}, 1},
		{"the app VM's SYNs left unanswered", func(ev *storyEvidence) int {
			return ev.n(true, emitter("000D3A1A0004"), dst("10.2.0.5"), not(answered), func(e *event.Event) bool { return e.PacketsSent > 0 })
		}, 1},
		{"the SQL NIC admitted the batch subnet", func(ev *storyEvidence) int {
			return ev.n(false, emitter("000D3A2B0005"), src("10.1.1.4"), rule("Allow-SQL-From-Batch"))
		}, 1},
		{"the capture shows the SYNs unanswered", func(ev *storyEvidence) int {
			return boolN(hasFindings(ev.conn("10.2.0.5:1433"), "tcp.no-response"))
		}, 1},
	},
}

// TestStoriesTellTheirStory builds every field story and checks, before
// explain is asked anything, that its logs parse without a skip, that its
// evidence shows what the story says, and that the simulation on its
// design stops (or answers) where the story expects.
func TestStoriesTellTheirStory(t *testing.T) {
	for _, s := range Stories() {
		t.Run(s.Name, func(t *testing.T) {
			d, err := s.Build(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			ev := &storyEvidence{s: s}
			ins, errs := logs.Expand([]string{d.Logs}, nil)
			if len(errs) > 0 || len(ins) == 0 {
				t.Fatalf("inputs %d, errors %v", len(ins), errs)
			}
			var rep logs.Report
			err = logs.ReadAll(context.Background(), ins, logs.Options{}, &rep, func(b []event.Event) error {
				ev.evs = append(ev.evs, b...)
				return nil
			})
			if err != nil || rep.Skipped() != 0 {
				t.Fatalf("reading the logs: %v, skipped %v", err, rep.Skips())
			}
			for _, c := range d.Captures {
				f, err := os.Open(c)
				if err != nil {
					t.Fatal(err)
				}
				r, err := pcap.Analyze(f, pcap.Options{})
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
				ev.caps = append(ev.caps, r)
			}
			facts := storyFacts[s.Name]
			if len(facts) == 0 {
				t.Fatal("no facts for this story")
			}
			for _, f := range facts {
				n := f.n(ev)
				if (f.min == 0 && n != 0) || n < f.min {
					t.Errorf("%s: %d, want %s%d", f.what, n, map[bool]string{true: "", false: "at least "}[f.min == 0], f.min)
				}
			}
			checkSimulation(t, s, d)
		})
	}
}

// checkSimulation traces the story's flow on its design and compares
// where it stops with the story's expected hop.
func checkSimulation(t *testing.T, s Story, d StoryData) {
	t.Helper()
	to, err := netip.ParseAddrPort(s.To)
	if err != nil {
		return // a name: explain resolves it, trace does not
	}
	n, _, err := load.Load(d.Topology)
	if err != nil {
		t.Fatal(err)
	}
	res, err := trace.Trace(n, trace.Query{From: s.From, Dst: to.Addr(), DstPort: to.Port(), Protocol: s.Protocol})
	if err != nil {
		t.Fatal(err)
	}
	switch s.Want.Verdict {
	case "dropped", "never-reached-azure":
		if res.Forward.Drop == nil || res.Forward.Drop.At != s.Want.At || res.Forward.Drop.Rule != s.Want.Rule {
			t.Errorf("simulated forward leg %s, drop %+v; the story expects a stop at %s (rule %q)", res.Forward.Result, res.Forward.Drop, s.Want.At, s.Want.Rule)
		}
	case "asymmetric-return":
		if res.Forward.Result != "delivered" || res.Return.Drop == nil || res.Return.Drop.At != s.Want.At {
			t.Errorf("simulated legs %s / %s (drop %+v); the story expects the reply dropped at %s", res.Forward.Result, res.Return.Result, res.Return.Drop, s.Want.At)
		}
	case "delivered-and-answered":
		if res.Forward.Result != "delivered" || res.Return.Result != "delivered" {
			t.Errorf("simulated legs %s / %s; the story expects delivery both ways", res.Forward.Result, res.Return.Result)
		}
	}
}
