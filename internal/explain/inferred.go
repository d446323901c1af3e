package explain

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/trace"
)

// inferredHops lays out the path without a topology, from where evidence
// appears: the client (its NIC when a flow log names it), the VPN gateway
// for a client outside Azure, the firewalls that logged the request, the
// server's NIC, the PaaS resource; firewalls that logged only the reply
// come last, on the return leg.
func (r *run) inferredHops() {
	var clientIDs, serverIDs []*nicIdent
	var fwFwd, fwRet []string // kind + ":" + name
	var erIn, erOut []string  // circuits that sampled the request toward / out of Azure
	var paasKinds []paasRef
	addID := func(list *[]*nicIdent, id *nicIdent) {
		for _, x := range *list {
			if x == id {
				return
			}
		}
		*list = append(*list, id)
	}
	addName := func(list *[]string, n string) {
		for _, x := range *list {
			if strings.EqualFold(x, n) {
				return
			}
		}
		*list = append(*list, n)
	}
	for i := range r.events {
		e := &r.events[i]
		dir := r.direction(e)
		switch {
		case isFlowLog(e.Source) && dir == dirRequest:
			id := r.nics.byEmitter[e.Emitter]
			if id == nil || id.gateway != "" {
				continue
			}
			switch {
			case e.Direction == event.DirOut && ownAddr(e).Unmap() == r.p.src:
				addID(&clientIDs, id)
			case e.Direction == event.DirIn && r.isDst(ownAddr(e)):
				addID(&serverIDs, id)
			}
		case isFirewallSource(e.Source) && dir == dirRequest:
			addName(&fwFwd, firewallKindOf(e.Source)+":"+e.Emitter)
		case isFirewallSource(e.Source) && dir == dirReply:
			addName(&fwRet, firewallKindOf(e.Source)+":"+e.Emitter)
		case e.Source == event.SourceExpressRoute && dir == dirRequest && e.Direction == event.DirOut:
			addName(&erOut, e.Emitter)
		case e.Source == event.SourceExpressRoute && dir == dirRequest:
			addName(&erIn, e.Emitter)
		case isPaaS(e.Source) && (r.p.matchesResource(e) || r.isSrc(e.SrcIP)):
			ref := paasRef{Kind: kindOfSource(e.Source), Name: canonicalName(e.Emitter)}
			if r.p.paas.Kind != "" {
				ref = r.p.paas
			}
			if !containsRef(paasKinds, ref) {
				paasKinds = append(paasKinds, ref)
			}
		}
	}
	if r.p.paas.Kind != "" && !containsRef(paasKinds, r.p.paas) {
		paasKinds = append(paasKinds, r.p.paas)
	}

	// The client.
	src := r.clientHop(clientIDs)
	r.hops = append(r.hops, src)
	if src.kind == trace.KindOnPrem {
		for _, gw := range r.gatewayNames() {
			r.hops = append(r.hops, newHop(trace.KindGateway, canonicalName(gw), LegForward, "virtual network gateway"))
		}
	}
	// A circuit edge the request crossed into Azure comes before the
	// firewalls, one it crossed out of Azure after them.
	for _, c := range erIn {
		r.hops = append(r.hops, newHop(kindER, canonicalName(c), LegForward, "ExpressRoute circuit edge"))
	}
	for _, fw := range fwFwd {
		kind, name, _ := strings.Cut(fw, ":")
		r.hops = append(r.hops, newHop(kind, canonicalName(name), LegForward, firewallRole(kind)))
	}
	if src.kind == trace.KindOnPrem && len(erIn) > 0 {
		src.out.Expected = "sends the request over ExpressRoute circuit " + canonicalName(erIn[0]) + " (no Azure log)"
	}
	for _, c := range erOut {
		if !containsFold(erIn, c) {
			r.hops = append(r.hops, newHop(kindER, canonicalName(c), LegForward, "ExpressRoute circuit edge"))
		}
	}
	// The server.
	switch {
	case len(serverIDs) > 0:
		for _, id := range serverIDs {
			h := newHop(trace.KindNIC, "", LegForward, "server NIC")
			h.out.Hop, h.nic = id.token, id
			r.hops = append(r.hops, h)
		}
	case len(paasKinds) > 0:
	default:
		r.hops = append(r.hops, r.serverEdge())
	}
	for _, ref := range paasKinds {
		h := newHop(ref.Kind, ref.Name, LegForward, paasRole(ref.Kind))
		h.out.Expected = "logs the request (" + paasLog(ref.Kind) + ") with the caller's address and its answer"
		r.hops = append(r.hops, h)
	}
	last := r.hops[len(r.hops)-1]
	last.dest = true
	for _, fw := range fwRet {
		if containsFold(fwFwd, fw) {
			continue
		}
		kind, name, _ := strings.Cut(fw, ":")
		r.hops = append(r.hops, newHop(kind, canonicalName(name), LegReturn, firewallRole(kind)+" (reply path)"))
	}
	for _, h := range r.hops {
		if h.out.Expected == "" {
			h.out.Expected = inferredExpectation(h)
		}
	}
	var toks []string
	for _, h := range r.hops {
		toks = append(toks, h.token())
	}
	r.step(nil, "No topology: the path is inferred from where the evidence appears: %s.", strings.Join(toks, " → "))
}

