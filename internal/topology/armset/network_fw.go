package armset

import (
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// classicGroup is the one rule collection group holding classic rules.
const classicGroup = "classic"

func (m *mapper) policies() {
	rcgs := map[string][]*RuleCollectionGroup{}
	for _, g := range m.s.RCGs {
		k := arm.IDKey(g.PolicyID)
		rcgs[k] = append(rcgs[k], g)
	}
	seen := map[string]bool{}
	for _, p := range m.s.Policies {
		k := arm.IDKey(p.ID)
		seen[k] = true
		np := &topology.FirewallPolicy{Src: source(p.Src), Name: p.Name, ID: p.ID, Parent: p.BasePolicyID, ThreatIntelMode: p.ThreatIntelMode,
			DNSProxy: p.DNSProxy, SNATPrivateRanges: p.SNATPrivateRanges, DNSRecords: m.dnsRecords(p.Src, p.Tags[arm.TagDNSRecords]),
			ThreatIntelIPs: splitList(p.Tags[arm.TagThreatIntelIPs]), ThreatIntelAllowlist: p.Allowlist}
		groups := rcgs[k]
		sort.SliceStable(groups, func(i, j int) bool { return groups[i].Priority < groups[j].Priority })
		for _, g := range groups {
			ng := &topology.RuleCollectionGroup{Src: source(g.Src), Name: g.Name, ID: g.ID, Priority: g.Priority}
			for _, c := range g.Collections {
				ng.RuleCollections = append(ng.RuleCollections, toRuleCollection(c))
			}
			np.RuleCollectionGroups = append(np.RuleCollectionGroups, ng)
		}
		if len(groups) == 0 && len(p.RCGIDs) > 0 {
			m.notef(p.Src, "firewall policy %q references %d rule collection groups but none are in the inputs (list them with 'az network firewall policy rule-collection-group list')", p.Name, len(p.RCGIDs))
		}
		m.net.FirewallPolicies = append(m.net.FirewallPolicies, np)
	}
	for _, g := range m.s.RCGs {
		if !seen[arm.IDKey(g.PolicyID)] {
			m.missf(g.Src, g.PolicyID, "rule collection group %q: its firewall policy %s is not in the inputs", g.Name, orNone(g.PolicyID))
			seen[arm.IDKey(g.PolicyID)] = true
		}
	}
}

func toRuleCollection(c *RuleCollection) *topology.RuleCollection {
	rc := &topology.RuleCollection{Name: c.Name, Type: c.Type, Priority: c.Priority, Action: c.Action}
	for _, r := range c.Rules {
		rc.Rules = append(rc.Rules, &topology.FirewallRule{Name: r.Name, Protocols: r.Protocols, SourceAddresses: r.SourceAddresses,
			SourceIPGroups: r.SourceIPGroups, DestinationAddresses: r.DestinationAddresses, DestinationIPGroups: r.DestinationIPGroups,
			DestinationFQDNs: r.DestinationFQDNs, DestinationPorts: r.DestinationPorts, TargetFQDNs: r.TargetFQDNs,
			FQDNTags: r.FQDNTags, TranslatedAddress: r.TranslatedAddress, TranslatedFQDN: r.TranslatedFQDN, TranslatedPort: r.TranslatedPort})
	}
	return rc
}

// dnsRecords reads the "fqdn=ip,..." tag pathproof's exporter writes.
func (m *mapper) dnsRecords(a Src, tag string) []topology.DNSRecord {
	var out []topology.DNSRecord
	for _, kv := range splitList(tag) {
		f, ip, ok := strings.Cut(kv, "=")
		if !ok {
			m.errf(a, "tag %s: %q is not fqdn=ip", arm.TagDNSRecords, kv)
			continue
		}
		out = append(out, topology.DNSRecord{FQDN: f, IP: m.addr(a, "DNS record address", ip)})
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (m *mapper) firewalls() {
	for _, f := range m.s.Firewalls {
		nf := &topology.Firewall{Src: source(f.Src), Name: f.Name, ID: f.ID, Subnet: f.SubnetID, Policy: f.PolicyID, ThreatIntelMode: f.ThreatIntelMode, Hub: f.HubID}
		if strings.EqualFold(f.SkuName, "AZFW_Hub") && f.HubID == "" {
			m.notef(f.Src, "secured-hub firewall %q names no virtual hub; skipped (its policy is still read)", f.Name)
			continue
		}
		nf.PrivateIP = m.addr(f.Src, "firewall private IP", f.PrivateIP)
		for _, id := range f.PublicIPIDs {
			if ip := m.publicIP(f.Src, id); ip.IsValid() {
				nf.PublicIPs = append(nf.PublicIPs, ip)
			}
		}
		for _, s := range f.PublicIPs {
			if ip := m.addr(f.Src, "firewall public IP", s); ip.IsValid() {
				nf.PublicIPs = append(nf.PublicIPs, ip)
			}
		}
		if f.MgmtSubnetID != "" {
			nf.ManagementNIC = true
			if f.MgmtPublicIPID != "" {
				nf.ManagementPublicIP = m.publicIP(f.Src, f.MgmtPublicIPID)
			}
		}
		if f.PolicyID == "" && (len(f.Classic) > 0 || f.Tags[arm.TagClassicPolicy] != "") {
			name := f.Tags[arm.TagClassicPolicy]
			if name == "" {
				name = f.Name + arm.ClassicPolicySuffix
			}
			p := &topology.FirewallPolicy{Src: source(f.Src), Name: name, Classic: true, ThreatIntelMode: f.ThreatIntelMode, SNATPrivateRanges: f.ClassicSNAT}
			if f.DNSProxy != nil {
				p.DNSProxy = *f.DNSProxy
			}
			g := &topology.RuleCollectionGroup{Src: source(f.Src), Name: classicGroup, Priority: 100}
			for _, c := range f.Classic {
				g.RuleCollections = append(g.RuleCollections, toRuleCollection(c))
			}
			p.RuleCollectionGroups = []*topology.RuleCollectionGroup{g}
			m.net.FirewallPolicies = append(m.net.FirewallPolicies, p)
			nf.Policy = name
		}
		m.net.Firewalls = append(m.net.Firewalls, nf)
	}
}

func (m *mapper) ipGroups() {
	for _, g := range m.s.IPGroups {
		m.net.IPGroups = append(m.net.IPGroups, &topology.IPGroup{Src: source(g.Src), Name: g.Name, ID: g.ID, Addresses: g.Addresses})
	}
}

func (m *mapper) gateways() {
	for _, g := range m.s.Gateways {
		ng := &topology.Gateway{Src: source(g.Src), Name: g.Name, ID: g.ID, Type: g.Type, SKU: g.SKU, ActiveActive: g.ActiveActive,
			BGP: topology.BGP{Enabled: g.BGP, ASN: uint32(max(g.ASN, 0)), RouteTranslationForNAT: g.RouteTranslationForNAT}}
		ng.BGP.PeeringAddress = m.addr(g.Src, "BGP peering address", g.BGPPeeringAddress)
		if g.SubnetID != "" {
			ng.VNet = arm.ParseID(g.SubnetID).Parent().Raw
			if ng.VNet == "" {
				m.errf(g.Src, "gateway %q: subnet id %q does not name a virtual network", g.Name, g.SubnetID)
			}
		} else {
			m.errf(g.Src, "gateway %q has no GatewaySubnet ipConfiguration", g.Name)
		}
		if len(g.PublicIPIDs) > 0 {
			ng.PublicIP = m.publicIP(g.Src, g.PublicIPIDs[0])
		}
		for _, s := range splitList(g.Tags[arm.TagInstanceIPs]) {
			if ip := m.addr(g.Src, "instance IP", s); ip.IsValid() {
				ng.InstanceIPs = append(ng.InstanceIPs, ip)
			}
		}
		for _, s := range splitList(g.Tags[arm.TagInstanceMACs]) {
			ng.InstanceMACs = append(ng.InstanceMACs, topology.NormalizeMAC(s))
		}
		for _, r := range g.NATRules {
			ng.NATRules = append(ng.NATRules, &topology.GatewayNATRule{Name: r.Name, ID: r.ID, Mode: r.Mode, Type: r.Type,
				Internal: m.prefixes(g.Src, "NAT rule mapping", r.Internal), External: m.prefixes(g.Src, "NAT rule mapping", r.External)})
		}
		m.net.Gateways = append(m.net.Gateways, ng)
	}
}

func (m *mapper) onPrem() {
	lgs := map[string]*LocalGateway{}
	for _, l := range m.s.LocalGateways {
		lgs[arm.IDKey(l.ID)] = l
		site := &topology.OnPremSite{Src: source(l.Src), Name: l.Name, ID: l.ID, Prefixes: m.prefixes(l.Src, "local network address space", l.Prefixes),
			DefaultRouteToInternet: l.Tags[arm.TagDefaultInternet] == "true"}
		for _, kv := range splitList(l.Tags[arm.TagHosts]) {
			n, ip, ok := strings.Cut(kv, "=")
			if !ok {
				m.errf(l.Src, "tag %s: %q is not name=ip", arm.TagHosts, kv)
				continue
			}
			site.Hosts = append(site.Hosts, &topology.Host{Name: n, IP: m.addr(l.Src, "host address", ip)})
		}
		m.net.OnPremSites = append(m.net.OnPremSites, site)
	}
	for _, c := range m.s.Connections {
		nc := &topology.Connection{Src: source(c.Src), Name: c.Name, ID: c.ID, Gateway: c.Gateway1ID, Type: c.Type}
		switch {
		case c.LocalGatewayID != "":
			nc.Remote = c.LocalGatewayID
		case c.Gateway2ID != "":
			nc.Remote = c.Gateway2ID
		}
		if t, ok := c.Tags[arm.TagLearned]; ok {
			nc.LearnedPrefixes = m.prefixes(c.Src, "learned prefix", splitList(t))
		} else if l := lgs[arm.IDKey(c.LocalGatewayID)]; l != nil {
			// Without BGP data, a site-to-site connection learns the
			// local network gateway's address space (static routing).
			nc.LearnedPrefixes = m.prefixes(l.Src, "local network address space", l.Prefixes)
		}
		for _, id := range append(append([]string(nil), c.IngressNATIDs...), c.EgressNATIDs...) {
			nc.NATRules = append(nc.NATRules, arm.ParseID(id).Name())
		}
		if c.Gateway1ID == "" {
			m.errf(c.Src, "connection %q has no virtualNetworkGateway1", c.Name)
		}
		if c.Status != "" && !strings.EqualFold(c.Status, "Connected") {
			m.notef(c.Src, "connection %q is %s in the export; pathproof treats it as connected (the model has no connection state)", c.Name, c.Status)
		}
		m.net.Connections = append(m.net.Connections, nc)
	}
}
