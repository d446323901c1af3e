package explain

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// DNS evidence (docs/log-formats-more.md §11.4): a DNS query log record of
// the client asking for the destination's name says which addresses it was
// given. A public answer for a resource that has a private endpoint (the
// topology's endpoint, or a privatelink CNAME in the answer's chain) proves
// the client resolved the public name: explain.dns-public-answer. The
// answer's addresses join the flow's destination addresses, so the
// client's flow log toward them belongs to the flow.

// dnsRelevant reports whether a DNS record is worth keeping for the flow:
// a question for its name (or the same PaaS resource's), or an answer that
// is one of its addresses.
func (p *Plan) dnsRelevant(e *event.Event) bool {
	if p.fqdn != "" && e.FQDN != "" && (samePaaS(e.FQDN, p.fqdn) || strings.EqualFold(e.FQDN, p.fqdn)) {
		return true
	}
	for _, a := range dnsAddrs(e) {
		if p.hasAddr(a) {
			return true
		}
	}
	return false
}

// dnsAddrs returns a DNS record's answer addresses.
func dnsAddrs(e *event.Event) []netip.Addr {
	var out []netip.Addr
	for _, s := range strings.Split(e.Detail["answers"], ",") {
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
			out = append(out, a.Unmap())
		}
	}
	return out
}

// dnsEvidence reads the client's DNS questions for the destination's name:
// each answer becomes a reasoning step, public answers join the flow's
// destination addresses, and a public answer where a private endpoint
// exists becomes a finding.
func (r *run) dnsEvidence() {
	if r.p.fqdn == "" {
		return
	}
	for i := range r.events {
		e := &r.events[i]
		if e.Source != event.SourceDNS || e.SrcIP.Unmap() != r.p.src || !r.p.dnsRelevant(e) {
			continue
		}
		addrs := dnsAddrs(e)
		c := r.citeEvent(e)
		if len(addrs) == 0 {
			r.step([]int{c}, "DNS: the client asked for %s at %s and got no address (%s%s).", e.FQDN, e.Time.Format(quoteTime), orDash(e.Detail["rcode"]), dnsBlocked(e))
			continue
		}
		var public []netip.Addr
		for _, a := range addrs {
			if !a.IsPrivate() && !isCGNAT(a) && !a.IsLoopback() {
				public = append(public, a)
			}
		}
		via := ""
		if cn := e.Detail["cnames"]; cn != "" {
			via = " via " + strings.ReplaceAll(cn, ",", " → ")
		}
		if len(public) == 0 {
			what := "a private address"
			if r.p.pe != nil && containsAddr(addrs, r.p.pe.IP.Unmap()) {
				what = fmt.Sprintf("private endpoint %s's address", r.p.pe.Name)
			}
			r.step([]int{c}, "DNS: the client asked for %s at %s and was answered %s%s: %s.", e.FQDN, e.Time.Format(quoteTime), addrList(addrs), via, what)
			continue
		}
		for _, a := range public {
			if !containsAddr(r.dst, a) {
				r.dst = append(r.dst, a)
			}
		}
		r.step([]int{c}, "DNS: the client asked for %s at %s and was answered %s%s: a public address, so its packets go to %s.", e.FQDN, e.Time.Format(quoteTime), addrList(addrs), via, addrList(public))
		if r.dnsPublic == nil && (r.p.pe != nil || strings.Contains(e.Detail["cnames"], ".privatelink.")) {
			r.dnsPublic = e
			r.dnsPublicCite = c
		}
	}
	if e := r.dnsPublic; e != nil {
		r.res.Findings = append(r.res.Findings, r.dnsPublicFinding(e))
	}
}

// dnsPublicFinding is the explain.dns-public-answer finding for e.
func (r *run) dnsPublicFinding(e *event.Event) Finding {
	pe := "its private endpoint"
	if r.p.pe != nil {
		pe = fmt.Sprintf("private endpoint %s (%s)", r.p.pe.Name, r.p.pe.IP)
	}
	zone := ""
	for _, c := range strings.Split(e.Detail["cnames"], ",") {
		if i := strings.Index(c, ".privatelink."); i >= 0 {
			zone = c[i+1:]
			break
		}
	}
	if zone == "" && r.p.paas.Kind != "" {
		zone = privatelinkZones[r.p.paas.Kind]
	}
	if zone == "" {
		zone = "the privatelink zone of the service"
	}
	msg := fmt.Sprintf("The client %s asked DNS for %s at %s and was answered %s, a public address, not %s: it resolved the public name.",
		r.p.src, e.FQDN, e.Time.Format(quoteTime), e.Detail["answers"], pe)
	if strings.Contains(e.Detail["cnames"], ".privatelink.") {
		msg += " The answer's CNAME chain goes through " + zone + ", so a private endpoint exists, but the resolver the client asked has no private record for it."
	}
	fix := fmt.Sprintf("Link the private DNS zone %s to the client's VNet (or make its DNS forwarder resolve through Azure DNS), so %s resolves to %s.", zone, e.FQDN, pe)
	if v := r.clientVNet(); v != "" {
		fix = fmt.Sprintf("Link the private DNS zone %s to VNet %s (the client's), or make its DNS forwarder resolve through Azure DNS, so %s resolves to %s.", zone, v, e.FQDN, pe)
	}
	return Finding{Code: FindDNSPublic, Severity: "warning", Message: msg, Fix: fix, Citations: []int{r.dnsPublicCite}}
}

// dnsBlocked says ", blocked by DNS security policy P" for a refused query.
func dnsBlocked(e *event.Event) string {
	if e.Verdict == event.VerdictDeny {
		return ", blocked by the DNS security policy " + e.Emitter
	}
	return ""
}
