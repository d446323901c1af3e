// Package topology is pathproof's model of an Azure network: VNets, subnets,
// peerings, route tables, NSGs, admin rules, NICs, private endpoints, Azure
// Firewalls and their policies, gateways, connections, on-premises sites and
// Internet hosts. Every resource carries the Source it was read from so
// errors can name it.
//
// The model is plain data. Loaders (the design YAML in design.go, Azure JSON
// and Terraform state registered through RegisterLoader) fill a Network;
// Index resolves references by name or ARM id (case-insensitively) and
// Validate reports dangling references, bad prefixes, overlapping peered
// spaces and duplicate addresses. The rules Azure applies to this data live
// in package azure.
//
// The yaml tags are the design format (docs/topology-format.md): the
// `topology:` section of a scenario file. References are names (subnets as
// "vnet/subnet") or ARM resource ids.
package topology

import (
	"fmt"
	"net/netip"
)

// Source says where a resource was read from.
type Source struct {
	File string // the input file
	ID   string // ARM resource id, Terraform address or "" for design YAML
	Line int    // 1-based line in File when known, else 0
}

// String renders the source as "file:line" or "file: id".
func (s Source) String() string {
	switch {
	case s.File == "" && s.ID == "":
		return "(built-in)"
	case s.ID != "":
		return s.File + ": " + s.ID
	case s.Line > 0:
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return s.File
}

// Network is one loaded topology. Lists keep input order; after Index the
// lookup methods resolve names and ids.
type Network struct {
	VNets            []*VNet            `yaml:"vnets"`
	Peerings         []*Peering         `yaml:"peerings"`
	RouteTables      []*RouteTable      `yaml:"route_tables"`
	NSGs             []*NSG             `yaml:"nsgs"`
	AdminRules       []*AdminRule       `yaml:"admin_rules"`
	ASGs             []*ASG             `yaml:"asgs"`
	NICs             []*NIC             `yaml:"nics"`
	PrivateEndpoints []*PrivateEndpoint `yaml:"private_endpoints"`
	Firewalls        []*Firewall        `yaml:"firewalls"`
	FirewallPolicies []*FirewallPolicy  `yaml:"firewall_policies"`
	IPGroups         []*IPGroup         `yaml:"ip_groups"`
	Gateways         []*Gateway         `yaml:"gateways"`
	Connections      []*Connection      `yaml:"connections"`
	OnPremSites      []*OnPremSite      `yaml:"onprem_sites"`
	InternetHosts    []*Host            `yaml:"internet_hosts"`

	idx *index
}

// VNet is a virtual network.
type VNet struct {
	Src          Source         `yaml:"-"`
	Name         string         `yaml:"name"`
	ID           string         `yaml:"id"`
	Region       string         `yaml:"region"`
	AddressSpace []netip.Prefix `yaml:"address_space"`
	Subnets      []*Subnet      `yaml:"subnets"`
}

// Private endpoint network policy values (§3.2).
const (
	PEPolicyDisabled   = "Disabled"
	PEPolicyEnabled    = "Enabled"
	PEPolicyNSG        = "NetworkSecurityGroupEnabled"
	PEPolicyRouteTable = "RouteTableEnabled"
)

// Subnet is a subnet of a VNet.
type Subnet struct {
	Src    Source       `yaml:"-"`
	Name   string       `yaml:"name"`
	ID     string       `yaml:"id"`
	Prefix netip.Prefix `yaml:"prefix"`
	// AdditionalPrefixes are further ranges of a multi-prefix subnet.
	AdditionalPrefixes []netip.Prefix `yaml:"additional_prefixes"`
	NSG                string         `yaml:"nsg"`         // NSG name or id, "" = none
	RouteTable         string         `yaml:"route_table"` // route table name or id, "" = none
	ServiceEndpoints   []string       `yaml:"service_endpoints"`
	// PrivateEndpointNetworkPolicies is one of the PEPolicy* values; "" means Disabled.
	PrivateEndpointNetworkPolicies string `yaml:"private_endpoint_network_policies"`

	vnet *VNet
}

// VNet returns the VNet holding the subnet (set by Index).
func (s *Subnet) VNet() *VNet { return s.vnet }

// Key returns "vnet/subnet".
func (s *Subnet) Key() string {
	if s.vnet == nil {
		return s.Name
	}
	return s.vnet.Name + "/" + s.Name
}

// Prefixes returns every range of the subnet.
func (s *Subnet) Prefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, 1+len(s.AdditionalPrefixes))
	if s.Prefix.IsValid() {
		out = append(out, s.Prefix)
	}
	return append(out, s.AdditionalPrefixes...)
}

