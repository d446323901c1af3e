package topology

import (
	"fmt"
	"net/netip"
	"strings"
)

// Validate reports invalid or inconsistent input as errors and ignored or
// doubtful input as warnings. Call after Index.
func (n *Network) Validate(d *Diagnostics) {
	n.validateNames(d)
	for _, v := range n.VNets {
		res := "vnet " + v.Name
		if len(v.AddressSpace) == 0 {
			d.Errorf(v.Src, res, "no address space")
		}
		for _, p := range v.AddressSpace {
			checkPrefix(d, v.Src, res, p)
		}
		for i, s := range v.Subnets {
			sres := "subnet " + v.Name + "/" + s.Name
			if !s.Prefix.IsValid() {
				d.Errorf(s.Src, sres, "missing or invalid prefix")
			}
			for _, p := range s.Prefixes() {
				checkPrefix(d, s.Src, sres, p)
				if !coveredBy(p, v.AddressSpace) {
					d.Errorf(s.Src, sres, "prefix %s is outside the VNet address space %v", p, v.AddressSpace)
				}
				for _, o := range v.Subnets[:i] {
					for _, q := range o.Prefixes() {
						if p.Overlaps(q) {
							d.Errorf(s.Src, sres, "prefix %s overlaps subnet %s (%s)", p, o.Name, q)
						}
					}
				}
			}
			if s.NSG != "" && n.NSG(s.NSG) == nil {
				d.Errorf(s.Src, sres, "NSG %q not found", s.NSG)
			}
			if s.RouteTable != "" && n.RouteTable(s.RouteTable) == nil {
				d.Errorf(s.Src, sres, "route table %q not found", s.RouteTable)
			}
			// §2.7: special subnets.
			if s.NSG != "" && (eqFold(s.Name, "GatewaySubnet") || eqFold(s.Name, "AzureFirewallSubnet")) {
				d.Warnf(s.Src, sres, "an NSG on %s is not supported by Azure (docs/azure-semantics.md §2.7)", s.Name)
			}
			if rt := n.RouteTable(s.RouteTable); rt != nil && eqFold(s.Name, "GatewaySubnet") {
				for _, r := range rt.Routes {
					if r.Prefix == "0.0.0.0/0" {
						d.Warnf(s.Src, sres, "a 0.0.0.0/0 UDR (%s) on GatewaySubnet is not supported (docs/azure-semantics.md §2.7)", r.Name)
					}
				}
				if rt.DisableBGPRoutePropagation {
					d.Warnf(s.Src, sres, "gateway route propagation must stay enabled on GatewaySubnet (docs/azure-semantics.md §2.5)")
				}
			}
			switch s.PEPolicy() {
			case PEPolicyDisabled, PEPolicyEnabled, PEPolicyNSG, PEPolicyRouteTable:
			default:
				d.Errorf(s.Src, sres, "private_endpoint_network_policies %q is not Disabled, Enabled, NetworkSecurityGroupEnabled or RouteTableEnabled", s.PrivateEndpointNetworkPolicies)
			}
		}
	}
	for _, p := range n.Peerings {
		res := fmt.Sprintf("peering %s->%s", p.VNet, p.RemoteVNet)
		if p.vnet == nil {
			d.Errorf(p.Src, res, "VNet %q not found", p.VNet)
		}
		if p.remote == nil {
			d.Errorf(p.Src, res, "remote VNet %q not found", p.RemoteVNet)
		}
		if p.vnet != nil && p.remote != nil {
			for _, a := range p.vnet.AddressSpace {
				for _, b := range p.remote.AddressSpace {
					if a.Overlaps(b) {
						d.Errorf(p.Src, res, "peered address spaces overlap (%s and %s); Azure cannot peer them (docs/azure-semantics.md §2.8)", a, b)
					}
				}
			}
			if n.Reverse(p) == nil {
				d.Warnf(p.Src, res, "no peering object in %s toward %s; peering routes need both (docs/azure-semantics.md §2.8)", p.RemoteVNet, p.VNet)
			}
		}
	}
	for _, rt := range n.RouteTables {
		for _, r := range rt.Routes {
			res := "route " + rt.Name + "/" + r.Name
			if _, err := netip.ParsePrefix(r.Prefix); err != nil && !looksLikeTag(r.Prefix) {
				d.Errorf(r.Src, res, "prefix %q is neither a CIDR nor a service tag", r.Prefix)
			} else if err == nil {
				checkPrefix(d, r.Src, res, netip.MustParsePrefix(r.Prefix))
			}
			switch r.NextHopType {
			case HopVirtualAppliance, HopVirtualApplianceEcmp:
				if !r.NextHopIP.IsValid() && len(r.NextHopIPs) == 0 {
					d.Errorf(r.Src, res, "next hop VirtualAppliance needs next_hop_ip")
				}
			case HopVirtualNetworkGateway, HopVnetLocal, HopInternet, HopNone:
			default:
				d.Errorf(r.Src, res, "next hop type %q is not VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet or None", r.NextHopType)
			}
		}
	}
	for _, g := range n.NSGs {
		for _, r := range g.Rules {
			res := "nsg rule " + g.Name + "/" + r.Name
			if r.Priority < 100 || r.Priority > 4096 {
				d.Warnf(r.Src, res, "priority %d outside 100-4096", r.Priority)
			}
			if !eqFold(r.Direction, "Inbound") && !eqFold(r.Direction, "Outbound") {
				d.Errorf(r.Src, res, "direction %q is not Inbound or Outbound", r.Direction)
			}
			if !eqFold(r.Access, "Allow") && !eqFold(r.Access, "Deny") {
				d.Errorf(r.Src, res, "access %q is not Allow or Deny", r.Access)
			}
			n.checkAddrs(d, r.Src, res, r.Source)
			n.checkAddrs(d, r.Src, res, r.Destination)
		}
	}
	for _, a := range n.AdminRules {
		for _, v := range a.AppliesToVNets {
			if n.VNet(v) == nil {
				d.Errorf(a.Src, "admin rule "+a.Name, "VNet %q not found", v)
			}
		}
	}
	n.validateEndpoints(d)
	n.validateFirewalls(d)
	n.validateGateways(d)
	n.validateLB(d)
	n.validateVWAN(d)
	n.validateDNS(d)
}

