package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// egress decides where the packet goes when cur sends it (§9.3 steps 1, 3
// and 4): outbound NSGs at the origin or a forwarding NVA, the effective
// route of cur's subnet, and the owner of the next hop.
func (s *sim) egress(cur *device, p *Flow, h *Hop, origin bool) (*device, *Drop) {
	if cur.tunnel {
		h.add("next-hop", VerdictAllow, "", "", "returned over VXLAN to gateway load balancer %s, which hands it to %s", cur.fe.LB().Name, cur.next.token())
		return cur.next, nil
	}
	switch cur.kind {
	case KindOnPrem:
		return s.fromSite(cur, p, h)
	case KindInternet:
		return s.fromInternet(p, h)
	case KindGateway:
		if cur.conn == nil {
			return s.toConnection(cur, p, h)
		}
	case KindHub:
		return s.fromHub(cur, p, h)
	case KindBGPPeer:
		return s.fromBGPPeer(cur, h)
	case KindFirewall:
		if cur.fw.Hub != "" {
			return s.fromHubFirewall(cur, p, h)
		}
	case KindLB:
		if cur.next == nil {
			// The load balancer answered (ping): the reply starts here.
			return s.pingReply(p, h)
		}
		h.add("next-hop", VerdictAllow, "", "", "handed by the fabric to %s", cur.next.token())
		return cur.next, nil
	}
	if s.ret && origin && cur.kind == KindNIC {
		s.undoLB(cur, p, h)
	}
	if cur.kind == KindNIC && ((!s.ret && (origin || cur.nic.NVA != nil || !cur.owns(p.Src))) || (s.ret && s.replyNew[cur.token()])) {
		if d := s.nsgCheck(h, nicTarget(cur.nic), dirOut, *p); d != nil {
			return nil, d
		}
	}
	if cur.subnet == nil {
		return nil, dropf(DropNoRoute, "%s has no subnet in the topology, so no effective routes", cur.token())
	}
	r, ok := s.route(cur.subnet, p.Dst, cur.kind == KindPE)
	if !ok {
		h.add("route", VerdictDeny, "", "", "no effective route of %s contains %s", cur.subnet.Key(), p.Dst)
		return nil, dropf(DropNoRoute, "no effective route of %s contains %s", cur.subnet.Key(), p.Dst)
	}
	s.routes[s.legIndex()][cur.token()] = routeUse{r: r, subnet: cur.subnet, dev: cur}
	h.add("route", VerdictInfo, r.Table, r.Name, "%s: %s", cur.subnet.Key(), r.describe())
	if cur.kind == KindPE {
		h.add("route", VerdictInfo, "", "", "a private endpoint's reply ignores UDRs (docs/azure-semantics.md §3.3): system routes only")
	}
	return s.resolve(cur, r, p, h)
}

