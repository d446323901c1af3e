package probe

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/redact"
)

// Protocol is what a probe speaks.
type Protocol string

// Protocols a probe speaks.
const (
	TCP   Protocol = "tcp"
	TLS   Protocol = "tls"
	HTTPS Protocol = "https"
	HTTP  Protocol = "http"
	DNS   Protocol = "dns"
	ICMP  Protocol = "icmp"
)

// Protocols lists every Protocol.
var Protocols = []Protocol{TCP, TLS, HTTPS, HTTP, DNS, ICMP}

// TLS reports whether p handshakes TLS.
func (p Protocol) TLS() bool { return p == TLS || p == HTTPS }

// HTTP reports whether p sends an HTTP request.
func (p Protocol) HTTP() bool { return p == HTTP || p == HTTPS }

// AddressMode says which resolved addresses a probe probes.
type AddressMode string

// Address modes.
const (
	FirstAddress AddressMode = "first" // the first resolved address
	EachAddress  AddressMode = "each"  // every resolved address
)

// Family is the address family a probe resolves and probes.
type Family string

// Families, named as net.Resolver.LookupNetIP names them.
const (
	AnyFamily Family = "ip"
	IPv4      Family = "ip4"
	IPv6      Family = "ip6"
)

// Options are a probe as asked for: strings and numbers as a user or a
// config file gave them, zero for "the default". Plan checks them.
type Options struct {
	// Target is a host name, an IP, HOST:PORT or a URL (http://, https://).
	Target string
	// Port 0 takes the protocol's default (443, 80) or the target's.
	Port int
	// Protocol is one of Protocols; "" takes the URL's scheme, else tcp.
	Protocol string
	// Count is the attempts per address (default 1, at most 1000).
	Count    int
	Interval time.Duration // between attempts (default 1s)
	Timeout  time.Duration // of one attempt and of the lookup (default 5s)
	// Resolver is IP[:PORT] of a DNS server to ask instead of the system
	// resolver.
	Resolver string
	// AddressMode is "first" (default) or "each".
	AddressMode string
	// Family is "ip" (both, default), "ip4" or "ip6".
	Family string
	// SNI is the TLS server name to send and verify (default: the target
	// name).
	SNI string
	// CAFile is a PEM file of trusted roots (default: the system store).
	CAFile string
	// ConnectTo is an IP to connect to instead of resolving the target.
	ConnectTo string
	Method    string // HTTP method (default GET)
	Path      string // HTTP path (default the URL's, else /)
	// Expect lists accepted HTTP status codes ("200-299,3xx"; default
	// DefaultStatusRanges).
	Expect   string
	FetchAIA bool
	// Now is the time certificates are judged at (tests); zero: time.Now.
	Now time.Time
}

// Plan is a checked probe: every field valid and every default applied.
// Make it with Options.Plan.
type Plan struct {
	// Target is the host name or IP probed (no port, no brackets).
	Target string
	// Addr is Target as an address when it is one.
	Addr     netip.Addr
	Port     uint16 // 0 for dns and icmp
	Protocol Protocol
	Count    int
	Interval time.Duration
	Timeout  time.Duration
	// Resolver is the DNS server asked; invalid (zero) for the system
	// resolver.
	Resolver    netip.AddrPort
	AddressMode AddressMode
	Family      Family
	SNI         string
	// Roots are the trusted roots of CAFile; nil for the system store.
	Roots     *x509.CertPool
	CAFile    string
	ConnectTo netip.Addr // invalid (zero): resolve Target
	Method    string
	Path      string
	Expect    StatusRanges
	// ExpectText is Expect as written.
	ExpectText string
	FetchAIA   bool
	Now        time.Time
}

// FieldError is an Options field whose value cannot make a probe. Field
// is the field's Go name ("Port", "CAFile"), so callers can name it the
// way their users wrote it (a flag, a config key).
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, a ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// PlanError is every field Plan refused, in the order of Options.
type PlanError []*FieldError

// Unwrap lets errors.As find the FieldErrors.
func (e PlanError) Unwrap() []error {
	out := make([]error, len(e))
	for i, f := range e {
		out[i] = f
	}
	return out
}