// clientHop is the flow's first hop: the NIC whose flow log shows the
// request leaving, or the NIC that owns the client's address in the
// evidence, or an edge (on-premises when a VPN gateway is in the evidence,
// the Internet for a public address).
func (r *run) clientHop(ids []*nicIdent) *hopState {
	id := (*nicIdent)(nil)
	if len(ids) > 0 {
		id = ids[0]
	} else {
		id = r.nics.forIP(r.p.src)
	}
	if id != nil {
		h := newHop(trace.KindNIC, "", LegForward, "client NIC")
		h.out.Hop, h.nic, h.source = id.token, id, true
		return h
	}
	kind, rest, _ := strings.Cut(r.p.srcToken, ":")
	switch {
	case kind == trace.KindOnPrem:
		site, _, _ := strings.Cut(rest, "/")
		h := newHop(trace.KindOnPrem, site, LegForward, "on-premises site (client)")
		h.source = true
		return h
	case kind == trace.KindInternet || (!r.p.src.IsPrivate() && !isCGNAT(r.p.src)):
		h := newHop(trace.KindInternet, "", LegForward, "the Internet (client)")
		h.source = true
		return h
	case len(r.gatewayNames()) > 0:
		h := newHop(trace.KindOnPrem, r.p.src.String(), LegForward, "on-premises host (client)")
		h.out.Expected = "sends the request over the VPN (inferred: no flow log names its address and a VPN gateway is in the evidence)"
		h.source = true
		return h
	}
	h := newHop(trace.KindNIC, r.p.src.String(), LegForward, "client (no flow log names this address)")
	h.nic = &nicIdent{token: h.out.Hop, ips: []netip.Addr{r.p.src}}
	h.source = true
	return h
}

// serverEdge is the destination hop when no log names it.
func (r *run) serverEdge() *hopState {
	d := r.p.dst
	if !d.IsValid() {
		return newHop(trace.KindInternet, "", LegForward, "the destination "+r.p.fqdn)
	}
	if id := r.nics.forIP(d); id != nil {
		h := newHop(trace.KindNIC, "", LegForward, "server NIC")
		h.out.Hop, h.nic = id.token, id
		return h
	}
	if !d.IsPrivate() && !isCGNAT(d) {
		return newHop(trace.KindInternet, "", LegForward, "the Internet (server)")
	}
	h := newHop(trace.KindNIC, d.String(), LegForward, "server (no flow log names this address)")
	h.nic = &nicIdent{token: h.out.Hop, ips: []netip.Addr{d}}
	return h
}

// canonicalName is a resource name from the evidence as a hop token
// carries it: lower case, since ARM names are case-insensitive and Azure
// upper-cases the resourceId its logs carry (firewall:azfw, never
// firewall:AZFW), so tokens from the evidence match the topology's and the
// JSON is the same whatever log the name came from.
func canonicalName(name string) string { return strings.ToLower(name) }

// gatewayNames lists the VPN gateways in the evidence.
func (r *run) gatewayNames() []string {
	var out []string
	for i := range r.events {
		e := &r.events[i]
		if e.Source == event.SourceVPNGateway && e.Emitter != "" && !containsFold(out, e.Emitter) {
			out = append(out, e.Emitter)
		}
	}
	if a := r.act; a != nil {
		for k := range a.emitters {
			if k.source == event.SourceVPNGateway && k.emitter != "" && !containsFold(out, k.emitter) && a.count(k.source, k.emitter, r.since, r.until) > 0 {
				out = append(out, k.emitter)
			}
		}
	}
	sort.Strings(out)
	return out
}

func inferredExpectation(h *hopState) string {
	switch h.kind {
	case trace.KindNIC:
		if h.out.Leg == LegForward && h.source {
			return "logs the request leaving (flow log, direction out)"
		}
		return "logs the request arriving (flow log, direction in) and the packets back"
	case kindER:
		return "samples the flow crossing the circuit (1 packet in 4,096: a record proves presence, its silence nothing)"
	case trace.KindFirewall, kindNGFW:
		if h.out.Leg == LegReturn {
			return "sees the reply only (it logged no request)"
		}
		return "logs its decision on the first packet (rule logs) and, with flow trace, the handshake"
	case trace.KindGateway:
		return "keeps its tunnel up (gateways log tunnels, not flows)"
	case trace.KindOnPrem:
		return "sends the request over the VPN (no Azure log)"
	case trace.KindInternet:
		return "no Azure log"
	}
	return "logs the flow"
}

func isPaaS(s event.Source) bool {
	return s == event.SourceKeyVault || s == event.SourceStorage || s == event.SourceSQL || s == event.SourceAppGateway || s == event.SourceFrontDoor
}

func kindOfSource(s event.Source) string {
	switch s {
	case event.SourceKeyVault:
		return kindKeyVault
	case event.SourceStorage:
		return kindStorage
	case event.SourceSQL:
		return kindSQL
	case event.SourceAppGateway:
		return kindAppGW
	case event.SourceFrontDoor:
		return kindFrontDoor
	}
	return string(s)
}

func containsRef(list []paasRef, r paasRef) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
