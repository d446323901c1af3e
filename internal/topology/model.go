// Package topology is pathproof's model of an Azure network: VNets, subnets,
// peerings, route tables, NSGs, admin rules, NICs, private endpoints, Azure
// Firewalls and their policies, gateways, connections, on-premises sites and
// Internet hosts. Every resource carries the Source it was read from so
// errors can name it.
//
// The model is plain data. The formats live in sub-packages that depend on
// the model and not on each other: design (the design format), azjson (az
// CLI, ARM and Resource Graph JSON), terraform (terraform show -json), both
// Azure loaders through armset, and export (ARM, az CLI and Terraform
// writers). Package load reads files in any of them into one Network;
// Index resolves references by name or ARM id (case-insensitively) and
// Validate reports dangling references, bad prefixes, overlapping peered
// spaces and duplicate addresses. The rules Azure applies to this data live
// in package azure.
//
// § numbers in comments and messages cite Azure's rules as
// docs/azure-semantics.md states them.
//
// The yaml tags are the design format (docs/topology-format.md): the
// `topology:` section of a scenario file. References are names (subnets as
// "vnet/subnet") or ARM resource ids.
package topology

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
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
	// LeftOut lists what an export holds but the load left out because a
	// resource it needs is not in the inputs (topology-reference-missing),
	// so that an answer that meets one of its addresses can say so.
	LeftOut []LeftOut `yaml:"-" json:"-"`

	VNets            []*VNet            `yaml:"vnets" json:"vnets,omitempty"`
	Peerings         []*Peering         `yaml:"peerings" json:"peerings,omitempty"`
	RouteTables      []*RouteTable      `yaml:"route_tables" json:"route_tables,omitempty"`
	NSGs             []*NSG             `yaml:"nsgs" json:"nsgs,omitempty"`
	AdminRules       []*AdminRule       `yaml:"admin_rules" json:"admin_rules,omitempty"`
	ASGs             []*ASG             `yaml:"asgs" json:"asgs,omitempty"`
	NICs             []*NIC             `yaml:"nics" json:"nics,omitempty"`
	PrivateEndpoints []*PrivateEndpoint `yaml:"private_endpoints" json:"private_endpoints,omitempty"`
	Firewalls        []*Firewall        `yaml:"firewalls" json:"firewalls,omitempty"`
	FirewallPolicies []*FirewallPolicy  `yaml:"firewall_policies" json:"firewall_policies,omitempty"`
	IPGroups         []*IPGroup         `yaml:"ip_groups" json:"ip_groups,omitempty"`
	Gateways         []*Gateway         `yaml:"gateways" json:"gateways,omitempty"`
	Connections      []*Connection      `yaml:"connections" json:"connections,omitempty"`
	OnPremSites      []*OnPremSite      `yaml:"onprem_sites" json:"onprem_sites,omitempty"`
	InternetHosts    []*Host            `yaml:"internet_hosts" json:"internet_hosts,omitempty"`
	LoadBalancers    []*LoadBalancer    `yaml:"load_balancers" json:"load_balancers,omitempty"`
	NATGateways      []*NATGateway      `yaml:"nat_gateways" json:"nat_gateways,omitempty"`
	// Virtual WAN and Route Server (vwan.go, routeserver.go).
	VirtualWANs  []*VirtualWAN  `yaml:"virtual_wans" json:"virtual_wans,omitempty"`
	VirtualHubs  []*VirtualHub  `yaml:"virtual_hubs" json:"virtual_hubs,omitempty"`
	RouteServers []*RouteServer `yaml:"route_servers" json:"route_servers,omitempty"`
	// Private DNS (dns.go): zones with records and VNet links, what custom
	// DNS servers forward to, and public answers known offline.
	PrivateDNSZones []*PrivateDNSZone  `yaml:"private_dns_zones" json:"private_dns_zones,omitempty"`
	DNSForwarders   []*DNSForwarder    `yaml:"dns_forwarders" json:"dns_forwarders,omitempty"`
	PublicDNS       []*PublicDNSRecord `yaml:"public_dns" json:"public_dns,omitempty"`

	idx *index
}

