package armset

import (
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// DNSZone is a private DNS zone as read; its record sets and links arrive
// as DNSRecords and DNSLinks naming it by id.
type DNSZone struct {
	Src
	Name string
}

// DNSRecord is an A or CNAME record set of a private zone.
type DNSRecord struct {
	Src
	ZoneID, Name, Type string
	IPs                []string
	Target             string
	TTL                int
	AutoRegistered     bool
}

// DNSLink is a virtual network link of a private zone.
type DNSLink struct {
	Src
	ZoneID, Name, VNetID, ResolutionPolicy string
	Registration                           bool
}

// privateDNS maps zones, their record sets and links; a record set or link
// whose zone is not in the inputs is an error naming the zone's id.
func (m *mapper) privateDNS() {
	zones := map[string]*topology.PrivateDNSZone{}
	for _, z := range m.s.DNSZones {
		nz := &topology.PrivateDNSZone{Src: source(z.Src), Name: z.Name, ID: z.ID}
		zones[arm.IDKey(z.ID)] = nz
		m.net.PrivateDNSZones = append(m.net.PrivateDNSZones, nz)
	}
	zoneOf := func(src Src, zoneID, what string) *topology.PrivateDNSZone {
		if z := zones[arm.IDKey(zoneID)]; z != nil && zoneID != "" {
			return z
		}
		m.missf(src, zoneID, "%s: private DNS zone %s not found in the inputs", what, orID(zoneID))
		return nil
	}
	for _, r := range m.s.DNSRecords {
		z := zoneOf(r.Src, r.ZoneID, r.Type+" record set "+r.Name)
		if z == nil {
			continue
		}
		switch r.Type {
		case "A":
			nr := &topology.DNSARecord{Src: source(r.Src), Name: r.Name, ID: r.ID, TTL: r.TTL, AutoRegistered: r.AutoRegistered}
			for _, s := range r.IPs {
				if ip := m.addr(r.Src, "A record address", s); ip.IsValid() {
					nr.IPs = append(nr.IPs, ip)
				}
			}
			z.ARecords = append(z.ARecords, nr)
		case "CNAME":
			z.CNAMERecords = append(z.CNAMERecords, &topology.DNSCNAMERecord{Src: source(r.Src), Name: r.Name, ID: r.ID, Target: r.Target, TTL: r.TTL})
		}
	}
	for _, l := range m.s.DNSLinks {
		z := zoneOf(l.Src, l.ZoneID, "virtual network link "+l.Name)
		if z == nil {
			continue
		}
		if l.VNetID == "" {
			m.errf(l.Src, "virtual network link %q has no virtual network", l.Name)
		}
		z.Links = append(z.Links, &topology.PrivateDNSZoneLink{Src: source(l.Src), Name: l.Name, ID: l.ID, VNet: l.VNetID,
			RegistrationEnabled: l.Registration, ResolutionPolicy: l.ResolutionPolicy})
	}
}

func orID(id string) string {
	if id == "" {
		return "(no id)"
	}
	return id
}
