package arm

// Tags pathproof writes on exported resources to carry design facts Azure
// has no field for; the loaders read them back.
const (
	TagNVA             = "pathproof-nva"              // on a NIC: "stateful", "stateful,snat", "snat" or "stateless"
	TagDefaultInternet = "pathproof-default-internet" // on a local network gateway: "true" = the site breaks out to the Internet
	TagHosts           = "pathproof-hosts"            // on a local network gateway: "name=ip,..."
	TagLearned         = "pathproof-learned-prefixes" // on a connection: prefixes learned over it, comma-separated
	TagDNSRecords      = "pathproof-dns-records"      // on a firewall policy: "fqdn=ip,..."
	TagInstanceIPs     = "pathproof-instance-ips"     // on a gateway: instance private IPs, comma-separated
	TagInstanceMACs    = "pathproof-instance-macs"    // on a gateway: instance MAC addresses, comma-separated
	TagClassicPolicy   = "pathproof-classic-policy"   // on a classic firewall: the design's policy name
	TagThreatIntelIPs  = "pathproof-threat-intel-ips" // on a firewall policy: the offline threat intelligence feed
	TagConnectionState = "pathproof-connection-state" // on a Terraform private endpoint: Azure's connection state, which state lacks
)

// KeyCollectionType is the one key pathproof adds to Azure's shape: on an
// empty filter rule collection exported from a design, whether it was an
// application collection (its rules would otherwise say).
const KeyCollectionType = "pathproofCollectionType"

// ClassicPolicySuffix names the policy pathproof makes from a classic
// firewall's inline rule collections: "<firewall>-classic".
const ClassicPolicySuffix = "-classic"