func (n *Network) validateEndpoints(d *Diagnostics) {
	seen := map[netip.Addr]string{}
	seenVNet := map[netip.Addr]*VNet{}
	claim := func(src Source, res string, ip netip.Addr, s *Subnet) {
		if !ip.IsValid() {
			d.Errorf(src, res, "missing or invalid IP address")
			return
		}
		if s != nil && !containsAddr(s.Prefixes(), ip) {
			d.Errorf(src, res, "IP %s is outside subnet %s (%v)", ip, s.Key(), s.Prefixes())
		}
		if other, dup := seen[ip]; dup {
			if s != nil && seenVNet[ip] == s.vnet {
				d.Errorf(src, res, "duplicate IP %s (also %s)", ip, other)
			} else {
				d.Warnf(src, res, "IP %s is also used by %s in another VNet; lookups by IP use the first", ip, other)
			}
			return
		}
		seen[ip] = res
		if s != nil {
			seenVNet[ip] = s.vnet
		}
	}
	for _, x := range n.NICs {
		res := "nic " + x.Name
		if x.subnet == nil {
			d.Errorf(x.Src, res, "subnet %q not found", x.Subnet)
		}
		for _, ip := range append([]netip.Addr{x.IP}, x.AdditionalIPs...) {
			claim(x.Src, res, ip, x.subnet)
		}
		if x.NSG != "" && n.NSG(x.NSG) == nil {
			d.Errorf(x.Src, res, "NSG %q not found", x.NSG)
		}
		for _, a := range x.ASGs {
			if n.ASG(a) == nil {
				d.Errorf(x.Src, res, "application security group %q not found", a)
			}
		}
	}
	for _, x := range n.PrivateEndpoints {
		res := "private endpoint " + x.Name
		if x.subnet == nil {
			d.Errorf(x.Src, res, "subnet %q not found", x.Subnet)
		}
		claim(x.Src, res, x.IP, x.subnet)
	}
	for _, x := range n.Firewalls {
		res := "firewall " + x.Name
		if x.Hub != "" {
			// A secured-hub firewall lives in the hub, not in a subnet.
			if n.VirtualHub(x.Hub) == nil {
				d.Errorf(x.Src, res, "virtual hub %q not found", x.Hub)
			}
			if !x.PrivateIP.IsValid() {
				d.Warnf(x.Src, res, "the secured-hub firewall has no private IP in the input (hubIPAddresses.privateIPAddress): spokes cannot route to it")
				continue
			}
			claim(x.Src, res, x.PrivateIP, nil)
			continue
		}
		if x.subnet == nil {
			d.Errorf(x.Src, res, "subnet %q not found", x.Subnet)
		} else if !eqFold(x.subnet.Name, "AzureFirewallSubnet") {
			d.Warnf(x.Src, res, "subnet %s is not named AzureFirewallSubnet", x.subnet.Key())
		}
		claim(x.Src, res, x.PrivateIP, x.subnet)
	}
}

