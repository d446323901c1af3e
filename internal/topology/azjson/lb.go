package azjson

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// Load balancer and NAT gateway types (az network lb list, az network lb
// address-pool list, az network nat gateway list, ARM and Resource Graph).
const (
	tLB         = "microsoft.network/loadbalancers"
	tLBPool     = "microsoft.network/loadbalancers/backendaddresspools"
	tLBRule     = "microsoft.network/loadbalancers/loadbalancingrules"
	tLBNATRule  = "microsoft.network/loadbalancers/inboundnatrules"
	tLBOutbound = "microsoft.network/loadbalancers/outboundrules"
	tLBProbe    = "microsoft.network/loadbalancers/probes"
	tNATGW      = "microsoft.network/natgateways"
	tPIPPrefix  = "microsoft.network/publicipprefixes"
)

var lbTypes = map[string]bool{tLB: true, tLBPool: true, tLBRule: true, tLBNATRule: true, tLBOutbound: true, tLBProbe: true, tNATGW: true, tPIPPrefix: true}

// addLB reads one load balancer, load balancer child, NAT gateway or public
// IP prefix; false if r is none of them.
func addLB(s *armset.Set, file string, r Resource) (note string, ok bool) {
	if !lbTypes[r.Type] {
		return "", false
	}
	if r.Bare {
		return bareNote(r.Type), true
	}
	b := r.Body
	src := srcOf(file, r)
	lbID := r.ID.Parent().Raw
	switch r.Type {
	case tLB:
		l := &armset.LoadBalancer{Src: src, Name: r.Name}
		if sku := jsonobj.Obj(b, "sku"); sku != nil {
			l.SKU = jsonobj.Str(sku, "name")
		}
		for _, f := range jsonobj.Objs(b, "frontendIPConfigurations") {
			l.Frontends = append(l.Frontends, &armset.LBFrontend{ID: jsonobj.Str(f, "id"), Name: jsonobj.Str(f, "name"),
				SubnetID: jsonobj.Ref(f, "subnet"), PrivateIP: jsonobj.Str(f, "privateIPAddress"),
				PublicIPID: jsonobj.Ref(f, "publicIPAddress"), GatewayLBID: jsonobj.Ref(f, "gatewayLoadBalancer")})
		}
		for _, p := range jsonobj.Objs(b, "backendAddressPools") {
			l.Pools = append(l.Pools, lbPoolFrom(p, armset.Src{File: file, ID: jsonobj.Str(p, "id")}, "", jsonobj.Str(p, "name")))
		}
		for _, x := range jsonobj.Objs(b, "loadBalancingRules") {
			l.Rules = append(l.Rules, lbRuleFrom(x, armset.Src{File: file, ID: jsonobj.Str(x, "id")}, "", jsonobj.Str(x, "name")))
		}
		for _, x := range jsonobj.Objs(b, "inboundNatRules") {
			l.NATRules = append(l.NATRules, lbNATFrom(x, armset.Src{File: file, ID: jsonobj.Str(x, "id")}, "", jsonobj.Str(x, "name")))
		}
		for _, x := range jsonobj.Objs(b, "inboundNatPools") {
			l.NATRules = append(l.NATRules, lbNATFrom(x, armset.Src{File: file, ID: jsonobj.Str(x, "id")}, "", jsonobj.Str(x, "name")))
		}
		for _, x := range jsonobj.Objs(b, "outboundRules") {
			l.Outbound = append(l.Outbound, lbOutboundFrom(x, armset.Src{File: file, ID: jsonobj.Str(x, "id")}, "", jsonobj.Str(x, "name")))
		}
		for _, x := range jsonobj.Objs(b, "probes") {
			l.Probes = append(l.Probes, lbProbeFrom(x, armset.Src{File: file, ID: jsonobj.Str(x, "id")}, "", jsonobj.Str(x, "name")))
		}
		s.LoadBalancers = append(s.LoadBalancers, l)
	case tLBPool:
		s.LBPools = append(s.LBPools, lbPoolFrom(b, src, lbID, r.Name))
	case tLBRule:
		s.LBRules = append(s.LBRules, lbRuleFrom(b, src, lbID, r.Name))
	case tLBNATRule:
		s.LBNATRules = append(s.LBNATRules, lbNATFrom(b, src, lbID, r.Name))
	case tLBOutbound:
		s.LBOutbound = append(s.LBOutbound, lbOutboundFrom(b, src, lbID, r.Name))
	case tLBProbe:
		s.LBProbes = append(s.LBProbes, lbProbeFrom(b, src, lbID, r.Name))
	case tNATGW:
		s.NATGateways = append(s.NATGateways, &armset.NATGateway{Src: src, Name: r.Name, PublicIPIDs: jsonobj.Refs(b, "publicIpAddresses"),
			PublicIPPrefixIDs: jsonobj.Refs(b, "publicIpPrefixes"), SubnetIDs: jsonobj.Refs(b, "subnets")})
	case tPIPPrefix:
		s.PublicIPPrefixes = append(s.PublicIPPrefixes, &armset.PublicIPPrefix{Src: src, Name: r.Name, Prefix: jsonobj.Str(b, "ipPrefix")})
	}
	return "", true
}