// VNet is a virtual network.
type VNet struct {
	Src          Source         `yaml:"-" json:"-"`
	Name         string         `yaml:"name" json:"name,omitempty"`
	ID           string         `yaml:"id" json:"id,omitempty"`
	Region       string         `yaml:"region" json:"region,omitempty"`
	AddressSpace []netip.Prefix `yaml:"address_space" json:"address_space,omitempty"`
	Subnets      []*Subnet      `yaml:"subnets" json:"subnets,omitempty"`
	// DNSServers are the VNet's custom DNS servers (dhcpOptions); empty
	// means Azure DNS (168.63.129.16).
	DNSServers []netip.Addr `yaml:"dns_servers" json:"dns_servers,omitempty"`
	// MissingHubs are the ids of virtual hubs an export connects this VNet
	// to but does not hold (topology-reference-missing): the routes those
	// hubs would program into it are unknown.
	MissingHubs []string `yaml:"-" json:"-"`
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
	Src    Source       `yaml:"-" json:"-"`
	Name   string       `yaml:"name" json:"name,omitempty"`
	ID     string       `yaml:"id" json:"id,omitempty"`
	Prefix netip.Prefix `yaml:"prefix" json:"prefix,omitempty"`
	// AdditionalPrefixes are further ranges of a multi-prefix subnet.
	AdditionalPrefixes []netip.Prefix `yaml:"additional_prefixes" json:"additional_prefixes,omitempty"`
	NSG                string         `yaml:"nsg" json:"nsg,omitempty"`                 // NSG name or id, "" = none
	RouteTable         string         `yaml:"route_table" json:"route_table,omitempty"` // route table name or id, "" = none
	ServiceEndpoints   []string       `yaml:"service_endpoints" json:"service_endpoints,omitempty"`
	// PrivateEndpointNetworkPolicies is one of the PEPolicy* values; "" means Disabled.
	PrivateEndpointNetworkPolicies string `yaml:"private_endpoint_network_policies" json:"private_endpoint_network_policies,omitempty"`
	// DefaultOutboundAccess false makes a private subnet: no default
	// outbound access to the Internet; nil means Azure's default (on).
	DefaultOutboundAccess *bool `yaml:"default_outbound_access" json:"default_outbound_access,omitempty"`
	// MissingNATGateway is the id of the NAT gateway an export associates
	// with the subnet but does not contain: the subnet's outbound source
	// address is unknown (no other method applies while it is set).
	MissingNATGateway string `yaml:"-" json:"-"`

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
	Src        Source `yaml:"-" json:"-"`
	Name       string `yaml:"name" json:"name,omitempty"`
	ID         string `yaml:"id" json:"id,omitempty"`
	VNet       string `yaml:"vnet" json:"vnet,omitempty"`               // the VNet holding this object (name or id)
	RemoteVNet string `yaml:"remote_vnet" json:"remote_vnet,omitempty"` // name or id
	State      string `yaml:"state" json:"state,omitempty"`             // Connected (default), Initiated, Disconnected
	// AllowVirtualNetworkAccess defaults to true when nil.
	AllowVirtualNetworkAccess *bool `yaml:"allow_virtual_network_access" json:"allow_virtual_network_access,omitempty"`
	AllowForwardedTraffic     bool  `yaml:"allow_forwarded_traffic" json:"allow_forwarded_traffic,omitempty"`
	AllowGatewayTransit       bool  `yaml:"allow_gateway_transit" json:"allow_gateway_transit,omitempty"`
	UseRemoteGateways         bool  `yaml:"use_remote_gateways" json:"use_remote_gateways,omitempty"`

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
	Src                        Source   `yaml:"-" json:"-"`
	Name                       string   `yaml:"name" json:"name,omitempty"`
	ID                         string   `yaml:"id" json:"id,omitempty"`
	DisableBGPRoutePropagation bool     `yaml:"disable_bgp_route_propagation" json:"disable_bgp_route_propagation,omitempty"`
	Routes                     []*Route `yaml:"routes" json:"routes,omitempty"`
}

// HopType is a next hop type, spelled as Azure's effective routes spell it
// (§2.1).
type HopType string

