package trace

import (
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
)

// outboundSNAT gives a NIC's own traffic to the Internet next hop the
// source address Azure's order of precedence picks (azure.OutboundSourceOf:
// NAT gateway, instance public IP, load balancer outbound, default outbound
// access), so a PaaS firewall or the Internet is shown the address it
// sees. The reply comes back through the same translation.
func (s *sim) outboundSNAT(cur *device, p *Flow, h *Hop) *Drop {
	o := s.eng.OutboundSourceOf(cur.nic)
	for _, a := range o.Assumptions {
		s.assume(a)
	}
	why := o.Why
	if len(o.Overridden) > 0 {
		why += "; it takes precedence over " + strings.Join(o.Overridden, ", ")
	}
	switch {
	case o.Method == azure.OutboundDefault:
		h.add("outbound", VerdictInfo, cur.name, "", "%s", why)
		s.assume("NIC " + cur.name + " reaches the Internet through default outbound access: the source is an address Azure assigns, which no allow-list can name")
		// Azure translates and tracks the flow; the address is not in the
		// inputs, so the packet keeps its private source here and the
		// reply returns through the same translation to the NIC.
		s.sessions[cur.token()] = session{in: *p, out: *p}
		s.outbound[p.Reply()] = cur
		return nil
	case o.Method == azure.OutboundUnknown:
		// The assumption above says the address is unknown; the packet
		// keeps its private source rather than a guessed one, and the
		// reply returns through the same (unknown) translation.
		h.add("outbound", VerdictInfo, o.Resource, "", "%s", why)
		s.sessions[cur.token()] = session{in: *p, out: *p}
		s.outbound[p.Reply()] = cur
		return nil
	case len(o.Addresses) == 0 && len(o.Prefixes) == 0:
		h.add("outbound", VerdictDeny, o.Resource, "", "%s", why)
		return dropf(DropNoOutbound, "%s has no outbound connectivity to %s: %s", cur.token(), p.Dst, why).
			fix("associate a NAT gateway with a public IP with %s (Microsoft's recommended outbound method), or give the NIC a public IP or a load balancer outbound rule", subnetKey(cur))
	}
	in := *p
	n := NAT{At: cur.token(), Kind: "snat", SourceFrom: in.Src, Why: outboundWhy(o)}
	if len(o.Addresses) > 0 {
		p.Src = o.Addresses[0]
		n.SourceTo = p.Src
	} else {
		p.Src = o.Prefixes[0].Addr()
		n.SourceTo, n.SourceToPrefix = p.Src, o.Prefixes[0].String()
	}
	if len(o.Addresses)+len(o.Prefixes) > 1 {
		s.assume("the outbound source is one of " + sourcesList(o) + "; the trace shows the first")
	}
	s.sessions[cur.token()] = session{in: in, out: *p}
	s.outbound[p.Reply()] = cur
	s.addNAT(n)
	h.add("nat", VerdictInfo, o.Resource, "", "source %s → %s: %s", in.Src, p.Src, why)
	return nil
}

func outboundWhy(o azure.OutboundSource) string {
	switch o.Method {
	case azure.OutboundNATGateway:
		return "NAT gateway " + o.Resource
	case azure.OutboundInstancePublicIP:
		return "instance public IP of " + o.Resource
	case azure.OutboundLBOutboundRule:
		return "load balancer outbound rule " + o.Resource
	case azure.OutboundLBRule:
		return "load-balancing rule " + o.Resource + " (outbound SNAT)"
	}
	return o.Method
}

func sourcesList(o azure.OutboundSource) string {
	var out []string
	for _, a := range o.Addresses {
		out = append(out, a.String())
	}
	for _, p := range o.Prefixes {
		out = append(out, p.String())
	}
	return strings.Join(out, ", ")
}

func subnetKey(d *device) string {
	if d.subnet == nil {
		return d.token() + "'s subnet"
	}
	return "subnet " + d.subnet.Key()
}