// PEPolicy returns the effective privateEndpointNetworkPolicies value.
func (s *Subnet) PEPolicy() string {
	if s.PrivateEndpointNetworkPolicies == "" {
		return PEPolicyDisabled
	}
	return s.PrivateEndpointNetworkPolicies
}

// Peering is one peering object, held by VNet toward RemoteVNet (ARM has
// one in each VNet).
type Peering struct {
	Src        Source `yaml:"-"`
	Name       string `yaml:"name"`
	ID         string `yaml:"id"`
	VNet       string `yaml:"vnet"`        // the VNet holding this object (name or id)
	RemoteVNet string `yaml:"remote_vnet"` // name or id
	State      string `yaml:"state"`       // Connected (default), Initiated, Disconnected
	// AllowVirtualNetworkAccess defaults to true when nil.
	AllowVirtualNetworkAccess *bool `yaml:"allow_virtual_network_access"`
	AllowForwardedTraffic     bool  `yaml:"allow_forwarded_traffic"`
	AllowGatewayTransit       bool  `yaml:"allow_gateway_transit"`
	UseRemoteGateways         bool  `yaml:"use_remote_gateways"`

	vnet, remote *VNet
}

// Local returns the VNet holding the peering object (set by Index).
func (p *Peering) Local() *VNet { return p.vnet }

// Remote returns the remote VNet (set by Index).
func (p *Peering) Remote() *VNet { return p.remote }

// Connected reports whether the object's state is Connected ("" counts as Connected).
func (p *Peering) Connected() bool { return p.State == "" || eqFold(p.State, "Connected") }

// VNetAccess reports allowVirtualNetworkAccess (default true).
func (p *Peering) VNetAccess() bool {
	return p.AllowVirtualNetworkAccess == nil || *p.AllowVirtualNetworkAccess
}

// RouteTable is a route table (UDRs).
type RouteTable struct {
	Src                        Source   `yaml:"-"`
	Name                       string   `yaml:"name"`
	ID                         string   `yaml:"id"`
	DisableBGPRoutePropagation bool     `yaml:"disable_bgp_route_propagation"`
	Routes                     []*Route `yaml:"routes"`
}

// Next hop types (canonical effective-route names, §2.1).
const (
	HopVnetLocal             = "VnetLocal"
	HopVNetPeering           = "VNetPeering"
	HopVNetGlobalPeering     = "VNetGlobalPeering"
	HopVirtualNetworkGateway = "VirtualNetworkGateway"
	HopServiceEndpoint       = "VirtualNetworkServiceEndpoint"
	HopInterfaceEndpoint     = "InterfaceEndpoint"
	HopInternet              = "Internet"
	HopVirtualAppliance      = "VirtualAppliance"
	HopNone                  = "None"
)

// Route is one user-defined route.
type Route struct {
	Src Source `yaml:"-"`
	// Name is the route's name.
	Name string `yaml:"name"`
	// Prefix is a CIDR or a service tag name.
	Prefix      string `yaml:"prefix"`
	NextHopType string `yaml:"next_hop_type"`
	// NextHopIP is the appliance address (VirtualAppliance only).
	NextHopIP netip.Addr `yaml:"next_hop_ip"`
	// NextHopIPs holds the set of a VirtualApplianceEcmp route.
	NextHopIPs []netip.Addr `yaml:"next_hop_ips"`
}

