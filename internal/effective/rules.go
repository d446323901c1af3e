package effective

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"go4.org/netipx"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/azjson"
)

// scopeOf maps Azure's association kind to pathproof's group scope.
var scopeOf = map[string]string{"networkInterface": azure.ScopeNIC, "subnet": azure.ScopeSubnet, "networkManager": azure.ScopeAdmin}

// rule is one effective security rule reduced to what both sides state.
type rule struct {
	name, direction, access, protocol string
	priority                          int
	srcPorts, dstPorts                []string
	src, dst                          []string // expanded prefixes, or the prefixes when not expanded
}

func (r rule) key() string { return strings.ToLower(r.direction + " " + r.name) }

func (r rule) value() string {
	return fmt.Sprintf("%d %s %s src %s:%s dst %s:%s", r.priority, r.access, r.protocol,
		strings.Join(r.src, ","), strings.Join(r.srcPorts, ","), strings.Join(r.dst, ","), strings.Join(r.dstPorts, ","))
}

// Rules compares the NIC's effective security rules pathproof computes on
// e with body, Azure's effective network security groups of the NIC.
// Groups match by scope (NIC, subnet, Virtual Network Manager), rules by
// direction and name; a matched pair differs when priority, access,
// protocol, ports or expanded prefixes differ. Expansions are compared
// as address sets, except for rules naming the Internet tag (Azure's is a
// dated list, docs/azure-semantics.md §4) or a service tag pathproof was
// not given (--service-tags).
func Rules(e *azure.Engine, nic *topology.NIC, body []byte) (*Result, error) {
	w, err := decode(body, "effective-nsg")
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: "rules", NIC: nic.Name, NICID: nic.ID, Findings: []Finding{}}
	mine := map[string]azure.EffectiveGroup{}
	for _, g := range e.EffectiveRules(nic) {
		mine[g.Scope] = g
		res.Pathproof += len(g.Rules)
	}
	skipped := map[string]bool{}
	v6 := nic.IP.Is6()
	for _, a := range nic.AdditionalIPs {
		v6 = v6 || a.Is6()
	}
	if !v6 {
		res.Notes = append(res.Notes, "IPv6 prefixes not compared (the NIC has no IPv6 address)")
	}
	for _, ag := range w.NSGs {
		res.Azure += len(ag.Rules)
		scope := scopeOf[ag.AssociationKind]
		nsg := arm.LastSegment(ag.NSGID)
		g, ok := mine[scope]
		if !ok {
			res.add(CodeNSGMissing, scope+" "+nsg, fmt.Sprintf("%d rules", len(ag.Rules)), "", fmt.Sprintf("Azure applies %s at the %s (%d rules); pathproof applies none there", nsg, scope, len(ag.Rules)))
			continue
		}
		delete(mine, scope)
		compareGroup(res, scope+" "+g.Name, ag, g, skipped, v6)
	}
	for scope, g := range mine {
		res.add(CodeNSGExtra, scope+" "+g.Name, "", fmt.Sprintf("%d rules", len(g.Rules)), fmt.Sprintf("pathproof applies %s at the %s (%d rules); Azure applies none there", g.Name, scope, len(g.Rules)))
	}
	for tag := range skipped {
		res.Notes = append(res.Notes, fmt.Sprintf("expansions of rules naming %s not compared", tag))
	}
	slices.Sort(res.Notes)
	sortFindings(res.Findings)
	return res, nil
}