// resolve finds the device that owns the chosen next hop (§2.9).
func (s *sim) resolve(cur *device, r route, p *Flow, h *Hop) (*device, *Drop) {
	switch r.NextHopType {
	case topology.HopNone:
		d := dropf(DropRouteNone, "route %s has next hop None", r.Prefix)
		if r.Source == azure.SourceUser {
			return nil, d.fix("remove route %s (%s → None) from route table %s on %s, or add a more specific route for %s", r.Name, r.Prefix, r.Table, cur.subnet.Key(), p.Dst)
		}
		return nil, d.fix("the reserved system route %s → None of %s drops it: peer the VNet that holds %s with %s, or add a UDR for it", r.Prefix, cur.subnet.Key(), p.Dst, vnetName(cur.vnet))
	case topology.HopVnetLocal, topology.HopVNetPeering, topology.HopVNetGlobalPeering, topology.HopInterfaceEndpoint:
		o := s.ownerDevice(p.Dst)
		if o == nil {
			h.add("next-hop", VerdictDeny, "", "", "nothing in the VNet owns %s", p.Dst)
			return nil, dropf(DropNoDestination, "route %s (%s) applies but no NIC, private endpoint, firewall or gateway owns %s", r.Prefix, r.NextHopType, p.Dst).
				fix("check the destination: nothing owns %s (a deallocated VM, a deleted endpoint or a wrong address)", p.Dst)
		}
		if o.kind == KindPE && !s.ret {
			s.checkPEBypass(cur, r, o, *p)
		}
		if d := s.peeringCheck(cur, o, *p, h); d != nil {
			return nil, d
		}
		h.add("next-hop", VerdictAllow, "", "", "delivered by the fabric to %s", o.token())
		return o, nil
	case topology.HopVirtualAppliance, "VirtualApplianceEcmp":
		return s.toAppliance(cur, r, p, h)
	case topology.HopVirtualNetworkGateway:
		switch {
		case r.RouteServer != "":
			// RS1: a Route Server route's next hop is the NVA that advertised it.
			h.add("route-server", VerdictInfo, r.RouteServer, "", "programmed by route server %s from BGP peer %s", r.RouteServer, r.Peer)
			if ownRoute(cur, r) {
				return s.toBGPPeer(cur, r, p, h), nil
			}
			return s.toAppliance(cur, r, p, h)
		case r.Hub != "":
			hub := s.net.VirtualHub(r.Hub)
			if hub == nil {
				return nil, dropf(DropGatewayMissing, "route %s names hub %s, which the topology lacks", r.Prefix, r.Hub)
			}
			h.add("next-hop", VerdictAllow, "", "", "virtual hub %s router", hub.Name)
			return s.hubDevice(hub, s.net.HubConnectionOf(cur.vnet)), nil
		}
		g := s.gatewayFor(cur.vnet)
		if g == nil {
			h.add("next-hop", VerdictDeny, "", "", "no gateway serves VNet %s", vnetName(cur.vnet))
			return nil, dropf(DropGatewayMissing, "route %s sends to a virtual network gateway, but VNet %s has none and uses no remote gateway", r.Prefix, vnetName(cur.vnet)).
				fix("deploy a gateway in %s, or set useRemoteGateways on its peering to the hub (allowGatewayTransit on the hub's side)", vnetName(cur.vnet))
		}
		h.add("next-hop", VerdictAllow, "", "", "gateway %s", g.Name)
		return s.gwDevice(g, nil), nil
	case topology.HopInternet:
		if s.ret {
			// A reply of a flow to the NIC's public IP leaves through
			// that IP only when it goes straight to the Internet.
			s.applySession(cur, p, h)
		}
		if d := s.snatToInternet(cur, p, h); d != nil {
			return nil, d
		}
		return internetDevice(p.Dst), nil
	case topology.HopServiceEndpoint:
		name := r.Tag
		if name == "" && cur.subnet != nil && len(cur.subnet.ServiceEndpoints) > 0 {
			name = cur.subnet.ServiceEndpoints[0]
		}
		return &device{kind: KindService, name: name, ip: p.Dst}, nil
	}
	return nil, dropf(DropNoRoute, "route %s has next hop type %q, which the simulator does not know", r.Prefix, r.NextHopType).
		fix("check route %s of %s", r.Prefix, cur.subnet.Key())
}

// toAppliance hands the packet to the NIC, firewall or internal load
// balancer frontend owning the route's
// first next hop IP, in cur's VNet or a directly peered one (§2.9).
func (s *sim) toAppliance(cur *device, r route, p *Flow, h *Hop) (*device, *Drop) {
	if len(r.NextHopIPs) == 0 {
		return nil, dropf(DropNextHopNotFound, "route %s has no next hop IP", r.Prefix).
			fix("set the next hop IP of route %s in route table %s", r.Name, r.Table)
	}
	ip := r.NextHopIPs[0]
	if len(r.NextHopIPs) > 1 {
		s.assume("ECMP route " + r.Prefix.String() + ": the trace follows the first next hop, " + ip.String())
	}
	o := s.ownerDevice(ip)
	if o == nil {
		if l, ok := s.net.LeftOutAt(ip); ok {
			h.add("next-hop", VerdictDeny, "", "", "next hop %s is %s %s, which is not loaded: %s is not in the inputs", ip, l.Kind, l.Name, l.Missing)
			return nil, dropf(DropNextHopNotFound, "route %s points at %s, the address of %s %s, which was left out because %s is not in the inputs: where the packet goes next is unknown", r.Prefix, ip, l.Kind, l.Name, l.Missing).
				fix("load the export that holds %s beside this one", l.Missing)
		}
	}
	if o == nil || (o.kind != KindNIC && o.kind != KindFirewall && o.kind != KindLB) {
		h.add("next-hop", VerdictDeny, "", "", "no appliance owns next hop %s", ip)
		return nil, dropf(DropNextHopNotFound, "route %s points at %s, which no NIC, firewall or internal load balancer frontend owns (Azure shows next hop IP None)", r.Prefix, ip).
			fix("point route %s of route table %s at the appliance's private IP, or start the appliance that owns %s", r.Name, r.Table, ip)
	}
	if o.vnet != cur.vnet && !s.peered(cur.vnet, o.vnet) {
		h.add("next-hop", VerdictDeny, "", "", "%s is not in the same or a directly peered VNet", o.token())
		return nil, dropf(DropNextHopUnreachable, "route %s points at %s in VNet %s, which is neither %s's VNet nor directly peered with it", r.Prefix, ip, vnetName(o.vnet), cur.token()).
			fix("peer VNet %s with VNet %s, or point route %s of route table %s at an appliance in %s or a direct peer", vnetName(cur.vnet), vnetName(o.vnet), r.Name, r.Table, vnetName(cur.vnet))
	}
	if d := s.peeringCheck(cur, o, *p, h); d != nil {
		return nil, d
	}
	h.add("next-hop", VerdictAllow, "", "", "appliance %s owns %s", o.token(), ip)
	return o, nil
}

