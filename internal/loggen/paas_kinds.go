package loggen

import "time"

// The PaaS, VPN gateway, Traffic Analytics, DNS, Front Door, ExpressRoute
// and Palo Alto generators as kinds of
// Generate (Options.Counts["keyvault"], ...), so `pathproof generate logs`
// writes them beside the flow and firewall logs. Their Expect events carry
// the fields these generators promise (time, source, category, addresses,
// ports, verdict, status, emitter, fqdn, the Detail keys they set): compare
// those, as paas_test.go does, not whole events.

func init() {
	registerKind("keyvault", func(g *gen, n int64) error {
		return g.merge(PaaS(PaaSOptions{Out: g.opt.Out, Seed: g.opt.Seed, Start: g.opt.Start, Hours: g.opt.Hours,
			Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, KeyVault: n, Expect: g.opt.Expect}))
	})
	registerKind("storage", func(g *gen, n int64) error {
		return g.merge(PaaS(PaaSOptions{Out: g.opt.Out, Seed: g.opt.Seed + 1, Start: g.opt.Start, Hours: g.opt.Hours,
			Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, Storage: n, Expect: g.opt.Expect}))
	})
	registerKind("vpngw", func(g *gen, n int64) error {
		// n is the number of hourly stories (at most Hours).
		for h := int64(0); h < min(n, int64(g.opt.Hours)); h++ {
			err := g.merge(VPNGateway(VPNOptions{Out: g.opt.Out, Start: g.opt.Start.Add(time.Duration(h) * time.Hour),
				Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, Expect: g.opt.Expect}))
			if err != nil {
				return err
			}
		}
		return nil
	})
	registerKind("trafficanalytics", func(g *gen, n int64) error {
		return g.merge(TrafficAnalytics(TAOptions{Out: g.opt.Out, Start: g.opt.Start, Rows: int(n), Expect: g.opt.Expect}))
	})
	registerKind("dns", dnsKind)
	registerKind("frontdoor", frontDoorKind)
	registerKind("expressroute", expressRouteKind)
	registerKind("paloalto", paloAltoKind)
}

// merge adds another generator's result to g's.
func (g *gen) merge(r Result, err error) error {
	g.res.Files = append(g.res.Files, r.Files...)
	g.res.Bytes += r.Bytes
	g.res.Tuples += r.Tuples
	g.res.Events += r.Events
	return err
}
