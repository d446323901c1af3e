// Package probe runs one active check from where pathproof runs: resolve
// a target, connect, handshake TLS, send an HTTP request or an ICMP echo,
// and say why it failed with a stable failure class, the evidence and a
// hint. It measures curl-style timings and, over --count attempts, loss,
// RTT statistics and jitter.
package probe

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Protocols a probe speaks.
var Protocols = []string{"tcp", "tls", "https", "http", "dns", "icmp"}

// Options configure one probe. Zero values take the documented defaults
// (see Normalize).
type Options struct {
	// Target is a host name, an IP, HOST:PORT or a URL (http://, https://).
	Target   string
	Port     int
	Protocol string
	Count    int
	Interval time.Duration
	Timeout  time.Duration
	// Resolver is IP[:PORT] of a DNS server to ask instead of the system
	// resolver.
	Resolver string
	// AddressMode is "first" or "each".
	AddressMode string
	// Family is "ip" (both), "ip4" or "ip6".
	Family    string
	SNI       string
	CAFile    string
	ConnectTo string
	Method    string
	Path      string
	// Expect lists accepted HTTP status codes ("200-299,3xx").
	Expect   string
	FetchAIA bool
	// Now is the time certificates are judged at (tests); zero: time.Now.
	Now time.Time
}

// Normalize applies defaults and derives protocol, port and path from a
// URL target. It returns an error for options that cannot work together,
// before anything is sent.
func (o *Options) Normalize() error {
	if o.Target == "" {
		return fmt.Errorf("no target")
	}
	if strings.Contains(o.Target, "://") {
		u, err := url.Parse(o.Target)
		if err != nil || u.Hostname() == "" {
			return fmt.Errorf("target %q is not a valid URL", o.Target)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return fmt.Errorf("target URL scheme %q: only http and https", u.Scheme)
		}
		if o.Protocol == "" {
			o.Protocol = u.Scheme
		} else if o.Protocol != u.Scheme {
			return fmt.Errorf("--protocol %s conflicts with the %s:// target", o.Protocol, u.Scheme)
		}
		if p := u.Port(); p != "" {
			n, _ := strconv.Atoi(p)
			if o.Port != 0 && o.Port != n {
				return fmt.Errorf("--port %d conflicts with port %d in the URL", o.Port, n)
			}
			o.Port = n
		}
		if o.Path == "" {
			o.Path = u.RequestURI()
		}
		o.Target = u.Hostname()
	} else if h, p, err := net.SplitHostPort(o.Target); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Errorf("target %q: port %q is not a number", o.Target, p)
		}
		if o.Port != 0 && o.Port != n {
			return fmt.Errorf("--port %d conflicts with port %d in the target", o.Port, n)
		}
		o.Target, o.Port = h, n
	}
	o.Target = strings.TrimSuffix(strings.Trim(o.Target, "[]"), ".")
	if o.Protocol == "" {
		o.Protocol = "tcp"
	}
	switch o.Protocol {
	case "tcp":
		if o.Port == 0 {
			return fmt.Errorf("--protocol tcp needs a port (--port N or HOST:PORT)")
		}
	case "tls", "https":
		if o.Port == 0 {
			o.Port = 443
		}
	case "http":
		if o.Port == 0 {
			o.Port = 80
		}
	case "dns", "icmp":
		if o.Port != 0 {
			return fmt.Errorf("--port makes no sense with --protocol %s", o.Protocol)
		}
	default:
		return fmt.Errorf("--protocol %q is not one of %s", o.Protocol, strings.Join(Protocols, ", "))
	}
	if o.Port < 0 || o.Port > 65535 {
		return fmt.Errorf("--port %d is outside 1-65535", o.Port)
	}
	if o.Protocol == "dns" {
		if _, err := netip.ParseAddr(o.Target); err == nil {
			return fmt.Errorf("--protocol dns needs a name, not an address")
		}
		if o.ConnectTo != "" {
			return fmt.Errorf("--connect-to makes no sense with --protocol dns")
		}
	}
	isTLS := o.Protocol == "tls" || o.Protocol == "https"
	if !isTLS && (o.SNI != "" || o.CAFile != "" || o.FetchAIA) {
		return fmt.Errorf("--sni, --ca and --fetch-aia need --protocol tls or https")
	}
	isHTTP := o.Protocol == "http" || o.Protocol == "https"
	if !isHTTP && (o.Method != "" || o.Path != "" || o.Expect != "") {
		return fmt.Errorf("--method, --path and --expect need --protocol http or https")
	}
	if isHTTP {
		if o.Method == "" {
			o.Method = http.MethodGet
		}
		o.Method = strings.ToUpper(o.Method)
		if o.Path == "" {
			o.Path = "/"
		}
		if !strings.HasPrefix(o.Path, "/") {
			return fmt.Errorf("--path %q must start with /", o.Path)
		}
		if o.Expect == "" {
			o.Expect = DefaultStatusRanges
		}
		if _, err := ParseStatusRanges(o.Expect); err != nil {
			return err
		}
	}
	if o.Count == 0 {
		o.Count = 1
	}
	if o.Count < 1 || o.Count > 1000 {
		return fmt.Errorf("--count %d is outside 1-1000", o.Count)
	}
	if o.Interval == 0 {
		o.Interval = time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Interval < 0 || o.Timeout < 0 {
		return fmt.Errorf("--interval and --timeout must be positive")
	}
	if o.AddressMode == "" {
		o.AddressMode = "first"
	}
	if o.AddressMode != "first" && o.AddressMode != "each" {
		return fmt.Errorf("--address-mode %q is not first or each", o.AddressMode)
	}
	if o.Family == "" {
		o.Family = "ip"
	}
	if o.Resolver != "" {
		r, err := resolverAddr(o.Resolver)
		if err != nil {
			return err
		}
		o.Resolver = r
	}
	if o.ConnectTo != "" {
		a, err := netip.ParseAddr(strings.Trim(o.ConnectTo, "[]"))
		if err != nil {
			return fmt.Errorf("--connect-to %q is not an IP address", o.ConnectTo)
		}
		o.ConnectTo = a.String()
	}
	return nil
}