// NSG is a network security group.
type NSG struct {
	Src   Source          `yaml:"-"`
	Name  string          `yaml:"name"`
	ID    string          `yaml:"id"`
	Rules []*SecurityRule `yaml:"rules"` // custom rules; default rules are implied (§4.2)
}

// SecurityRule is one NSG rule. Address entries are CIDRs, IPs, "*",
// service tags or "asg:<name or id>"; ports are "*", "n" or "n-m".
type SecurityRule struct {
	Src              Source   `yaml:"-"`
	Name             string   `yaml:"name"`
	Priority         int      `yaml:"priority"`
	Direction        string   `yaml:"direction"` // Inbound | Outbound
	Access           string   `yaml:"access"`    // Allow | Deny
	Protocol         string   `yaml:"protocol"`  // Tcp | Udp | Icmp | Esp | Ah | *
	Source           []string `yaml:"source"`
	SourcePorts      []string `yaml:"source_ports"`
	Destination      []string `yaml:"destination"`
	DestinationPorts []string `yaml:"destination_ports"`
}

// AdminRule is an Azure Virtual Network Manager security admin rule.
type AdminRule struct {
	Src              Source   `yaml:"-"`
	Name             string   `yaml:"name"`
	ID               string   `yaml:"id"`
	Configuration    string   `yaml:"configuration"`
	AppliesToVNets   []string `yaml:"applies_to_vnets"`
	Priority         int      `yaml:"priority"`
	Direction        string   `yaml:"direction"`
	Action           string   `yaml:"action"` // Allow | AlwaysAllow | Deny
	Protocol         string   `yaml:"protocol"`
	Source           []string `yaml:"source"`
	SourcePorts      []string `yaml:"source_ports"`
	Destination      []string `yaml:"destination"`
	DestinationPorts []string `yaml:"destination_ports"`
}

// ASG is an application security group. In YAML it may be written as a
// bare name.
type ASG struct {
	Src  Source `yaml:"-"`
	Name string `yaml:"name"`
	ID   string `yaml:"id"`
}

// UnmarshalYAML accepts a plain name or a {name, id} mapping.
func (a *ASG) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		a.Name = s
		return nil
	}
	type plain ASG
	return unmarshal((*plain)(a))
}

// NVA marks a NIC as belonging to a network virtual appliance.
type NVA struct {
	Stateful bool `yaml:"stateful"`
	SNAT     bool `yaml:"snat"`
}

// NIC is a network interface (one primary IP configuration; further
// addresses in AdditionalIPs).
type NIC struct {
	Src           Source       `yaml:"-"`
	Name          string       `yaml:"name"`
	ID            string       `yaml:"id"`
	VM            string       `yaml:"vm"`
	Subnet        string       `yaml:"subnet"` // "vnet/subnet" or subnet id
	IP            netip.Addr   `yaml:"ip"`
	AdditionalIPs []netip.Addr `yaml:"additional_ips"`
	NSG           string       `yaml:"nsg"`
	ASGs          []string     `yaml:"asgs"`
	IPForwarding  bool         `yaml:"ip_forwarding"`
	PublicIP      netip.Addr   `yaml:"public_ip"`
	NVA           *NVA         `yaml:"nva"`

	subnet *Subnet
}

// SubnetRef returns the NIC's subnet (set by Index).
func (n *NIC) SubnetRef() *Subnet { return n.subnet }

// PETarget is what a private endpoint connects to.
type PETarget struct {
	ResourceType string `yaml:"resource_type"`
	Subresource  string `yaml:"subresource"`
	FQDN         string `yaml:"fqdn"`
}

// PrivateEndpoint is a private endpoint.
type PrivateEndpoint struct {
	Src             Source     `yaml:"-"`
	Name            string     `yaml:"name"`
	ID              string     `yaml:"id"`
	Subnet          string     `yaml:"subnet"`
	IP              netip.Addr `yaml:"ip"`
	ConnectionState string     `yaml:"connection_state"` // Approved (default) | Pending | Rejected | Disconnected
	Target          PETarget   `yaml:"target"`

	subnet *Subnet
}

