package topology

// The az* types are the format-independent intermediate form of an Azure
// export: every field the reachability model needs, references kept as ARM
// ids. The JSON dialects and Terraform state both decode into it; one
// mapping (azjson_model.go) turns it into a Network.

// azSet is everything read from the Azure inputs of one load.
type azSet struct {
	VNets         []*azVNet
	Subnets       []*azSubnet  // standalone subnet resources (merged into their VNet)
	Peerings      []*azPeering // standalone peering resources (merged into their VNet)
	NSGs          []*azNSG
	NSGRules      []*azNSGRule // standalone security rules (merged into their NSG)
	RouteTables   []*azRouteTable
	Routes        []*azRoute // standalone routes (merged into their table)
	NICs          []*azNIC
	PEs           []*azPE
	Firewalls     []*azFirewall
	Policies      []*azPolicy
	RCGs          []*azRCG
	IPGroups      []*azIPGroup
	ASGs          []*azASG
	PublicIPs     []*azPublicIP
	Gateways      []*azGateway
	LocalGateways []*azLocalGateway
	Connections   []*azConnection
	AVNM          azAVNM
	// Associations from Terraform: subnet id → NSG / route table id.
	SubnetNSG map[string]string
	SubnetRT  map[string]string
}

// azSrc says where a resource came from, for messages.
type azSrc struct {
	File  string
	ID    string // the resource's ARM id as written in the input
	Where string // the Terraform address, when the resource came from Terraform
}

// label is how messages name the resource: its Terraform address or id.
func (s azSrc) label() string {
	if s.Where != "" {
		return s.Where
	}
	return s.ID
}

func (s azSrc) String() string {
	if s.label() == "" {
		return s.File
	}
	return s.File + ": " + s.label()
}

type azVNet struct {
	azSrc
	Name, ResourceGroup, Location string
	AddressSpace                  []string
	DNSServers                    []string
	Subnets                       []*azSubnet
	Peerings                      []*azPeering
	Tags                          map[string]string
}

type azSubnet struct {
	azSrc
	VNetID                       string
	Name                         string
	Prefixes                     []string
	NSGID, RouteTableID, NATGWID string
	PENetworkPolicies            string
	ServiceEndpoints             []string
	DefaultOutboundAccess        *bool
}

type azPeering struct {
	azSrc
	VNetID, Name, RemoteVNetID string
	AllowVNetAccess            bool
	AllowForwarded             bool
	AllowGatewayTransit        bool
	UseRemoteGateways          bool
	State                      string // Connected, Initiated, Disconnected; "" = unknown (Terraform)
	RemoteAddressSpace         []string
}

type azNSG struct {
	azSrc
	Name  string
	Rules []*azNSGRule
}

type azNSGRule struct {
	azSrc
	NSGID                         string
	Name                          string
	Priority                      int
	Direction, Access, Protocol   string
	Sources, Destinations         []string // prefixes, tags, '*'
	SourceASGs, DestinationASGs   []string // ASG ids
	SourcePorts, DestinationPorts []string
	Description                   string
}

type azRouteTable struct {
	azSrc
	Name       string
	DisableBGP bool
	Routes     []*azRoute
}

type azRoute struct {
	azSrc
	RouteTableID          string
	Name, Prefix, NextHop string
	NextHopIP             string
}

type azNIC struct {
	azSrc
	Name              string
	VMID              string
	NSGID             string
	IPForwarding      bool
	PrivateEndpointID string
	IPConfigs         []azIPConfig
	Tags              map[string]string
}

type azIPConfig struct {
	Name       string
	IP         string
	SubnetID   string
	PublicIPID string
	ASGIDs     []string
	Primary    bool
}

type azPE struct {
	azSrc
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

type azFirewall struct {
	azSrc
	Name, SkuName, SkuTier string
	PolicyID               string
	PrivateIP, SubnetID    string
	PublicIPIDs            []string
	PublicIPs              []string // hub firewalls carry addresses directly
	MgmtSubnetID           string
	MgmtPublicIPID         string
	ThreatIntelMode        string
	DNSProxy               *bool
	ClassicSNAT            []string            // additionalProperties Network.SNAT.PrivateRanges
	Classic                []*azRuleCollection // classic rule collections
	Tags                   map[string]string
}

type azPolicy struct {
	azSrc
	Name, BasePolicyID string
	ThreatIntelMode    string
	DNSProxy           bool
	SNATPrivateRanges  []string
	RCGIDs             []string
	Allowlist          []string // threatIntelWhitelist.ipAddresses
	Tags               map[string]string
}

type azRCG struct {
	azSrc
	PolicyID    string
	Name        string
	Priority    int
	Collections []*azRuleCollection
}

type azRuleCollection struct {
	Name     string
	Type     string // DNAT, Network, Application
	Priority int
	Action   string // Allow, Deny, DNAT
	Rules    []*azFwRule
}

type azFwRule struct {
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

type azIPGroup struct {
	azSrc
	Name      string
	Addresses []string
}

type azASG struct {
	azSrc
	Name string
}

type azPublicIP struct {
	azSrc
	Name, IP, IPConfigID string
}

type azGateway struct {
	azSrc
	Name, Type, VPNType, SKU string
	ActiveActive, BGP        bool
	RouteTranslationForNAT   bool
	ASN                      int
	BGPPeeringAddress        string
	Tags                     map[string]string
	SubnetID                 string
	PublicIPIDs              []string
	NATRules                 []azGwNATRule
}

type azGwNATRule struct {
	ID, Name, Mode, Type string
	Internal, External   []string
}

type azLocalGateway struct {
	azSrc
	Name      string
	Prefixes  []string
	GatewayIP string
	ASN       int
	Tags      map[string]string
}

type azConnection struct {
	azSrc
	Name, Type                  string
	Gateway1ID, Gateway2ID      string
	LocalGatewayID              string
	Status                      string
	IngressNATIDs, EgressNATIDs []string
	Tags                        map[string]string
}
