package armset

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// TunnelFrom reads a gateway load balancer pool's tunnel interface; ARM's
// tunnelInterfaces and Terraform's tunnel_interface use the same keys
// (type, protocol, port, identifier).
func TunnelFrom(t map[string]any) topology.LBTunnelInterface {
	ti := topology.LBTunnelInterface{Type: jsonobj.Str(t, "type"), Protocol: jsonobj.Str(t, "protocol")}
	ti.Port, _ = jsonobj.Int(t, "port")
	ti.Identifier, _ = jsonobj.Int(t, "identifier")
	return ti
}

// LoadBalancer is a Microsoft.Network/loadBalancers resource with its
// inline children.
type LoadBalancer struct {
	Src
	Name, SKU string
	Frontends []*LBFrontend
	Pools     []*LBPool
	Rules     []*LBRule
	NATRules  []*LBNATRule // inbound NAT rules and inbound NAT pools (ranges)
	Outbound  []*LBOutbound
	Probes    []*LBProbe
}

// LBFrontend is a frontend IP configuration.
type LBFrontend struct {
	ID, Name            string
	SubnetID, PrivateIP string
	PublicIPID          string
	GatewayLBID         string
}

// LBPool is a backend address pool, inline or standalone (LBID set).
type LBPool struct {
	Src
	LBID, Name  string
	IPConfigIDs []string // NIC-based members: NIC IP configuration ids
	Addresses   []LBAddress
	Tunnels     []topology.LBTunnelInterface // a Gateway load balancer pool's
}

// LBAddress is an IP-based pool member.
type LBAddress struct {
	IP, VNetID string
}

// LBRule is a load-balancing rule, inline or standalone (LBID set).
type LBRule struct {
	Src
	LBID, Name                      string
	FrontendID, PoolID, ProbeID     string
	Protocol                        string
	FrontendPort, BackendPort       int
	FloatingIP, DisableOutboundSNAT bool
}

// LBNATRule is an inbound NAT rule or pool, inline or standalone.
type LBNATRule struct {
	Src
	LBID, Name                                 string
	FrontendID, Protocol                       string
	FrontendPort, FrontendPortEnd, BackendPort int
	FloatingIP                                 bool
	PoolID                                     string
	IPConfigID                                 string // the target of a single-NIC rule
}

// LBOutbound is an outbound rule, inline or standalone.
type LBOutbound struct {
	Src
	LBID, Name  string
	FrontendIDs []string
	PoolID      string
	Protocol    string
}

// LBProbe is a health probe, inline or standalone.
type LBProbe struct {
	Src
	LBID, Name, Protocol, Path string
	Port                       int
}

// NATGateway is a Microsoft.Network/natGateways resource.
type NATGateway struct {
	Src
	Name                  string
	PublicIPIDs           []string
	PublicIPPrefixIDs     []string
	SubnetIDs             []string // read-only back-references
	PublicIPs, PrefixCIDR []string // addresses carried directly (Terraform)
}

// PublicIPPrefix is a Microsoft.Network/publicIPPrefixes resource.
type PublicIPPrefix struct {
	Src
	Name, Prefix string
}

// nicOfIPConfig returns the NIC id of a NIC IP configuration id.
func nicOfIPConfig(id string) string {
	if i := strings.Index(strings.ToLower(id), "/ipconfigurations/"); i >= 0 {
		return id[:i]
	}
	return id
}

// mergeLBChildren attaches standalone pools, rules, NAT rules, outbound
// rules and probes (Terraform's azurerm_lb_* resources, az network lb
// address-pool list, ...) to their load balancer.
func (s *Set) mergeLBChildren(m *mapper) {
	lbs := map[string]*LoadBalancer{}
	for _, l := range s.LoadBalancers {
		lbs[arm.IDKey(l.ID)] = l
	}
	parent := func(src Src, what, name, lbID string) *LoadBalancer {
		l := lbs[arm.IDKey(lbID)]
		if l == nil {
			m.missf(src, lbID, "%s %q: its load balancer %s is not in the inputs", what, name, orNone(lbID))
		}
		return l
	}
	for _, x := range s.LBPools {
		if l := parent(x.Src, "backend pool", x.Name, x.LBID); l != nil {
			l.Pools = replaceByName(l.Pools, x, func(y *LBPool) string { return y.Name })
		}
	}
	for _, x := range s.LBRules {
		if l := parent(x.Src, "load-balancing rule", x.Name, x.LBID); l != nil {
			l.Rules = replaceByName(l.Rules, x, func(y *LBRule) string { return y.Name })
		}
	}
	for _, x := range s.LBNATRules {
		if l := parent(x.Src, "inbound NAT rule", x.Name, x.LBID); l != nil {
			l.NATRules = replaceByName(l.NATRules, x, func(y *LBNATRule) string { return y.Name })
		}
	}
	for _, x := range s.LBOutbound {
		if l := parent(x.Src, "outbound rule", x.Name, x.LBID); l != nil {
			l.Outbound = replaceByName(l.Outbound, x, func(y *LBOutbound) string { return y.Name })
		}
	}
	for _, x := range s.LBProbes {
		if l := parent(x.Src, "probe", x.Name, x.LBID); l != nil {
			l.Probes = replaceByName(l.Probes, x, func(y *LBProbe) string { return y.Name })
		}
	}
}