// SubnetRef returns the endpoint's subnet (set by Index).
func (p *PrivateEndpoint) SubnetRef() *Subnet { return p.subnet }

// Approved reports whether the connection state is Approved ("" counts).
func (p *PrivateEndpoint) Approved() bool {
	return p.ConnectionState == "" || eqFold(p.ConnectionState, "Approved")
}

// Firewall is an Azure Firewall.
type Firewall struct {
	Src                Source       `yaml:"-"`
	Name               string       `yaml:"name"`
	ID                 string       `yaml:"id"`
	Subnet             string       `yaml:"subnet"`
	PrivateIP          netip.Addr   `yaml:"private_ip"`
	PublicIPs          []netip.Addr `yaml:"public_ips"`
	ManagementNIC      bool         `yaml:"management_nic"`
	ManagementPublicIP netip.Addr   `yaml:"management_public_ip"`
	Policy             string       `yaml:"policy"` // firewall policy name or id
	// ThreatIntelMode of a classic firewall (policies carry their own).
	ThreatIntelMode string `yaml:"threat_intel_mode"`

	subnet *Subnet
}

// SubnetRef returns AzureFirewallSubnet (set by Index).
func (f *Firewall) SubnetRef() *Subnet { return f.subnet }

// DNSRecord is an offline stand-in for the firewall's DNS resolution.
type DNSRecord struct {
	FQDN string     `yaml:"fqdn"`
	IP   netip.Addr `yaml:"ip"`
}

// FirewallPolicy is an Azure Firewall Policy (or classic rules, Classic=true).
type FirewallPolicy struct {
	Src               Source      `yaml:"-"`
	Name              string      `yaml:"name"`
	ID                string      `yaml:"id"`
	Parent            string      `yaml:"parent"` // parent policy name or id
	Classic           bool        `yaml:"classic"`
	ThreatIntelMode   string      `yaml:"threat_intel_mode"` // Off | Alert | Deny
	DNSProxy          bool        `yaml:"dns_proxy"`
	SNATPrivateRanges []string    `yaml:"snat_private_ranges"` // CIDRs and/or IANAPrivateRanges; empty = IANAPrivateRanges
	DNSRecords        []DNSRecord `yaml:"dns_records"`
	// ThreatIntelIPs is an offline stand-in for the threat intelligence feed.
	ThreatIntelIPs []string `yaml:"threat_intel_ips"`
	// ThreatIntelAllowlist lists addresses exempt from threat intelligence.
	ThreatIntelAllowlist []string               `yaml:"threat_intel_allowlist"`
	RuleCollectionGroups []*RuleCollectionGroup `yaml:"rule_collection_groups"`
}

// RuleCollectionGroup is a firewall policy rule collection group.
type RuleCollectionGroup struct {
	Src             Source            `yaml:"-"`
	Name            string            `yaml:"name"`
	ID              string            `yaml:"id"`
	Priority        int               `yaml:"priority"`
	RuleCollections []*RuleCollection `yaml:"rule_collections"`
}

// Rule collection types.
const (
	RCDNAT        = "DNAT"
	RCNetwork     = "Network"
	RCApplication = "Application"
)

// RuleCollection is a rule collection of one type.
type RuleCollection struct {
	Name     string          `yaml:"name"`
	Type     string          `yaml:"type"` // DNAT | Network | Application
	Priority int             `yaml:"priority"`
	Action   string          `yaml:"action"` // Allow | Deny | DNAT
	Rules    []*FirewallRule `yaml:"rules"`
}

