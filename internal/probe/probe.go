// Package probe runs one active check from where pathproof runs: resolve
// a target, connect, handshake TLS, send an HTTP request or an ICMP echo,
// and say why it failed with a stable failure class, the evidence and a
// hint. It measures curl-style timings and, over --count attempts, loss,
// RTT statistics and jitter.
package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// prober holds what one Run derives from its Plan.
type prober struct {
	o          *Plan
	sni        string
	verifyName string
	trustStore string
	now        time.Time
}

func (p *prober) chainCheck() chainCheck {
	return chainCheck{roots: p.o.Roots, trustStore: p.trustStore, name: p.verifyName, now: p.now, fetchAIA: p.o.FetchAIA,
		client: &http.Client{Timeout: p.o.Timeout}}
}

// hostHeader is the Host of the HTTP request: the target name, with the
// port when it is not the scheme's default.
func (p *prober) hostHeader() string {
	h := p.o.Target
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if (p.o.Protocol == HTTPS && p.o.Port != 443) || (p.o.Protocol == HTTP && p.o.Port != 80) {
		h += ":" + strconv.Itoa(int(p.o.Port))
	}
	return h
}

// Run probes the plan's target. The error is for problems that stop the
// probe before it can judge the network (ICMP without privileges); network
// failures are in the Result.
func Run(ctx context.Context, o *Plan) (*Result, error) {
	p := &prober{o: o, now: o.Now, trustStore: "system"}
	if p.now.IsZero() {
		p.now = time.Now()
	}
	if o.CAFile != "" {
		p.trustStore = "file:" + o.CAFile
	}
	p.sni = o.SNI
	if p.sni == "" && !o.Addr.IsValid() {
		p.sni = o.Target
	}
	p.verifyName = p.sni
	if p.verifyName == "" {
		p.verifyName = o.Target
	}
	res := &Result{SchemaVersion: SchemaVersion, Target: o.Target, Protocol: string(o.Protocol), Port: int(o.Port), Addresses: []AddressResult{}}

	// Resolve.
	var addrs []netip.Addr
	var dnsTime time.Duration
	switch {
	case o.ConnectTo.IsValid():
		addrs = []netip.Addr{o.ConnectTo}
		res.Notes = append(res.Notes, fmt.Sprintf("--connect-to %s: name resolution skipped; SNI and Host stay %s", o.ConnectTo, o.Target))
	case o.Addr.IsValid():
		addrs = []netip.Addr{o.Addr}
	default:
		t0 := time.Now()
		d, a, f := resolve(ctx, o.Target, o.Resolver, o.Family, o.Timeout)
		dnsTime = time.Since(t0)
		res.DNS, addrs = d, a
		if f != nil {
			res.Verdict, res.Failure = VerdictFailed, f
			res.Timings = phases{dns: dnsTime}.toTimings()
			return res, nil
		}
		if f := privateLinkCheck(d); f != nil {
			res.Failure = f
		}
	}
	if o.Protocol == DNS {
		for _, a := range addrs {
			res.Addresses = append(res.Addresses, AddressResult{Address: a.String(), Private: IsPrivate(a), Verdict: VerdictReachable,
				Stats: summarize(1, []time.Duration{dnsTime})})
		}
		res.Timings = phases{dns: dnsTime}.toTimings()
		res.Verdict = VerdictReachable
		if res.Failure != nil {
			res.Verdict = VerdictFailed
		}
		return res, nil
	}
	if o.AddressMode == FirstAddress && len(addrs) > 1 {
		res.Notes = append(res.Notes, fmt.Sprintf("probing the first of %d addresses; --address-mode each probes them all", len(addrs)))
		addrs = addrs[:1]
	}

	var pg *pinger
	for i, addr := range addrs {
		if o.Protocol == ICMP {
			var err error
			if pg, err = openPinger(addr); err != nil {
				return nil, err
			}
			res.ICMP = &ICMPInfo{Socket: pg.kind()}
		}
		ar := AddressResult{Address: addr.String(), Private: IsPrivate(addr)}
		var rtts []time.Duration
		for n := 0; n < o.Count; n++ {
			if n > 0 {
				select {
				case <-ctx.Done():
				case <-time.After(o.Interval):
				}
			}
			if ctx.Err() != nil {
				break
			}
			var a attempt
			dt := time.Duration(0)
			if n == 0 {
				dt = dnsTime
			}
			if pg != nil {
				rtt, f := pg.echo(ctx, addr, n+1, o.Timeout)
				a = attempt{ok: f == nil, rtt: rtt, failure: f, timings: phases{dns: dt, connect: rtt}.toTimings()}
			} else {
				a = p.connAttempt(ctx, addr, dt)
			}
			ar.Stats.Sent++
			if a.ok {
				rtts = append(rtts, a.rtt)
			} else if ar.Failure == nil {
				ar.Failure = a.failure
			}
			if n == 0 {
				ar.Timings = a.timings
			}
			if res.TLS == nil && a.tls != nil {
				res.TLS = a.tls
			}
			if res.HTTP == nil && a.http != nil {
				res.HTTP = a.http
			}
		}
		if pg != nil {
			pg.close()
		}
		ar.Stats = summarize(ar.Stats.Sent, rtts)
		switch {
		case len(rtts) == ar.Stats.Sent && ar.Stats.Sent > 0:
			ar.Verdict = VerdictReachable
		case len(rtts) == 0:
			ar.Verdict = VerdictFailed
		default:
			ar.Verdict = VerdictPartial
		}
		if i == 0 {
			res.Timings = ar.Timings
		}
		if res.Failure == nil && ar.Failure != nil {
			res.Failure = ar.Failure
		}
		res.Addresses = append(res.Addresses, ar)
	}
	res.Verdict = rollUp(res.Addresses)
	if res.Failure != nil && res.Failure.Class == ClassDNSPrivateLinkPublic {
		res.Verdict = VerdictFailed
	}
	return res, nil
}

// rollUp gives the overall verdict: reachable when every address is,
// failed when none got anything through, partial otherwise.
func rollUp(as []AddressResult) string {
	ok, failed := 0, 0
	for _, a := range as {
		switch a.Verdict {
		case VerdictReachable:
			ok++
		case VerdictFailed:
			failed++
		}
	}
	switch {
	case len(as) > 0 && ok == len(as):
		return VerdictReachable
	case failed == len(as):
		return VerdictFailed
	default:
		return VerdictPartial
	}
}