func vnetName(v *topology.VNet) string {
	if v == nil {
		return "(none)"
	}
	return v.Name
}

// peered reports whether a and b are directly peered with connected
// peering objects on both sides.
func (s *sim) peered(a, b *topology.VNet) bool {
	if a == nil || b == nil {
		return false
	}
	p, q := s.peeringBetween(a, b), s.peeringBetween(b, a)
	return p != nil && q != nil && p.Connected() && q.Connected()
}

// peeringCheck applies allowForwardedTraffic (§2.8): a packet crossing a
// peering from cur's VNet whose source is not in that VNet was forwarded by
// an appliance; the receiving VNet's peering object toward the sender must
// accept forwarded traffic. Traffic relayed by a VPN/ExpressRoute gateway
// is exempt.
func (s *sim) peeringCheck(cur, to *device, p Flow, h *Hop) *Drop {
	if cur.vnet == nil || to.vnet == nil || cur.vnet == to.vnet {
		return nil
	}
	back := s.peeringBetween(to.vnet, cur.vnet)
	if back == nil {
		return nil
	}
	if cur.kind == KindGateway || srcInVNet(cur.vnet, p.Src) {
		return nil
	}
	if !back.AllowForwardedTraffic {
		h.add("peering", VerdictDeny, to.vnet.Name+"->"+cur.vnet.Name, "", "%s is forwarded from VNet %s; the peering of %s toward %s does not allow forwarded traffic", p.Src, cur.vnet.Name, to.vnet.Name, cur.vnet.Name)
		return dropf(DropForwardedTraffic, "%s forwards %s into VNet %s, whose peering toward %s has allowForwardedTraffic=false", cur.token(), p.Src, to.vnet.Name, cur.vnet.Name).
			fix("set allowForwardedTraffic=true on peering %s → %s (the peering object held by %s)", to.vnet.Name, cur.vnet.Name, to.vnet.Name)
	}
	h.add("peering", VerdictAllow, to.vnet.Name+"->"+cur.vnet.Name, "", "forwarded traffic accepted by %s", to.vnet.Name)
	return nil
}

// gatewayFor returns the gateway that serves v: its own, else the remote
// gateway of a peering with useRemoteGateways (gateway transit).
func (s *sim) gatewayFor(v *topology.VNet) *topology.Gateway {
	if v == nil {
		return nil
	}
	if gs := s.net.GatewaysIn(v); len(gs) > 0 {
		return gs[0]
	}
	for _, p := range s.net.PeeringsOf(v) {
		if !p.UseRemoteGateways || !p.Connected() || p.Remote() == nil {
			continue
		}
		if back := s.net.Reverse(p); back == nil || !back.AllowGatewayTransit {
			continue
		}
		if gs := s.net.GatewaysIn(p.Remote()); len(gs) > 0 {
			return gs[0]
		}
	}
	return nil
}

// snatToInternet translates the source of a NIC sending to the Internet to
// its outbound source (§8, outbound.go). A firewall has translated already.
func (s *sim) snatToInternet(cur *device, p *Flow, h *Hop) *Drop {
	if cur.kind != KindNIC || s.ret {
		return nil
	}
	if !cur.owns(p.Src) {
		if cur.nic.NVA != nil && !cur.nic.NVA.SNAT {
			s.addFinding(Finding{Code: FindNoSNATToInternet, Severity: "warning",
				Message: "appliance " + cur.name + " sends " + p.Src.String() + " to the Internet without SNAT; replies cannot return to a private source",
				Fix:     "configure SNAT on appliance " + cur.name + ", or send Internet traffic through Azure Firewall"})
		}
		return nil
	}
	return s.outboundSNAT(cur, p, h)
}

