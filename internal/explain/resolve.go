package explain

import (
	"fmt"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/trace"
)

// Name resolution (docs/azure-semantics.md §11): when the topology models
// DNS (private zones, public answers, a VNet's or a NIC's DNS servers), a
// destination name is resolved as the source would resolve it
// (azure.ResolveFromNIC: the NIC's own DNS servers, else its VNet's,
// through trace.ResolveName): the
// private endpoint's address only when a zone linked to the source's VNet
// says so, else the public address, and nothing at all for NXDOMAIN or a
// custom DNS server whose forwarding is unknown. Topologies without any of
// it keep the older shortcut (the private endpoint whose target is the
// name).

// dnsModelled reports whether n says anything about DNS.
func dnsModelled(n *topology.Network) bool {
	if len(n.PrivateDNSZones) > 0 || len(n.PublicDNS) > 0 || len(n.DNSForwarders) > 0 {
		return true
	}
	for _, v := range n.VNets {
		if len(v.DNSServers) > 0 {
			return true
		}
	}
	for _, x := range n.NICs {
		if len(x.DNSServers) > 0 {
			return true
		}
	}
	return false
}

// resolveName resolves p.fqdn from the source through eng's DNS model and
// sets the destination from the answer; false when the topology does not
// model DNS (the caller resolves the older way).
func (p *Plan) resolveName(eng *azure.Engine) (bool, error) {
	if eng == nil || p.fqdn == "" || !dnsModelled(eng.Net) {
		return false, nil
	}
	ans, err := trace.ResolveName(eng, p.q.From, p.fqdn)
	if err != nil {
		return false, &QueryError{Arg: "from", Msg: err.Error()}
	}
	p.dns = &ans
	if a, ok := ans.Address(); ok {
		p.dst = a.Unmap()
		if o, ok := p.net.Owner(p.dst); ok && o.Kind == topology.OwnerPE {
			p.pe = o.PE
			return true, nil
		}
	}
	if ans.Result == azure.DNSPublic {
		// Public (at an address the inputs may not hold: the evidence
		// finds it): the resource's private endpoint, if any, is what the
		// client went around.
		for _, pe := range p.net.PrivateEndpoints {
			if samePaaS(pe.Target.FQDN, p.fqdn) {
				p.pe = pe
				break
			}
		}
	}
	return true, nil
}

// resolvedPublic reports whether the topology's DNS gave the name's public
// address: the trace goes to the Internet edge and the PaaS resource is
// behind it.
func (p *Plan) resolvedPublic() bool { return p.dns != nil && p.dns.Result == azure.DNSPublic }

// unresolved reports whether the name resolved to no address the flow
// could go to (NXDOMAIN, unknown).
func (p *Plan) unresolved() bool {
	return p.dns != nil && len(p.dns.Addresses) == 0 && p.dns.Result != azure.DNSPublic
}

// dnsStep cites the topology for the resolution and says it as the first
// reasoning step; unresolved names end the explanation here.
func (r *run) dnsStep() {
	a := r.p.dns
	if a == nil {
		return
	}
	c := r.citeTopology(r.dnsSource(), "DNS "+a.Name+" from "+r.p.srcToken+": "+a.Result+" ("+dnsChain(a)+"): "+a.Why)
	where := "from VNet " + a.VNet
	if a.VNet == "" {
		where = "for " + r.p.srcToken
	}
	switch {
	case len(a.Addresses) > 0:
		r.step([]int{c}, "DNS (topology): %s resolves %s to %s (%s, answered by %s): %s.", a.Name, where, addrList(a.Addresses), a.Result, orDash(a.Server), a.Why)
	case a.Result == azure.DNSPublic:
		r.step([]int{c}, "DNS (topology): %s resolves %s to its public address, which the inputs do not hold (answered by %s): %s.", a.Name, where, orDash(a.Server), a.Why)
	default:
		r.step([]int{c}, "DNS (topology): %s resolves %s to no address (%s, answered by %s): %s.", a.Name, where, a.Result, orDash(a.Server), a.Why)
	}
	if nic, ok := strings.CutPrefix(a.ServersFrom, "nic:"); ok {
		r.step([]int{c}, "DNS servers: NIC %s sets its own DNS servers, which take precedence over its VNet's (Microsoft, Name resolution for resources in Azure virtual networks, Specify DNS servers).", nic)
	}
	for _, s := range a.Assumptions {
		r.step([]int{c}, "DNS assumption: %s.", s)
	}
}

