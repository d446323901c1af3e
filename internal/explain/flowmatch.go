package explain

import (
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/trace"
)

// corrSlack is how far apart in time two records of one connection may be
// at different hops (tuple and request times are event times; a proxy
// opens its upstream connection within milliseconds).
const corrSlack = 5 * time.Second

// addrSets fills the flow's source and destination addresses at every hop
// (docs/log-formats.md §9): the client and every translated source, the
// destination as addressed and every translated destination.
func (r *run) addrSets() {
	p := r.p
	addSrc := func(a netip.Addr) {
		if a.IsValid() && !containsAddr(r.src, a.Unmap()) {
			r.src = append(r.src, a.Unmap())
		}
	}
	addDst := func(a netip.Addr) {
		if a.IsValid() && !containsAddr(r.dst, a.Unmap()) {
			r.dst = append(r.dst, a.Unmap())
		}
	}
	addSrc(p.src)
	addDst(p.dst)
	if p.pe != nil {
		addDst(p.pe.IP)
	}
	for _, t := range r.dnat {
		addDst(t.Addr())
	}
	if p.Trace != nil {
		for _, h := range p.Trace.Forward.Hops {
			addSrc(h.Packet.Src)
			addDst(h.Packet.Dst)
		}
		for _, n := range p.Trace.NAT {
			addSrc(n.SourceTo)
			addDst(n.DestinationTo)
			if pf, err := netip.ParsePrefix(n.SourceToPrefix); err == nil {
				r.srcPfx = append(r.srcPfx, pf.Masked())
			}
		}
	}
}