// loadBalancers maps load balancers. Pool membership is read from both
// sides (the pool's backendIPConfigurations and each NIC IP
// configuration's loadBalancerBackendAddressPools) and kept once.
func (m *mapper) loadBalancers() {
	type poolKey = string
	members := map[poolKey][]string{} // pool id key → NIC ids
	natTarget := map[string]string{}  // NAT rule id key → NIC id
	addMember := func(poolID, nicID string) {
		k := arm.IDKey(poolID)
		for _, x := range members[k] {
			if arm.IDKey(x) == arm.IDKey(nicID) {
				return
			}
		}
		members[k] = append(members[k], nicID)
	}
	for _, n := range m.s.NICs {
		for _, c := range n.IPConfigs {
			for _, p := range c.LBPoolIDs {
				addMember(p, n.ID)
			}
			for _, r := range c.LBNATRuleIDs {
				natTarget[arm.IDKey(r)] = n.ID
			}
		}
	}
	for _, l := range m.s.LoadBalancers {
		nl := &topology.LoadBalancer{Src: source(l.Src), Name: l.Name, ID: l.ID, SKU: l.SKU}
		child := func(kind, name string) string { return l.ID + "/" + kind + "/" + name }
		for _, f := range l.Frontends {
			nf := &topology.LBFrontend{Name: f.Name, Subnet: f.SubnetID, PrivateIP: m.addr(l.Src, "frontend private IP", f.PrivateIP), GatewayLB: f.GatewayLBID}
			if f.PublicIPID != "" {
				nf.PublicIP = m.publicIP(l.Src, f.PublicIPID)
			}
			nl.Frontends = append(nl.Frontends, nf)
		}
		for _, p := range l.Pools {
			np := &topology.LBBackendPool{Name: p.Name, TunnelInterfaces: p.Tunnels}
			for _, c := range p.IPConfigIDs {
				addMember(child("backendAddressPools", p.Name), nicOfIPConfig(c))
			}
			np.NICs = append(np.NICs, members[arm.IDKey(child("backendAddressPools", p.Name))]...)
			for _, a := range p.Addresses {
				if ip := m.addr(l.Src, "backend address", a.IP); ip.IsValid() {
					np.Addresses = append(np.Addresses, ip)
				}
				if a.VNetID != "" {
					np.VNet = a.VNetID
				}
			}
			nl.BackendPools = append(nl.BackendPools, np)
		}
		for _, r := range l.Rules {
			nl.Rules = append(nl.Rules, &topology.LBRule{Name: r.Name, Frontend: lastName(r.FrontendID), BackendPool: lastName(r.PoolID),
				Probe: lastName(r.ProbeID), Protocol: r.Protocol, FrontendPort: r.FrontendPort, BackendPort: r.BackendPort,
				FloatingIP: r.FloatingIP, DisableOutboundSNAT: r.DisableOutboundSNAT})
		}
		for _, r := range l.NATRules {
			nr := &topology.LBInboundNATRule{Name: r.Name, Frontend: lastName(r.FrontendID), Protocol: r.Protocol, FrontendPort: r.FrontendPort,
				FrontendPortEnd: r.FrontendPortEnd, BackendPort: r.BackendPort, FloatingIP: r.FloatingIP, BackendPool: lastName(r.PoolID)}
			if t := natTarget[arm.IDKey(child("inboundNatRules", r.Name))]; t != "" {
				nr.NIC = t
			} else if r.IPConfigID != "" {
				nr.NIC = nicOfIPConfig(r.IPConfigID)
			}
			nl.InboundNATRules = append(nl.InboundNATRules, nr)
		}
		for _, r := range l.Outbound {
			nr := &topology.LBOutboundRule{Name: r.Name, BackendPool: lastName(r.PoolID), Protocol: r.Protocol}
			for _, f := range r.FrontendIDs {
				nr.Frontends = append(nr.Frontends, lastName(f))
			}
			nl.OutboundRules = append(nl.OutboundRules, nr)
		}
		for _, p := range l.Probes {
			nl.Probes = append(nl.Probes, &topology.LBProbe{Name: p.Name, Protocol: p.Protocol, Port: p.Port, RequestPath: p.Path})
		}
		m.lbChildRefs(l, nl)
		m.net.LoadBalancers = append(m.net.LoadBalancers, nl)
	}
}