// Next hop types (canonical effective-route names, §2.1). A user-defined
// route may name VirtualAppliance, VirtualApplianceEcmp,
// VirtualNetworkGateway, VnetLocal, Internet or None; the others are
// system routes'.
const (
	HopVnetLocal             HopType = "VnetLocal"
	HopVNetPeering           HopType = "VNetPeering"
	HopVNetGlobalPeering     HopType = "VNetGlobalPeering"
	HopVirtualNetworkGateway HopType = "VirtualNetworkGateway"
	HopServiceEndpoint       HopType = "VirtualNetworkServiceEndpoint"
	HopInterfaceEndpoint     HopType = "InterfaceEndpoint"
	HopInternet              HopType = "Internet"
	HopVirtualAppliance      HopType = "VirtualAppliance"
	HopVirtualApplianceEcmp  HopType = "VirtualApplianceEcmp"
	HopNone                  HopType = "None"
)

// Route is one user-defined route.
type Route struct {
	Src Source `yaml:"-" json:"-"`
	// Name is the route's name.
	Name string `yaml:"name" json:"name,omitempty"`
	// Prefix is a CIDR or a service tag name.
	Prefix      string  `yaml:"prefix" json:"prefix,omitempty"`
	NextHopType HopType `yaml:"next_hop_type" json:"next_hop_type,omitempty"`
	// NextHopIP is the appliance address (VirtualAppliance only).
	NextHopIP netip.Addr `yaml:"next_hop_ip" json:"next_hop_ip,omitempty"`
	// NextHopIPs holds the set of a VirtualApplianceEcmp route.
	NextHopIPs []netip.Addr `yaml:"next_hop_ips" json:"next_hop_ips,omitempty"`
}

// NSG is a network security group.
type NSG struct {
	Src   Source          `yaml:"-" json:"-"`
	Name  string          `yaml:"name" json:"name,omitempty"`
	ID    string          `yaml:"id" json:"id,omitempty"`
	Rules []*SecurityRule `yaml:"rules" json:"rules,omitempty"` // custom rules; default rules are implied (§4.2)
}

// SecurityRule is one NSG rule. Address entries are CIDRs, IPs, "*",
// service tags or "asg:<name or id>"; ports are "*", "n" or "n-m".
type SecurityRule struct {
	Src              Source   `yaml:"-" json:"-"`
	Name             string   `yaml:"name" json:"name,omitempty"`
	Priority         int      `yaml:"priority" json:"priority,omitempty"`
	Direction        string   `yaml:"direction" json:"direction,omitempty"` // Inbound | Outbound
	Access           string   `yaml:"access" json:"access,omitempty"`       // Allow | Deny
	Protocol         string   `yaml:"protocol" json:"protocol,omitempty"`   // Tcp | Udp | Icmp | Esp | Ah | *
	Source           []string `yaml:"source" json:"source,omitempty"`
	SourcePorts      []string `yaml:"source_ports" json:"source_ports,omitempty"`
	Destination      []string `yaml:"destination" json:"destination,omitempty"`
	DestinationPorts []string `yaml:"destination_ports" json:"destination_ports,omitempty"`
}

// AdminRule is an Azure Virtual Network Manager security admin rule.
type AdminRule struct {
	Src              Source   `yaml:"-" json:"-"`
	Name             string   `yaml:"name" json:"name,omitempty"`
	ID               string   `yaml:"id" json:"id,omitempty"`
	Configuration    string   `yaml:"configuration" json:"configuration,omitempty"`
	AppliesToVNets   []string `yaml:"applies_to_vnets" json:"applies_to_vnets,omitempty"`
	Priority         int      `yaml:"priority" json:"priority,omitempty"`
	Direction        string   `yaml:"direction" json:"direction,omitempty"`
	Action           string   `yaml:"action" json:"action,omitempty"` // Allow | AlwaysAllow | Deny
	Protocol         string   `yaml:"protocol" json:"protocol,omitempty"`
	Source           []string `yaml:"source" json:"source,omitempty"`
	SourcePorts      []string `yaml:"source_ports" json:"source_ports,omitempty"`
	Destination      []string `yaml:"destination" json:"destination,omitempty"`
	DestinationPorts []string `yaml:"destination_ports" json:"destination_ports,omitempty"`
}

