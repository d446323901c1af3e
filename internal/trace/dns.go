package trace

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// ResolveName resolves name as the source from would (docs/azure-semantics.md
// §11): a NIC through its own DNS servers when it has any, else its VNet's
// (private zones linked to the VNet, custom servers and what they forward
// to), an Internet client through public DNS. On-premises DNS is not in the inputs, so an on-premises
// source's answer is unknown. The error is only about from.
func ResolveName(e *azure.Engine, from, name string) (azure.DNSAnswer, error) {
	src, err := ResolveSource(e.Net, from)
	if err != nil {
		return azure.DNSAnswer{}, err
	}
	return resolveFor(e, src, name), nil
}

func resolveFor(e *azure.Engine, src Endpoint, name string) azure.DNSAnswer {
	switch src.Kind {
	case KindNIC:
		if sub := e.Net.Subnet(src.NIC.Subnet); sub != nil && sub.VNet() != nil {
			return e.ResolveFromNIC(src.NIC, sub.VNet(), name)
		}
	case KindInternet:
		return e.ResolvePublic(name)
	}
	a := azure.DNSAnswer{Name: topology.CanonicalName(name), Result: azure.DNSUnknown, Chain: []azure.DNSStep{}, Server: "on-premises DNS"}
	a.Why = fmt.Sprintf("%s resolves through on-premises DNS, which is not in the inputs (its conditional forwarders decide whether the private zones answer)", src)
	return a
}

// NameError is a trace to a name that resolves to no address: the answer
// says why (NXDOMAIN in a linked zone, a custom DNS server whose forwarding
// is unknown, a public name whose address the inputs do not hold).
type NameError struct {
	Answer azure.DNSAnswer
}

func (e *NameError) Error() string {
	return fmt.Sprintf("%s resolves to no address (%s): %s", e.Answer.Name, e.Answer.Result, e.Answer.Why)
}