func compareGroup(res *Result, group string, ag azjson.WatcherNSG, g azure.EffectiveGroup, skipped map[string]bool, v6 bool) {
	pp := map[string]azure.EffectiveRule{}
	for _, r := range g.Rules {
		pp[strings.ToLower(r.Direction+" "+r.Name)] = r
	}
	for _, ar := range ag.Rules {
		a := rule{name: ar.Name, direction: ar.Direction, access: ar.Access, protocol: normProto(ar.Protocol), priority: ar.Priority,
			srcPorts: normPorts(ar.SourcePorts), dstPorts: normPorts(ar.DestinationPorts)}
		what := group + " " + a.direction + " " + a.name
		r, ok := pp[a.key()]
		if !ok {
			res.add(CodeRuleMissing, what, fmt.Sprintf("%d %s %s", a.priority, a.access, a.protocol), "", fmt.Sprintf("Azure lists rule %s; pathproof does not", what))
			continue
		}
		delete(pp, a.key())
		p := rule{name: r.Name, direction: r.Direction, access: r.Access, protocol: normProto(r.Protocol), priority: r.Priority,
			srcPorts: normPorts(r.SourcePorts), dstPorts: normPorts(r.DestinationPorts)}
		a.src, p.src = sides(ar.ExpandedSources, ar.SourcePrefixes, r.ExpandedSource, r.Source, skipped, v6)
		a.dst, p.dst = sides(ar.ExpandedDestinations, ar.DestinationPrefixes, r.ExpandedDestination, r.Destination, skipped, v6)
		if a.value() == p.value() {
			res.Agree++
			continue
		}
		res.add(CodeRuleDiffers, what, a.value(), p.value(), fmt.Sprintf("rule %s: Azure says %s, pathproof %s", what, a.value(), p.value()))
	}
	for _, r := range pp {
		what := group + " " + r.Direction + " " + r.Name
		res.add(CodeRuleExtra, what, "", fmt.Sprintf("%d %s %s", r.Priority, r.Access, normProto(r.Protocol)), fmt.Sprintf("pathproof lists rule %s; Azure does not", what))
	}
}

// sides returns the two sides' address sets for comparison, written the
// same way; both are "not compared" when a side names the Internet tag or
// holds a tag pathproof could not expand.
func sides(azExp, azRaw, ppExp, ppRaw []string, skipped map[string]bool, v6 bool) (az, pp []string) {
	for _, raw := range [][]string{azRaw, ppRaw} {
		for _, p := range raw {
			if strings.EqualFold(p, "Internet") {
				skipped["the Internet tag"] = true
				return []string{"(Internet)"}, []string{"(Internet)"}
			}
		}
	}
	for _, p := range ppExp {
		if strings.HasPrefix(p, "unknown:") {
			skipped[strings.TrimPrefix(p, "unknown:")+" (service tags not given: --service-tags)"] = true
			return []string{"(" + p + ")"}, []string{"(" + p + ")"}
		}
	}
	if len(azExp) == 0 {
		azExp = azRaw
	}
	return addrSet(azExp, v6), addrSet(ppExp, v6)
}

// addrSet writes prefixes as the minimal list of CIDRs covering them
// (IPv6 ones only when v6); "*" is every address. Tokens that are no
// address stay as they are.
func addrSet(in []string, v6 bool) []string {
	var b netipx.IPSetBuilder
	var other []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		switch {
		case s == "*" || strings.EqualFold(s, "any"):
			b.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
		case strings.Contains(s, "/"):
			if p, err := netip.ParsePrefix(s); err == nil {
				if v6 || p.Addr().Is4() {
					b.AddPrefix(p.Masked())
				}
				continue
			}
			other = append(other, s)
		default:
			if a, err := netip.ParseAddr(s); err == nil {
				if v6 || a.Is4() {
					b.Add(a)
				}
				continue
			}
			other = append(other, s)
		}
	}
	set, _ := b.IPSet()
	var out []string
	for _, p := range set.Prefixes() {
		out = append(out, p.String())
	}
	slices.Sort(other)
	return append(out, slices.Compact(other)...)
}

// normPorts writes port ranges as Azure's effective rules do: lo-hi,
// "*" as 0-65535, sorted.
func normPorts(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		switch {
		case s == "*" || s == "":
			s = "0-65535"
		case !strings.Contains(s, "-"):
			if _, err := strconv.Atoi(s); err == nil {
				s = s + "-" + s
			}
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// normProto: Azure says All where an NSG says *.
func normProto(p string) string {
	if p == "*" || strings.EqualFold(p, "all") || p == "" {
		return "All"
	}
	return strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
}