// dnsSource is the topology record the answer rests on: the private zone
// that answered last, else the VNet whose view answered, else the NIC
// whose own DNS servers were asked, else the source's VNet (custom
// servers).
func (r *run) dnsSource() topology.Source {
	a, n := r.p.dns, r.p.net
	for i := len(a.Chain) - 1; i >= 0; i-- {
		if z := n.PrivateDNSZone(a.Chain[i].Zone); a.Chain[i].Zone != "" && z != nil {
			for _, l := range z.Links {
				if l.Name == a.Chain[i].Link && l.Src.File != "" {
					return l.Src
				}
			}
			return z.Src
		}
	}
	if v := n.VNet(a.VNet); v != nil {
		return v.Src
	}
	if x := n.NIC(strings.TrimPrefix(a.ServersFrom, "nic:")); a.ServersFrom != "" && x != nil {
		return x.Src
	}
	// A custom DNS server answered: the source's VNet names it.
	if o, ok := n.Owner(r.p.src); ok && o.Kind == topology.OwnerNIC {
		if s := n.Subnet(o.NIC.Subnet); s != nil && s.VNet() != nil {
			return s.VNet().Src
		}
	}
	return topology.Source{}
}

// citeTopology cites a record of the topology (file and line or resource
// id) for a conclusion drawn from it.
func (r *run) citeTopology(src topology.Source, quote string) int {
	origin := src.File
	if origin == "" {
		origin = "topology"
	}
	if src.ID != "" {
		quote = src.ID + ": " + quote
	}
	k := citeKey{"topology:" + origin + "/" + quote, src.Line, 0}
	if i, ok := r.cites[k]; ok {
		return i
	}
	r.res.Citations = append(r.res.Citations, Citation{Origin: origin, Record: src.Line, Quote: quote, Kind: "topology"})
	i := len(r.res.Citations) - 1
	r.cites[k] = i
	return i
}

// dnsChain renders the answer's chain: "a CNAME b → b A 10.0.1.4".
func dnsChain(a *azure.DNSAnswer) string {
	var parts []string
	for _, s := range a.Chain {
		switch s.Type {
		case "CNAME":
			parts = append(parts, s.Name+" CNAME "+s.Target+" ["+s.Source+"]")
		case "A":
			what := "(address not in the inputs)"
			if len(s.Addresses) > 0 {
				what = addrList(s.Addresses)
			}
			parts = append(parts, s.Name+" A "+what+" ["+s.Source+"]")
		default:
			parts = append(parts, s.Name+" "+s.Type+" ["+s.Source+"]")
		}
	}
	if len(parts) == 0 {
		return "no records"
	}
	return strings.Join(parts, " → ")
}

// unresolvedResult ends an explanation whose destination name resolves to
// no address: the verdict is the resolution, with a finding and its fix.
func (r *run) unresolvedResult() {
	a := r.p.dns
	r.res.Verdict, r.res.At, r.res.Confidence = VerdictNameNotResolved, "dns", ConfidenceHigh
	r.res.PathInferred = false
	r.res.Summary = fmt.Sprintf("%s does not resolve for %s (%s): the client has no address to send to.", a.Name, r.p.srcToken, a.Result)
	fix := "Declare what the VNet's DNS server forwards to (dns_forwarders: forwards_to azure or public), or point the VNet at Azure DNS."
	if a.ServersFrom != "" {
		fix = "Declare what the NIC's DNS server forwards to (dns_forwarders: forwards_to azure or public), or set the NIC's DNS servers back to inherit from the virtual network."
	}
	if a.Result == azure.DNSNXDomain {
		fix = "Add the record to the linked private zone (a private endpoint's DNS zone group does it), or set the link's resolution policy to NxDomainRedirect to fall back to public DNS."
	}
	cites := []int{len(r.res.Citations) - 1}
	if len(r.res.Citations) == 0 {
		cites = nil
	}
	r.res.Findings = append(r.res.Findings, Finding{Code: FindNameNotResolved, Severity: "error",
		Message: fmt.Sprintf("%s resolves to no address from %s: %s.", a.Name, r.p.srcToken, a.Why), Fix: fix, Citations: cites})
}