// ASG is an application security group. In YAML it may be written as a
// bare name.
type ASG struct {
	Src  Source `yaml:"-" json:"-"`
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
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

// UnmarshalJSON accepts a plain name or a {"name", "id"} object.
func (a *ASG) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		a.Name = s
		return nil
	}
	type plain ASG
	return json.Unmarshal(b, (*plain)(a))
}

// NVA marks a NIC as belonging to a network virtual appliance.
type NVA struct {
	Stateful bool `yaml:"stateful" json:"stateful,omitempty"`
	SNAT     bool `yaml:"snat" json:"snat,omitempty"`
}

// NIC is a network interface (one primary IP configuration; further
// addresses in AdditionalIPs).
type NIC struct {
	Src           Source       `yaml:"-" json:"-"`
	Name          string       `yaml:"name" json:"name,omitempty"`
	ID            string       `yaml:"id" json:"id,omitempty"`
	VM            string       `yaml:"vm" json:"vm,omitempty"`
	Subnet        string       `yaml:"subnet" json:"subnet,omitempty"` // "vnet/subnet" or subnet id
	IP            netip.Addr   `yaml:"ip" json:"ip,omitempty"`
	AdditionalIPs []netip.Addr `yaml:"additional_ips" json:"additional_ips,omitempty"`
	NSG           string       `yaml:"nsg" json:"nsg,omitempty"`
	ASGs          []string     `yaml:"asgs" json:"asgs,omitempty"`
	IPForwarding  bool         `yaml:"ip_forwarding" json:"ip_forwarding,omitempty"`
	PublicIP      netip.Addr   `yaml:"public_ip" json:"public_ip,omitempty"`
	// GatewayLB chains the instance-level public IP to a Gateway load
	// balancer frontend ("lb/frontend" or its id): traffic to and from the
	// public IP goes through the Gateway load balancer's appliances.
	GatewayLB string `yaml:"gateway_lb" json:"gateway_lb,omitempty"`
	// MissingGatewayLB is the id of the Gateway load balancer frontend an
	// export chains the public IP to but does not hold
	// (topology-reference-missing): its appliances are unknown.
	MissingGatewayLB string `yaml:"-" json:"-"`
	// MAC is the NIC's MAC address as flow logs spell it (12 upper-case
	// hex digits, no separators; Normalize accepts dashes and colons). It
	// maps flow-log records to the NIC; optional.
	MAC string `yaml:"mac" json:"mac,omitempty"`
	NVA *NVA   `yaml:"nva" json:"nva,omitempty"`
	// DNSServers are the NIC's own DNS servers (dnsSettings.dnsServers):
	// when set they replace its VNet's (Microsoft, "Name resolution for
	// resources in Azure virtual networks", Specify DNS servers: "DNS
	// servers specified for a network interface or cloud service get
	// precedence over DNS servers specified for the virtual network").
	// Empty means the NIC inherits the VNet's servers.
	DNSServers []netip.Addr `yaml:"dns_servers" json:"dns_servers,omitempty"`

	subnet *Subnet
}

// SubnetRef returns the NIC's subnet (set by Index).
func (n *NIC) SubnetRef() *Subnet { return n.subnet }

