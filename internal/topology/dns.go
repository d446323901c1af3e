package topology

import (
	"cmp"
	"net/netip"
	"strings"
)

// Private DNS (docs/azure-semantics.md §11): private zones with their A
// and CNAME records, and the VNet links that make a zone answer for the
// VMs of a VNet (resolution) and register their names (registration).

// AzureDNS is the platform resolver every VNet uses unless it names custom
// DNS servers (the virtual public IP 168.63.129.16).
var AzureDNS = netip.MustParseAddr("168.63.129.16")

// Values of PrivateDNSZoneLink.ResolutionPolicy.
const (
	// DNSResolutionDefault answers NXDOMAIN for a name the linked zone
	// lacks.
	DNSResolutionDefault = "Default"
	// DNSResolutionNxDomainRedirect falls back to public resolution for a
	// name the linked zone lacks ("fallback to internet").
	DNSResolutionNxDomainRedirect = "NxDomainRedirect"
)

// PrivateDNSZone is an Azure private DNS zone
// (Microsoft.Network/privateDnsZones).
type PrivateDNSZone struct {
	Src Source `yaml:"-" json:"-"`
	// Name is the zone's DNS name, e.g. privatelink.vaultcore.azure.net.
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
	// ARecords and CNAMERecords are the zone's record sets.
	ARecords     []*DNSARecord     `yaml:"a_records" json:"a_records,omitempty"`
	CNAMERecords []*DNSCNAMERecord `yaml:"cname_records" json:"cname_records,omitempty"`
	// Links are the zone's virtual network links.
	Links []*PrivateDNSZoneLink `yaml:"vnet_links" json:"vnet_links,omitempty"`
}

// DNSARecord is an A record set of a private zone.
type DNSARecord struct {
	Src Source `yaml:"-" json:"-"`
	// Name is relative to the zone ("kv-contoso"; "@" for the apex).
	Name string       `yaml:"name" json:"name,omitempty"`
	ID   string       `yaml:"id" json:"id,omitempty"`
	IPs  []netip.Addr `yaml:"ips" json:"ips,omitempty"`
	TTL  int          `yaml:"ttl" json:"ttl,omitempty"`
	// AutoRegistered marks a record a registration link created for a VM.
	AutoRegistered bool `yaml:"auto_registered" json:"auto_registered,omitempty"`
}

// DNSCNAMERecord is a CNAME record set of a private zone.
type DNSCNAMERecord struct {
	Src    Source `yaml:"-" json:"-"`
	Name   string `yaml:"name" json:"name,omitempty"`
	ID     string `yaml:"id" json:"id,omitempty"`
	Target string `yaml:"target" json:"target,omitempty"`
	TTL    int    `yaml:"ttl" json:"ttl,omitempty"`
}

// PrivateDNSZoneLink is a virtual network link of a private zone.
type PrivateDNSZoneLink struct {
	Src  Source `yaml:"-" json:"-"`
	Name string `yaml:"name" json:"name,omitempty"`
	ID   string `yaml:"id" json:"id,omitempty"`
	// VNet is the linked VNet's name or id.
	VNet string `yaml:"vnet" json:"vnet,omitempty"`
	// RegistrationEnabled makes the zone register the VNet's VMs (a VNet
	// has at most one registration zone).
	RegistrationEnabled bool `yaml:"registration_enabled" json:"registration_enabled,omitempty"`
	// ResolutionPolicy is DNSResolutionDefault ("" counts) or
	// DNSResolutionNxDomainRedirect.
	ResolutionPolicy string `yaml:"resolution_policy" json:"resolution_policy,omitempty"`

	vnet *VNet
}

// VNetRef returns the linked VNet (set by Index); nil when it is not in
// the inputs.
func (l *PrivateDNSZoneLink) VNetRef() *VNet { return l.vnet }

// Fallback reports whether the link falls back to public resolution for
// names the zone lacks.
func (l *PrivateDNSZoneLink) Fallback() bool {
	return eqFold(l.ResolutionPolicy, DNSResolutionNxDomainRedirect)
}

// DNSForwarder says what a custom DNS server does with queries it cannot
// answer itself: forward them to Azure DNS from a VNet (a VM running a DNS
// server, a DNS Private Resolver inbound endpoint) or resolve them on the
// public Internet. Without one, a custom server's answers are unknown.
type DNSForwarder struct {
	Src Source `yaml:"-" json:"-"`
	// Name labels the server in answers.
	Name string     `yaml:"name" json:"name,omitempty"`
	IP   netip.Addr `yaml:"ip" json:"ip,omitempty"`
	// ForwardsTo is "azure" (Azure DNS, seen from VNet, or from the VNet
	// the IP is in) or "public" (a public resolver: private zones never
	// answer).
	ForwardsTo string `yaml:"forwards_to" json:"forwards_to,omitempty"`
	VNet       string `yaml:"vnet" json:"vnet,omitempty"`
}

// Values of DNSForwarder.ForwardsTo.
const (
	ForwardsToAzure  = "azure"
	ForwardsToPublic = "public"
)

// PublicDNSRecord is the public DNS answer for a name, an offline stand-in
// for the Internet's DNS (e.g. a PaaS name's public address).
type PublicDNSRecord struct {
	FQDN string       `yaml:"fqdn" json:"fqdn,omitempty"`
	IPs  []netip.Addr `yaml:"ips" json:"ips,omitempty"`
}

// FQDN returns the full name of a record set named relative in the zone
// ("kv-contoso" → "kv-contoso.privatelink.vaultcore.azure.net").
func (z *PrivateDNSZone) FQDN(relative string) string {
	if relative == "" || relative == "@" {
		return CanonicalName(z.Name)
	}
	return CanonicalName(relative + "." + z.Name)
}

