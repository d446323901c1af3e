package export

import (
	"fmt"
	"net/netip"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Private DNS in ARM's shapes: privateDnsZones, their A and CNAME record
// sets (privateDnsZones/A, privateDnsZones/CNAME) and virtualNetworkLinks;
// a VNet's custom DNS servers are its dhcpOptions.dnsServers (vnetsOut).
// Public DNS answers and declared DNS forwarders are design facts no Azure
// resource holds: they are not written (a note says so).

func (e *exporter) zoneID(z *topology.PrivateDNSZone) string {
	return e.idOf(z.ID, "privateDnsZones", z.Name)
}

// zoneChildID is the id of a record set (seg "A" or "CNAME") or link
// (seg "virtualNetworkLinks") of z.
func (e *exporter) zoneChildID(z *topology.PrivateDNSZone, id, seg, name string) string {
	if id != "" {
		return id
	}
	return e.zoneID(z) + "/" + seg + "/" + name
}

// linkVNetID is the id of a link's VNet (its reference as written when the
// VNet is not in the network).
func (e *exporter) linkVNetID(l *topology.PrivateDNSZoneLink) string {
	if v := l.VNetRef(); v != nil {
		return e.vnetID(v)
	}
	return l.VNet
}

// recordName is a record set's name as Azure writes it ("@" for the apex).
func recordName(s string) string {
	if s == "" {
		return "@"
	}
	return s
}

// resolutionPolicy is a link's resolution policy as Azure reports it
// ("Default" when unset).
func resolutionPolicy(l *topology.PrivateDNSZoneLink) string {
	if l.ResolutionPolicy == "" {
		return topology.DNSResolutionDefault
	}
	return l.ResolutionPolicy
}

func (e *exporter) privateDNSOut() {
	for _, z := range e.n.PrivateDNSZones {
		// A zone's properties are counts only (an empty object would read
		// back as a row without resource fields).
		e.add(e.zoneID(z), z.Name, "Microsoft.Network/privateDnsZones", map[string]any{"numberOfRecordSets": len(z.ARecords) + len(z.CNAMERecords) + 1,
			"numberOfVirtualNetworkLinks": len(z.Links), "provisioningState": "Succeeded"}, nil)
		for _, r := range z.ARecords {
			var as []any
			for _, ip := range r.IPs {
				as = append(as, map[string]any{"ipv4Address": ip.String()})
			}
			name := recordName(r.Name)
			e.add(e.zoneChildID(z, r.ID, "A", name), name, "Microsoft.Network/privateDnsZones/A",
				map[string]any{"ttl": r.TTL, "aRecords": orEmpty(as), "isAutoRegistered": r.AutoRegistered, "fqdn": z.FQDN(r.Name) + "."}, nil)
		}
		for _, r := range z.CNAMERecords {
			name := recordName(r.Name)
			e.add(e.zoneChildID(z, r.ID, "CNAME", name), name, "Microsoft.Network/privateDnsZones/CNAME",
				map[string]any{"ttl": r.TTL, "cnameRecord": map[string]any{"cname": r.Target}, "fqdn": z.FQDN(r.Name) + "."}, nil)
		}
		for _, l := range z.Links {
			e.add(e.zoneChildID(z, l.ID, "virtualNetworkLinks", l.Name), l.Name, "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
				map[string]any{"virtualNetwork": refObj(e.linkVNetID(l)), "registrationEnabled": l.RegistrationEnabled,
					"resolutionPolicy": resolutionPolicy(l), "virtualNetworkLinkState": "Completed"}, nil)
		}
	}
	e.dnsNotes()
}

// dnsNotes says which DNS design facts have no exported form.
func (e *exporter) dnsNotes() {
	if n := len(e.n.PublicDNS); n > 0 {
		e.notes = append(e.notes, fmt.Sprintf("%d public DNS answer(s) not exported (not Azure resources: keep them in a design file beside the export)", n))
	}
	if n := len(e.n.DNSForwarders); n > 0 {
		e.notes = append(e.notes, fmt.Sprintf("%d DNS forwarder declaration(s) not exported (what a DNS server forwards to is not an Azure resource: keep them in a design file beside the export)", n))
	}
}

// dhcpOptions is a VNet's custom DNS servers in ARM's shape; nil for Azure
// DNS.
func dhcpOptions(servers []netip.Addr) map[string]any {
	if len(servers) == 0 {
		return nil
	}
	return map[string]any{"dnsServers": addrList(servers)}
}

// privateDNS writes the zones as the azurerm provider (4.x) keeps them:
// azurerm_private_dns_zone, azurerm_private_dns_a_record,
// azurerm_private_dns_cname_record and
// azurerm_private_dns_zone_virtual_network_link (registration_enabled,
// resolution_policy). Records a registration link created for VMs are
// Azure's, not Terraform's: they are not written (a note counts them).
func (w *tfWriter) privateDNS() {
	e := w.e
	auto := 0
	for _, z := range e.n.PrivateDNSZones {
		zid := e.zoneID(z)
		rg := ResourceGroup
		if g := arm.ParseID(zid).ResourceGroup; g != "" {
			rg = g
		}
		w.add("azurerm_private_dns_zone", z.Name, map[string]any{"id": zid, "name": z.Name, "resource_group_name": rg}, false)
		for _, r := range z.ARecords {
			if r.AutoRegistered {
				auto++
				continue
			}
			name := recordName(r.Name)
			w.add("azurerm_private_dns_a_record", z.Name+"_"+name, map[string]any{"id": e.zoneChildID(z, r.ID, "A", name), "name": name,
				"zone_name": z.Name, "resource_group_name": rg, "ttl": r.TTL, "records": addrList(r.IPs), "fqdn": z.FQDN(r.Name) + "."}, false)
		}
		for _, r := range z.CNAMERecords {
			name := recordName(r.Name)
			w.add("azurerm_private_dns_cname_record", z.Name+"_"+name, map[string]any{"id": e.zoneChildID(z, r.ID, "CNAME", name), "name": name,
				"zone_name": z.Name, "resource_group_name": rg, "ttl": r.TTL, "record": r.Target, "fqdn": z.FQDN(r.Name) + "."}, false)
		}
		for _, l := range z.Links {
			w.add("azurerm_private_dns_zone_virtual_network_link", z.Name+"_"+l.Name, map[string]any{"id": e.zoneChildID(z, l.ID, "virtualNetworkLinks", l.Name),
				"name": l.Name, "private_dns_zone_name": z.Name, "resource_group_name": rg, "virtual_network_id": e.linkVNetID(l),
				"registration_enabled": l.RegistrationEnabled, "resolution_policy": resolutionPolicy(l)}, false)
		}
	}
	if auto > 0 {
		e.notes = append(e.notes, fmt.Sprintf("%d auto-registered A record(s) not exported (Azure creates them for VMs; Terraform does not manage them)", auto))
	}
	e.dnsNotes()
}
