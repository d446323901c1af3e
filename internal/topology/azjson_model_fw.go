package topology

import (
	"sort"
	"strings"
)

// classicPolicySuffix names the policy pathproof makes from a classic
// firewall's inline rule collections: "<firewall>-classic".
const classicPolicySuffix = "-classic"

// classicGroup is the one rule collection group holding classic rules.
const classicGroup = "classic"

func (m *azMapper) policies() {
	rcgs := map[string][]*azRCG{}
	for _, g := range m.s.RCGs {
		k := azIDKey(g.PolicyID)
		rcgs[k] = append(rcgs[k], g)
	}
	seen := map[string]bool{}
	for _, p := range m.s.Policies {
		k := azIDKey(p.ID)
		seen[k] = true
		np := &FirewallPolicy{Src: src(p.azSrc), Name: p.Name, ID: p.ID, Parent: p.BasePolicyID, ThreatIntelMode: p.ThreatIntelMode,
			DNSProxy: p.DNSProxy, SNATPrivateRanges: p.SNATPrivateRanges, DNSRecords: m.dnsRecords(p.azSrc, p.Tags[tagDNSRecords]),
			ThreatIntelIPs: splitList(p.Tags[tagThreatIntelIPs]), ThreatIntelAllowlist: p.Allowlist}
		groups := rcgs[k]
		sort.SliceStable(groups, func(i, j int) bool { return groups[i].Priority < groups[j].Priority })
		for _, g := range groups {
			ng := &RuleCollectionGroup{Src: src(g.azSrc), Name: g.Name, ID: g.ID, Priority: g.Priority}
			for _, c := range g.Collections {
				ng.RuleCollections = append(ng.RuleCollections, toRuleCollection(c))
			}
			np.RuleCollectionGroups = append(np.RuleCollectionGroups, ng)
		}
		if len(groups) == 0 && len(p.RCGIDs) > 0 {
			m.notef(p.azSrc, "firewall policy %q references %d rule collection groups but none are in the inputs (list them with 'az network firewall policy rule-collection-group list')", p.Name, len(p.RCGIDs))
		}
		m.net.FirewallPolicies = append(m.net.FirewallPolicies, np)
	}
	for _, g := range m.s.RCGs {
		if !seen[azIDKey(g.PolicyID)] {
			m.errf(g.azSrc, "rule collection group %q: its firewall policy %s is not in the inputs", g.Name, orNone(g.PolicyID))
			seen[azIDKey(g.PolicyID)] = true
		}
	}
}

func toRuleCollection(c *azRuleCollection) *RuleCollection {
	rc := &RuleCollection{Name: c.Name, Type: c.Type, Priority: c.Priority, Action: c.Action}
	for _, r := range c.Rules {
		rc.Rules = append(rc.Rules, &FirewallRule{Name: r.Name, Protocols: r.Protocols, SourceAddresses: r.SourceAddresses,
			SourceIPGroups: r.SourceIPGroups, DestinationAddresses: r.DestinationAddresses, DestinationIPGroups: r.DestinationIPGroups,
			DestinationFQDNs: r.DestinationFQDNs, DestinationPorts: r.DestinationPorts, TargetFQDNs: r.TargetFQDNs,
			FQDNTags: r.FQDNTags, TranslatedAddress: r.TranslatedAddress, TranslatedFQDN: r.TranslatedFQDN, TranslatedPort: r.TranslatedPort})
	}
	return rc
}

