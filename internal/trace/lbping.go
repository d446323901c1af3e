package trace

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// A Standard public load balancer answers ICMP echo to its frontend
// itself, as Microsoft documents in "Test reachability of Azure Public
// Load Balancer frontends with ping and traceroute"
// (learn.microsoft.com/azure/load-balancer/load-balancer-test-frontend-reachability,
// "Expected replies with ping" and "Usage considerations"): "ICMP ping
// requests are not sent to the backend instances; they are handled by the
// Load Balancer"; pings "can't be disabled and are allowed by default on
// Standard Public Load Balancers"; with at least one backend instance
// probed up the client gets echo replies, with every instance probed down
// "Destination host unreachable", and with no backend instances or no
// load-balancing rule the request times out; Gateway (and Global) load
// balancers do not answer.

// answersPing reports whether the frontend is one a load balancer answers
// ping on: a Standard public frontend addressed directly.
func answersPing(fe *topology.LBFrontend, p *Flow) bool {
	l := fe.LB()
	return p.Protocol == "icmp" && fe.PublicIP.IsValid() && p.Dst == fe.PublicIP && !l.Gateway() && !strings.EqualFold(l.SKU, topology.LBSKUBasic)
}

// arrivePing answers an ICMP echo at a Standard public frontend from the
// health of the backends of the frontend's load-balancing rules.
func (s *sim) arrivePing(d *device, p *Flow, h *Hop) (bool, *Drop) {
	fe, l := d.fe, d.fe.LB()
	members, up := 0, 0
	var rules []string
	for _, r := range l.Rules {
		if l.Frontend(r.Frontend) != fe {
			continue
		}
		rules = append(rules, r.Name)
		for _, b := range s.eng.Backends(l, r) {
			members++
			if b.Healthy {
				up++
			}
		}
	}
	switch {
	case len(rules) == 0 || members == 0:
		h.add("load-balancer", VerdictDeny, l.Name, "", "frontend %s has no load-balancing rule with backend instances: the load balancer does not answer the ping (request timed out)", fe.Name)
		return false, dropf(DropLBNoBackend, "load balancer %s answers ping on frontend %s only when a load-balancing rule of the frontend has a backend instance probed up; it has none, so the ping times out", l.Name, fe.Name).
			fix("add a load-balancing rule with a backend pool on frontend %s of load balancer %s", fe.Name, l.Name)
	case up == 0:
		h.add("load-balancer", VerdictDeny, l.Name, strings.Join(rules, ","), "every backend instance of frontend %s is probed down: the load balancer answers Destination host unreachable", fe.Name)
		return false, dropf(DropLBNoBackend, "every backend instance of frontend %s of load balancer %s fails its health probe, so a ping gets Destination host unreachable", fe.Name, l.Name).
			fix("allow the health probe (source AzureLoadBalancer) in the backends' NSGs")
	}
	h.add("load-balancer", VerdictAllow, l.Name, strings.Join(rules, ","), "the load balancer answers the ping itself (%d of %d backend instances probed up); the echo request is not sent to a backend", up, members)
	return true, nil
}

// pingReply sends the load balancer's echo reply toward the client: back
// through the client's outbound translation, to a public address the
// topology owns, or to the Internet.
func (s *sim) pingReply(p *Flow, h *Hop) (*device, *Drop) {
	_, translated := s.outbound[*p]
	if _, owned := s.net.PublicOwner(p.Dst); translated || owned {
		return s.fromInternet(p, h)
	}
	h.add("next-hop", VerdictAllow, "", "", "the load balancer's echo reply goes to %s over the Internet", p.Dst)
	return internetDevice(p.Dst), nil
}