// fromSite sends a packet from an on-premises site toward Azure: the site
// only has routes for what the gateways advertise over its connections.
func (s *sim) fromSite(cur *device, p *Flow, h *Hop) (*device, *Drop) {
	if d, ok := s.fromSiteToHub(cur, p, h); ok {
		return d, nil
	}
	var best *topology.Connection
	bestBits := -1
	for _, c := range s.net.Connections {
		if !strings.EqualFold(c.Remote, cur.site.Name) || c.GatewayRef() == nil {
			continue
		}
		for _, pfx := range s.advertised(c) {
			if pfx.Contains(p.Dst) && pfx.Bits() > bestBits {
				best, bestBits = c, pfx.Bits()
			}
		}
	}
	if best == nil {
		var offered []string
		for _, c := range s.net.Connections {
			if strings.EqualFold(c.Remote, cur.site.Name) && c.GatewayRef() != nil {
				offered = append(offered, prefixStrings(s.advertised(c))...)
			}
		}
		h.add("advertisement", VerdictDeny, "", "", "no connection to site %s advertises a prefix containing %s (advertised: %s)", cur.site.Name, p.Dst, strings.Join(offered, ", "))
		return nil, dropf(DropOnPremNoRoute, "site %s has no route toward %s: its gateways advertise only %s", cur.site.Name, p.Dst, orNone(offered)).
			fix("%s", s.onPremFix(cur.site, p.Dst))
	}
	h.add("advertisement", VerdictAllow, best.Name, "", "the site reaches %s over connection %s (gateway %s)", p.Dst, best.Name, best.GatewayRef().Name)
	return s.gwDevice(best.GatewayRef(), best), nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "nothing"
	}
	return strings.Join(xs, ", ")
}

// fromInternet delivers a packet from the Internet to the owner of its
// public destination address.
func (s *sim) fromInternet(p *Flow, h *Hop) (*device, *Drop) {
	if d, ok := s.outbound[*p]; ok && s.ret {
		h.add("next-hop", VerdictAllow, "", "", "the reply to %s returns through the outbound translation of %s", p.Dst, d.token())
		return s.chainTo(p.Dst, d), nil
	}
	o, ok := s.net.PublicOwner(p.Dst)
	if !ok {
		h.add("next-hop", VerdictDeny, "", "", "no NIC or firewall in the topology owns public IP %s", p.Dst)
		return nil, dropf(DropNoDestination, "no NIC or firewall in the topology owns public IP %s", p.Dst).
			fix("check the address: %s is not a public IP of any NIC or firewall in the topology", p.Dst)
	}
	switch o.Kind {
	case topology.OwnerNIC:
		if g := s.nicGateway(o.NIC); g != nil && !s.ret {
			return s.gatewayDevice(g, nicPIPText(o.NIC), s.nicDevice(o.NIC)), nil
		}
		return s.nicDevice(o.NIC), nil
	case topology.OwnerFirewall:
		return s.fwDevice(o.Firewall), nil
	case topology.OwnerLB:
		return s.lbDevice(o.Frontend), nil
	}
	return nil, dropf(DropNoDestination, "public IP %s belongs to gateway %s, which terminates tunnels, not flows", p.Dst, o.Gateway.Name)
}

// toConnection sends a packet out of a gateway over the connection that
// learned the longest prefix for its destination, with VPN NAT (§6.2).
func (s *sim) toConnection(cur *device, p *Flow, h *Hop) (*device, *Drop) {
	var best *topology.Connection
	bestBits := -1
	for _, c := range s.net.ConnectionsOf(cur.gw) {
		for _, pfx := range s.learned(c) {
			if pfx.Contains(p.Dst) && pfx.Bits() > bestBits {
				best, bestBits = c, pfx.Bits()
			}
		}
	}
	if best == nil {
		h.add("connection", VerdictDeny, "", "", "no connection of %s learned a route to %s", cur.name, p.Dst)
		return nil, dropf(DropNoRoute, "gateway %s has no connection that learned a route to %s", cur.name, p.Dst).
			fix("advertise %s to gateway %s over BGP, or add it to the local network gateway's prefixes", p.Dst, cur.name)
	}
	h.add("connection", VerdictAllow, best.Name, "", "connection %s (%s) learned the longest prefix for %s", best.Name, best.Type, p.Dst)
	in := *p
	if !s.ret || !s.applySession(cur, p, h) {
		s.vpnTranslate(best, true, p)
	}
	if !s.ret {
		s.recordGatewayNAT(cur, best, in, *p, h)
	}
	if site := s.net.OnPremSite(best.Remote); site != nil {
		return siteDevice(site, p.Dst), nil
	}
	if g2 := s.net.Gateway(best.Remote); g2 != nil {
		back := best
		for _, c := range s.net.ConnectionsOf(g2) {
			if strings.EqualFold(c.Remote, cur.gw.Name) {
				back = c
			}
		}
		return s.gwDevice(g2, back), nil
	}
	return nil, dropf(DropGatewayMissing, "connection %s points at %q, which is neither a site nor a gateway in the topology", best.Name, best.Remote)
}