// NormalizeMAC returns a MAC address the way flow logs spell it: upper-case
// hex digits without separators (00-22-48-71-c2-05 → 00224871C205).
// Anything else is returned upper-cased with separators removed, so two
// spellings of one address compare equal (docs/log-formats.md §9).
func NormalizeMAC(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ':' || r == '.' || r == ' ':
		case r >= 'a' && r <= 'f':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PETarget is what a private endpoint connects to.
type PETarget struct {
	ResourceType string `yaml:"resource_type" json:"resource_type,omitempty"`
	Subresource  string `yaml:"subresource" json:"subresource,omitempty"`
	FQDN         string `yaml:"fqdn" json:"fqdn,omitempty"`
}

// PrivateEndpoint is a private endpoint.
type PrivateEndpoint struct {
	Src             Source     `yaml:"-" json:"-"`
	Name            string     `yaml:"name" json:"name,omitempty"`
	ID              string     `yaml:"id" json:"id,omitempty"`
	Subnet          string     `yaml:"subnet" json:"subnet,omitempty"`
	IP              netip.Addr `yaml:"ip" json:"ip,omitempty"`
	ConnectionState string     `yaml:"connection_state" json:"connection_state,omitempty"` // Approved (default) | Pending | Rejected | Disconnected
	Target          PETarget   `yaml:"target" json:"target,omitempty"`

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
	Src                Source       `yaml:"-" json:"-"`
	Name               string       `yaml:"name" json:"name,omitempty"`
	ID                 string       `yaml:"id" json:"id,omitempty"`
	Subnet             string       `yaml:"subnet" json:"subnet,omitempty"`
	PrivateIP          netip.Addr   `yaml:"private_ip" json:"private_ip,omitempty"`
	PublicIPs          []netip.Addr `yaml:"public_ips" json:"public_ips,omitempty"`
	ManagementNIC      bool         `yaml:"management_nic" json:"management_nic,omitempty"`
	ManagementPublicIP netip.Addr   `yaml:"management_public_ip" json:"management_public_ip,omitempty"`
	Policy             string       `yaml:"policy" json:"policy,omitempty"` // firewall policy name or id
	// Hub is the virtual hub of a secured-hub firewall (no subnet then).
	Hub string `yaml:"hub" json:"hub,omitempty"`
	// ThreatIntelMode of a classic firewall (policies carry their own).
	ThreatIntelMode string `yaml:"threat_intel_mode" json:"threat_intel_mode,omitempty"`

	subnet *Subnet
}

// SubnetRef returns AzureFirewallSubnet (set by Index).
func (f *Firewall) SubnetRef() *Subnet { return f.subnet }

// DNSRecord is an offline stand-in for the firewall's DNS resolution.
type DNSRecord struct {
	FQDN string     `yaml:"fqdn" json:"fqdn,omitempty"`
	IP   netip.Addr `yaml:"ip" json:"ip,omitempty"`
}

// FirewallPolicy is an Azure Firewall Policy (or classic rules, Classic=true).
type FirewallPolicy struct {
	Src               Source      `yaml:"-" json:"-"`
	Name              string      `yaml:"name" json:"name,omitempty"`
	ID                string      `yaml:"id" json:"id,omitempty"`
	Parent            string      `yaml:"parent" json:"parent,omitempty"` // parent policy name or id
	Classic           bool        `yaml:"classic" json:"classic,omitempty"`
	ThreatIntelMode   string      `yaml:"threat_intel_mode" json:"threat_intel_mode,omitempty"` // Off | Alert | Deny
	DNSProxy          bool        `yaml:"dns_proxy" json:"dns_proxy,omitempty"`
	SNATPrivateRanges []string    `yaml:"snat_private_ranges" json:"snat_private_ranges,omitempty"` // CIDRs and/or IANAPrivateRanges; empty = IANAPrivateRanges
	DNSRecords        []DNSRecord `yaml:"dns_records" json:"dns_records,omitempty"`
	// ThreatIntelIPs is an offline stand-in for the threat intelligence feed.
	ThreatIntelIPs []string `yaml:"threat_intel_ips" json:"threat_intel_ips,omitempty"`
	// ThreatIntelAllowlist lists addresses exempt from threat intelligence.
	ThreatIntelAllowlist []string               `yaml:"threat_intel_allowlist" json:"threat_intel_allowlist,omitempty"`
	RuleCollectionGroups []*RuleCollectionGroup `yaml:"rule_collection_groups" json:"rule_collection_groups,omitempty"`
}

// RuleCollectionGroup is a firewall policy rule collection group.
type RuleCollectionGroup struct {
	Src             Source            `yaml:"-" json:"-"`
	Name            string            `yaml:"name" json:"name,omitempty"`
	ID              string            `yaml:"id" json:"id,omitempty"`
	Priority        int               `yaml:"priority" json:"priority,omitempty"`
	RuleCollections []*RuleCollection `yaml:"rule_collections" json:"rule_collections,omitempty"`
}

// Rule collection types.
const (
	RCDNAT        = "DNAT"
	RCNetwork     = "Network"
	RCApplication = "Application"
)

// RuleCollection is a rule collection of one type.
type RuleCollection struct {
	Name     string          `yaml:"name" json:"name,omitempty"`
	Type     string          `yaml:"type" json:"type,omitempty"` // DNAT | Network | Application
	Priority int             `yaml:"priority" json:"priority,omitempty"`
	Action   string          `yaml:"action" json:"action,omitempty"` // Allow | Deny | DNAT
	Rules    []*FirewallRule `yaml:"rules" json:"rules,omitempty"`
}

// FirewallRule is a DNAT, network or application rule; which fields matter
// depends on the collection type.
type FirewallRule struct {
	Name string `yaml:"name" json:"name,omitempty"`
	// Protocols: network/DNAT TCP|UDP|ICMP|Any; application "Https:443" style.
	Protocols            []string `yaml:"protocols" json:"protocols,omitempty"`
	SourceAddresses      []string `yaml:"source_addresses" json:"source_addresses,omitempty"`
	SourceIPGroups       []string `yaml:"source_ip_groups" json:"source_ip_groups,omitempty"`
	DestinationAddresses []string `yaml:"destination_addresses" json:"destination_addresses,omitempty"`
	DestinationIPGroups  []string `yaml:"destination_ip_groups" json:"destination_ip_groups,omitempty"`
	DestinationFQDNs     []string `yaml:"destination_fqdns" json:"destination_fqdns,omitempty"`
	DestinationPorts     []string `yaml:"destination_ports" json:"destination_ports,omitempty"`
	TargetFQDNs          []string `yaml:"target_fqdns" json:"target_fqdns,omitempty"`
	FQDNTags             []string `yaml:"fqdn_tags" json:"fqdn_tags,omitempty"`
	TranslatedAddress    string   `yaml:"translated_address" json:"translated_address,omitempty"`
	TranslatedFQDN       string   `yaml:"translated_fqdn" json:"translated_fqdn,omitempty"`
	TranslatedPort       string   `yaml:"translated_port" json:"translated_port,omitempty"`
}

// IPGroup is a named list of addresses.
type IPGroup struct {
	Src       Source   `yaml:"-" json:"-"`
	Name      string   `yaml:"name" json:"name,omitempty"`
	ID        string   `yaml:"id" json:"id,omitempty"`
	Addresses []string `yaml:"addresses" json:"addresses,omitempty"`
}

// BGP settings of a gateway.
type BGP struct {
	Enabled                bool       `yaml:"enabled" json:"enabled,omitempty"`
	ASN                    uint32     `yaml:"asn" json:"asn,omitempty"`
	PeeringAddress         netip.Addr `yaml:"peering_address" json:"peering_address,omitempty"`
	RouteTranslationForNAT bool       `yaml:"route_translation_for_nat" json:"route_translation_for_nat,omitempty"`
}

// GatewayNATRule is a VPN gateway NAT rule (§6.2).
type GatewayNATRule struct {
	Name     string         `yaml:"name" json:"name,omitempty"`
	ID       string         `yaml:"id" json:"id,omitempty"`
	Mode     string         `yaml:"mode" json:"mode,omitempty"` // IngressSnat | EgressSnat
	Type     string         `yaml:"type" json:"type,omitempty"` // Static | Dynamic
	Internal []netip.Prefix `yaml:"internal" json:"internal,omitempty"`
	External []netip.Prefix `yaml:"external" json:"external,omitempty"`
}

// Gateway is a VPN or ExpressRoute virtual network gateway.
type Gateway struct {
	Src          Source     `yaml:"-" json:"-"`
	Name         string     `yaml:"name" json:"name,omitempty"`
	ID           string     `yaml:"id" json:"id,omitempty"`
	VNet         string     `yaml:"vnet" json:"vnet,omitempty"` // lives in <vnet>/GatewaySubnet
	Type         string     `yaml:"type" json:"type,omitempty"` // Vpn | ExpressRoute
	SKU          string     `yaml:"sku" json:"sku,omitempty"`
	ActiveActive bool       `yaml:"active_active" json:"active_active,omitempty"`
	BGP          BGP        `yaml:"bgp" json:"bgp,omitempty"`
	PublicIP     netip.Addr `yaml:"public_ip" json:"public_ip,omitempty"`
	// InstanceIPs are the instance private IPs (shown as next hop when active-active).
	InstanceIPs []netip.Addr `yaml:"instance_ips" json:"instance_ips,omitempty"`
	// InstanceMACs are the instances' MAC addresses as flow logs spell
	// them (NormalizeMAC): VNet flow logs cover gateways, and these map
	// the instances' flow-log records to the gateway; optional.
	InstanceMACs []string          `yaml:"instance_macs" json:"instance_macs,omitempty"`
	NATRules     []*GatewayNATRule `yaml:"nat_rules" json:"nat_rules,omitempty"`

	vnet *VNet
}

// VNetRef returns the gateway's VNet (set by Index).
func (g *Gateway) VNetRef() *VNet { return g.vnet }

// Connection is a gateway connection to an on-premises site or another gateway.
type Connection struct {
	Src             Source         `yaml:"-" json:"-"`
	Name            string         `yaml:"name" json:"name,omitempty"`
	ID              string         `yaml:"id" json:"id,omitempty"`
	Gateway         string         `yaml:"gateway" json:"gateway,omitempty"`
	Type            string         `yaml:"type" json:"type,omitempty"`     // IPsec | Vnet2Vnet | ExpressRoute
	Remote          string         `yaml:"remote" json:"remote,omitempty"` // on-prem site name or gateway name (Vnet2Vnet)
	LearnedPrefixes []netip.Prefix `yaml:"learned_prefixes" json:"learned_prefixes,omitempty"`
	NATRules        []string       `yaml:"nat_rules" json:"nat_rules,omitempty"`

	gateway *Gateway
}

// GatewayRef returns the connection's gateway (set by Index).
func (c *Connection) GatewayRef() *Gateway { return c.gateway }

// Host is a named address (on-premises or on the Internet).
type Host struct {
	Name string     `yaml:"name" json:"name,omitempty"`
	IP   netip.Addr `yaml:"ip" json:"ip,omitempty"`
}

// OnPremSite is an on-premises network (a local network gateway's site).
type OnPremSite struct {
	Src                    Source         `yaml:"-" json:"-"`
	Name                   string         `yaml:"name" json:"name,omitempty"`
	ID                     string         `yaml:"id" json:"id,omitempty"`
	Prefixes               []netip.Prefix `yaml:"prefixes" json:"prefixes,omitempty"`
	DefaultRouteToInternet bool           `yaml:"default_route_to_internet" json:"default_route_to_internet,omitempty"`
	Hosts                  []*Host        `yaml:"hosts" json:"hosts,omitempty"`
}

// LeftOut is a resource an export holds that was left out of the network
// because the resource it is placed in is not in the inputs.
type LeftOut struct {
	// Kind and Name say what it is ("firewall", "network interface",
	// "private endpoint"); Addrs are its private addresses.
	Kind, Name string
	Addrs      []netip.Addr
	// Missing is the id of the resource the inputs lack.
	Missing string
}

// LeftOutAt returns the left-out resource that has address a.
func (n *Network) LeftOutAt(a netip.Addr) (LeftOut, bool) {
	for _, l := range n.LeftOut {
		for _, x := range l.Addrs {
			if x == a.Unmap() {
				return l, true
			}
		}
	}
	return LeftOut{}, false
}

// LeftOutWhy says why the network has no kind named name when the load
// left it out because the resource it is placed in is not in the inputs
// (LeftOut); ok is false when the inputs never had it. kind is as
// LeftOut.Kind spells it ("network interface", "firewall", "private
// endpoint"); what is how the message names it ("NIC").
func (n *Network) LeftOutWhy(kind, what, name string) (msg string, ok bool) {
	for _, l := range n.LeftOut {
		if l.Kind == kind && strings.EqualFold(l.Name, name) {
			return fmt.Sprintf("%s %q was left out: %s is not in the inputs (load the export that holds it too)", what, name, l.Missing), true
		}
	}
	return "", false
}

// Absent is LeftOutWhy's message, else "WHAT "NAME" not found in the
// topology".
func (n *Network) Absent(kind, what, name string) string {
	if msg, ok := n.LeftOutWhy(kind, what, name); ok {
		return msg
	}
	return fmt.Sprintf("%s %q not found in the topology", what, name)
}