func (r *run) isSrc(a netip.Addr) bool {
	a = a.Unmap()
	if containsAddr(r.src, a) {
		return true
	}
	for _, p := range r.srcPfx {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (r *run) isDst(a netip.Addr) bool { return containsAddr(r.dst, a.Unmap()) }

// hasPort reports whether n is one of the flow's destination ports at any
// hop: the plan's, or a DNAT target's from the evidence.
func (r *run) hasPort(n uint16) bool {
	if r.p.hasPort(n) {
		return true
	}
	for _, t := range r.dnat {
		if t.Port() == n {
			return true
		}
	}
	return false
}

// protoOK reports whether an event's protocol is the flow's (application
// protocols of firewall and PaaS records run over TCP).
func (r *run) protoOK(e *event.Event) bool {
	switch r.p.proto {
	case "tcp":
		switch e.Protocol {
		case "tcp", "6", "http", "https", "mssql", "":
			return true
		}
	case "udp":
		return e.Protocol == "udp" || e.Protocol == "17" || e.Protocol == ""
	case "icmp":
		switch e.Protocol {
		case "icmp", "1", "icmpv6", "58", "":
			return true
		}
	}
	return false
}

// Directions of an event relative to the flow.
const (
	dirNone    = 0
	dirRequest = 1  // client → server, as the request travels
	dirReply   = -1 // server → client (flow trace of a reply)
)

// direction tells whether e belongs to the flow and which way it points.
func (r *run) direction(e *event.Event) int {
	if !r.protoOK(e) {
		return dirNone
	}
	icmp := r.p.proto == "icmp"
	if r.isSrc(e.SrcIP) {
		dstOK := r.isDst(e.DstIP) || (!e.DstIP.IsValid() && e.FQDN != "" && r.nameMatches(e))
		if dstOK && (icmp || r.hasPort(e.DstPort)) {
			return dirRequest
		}
	}
	if r.isDst(e.SrcIP) && r.isSrc(e.DstIP) && (icmp || r.hasPort(e.SrcPort)) {
		return dirReply
	}
	return dirNone
}

// nameMatches reports whether a record without a destination address (an
// application rule names only the FQDN) is about the flow's destination:
// the name is the one asked for, the topology resolves it to one of the
// destination's addresses (firewall DNS records, private endpoints), or
// the client's flow log shows the same connection (its source port) to the
// destination.
func (r *run) nameMatches(e *event.Event) bool {
	if r.p.fqdn != "" && samePaaS(e.FQDN, r.p.fqdn) {
		return true
	}
	if n := r.p.net; n != nil {
		for _, pol := range n.FirewallPolicies {
			for _, d := range pol.DNSRecords {
				if strings.EqualFold(strings.TrimSuffix(d.FQDN, "."), strings.TrimSuffix(e.FQDN, ".")) && r.isDst(d.IP) {
					return true
				}
			}
		}
		for _, pe := range n.PrivateEndpoints {
			if samePaaS(pe.Target.FQDN, e.FQDN) && r.isDst(pe.IP) {
				return true
			}
		}
	}
	return r.isSrc(e.SrcIP) && e.SrcIP.Unmap() == r.p.src && r.clientPorts[e.SrcPort]
}

// discover widens the address sets from the evidence where no topology
// says it: the public address a PaaS name was reached at (the client NIC's
// tuples toward a public address at the moment the resource logged a
// request from a public caller), and, without a topology, the address a
// firewall translated the client to (the server NIC's inbound tuples from
// one address at the moment the firewall allowed the client).
func (r *run) discover() {
	if r.p.paas.Kind != "" {
		r.discoverPaaSPublic()
	}
	r.clientPorts = map[uint16]bool{}
	for i := range r.events {
		e := &r.events[i]
		if isFlowLog(e.Source) && e.Direction == event.DirOut && e.SrcIP.Unmap() == r.p.src && r.isDst(e.DstIP) {
			r.clientPorts[e.SrcPort] = true
		}
	}
	if r.p.Trace == nil {
		r.discoverSNAT()
	}
}

func (r *run) discoverPaaSPublic() {
	for i := range r.events {
		kv := &r.events[i]
		if !r.p.matchesResource(kv) || !kv.SrcIP.IsValid() || r.isSrc(kv.SrcIP) || kv.SrcIP.IsPrivate() {
			continue
		}
		for j := range r.events {
			t := &r.events[j]
			if !isFlowLog(t.Source) || t.Direction != event.DirOut || t.SrcIP.Unmap() != r.p.src ||
				(t.DstPort != r.p.port && r.p.port != 0) || t.DstIP.IsPrivate() || r.isDst(t.DstIP) && !r.p.resolvedPublic() {
				continue
			}
			if d := t.Time.Sub(kv.Time); d > corrSlack || d < -corrSlack {
				continue
			}
			if !r.isDst(t.DstIP) { // already the destination when the topology's DNS gave it
				r.dst = append(r.dst, t.DstIP.Unmap())
				r.res.Query.DstAddrs = append(r.res.Query.DstAddrs, t.DstIP.Unmap())
			}
			r.src = append(r.src, kv.SrcIP.Unmap())
			r.publicAddr = t.DstIP.Unmap()
			c1, c2 := r.citeEvent(t), r.citeEvent(kv)
			r.step([]int{c1, c2}, "The client sent to public address %s at %s, and %s logged a request from public address %s %d ms later: %s is %s's public address and %s the client's address after its outbound NAT.",
				t.DstIP, t.Time.Format(quoteTime), r.p.paas.token(), kv.SrcIP, kv.Time.Sub(t.Time).Milliseconds(), t.DstIP, r.p.fqdn, kv.SrcIP)
			break
		}
	}
}

func (r *run) discoverSNAT() {
	for i := range r.events {
		fw := &r.events[i]
		if fw.Source != event.SourceFirewall || r.direction(fw) != dirRequest || (fw.Verdict != event.VerdictAllow && fw.Verdict != event.VerdictDNAT) {
			continue
		}
		for j := range r.events {
			t := &r.events[j]
			if !isFlowLog(t.Source) || t.Direction != event.DirIn || !r.isDst(t.DstIP) || r.isSrc(t.SrcIP) || !t.SrcIP.IsPrivate() || !r.hasPort(t.DstPort) {
				continue
			}
			if d := t.Time.Sub(fw.Time); d > corrSlack || d < -corrSlack {
				continue
			}
			r.src = append(r.src, t.SrcIP.Unmap())
			r.step([]int{r.citeEvent(fw), r.citeEvent(t)}, "%s allowed the client at %s and the server's NIC logged the same destination from %s %d ms later: %s is the firewall's SNAT address (application rules and DNAT always translate the source).",
				trace.KindFirewall+":"+canonicalName(fw.Emitter), fw.Time.Format(quoteTime), t.SrcIP, t.Time.Sub(fw.Time).Milliseconds(), t.SrcIP)
			break
		}
	}
}

// isReplyFlag reports whether a firewall flow-trace record shows a reply
// packet or a packet without state (docs/log-formats.md §4.4, semantics §5.4).
func isReplyFlag(e *event.Event) bool {
	f := e.Detail["flag"]
	return f == "SYN-ACK" || f == "INVALID"
}
