package terraform

import (
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// lbJoins holds the load balancer and NAT gateway facts Terraform keeps in
// association resources, joined to their owners once every resource is
// read (the NIC, pool or subnet may come after the association).
type lbJoins struct {
	nicPools   map[string][]string // NIC id key + "\x00" + ip configuration name → pool ids
	nicNAT     map[string][]string // same key → inbound NAT rule ids
	poolAddrs  map[string][]armset.LBAddress
	natPIPs    map[string][]string // NAT gateway id key → public IP ids
	natPrefix  map[string][]string // NAT gateway id key → public IP prefix ids
	subnetNAT  map[string]string   // subnet id key → NAT gateway id
	natGateway map[string]*armset.NATGateway
}

func newLBJoins() *lbJoins {
	return &lbJoins{nicPools: map[string][]string{}, nicNAT: map[string][]string{}, poolAddrs: map[string][]armset.LBAddress{},
		natPIPs: map[string][]string{}, natPrefix: map[string][]string{}, subnetNAT: map[string]string{}, natGateway: map[string]*armset.NATGateway{}}
}

func nicCfgKey(v map[string]any) string {
	return arm.IDKey(jsonobj.Str(v, "network_interface_id")) + "\x00" + jsonobj.Str(v, "ip_configuration_name")
}

// floating reads floating_ip_enabled (azurerm 4.x) or enable_floating_ip (3.x).
func floating(v map[string]any) bool {
	if b, ok := jsonobj.Bool(v, "floating_ip_enabled"); ok {
		return b
	}
	return jsonobj.BoolOr(v, "enable_floating_ip", false)
}

// lbFrontendID is the id of a load balancer's frontend named in a child:
// frontend_ip_configuration_id when the state has it, else built from the
// frontend's name.
func lbFrontendID(v map[string]any, lbID string) string {
	if id := jsonobj.Str(v, "frontend_ip_configuration_id"); id != "" {
		return id
	}
	if n := jsonobj.Str(v, "frontend_ip_configuration_name"); n != "" {
		return lbID + "/frontendIPConfigurations/" + n
	}
	return ""
}

// lbChild returns the load balancer id of a child resource and the
// child's own id (values.id, else made from the two).
func lbChild(v map[string]any, kind string) (lbID, id string) {
	lbID = jsonobj.Str(v, "loadbalancer_id")
	return lbID, tfChildID(v, lbID, kind)
}

// tfReadLB adds azurerm load balancer, NAT gateway and public IP prefix
// resources (azurerm 4.x names, 3.x spellings accepted); false when r is
// none of them. Attribute names are those of the azurerm provider's
// documentation (registry.terraform.io/providers/hashicorp/azurerm: lb,
// lb_backend_address_pool, lb_backend_address_pool_address, lb_rule,
// lb_probe, lb_nat_rule, lb_nat_pool, lb_outbound_rule, nat_gateway and
// its association resources, public_ip_prefix).
func tfReadLB(s *armset.Set, r Resource, a armset.Src, j *lbJoins) bool {
	v := r.Values
	name := jsonobj.Str(v, "name")
	switch r.Type {
	case "azurerm_lb":
		a.ID = tfID(v, "loadBalancers", name)
		l := &armset.LoadBalancer{Src: a, Name: name, SKU: jsonobj.Str(v, "sku")}
		for _, f := range jsonobj.Objs(v, "frontend_ip_configuration") {
			fe := &armset.LBFrontend{ID: jsonobj.Str(f, "id"), Name: jsonobj.Str(f, "name"), SubnetID: jsonobj.Str(f, "subnet_id"),
				PrivateIP: jsonobj.Str(f, "private_ip_address"), PublicIPID: jsonobj.Str(f, "public_ip_address_id"),
				GatewayLBID: jsonobj.Str(f, "gateway_load_balancer_frontend_ip_configuration_id")}
			if fe.ID == "" {
				fe.ID = a.ID + "/frontendIPConfigurations/" + fe.Name
			}
			l.Frontends = append(l.Frontends, fe)
		}
		s.LoadBalancers = append(s.LoadBalancers, l)
	case "azurerm_lb_backend_address_pool":
		lbID, id := lbChild(v, "backendAddressPools")
		a.ID = id
		p := &armset.LBPool{Src: a, LBID: lbID, Name: name, IPConfigIDs: jsonobj.Strs(v, "backend_ip_configurations")}
		for _, t := range jsonobj.Objs(v, "tunnel_interface") {
			p.Tunnels = append(p.Tunnels, armset.TunnelFrom(t))
		}
		if vn := jsonobj.Str(v, "virtual_network_id"); vn != "" {
			// An IP-based pool's VNet; its addresses are separate resources.
			j.poolAddrs[arm.IDKey(id)] = append(j.poolAddrs[arm.IDKey(id)], armset.LBAddress{VNetID: vn})
		}
		s.LBPools = append(s.LBPools, p)
	case "azurerm_lb_backend_address_pool_address":
		k := arm.IDKey(jsonobj.Str(v, "backend_address_pool_id"))
		j.poolAddrs[k] = append(j.poolAddrs[k], armset.LBAddress{IP: jsonobj.Str(v, "ip_address"), VNetID: jsonobj.Str(v, "virtual_network_id")})
	case "azurerm_network_interface_backend_address_pool_association":
		k := nicCfgKey(v)
		j.nicPools[k] = append(j.nicPools[k], jsonobj.Str(v, "backend_address_pool_id"))
	case "azurerm_network_interface_nat_rule_association":
		k := nicCfgKey(v)
		j.nicNAT[k] = append(j.nicNAT[k], jsonobj.Str(v, "nat_rule_id"))
	case "azurerm_lb_rule":
		lbID, id := lbChild(v, "loadBalancingRules")
		a.ID = id
		x := &armset.LBRule{Src: a, LBID: lbID, Name: name, FrontendID: lbFrontendID(v, lbID), ProbeID: jsonobj.Str(v, "probe_id"),
			Protocol: jsonobj.Str(v, "protocol"), FloatingIP: floating(v), DisableOutboundSNAT: jsonobj.BoolOr(v, "disable_outbound_snat", false)}
		if ps := jsonobj.Strs(v, "backend_address_pool_ids"); len(ps) > 0 {
			x.PoolID = ps[0]
		}
		x.FrontendPort, _ = jsonobj.Int(v, "frontend_port")
		x.BackendPort, _ = jsonobj.Int(v, "backend_port")
		s.LBRules = append(s.LBRules, x)
	case "azurerm_lb_nat_rule", "azurerm_lb_nat_pool":
		kind := map[string]string{"azurerm_lb_nat_rule": "inboundNatRules", "azurerm_lb_nat_pool": "inboundNatPools"}[r.Type]
		lbID, id := lbChild(v, kind)
		a.ID = id
		x := &armset.LBNATRule{Src: a, LBID: lbID, Name: name, FrontendID: lbFrontendID(v, lbID), Protocol: jsonobj.Str(v, "protocol"),
			FloatingIP: floating(v), PoolID: jsonobj.Str(v, "backend_address_pool_id"), IPConfigID: jsonobj.Str(v, "backend_ip_configuration_id")}
		x.FrontendPort, _ = jsonobj.Int(v, "frontend_port")
		x.BackendPort, _ = jsonobj.Int(v, "backend_port")
		if start, ok := jsonobj.Int(v, "frontend_port_start"); ok && start > 0 {
			x.FrontendPort = start
			x.FrontendPortEnd, _ = jsonobj.Int(v, "frontend_port_end")
		}
		s.LBNATRules = append(s.LBNATRules, x)
	case "azurerm_lb_outbound_rule":
		lbID, id := lbChild(v, "outboundRules")
		a.ID = id
		x := &armset.LBOutbound{Src: a, LBID: lbID, Name: name, PoolID: jsonobj.Str(v, "backend_address_pool_id"), Protocol: jsonobj.Str(v, "protocol")}
		for _, f := range jsonobj.Objs(v, "frontend_ip_configuration") {
			if fid := jsonobj.Str(f, "id"); fid != "" {
				x.FrontendIDs = append(x.FrontendIDs, fid)
			} else {
				x.FrontendIDs = append(x.FrontendIDs, lbID+"/frontendIPConfigurations/"+jsonobj.Str(f, "name"))
			}
		}
		s.LBOutbound = append(s.LBOutbound, x)
	case "azurerm_lb_probe":
		lbID, id := lbChild(v, "probes")
		a.ID = id
		x := &armset.LBProbe{Src: a, LBID: lbID, Name: name, Protocol: jsonobj.Str(v, "protocol"), Path: jsonobj.Str(v, "request_path")}
		x.Port, _ = jsonobj.Int(v, "port")
		s.LBProbes = append(s.LBProbes, x)
	case "azurerm_nat_gateway":
		a.ID = tfID(v, "natGateways", name)
		g := &armset.NATGateway{Src: a, Name: name,
			// azurerm 2.x carried the addresses on the gateway itself.
			PublicIPIDs: jsonobj.Strs(v, "public_ip_address_ids"), PublicIPPrefixIDs: jsonobj.Strs(v, "public_ip_prefix_ids")}
		j.natGateway[arm.IDKey(a.ID)] = g
		s.NATGateways = append(s.NATGateways, g)
	case "azurerm_nat_gateway_public_ip_association":
		k := arm.IDKey(jsonobj.Str(v, "nat_gateway_id"))
		j.natPIPs[k] = append(j.natPIPs[k], jsonobj.Str(v, "public_ip_address_id"))
	case "azurerm_nat_gateway_public_ip_prefix_association":
		k := arm.IDKey(jsonobj.Str(v, "nat_gateway_id"))
		j.natPrefix[k] = append(j.natPrefix[k], jsonobj.Str(v, "public_ip_prefix_id"))
	case "azurerm_subnet_nat_gateway_association":
		j.subnetNAT[arm.IDKey(jsonobj.Str(v, "subnet_id"))] = jsonobj.Str(v, "nat_gateway_id")
	case "azurerm_public_ip_prefix":
		a.ID = tfID(v, "publicIPPrefixes", name)
		s.PublicIPPrefixes = append(s.PublicIPPrefixes, &armset.PublicIPPrefix{Src: a, Name: name, Prefix: jsonobj.Str(v, "ip_prefix")})
	default:
		return false
	}
	return true
}

// apply joins the association resources to what they associate. A subnet
// association naming a NAT gateway the state lacks stays on the subnet,
// where the mapper reports it with the gateway's id.
func (j *lbJoins) apply(s *armset.Set) {
	for _, n := range s.NICs {
		for i := range n.IPConfigs {
			c := &n.IPConfigs[i]
			k := arm.IDKey(n.ID) + "\x00" + c.Name
			c.LBPoolIDs = arm.Union(c.LBPoolIDs, j.nicPools[k])
			c.LBNATRuleIDs = arm.Union(c.LBNATRuleIDs, j.nicNAT[k])
		}
	}
	for _, p := range s.LBPools {
		var vnet string
		for _, ad := range j.poolAddrs[arm.IDKey(p.ID)] {
			if ad.IP == "" {
				vnet = ad.VNetID
				continue
			}
			p.Addresses = append(p.Addresses, ad)
		}
		for i := range p.Addresses {
			if p.Addresses[i].VNetID == "" {
				p.Addresses[i].VNetID = vnet
			}
		}
	}
	for k, g := range j.natGateway {
		g.PublicIPIDs = arm.Union(g.PublicIPIDs, j.natPIPs[k])
		g.PublicIPPrefixIDs = arm.Union(g.PublicIPPrefixIDs, j.natPrefix[k])
	}
	setNAT := func(sb *armset.Subnet) {
		if g, ok := j.subnetNAT[arm.IDKey(sb.ID)]; ok {
			sb.NATGWID = g
		}
	}
	for _, sb := range s.Subnets {
		setNAT(sb)
	}
	for _, vn := range s.VNets {
		for _, sb := range vn.Subnets {
			setNAT(sb)
		}
	}
}