// resolverAddr turns IP or IP:PORT into IP:PORT (port 53 by default).
func resolverAddr(s string) (string, error) {
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return net.JoinHostPort(a.String(), "53"), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return "", fmt.Errorf("--resolver %q is not IP or IP:PORT", s)
	}
	return ap.String(), nil
}

// prober holds what one Run derives from its Options.
type prober struct {
	o          Options
	proto      string
	port       int
	sni        string
	verifyName string
	trustStore string
	roots      *x509.CertPool
	expect     StatusRanges
	now        time.Time
}

func (p *prober) chainCheck() chainCheck {
	return chainCheck{roots: p.roots, trustStore: p.trustStore, name: p.verifyName, now: p.now, fetchAIA: p.o.FetchAIA,
		client: &http.Client{Timeout: p.o.Timeout}}
}

// hostHeader is the Host of the HTTP request: the target name, with the
// port when it is not the scheme's default.
func (p *prober) hostHeader() string {
	h := p.o.Target
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if (p.proto == "https" && p.port != 443) || (p.proto == "http" && p.port != 80) {
		h += ":" + strconv.Itoa(p.port)
	}
	return h
}

// Run probes o.Target (o must be normalized). The error is for problems
// that stop the probe before it can judge the network (an unreadable
// --ca, ICMP without privileges); network failures are in the Result.
func Run(ctx context.Context, o Options) (*Result, error) {
	p := &prober{o: o, proto: o.Protocol, port: o.Port, now: o.Now, trustStore: "system"}
	if p.now.IsZero() {
		p.now = time.Now()
	}
	if o.CAFile != "" {
		pool, err := LoadCA(o.CAFile)
		if err != nil {
			return nil, err
		}
		p.roots, p.trustStore = pool, "file:"+o.CAFile
	}
	if o.Expect != "" {
		p.expect, _ = ParseStatusRanges(o.Expect)
	}
	_, notIP := netip.ParseAddr(o.Target) // nil when the target is an IP
	p.sni = o.SNI
	if p.sni == "" && notIP != nil {
		p.sni = o.Target
	}
	p.verifyName = p.sni
	if p.verifyName == "" {
		p.verifyName = o.Target
	}
	res := &Result{SchemaVersion: SchemaVersion, Target: o.Target, Protocol: o.Protocol, Port: o.Port, Addresses: []AddressResult{}}

	// Resolve.
	var addrs []netip.Addr
	var dnsTime time.Duration
	switch {
	case o.ConnectTo != "":
		addrs = []netip.Addr{netip.MustParseAddr(o.ConnectTo)}
		res.Notes = append(res.Notes, fmt.Sprintf("--connect-to %s: name resolution skipped; SNI and Host stay %s", o.ConnectTo, o.Target))
	case notIP == nil:
		addrs = []netip.Addr{netip.MustParseAddr(o.Target)}
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
	if o.Protocol == "dns" {
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
	if o.AddressMode == "first" && len(addrs) > 1 {
		res.Notes = append(res.Notes, fmt.Sprintf("probing the first of %d addresses; --address-mode each probes them all", len(addrs)))
		addrs = addrs[:1]
	}

	var pg *pinger
	for i, addr := range addrs {
		if o.Protocol == "icmp" {
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