// FirewallRule is a DNAT, network or application rule; which fields matter
// depends on the collection type.
type FirewallRule struct {
	Name string `yaml:"name"`
	// Protocols: network/DNAT TCP|UDP|ICMP|Any; application "Https:443" style.
	Protocols            []string `yaml:"protocols"`
	SourceAddresses      []string `yaml:"source_addresses"`
	SourceIPGroups       []string `yaml:"source_ip_groups"`
	DestinationAddresses []string `yaml:"destination_addresses"`
	DestinationIPGroups  []string `yaml:"destination_ip_groups"`
	DestinationFQDNs     []string `yaml:"destination_fqdns"`
	DestinationPorts     []string `yaml:"destination_ports"`
	TargetFQDNs          []string `yaml:"target_fqdns"`
	FQDNTags             []string `yaml:"fqdn_tags"`
	TranslatedAddress    string   `yaml:"translated_address"`
	TranslatedFQDN       string   `yaml:"translated_fqdn"`
	TranslatedPort       string   `yaml:"translated_port"`
}

// IPGroup is a named list of addresses.
type IPGroup struct {
	Src       Source   `yaml:"-"`
	Name      string   `yaml:"name"`
	ID        string   `yaml:"id"`
	Addresses []string `yaml:"addresses"`
}

// BGP settings of a gateway.
type BGP struct {
	Enabled                bool       `yaml:"enabled"`
	ASN                    uint32     `yaml:"asn"`
	PeeringAddress         netip.Addr `yaml:"peering_address"`
	RouteTranslationForNAT bool       `yaml:"route_translation_for_nat"`
}

// GatewayNATRule is a VPN gateway NAT rule (§6.2).
type GatewayNATRule struct {
	Name     string         `yaml:"name"`
	ID       string         `yaml:"id"`
	Mode     string         `yaml:"mode"` // IngressSnat | EgressSnat
	Type     string         `yaml:"type"` // Static | Dynamic
	Internal []netip.Prefix `yaml:"internal"`
	External []netip.Prefix `yaml:"external"`
}

// Gateway is a VPN or ExpressRoute virtual network gateway.
type Gateway struct {
	Src          Source     `yaml:"-"`
	Name         string     `yaml:"name"`
	ID           string     `yaml:"id"`
	VNet         string     `yaml:"vnet"` // lives in <vnet>/GatewaySubnet
	Type         string     `yaml:"type"` // Vpn | ExpressRoute
	SKU          string     `yaml:"sku"`
	ActiveActive bool       `yaml:"active_active"`
	BGP          BGP        `yaml:"bgp"`
	PublicIP     netip.Addr `yaml:"public_ip"`
	// InstanceIPs are the instance private IPs (shown as next hop when active-active).
	InstanceIPs []netip.Addr      `yaml:"instance_ips"`
	NATRules    []*GatewayNATRule `yaml:"nat_rules"`

	vnet *VNet
}

// VNetRef returns the gateway's VNet (set by Index).
func (g *Gateway) VNetRef() *VNet { return g.vnet }

// Connection is a gateway connection to an on-premises site or another gateway.
type Connection struct {
	Src             Source         `yaml:"-"`
	Name            string         `yaml:"name"`
	ID              string         `yaml:"id"`
	Gateway         string         `yaml:"gateway"`
	Type            string         `yaml:"type"`   // IPsec | Vnet2Vnet | ExpressRoute
	Remote          string         `yaml:"remote"` // on-prem site name or gateway name (Vnet2Vnet)
	LearnedPrefixes []netip.Prefix `yaml:"learned_prefixes"`
	NATRules        []string       `yaml:"nat_rules"`

	gateway *Gateway
}

// GatewayRef returns the connection's gateway (set by Index).
func (c *Connection) GatewayRef() *Gateway { return c.gateway }

// Host is a named address (on-premises or on the Internet).
type Host struct {
	Name string     `yaml:"name"`
	IP   netip.Addr `yaml:"ip"`
}

// OnPremSite is an on-premises network (a local network gateway's site).
type OnPremSite struct {
	Src                    Source         `yaml:"-"`
	Name                   string         `yaml:"name"`
	ID                     string         `yaml:"id"`
	Prefixes               []netip.Prefix `yaml:"prefixes"`
	DefaultRouteToInternet bool           `yaml:"default_route_to_internet"`
	Hosts                  []*Host        `yaml:"hosts"`
}