// lbChildRefs leaves out the rules of nl that name a frontend, backend
// pool or probe the load balancer l lacks in the inputs (a Terraform state
// without the azurerm_lb_backend_address_pool, an export cut short),
// recording each as a missing reference with the child's id.
func (m *mapper) lbChildRefs(l *LoadBalancer, nl *topology.LoadBalancer) {
	// refs are (kind, id) pairs, checked in order.
	lacks := func(src Src, what, name string, refs ...[2]string) bool {
		if src.ID == "" && src.Where == "" {
			src = l.Src // an inline child
		}
		for _, ref := range refs {
			kind, id := ref[0], ref[1]
			if id == "" {
				continue
			}
			n := lastName(id)
			var ok bool
			switch kind {
			case "frontend":
				ok = nl.Frontend(n) != nil
			case "backend pool":
				ok = nl.Pool(n) != nil
			case "probe":
				ok = nl.Probe(n) != nil
			}
			if !ok {
				m.missf(src, id, "load balancer %q %s %q: its %s %s is not in the inputs", l.Name, what, name, kind, id)
				return true
			}
		}
		return false
	}
	rules := nl.Rules[:0]
	for i, r := range l.Rules {
		if !lacks(r.Src, "load-balancing rule", r.Name, [2]string{"frontend", r.FrontendID}, [2]string{"backend pool", r.PoolID}, [2]string{"probe", r.ProbeID}) {
			rules = append(rules, nl.Rules[i])
		}
	}
	nl.Rules = rules
	nat := nl.InboundNATRules[:0]
	for i, r := range l.NATRules {
		if !lacks(r.Src, "inbound NAT rule", r.Name, [2]string{"frontend", r.FrontendID}, [2]string{"backend pool", r.PoolID}) {
			nat = append(nat, nl.InboundNATRules[i])
		}
	}
	nl.InboundNATRules = nat
	out := nl.OutboundRules[:0]
	for i, r := range l.Outbound {
		refs := [][2]string{{"backend pool", r.PoolID}}
		for _, f := range r.FrontendIDs {
			refs = append(refs, [2]string{"frontend", f})
		}
		missing := lacks(r.Src, "outbound rule", r.Name, refs...)
		if !missing {
			out = append(out, nl.OutboundRules[i])
		}
	}
	nl.OutboundRules = out
}

// lastName is the name of a child id (a frontend, pool or probe).
func lastName(id string) string {
	if id == "" {
		return ""
	}
	return arm.ParseID(id).Name()
}

// natGateways maps NAT gateways; their subnets come from both sides (the
// subnet's natGateway and the gateway's subnets list).
func (m *mapper) natGateways() {
	prefixes := map[string]*PublicIPPrefix{}
	for _, p := range m.s.PublicIPPrefixes {
		prefixes[arm.IDKey(p.ID)] = p
	}
	bySubnet := map[string][]string{} // NAT gateway id key → subnet ids
	for _, v := range m.s.VNets {
		for _, sb := range v.Subnets {
			if sb.NATGWID != "" {
				k := arm.IDKey(sb.NATGWID)
				bySubnet[k] = arm.Union(bySubnet[k], []string{sb.ID})
			}
		}
	}
	for _, g := range m.s.NATGateways {
		ng := &topology.NATGateway{Src: source(g.Src), Name: g.Name, ID: g.ID}
		for _, id := range g.PublicIPIDs {
			if ip := m.publicIP(g.Src, id); ip.IsValid() {
				ng.PublicIPs = append(ng.PublicIPs, ip)
			}
		}
		for _, s := range g.PublicIPs {
			if ip := m.addr(g.Src, "public IP address", s); ip.IsValid() {
				ng.PublicIPs = append(ng.PublicIPs, ip)
			}
		}
		for _, id := range g.PublicIPPrefixIDs {
			p := prefixes[arm.IDKey(id)]
			switch {
			case p == nil:
				m.notef(g.Src, "public IP prefix %s is not in the inputs; its range is unknown", id)
			case p.Prefix == "":
				m.notef(g.Src, "public IP prefix %s has no range", id)
			default:
				if pf, ok := m.prefix(p.Src, "public IP prefix", p.Prefix); ok {
					ng.PublicIPPrefixes = append(ng.PublicIPPrefixes, pf)
				}
			}
		}
		ng.Subnets = arm.Union(bySubnet[arm.IDKey(g.ID)], g.SubnetIDs)
		delete(bySubnet, arm.IDKey(g.ID))
		m.net.NATGateways = append(m.net.NATGateways, ng)
	}
	if len(bySubnet) == 0 {
		return
	}
	mapped := map[string]*topology.Subnet{}
	for _, v := range m.net.VNets {
		for _, ns := range v.Subnets {
			mapped[arm.IDKey(ns.ID)] = ns
		}
	}
	for _, v := range m.s.VNets {
		for _, sb := range v.Subnets {
			if sb.NATGWID != "" {
				if _, missing := bySubnet[arm.IDKey(sb.NATGWID)]; missing {
					m.missf(sb.Src, sb.NATGWID, "subnet %q: its NAT gateway %s is not in the inputs (its outbound source address is unknown)", sb.Name, sb.NATGWID)
					if ns := mapped[arm.IDKey(sb.ID)]; ns != nil {
						ns.MissingNATGateway = sb.NATGWID
					}
				}
			}
		}
	}
}

