package azure

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
)

// Azure Load Balancer's rules, as Microsoft documents them:
//   - HA ports: "The HA ports load-balancing rules are configured when you
//     set the frontend and backend ports to 0 and the protocol to All";
//     the decision is per flow on the five-tuple
//     (learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview).
//   - Health probes come from 168.63.129.16: "you must allow this IP address
//     in any Azure network security groups"; the AzureLoadBalancer tag and
//     the default rule AllowAzureLoadBalancerInBound admit it
//     (learn.microsoft.com/azure/load-balancer/load-balancer-custom-probe-overview,
//     "Probe source IP address"). A member whose probe is blocked is marked
//     down and gets no new flows.
//   - Inbound rules do not SNAT: the backend sees the client's address;
//     without floating IP the destination becomes the backend's address,
//     with floating IP (direct server return) it stays the frontend's
//     (learn.microsoft.com/azure/load-balancer/load-balancer-floating-ip).

// LBMatch is what a load balancer frontend does with one flow.
type LBMatch struct {
	Rule *topology.LBRule
	NAT  *topology.LBInboundNATRule
	// NATTarget is the NIC an inbound NAT rule sends the flow to.
	NATTarget *topology.NIC
	// BackendPort is the port the backend receives (0 = unchanged).
	BackendPort uint16
}

// protoMatchLB reports whether a rule protocol (Tcp, Udp, All) covers a
// flow's protocol (tcp, udp, icmp). All (HA ports) covers TCP and UDP
// only: "The internal load balancer resource then balances all TCP and UDP
// flows, regardless of port number" (load-balancer-ha-ports-overview), and
// "Load balancing rules and inbound NAT rules are supported for TCP and UDP
// and not supported for other IP protocols including ICMP"
// (load-balancer-troubleshoot, "Symptom: ... ping"; a Standard public
// frontend answers ping itself: load-balancer-test-frontend-reachability).
func protoMatchLB(rule, flow string) bool {
	if strings.EqualFold(rule, "All") {
		return strings.EqualFold(flow, "tcp") || strings.EqualFold(flow, "udp")
	}
	return strings.EqualFold(rule, flow)
}

// MatchLB finds the load-balancing rule or inbound NAT rule of frontend fe
// for a flow (protocol, destination port). HA ports rules match every
// port. Inbound NAT rules are checked first: their frontend ports may not
// overlap a load-balancing rule's.
func (e *Engine) MatchLB(fe *topology.LBFrontend, proto string, port uint16) (LBMatch, bool) {
	l := fe.LB()
	if l == nil {
		return LBMatch{}, false
	}
	for _, r := range l.InboundNATRules {
		if !strings.EqualFold(childOf(r.Frontend), fe.Name) || !protoMatchLB(r.Protocol, proto) {
			continue
		}
		end := r.FrontendPortEnd
		if end == 0 {
			end = r.FrontendPort
		}
		if int(port) < r.FrontendPort || int(port) > end {
			continue
		}
		m := LBMatch{NAT: r, BackendPort: uint16(r.BackendPort)}
		if r.NIC != "" {
			m.NATTarget = e.Net.NIC(r.NIC)
		} else if p := l.Pool(r.BackendPool); p != nil {
			// A port range maps the pool's members in order.
			nics, _ := e.Net.Members(p)
			if i := int(port) - r.FrontendPort; i < len(nics) {
				m.NATTarget = nics[i]
			}
		}
		if r.FloatingIP {
			m.BackendPort = port
		}
		return m, true
	}
	for _, r := range l.Rules {
		if !strings.EqualFold(childOf(r.Frontend), fe.Name) || !protoMatchLB(r.Protocol, proto) {
			continue
		}
		if r.HAPorts() || r.FrontendPort == int(port) {
			m := LBMatch{Rule: r, BackendPort: uint16(r.BackendPort)}
			if r.HAPorts() || r.FloatingIP || r.BackendPort == 0 {
				m.BackendPort = port
			}
			return m, true
		}
	}
	return LBMatch{}, false
}

func childOf(ref string) string {
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// Backend is one member of a backend pool as the load balancer sees it.
type Backend struct {
	NIC *topology.NIC
	// Healthy is false when the member's NSGs block the health probe.
	Healthy bool
	// Probe is the NSG decision on the probe (empty without a probe).
	Probe Decision
	// Why explains the health verdict.
	Why string
}

// Backends lists the members of the rule's pool with their probe health.
func (e *Engine) Backends(l *topology.LoadBalancer, r *topology.LBRule) []Backend {
	p := l.Pool(r.BackendPool)
	if p == nil {
		return nil
	}
	nics, _ := e.Net.Members(p)
	out := make([]Backend, 0, len(nics))
	for _, nic := range nics {
		out = append(out, e.backend(nic, l.Probe(r.Probe), r))
	}
	return out
}

// backend judges one member's health probe against its inbound NSGs.
func (e *Engine) backend(nic *topology.NIC, probe *topology.LBProbe, r *topology.LBRule) Backend {
	b := Backend{NIC: nic, Healthy: true}
	if probe == nil {
		b.Why = "the rule has no health probe; the member is assumed up"
		return b
	}
	port := probe.Port
	if port == 0 && r != nil {
		port = r.BackendPort
	}
	proto := "TCP" // TCP, HTTP and HTTPS probes all open a TCP connection
	d := e.EvaluateNSG(Target{NIC: nic}, Flow{Direction: Inbound, Protocol: proto, LocalIP: nic.IP, LocalPort: port,
		RemoteIP: AzureHostIP, RemotePort: 0, Probe: true})
	b.Probe = d
	if d.Access == "Deny" && d.Decider != nil {
		rule := "no rule"
		if d.Decider.Rule != nil {
			rule = d.Decider.Rule.Name
		}
		b.Healthy = false
		b.Why = fmt.Sprintf("NSG %s (%s) rule %s denies the %s health probe %s from %s (AzureLoadBalancer) to port %d: the load balancer marks the member down",
			d.Decider.Name, d.Decider.Scope, rule, strings.ToUpper(probe.Protocol), probe.Name, AzureHostIP, port)
		return b
	}
	b.Why = fmt.Sprintf("the NSGs admit the %s health probe %s from %s to port %d", strings.ToUpper(probe.Protocol), probe.Name, AzureHostIP, port)
	return b
}

// PickBackend chooses the member a flow goes to among the healthy ones.
// Azure hashes the five-tuple; the hash here is symmetric (the flow and its
// reply pick the same member), as Azure's is for the two directions of a
// flow through the same internal load balancer's HA ports rule. Which
// member Azure picks is not predictable, so callers say so.
func PickBackend(healthy []*topology.NIC, proto string, a netip.AddrPort, b netip.AddrPort) *topology.NIC {
	if len(healthy) == 0 {
		return nil
	}
	x, y := a.String(), b.String()
	if x > y {
		x, y = y, x
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(proto) + "|" + x + "|" + y))
	return healthy[h.Sum32()%uint32(len(healthy))]
}
