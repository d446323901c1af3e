package topology

import (
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Load balancer SKUs. Standard is the default; Gateway load balancers sit
// in front of NVAs and are chained from a Standard load balancer's frontend.
const (
	LBSKUStandard = "Standard"
	LBSKUGateway  = "Gateway"
	LBSKUBasic    = "Basic"
)

// LoadBalancer is an Azure Load Balancer: frontends (private IP in a
// subnet for an internal load balancer, a public IP for a public one),
// backend pools, load-balancing rules, inbound NAT rules, outbound rules
// and health probes. Child references (a rule's frontend, pool and probe)
// are names within the load balancer.
type LoadBalancer struct {
	Src  Source `yaml:"-" json:"-"`
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
	// SKU is Standard (default), Gateway or Basic.
	SKU             string              `yaml:"sku" json:"sku,omitempty"`
	Frontends       []*LBFrontend       `yaml:"frontends" json:"frontends,omitempty"`
	BackendPools    []*LBBackendPool    `yaml:"backend_pools" json:"backend_pools,omitempty"`
	Rules           []*LBRule           `yaml:"rules" json:"rules,omitempty"`
	InboundNATRules []*LBInboundNATRule `yaml:"inbound_nat_rules" json:"inbound_nat_rules,omitempty"`
	OutboundRules   []*LBOutboundRule   `yaml:"outbound_rules" json:"outbound_rules,omitempty"`
	Probes          []*LBProbe          `yaml:"probes" json:"probes,omitempty"`
}

// LBFrontend is a frontend IP configuration.
type LBFrontend struct {
	Name string `yaml:"name" json:"name,omitempty"`
	// Subnet and PrivateIP make an internal frontend; PublicIP a public one.
	Subnet    string     `yaml:"subnet" json:"subnet,omitempty"`
	PrivateIP netip.Addr `yaml:"private_ip" json:"private_ip,omitempty"`
	PublicIP  netip.Addr `yaml:"public_ip" json:"public_ip,omitempty"`
	// GatewayLB chains this frontend to a Gateway load balancer's frontend,
	// written "lb/frontend" or as the frontend's ARM id.
	GatewayLB string `yaml:"gateway_lb" json:"gateway_lb,omitempty"`
	// MissingGatewayLB is the id of the Gateway load balancer frontend an
	// export chains this frontend to but does not hold
	// (topology-reference-missing): its appliances are unknown.
	MissingGatewayLB string `yaml:"-" json:"-"`

	lb     *LoadBalancer
	subnet *Subnet
}

// LB returns the load balancer holding the frontend (set by Index).
func (f *LBFrontend) LB() *LoadBalancer { return f.lb }

// SubnetRef returns an internal frontend's subnet (set by Index).
func (f *LBFrontend) SubnetRef() *Subnet { return f.subnet }

// Key returns "lb/frontend".
func (f *LBFrontend) Key() string {
	if f.lb == nil {
		return f.Name
	}
	return f.lb.Name + "/" + f.Name
}

// LBBackendPool is a backend address pool: NIC-based members (NIC names
// or ids) or IP-based members (addresses in VNet).
type LBBackendPool struct {
	Name      string       `yaml:"name" json:"name,omitempty"`
	NICs      []string     `yaml:"nics" json:"nics,omitempty"`
	Addresses []netip.Addr `yaml:"addresses" json:"addresses,omitempty"`
	VNet      string       `yaml:"vnet" json:"vnet,omitempty"`
	// TunnelInterfaces are a Gateway load balancer pool's VXLAN tunnels to
	// its appliances: External carries traffic on the Internet side of the
	// chained endpoint, Internal on the application side.
	TunnelInterfaces []LBTunnelInterface `yaml:"tunnel_interfaces" json:"tunnel_interfaces,omitempty"`
}

// LBTunnelInterface is one tunnel interface of a Gateway load balancer's
// backend pool.
type LBTunnelInterface struct {
	Type       string `yaml:"type" json:"type,omitempty"`         // Internal | External
	Protocol   string `yaml:"protocol" json:"protocol,omitempty"` // VXLAN
	Port       int    `yaml:"port" json:"port,omitempty"`
	Identifier int    `yaml:"identifier" json:"identifier,omitempty"`
}

// Tunnel returns the pool's tunnel interface of type typ (Internal or
// External), or nil.
func (p *LBBackendPool) Tunnel(typ string) *LBTunnelInterface {
	for i := range p.TunnelInterfaces {
		if strings.EqualFold(p.TunnelInterfaces[i].Type, typ) {
			return &p.TunnelInterfaces[i]
		}
	}
	return nil
}

// LBRule is a load-balancing rule. Protocol All with ports 0 is an HA
// ports rule: every TCP and UDP flow on every port.
type LBRule struct {
	Name         string `yaml:"name" json:"name,omitempty"`
	Frontend     string `yaml:"frontend" json:"frontend,omitempty"`
	BackendPool  string `yaml:"backend_pool" json:"backend_pool,omitempty"`
	Probe        string `yaml:"probe" json:"probe,omitempty"`
	Protocol     string `yaml:"protocol" json:"protocol,omitempty"` // Tcp | Udp | All
	FrontendPort int    `yaml:"frontend_port" json:"frontend_port,omitempty"`
	BackendPort  int    `yaml:"backend_port" json:"backend_port,omitempty"`
	// FloatingIP (direct server return): the backend receives the packet
	// still addressed to the frontend IP.
	FloatingIP bool `yaml:"floating_ip" json:"floating_ip,omitempty"`
	// DisableOutboundSNAT stops the rule from giving its backends outbound
	// SNAT through a public frontend.
	DisableOutboundSNAT bool `yaml:"disable_outbound_snat" json:"disable_outbound_snat,omitempty"`
}

// HAPorts reports whether the rule is an HA ports rule.
func (r *LBRule) HAPorts() bool {
	return strings.EqualFold(r.Protocol, "All") && r.FrontendPort == 0 && r.BackendPort == 0
}

// LBInboundNATRule is an inbound NAT rule (one frontend port to one NIC)
// or, with FrontendPortEnd and BackendPool, a port range mapped to the
// pool's members in order (also how inbound NAT pools are written).
type LBInboundNATRule struct {
	Name            string `yaml:"name" json:"name,omitempty"`
	Frontend        string `yaml:"frontend" json:"frontend,omitempty"`
	Protocol        string `yaml:"protocol" json:"protocol,omitempty"`
	FrontendPort    int    `yaml:"frontend_port" json:"frontend_port,omitempty"`
	FrontendPortEnd int    `yaml:"frontend_port_end" json:"frontend_port_end,omitempty"`
	BackendPort     int    `yaml:"backend_port" json:"backend_port,omitempty"`
	FloatingIP      bool   `yaml:"floating_ip" json:"floating_ip,omitempty"`
	// NIC is the target of a single-port rule; BackendPool of a range.
	NIC         string `yaml:"nic" json:"nic,omitempty"`
	BackendPool string `yaml:"backend_pool" json:"backend_pool,omitempty"`
}

// LBOutboundRule gives a backend pool outbound SNAT through frontends'
// public IPs.
type LBOutboundRule struct {
	Name        string   `yaml:"name" json:"name,omitempty"`
	Frontends   []string `yaml:"frontends" json:"frontends,omitempty"`
	BackendPool string   `yaml:"backend_pool" json:"backend_pool,omitempty"`
	Protocol    string   `yaml:"protocol" json:"protocol,omitempty"` // Tcp | Udp | All
}

// LBProbe is a health probe.
type LBProbe struct {
	Name        string `yaml:"name" json:"name,omitempty"`
	Protocol    string `yaml:"protocol" json:"protocol,omitempty"` // Tcp | Http | Https
	Port        int    `yaml:"port" json:"port,omitempty"`
	RequestPath string `yaml:"request_path" json:"request_path,omitempty"`
}

// Gateway reports whether the load balancer is a Gateway load balancer.
func (l *LoadBalancer) Gateway() bool { return strings.EqualFold(l.SKU, LBSKUGateway) }

// Frontend finds a frontend by name.
func (l *LoadBalancer) Frontend(name string) *LBFrontend {
	for _, f := range l.Frontends {
		if strings.EqualFold(f.Name, childName(name)) {
			return f
		}
	}
	return nil
}

// Pool finds a backend pool by name.
func (l *LoadBalancer) Pool(name string) *LBBackendPool {
	for _, p := range l.BackendPools {
		if strings.EqualFold(p.Name, childName(name)) {
			return p
		}
	}
	return nil
}

// Probe finds a health probe by name.
func (l *LoadBalancer) Probe(name string) *LBProbe {
	for _, p := range l.Probes {
		if strings.EqualFold(p.Name, childName(name)) {
			return p
		}
	}
	return nil
}

// childName accepts a child's name or its ARM id.
func childName(ref string) string {
	if strings.HasPrefix(ref, "/") {
		return arm.LastSegment(ref)
	}
	return ref
}

// NATGateway is a NAT gateway: the outbound source of the subnets it is
// associated with (it takes precedence over every other outbound method).
type NATGateway struct {
	Src              Source         `yaml:"-" json:"-"`
	Name             string         `yaml:"name" json:"name,omitempty"`
	ID               string         `yaml:"id" json:"id,omitempty"`
	PublicIPs        []netip.Addr   `yaml:"public_ips" json:"public_ips,omitempty"`
	PublicIPPrefixes []netip.Prefix `yaml:"public_ip_prefixes" json:"public_ip_prefixes,omitempty"`
	// Subnets are the associated subnets ("vnet/subnet" or ids).
	Subnets []string `yaml:"subnets" json:"subnets,omitempty"`
}

// indexLB adds load balancers and NAT gateways to the index: frontend
// addresses become owners, pools resolve their members.
func (n *Network) indexLB(ix *index) {
	ix.lbs, ix.natgws = map[string]any{}, map[string]any{}
	ix.subnetNAT = map[*Subnet]*NATGateway{}
	ix.nicPools = map[*NIC][]LBPoolRef{}
	for _, l := range n.LoadBalancers {
		put(ix.lbs, l.Name, l.ID, l)
		for _, f := range l.Frontends {
			f.lb = l
			f.subnet = n.Subnet(f.Subnet)
			o := Owner{Kind: OwnerLB, LB: l, Frontend: f}
			if _, dup := ix.owners[f.PrivateIP]; f.PrivateIP.IsValid() && !dup {
				ix.owners[f.PrivateIP] = o
			}
			if _, dup := ix.publicIPs[f.PublicIP]; f.PublicIP.IsValid() && !dup {
				ix.publicIPs[f.PublicIP] = o
			}
		}
		for _, p := range l.BackendPools {
			for _, ref := range p.NICs {
				if nic := n.NIC(ref); nic != nil {
					ix.nicPools[nic] = append(ix.nicPools[nic], LBPoolRef{LB: l, Pool: p})
				}
			}
			for _, ip := range p.Addresses {
				if o, ok := ix.owners[ip]; ok && o.Kind == OwnerNIC {
					ix.nicPools[o.NIC] = append(ix.nicPools[o.NIC], LBPoolRef{LB: l, Pool: p})
				}
			}
		}
	}
	for _, g := range n.NATGateways {
		put(ix.natgws, g.Name, g.ID, g)
		for _, ref := range g.Subnets {
			if s := n.Subnet(ref); s != nil {
				if _, dup := ix.subnetNAT[s]; !dup {
					ix.subnetNAT[s] = g
				}
			}
		}
	}
}

// LBPoolRef names one backend pool of one load balancer.
type LBPoolRef struct {
	LB   *LoadBalancer
	Pool *LBBackendPool
}

// LoadBalancer finds a load balancer by name or id.
func (n *Network) LoadBalancer(ref string) *LoadBalancer {
	return get[*LoadBalancer](n.ix().lbs, ref)
}

// NATGateway finds a NAT gateway by name or id.
func (n *Network) NATGateway(ref string) *NATGateway { return get[*NATGateway](n.ix().natgws, ref) }

// NATGatewayOf returns the NAT gateway associated with subnet s, or nil.
func (n *Network) NATGatewayOf(s *Subnet) *NATGateway { return n.ix().subnetNAT[s] }

// PoolsOf returns the backend pools n is a member of (by NIC or by IP).
func (n *Network) PoolsOf(nic *NIC) []LBPoolRef { return n.ix().nicPools[nic] }

// Members returns the NICs of a backend pool: NIC-based members, and the
// NICs that own IP-based members' addresses. Addresses nothing owns are
// returned in missing.
func (n *Network) Members(p *LBBackendPool) (nics []*NIC, missing []netip.Addr) {
	for _, ref := range p.NICs {
		if nic := n.NIC(ref); nic != nil {
			nics = append(nics, nic)
		}
	}
	for _, ip := range p.Addresses {
		if o, ok := n.Owner(ip); ok && o.Kind == OwnerNIC {
			nics = append(nics, o.NIC)
		} else {
			missing = append(missing, ip)
		}
	}
	return nics, missing
}

// GatewayFrontend resolves a frontend's chained Gateway load balancer
// frontend ("lb/frontend" or an id), or nil.
func (n *Network) GatewayFrontend(f *LBFrontend) *LBFrontend {
	return n.GatewayFrontendRef(f.GatewayLB)
}

// GatewayFrontendRef resolves a Gateway load balancer frontend reference
// ("lb/frontend" or the frontend's ARM id), or nil.
func (n *Network) GatewayFrontendRef(ref string) *LBFrontend {
	if ref == "" {
		return nil
	}
	var lbRef, feName string
	if i := strings.Index(strings.ToLower(ref), "/frontendipconfigurations/"); i >= 0 {
		lbRef, feName = ref[:i], ref[i+len("/frontendIPConfigurations/"):]
	} else if a, b, ok := strings.Cut(ref, "/"); ok {
		lbRef, feName = a, b
	}
	if l := n.LoadBalancer(lbRef); l != nil {
		return l.Frontend(feName)
	}
	return nil
}