func lbPoolFrom(b map[string]any, src armset.Src, lbID, name string) *armset.LBPool {
	p := &armset.LBPool{Src: src, LBID: lbID, Name: name, IPConfigIDs: jsonobj.Refs(b, "backendIPConfigurations")}
	for _, t := range jsonobj.Objs(b, "tunnelInterfaces") {
		p.Tunnels = append(p.Tunnels, armset.TunnelFrom(t))
	}
	for _, a := range jsonobj.Objs(b, "loadBalancerBackendAddresses") {
		if c := jsonobj.Ref(a, "networkInterfaceIPConfiguration"); c != "" {
			// A NIC-based member listed again; backendIPConfigurations has it.
			p.IPConfigIDs = append(p.IPConfigIDs, c)
			continue
		}
		p.Addresses = append(p.Addresses, armset.LBAddress{IP: jsonobj.Str(a, "ipAddress"), VNetID: jsonobj.Ref(a, "virtualNetwork")})
	}
	return p
}

func lbRuleFrom(b map[string]any, src armset.Src, lbID, name string) *armset.LBRule {
	r := &armset.LBRule{Src: src, LBID: lbID, Name: name, FrontendID: jsonobj.Ref(b, "frontendIPConfiguration"),
		PoolID: jsonobj.Ref(b, "backendAddressPool"), ProbeID: jsonobj.Ref(b, "probe"), Protocol: jsonobj.Str(b, "protocol"),
		FloatingIP: jsonobj.BoolOr(b, "enableFloatingIP", false), DisableOutboundSNAT: jsonobj.BoolOr(b, "disableOutboundSnat", false)}
	if r.PoolID == "" {
		// Gateway load balancer rules list their pools.
		if ps := jsonobj.Refs(b, "backendAddressPools"); len(ps) > 0 {
			r.PoolID = ps[0]
		}
	}
	r.FrontendPort, _ = jsonobj.Int(b, "frontendPort")
	r.BackendPort, _ = jsonobj.Int(b, "backendPort")
	return r
}

func lbNATFrom(b map[string]any, src armset.Src, lbID, name string) *armset.LBNATRule {
	r := &armset.LBNATRule{Src: src, LBID: lbID, Name: name, FrontendID: jsonobj.Ref(b, "frontendIPConfiguration"),
		Protocol: jsonobj.Str(b, "protocol"), FloatingIP: jsonobj.BoolOr(b, "enableFloatingIP", false),
		PoolID: jsonobj.Ref(b, "backendAddressPool"), IPConfigID: jsonobj.Ref(b, "backendIPConfiguration")}
	r.FrontendPort, _ = jsonobj.Int(b, "frontendPort")
	r.BackendPort, _ = jsonobj.Int(b, "backendPort")
	// Inbound NAT pools and v2 rules map a port range.
	if start, ok := jsonobj.Int(b, "frontendPortRangeStart"); ok {
		r.FrontendPort = start
		r.FrontendPortEnd, _ = jsonobj.Int(b, "frontendPortRangeEnd")
	}
	return r
}

func lbOutboundFrom(b map[string]any, src armset.Src, lbID, name string) *armset.LBOutbound {
	return &armset.LBOutbound{Src: src, LBID: lbID, Name: name, FrontendIDs: jsonobj.Refs(b, "frontendIPConfigurations"),
		PoolID: jsonobj.Ref(b, "backendAddressPool"), Protocol: jsonobj.Str(b, "protocol")}
}

func lbProbeFrom(b map[string]any, src armset.Src, lbID, name string) *armset.LBProbe {
	p := &armset.LBProbe{Src: src, LBID: lbID, Name: name, Protocol: jsonobj.Str(b, "protocol"), Path: jsonobj.Str(b, "requestPath")}
	p.Port, _ = jsonobj.Int(b, "port")
	return p
}

// nicLBRefs reads the load balancer memberships of a NIC IP configuration.
func nicLBRefs(c map[string]any) (pools, natRules []string) {
	pools = jsonobj.Refs(c, "loadBalancerBackendAddressPools")
	natRules = jsonobj.Refs(c, "loadBalancerInboundNatRules")
	for i, p := range pools {
		pools[i] = strings.TrimSpace(p)
	}
	return pools, natRules
}
