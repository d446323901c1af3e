package explain

import (
	"context"
	"net/netip"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/trace"
)

// nicIdent is one NIC as the evidence knows it: its hop token, its
// addresses and the flow-log emitters (MAC addresses) that are it.
type nicIdent struct {
	token string
	name  string
	ips   []netip.Addr
	macs  []string
	// by says how the emitters were mapped: "mac" (the topology's MAC),
	// "address" (the NIC's own address in every tuple it logs).
	by string
	// gateway names the virtual network gateway whose instances these
	// emitters are (VNet flow logs cover gateways): the topology lists
	// their MACs or addresses. "" for a NIC.
	gateway string
}

// nicMap maps flow-log emitters to NICs.
type nicMap struct {
	byEmitter map[string]*nicIdent
	byToken   map[string]*nicIdent
	// gateways are the gateway identities by lower-case name.
	gateways map[string]*nicIdent
	net      *topology.Network
}

// mapEmitters learns every flow-log emitter's own addresses (the source
// of its outbound tuples, the destination of its inbound ones; from the
// evidence and, when there is one, the load's tally) and maps it to a NIC:
// by the topology's MAC when the NIC has one, else by the address.
// Without a topology a NIC is named by its address.
func (r *run) mapEmitters(_ context.Context) *nicMap {
	m := &nicMap{byEmitter: map[string]*nicIdent{}, byToken: map[string]*nicIdent{}, gateways: map[string]*nicIdent{}, net: r.p.net}
	own := map[string][]netip.Addr{}
	var order []string
	note := func(mac string, ip netip.Addr) {
		if _, ok := own[mac]; !ok {
			order = append(order, mac)
		}
		if ip.IsValid() && !containsAddr(own[mac], ip) {
			own[mac] = append(own[mac], ip)
		} else if own[mac] == nil {
			own[mac] = []netip.Addr{}
		}
	}
	for i := range r.events {
		e := &r.events[i]
		if isFlowLog(e.Source) && e.Emitter != "" {
			note(e.Emitter, ownAddr(e).Unmap())
		}
	}
	if a := r.act; a != nil {
		var keys []emitterKey
		for k := range a.emitters {
			if isFlowLog(k.source) && k.emitter != "" {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].emitter < keys[j].emitter })
		for _, k := range keys {
			for _, ip := range a.emitters[k].own {
				note(k.emitter, ip.Unmap())
			}
			if len(a.emitters[k].own) == 0 {
				note(k.emitter, netip.Addr{})
			}
		}
	}
	for _, mac := range order {
		id := m.identify(mac, own[mac])
		m.byEmitter[mac] = id
	}
	return m
}

// identify names the NIC behind emitter mac with addresses ips: a
// gateway's instance when the topology lists the MAC or one of the
// addresses as the gateway's instance, else a NIC.
func (m *nicMap) identify(mac string, ips []netip.Addr) *nicIdent {
	if id := m.gatewayOf(mac, ips); id != nil {
		return id
	}
	var nic *topology.NIC
	by := ""
	if m.net != nil {
		norm := topology.NormalizeMAC(mac)
		for _, n := range m.net.NICs {
			if n.MAC != "" && topology.NormalizeMAC(n.MAC) == norm {
				nic, by = n, "mac"
				break
			}
		}
		if nic == nil {
			for _, ip := range ips {
				if o, ok := m.net.Owner(ip); ok && o.Kind == topology.OwnerNIC {
					nic, by = o.NIC, "address"
					break
				}
			}
		}
	}
	var id *nicIdent
	switch {
	case nic != nil:
		id = m.ensure("nic:"+nic.Name, nic.Name)
		for _, ip := range append([]netip.Addr{nic.IP}, nic.AdditionalIPs...) {
			if ip.IsValid() && !containsAddr(id.ips, ip.Unmap()) {
				id.ips = append(id.ips, ip.Unmap())
			}
		}
	case len(ips) > 0:
		id = m.ensure("nic:"+ips[0].String(), "")
		by = "address"
	default:
		id = m.ensure("nic:"+topology.NormalizeMAC(mac), "")
		by = "mac"
	}
	for _, ip := range ips {
		if !containsAddr(id.ips, ip) {
			id.ips = append(id.ips, ip)
		}
	}
	id.macs = append(id.macs, mac)
	if id.by == "" || by == "mac" {
		id.by = by
	}
	return id
}

