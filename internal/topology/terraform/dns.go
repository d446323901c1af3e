package terraform

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// dnsJoins holds what Terraform keeps apart for private DNS: a VNet's DNS
// servers set by azurerm_virtual_network_dns_servers, and the A records a
// private endpoint's private_dns_zone_group makes Azure create in a zone.
type dnsJoins struct {
	vnetDNS      map[string][]string // VNet id key → DNS servers
	groupRecords []*armset.DNSRecord
}

func newDNSJoins() *dnsJoins { return &dnsJoins{vnetDNS: map[string][]string{}} }

// tfReadDNS adds one private DNS resource of the azurerm provider to s:
// azurerm_private_dns_zone, azurerm_private_dns_a_record,
// azurerm_private_dns_cname_record (its target is "record"),
// azurerm_private_dns_zone_virtual_network_link (registration_enabled,
// resolution_policy: Default or NxDomainRedirect, "fallback to internet")
// and azurerm_virtual_network_dns_servers; false when r is none of them.
// Record sets and links name their zone by private_dns_zone_name /
// zone_name and the resource group; their id's parent when they have one.
func tfReadDNS(s *armset.Set, r Resource, a armset.Src, j *dnsJoins) bool {
	v := r.Values
	name := jsonobj.Str(v, "name")
	zoneOf := func(field string) string {
		if id := jsonobj.Str(v, "id"); id != "" {
			if p := arm.ParseID(id).Parent(); p.Raw != "" {
				return p.Raw
			}
		}
		return tfID(v, "privateDnsZones", jsonobj.Str(v, field))
	}
	switch r.Type {
	case "azurerm_private_dns_zone":
		a.ID = tfID(v, "privateDnsZones", name)
		s.DNSZones = append(s.DNSZones, &armset.DNSZone{Src: a, Name: name})
	case "azurerm_private_dns_a_record":
		zone := zoneOf("zone_name")
		a.ID = tfChildID(v, zone, "A")
		rec := &armset.DNSRecord{Src: a, ZoneID: zone, Name: name, Type: "A", IPs: jsonobj.Strs(v, "records")}
		rec.TTL, _ = jsonobj.Int(v, "ttl")
		s.DNSRecords = append(s.DNSRecords, rec)
	case "azurerm_private_dns_cname_record":
		zone := zoneOf("zone_name")
		a.ID = tfChildID(v, zone, "CNAME")
		rec := &armset.DNSRecord{Src: a, ZoneID: zone, Name: name, Type: "CNAME", Target: jsonobj.Str(v, "record")}
		rec.TTL, _ = jsonobj.Int(v, "ttl")
		s.DNSRecords = append(s.DNSRecords, rec)
	case "azurerm_private_dns_zone_virtual_network_link":
		zone := zoneOf("private_dns_zone_name")
		a.ID = tfChildID(v, zone, "virtualNetworkLinks")
		s.DNSLinks = append(s.DNSLinks, &armset.DNSLink{Src: a, ZoneID: zone, Name: name, VNetID: jsonobj.Str(v, "virtual_network_id"),
			Registration: jsonobj.BoolOr(v, "registration_enabled", false), ResolutionPolicy: jsonobj.Str(v, "resolution_policy")})
	case "azurerm_virtual_network_dns_servers":
		j.vnetDNS[arm.IDKey(jsonobj.Str(v, "virtual_network_id"))] = jsonobj.Strs(v, "dns_servers")
	default:
		return false
	}
	return true
}

// tfPEZoneGroup reads the A records a private endpoint's
// private_dns_zone_group creates: the record sets of its computed
// private_dns_zone_configs (a state), else, when they are not known yet (a
// plan), one record per private_dns_zone_ids named after the target
// resource with the endpoint's addresses, as Azure names it.
func tfPEZoneGroup(v map[string]any, p *armset.PrivateEndpoint, a armset.Src, j *dnsJoins) {
	add := func(zone, name string, ips []string, ttl int) {
		if zone == "" || name == "" {
			return
		}
		src := a
		src.ID = zone + "/A/" + name
		j.groupRecords = append(j.groupRecords, &armset.DNSRecord{Src: src, ZoneID: zone, Name: name, Type: "A", IPs: ips, TTL: ttl})
	}
	known := false
	for _, c := range jsonobj.Objs(v, "private_dns_zone_configs") {
		zone := jsonobj.Str(c, "private_dns_zone_id")
		for _, rs := range jsonobj.Objs(c, "record_sets") {
			if t := jsonobj.Str(rs, "type"); t != "" && !strings.EqualFold(t, "A") {
				continue
			}
			known = true
			ttl, _ := jsonobj.Int(rs, "ttl")
			add(zone, jsonobj.Str(rs, "name"), jsonobj.Strs(rs, "ip_addresses"), ttl)
		}
	}
	if known || p.TargetID == "" || len(p.IPs) == 0 {
		return
	}
	for _, g := range jsonobj.Objs(v, "private_dns_zone_group") {
		for _, zone := range jsonobj.Strs(g, "private_dns_zone_ids") {
			add(zone, arm.ParseID(p.TargetID).Name(), p.IPs, 10)
		}
	}
}

// apply sets VNet DNS servers, adds the zone groups' records a record set
// resource of the same id does not already describe, and points record
// sets and links whose zone id had to be made up (a plan) at the zone of
// the same resource group and name.
func (j *dnsJoins) apply(s *armset.Set) {
	for _, vn := range s.VNets {
		if d, ok := j.vnetDNS[arm.IDKey(vn.ID)]; ok {
			vn.DNSServers = d
		}
	}
	have := map[string]bool{}
	for _, r := range s.DNSRecords {
		have[arm.IDKey(r.ID)] = true
	}
	for _, r := range j.groupRecords {
		if !have[arm.IDKey(r.ID)] {
			have[arm.IDKey(r.ID)] = true
			s.DNSRecords = append(s.DNSRecords, r)
		}
	}
	zones := map[string]string{}
	key := func(id string) string {
		a := arm.ParseID(id)
		return strings.ToLower(a.ResourceGroup + "\x00" + a.Name())
	}
	for _, z := range s.DNSZones {
		if k := key(z.ID); zones[k] == "" {
			zones[k] = z.ID
		}
	}
	fix := func(id string) string {
		if strings.Contains(id, tfSyntheticSub) {
			if real := zones[key(id)]; real != "" {
				return real
			}
		}
		return id
	}
	for _, r := range s.DNSRecords {
		r.ZoneID = fix(r.ZoneID)
	}
	for _, l := range s.DNSLinks {
		l.ZoneID = fix(l.ZoneID)
	}
}