// Holds reports whether name is the zone's apex or inside it.
func (z *PrivateDNSZone) Holds(name string) bool {
	name, zone := CanonicalName(name), CanonicalName(z.Name)
	return name == zone || strings.HasSuffix(name, "."+zone)
}

// Relative returns name relative to the zone ("@" for the apex); name must
// be inside the zone.
func (z *PrivateDNSZone) Relative(name string) string {
	name, zone := CanonicalName(name), CanonicalName(z.Name)
	if name == zone {
		return "@"
	}
	return strings.TrimSuffix(name, "."+zone)
}

// A returns the zone's A record set with the relative name rel.
func (z *PrivateDNSZone) A(rel string) *DNSARecord {
	for _, r := range z.ARecords {
		if eqFold(relName(r.Name), rel) {
			return r
		}
	}
	return nil
}

// CNAME returns the zone's CNAME record set with the relative name rel.
func (z *PrivateDNSZone) CNAME(rel string) *DNSCNAMERecord {
	for _, r := range z.CNAMERecords {
		if eqFold(relName(r.Name), rel) {
			return r
		}
	}
	return nil
}

func relName(s string) string {
	if s == "" {
		return "@"
	}
	return s
}

// CanonicalName is a DNS name lower case without its trailing dot.
func CanonicalName(name string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
}

// PrivateDNSZone finds a private zone by name or id.
func (n *Network) PrivateDNSZone(ref string) *PrivateDNSZone {
	return get[*PrivateDNSZone](n.ix().dnsZones, ref)
}

// LinkedZones returns the private zones linked to v, each with its link.
func (n *Network) LinkedZones(v *VNet) []ZoneLink { return n.ix().vnetZones[v] }

// ZoneLink is a private zone and the link that ties it to a VNet.
type ZoneLink struct {
	Zone *PrivateDNSZone
	Link *PrivateDNSZoneLink
}

// DNSForwarderAt returns the declared forwarder with address ip, or nil.
func (n *Network) DNSForwarderAt(ip netip.Addr) *DNSForwarder {
	for _, f := range n.DNSForwarders {
		if f.IP == ip {
			return f
		}
	}
	return nil
}

func (n *Network) indexDNS(ix *index) {
	ix.dnsZones = map[string]any{}
	ix.vnetZones = map[*VNet][]ZoneLink{}
	for _, z := range n.PrivateDNSZones {
		put(ix.dnsZones, z.Name, z.ID, z)
		for _, l := range z.Links {
			l.vnet = n.VNet(l.VNet)
			if l.vnet != nil {
				ix.vnetZones[l.vnet] = append(ix.vnetZones[l.vnet], ZoneLink{Zone: z, Link: l})
			}
		}
	}
}

// validateDNS checks private zones: links name VNets of the inputs (a
// missing one is an error naming it), a VNet has one registration zone and
// no two linked zones of one name, record names are unique per type, and
// declared forwarders say where they forward.
func (n *Network) validateDNS(d *Diagnostics) {
	registration := map[*VNet]string{}
	type vz struct {
		v    *VNet
		zone string
	}
	linked := map[vz]string{}
	for _, z := range n.PrivateDNSZones {
		res := "private DNS zone " + z.Name
		if CanonicalName(z.Name) == "" {
			d.Errorf(z.Src, res, "zone has no name")
		}
		for _, l := range z.Links {
			lres := res + " link " + l.Name
			if l.vnet == nil {
				d.Errorf(z.Src, lres, "VNet %q not found", l.VNet)
				continue
			}
			switch {
			case l.ResolutionPolicy == "", eqFold(l.ResolutionPolicy, DNSResolutionDefault), l.Fallback():
			default:
				d.Errorf(z.Src, lres, "resolution_policy %q is not Default or NxDomainRedirect", l.ResolutionPolicy)
			}
			if l.RegistrationEnabled {
				if other, dup := registration[l.vnet]; dup {
					d.Errorf(z.Src, lres, "VNet %s already has registration zone %s: a VNet registers in one zone only", l.vnet.Name, other)
				}
				registration[l.vnet] = z.Name
			}
			k := vz{l.vnet, CanonicalName(z.Name)}
			if other, dup := linked[k]; dup {
				d.Errorf(z.Src, lres, "VNet %s is already linked to zone %s: Azure refuses a second link to a zone of the same name", l.vnet.Name, other)
			}
			linked[k] = z.Name + " (link " + l.Name + ")"
		}
		seen := map[string]string{}
		for _, r := range z.ARecords {
			seen[strings.ToLower(relName(r.Name))] = "A"
			if len(r.IPs) == 0 {
				d.Warnf(z.Src, res+" A "+relName(r.Name), "record set has no address")
			}
		}
		for _, r := range z.CNAMERecords {
			if t, dup := seen[strings.ToLower(relName(r.Name))]; dup {
				d.Errorf(z.Src, res+" CNAME "+relName(r.Name), "name also has an %s record: a CNAME cannot share its name", t)
			}
			if CanonicalName(r.Target) == "" {
				d.Errorf(z.Src, res+" CNAME "+relName(r.Name), "no target")
			}
		}
	}
	for _, f := range n.DNSForwarders {
		res := "DNS forwarder " + cmp.Or(f.Name, f.IP.String())
		switch {
		case eqFold(f.ForwardsTo, ForwardsToAzure), eqFold(f.ForwardsTo, ForwardsToPublic):
		default:
			d.Errorf(f.Src, res, "forwards_to %q: want azure or public", f.ForwardsTo)
		}
		if f.VNet != "" && n.VNet(f.VNet) == nil {
			d.Errorf(f.Src, res, "VNet %q not found", f.VNet)
		}
	}
}
