package azjson

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// Azure Virtual Network Manager resources that carry security admin rules.
const (
	tNetworkManager = "microsoft.network/networkmanagers"
	tNetworkGroup   = "microsoft.network/networkmanagers/networkgroups"
	tStaticMember   = "microsoft.network/networkmanagers/networkgroups/staticmembers"
	tAdminConfig    = "microsoft.network/networkmanagers/securityadminconfigurations"
	tAdminRC        = "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections"
	tAdminRule      = "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules"
)

// addAVNM reads one Virtual Network Manager resource; false if r is not one.
func addAVNM(s *armset.Set, file string, r Resource) (note string, ok bool) {
	b := r.Body
	src := srcOf(file, r)
	s.Manager()
	switch r.Type {
	case tNetworkManager, tAdminConfig, tNetworkGroup:
		// Containers: their children hold what matters.
	case tStaticMember:
		k := arm.IDKey(r.ID.Parent().Raw)
		s.AVNM.Members[k] = append(s.AVNM.Members[k], jsonobj.Str(b, "resourceId"))
	case tAdminRC:
		var groups []string
		for _, g := range jsonobj.Objs(b, "appliesToGroups") {
			groups = append(groups, jsonobj.Str(g, "networkGroupId"))
		}
		s.AVNM.Applies[arm.IDKey(r.ID.Raw)] = groups
	case tAdminRule:
		if len(r.ID.Names) < 4 {
			return "admin rule id does not name its configuration and rule collection; skipped", true
		}
		ar := &armset.AdminRule{Src: src, Name: r.Name, Configuration: r.ID.Names[1], CollectionID: r.ID.Parent().Raw,
			Direction: jsonobj.Str(b, "direction"), Access: jsonobj.Str(b, "access"), Protocol: jsonobj.Str(b, "protocol"),
			SourcePorts: jsonobj.Strs(b, "sourcePortRanges"), DestinationPorts: jsonobj.Strs(b, "destinationPortRanges")}
		ar.Priority, _ = jsonobj.Int(b, "priority")
		if strings.EqualFold(ar.Protocol, "Any") {
			ar.Protocol = "*"
		}
		for _, side := range []struct {
			key string
			out *[]string
		}{{"sources", &ar.Sources}, {"destinations", &ar.Destinations}} {
			for _, a := range jsonobj.Objs(b, side.key) {
				if strings.EqualFold(jsonobj.Str(a, "addressPrefixType"), "NetworkGroup") {
					note = "network group address prefixes are not modelled; that entry is ignored"
					continue
				}
				*side.out = append(*side.out, jsonobj.Str(a, "addressPrefix"))
			}
		}
		s.AVNM.Rules = append(s.AVNM.Rules, ar)
		return note, true
	default:
		return "", false
	}
	return "", true
}
