package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Name resolution as a VM sees it (docs/azure-semantics.md §11, Microsoft:
// "Azure Private Endpoint DNS configuration" and "What is a virtual network
// link?"). A VNet without custom DNS servers asks Azure DNS
// (168.63.129.16), which answers from the private zones linked to the VNet
// first: a linked zone that holds the name (the longest such zone) answers,
// and one that lacks the record answers NXDOMAIN unless its link falls back
// to the Internet (resolution policy NxDomainRedirect). Other names resolve
// publicly; a PaaS resource with a private endpoint has a public CNAME from
// its name to its privatelink name, which is looked up again (so a linked
// privatelink zone answers with the endpoint's address). A VNet with custom
// DNS servers gets whatever they answer: Azure DNS from another VNet when
// they forward there (a declared forwarder, or an Azure Firewall with DNS
// proxy), the public answer when they forward to the Internet, and
// otherwise an unknown answer: pathproof does not guess. A NIC with DNS
// servers of its own asks them instead of its VNet's (ResolveFromNIC).

// DNS answer results.
const (
	DNSPrivate  = "private"
	DNSPublic   = "public"
	DNSNXDomain = "nxdomain"
	DNSUnknown  = "unknown"
)

// DNS step sources.
const (
	DNSFromPrivateZone = "private-zone"
	DNSFromPublic      = "public"
)

// maxDNSSteps bounds a CNAME chain (resolvers stop long before loops).
const maxDNSSteps = 8

// DNSAnswer is a name resolved as a VM in a VNet would resolve it.
type DNSAnswer struct {
	// Name is the name asked, canonical (lower case, no trailing dot).
	Name string `json:"name"`
	// Result is private (the last A record came from a private zone),
	// public, nxdomain or unknown.
	Result string `json:"result"`
	// Addresses are the final A record's addresses; empty when the answer
	// is NXDOMAIN, unknown, or public without a known address.
	Addresses []netip.Addr `json:"addresses"`
	// VNet is the VNet whose view answered (the source's, or the VNet a
	// custom server forwards from); empty for a public resolver.
	VNet string `json:"vnet,omitempty"`
	// Server is who answered the VM: "Azure DNS (168.63.129.16)", a custom
	// server's address and what it is, ", set on NIC n" when the servers
	// are the source NIC's own.
	Server string `json:"server"`
	// ServersFrom is "nic:NAME" when the source NIC's own DNS servers were
	// asked instead of its VNet's; empty when the VNet's were.
	ServersFrom string `json:"servers_from,omitempty"`
	// Chain lists every record on the way, in order.
	Chain []DNSStep `json:"chain"`
	// Why says in one line why the answer is what it is.
	Why string `json:"why"`
	// Assumptions are choices the answer depends on.
	Assumptions []string `json:"assumptions,omitempty"`
}

// DNSStep is one record of the chain.
type DNSStep struct {
	Name string `json:"name"`
	// Type is A, CNAME or NXDOMAIN.
	Type string `json:"type"`
	// Target is a CNAME's target; Addresses an A record's.
	Target    string       `json:"target,omitempty"`
	Addresses []netip.Addr `json:"addresses,omitempty"`
	// Source is private-zone or public.
	Source string `json:"source"`
	// Zone and Link name the private zone and the VNet link that answered.
	Zone string `json:"zone,omitempty"`
	Link string `json:"link,omitempty"`
	// Why says why this record was the answer.
	Why string `json:"why"`
}

// Address returns the first address of a private or public answer.
func (a DNSAnswer) Address() (netip.Addr, bool) {
	if len(a.Addresses) == 0 {
		return netip.Addr{}, false
	}
	return a.Addresses[0], true
}

// privateLinkZones maps a PaaS public DNS suffix to the privatelink zone
// its private endpoints use (Microsoft: "Azure Private Endpoint private
// DNS zone values", commercial cloud).
var privateLinkZones = []struct{ public, zone string }{
	{"vault.azure.net", "privatelink.vaultcore.azure.net"},
	{"vaultcore.azure.net", "privatelink.vaultcore.azure.net"},
	{"blob.core.windows.net", "privatelink.blob.core.windows.net"},
	{"file.core.windows.net", "privatelink.file.core.windows.net"},
	{"queue.core.windows.net", "privatelink.queue.core.windows.net"},
	{"table.core.windows.net", "privatelink.table.core.windows.net"},
	{"dfs.core.windows.net", "privatelink.dfs.core.windows.net"},
	{"web.core.windows.net", "privatelink.web.core.windows.net"},
	{"database.windows.net", "privatelink.database.windows.net"},
	{"documents.azure.com", "privatelink.documents.azure.com"},
	{"azurecr.io", "privatelink.azurecr.io"},
	{"servicebus.windows.net", "privatelink.servicebus.windows.net"},
	{"azurewebsites.net", "privatelink.azurewebsites.net"},
	{"azconfig.io", "privatelink.azconfig.io"},
	{"cognitiveservices.azure.com", "privatelink.cognitiveservices.azure.com"},
	{"openai.azure.com", "privatelink.openai.azure.com"},
	{"postgres.database.azure.com", "privatelink.postgres.database.azure.com"},
	{"mysql.database.azure.com", "privatelink.mysql.database.azure.com"},
	{"redis.cache.windows.net", "privatelink.redis.cache.windows.net"},
	{"search.windows.net", "privatelink.search.windows.net"},
}

// PrivateLinkName returns the privatelink name a PaaS public name is a
// CNAME to when the resource has a private endpoint
// (kv-contoso.vault.azure.net → kv-contoso.privatelink.vaultcore.azure.net).
func PrivateLinkName(name string) (string, bool) {
	name = topology.CanonicalName(name)
	for _, p := range privateLinkZones {
		if label, ok := strings.CutSuffix(name, "."+p.public); ok && label != "" && !strings.HasPrefix(label, "privatelink.") {
			return label + "." + p.zone, true
		}
	}
	return "", false
}

// isPrivateLinkName reports whether name lies in a privatelink zone.
func isPrivateLinkName(name string) bool {
	for _, p := range privateLinkZones {
		if strings.HasSuffix(name, "."+p.zone) {
			return true
		}
	}
	return false
}

// ResolveFromNIC resolves name as the VM behind nic would: through the
// NIC's own DNS servers when it has any, else through those of its VNet v.
// A NIC's setting overrides its VNet's (Microsoft, "Name resolution for
// resources in Azure virtual networks", Specify DNS servers: "DNS servers
// specified for a network interface or cloud service get precedence over
// DNS servers specified for the virtual network"; "Manage a network
// interface", Change DNS servers: "The DNS server address you specify is
// assigned only to this network interface and overrides any DNS setting
// for the virtual network the network interface is assigned to").
func (e *Engine) ResolveFromNIC(nic *topology.NIC, v *topology.VNet, name string) DNSAnswer {
	if nic == nil || len(nic.DNSServers) == 0 {
		return e.resolveWith(v, v.DNSServers, "VNet "+v.Name, name)
	}
	a := e.resolveWith(v, nic.DNSServers, "NIC "+nic.Name, name)
	a.ServersFrom = "nic:" + nic.Name
	a.Server += ", set on NIC " + nic.Name
	return a
}

// resolveWith resolves name as a VM in VNet v would when it asks servers
// (empty: Azure DNS); origin names whose setting servers are ("VNet hub",
// "NIC vm1-nic") for the answer's reasons.
func (e *Engine) resolveWith(v *topology.VNet, servers []netip.Addr, origin, name string) DNSAnswer {
	a := DNSAnswer{Name: topology.CanonicalName(name), Chain: []DNSStep{}, Addresses: []netip.Addr{}}
	if len(servers) == 0 || servers[0] == topology.AzureDNS {
		a.Server = "Azure DNS (168.63.129.16)"
		e.resolveAzure(&a, v)
		return a
	}
	s := servers[0]
	if len(servers) > 1 {
		a.Assumptions = append(a.Assumptions, fmt.Sprintf("%s lists %d DNS servers; VMs ask the first (%s) and the others only when it does not answer", origin, len(servers), s))
	}
	if fw := e.firewallAt(s); fw != nil {
		pol := e.FirewallPolicyOf(fw)
		if pol != nil && pol.DNSProxy {
			a.Server = fmt.Sprintf("%s (Azure Firewall %s, DNS proxy)", s, fw.Name)
			a.Assumptions = append(a.Assumptions, fmt.Sprintf("firewall %s's DNS proxy forwards to Azure DNS (the policy's custom DNS servers are not modelled)", fw.Name))
			if fv := fw.SubnetRef(); fv != nil && fv.VNet() != nil {
				e.resolveAzure(&a, fv.VNet())
				return a
			}
		}
		a.Server = fmt.Sprintf("%s (Azure Firewall %s)", s, fw.Name)
		a.Result = DNSUnknown
		a.Why = fmt.Sprintf("%s uses firewall %s (%s) as DNS server but its policy does not enable DNS proxy: the queries are not answered", origin, fw.Name, s)
		return a
	}
	if f := e.Net.DNSForwarderAt(s); f != nil {
		a.Server = fmt.Sprintf("%s (custom DNS server %s, forwards to %s)", s, orName(f.Name, s.String()), f.ForwardsTo)
		if strings.EqualFold(f.ForwardsTo, topology.ForwardsToPublic) {
			a.Why = fmt.Sprintf("%s uses custom DNS server %s, which forwards to a public resolver: no private zone answers", origin, s)
			e.resolvePublic(&a)
			return a
		}
		if fv := e.forwarderVNet(f); fv != nil {
			e.resolveAzure(&a, fv)
			return a
		}
		a.Result = DNSUnknown
		a.Why = fmt.Sprintf("custom DNS server %s forwards to Azure DNS, but from which VNet is unknown (give the forwarder a vnet, or a NIC owning %s)", s, s)
		return a
	}
	a.Server = fmt.Sprintf("%s (custom DNS server)", s)
	a.Result = DNSUnknown
	a.Why = fmt.Sprintf("%s uses custom DNS server %s; what it forwards to is not in the inputs, so the answer is unknown (declare it under dns_forwarders: forwards_to azure or public)", origin, s)
	return a
}

// ResolvePublic resolves name as a public resolver would (a client on the
// Internet, or a custom server forwarding to one): no private zone answers.
func (e *Engine) ResolvePublic(name string) DNSAnswer {
	a := DNSAnswer{Name: topology.CanonicalName(name), Chain: []DNSStep{}, Addresses: []netip.Addr{}, Server: "public DNS"}
	e.resolvePublic(&a)
	return a
}

func orName(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (e *Engine) firewallAt(ip netip.Addr) *topology.Firewall {
	if o, ok := e.Net.Owner(ip); ok && o.Kind == topology.OwnerFirewall {
		return o.Firewall
	}
	return nil
}

// forwarderVNet is the VNet a forwarder asks Azure DNS from: the one it
// names, else the VNet of the NIC that owns its address.
func (e *Engine) forwarderVNet(f *topology.DNSForwarder) *topology.VNet {
	if f.VNet != "" {
		return e.Net.VNet(f.VNet)
	}
	if o, ok := e.Net.Owner(f.IP); ok {
		if s := o.Subnet(); s != nil {
			return s.VNet()
		}
	}
	return nil
}

// linkedZone returns the longest private zone linked to v that holds name.
func (e *Engine) linkedZone(v *topology.VNet, name string) (topology.ZoneLink, bool) {
	var best topology.ZoneLink
	found := false
	for _, zl := range e.Net.LinkedZones(v) {
		if zl.Zone.Holds(name) && (!found || len(zl.Zone.Name) > len(best.Zone.Name)) {
			best, found = zl, true
		}
	}
	return best, found
}

// resolveAzure follows the chain through Azure DNS seen from v.
func (e *Engine) resolveAzure(a *DNSAnswer, v *topology.VNet) {
	a.VNet = v.Name
	name := a.Name
	for range maxDNSSteps {
		zl, ok := e.linkedZone(v, name)
		if !ok {
			if !e.publicStep(a, name, fmt.Sprintf("no private zone linked to VNet %s holds %s", v.Name, name), &name) {
				return
			}
			continue
		}
		z, l := zl.Zone, zl.Link
		rel := z.Relative(name)
		base := DNSStep{Name: name, Source: DNSFromPrivateZone, Zone: z.Name, Link: l.Name}
		if r := z.A(rel); r != nil {
			st := base
			st.Type, st.Addresses = "A", append([]netip.Addr{}, r.IPs...)
			st.Why = fmt.Sprintf("zone %s is linked to VNet %s (link %s) and has A record %s", z.Name, v.Name, l.Name, rel)
			a.Chain = append(a.Chain, st)
			a.Result, a.Addresses = DNSPrivate, st.Addresses
			a.Why = st.Why
			return
		}
		if r := z.CNAME(rel); r != nil {
			st := base
			st.Type, st.Target = "CNAME", topology.CanonicalName(r.Target)
			st.Why = fmt.Sprintf("zone %s (linked to VNet %s by %s) has CNAME %s", z.Name, v.Name, l.Name, rel)
			a.Chain = append(a.Chain, st)
			name = st.Target
			continue
		}
		if l.Fallback() {
			if !e.publicStep(a, name, fmt.Sprintf("zone %s (linked to VNet %s by %s) has no record %s and the link falls back to the Internet (NxDomainRedirect)", z.Name, v.Name, l.Name, rel), &name) {
				return
			}
			continue
		}
		st := base
		st.Type = "NXDOMAIN"
		st.Why = fmt.Sprintf("zone %s is linked to VNet %s (link %s) but has no record %s: Azure DNS answers NXDOMAIN and does not ask public DNS", z.Name, v.Name, l.Name, rel)
		a.Chain = append(a.Chain, st)
		a.Result, a.Why = DNSNXDomain, st.Why
		return
	}
	a.Result, a.Why = DNSUnknown, fmt.Sprintf("the CNAME chain is longer than %d records", maxDNSSteps)
}

// resolvePublic follows the chain through public DNS only.
func (e *Engine) resolvePublic(a *DNSAnswer) {
	why := a.Why
	name := a.Name
	for range maxDNSSteps {
		if !e.publicStep(a, name, "public resolution", &name) {
			if why != "" {
				a.Why = why + "; " + a.Why
			}
			return
		}
	}
	a.Result, a.Why = DNSUnknown, fmt.Sprintf("the CNAME chain is longer than %d records", maxDNSSteps)
}

// publicStep answers name from public DNS: the privatelink CNAME of a PaaS
// name whose resource has a private endpoint, a declared public record, or
// a public answer whose address the inputs do not hold. It reports whether
// the chain goes on (with *next set).
func (e *Engine) publicStep(a *DNSAnswer, name, why string, next *string) bool {
	if pl, ok := PrivateLinkName(name); ok {
		if pe := e.endpointFor(name, pl); pe != "" {
			a.Chain = append(a.Chain, DNSStep{Name: name, Type: "CNAME", Target: pl, Source: DNSFromPublic,
				Why: fmt.Sprintf("%s; public DNS answers a CNAME to the privatelink name because the resource has private endpoint %s", why, pe)})
			*next = pl
			return true
		}
	}
	for _, r := range e.Net.PublicDNS {
		if topology.CanonicalName(r.FQDN) == name {
			st := DNSStep{Name: name, Type: "A", Addresses: append([]netip.Addr{}, r.IPs...), Source: DNSFromPublic,
				Why: why + "; the public answer is the one the inputs give (public_dns)"}
			a.Chain = append(a.Chain, st)
			a.Result, a.Addresses, a.Why = DNSPublic, st.Addresses, st.Why
			return false
		}
	}
	st := DNSStep{Name: name, Type: "A", Source: DNSFromPublic, Why: why + "; public DNS answers, with an address the inputs do not hold (add it under public_dns)"}
	if isPrivateLinkName(name) {
		st.Why = why + "; public DNS answers the privatelink name with the resource's public address, not the private endpoint's"
	}
	a.Chain = append(a.Chain, st)
	a.Result, a.Why = DNSPublic, st.Why
	return false
}

// endpointFor names the private endpoint that makes public DNS answer name
// with the privatelink CNAME: one whose target is name, else one whose
// address a privatelink zone records under pl.
func (e *Engine) endpointFor(name, pl string) string {
	for _, pe := range e.Net.PrivateEndpoints {
		if topology.CanonicalName(pe.Target.FQDN) == name {
			return pe.Name
		}
	}
	for _, z := range e.Net.PrivateDNSZones {
		if !z.Holds(pl) {
			continue
		}
		if r := z.A(z.Relative(pl)); r != nil {
			for _, ip := range r.IPs {
				if o, ok := e.Net.Owner(ip); ok && o.Kind == topology.OwnerPE {
					return o.PE.Name
				}
			}
		}
	}
	return ""
}
