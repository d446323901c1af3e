package export

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
)

// lbID is a load balancer's exported id.
func (e *exporter) lbID(l *topology.LoadBalancer) string {
	return e.idOf(l.ID, "loadBalancers", l.Name)
}

// nicIPConfigRef is the id of a NIC's primary IP configuration (as nicsOut
// writes it), or the reference as given when the NIC is not in the network.
func (e *exporter) nicIPConfigRef(ref string) string {
	if n := e.n.NIC(ref); n != nil {
		return e.idOf(n.ID, "networkInterfaces", n.Name) + "/ipConfigurations/ipconfig1"
	}
	return ref + "/ipConfigurations/ipconfig1"
}

// loadBalancersOut writes Microsoft.Network/loadBalancers with their
// children inline; frontends' public IPs become publicIPAddresses.
func (e *exporter) loadBalancersOut() {
	for _, l := range e.n.LoadBalancers {
		id := e.lbID(l)
		child := func(kind, name string) map[string]any { return refObj(id + "/" + kind + "/" + name) }
		var fes, pools, rules, nats, outs, probes []any
		for _, f := range l.Frontends {
			p := map[string]any{}
			if f.Subnet != "" {
				p["subnet"] = refObj(e.subnetRef(f.Subnet))
				p["privateIPAllocationMethod"] = "Static"
			}
			if f.PrivateIP.IsValid() {
				p["privateIPAddress"] = f.PrivateIP.String()
			}
			if f.PublicIP.IsValid() {
				p["publicIPAddress"] = refObj(e.publicIP(l.Name+"-"+f.Name, 0, f.PublicIP))
			}
			if g := e.n.GatewayFrontend(f); g != nil {
				p["gatewayLoadBalancer"] = refObj(e.lbID(g.LB()) + "/frontendIPConfigurations/" + g.Name)
			} else if f.GatewayLB != "" {
				p["gatewayLoadBalancer"] = refObj(f.GatewayLB)
			}
			fes = append(fes, map[string]any{"id": id + "/frontendIPConfigurations/" + f.Name, "name": f.Name, "properties": p})
		}
		for _, pl := range l.BackendPools {
			p := map[string]any{}
			var cfgs, addrs []any
			for _, n := range pl.NICs {
				cfgs = append(cfgs, refObj(e.nicIPConfigRef(n)))
			}
			for i, a := range pl.Addresses {
				ap := map[string]any{"ipAddress": a.String()}
				if v := e.n.VNet(pl.VNet); v != nil {
					ap["virtualNetwork"] = refObj(e.vnetID(v))
				} else if pl.VNet != "" {
					ap["virtualNetwork"] = refObj(pl.VNet)
				}
				addrs = append(addrs, map[string]any{"name": fmt.Sprintf("address%d", i+1), "properties": ap})
			}
			if len(cfgs) > 0 {
				p["backendIPConfigurations"] = cfgs
			}
			if len(addrs) > 0 {
				p["loadBalancerBackendAddresses"] = addrs
			}
			var tunnels []any
			for _, t := range pl.TunnelInterfaces {
				tunnels = append(tunnels, map[string]any{"type": t.Type, "protocol": t.Protocol, "port": t.Port, "identifier": t.Identifier})
			}
			if len(tunnels) > 0 {
				p["tunnelInterfaces"] = tunnels
			}
			pools = append(pools, map[string]any{"id": id + "/backendAddressPools/" + pl.Name, "name": pl.Name, "properties": p})
		}
		for _, r := range l.Rules {
			p := map[string]any{"protocol": r.Protocol, "frontendPort": r.FrontendPort, "backendPort": r.BackendPort,
				"enableFloatingIP": r.FloatingIP, "disableOutboundSnat": r.DisableOutboundSNAT,
				"frontendIPConfiguration": child("frontendIPConfigurations", r.Frontend)}
			if r.BackendPool != "" {
				p["backendAddressPool"] = child("backendAddressPools", r.BackendPool)
			}
			if r.Probe != "" {
				p["probe"] = child("probes", r.Probe)
			}
			rules = append(rules, map[string]any{"id": id + "/loadBalancingRules/" + r.Name, "name": r.Name, "properties": p})
		}
		for _, r := range l.InboundNATRules {
			p := map[string]any{"protocol": r.Protocol, "backendPort": r.BackendPort, "enableFloatingIP": r.FloatingIP,
				"frontendIPConfiguration": child("frontendIPConfigurations", r.Frontend)}
			if r.FrontendPortEnd > 0 {
				p["frontendPortRangeStart"], p["frontendPortRangeEnd"] = r.FrontendPort, r.FrontendPortEnd
			} else {
				p["frontendPort"] = r.FrontendPort
			}
			if r.BackendPool != "" {
				p["backendAddressPool"] = child("backendAddressPools", r.BackendPool)
			}
			if r.NIC != "" {
				p["backendIPConfiguration"] = refObj(e.nicIPConfigRef(r.NIC))
			}
			nats = append(nats, map[string]any{"id": id + "/inboundNatRules/" + r.Name, "name": r.Name, "properties": p})
		}
		for _, r := range l.OutboundRules {
			var f []any
			for _, n := range r.Frontends {
				f = append(f, child("frontendIPConfigurations", n))
			}
			p := map[string]any{"protocol": r.Protocol, "frontendIPConfigurations": orEmpty(f), "backendAddressPool": child("backendAddressPools", r.BackendPool)}
			outs = append(outs, map[string]any{"id": id + "/outboundRules/" + r.Name, "name": r.Name, "properties": p})
		}
		for _, pr := range l.Probes {
			p := map[string]any{"protocol": pr.Protocol, "port": pr.Port}
			if pr.RequestPath != "" {
				p["requestPath"] = pr.RequestPath
			}
			probes = append(probes, map[string]any{"id": id + "/probes/" + pr.Name, "name": pr.Name, "properties": p})
		}
		props := map[string]any{"frontendIPConfigurations": orEmpty(fes), "backendAddressPools": orEmpty(pools), "loadBalancingRules": orEmpty(rules),
			"inboundNatRules": orEmpty(nats), "outboundRules": orEmpty(outs), "probes": orEmpty(probes)}
		r := e.add(id, l.Name, "Microsoft.Network/loadBalancers", props, nil)
		if l.SKU != "" {
			r["sku"] = map[string]any{"name": l.SKU}
		}
	}
}