func (n *Network) validateFirewalls(d *Diagnostics) {
	for _, f := range n.Firewalls {
		if f.Policy != "" && n.FirewallPolicy(f.Policy) == nil {
			d.Errorf(f.Src, "firewall "+f.Name, "firewall policy %q not found", f.Policy)
		}
	}
	for _, p := range n.FirewallPolicies {
		res := "firewall policy " + p.Name
		seen := map[*FirewallPolicy]bool{p: true}
		for q := p; q.Parent != ""; {
			parent := n.FirewallPolicy(q.Parent)
			if parent == nil {
				d.Errorf(p.Src, res, "parent policy %q not found", q.Parent)
				break
			}
			if seen[parent] {
				d.Errorf(p.Src, res, "parent policies form a cycle")
				break
			}
			seen[parent] = true
			q = parent
		}
		for _, g := range p.RuleCollectionGroups {
			for _, rc := range g.RuleCollections {
				switch rc.Type {
				case RCDNAT, RCNetwork, RCApplication:
				default:
					d.Errorf(p.Src, res, "rule collection %s/%s: type %q is not DNAT, Network or Application", g.Name, rc.Name, rc.Type)
				}
				for _, r := range rc.Rules {
					for _, ig := range append(append([]string{}, r.SourceIPGroups...), r.DestinationIPGroups...) {
						if n.IPGroup(ig) == nil {
							d.Errorf(p.Src, res, "rule %s/%s/%s: IP group %q not found", g.Name, rc.Name, r.Name, ig)
						}
					}
				}
			}
		}
	}
}

func (n *Network) validateGateways(d *Diagnostics) {
	for _, g := range n.Gateways {
		if g.vnet == nil {
			d.Errorf(g.Src, "gateway "+g.Name, "VNet %q not found", g.VNet)
		}
	}
	for _, c := range n.Connections {
		res := "connection " + c.Name
		if c.gateway == nil {
			d.Errorf(c.Src, res, "gateway %q not found", c.Gateway)
			continue
		}
		if c.Remote != "" && n.OnPremSite(c.Remote) == nil && n.Gateway(c.Remote) == nil {
			d.Errorf(c.Src, res, "remote %q is neither an on-premises site nor a gateway", c.Remote)
		}
		for _, r := range c.NATRules {
			found := false
			for _, nr := range c.gateway.NATRules {
				if eqFold(nr.Name, r) || (nr.ID != "" && eqFold(nr.ID, r)) {
					found = true
				}
			}
			if !found {
				d.Errorf(c.Src, res, "NAT rule %q not found on gateway %s", r, c.gateway.Name)
			}
		}
	}
}

func (n *Network) validateNames(d *Diagnostics) {
	type named struct {
		src  Source
		kind string
		name string
	}
	var all []named
	for _, x := range n.VNets {
		all = append(all, named{x.Src, "vnet", x.Name})
	}
	for _, x := range n.NICs {
		all = append(all, named{x.Src, "nic", x.Name})
	}
	for _, x := range n.NSGs {
		all = append(all, named{x.Src, "nsg", x.Name})
	}
	for _, x := range n.RouteTables {
		all = append(all, named{x.Src, "route table", x.Name})
	}
	for _, x := range n.Firewalls {
		all = append(all, named{x.Src, "firewall", x.Name})
	}
	for _, x := range n.FirewallPolicies {
		all = append(all, named{x.Src, "firewall policy", x.Name})
	}
	for _, x := range n.Gateways {
		all = append(all, named{x.Src, "gateway", x.Name})
	}
	for _, x := range n.PrivateEndpoints {
		all = append(all, named{x.Src, "private endpoint", x.Name})
	}
	seen := map[string]Source{}
	for _, x := range all {
		if x.name == "" {
			d.Errorf(x.src, x.kind, "missing name")
			continue
		}
		k := x.kind + "\x00" + key(x.name)
		if first, dup := seen[k]; dup {
			d.Warnf(x.src, x.kind+" "+x.name, "name also used at %s; references by name resolve to the first (use ids)", first)
			continue
		}
		seen[k] = x.src
	}
}

func (n *Network) checkAddrs(d *Diagnostics, src Source, res string, list []string) {
	for _, a := range list {
		if ref, ok := strings.CutPrefix(a, "asg:"); ok {
			if n.ASG(ref) == nil {
				d.Errorf(src, res, "application security group %q not found", ref)
			}
			continue
		}
		if a == "*" || looksLikeTag(a) {
			continue
		}
		if p, err := netip.ParsePrefix(a); err == nil {
			checkPrefix(d, src, res, p)
			continue
		}
		if _, err := netip.ParseAddr(a); err == nil {
			continue
		}
		if lo, hi, ok := strings.Cut(a, "-"); ok {
			if _, e1 := netip.ParseAddr(lo); e1 == nil {
				if _, e2 := netip.ParseAddr(hi); e2 == nil {
					continue
				}
			}
		}
		d.Errorf(src, res, "address %q is not an IP, CIDR, range, '*', service tag or asg:<name>", a)
	}
}

func checkPrefix(d *Diagnostics, src Source, res string, p netip.Prefix) {
	if !p.IsValid() {
		d.Errorf(src, res, "invalid prefix")
		return
	}
	if p != p.Masked() {
		d.Errorf(src, res, "prefix %s has host bits set (did you mean %s?)", p, p.Masked())
	}
}

// looksLikeTag reports whether s can be a service tag name (letters, digits, dots).
func looksLikeTag(s string) bool {
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func coveredBy(p netip.Prefix, space []netip.Prefix) bool {
	for _, s := range space {
		if s.Bits() <= p.Bits() && s.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func containsAddr(ps []netip.Prefix, ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
