package trace

// KindBGPPeer is where a packet goes when the appliance it reached is the
// one that advertised the destination to Azure Route Server: the NIC's own
// effective route points back at the appliance (its next hop IP is the
// appliance's address), and the appliance's software sends the packet out
// of Azure (an SD-WAN or VPN tunnel, a link pathproof does not model). The
// trace ends there, delivered beyond the appliance, as it ends at an
// on-premises site behind a VPN gateway; the reply re-enters Azure through
// the same appliance.
const KindBGPPeer = "bgp-peer"

// toBGPPeer hands the packet from appliance cur to what lies behind it:
// route r was programmed from cur's own BGP advertisement.
func (s *sim) toBGPPeer(cur *device, r route, p *Flow, h *Hop) *device {
	h.add("next-hop", VerdictAllow, r.Peer, "", "%s advertised %s to route server %s (BGP peer %s): it sends %s out of Azure itself",
		cur.token(), r.Prefix, r.RouteServer, r.Peer, p.Dst)
	return &device{kind: KindBGPPeer, name: r.Peer, ip: p.Dst, next: cur}
}

// fromBGPPeer returns a packet (a reply) from beyond the appliance to the
// appliance's NIC.
func (s *sim) fromBGPPeer(cur *device, h *Hop) (*device, *Drop) {
	h.add("next-hop", VerdictAllow, "", "", "re-enters Azure through %s", cur.next.token())
	return cur.next, nil
}

// ownRoute reports whether appliance cur owns route r's first next hop:
// a Route Server route cur itself advertised.
func ownRoute(cur *device, r route) bool {
	return cur.kind == KindNIC && len(r.NextHopIPs) > 0 && cur.owns(r.NextHopIPs[0])
}
