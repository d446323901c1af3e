// Package armset is the format-independent intermediate form of Azure
// exports: a Set of ARM resources holding every field the reachability
// model needs, references kept as ARM ids. The Azure JSON loader (package
// azjson) and the Terraform loader (package terraform) both add resources
// to a Set; one mapping, Set.Network, turns it into a topology.Network.
package armset

// Set is everything read from the Azure inputs of one load.
type Set struct {
	VNets         []*VNet
	Subnets       []*Subnet  // standalone subnet resources (merged into their VNet)
	Peerings      []*Peering // standalone peering resources (merged into their VNet)
	NSGs          []*NSG
	NSGRules      []*NSGRule // standalone security rules (merged into their NSG)
	RouteTables   []*RouteTable
	Routes        []*Route // standalone routes (merged into their table)
	NICs          []*NIC
	PEs           []*PrivateEndpoint
	Firewalls     []*Firewall
	Policies      []*Policy
	RCGs          []*RuleCollectionGroup
	IPGroups      []*IPGroup
	ASGs          []*ASG
	PublicIPs     []*PublicIP
	Gateways      []*Gateway
	LocalGateways []*LocalGateway
	Connections   []*Connection
	AVNM          AVNM
	VWANs         VWAN // Virtual WAN and Route Server (vwan.go)
	// Load balancers, their standalone children, NAT gateways and public
	// IP prefixes (lb.go).
	LoadBalancers []*LoadBalancer
	LBPools       []*LBPool
	LBRules       []*LBRule
	LBNATRules    []*LBNATRule
	LBOutbound    []*LBOutbound
	LBProbes      []*LBProbe
	// Private DNS zones and their record sets and links (dns.go).
	DNSZones         []*DNSZone
	DNSRecords       []*DNSRecord
	DNSLinks         []*DNSLink
	NATGateways      []*NATGateway
	PublicIPPrefixes []*PublicIPPrefix
	// Associations from Terraform: subnet id → NSG / route table id.
	SubnetNSG map[string]string
	SubnetRT  map[string]string
}

// Src says where a resource came from, for messages.
type Src struct {
	File  string
	ID    string // the resource's ARM id as written in the input
	Where string // the Terraform address, when the resource came from Terraform
}

// label is how messages name the resource: its Terraform address or id.
func (s Src) label() string {
	if s.Where != "" {
		return s.Where
	}
	return s.ID
}

func (s Src) String() string {
	if s.label() == "" {
		return s.File
	}
	return s.File + ": " + s.label()
}

type VNet struct {
	Src
	Name, ResourceGroup, Location string
	AddressSpace                  []string
	DNSServers                    []string
	Subnets                       []*Subnet
	Peerings                      []*Peering
	Tags                          map[string]string
}

type Subnet struct {
	Src
	VNetID                       string
	Name                         string
	Prefixes                     []string
	NSGID, RouteTableID, NATGWID string
	PENetworkPolicies            string
	ServiceEndpoints             []string
	DefaultOutboundAccess        *bool
}

type Peering struct {
	Src
	VNetID, Name, RemoteVNetID string
	AllowVNetAccess            bool
	AllowForwarded             bool
	AllowGatewayTransit        bool
	UseRemoteGateways          bool
	State                      string // Connected, Initiated, Disconnected; "" = unknown (Terraform)
	RemoteAddressSpace         []string
}

type NSG struct {
	Src
	Name  string
	Rules []*NSGRule
}

type NSGRule struct {
	Src
	NSGID                         string
	Name                          string
	Priority                      int
	Direction, Access, Protocol   string
	Sources, Destinations         []string // prefixes, tags, '*'
	SourceASGs, DestinationASGs   []string // ASG ids
	SourcePorts, DestinationPorts []string
	Description                   string
}

type RouteTable struct {
	Src
	Name       string
	DisableBGP bool
	Routes     []*Route
}

type Route struct {
	Src
	RouteTableID          string
	Name, Prefix, NextHop string
	NextHopIP             string
}