// natGatewaysOut writes Microsoft.Network/natGateways, their public IPs
// and public IP prefixes, and the subnets they serve.
func (e *exporter) natGatewaysOut() {
	for _, g := range e.n.NATGateways {
		var ips, prefixes, subnets []any
		for i, a := range g.PublicIPs {
			ips = append(ips, refObj(e.publicIP(g.Name, i, a)))
		}
		for i, p := range g.PublicIPPrefixes {
			prefixes = append(prefixes, refObj(e.publicIPPrefix(g.Name, i, p)))
		}
		for _, s := range g.Subnets {
			subnets = append(subnets, refObj(e.subnetRef(s)))
		}
		props := map[string]any{"publicIpAddresses": orEmpty(ips), "publicIpPrefixes": orEmpty(prefixes), "subnets": orEmpty(subnets)}
		r := e.add(e.idOf(g.ID, "natGateways", g.Name), g.Name, "Microsoft.Network/natGateways", props, nil)
		r["sku"] = map[string]any{"name": "Standard"}
	}
}

// publicIPPrefix writes a public IP prefix resource and returns its id.
func (e *exporter) publicIPPrefix(owner string, i int, p netip.Prefix) string {
	name := fmt.Sprintf("%s-prefix%d", owner, i+1)
	id := e.idOf("", "publicIPPrefixes", name)
	e.add(id, name, "Microsoft.Network/publicIPPrefixes", map[string]any{"ipPrefix": p.String(), "prefixLength": p.Bits(), "publicIPAddressVersion": "IPv4"}, nil)
	return id
}
