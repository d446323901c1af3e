package demo

import (
	"embed"
	"fmt"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

// storyFiles are the designs written for the field stories; the stories
// that retell a trace demo use its design under data/trace.
//
//go:embed data/story/*.yaml
var storyFiles embed.FS

// Story is one field story `pathproof explain` tells end to end: a ticket
// as a user files it, the network it happens in (a design), the evidence
// Azure would have written (logs in the storage-account layout, a capture),
// the explain question, and the answer the story expects.
type Story struct {
	// Name is what `pathproof demo NAME` runs.
	Name string
	// Ticket is the problem as the user reports it.
	Ticket string
	// Proves says in one line what explain shows on this story.
	Proves string
	// Design is the topology file under data/ (trace/… or story/…).
	Design string
	// From, To and Protocol are the explain question with the topology;
	// EvidenceFrom and EvidenceTo the same flow as addresses, for the
	// question asked from the evidence alone.
	From, To, Protocol       string
	EvidenceFrom, EvidenceTo string
	// At is when the user saw the problem (explain --at).
	At time.Time
	// Want is the answer the story expects.
	Want StoryWant
	// write writes the story's evidence.
	write func(k *storyKit) error
}

// StoryWant is a story's expected answer.
type StoryWant struct {
	// Verdict and At are the verdict and hop with the topology.
	Verdict, At string
	// Rule is the rule the verdict names, when it names one.
	Rule string
	// EvidenceVerdict and EvidenceAt are the verdict and hop from the
	// evidence alone. EvidenceAt is At wherever the evidence names the hop
	// as the topology does (a firewall, gateway or PaaS resource: the
	// resource's name in its log); it differs where only the topology has
	// the name: a NIC is then named by its address (nic:10.5.1.4, not
	// nic:api-nic) and an on-premises host by its address, not its site
	// (onprem:192.168.50.10, not onprem:branch).
	EvidenceVerdict, EvidenceAt string
	// Says lists what the answer with the topology must say beyond the
	// verdict: a phrase of its summary, or "finding CODE" for a finding
	// that cites a log record (the evidence, not only the simulation).
	// EvidenceSays is the same from the evidence alone.
	Says, EvidenceSays []string
}

// StoryData is where a built story's files are.
type StoryData struct {
	// Dir holds them all; Topology is the design, Logs the folder in the
	// storage-account layout, Captures the packet captures.
	Dir, Topology, Logs string
	Captures            []string
}

// Stories returns the field stories in the order the demo tells them.
func Stories() []Story {
	return []Story{rdpStory, asymmetricStory, peBypassStory, snatStory, tlsStory, keyVaultStory, nsgDenyStory}
}

// storyKit is what a story's writer writes with.
type storyKit struct {
	data   *StoryData
	script *loggen.Script
}

// capture returns the path of a capture file named name and records it.
func (k *storyKit) capture(name string) string {
	p := filepath.Join(k.data.Dir, name)
	k.data.Captures = append(k.data.Captures, p)
	return p
}

// Build writes the story's design, logs and captures into dir (created if
// needed; earlier logs there are replaced) and says where they are.
func (s Story) Build(dir string) (StoryData, error) {
	d := StoryData{Dir: dir, Topology: filepath.Join(dir, path.Base(s.Design)), Logs: filepath.Join(dir, "logs")}
	if err := os.RemoveAll(d.Logs); err != nil {
		return d, fmt.Errorf("story %s: %w", s.Name, err)
	}
	if err := os.MkdirAll(d.Logs, 0o755); err != nil {
		return d, fmt.Errorf("story %s: %w", s.Name, err)
	}
	design, err := designFile(s.Design)
	if err != nil {
		return d, fmt.Errorf("story %s: %w", s.Name, err)
	}
	if err := os.WriteFile(d.Topology, design, 0o644); err != nil {
		return d, fmt.Errorf("story %s: %w", s.Name, err)
	}
	k := &storyKit{data: &d, script: loggen.NewScript(loggen.ScriptOptions{Out: d.Logs, Seed: 10, ResourceGroup: "contoso-rg", Region: "westeurope"})}
	if err := s.write(k); err != nil {
		return d, fmt.Errorf("story %s: %w", s.Name, err)
	}
	if _, err := k.script.Write(); err != nil {
		return d, fmt.Errorf("story %s: %w", s.Name, err)
	}
	return d, nil
}

// designFile reads a design under data/: the stories' own or a trace demo's.
func designFile(name string) ([]byte, error) {
	if b, err := storyFiles.ReadFile("data/" + name); err == nil {
		return b, nil
	}
	return traceFiles.ReadFile("data/" + name)
}

// ExplainArgs is the explain command line for the story's data, with the
// topology or (withTopology false) from the evidence alone.
func (s Story) ExplainArgs(d StoryData, withTopology bool) []string {
	args := []string{"explain"}
	if withTopology {
		args = append(args, "--topology", d.Topology, "--from", s.From, "--to", s.To)
	} else {
		args = append(args, "--from", s.EvidenceFrom, "--to", s.EvidenceTo)
	}
	if s.Protocol != "" && s.Protocol != "tcp" {
		args = append(args, "--protocol", s.Protocol)
	}
	args = append(args, "--at", s.At.UTC().Format(time.RFC3339), "--logs", d.Logs)
	for _, c := range d.Captures {
		args = append(args, "--pcap", c)
	}
	return args
}

// Helpers for the stories' evidence.

func addr(s string) netip.Addr         { return netip.MustParseAddr(s) }
func addrPort(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// nic is a NIC of a story: the MAC its flow log records carry.
func nic(vnet, mac string) loggen.FlowLogNIC { return loggen.FlowLogNIC{VNet: vnet, MAC: mac} }

// tcp is an allowed TCP flow from src to dst between start and end with
// its counters (packets and bytes each way); inbound says whether the NIC
// logging it is the destination's.
func tcp(start, end time.Time, src, dst string, inbound bool, rule, ruleGUID, acl string, ps, bs, pr, br int64) loggen.Flow {
	return loggen.Flow{Start: start, End: end, Proto: 6, Src: addrPort(src), Dst: addrPort(dst), Inbound: inbound,
		Rule: rule, RuleGUID: ruleGUID, ACL: acl, PacketsSent: ps, BytesSent: bs, PacketsRecv: pr, BytesRecv: br}
}

// denied is a TCP flow refused at the logging NIC by rule.
func denied(at time.Time, src, dst string, inbound bool, rule, ruleGUID, acl string) loggen.Flow {
	return loggen.Flow{Start: at, Proto: 6, Src: addrPort(src), Dst: addrPort(dst), Inbound: inbound, Denied: true, Rule: rule, RuleGUID: ruleGUID, ACL: acl}
}

// clock returns the time at hh:mm:ss.ms on the story's day.
func clock(day time.Time, h, m, s, ms int) time.Time {
	y, mo, d := day.Date()
	return time.Date(y, mo, d, h, m, s, ms*int(time.Millisecond), time.UTC)
}
