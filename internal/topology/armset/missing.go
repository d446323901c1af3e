package armset

import (
	"net/netip"
	"slices"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// dropMissing leaves out the mapped resources whose placing reference
// names a resource the inputs lack, recording each as a missing reference
// with the missing id, so that model validation does not report it as an
// error: a NIC, private endpoint or firewall in a subnet that is not
// exported, a gateway in a VNet that is not, a connection of a gateway
// that is not, a secured-hub firewall of a hub that is not. A hub whose
// virtual WAN is missing stays, without its WAN.
//
// References whose loss would change an answer from deny to allow (a
// subnet's or NIC's NSG, a subnet's route table, a firewall's policy) are
// not left out: model validation reports them as errors.
func (r *refTable) dropMissing(m *mapper) {
	n := m.net
	subnetOK := func(src topology.Source, what, name, id string) bool {
		if id == "" || r.has("subnet", id) {
			return true
		}
		m.missAt(src, id, "%s %q: its subnet %s is not in the inputs", what, name, id)
		return false
	}
	leftOut := func(kind, name, missing string, addrs ...netip.Addr) {
		var as []netip.Addr
		for _, a := range addrs {
			if a.IsValid() {
				as = append(as, a)
			}
		}
		n.LeftOut = append(n.LeftOut, topology.LeftOut{Kind: kind, Name: name, Addrs: as, Missing: missing})
	}
	n.NICs = slices.DeleteFunc(n.NICs, func(x *topology.NIC) bool {
		if subnetOK(x.Src, "network interface", x.Name, x.Subnet) {
			return false
		}
		leftOut("network interface", x.Name, x.Subnet, append([]netip.Addr{x.IP}, x.AdditionalIPs...)...)
		// References to the NIC (pools, NAT rules) now dangle too.
		delete(r.names["nic"], arm.IDKey(x.ID))
		return true
	})
	n.PrivateEndpoints = slices.DeleteFunc(n.PrivateEndpoints, func(x *topology.PrivateEndpoint) bool {
		if subnetOK(x.Src, "private endpoint", x.Name, x.Subnet) {
			return false
		}
		leftOut("private endpoint", x.Name, x.Subnet, x.IP)
		return true
	})
	hubs, wans := map[string]bool{}, map[string]bool{}
	for _, h := range n.VirtualHubs {
		hubs[arm.IDKey(h.ID)] = true
	}
	for _, w := range n.VirtualWANs {
		wans[arm.IDKey(w.ID)] = true
	}
	n.Firewalls = slices.DeleteFunc(n.Firewalls, func(x *topology.Firewall) bool {
		if !subnetOK(x.Src, "firewall", x.Name, x.Subnet) {
			leftOut("firewall", x.Name, x.Subnet, x.PrivateIP)
			return true
		}
		if x.Hub != "" && !hubs[arm.IDKey(x.Hub)] {
			m.missAt(x.Src, x.Hub, "firewall %q: its virtual hub %s is not in the inputs", x.Name, x.Hub)
			leftOut("firewall", x.Name, x.Hub, x.PrivateIP)
			return true
		}
		return false
	})
	n.Gateways = slices.DeleteFunc(n.Gateways, func(x *topology.Gateway) bool {
		if x.VNet == "" || r.has("vnet", x.VNet) {
			return false
		}
		m.missAt(x.Src, x.VNet, "gateway %q: its virtual network %s is not in the inputs", x.Name, x.VNet)
		delete(r.names["gateway"], arm.IDKey(x.ID))
		return true
	})
	n.Connections = slices.DeleteFunc(n.Connections, func(x *topology.Connection) bool {
		if x.Gateway == "" || r.has("gateway", x.Gateway) {
			return false
		}
		m.missAt(x.Src, x.Gateway, "connection %q: its virtual network gateway %s is not in the inputs", x.Name, x.Gateway)
		return true
	})
	for _, h := range n.VirtualHubs {
		if h.WAN != "" && !wans[arm.IDKey(h.WAN)] {
			m.missAt(h.Src, h.WAN, "virtual hub %q: its virtual WAN %s is not in the inputs (read as a hub on its own)", h.Name, h.WAN)
			h.WAN = ""
		}
	}
}
