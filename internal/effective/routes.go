package effective

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// route is one effective route reduced to what both sides state.
type route struct {
	source, state, prefix, hop string
	ips                        []string
}

func (r route) key() string { return strings.ToLower(r.source + " " + r.prefix) }

func (r route) value() string {
	v := r.state + " " + r.hop
	if len(r.ips) > 0 {
		v += " " + strings.Join(r.ips, ",")
	}
	return v
}

// Routes compares the NIC's effective routes pathproof computes on e with
// body, Azure's effective route table of the NIC. Routes match by source
// and prefix; a matched pair differs when the state, next hop type or
// next hop addresses differ.
func Routes(e *azure.Engine, nic *topology.NIC, body []byte) (*Result, error) {
	w, err := decode(body, "effective-routes")
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: "routes", Findings: []Finding{}}
	res.NIC, res.NICID = nic.Name, nic.ID
	var az []route
	for _, r := range w.Routes {
		ips := normIPs(r.NextHopIPs)
		for _, p := range r.AddressPrefixes {
			az = append(az, route{source: r.Source, state: r.State, prefix: normPrefix(p), hop: r.NextHopType, ips: ips})
		}
	}
	var pp []route
	if rt := e.RoutesOfNIC(nic); rt != nil {
		for _, r := range rt.Routes {
			var ips []string
			for _, a := range r.NextHopIPs {
				ips = append(ips, a.String())
			}
			p := r.Tag
			if r.Prefix.IsValid() {
				p = r.Prefix.String()
			}
			pp = append(pp, route{source: string(r.Source), state: r.State, prefix: p, hop: string(r.NextHopType), ips: normIPs(ips)})
		}
	}
	res.Azure, res.Pathproof = len(az), len(pp)
	mine := map[string][]route{}
	for _, r := range pp {
		mine[r.key()] = append(mine[r.key()], r)
	}
	for _, a := range az {
		k := a.key()
		what := a.source + " " + a.prefix
		cands := mine[k]
		if len(cands) == 0 {
			res.add(CodeRouteMissing, what, a.value(), "", fmt.Sprintf("Azure lists route %s → %s; pathproof does not compute it", what, a.value()))
			continue
		}
		i := slices.IndexFunc(cands, func(p route) bool { return strings.EqualFold(p.value(), a.value()) })
		if i < 0 {
			i = 0
			res.add(CodeRouteDiffers, what, a.value(), cands[0].value(), fmt.Sprintf("route %s: Azure says %s, pathproof %s", what, a.value(), cands[0].value()))
		} else {
			res.Agree++
		}
		mine[k] = slices.Delete(cands, i, i+1)
	}
	for _, p := range pp {
		for _, left := range mine[p.key()] {
			what := left.source + " " + left.prefix
			res.add(CodeRouteExtra, what, "", left.value(), fmt.Sprintf("pathproof computes route %s → %s; Azure does not list it", what, left.value()))
		}
		delete(mine, p.key())
	}
	sortFindings(res.Findings)
	return res, nil
}

// normPrefix writes a CIDR canonically (Azure may send 10.0.0.4/32 or a
// host bits set prefix); anything else (a service tag) stays.
func normPrefix(s string) string {
	if p, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil {
		return p.Masked().String()
	}
	return strings.TrimSpace(s)
}

// normIPs sorts addresses written canonically.
func normIPs(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
			out = append(out, a.String())
		} else if s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