// lbRefs records the NICs, load balancers and their frontends references
// may name.
func (s *Set) lbRefs(r *refTable) {
	for _, x := range s.NICs {
		if x.PrivateEndpointID == "" {
			r.put("nic", x.ID, x.Name)
		}
	}
	for _, x := range s.LoadBalancers {
		r.put("lb", x.ID, x.Name)
		for _, f := range x.Frontends {
			id := x.ID + "/frontendIPConfigurations/" + f.Name
			r.put("lbfe", id, id)
		}
	}
}

// useLBNames rewrites the load balancer and NAT gateway references of the
// mapped network. A reference to a subnet, NIC, VNet or chained frontend
// the inputs lack is a missing reference: it is left out, so validation
// does not see it.
func (r *refTable) useLBNames(m *mapper) {
	n := m.net
	for _, l := range n.LoadBalancers {
		for _, f := range l.Frontends {
			if f.Subnet != "" && !r.has("subnet", f.Subnet) {
				m.missAt(l.Src, f.Subnet, "load balancer %q frontend %q: its subnet %s is not in the inputs", l.Name, f.Name, f.Subnet)
				f.Subnet = ""
			}
			f.Subnet = r.subnet(f.Subnet)
			if f.GatewayLB != "" && !r.has("lbfe", f.GatewayLB) {
				m.missAt(l.Src, f.GatewayLB, "load balancer %q frontend %q: its gateway load balancer frontend %s is not in the inputs", l.Name, f.Name, f.GatewayLB)
				f.MissingGatewayLB, f.GatewayLB = f.GatewayLB, ""
			}
			f.GatewayLB = r.gatewayFrontend(f.GatewayLB)
		}
		for _, p := range l.BackendPools {
			nics := p.NICs[:0]
			for _, x := range p.NICs {
				if !r.has("nic", x) {
					m.missAt(l.Src, x, "load balancer %q backend pool %q: its network interface %s is not in the inputs", l.Name, p.Name, x)
					continue
				}
				nics = append(nics, r.ref("nic", x))
			}
			p.NICs = nics
			if p.VNet != "" && !r.has("vnet", p.VNet) {
				m.missAt(l.Src, p.VNet, "load balancer %q backend pool %q: its virtual network %s is not in the inputs", l.Name, p.Name, p.VNet)
				p.VNet = ""
			}
			p.VNet = r.ref("vnet", p.VNet)
		}
		for _, x := range l.InboundNATRules {
			if x.NIC != "" && !r.has("nic", x.NIC) {
				m.missAt(l.Src, x.NIC, "load balancer %q inbound NAT rule %q: its network interface %s is not in the inputs", l.Name, x.Name, x.NIC)
				x.NIC = ""
			}
			x.NIC = r.ref("nic", x.NIC)
		}
	}
	for _, nic := range n.NICs {
		if nic.GatewayLB != "" && !r.has("lbfe", nic.GatewayLB) {
			m.missAt(nic.Src, nic.GatewayLB, "network interface %q: its gateway load balancer frontend %s is not in the inputs", nic.Name, nic.GatewayLB)
			nic.MissingGatewayLB, nic.GatewayLB = nic.GatewayLB, ""
		}
		nic.GatewayLB = r.gatewayFrontend(nic.GatewayLB)
	}
	for _, g := range n.NATGateways {
		subnets := g.Subnets[:0]
		for _, x := range g.Subnets {
			if !r.has("subnet", x) {
				m.missAt(g.Src, x, "NAT gateway %q: its subnet %s is not in the inputs", g.Name, x)
				continue
			}
			subnets = append(subnets, r.subnet(x))
		}
		g.Subnets = subnets
	}
}

// gatewayFrontend rewrites a Gateway load balancer frontend id as
// "lb/frontend" when the load balancer is in the inputs.
func (r *refTable) gatewayFrontend(ref string) string {
	if i := strings.Index(strings.ToLower(ref), "/frontendipconfigurations/"); i >= 0 {
		if name := r.ref("lb", ref[:i]); name != ref[:i] {
			return name + "/" + arm.ParseID(ref).Name()
		}
	}
	return ref
}
