package azjson

import (
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// Private DNS types (az network private-dns zone list, record-set a list,
// record-set cname list, link vnet list; ARM and Resource Graph).
const (
	tDNSZone  = "microsoft.network/privatednszones"
	tDNSA     = "microsoft.network/privatednszones/a"
	tDNSCNAME = "microsoft.network/privatednszones/cname"
	tDNSLink  = "microsoft.network/privatednszones/virtualnetworklinks"
)

var dnsTypes = map[string]bool{tDNSZone: true, tDNSA: true, tDNSCNAME: true, tDNSLink: true}

// addDNS reads one private zone, record set or virtual network link; false
// if r is none of them. Children name their zone by their id's parent.
func addDNS(s *armset.Set, file string, r Resource) (note string, ok bool) {
	if !dnsTypes[r.Type] {
		return "", false
	}
	if r.Bare {
		return bareNote(r.Type), true
	}
	b := r.Body
	src := srcOf(file, r)
	zoneID := r.ID.Parent().Raw
	ttl, _ := jsonobj.Int(b, "ttl")
	switch r.Type {
	case tDNSZone:
		s.DNSZones = append(s.DNSZones, &armset.DNSZone{Src: src, Name: r.Name})
	case tDNSA:
		rec := &armset.DNSRecord{Src: src, ZoneID: zoneID, Name: r.Name, Type: "A", TTL: ttl,
			AutoRegistered: jsonobj.BoolOr(b, "isAutoRegistered", false)}
		for _, a := range jsonobj.Objs(b, "aRecords") {
			rec.IPs = append(rec.IPs, jsonobj.Str(a, "ipv4Address"))
		}
		s.DNSRecords = append(s.DNSRecords, rec)
	case tDNSCNAME:
		s.DNSRecords = append(s.DNSRecords, &armset.DNSRecord{Src: src, ZoneID: zoneID, Name: r.Name, Type: "CNAME", TTL: ttl,
			Target: jsonobj.Str(jsonobj.Obj(b, "cnameRecord"), "cname")})
	case tDNSLink:
		s.DNSLinks = append(s.DNSLinks, &armset.DNSLink{Src: src, ZoneID: zoneID, Name: r.Name, VNetID: jsonobj.Ref(b, "virtualNetwork"),
			Registration: jsonobj.BoolOr(b, "registrationEnabled", false), ResolutionPolicy: jsonobj.Str(b, "resolutionPolicy")})
	}
	return "", true
}