type NIC struct {
	Src
	Name              string
	VMID              string
	NSGID             string
	IPForwarding      bool
	MAC               string
	PrivateEndpointID string
	IPConfigs         []IPConfig
	Tags              map[string]string
	// DNSServers are the NIC's own DNS servers (dnsSettings.dnsServers;
	// "AzureProvidedDNS" names Azure DNS).
	DNSServers []string
}

type IPConfig struct {
	Name       string
	IP         string
	SubnetID   string
	PublicIPID string
	ASGIDs     []string
	Primary    bool
	// LBPoolIDs and LBNATRuleIDs are the load balancer backend pools and
	// inbound NAT rules the configuration belongs to.
	LBPoolIDs, LBNATRuleIDs []string
	// GatewayLBID chains the configuration's public IP to a Gateway load
	// balancer frontend.
	GatewayLBID string
}

type PrivateEndpoint struct {
	Src
	Name            string
	SubnetID        string
	NICIDs          []string
	IPs             []string // static ipConfigurations, then customDnsConfigs
	ConnectionState string
	TargetID        string
	GroupIDs        []string
	FQDNs           []string
	ASGIDs          []string
}

type Firewall struct {
	Src
	Name, SkuName, SkuTier string
	PolicyID               string
	PrivateIP, SubnetID    string
	PublicIPIDs            []string
	PublicIPs              []string // hub firewalls carry addresses directly
	MgmtSubnetID           string
	HubID                  string // a secured-hub firewall's virtual hub
	MgmtPublicIPID         string
	ThreatIntelMode        string
	DNSProxy               *bool
	ClassicSNAT            []string          // additionalProperties Network.SNAT.PrivateRanges
	Classic                []*RuleCollection // classic rule collections
	Tags                   map[string]string
}

type Policy struct {
	Src
	Name, BasePolicyID string
	ThreatIntelMode    string
	DNSProxy           bool
	SNATPrivateRanges  []string
	RCGIDs             []string
	Allowlist          []string // threatIntelWhitelist.ipAddresses
	Tags               map[string]string
}

type RuleCollectionGroup struct {
	Src
	PolicyID    string
	Name        string
	Priority    int
	Collections []*RuleCollection
}

type RuleCollection struct {
	Name     string
	Type     string // DNAT, Network, Application
	Priority int
	Action   string // Allow, Deny, DNAT
	Rules    []*FirewallRule
}

type FirewallRule struct {
	Name                 string
	Protocols            []string // network/NAT: TCP, UDP, ICMP, Any; application: Https:443
	SourceAddresses      []string
	SourceIPGroups       []string
	DestinationAddresses []string
	DestinationIPGroups  []string
	DestinationFQDNs     []string
	DestinationPorts     []string
	TargetFQDNs          []string
	FQDNTags             []string
	WebCategories        []string
	TranslatedAddress    string
	TranslatedFQDN       string
	TranslatedPort       string
}

type IPGroup struct {
	Src
	Name      string
	Addresses []string
}

type ASG struct {
	Src
	Name string
}

type PublicIP struct {
	Src
	Name, IP, IPConfigID string
}

type Gateway struct {
	Src
	Name, Type, VPNType, SKU string
	ActiveActive, BGP        bool
	RouteTranslationForNAT   bool
	ASN                      int
	BGPPeeringAddress        string
	Tags                     map[string]string
	SubnetID                 string
	PublicIPIDs              []string
	NATRules                 []GatewayNATRule
}

type GatewayNATRule struct {
	ID, Name, Mode, Type string
	Internal, External   []string
}

type LocalGateway struct {
	Src
	Name      string
	Prefixes  []string
	GatewayIP string
	ASN       int
	Tags      map[string]string
}

type Connection struct {
	Src
	Name, Type                  string
	Gateway1ID, Gateway2ID      string
	LocalGatewayID              string
	Status                      string
	IngressNATIDs, EgressNATIDs []string
	Tags                        map[string]string
}
