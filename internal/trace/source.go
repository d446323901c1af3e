package trace

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Endpoint is a resolved traffic source: a NIC, a host behind an
// on-premises site, or an address on the Internet.
type Endpoint struct {
	Kind string // KindNIC, KindOnPrem or KindInternet
	NIC  *topology.NIC
	Site *topology.OnPremSite
	// IP is the packet's source address.
	IP netip.Addr
	// Host is the on-premises host's name when known.
	Host string
}

// String renders the endpoint in the --from syntax.
func (e Endpoint) String() string {
	switch e.Kind {
	case KindNIC:
		return "nic:" + e.NIC.Name
	case KindOnPrem:
		if e.Host != "" {
			return "onprem:" + e.Site.Name + "/" + e.Host
		}
		return "onprem:" + e.Site.Name + "/" + e.IP.String()
	}
	return "internet:" + e.IP.String()
}

// ResolveSource resolves a --from argument: `nic:NAME`, `onprem:SITE/HOST`
// (HOST a host name or an IP inside the site), `internet:IP`, or a bare IP,
// which is the NIC owning it, else the on-premises site whose prefixes
// contain it (longest match; ambiguous when two sites claim it equally),
// else, for a public address, the Internet.
func ResolveSource(n *topology.Network, from string) (Endpoint, error) {
	kind, rest, hasKind := strings.Cut(from, ":")
	if !hasKind {
		return resolveIP(n, from)
	}
	switch kind {
	case KindNIC:
		nic := n.NIC(rest)
		if nic == nil {
			if msg, ok := n.LeftOutWhy("network interface", "NIC", rest); ok {
				return Endpoint{}, errors.New(msg)
			}
			return Endpoint{}, fmt.Errorf("no NIC %q in the topology", rest)
		}
		if !nic.IP.IsValid() {
			return Endpoint{}, fmt.Errorf("NIC %q has no IP address", rest)
		}
		return Endpoint{Kind: KindNIC, NIC: nic, IP: nic.IP}, nil
	case KindOnPrem:
		siteName, host, ok := strings.Cut(rest, "/")
		if !ok || host == "" {
			return Endpoint{}, fmt.Errorf("%q: want onprem:SITE/HOST", from)
		}
		site := n.OnPremSite(siteName)
		if site == nil {
			return Endpoint{}, fmt.Errorf("no on-premises site %q in the topology", siteName)
		}
		for _, h := range site.Hosts {
			if strings.EqualFold(h.Name, host) {
				return Endpoint{Kind: KindOnPrem, Site: site, IP: h.IP, Host: h.Name}, nil
			}
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return Endpoint{}, fmt.Errorf("site %q has no host %q (and it is not an IP)", siteName, host)
		}
		return Endpoint{Kind: KindOnPrem, Site: site, IP: ip, Host: hostName(site, ip)}, nil
	case KindInternet:
		ip, err := netip.ParseAddr(rest)
		if err != nil {
			return Endpoint{}, fmt.Errorf("%q: want internet:IP", from)
		}
		return Endpoint{Kind: KindInternet, IP: ip}, nil
	}
	if _, err := netip.ParseAddr(from); err == nil { // IPv6 literals contain colons
		return resolveIP(n, from)
	}
	return Endpoint{}, fmt.Errorf("%q: want an IP, nic:NAME, onprem:SITE/HOST or internet:IP", from)
}

func hostName(site *topology.OnPremSite, ip netip.Addr) string {
	for _, h := range site.Hosts {
		if h.IP == ip {
			return h.Name
		}
	}
	return ""
}

// resolveIP works out what a bare source IP is.
func resolveIP(n *topology.Network, s string) (Endpoint, error) {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("%q: want an IP, nic:NAME, onprem:SITE/HOST or internet:IP", s)
	}
	if o, ok := n.Owner(ip); ok {
		switch o.Kind {
		case topology.OwnerNIC:
			return Endpoint{Kind: KindNIC, NIC: o.NIC, IP: ip}, nil
		case topology.OwnerPE:
			return Endpoint{}, fmt.Errorf("%s is private endpoint %s, which never initiates traffic", ip, o.PE.Name)
		default:
			return Endpoint{}, fmt.Errorf("%s belongs to %s; trace from a NIC, a site or the Internet", ip, o.Kind)
		}
	}
	var best []*topology.OnPremSite
	bestBits := -1
	for _, site := range n.OnPremSites {
		for _, p := range site.Prefixes {
			if !p.Contains(ip) {
				continue
			}
			switch {
			case p.Bits() > bestBits:
				best, bestBits = []*topology.OnPremSite{site}, p.Bits()
			case p.Bits() == bestBits && (len(best) == 0 || best[len(best)-1] != site):
				best = append(best, site)
			}
		}
	}
	switch len(best) {
	case 1:
		return Endpoint{Kind: KindOnPrem, Site: best[0], IP: ip, Host: hostName(best[0], ip)}, nil
	case 0:
	default:
		names := make([]string, len(best))
		for i, b := range best {
			names[i] = b.Name
		}
		return Endpoint{}, fmt.Errorf("%s is inside sites %s; say which with onprem:SITE/%s", ip, strings.Join(names, ", "), ip)
	}
	for _, v := range n.VNets {
		for _, p := range v.AddressSpace {
			if p.Contains(ip) {
				return Endpoint{}, fmt.Errorf("%s is inside VNet %s but no NIC owns it", ip, v.Name)
			}
		}
	}
	if !ip.IsPrivate() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified() && !isCGNAT(ip) {
		return Endpoint{Kind: KindInternet, IP: ip}, nil
	}
	return Endpoint{}, fmt.Errorf("%s is a private address no NIC or on-premises site owns", ip)
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func isCGNAT(ip netip.Addr) bool { return cgnat.Contains(ip) }
