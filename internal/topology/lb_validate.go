package topology

import (
	"net/netip"
	"strings"
)

// validateLB checks load balancers and NAT gateways: every reference
// resolves (a missing pool, frontend, probe, NIC or subnet is an error
// naming it), a frontend address is not claimed twice, and an HA ports
// rule sits on an internal frontend.
func (n *Network) validateLB(d *Diagnostics) {
	for _, nic := range n.NICs {
		if nic.GatewayLB == "" {
			continue
		}
		switch g := n.GatewayFrontendRef(nic.GatewayLB); {
		case g == nil:
			d.Errorf(nic.Src, "network interface "+nic.Name, "gateway load balancer frontend %q not found", nic.GatewayLB)
		case !g.lb.Gateway():
			d.Errorf(nic.Src, "network interface "+nic.Name, "chained frontend %s is not on a Gateway load balancer", g.Key())
		case !nic.PublicIP.IsValid():
			d.Errorf(nic.Src, "network interface "+nic.Name, "chained to gateway load balancer frontend %s without an instance-level public IP", g.Key())
		}
	}
	frontends := map[netip.Addr]string{}
	for _, l := range n.LoadBalancers {
		res := "load balancer " + l.Name
		switch {
		case l.SKU == "", eqFold(l.SKU, LBSKUStandard), eqFold(l.SKU, LBSKUGateway):
		case eqFold(l.SKU, LBSKUBasic):
			d.Warnf(l.Src, res, "Basic load balancers are retired; the model applies Standard's rules")
		default:
			d.Errorf(l.Src, res, "sku %q is not Standard, Gateway or Basic", l.SKU)
		}
		for _, f := range l.Frontends {
			fres := res + " frontend " + f.Name
			if f.Subnet != "" && f.subnet == nil {
				d.Errorf(l.Src, fres, "subnet %q not found", f.Subnet)
			}
			if f.subnet != nil && f.PrivateIP.IsValid() && !containsAddr(f.subnet.Prefixes(), f.PrivateIP) {
				d.Errorf(l.Src, fres, "IP %s is outside subnet %s (%v)", f.PrivateIP, f.subnet.Key(), f.subnet.Prefixes())
			}
			if !f.PrivateIP.IsValid() && !f.PublicIP.IsValid() && l.Src.ID == "" {
				// (An Azure export's unresolved public IP is noted where it is mapped.)
				d.Warnf(l.Src, fres, "no address (neither a private IP nor a resolved public IP): traces cannot reach it")
			}
			for _, ip := range []netip.Addr{f.PrivateIP, f.PublicIP} {
				if !ip.IsValid() {
					continue
				}
				if other, dup := frontends[ip]; dup {
					d.Errorf(l.Src, fres, "frontend IP %s is also frontend %s: Azure cannot give one address to two frontends", ip, other)
					continue
				}
				frontends[ip] = f.Key()
				if o, ok := n.Owner(ip); ok && o.Kind != OwnerLB {
					d.Errorf(l.Src, fres, "frontend IP %s is also owned by %s", ip, o.Kind)
				}
			}
			if f.GatewayLB != "" {
				g := n.GatewayFrontend(f)
				switch {
				case g == nil:
					d.Errorf(l.Src, fres, "gateway load balancer frontend %q not found", f.GatewayLB)
				case !g.lb.Gateway():
					d.Errorf(l.Src, fres, "chained frontend %s is not on a Gateway load balancer", g.Key())
				}
			}
		}
		for _, p := range l.BackendPools {
			pres := res + " backend pool " + p.Name
			for _, ref := range p.NICs {
				if n.NIC(ref) == nil {
					d.Errorf(l.Src, pres, "NIC %q not found", ref)
				}
			}
			if len(p.Addresses) > 0 && p.VNet != "" && n.VNet(p.VNet) == nil {
				d.Errorf(l.Src, pres, "VNet %q not found", p.VNet)
			}
			if _, missing := n.Members(p); len(missing) > 0 {
				d.Warnf(l.Src, pres, "no NIC owns member address(es) %v: the load balancer cannot deliver to them", missing)
			}
		}
		for _, r := range l.Rules {
			rres := res + " rule " + r.Name
			n.checkLBRefs(d, l, rres, r.Frontend, r.BackendPool, r.Probe)
			if r.HAPorts() {
				if f := l.Frontend(r.Frontend); f != nil && f.PublicIP.IsValid() {
					d.Warnf(l.Src, rres, "HA ports rules are only available on an internal frontend")
				}
			}
			if !strings.EqualFold(r.Protocol, "All") && r.FrontendPort == 0 {
				d.Errorf(l.Src, rres, "protocol %s needs a frontend port (ports 0 with protocol All is an HA ports rule)", r.Protocol)
			}
		}
		for _, r := range l.InboundNATRules {
			rres := res + " inbound NAT rule " + r.Name
			n.checkLBRefs(d, l, rres, r.Frontend, r.BackendPool, "")
			if r.NIC != "" && n.NIC(r.NIC) == nil {
				d.Errorf(l.Src, rres, "NIC %q not found", r.NIC)
			}
		}
		for _, r := range l.OutboundRules {
			rres := res + " outbound rule " + r.Name
			for _, f := range r.Frontends {
				n.checkLBRefs(d, l, rres, f, "", "")
			}
			n.checkLBRefs(d, l, rres, "", r.BackendPool, "")
		}
	}
	natOf := map[*Subnet]string{}
	for _, g := range n.NATGateways {
		res := "NAT gateway " + g.Name
		for _, ref := range g.Subnets {
			s := n.Subnet(ref)
			if s == nil {
				d.Errorf(g.Src, res, "subnet %q not found", ref)
				continue
			}
			if other, dup := natOf[s]; dup && other != g.Name {
				d.Errorf(g.Src, res, "subnet %s is also associated with NAT gateway %s; a subnet has at most one", s.Key(), other)
			}
			natOf[s] = g.Name
		}
		if len(g.PublicIPs) == 0 && len(g.PublicIPPrefixes) == 0 && g.Src.ID == "" {
			d.Warnf(g.Src, res, "no public IP address or prefix: the subnets it serves have no outbound connectivity")
		}
	}
}

// checkLBRefs reports a frontend, backend pool or probe name that the load
// balancer does not hold.
func (n *Network) checkLBRefs(d *Diagnostics, l *LoadBalancer, res, fe, pool, probe string) {
	if fe != "" && l.Frontend(fe) == nil {
		d.Errorf(l.Src, res, "frontend %q not found", fe)
	}
	if pool != "" && l.Pool(pool) == nil {
		d.Errorf(l.Src, res, "backend pool %q not found", pool)
	}
	if probe != "" && l.Probe(probe) == nil {
		d.Errorf(l.Src, res, "probe %q not found", probe)
	}
}