// gatewayOf maps a flow-log emitter to the gateway whose instance it is:
// by the topology's instance MACs, else by an instance address among the
// emitter's own. A gateway instance forwards other hosts' traffic, so the
// other addresses on its tuples are not its own: it is never a NIC.
func (m *nicMap) gatewayOf(mac string, ips []netip.Addr) *nicIdent {
	if m.net == nil {
		return nil
	}
	norm := topology.NormalizeMAC(mac)
	var gw *topology.Gateway
	by := ""
	for _, g := range m.net.Gateways {
		for _, x := range g.InstanceMACs {
			if topology.NormalizeMAC(x) == norm {
				gw, by = g, "mac"
			}
		}
	}
	if gw == nil {
		for _, ip := range ips {
			if o, ok := m.net.Owner(ip); ok && o.Kind == topology.OwnerGateway {
				gw, by = o.Gateway, "address"
				break
			}
		}
	}
	if gw == nil {
		return nil
	}
	id := m.ensure(trace.KindGateway+":"+gw.Name, gw.Name)
	id.gateway = gw.Name
	for _, ip := range gw.InstanceIPs {
		if !containsAddr(id.ips, ip.Unmap()) {
			id.ips = append(id.ips, ip.Unmap())
		}
	}
	id.macs = append(id.macs, mac)
	if id.by == "" || by == "mac" {
		id.by = by
	}
	m.gateways[strings.ToLower(gw.Name)] = id
	return id
}

func (m *nicMap) ensure(token, name string) *nicIdent {
	if id := m.byToken[token]; id != nil {
		return id
	}
	id := &nicIdent{token: token, name: name}
	m.byToken[token] = id
	return id
}

// forNIC returns the identity of a topology NIC (creating one without
// emitters when none logged).
func (m *nicMap) forNIC(name string, ip netip.Addr) *nicIdent {
	if id := m.byToken["nic:"+name]; id != nil {
		return id
	}
	id := m.ensure("nic:"+name, name)
	if ip.IsValid() {
		id.ips = append(id.ips, ip.Unmap())
	}
	if m.net != nil {
		if n := m.net.NIC(name); n != nil {
			for _, a := range n.AdditionalIPs {
				id.ips = append(id.ips, a.Unmap())
			}
			if n.MAC != "" {
				id.macs = append(id.macs, topology.NormalizeMAC(n.MAC))
				id.by = "mac"
			}
		}
	}
	return id
}

// forIP returns the identity of the NIC that owns ip in the evidence, or
// nil.
func (m *nicMap) forIP(ip netip.Addr) *nicIdent {
	var ids []*nicIdent
	for _, id := range m.byToken {
		if containsAddr(id.ips, ip) && len(id.macs) > 0 && id.gateway == "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].token < ids[j].token })
	return ids[0]
}

// describe says how the identity's emitters were mapped.
func (id *nicIdent) describe() string {
	if len(id.macs) == 0 {
		return id.token + ": no flow-log emitter in the evidence"
	}
	if id.gateway != "" {
		if id.by == "mac" {
			return "flow-log emitter " + strings.Join(id.macs, ", ") + " is " + id.token + "'s instance (the topology's instance MAC)"
		}
		return "flow-log emitter " + strings.Join(id.macs, ", ") + " is " + id.token + "'s instance (its instance address " + addrList(id.ips) + " is on its tuples)"
	}
	switch id.by {
	case "mac":
		return "flow-log emitter " + strings.Join(id.macs, ", ") + " is " + id.token + " (the topology's MAC)"
	case "address":
		return "flow-log emitter " + strings.Join(id.macs, ", ") + " is " + id.token + " (its own address " + addrList(id.ips) + " is on every tuple it logs)"
	}
	return "flow-log emitter " + strings.Join(id.macs, ", ") + " is " + id.token
}

func addrList(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