// recordGatewayNAT keeps the forward session and NAT entry of a VPN
// gateway translation.
func (s *sim) recordGatewayNAT(cur *device, c *topology.Connection, in, out Flow, h *Hop) {
	if _, ok := s.sessions[cur.token()]; !ok {
		s.sessions[cur.token()] = session{in: in, out: out}
	} else {
		se := s.sessions[cur.token()]
		se.out = out
		s.sessions[cur.token()] = se
	}
	if in == out {
		return
	}
	n := NAT{At: cur.token(), Why: "VPN NAT rules of connection " + c.Name}
	if in.Src != out.Src {
		n.SourceFrom, n.SourceTo = in.Src, out.Src
	}
	if in.Dst != out.Dst {
		n.DestinationFrom, n.DestinationTo = in.Dst, out.Dst
	}
	n.Kind = natKind(n)
	s.mergeNAT(n)
	h.add("vpn-nat", VerdictInfo, c.Name, "", "%s → %s", flowKey(in), flowKey(out))
}

// mergeNAT adds n, folding it into an earlier entry of the same hop.
func (s *sim) mergeNAT(n NAT) {
	if s.ret {
		return
	}
	for i := range s.res.NAT {
		m := &s.res.NAT[i]
		if m.At != n.At {
			continue
		}
		if n.SourceTo.IsValid() {
			m.SourceTo = n.SourceTo
			if !m.SourceFrom.IsValid() {
				m.SourceFrom = n.SourceFrom
			}
		}
		if n.DestinationTo.IsValid() {
			m.DestinationTo = n.DestinationTo
			if !m.DestinationFrom.IsValid() {
				m.DestinationFrom = n.DestinationFrom
			}
		}
		m.Kind = natKind(*m)
		return
	}
	s.res.NAT = append(s.res.NAT, n)
}

func natKind(n NAT) string {
	src := n.SourceTo.IsValid() || n.SourceToPrefix != ""
	dst := n.DestinationTo.IsValid()
	switch {
	case src && dst:
		return "dnat+snat"
	case dst:
		return "dnat"
	}
	return "snat"
}

// onPremFix says how a site gets a route to dst: through gateway transit
// when dst is in a VNet peered with a gateway VNet.
func (s *sim) onPremFix(site *topology.OnPremSite, dst netip.Addr) string {
	v := s.vnetOf(dst)
	if v == nil {
		return fmt.Sprintf("advertise a prefix containing %s to site %s, or add a static route on the site", dst, site.Name)
	}
	for _, c := range s.net.Connections {
		if !strings.EqualFold(c.Remote, site.Name) || c.GatewayRef() == nil || c.GatewayRef().VNetRef() == nil {
			continue
		}
		hub := c.GatewayRef().VNetRef()
		if s.peeringBetween(v, hub) != nil {
			return fmt.Sprintf("enable gateway transit: set useRemoteGateways=true on peering %s → %s and allowGatewayTransit=true on peering %s → %s, so gateway %s advertises %s to site %s",
				v.Name, hub.Name, hub.Name, v.Name, c.GatewayRef().Name, strings.Join(prefixStrings(v.AddressSpace), ", "), site.Name)
		}
		return fmt.Sprintf("peer VNet %s with %s using the remote gateway (useRemoteGateways/allowGatewayTransit), so gateway %s advertises it to site %s", v.Name, hub.Name, c.GatewayRef().Name, site.Name)
	}
	return fmt.Sprintf("connect site %s to a gateway that reaches VNet %s", site.Name, v.Name)
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
