package trace

import (
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/codes"
	"github.com/pathproof/pathproof/internal/topology"
)

// KindHub is a Virtual WAN hub router: the hop a spoke's hub routes, a
// branch connection and a remote hub hand the packet to. It forwards by the
// route table the packet's connection is associated with (azure/vwan.go).
const KindHub = "hub"

// DropHubNoRoute is a hub route table without a route for the destination.
const DropHubNoRoute = "hub-no-route"

// hubDevice is hub h receiving a packet from connection c (nil when the
// packet came from a remote hub).
func (s *sim) hubDevice(h *topology.VirtualHub, c *topology.HubConnection) *device {
	ip := netip.Addr{}
	if len(h.RouterIPs) > 0 {
		ip = h.RouterIPs[0]
	}
	return &device{kind: KindHub, name: h.Name, ip: ip, vhub: h, hconn: c}
}

// fromHub forwards a packet at hub router cur: a packet from a connection
// by what that connection learns (its associated table), a packet from a
// remote hub by the default table (VW1, VW3 in azure/vwan.go).
func (s *sim) fromHub(cur *device, p *Flow, h *Hop) (*device, *Drop) {
	var t *azure.HubTable
	var via string
	if cur.hconn != nil {
		t = s.eng.HubConnectionRoutes(cur.hconn)
		via = "connection " + cur.hconn.Name
	} else {
		t = s.eng.HubRoutes(cur.vhub.RouteTable(topology.HubDefaultTable))
		via = "a remote hub"
	}
	r, ok := t.Lookup(p.Dst)
	if !ok {
		table := "(none)"
		if t != nil && t.Table != nil {
			table = t.Table.Name
		}
		h.add("hub-route", VerdictDeny, table, "", "hub %s: route table %s (used by %s) has no route for %s", cur.name, table, via, p.Dst)
		d := dropf(DropHubNoRoute, "hub %s has no route for %s in route table %s, which %s is associated with", cur.name, p.Dst, table, via)
		if cur.hconn != nil {
			return nil, d.fix("propagate the connection that holds %s to route table %s of hub %s (or to a label it carries), or associate %s with a table that has the route", p.Dst, table, cur.name, cur.hconn.Name)
		}
		return nil, d.fix("propagate the connection that holds %s to the default route table of hub %s (label default)", p.Dst, cur.name)
	}
	h.add("hub-route", VerdictInfo, t.Table.Name, r.Static, "hub %s route table %s: %s", cur.name, t.Table.Name, describeHubRoute(r))
	s.hubConflict(r)
	return s.hubNext(cur, r, p, h)
}

// fromHubFirewall forwards what a secured hub's firewall let through, by
// the hub's routes without those pointing at the firewall itself (VW3);
// what no route covers goes to the Internet.
func (s *sim) fromHubFirewall(cur *device, p *Flow, h *Hop) (*device, *Drop) {
	hub := s.net.VirtualHub(cur.fw.Hub)
	if hub == nil {
		return nil, dropf(DropNoRoute, "firewall %s names hub %s, which the topology lacks", cur.name, cur.fw.Hub)
	}
	t := s.eng.HubForwarding(hub)
	r, ok := t.Lookup(p.Dst)
	if !ok || r.Prefix.Bits() == 0 {
		h.add("hub-route", VerdictInfo, hub.Name, "", "secured hub %s: no hub route for %s, the firewall sends it to the Internet", hub.Name, p.Dst)
		return internetDevice(p.Dst), nil
	}
	h.add("hub-route", VerdictInfo, hub.Name, "", "secured hub %s forwards from the firewall: %s", hub.Name, describeHubRoute(r))
	s.hubConflict(r)
	return s.hubNext(&device{kind: KindHub, name: hub.Name, vhub: hub}, r, p, h)
}

