package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// avnmName is the network manager holding exported admin rules.
const avnmName = "pathproof-avnm"

// adminRulesOut writes admin rules as Virtual Network Manager resources:
// one security admin configuration per design configuration, one rule
// collection per set of VNets a rule applies to, whose network group has
// those VNets as static members.
func (e *exporter) adminRulesOut() {
	if len(e.n.AdminRules) == 0 {
		return
	}
	nm := e.idOf("", "networkManagers", avnmName)
	e.add(nm, avnmName, "Microsoft.Network/networkManagers", map[string]any{}, nil)
	configs := map[string]bool{}
	collections := map[string]string{} // config + vnet set → collection id
	n := 0
	for _, a := range e.n.AdminRules {
		cfg := nm + "/securityAdminConfigurations/" + a.Configuration
		if !configs[cfg] {
			configs[cfg] = true
			e.add(cfg, a.Configuration, "Microsoft.Network/networkManagers/securityAdminConfigurations", map[string]any{}, nil)
		}
		vnets := e.adminRuleVNets(a)
		k := cfg + "\x00" + strings.Join(vnets, ",")
		rc, ok := collections[k]
		if !ok {
			n++
			group := fmt.Sprintf("%s/networkGroups/group%d", nm, n)
			e.add(group, fmt.Sprintf("group%d", n), "Microsoft.Network/networkManagers/networkGroups", map[string]any{"memberType": "VirtualNetwork"}, nil)
			for _, v := range vnets {
				name := arm.LastSegment(v)
				e.add(group+"/staticMembers/"+name, name, "Microsoft.Network/networkManagers/networkGroups/staticMembers", map[string]any{"resourceId": v}, nil)
			}
			rc = fmt.Sprintf("%s/ruleCollections/collection%d", cfg, n)
			e.add(rc, fmt.Sprintf("collection%d", n), "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
				map[string]any{"appliesToGroups": []any{map[string]any{"networkGroupId": group}}}, nil)
			collections[k] = rc
		}
		proto := a.Protocol
		if proto == "*" || proto == "" {
			proto = "Any"
		}
		r := e.add(rc+"/rules/"+a.Name, a.Name, "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules", map[string]any{
			"priority": a.Priority, "direction": a.Direction, "access": a.Action, "protocol": proto,
			"sources": addressItems(a.Source), "destinations": addressItems(a.Destination),
			"sourcePortRanges": list(a.SourcePorts), "destinationPortRanges": list(a.DestinationPorts)}, nil)
		r["kind"] = "Custom"
	}
}

// addressItems writes admin rule addresses: CIDRs and IPs as IPPrefix,
// the rest ('*', service tags) as ServiceTag.
func addressItems(entries []string) []any {
	out := make([]any, 0, len(entries))
	for _, s := range entries {
		out = append(out, map[string]any{"addressPrefix": s, "addressPrefixType": addressType(s)})
	}
	return out
}

// addressType is an admin rule address's type: IPPrefix for CIDRs and IPs,
// ServiceTag for the rest ('*', service tags).
func addressType(s string) string {
	if strings.ContainsAny(s, ".:") {
		return "IPPrefix"
	}
	return "ServiceTag"
}

// adminRuleVNets returns the ids of the VNets admin rule a applies to,
// sorted (names not in the network are kept as written).
func (e *exporter) adminRuleVNets(a *topology.AdminRule) []string {
	var vnets []string
	for _, v := range a.AppliesToVNets {
		if x := e.n.VNet(v); x != nil {
			vnets = append(vnets, e.vnetID(x))
		} else {
			vnets = append(vnets, v)
		}
	}
	sort.Strings(vnets)
	return vnets
}
