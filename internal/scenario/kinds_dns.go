package scenario

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/trace"
)

// dns_resolution queries: a name resolved as a source would resolve it
// (private zones linked to its VNet, the privatelink CNAME chain, custom
// DNS servers), docs/azure-semantics.md §11.

func init() {
	step := Keys{"name": nil, "type": nil, "target": nil, "addresses": nil, "source": nil, "zone": nil, "link": nil}
	Register("dns_resolution", runDNSResolution,
		Keys{"from": nil, "name": nil},
		Keys{"result": nil, "addresses": nil, "server": nil, "servers_from": nil, "vnet": nil, "zone": nil, "link": nil, "chain": step})
}

// DNSResolutionAnswer is the answer of a dns_resolution query (and of
// `pathproof dns -o json`): the resolver's answer plus the zone and link
// of the record that gave the address, when a private zone gave it.
type DNSResolutionAnswer struct {
	azure.DNSAnswer
	Zone string `json:"zone,omitempty"`
	Link string `json:"link,omitempty"`
}

// NewDNSResolutionAnswer wraps a resolver answer.
func NewDNSResolutionAnswer(a azure.DNSAnswer) DNSResolutionAnswer {
	out := DNSResolutionAnswer{DNSAnswer: a}
	if n := len(a.Chain); n > 0 && a.Chain[n-1].Source == azure.DNSFromPrivateZone {
		out.Zone, out.Link = a.Chain[n-1].Zone, a.Chain[n-1].Link
	}
	return out
}

func runDNSResolution(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	from := i.str("from", true)
	name := i.str("name", true)
	if i.err != nil {
		return Outcome{}, i.err
	}
	a, err := trace.ResolveName(c.Engine, from, name)
	if err != nil {
		return Outcome{}, fmt.Errorf("dns_resolution: %w", err)
	}
	actual, diff := Compare(normalize(NewDNSResolutionAnswer(a)), expect)
	return Outcome{Actual: actual, Diff: diff, Assumptions: a.Assumptions}, nil
}