// dnsRecords reads the "fqdn=ip,..." tag pathproof's exporter writes.
func (m *azMapper) dnsRecords(a azSrc, tag string) []DNSRecord {
	var out []DNSRecord
	for _, kv := range splitList(tag) {
		f, ip, ok := strings.Cut(kv, "=")
		if !ok {
			m.errf(a, "tag %s: %q is not fqdn=ip", tagDNSRecords, kv)
			continue
		}
		out = append(out, DNSRecord{FQDN: f, IP: m.addr(a, "DNS record address", ip)})
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

func (m *azMapper) firewalls() {
	for _, f := range m.s.Firewalls {
		if strings.EqualFold(f.SkuName, "AZFW_Hub") {
			m.notef(f.azSrc, "secured-hub firewall %q skipped: Virtual WAN hubs are not modelled (its policy is still read)", f.Name)
			continue
		}
		nf := &Firewall{Src: src(f.azSrc), Name: f.Name, ID: f.ID, Subnet: f.SubnetID, Policy: f.PolicyID, ThreatIntelMode: f.ThreatIntelMode}
		nf.PrivateIP = m.addr(f.azSrc, "firewall private IP", f.PrivateIP)
		for _, id := range f.PublicIPIDs {
			if ip := m.publicIP(f.azSrc, id); ip.IsValid() {
				nf.PublicIPs = append(nf.PublicIPs, ip)
			}
		}
		for _, s := range f.PublicIPs {
			if ip := m.addr(f.azSrc, "firewall public IP", s); ip.IsValid() {
				nf.PublicIPs = append(nf.PublicIPs, ip)
			}
		}
		if f.MgmtSubnetID != "" {
			nf.ManagementNIC = true
			if f.MgmtPublicIPID != "" {
				nf.ManagementPublicIP = m.publicIP(f.azSrc, f.MgmtPublicIPID)
			}
		}
		if f.PolicyID == "" && (len(f.Classic) > 0 || f.Tags[tagClassicPolicy] != "") {
			name := f.Tags[tagClassicPolicy]
			if name == "" {
				name = f.Name + classicPolicySuffix
			}
			p := &FirewallPolicy{Src: src(f.azSrc), Name: name, Classic: true, ThreatIntelMode: f.ThreatIntelMode, SNATPrivateRanges: f.ClassicSNAT}
			if f.DNSProxy != nil {
				p.DNSProxy = *f.DNSProxy
			}
			g := &RuleCollectionGroup{Src: src(f.azSrc), Name: classicGroup, Priority: 100}
			for _, c := range f.Classic {
				g.RuleCollections = append(g.RuleCollections, toRuleCollection(c))
			}
			p.RuleCollectionGroups = []*RuleCollectionGroup{g}
			m.net.FirewallPolicies = append(m.net.FirewallPolicies, p)
			nf.Policy = name
		}
		m.net.Firewalls = append(m.net.Firewalls, nf)
	}
}

func (m *azMapper) ipGroups() {
	for _, g := range m.s.IPGroups {
		m.net.IPGroups = append(m.net.IPGroups, &IPGroup{Src: src(g.azSrc), Name: g.Name, ID: g.ID, Addresses: g.Addresses})
	}
}

func (m *azMapper) gateways() {
	for _, g := range m.s.Gateways {
		ng := &Gateway{Src: src(g.azSrc), Name: g.Name, ID: g.ID, Type: g.Type, SKU: g.SKU, ActiveActive: g.ActiveActive,
			BGP: BGP{Enabled: g.BGP, ASN: uint32(max(g.ASN, 0)), RouteTranslationForNAT: g.RouteTranslationForNAT}}
		ng.BGP.PeeringAddress = m.addr(g.azSrc, "BGP peering address", g.BGPPeeringAddress)
		if g.SubnetID != "" {
			ng.VNet = ParseAzureID(g.SubnetID).Parent().Raw
			if ng.VNet == "" {
				m.errf(g.azSrc, "gateway %q: subnet id %q does not name a virtual network", g.Name, g.SubnetID)
			}
		} else {
			m.errf(g.azSrc, "gateway %q has no GatewaySubnet ipConfiguration", g.Name)
		}
		if len(g.PublicIPIDs) > 0 {
			ng.PublicIP = m.publicIP(g.azSrc, g.PublicIPIDs[0])
		}
		for _, s := range splitList(g.Tags[tagInstanceIPs]) {
			if ip := m.addr(g.azSrc, "instance IP", s); ip.IsValid() {
				ng.InstanceIPs = append(ng.InstanceIPs, ip)
			}
		}
		for _, r := range g.NATRules {
			ng.NATRules = append(ng.NATRules, &GatewayNATRule{Name: r.Name, ID: r.ID, Mode: r.Mode, Type: r.Type,
				Internal: m.prefixes(g.azSrc, "NAT rule mapping", r.Internal), External: m.prefixes(g.azSrc, "NAT rule mapping", r.External)})
		}
		m.net.Gateways = append(m.net.Gateways, ng)
	}
}

func (m *azMapper) onPrem() {
	lgs := map[string]*azLocalGateway{}
	for _, l := range m.s.LocalGateways {
		lgs[azIDKey(l.ID)] = l
		site := &OnPremSite{Src: src(l.azSrc), Name: l.Name, ID: l.ID, Prefixes: m.prefixes(l.azSrc, "local network address space", l.Prefixes),
			DefaultRouteToInternet: l.Tags[tagDefaultInternet] == "true"}
		for _, kv := range splitList(l.Tags[tagHosts]) {
			n, ip, ok := strings.Cut(kv, "=")
			if !ok {
				m.errf(l.azSrc, "tag %s: %q is not name=ip", tagHosts, kv)
				continue
			}
			site.Hosts = append(site.Hosts, &Host{Name: n, IP: m.addr(l.azSrc, "host address", ip)})
		}
		m.net.OnPremSites = append(m.net.OnPremSites, site)
	}
	for _, c := range m.s.Connections {
		nc := &Connection{Src: src(c.azSrc), Name: c.Name, ID: c.ID, Gateway: c.Gateway1ID, Type: c.Type}
		switch {
		case c.LocalGatewayID != "":
			nc.Remote = c.LocalGatewayID
		case c.Gateway2ID != "":
			nc.Remote = c.Gateway2ID
		}
		if t, ok := c.Tags[tagLearned]; ok {
			nc.LearnedPrefixes = m.prefixes(c.azSrc, "learned prefix", splitList(t))
		} else if l := lgs[azIDKey(c.LocalGatewayID)]; l != nil {
			// Without BGP data, a site-to-site connection learns the
			// local network gateway's address space (static routing).
			nc.LearnedPrefixes = m.prefixes(l.azSrc, "local network address space", l.Prefixes)
		}
		for _, id := range append(append([]string(nil), c.IngressNATIDs...), c.EgressNATIDs...) {
			nc.NATRules = append(nc.NATRules, ParseAzureID(id).Name())
		}
		if c.Gateway1ID == "" {
			m.errf(c.azSrc, "connection %q has no virtualNetworkGateway1", c.Name)
		}
		if c.Status != "" && !strings.EqualFold(c.Status, "Connected") {
			m.notef(c.azSrc, "connection %q is %s in the export; pathproof treats it as connected (the model has no connection state)", c.Name, c.Status)
		}
		m.net.Connections = append(m.net.Connections, nc)
	}
}
