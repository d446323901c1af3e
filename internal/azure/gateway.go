package azure

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// AdvertisedRoutes lists what gateway g advertises (§6.2): its VNet's
// ranges and those of peered VNets that use it through gateway transit.
// With conn set and BGP route translation on, ranges covered by the
// connection's EgressSnat rules are advertised as their external mapping.
// Routes learned from other connections are not re-advertised (not
// documented for VPN gateways; [R]).
func (e *Engine) AdvertisedRoutes(g *topology.Gateway, conn *topology.Connection) []netip.Prefix {
	v := g.VNetRef()
	if v == nil {
		return nil
	}
	var out []netip.Prefix
	out = append(out, v.AddressSpace...)
	out = append(out, e.routeServerAdvertised(g)...)
	for _, p := range e.Net.PeeringsOf(v) {
		if !p.AllowGatewayTransit || !e.connected(p) {
			continue
		}
		if r := e.Net.Reverse(p); r != nil && r.UseRemoteGateways {
			out = append(out, p.Remote().AddressSpace...)
		}
	}
	if conn == nil || !g.BGP.RouteTranslationForNAT {
		return out
	}
	for i, p := range out {
		for _, nr := range connNATRules(conn) {
			if strings.EqualFold(nr.Mode, "EgressSnat") {
				if m, ok := mapPrefix(p, nr.Internal, nr.External); ok {
					out[i] = m
					break
				}
			}
		}
	}
	return out
}

// VPN NAT directions.
const (
	FromOnPrem = "from_onprem"
	ToOnPrem   = "to_onprem"
)

// VPNNAT translates a packet crossing connection conn (§6.2). From
// on-premises: IngressSnat maps the source (internal→external), EgressSnat
// maps the destination back (external→internal). Toward on-premises the
// reverse. Static rules keep the host offset ([R]).
func (e *Engine) VPNNAT(conn *topology.Connection, direction string, src, dst netip.Addr) (netip.Addr, netip.Addr, []string, error) {
	// The mode that maps the source internal→external; the other maps the
	// destination back external→internal.
	srcMode, dstMode := "IngressSnat", "EgressSnat"
	switch direction {
	case FromOnPrem:
	case ToOnPrem:
		srcMode, dstMode = dstMode, srcMode
	default:
		return src, dst, nil, fmt.Errorf("direction %q is not %s or %s", direction, FromOnPrem, ToOnPrem)
	}
	var applied []string
	for _, r := range connNATRules(conn) {
		switch {
		case strings.EqualFold(r.Mode, srcMode):
			if a, ok := mapAddr(src, r.Internal, r.External); ok {
				src, applied = a, append(applied, r.Name)
			}
		case strings.EqualFold(r.Mode, dstMode):
			if a, ok := mapAddr(dst, r.External, r.Internal); ok {
				dst, applied = a, append(applied, r.Name)
			}
		}
	}
	return src, dst, applied, nil
}
