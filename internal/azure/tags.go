package azure

import (
	"net/netip"
	"strings"

	"go4.org/netipx"

	"github.com/pathproof/pathproof/internal/topology"
)

// Well-known tags (§4.3).
const (
	TagVirtualNetwork    = "VirtualNetwork"
	TagInternet          = "Internet"
	TagAzureLoadBalancer = "AzureLoadBalancer"
)

// AzureHostIP is the platform address 168.63.129.16 (DNS, DHCP, health probes).
var AzureHostIP = netip.MustParseAddr("168.63.129.16")

// IMDSIP is the instance metadata address.
var IMDSIP = netip.MustParseAddr("169.254.169.254")

// notInternet are the ranges the Internet tag never covers ([?] §4.3 default:
// RFC 1918, RFC 6598, 127/8, 169.254/16, 224/4, 240/4).
var notInternet = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// InternetTagAssumption is the note attached to answers that depend on the
// Internet tag's extent, which Azure does not document as a rule (§4.3 [?]).
const InternetTagAssumption = "Internet tag = every address outside RFC 1918, RFC 6598, 127/8, 169.254/16, 224/4, 240/4 and outside VirtualNetwork ([?] docs/azure-semantics.md §4.3 default)"

type tagSet struct {
	vnet, internet *netipx.IPSet
}

// tags returns the tag sets as seen from subnet s. VirtualNetwork (§4.3) is
// the VNet's ranges, ranges of peers whose peering on this side allows
// virtual network access, prefixes the gateway learns (own or through
// gateway transit), for a VNet connected to a Virtual WAN hub the hub's
// range and the routes the hub teaches it, 168.63.129.16 and every prefix
// used in a UDR of the subnet's route table ([R] default: the subnet's own
// table).
func (e *Engine) tags(s *topology.Subnet) *tagSet {
	// The tag depends only on the VNet and the subnet's route table, so
	// subnets sharing both share one set.
	k := tagKey{}
	if s != nil {
		k = tagKey{s.VNet(), e.Net.RouteTable(s.RouteTable)}
	}
	return e.tagsFor(k)
}

// InVirtualNetworkWithoutUDRs reports whether ip is in the VirtualNetwork
// tag of subnet s when the prefixes of its UDRs are left out (§4.3): the
// VNet, connected peers with virtual network access, gateway-learned
// prefixes, 168.63.129.16.
func (e *Engine) InVirtualNetworkWithoutUDRs(s *topology.Subnet, ip netip.Addr) bool {
	return e.tagsFor(tagKey{vnet: s.VNet()}).vnet.Contains(ip)
}

// tagsFor builds (once) the tag sets of a VNet and route table; a nil
// route table adds no UDR prefixes.
func (e *Engine) tagsFor(k tagKey) *tagSet {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.vnetTg[k]; ok {
		return t
	}
	var b netipx.IPSetBuilder
	if v := k.vnet; v != nil {
		for _, p := range v.AddressSpace {
			b.AddPrefix(p)
		}
		for _, p := range e.Net.PeeringsOf(v) {
			if e.connected(p) && p.VNetAccess() {
				for _, r := range p.Remote().AddressSpace {
					b.AddPrefix(r)
				}
			}
		}
		for _, g := range e.GatewaysFor(v) {
			for _, r := range e.gwRoutes[g] {
				b.AddPrefix(r.Prefix)
			}
		}
		// A VNet connected to a Virtual WAN hub is peered with the hub and
		// uses its gateways: the hub's range and what the hub teaches the
		// connection count as for a classic hub (VW1 in vwan.go).
		if hc := e.Net.HubConnectionOf(v); hc != nil && hc.Hub() != nil {
			if hp := hc.Hub().AddressPrefix; hp.IsValid() {
				b.AddPrefix(hp)
			}
			if view := e.hub.conn[hc]; view != nil {
				for _, r := range view.Routes {
					b.AddPrefix(r.Prefix)
				}
			}
		}
		if rt := k.rt; rt != nil {
			for _, r := range rt.Routes {
				if p, err := netip.ParsePrefix(r.Prefix); err == nil {
					b.AddPrefix(p.Masked())
				} else if ps, ok := e.resolveTag(r.Prefix, ""); ok {
					for _, p := range ps {
						b.AddPrefix(p)
					}
				}
			}
		}
	}
	b.Add(AzureHostIP)
	vnet, _ := b.IPSet()
	t := &tagSet{vnet: vnet}
	e.vnetTg[k] = t
	return t
}

// internet returns the Internet tag as seen from s: every address outside
// the reserved ranges and outside VirtualNetwork (§4.3 default).
func (e *Engine) internet(s *topology.Subnet) *netipx.IPSet {
	t := e.tags(s)
	e.mu.Lock()
	defer e.mu.Unlock()
	if t.internet == nil {
		var ib netipx.IPSetBuilder
		ib.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
		for _, p := range notInternet {
			ib.RemovePrefix(p)
		}
		ib.RemoveSet(t.vnet)
		t.internet, _ = ib.IPSet()
	}
	return t.internet
}

type tagKey struct {
	vnet *topology.VNet
	rt   *topology.RouteTable
}

// TagSet returns the addresses of a service tag as seen from subnet s.
// known is false for a tag the engine cannot resolve (no --service-tags
// file, or a name not in it).
func (e *Engine) TagSet(s *topology.Subnet, tag string) (set *netipx.IPSet, known bool) {
	switch {
	case strings.EqualFold(tag, TagVirtualNetwork):
		return e.tags(s).vnet, true
	case strings.EqualFold(tag, TagInternet):
		return e.internet(s), true
	case strings.EqualFold(tag, TagAzureLoadBalancer):
		var b netipx.IPSetBuilder
		b.Add(AzureHostIP)
		st, _ := b.IPSet()
		return st, true
	}
	ps, ok := e.opts.Tags.Lookup(tag)
	if !ok {
		return nil, false
	}
	var b netipx.IPSetBuilder
	for _, p := range ps {
		b.AddPrefix(p)
	}
	st, _ := b.IPSet()
	return st, true
}

// TagMember reports whether ip belongs to tag as seen from subnet s;
// known is false when the tag cannot be resolved.
func (e *Engine) TagMember(s *topology.Subnet, tag string, ip netip.Addr) (member, known bool) {
	st, ok := e.TagSet(s, tag)
	if !ok {
		return false, false
	}
	return st.Contains(ip), true
}

// IsTag reports whether an NSG address entry is a service tag name.
func IsTag(s string) bool {
	if s == "" || s == "*" || strings.HasPrefix(s, "asg:") {
		return false
	}
	if _, err := netip.ParsePrefix(s); err == nil {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return false
	}
	if strings.Contains(s, "-") && strings.Count(s, ".") >= 6 {
		return false // an address range
	}
	return true
}