func (e PlanError) Error() string {
	msgs := make([]string, len(e))
	for i, f := range e {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

// Plan checks o and applies the defaults, before anything is sent. The
// error is a PlanError naming every field that is wrong (the settings that
// depend on the protocol are checked only once the target, port and
// protocol are right). It reads CAFile.
func (o Options) Plan() (*Plan, error) {
	p := &Plan{Count: o.Count, Interval: o.Interval, Timeout: o.Timeout, SNI: o.SNI, CAFile: o.CAFile,
		Method: o.Method, Path: o.Path, ExpectText: o.Expect, FetchAIA: o.FetchAIA, Now: o.Now}
	var errs PlanError
	check := func(fe *FieldError) {
		if fe != nil {
			errs = append(errs, fe)
		}
	}
	if fe := p.checkEndpoint(o); fe != nil {
		check(fe)
	} else {
		check(p.checkTarget(o))
		check(p.checkTLS(o))
		check(p.checkHTTP(o))
	}
	check(p.checkCount(o))
	check(p.checkDurations(o))
	check(p.checkAddressMode(o))
	check(p.checkFamily(o))
	check(p.checkResolver(o))
	check(p.checkConnectTo(o))
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// checkEndpoint sets the target, port and protocol.
func (p *Plan) checkEndpoint(o Options) *FieldError {
	target, port, proto, fe := o.endpoint()
	if fe != nil {
		return fe
	}
	p.Target, p.Protocol = target, proto
	if o.Path == "" && port.path != "" {
		p.Path = port.path
	}
	if a, err := netip.ParseAddr(target); err == nil {
		p.Addr = a
	}
	return p.checkPort(port.n)
}

// checkTarget checks what the protocol asks of the target.
func (p *Plan) checkTarget(o Options) *FieldError {
	if p.Protocol != DNS {
		return nil
	}
	if p.Addr.IsValid() {
		return fieldErr("Target", "protocol dns needs a name, not an address")
	}
	if o.ConnectTo != "" {
		return fieldErr("ConnectTo", "makes no sense with protocol dns")
	}
	return nil
}

// checkTLS checks the TLS settings and reads the trusted roots.
func (p *Plan) checkTLS(o Options) *FieldError {
	if !p.Protocol.TLS() {
		for _, f := range []struct {
			name string
			set  bool
		}{{"SNI", o.SNI != ""}, {"CAFile", o.CAFile != ""}, {"FetchAIA", o.FetchAIA}} {
			if f.set {
				return fieldErr(f.name, "needs protocol tls or https, not %s", p.Protocol)
			}
		}
		return nil
	}
	if o.CAFile != "" {
		roots, err := LoadCA(o.CAFile)
		if err != nil {
			return fieldErr("CAFile", "%v", err)
		}
		p.Roots = roots
	}
	return nil
}

// targetPort is the port and path a target carries.
type targetPort struct {
	n    int
	path string
}

// endpoint splits the target into host, port and protocol: a URL gives
// all three, HOST:PORT a port.
func (o Options) endpoint() (string, targetPort, Protocol, *FieldError) {
	target, port, proto := o.Target, targetPort{n: o.Port}, Protocol(o.Protocol)
	if target == "" {
		return "", port, "", fieldErr("Target", "no target")
	}
	if strings.Contains(target, "://") {
		u, err := url.Parse(target)
		if err != nil || u.Hostname() == "" {
			return "", port, "", fieldErr("Target", "%q is not a valid URL", redact.String(target))
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return "", port, "", fieldErr("Target", "URL scheme %q: only http and https", u.Scheme)
		}
		if proto == "" {
			proto = Protocol(u.Scheme)
		} else if proto != Protocol(u.Scheme) {
			return "", port, "", fieldErr("Protocol", "%s conflicts with the %s:// target", proto, u.Scheme)
		}
		if ps := u.Port(); ps != "" {
			n, _ := strconv.Atoi(ps)
			if port.n != 0 && port.n != n {
				return "", port, "", fieldErr("Port", "%d conflicts with port %d in the URL", port.n, n)
			}
			port.n = n
		}
		port.path = u.RequestURI()
		target = u.Hostname()
	} else if h, ps, err := net.SplitHostPort(target); err == nil {
		n, err := strconv.Atoi(ps)
		if err != nil {
			return "", port, "", fieldErr("Target", "%q: port %q is not a number", target, ps)
		}
		if port.n != 0 && port.n != n {
			return "", port, "", fieldErr("Port", "%d conflicts with port %d in the target", port.n, n)
		}
		target, port.n = h, n
	}
	target = strings.TrimSuffix(strings.Trim(target, "[]"), ".")
	if proto == "" {
		proto = TCP
	}
	return target, port, proto, nil
}

// checkPort sets p.Port from n and the protocol's default.
func (p *Plan) checkPort(n int) *FieldError {
	switch p.Protocol {
	case TCP:
		if n == 0 {
			return fieldErr("Port", "protocol tcp needs a port (or a HOST:PORT target)")
		}
	case TLS, HTTPS:
		if n == 0 {
			n = 443
		}
	case HTTP:
		if n == 0 {
			n = 80
		}
	case DNS, ICMP:
		if n != 0 {
			return fieldErr("Port", "protocol %s takes no port", p.Protocol)
		}
	default:
		names := make([]string, len(Protocols))
		for i, x := range Protocols {
			names[i] = string(x)
		}
		return fieldErr("Protocol", "%q is not one of %s", p.Protocol, strings.Join(names, ", "))
	}
	if n < 0 || n > 65535 {
		return fieldErr("Port", "%d is outside 1-65535", n)
	}
	p.Port = uint16(n)
	return nil
}

// checkHTTP checks and defaults the HTTP request.
func (p *Plan) checkHTTP(o Options) *FieldError {
	if !p.Protocol.HTTP() {
		for _, f := range []struct {
			name string
			set  bool
		}{{"Method", o.Method != ""}, {"Path", o.Path != ""}, {"Expect", o.Expect != ""}} {
			if f.set {
				return fieldErr(f.name, "needs protocol http or https, not %s", p.Protocol)
			}
		}
		p.Path = ""
		return nil
	}
	if p.Method == "" {
		p.Method = http.MethodGet
	}
	p.Method = strings.ToUpper(p.Method)
	if p.Path == "" {
		p.Path = "/"
	}
	if !strings.HasPrefix(p.Path, "/") {
		return fieldErr("Path", "%q must start with /", p.Path)
	}
	if p.ExpectText == "" {
		p.ExpectText = DefaultStatusRanges
	}
	r, err := ParseStatusRanges(p.ExpectText)
	if err != nil {
		return fieldErr("Expect", "%v", err)
	}
	p.Expect = r
	return nil
}

// checkCount checks and defaults the attempts per address.
func (p *Plan) checkCount(o Options) *FieldError {
	if p.Count == 0 {
		p.Count = 1
	}
	if p.Count < 1 || p.Count > 1000 {
		return fieldErr("Count", "%d is outside 1-1000", o.Count)
	}
	return nil
}

// checkDurations checks and defaults the interval and the timeout.
func (p *Plan) checkDurations(o Options) *FieldError {
	if p.Interval == 0 {
		p.Interval = time.Second
	}
	if p.Timeout == 0 {
		p.Timeout = 5 * time.Second
	}
	if p.Interval < 0 {
		return fieldErr("Interval", "%s is not positive", o.Interval)
	}
	if p.Timeout < 0 {
		return fieldErr("Timeout", "%s is not positive", o.Timeout)
	}
	return nil
}

func (p *Plan) checkAddressMode(o Options) *FieldError {
	switch p.AddressMode = AddressMode(o.AddressMode); p.AddressMode {
	case "":
		p.AddressMode = FirstAddress
	case FirstAddress, EachAddress:
	default:
		return fieldErr("AddressMode", "%q is not first or each", o.AddressMode)
	}
	return nil
}

func (p *Plan) checkFamily(o Options) *FieldError {
	switch p.Family = Family(o.Family); p.Family {
	case "":
		p.Family = AnyFamily
	case AnyFamily, IPv4, IPv6:
	default:
		return fieldErr("Family", "%q is not ip, ip4 or ip6", o.Family)
	}
	return nil
}

func (p *Plan) checkResolver(o Options) *FieldError {
	if o.Resolver == "" {
		return nil
	}
	r, err := resolverAddr(o.Resolver)
	if err != nil {
		return fieldErr("Resolver", "%q is not IP or IP:PORT", o.Resolver)
	}
	p.Resolver = r
	return nil
}

func (p *Plan) checkConnectTo(o Options) *FieldError {
	if o.ConnectTo == "" {
		return nil
	}
	a, err := netip.ParseAddr(strings.Trim(o.ConnectTo, "[]"))
	if err != nil {
		return fieldErr("ConnectTo", "%q is not an IP address", o.ConnectTo)
	}
	p.ConnectTo = a
	return nil
}

// resolverAddr turns IP or IP:PORT into IP:PORT (port 53 by default).
func resolverAddr(s string) (netip.AddrPort, error) {
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return netip.AddrPortFrom(a, 53), nil
	}
	return netip.ParseAddrPort(s)
}