// hubNext resolves a hub route's next hop to the device that receives the
// packet.
func (s *sim) hubNext(cur *device, r *azure.HubRoute, p *Flow, h *Hop) (*device, *Drop) {
	switch {
	case r.Firewall != nil:
		h.add("next-hop", VerdictAllow, "", "", "hub firewall %s", r.Firewall.Name)
		return s.fwDevice(r.Firewall), nil
	case r.RemoteHub != nil:
		h.add("next-hop", VerdictAllow, "", "", "remote hub %s", r.RemoteHub.Name)
		return s.hubDevice(r.RemoteHub, nil), nil
	case r.NextHopIP.IsValid():
		o := s.ownerDevice(r.NextHopIP)
		if o == nil || o.kind != KindNIC {
			h.add("next-hop", VerdictDeny, "", "", "no appliance owns %s", r.NextHopIP)
			return nil, dropf(DropNextHopNotFound, "hub route %s points at %s, which no NIC owns", r.Prefix, r.NextHopIP).
				fix("point the static route of the connection at the appliance's private IP, or start the appliance that owns %s", r.NextHopIP)
		}
		h.add("next-hop", VerdictAllow, "", "", "appliance %s owns %s", o.token(), r.NextHopIP)
		return o, nil
	case r.Connection != nil && r.Connection.Branch():
		site := r.Connection.SiteRef()
		if site == nil {
			return nil, dropf(DropNoDestination, "hub connection %s has no site in the topology", r.Connection.Name)
		}
		h.add("next-hop", VerdictAllow, r.Connection.Name, "", "hub %s gateway, connection %s to site %s", r.Connection.Type, r.Connection.Name, site.Name)
		return siteDevice(site, p.Dst), nil
	case r.Connection != nil:
		o := s.ownerDevice(p.Dst)
		if o == nil || o.vnet != r.Connection.VNetRef() {
			h.add("next-hop", VerdictDeny, "", "", "nothing in VNet %s owns %s", vnetName(r.Connection.VNetRef()), p.Dst)
			return nil, dropf(DropNoDestination, "hub route %s sends to connection %s, but no NIC, private endpoint or firewall of its VNet owns %s", r.Prefix, r.Connection.Name, p.Dst).
				fix("check the destination: nothing owns %s", p.Dst)
		}
		h.add("next-hop", VerdictAllow, "", "", "delivered over connection %s to %s", r.Connection.Name, o.token())
		return o, nil
	}
	return nil, dropf(DropNoRoute, "hub route %s has next hop %s, which the simulator does not follow", r.Prefix, r.NextHopType)
}

// hubConflict reports the contradiction behind a hub route the packet
// used (two static routes, or two VNet connections, with its prefix): which
// route Azure uses and that the other was not (azure/vwan_conflict.go).
func (s *sim) hubConflict(r *azure.HubRoute) {
	if c := r.Conflict; c != nil {
		s.addFinding(Finding{Code: c.Code, Severity: "warning", Message: c.Message(), Fix: c.Fix()})
	}
}

func describeHubRoute(r *azure.HubRoute) string {
	s := r.Prefix.String() + " → " + r.NextHopType + " " + lastName(r.NextHop)
	if r.NextHopIP.IsValid() {
		s += " (" + r.NextHopIP.String() + ")"
	}
	if r.Static != "" {
		s += " [" + r.Static + "]"
	}
	return s
}

func lastName(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// fromSiteToHub sends a packet from a branch connected to a hub: the site
// reaches what the hub advertises over its connection.
func (s *sim) fromSiteToHub(cur *device, p *Flow, h *Hop) (*device, bool) {
	for _, hub := range s.net.VirtualHubs {
		for _, c := range hub.Connections {
			if c.SiteRef() != cur.site {
				continue
			}
			if _, ok := s.eng.HubConnectionRoutes(c).Lookup(p.Dst); ok {
				h.add("advertisement", VerdictAllow, c.Name, "", "the site reaches %s over hub connection %s (hub %s)", p.Dst, c.Name, hub.Name)
				return s.hubDevice(hub, c), true
			}
		}
	}
	return nil, false
}

func init() {
	codes.Register(codes.Code{ID: DropHubNoRoute, Domain: "trace", Kind: "drop-reason",
		Meaning: "A Virtual WAN hub router has no route for the destination in the route table the packet's connection is associated with: the connection holding the destination does not propagate to that table (or to a label it carries).",
		Next:    "Propagate the destination's connection to the route table (or label) of the sending connection's association, or associate the sender with a table that has the route; `pathproof check` with a hub_effective_routes query shows the table."})
}
