package probe

import (
	"github.com/pathproof/pathproof/internal/codes"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

// Failure classes: the stable, documented reasons a probe fails. Scripts
// match on them; docs/codes/probe.md is generated from the registry below.
// The certificate chain classes are tlscheck's codes (tlscheck.CodeExpired,
// ...), shared with the capture analysis.
const (
	ClassDNSNXDomain          = "dns.nxdomain"
	ClassDNSTimeout           = "dns.timeout"
	ClassDNSPrivateLinkPublic = "dns.private-link-public-answer"
	ClassTCPRefused           = "tcp.refused"
	ClassTCPTimeout           = "tcp.timeout"
	ClassTCPUnreachable       = "tcp.unreachable"
	ClassTCPReset             = "tcp.reset"
	ClassTLSHandshakeFailed   = "tls.handshake-failed"
	ClassHTTPStatus           = "http.status"
	ClassHTTPTimeout          = "http.timeout"
)

// Classes lists every failure class in a stable order; the monitor's
// failure_class metric label takes only these values (or "").
var Classes = []string{
	ClassDNSNXDomain, ClassDNSTimeout, ClassDNSPrivateLinkPublic,
	ClassTCPRefused, ClassTCPTimeout, ClassTCPUnreachable, ClassTCPReset,
	ClassTLSHandshakeFailed, tlscheck.CodeSelfSigned, tlscheck.CodeIncompleteChain, tlscheck.CodeUnknownCA, tlscheck.CodeExpired, tlscheck.CodeNameMismatch,
	ClassHTTPStatus, ClassHTTPTimeout,
}

// hints are the one-line "what to check next" each failure carries.
var hints = map[string]string{
	ClassDNSNXDomain:             "check the name's spelling and which resolver answered; for a private zone, make sure the resolver you asked can see it (private DNS zone linked to the VNet, conditional forwarder on-premises)",
	ClassDNSTimeout:              "check that the resolver is reachable on port 53 (NSG, firewall, route) and healthy; try --resolver with 168.63.129.16 from inside the VNet or with your custom DNS server",
	ClassDNSPrivateLinkPublic:    "the private endpoint's private DNS zone is not linked to the resolver's VNet, or a custom DNS server does not forward the zone to 168.63.129.16; ask the resolver your client really uses with --resolver",
	ClassTCPRefused:              "a host answered with a reset: nothing listens on the port, a guest firewall rejects, or a load balancer has no healthy backend; check the service and its port",
	ClassTCPTimeout:              "silence usually means an NSG or firewall drop or a route to nowhere; run `pathproof trace` for this 5-tuple to see which rule or route stops it",
	ClassTCPUnreachable:          "an ICMP error came back: no route to the host or network; check the routes (pathproof routes / next-hop) and that the address exists",
	ClassTLSHandshakeFailed:      "the server or a middlebox ended the handshake: check the SNI (--sni), the TLS versions and ciphers both sides allow, client-certificate requirements and TLS inspection on a firewall",
	tlscheck.CodeSelfSigned:      "the server presents a self-signed certificate: replace it with one from a trusted CA, or trust it explicitly with --ca",
	tlscheck.CodeIncompleteChain: "the server does not send its intermediate certificate(s): install the full chain on the server (browsers hide this by fetching over AIA, most clients fail); if the issuer is a private root, pass it with --ca",
	tlscheck.CodeUnknownCA:       "the chain ends at a root the trust store does not hold: add your private root with --ca (or to the system store), or check for TLS inspection replacing the certificate",
	tlscheck.CodeExpired:         "a certificate the server presents is outside its validity period: renew it (or fix the clock of the client or server when the dates look wrong)",
	tlscheck.CodeNameMismatch:    "the certificate does not cover the name the client asked for: check the SNI (--sni), the DNS name used and the certificate's SANs",
	ClassHTTPStatus:              "the server answered with a status outside the expected ranges: check the application, the path, and a gateway in front (Application Gateway 502/503 means an unhealthy backend)",
	ClassTCPReset:                "the path works (the connection was accepted) but the other end then aborted it: check the service's logs (crash, overload, connection limits), a proxy or firewall that kills sessions (TLS inspection, idle timeouts), and whether the port speaks the protocol you asked for",
	ClassHTTPTimeout:             "the path works (connected, request sent) but no response came in time: check the application (hung worker, slow backend, long query) and a proxy or gateway in front holding the request; raise --timeout if the answer is merely slow",
}

// Hint returns the hint for a failure class.
func Hint(class string) string { return hints[class] }

func init() {
	meaning := map[string]string{
		ClassDNSNXDomain:             "The resolver said the name does not exist (NXDOMAIN) or has no address records (NODATA).",
		ClassDNSTimeout:              "The resolver gave no usable answer: no reply in time, or a server failure (SERVFAIL, REFUSED); the evidence says which.",
		ClassDNSPrivateLinkPublic:    "A name that Azure Private Link serves (privatelink.* or a service zone such as *.blob.core.windows.net, *.vault.azure.net) resolved to a public address, so traffic bypasses the private endpoint.",
		ClassTCPRefused:              "The TCP connection was refused with a reset (RST): a host or device answered, but nothing accepted the connection.",
		ClassTCPTimeout:              "The TCP handshake got no answer at all before the timeout: the SYN or its reply was dropped silently.",
		ClassTCPUnreachable:          "The connection failed with an ICMP unreachable error (host or network unreachable) or no local route.",
		ClassTLSHandshakeFailed:      "TCP connected but the TLS handshake failed: the server sent an alert or closed the connection; the evidence carries the alert.",
		tlscheck.CodeSelfSigned:      "The server's certificate is self-signed and not in the trust store used.",
		tlscheck.CodeIncompleteChain: "The server sent its leaf certificate without the intermediate(s) needed to reach a trusted root.",
		tlscheck.CodeUnknownCA:       "The presented chain does not lead to a root in the trust store used (system store or --ca).",
		tlscheck.CodeExpired:         "A presented certificate is expired or not yet valid.",
		tlscheck.CodeNameMismatch:    "The certificate is valid but does not name the host the client asked for (SNI / DNS name / IP).",
		ClassHTTPStatus:              "The HTTP request got a response whose status is outside the expected ranges, or no valid response at all (status 0).",
		ClassTCPReset:                "The TCP connection was established, then reset (RST) by the other end before the exchange finished.",
		ClassHTTPTimeout:             "The HTTP request was sent on an open connection but no response arrived before the timeout.",
	}
	for _, c := range Classes {
		codes.Register(codes.Code{ID: c, Domain: "probe", Kind: "failure", Meaning: meaning[c], Next: "Hint: " + hints[c] + "."})
	}
}
