package tlsparse

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Diagnose judges the chain a server sent (leaf first, nil for entries that
// could not be parsed) at time at, against the name the client asked for
// (sni, may be empty). It does not consult any trust store: it reports only
// what the capture alone proves.
func Diagnose(chain []*x509.Certificate, sni string, at time.Time) []Problem {
	var out []Problem
	for i, c := range chain {
		if c == nil {
			out = append(out, Problem{Code: "tls.bad-certificate", Message: fmt.Sprintf("certificate #%d of the chain could not be parsed by Go's crypto/x509 (see its error in the chain): strict clients reject it too", i+1)})
		}
	}
	if len(chain) == 0 || chain[0] == nil {
		return out
	}
	leaf := chain[0]
	name := certName(leaf)
	switch {
	case selfSigned(leaf):
		out = append(out, Problem{Code: "tls.self-signed", Message: fmt.Sprintf("the server's certificate %s is self-signed: only clients that pin or explicitly trust it will connect", name)})
	default:
		idx := issuerIndex(leaf, chain)
		unparsed := false
		for _, c := range chain[1:] {
			unparsed = unparsed || c == nil
		}
		switch {
		case idx < 0 && unparsed:
			// The issuer may be the certificate we could not parse.
		case idx < 0:
			out = append(out, Problem{Code: "tls.incomplete-chain", Message: fmt.Sprintf("the server sent %s without its issuer %q: clients that do not already hold that intermediate (appliances, Java, curl, most Linux tools) fail; Windows and browsers often build the chain from their own store, so it seems to work there", name, leaf.Issuer.String())})
		default:
			if wrong := orderProblem(chain); wrong != "" {
				out = append(out, Problem{Code: "tls.wrong-order", Message: wrong})
			}
		}
	}
	if !at.IsZero() {
		for i, c := range chain {
			if c == nil {
				continue
			}
			what := "the leaf certificate"
			if i > 0 {
				what = fmt.Sprintf("certificate #%d (%s)", i+1, certName(c))
			} else {
				what += " " + name
			}
			switch {
			case at.After(c.NotAfter):
				out = append(out, Problem{Code: "tls.expired", Message: fmt.Sprintf("%s expired on %s, before the capture (%s)", what, c.NotAfter.UTC().Format(time.DateOnly), at.UTC().Format(time.DateOnly))})
			case at.Before(c.NotBefore):
				out = append(out, Problem{Code: "tls.expired", Message: fmt.Sprintf("%s is not valid until %s, after the capture (%s): check the clocks", what, c.NotBefore.UTC().Format(time.DateOnly), at.UTC().Format(time.DateOnly))})
			}
		}
	}
	if sni != "" {
		if msg := nameProblem(leaf, sni); msg != "" {
			out = append(out, Problem{Code: "tls.name-mismatch", Message: msg})
		}
	}
	return out
}

func certName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	if len(c.DNSNames) > 0 {
		return c.DNSNames[0]
	}
	return c.Subject.String()
}

// selfSigned reports whether c names itself as issuer and its signature
// verifies with its own key (or cannot be checked).
func selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	return err == nil || err == x509.ErrUnsupportedAlgorithm
}

// issues reports whether parent issued child: the names match and, when it
// can be checked, the signature verifies.
func issues(parent, child *x509.Certificate) bool {
	if parent == nil || !bytes.Equal(parent.RawSubject, child.RawIssuer) {
		return false
	}
	err := parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
	return err == nil || err == x509.ErrUnsupportedAlgorithm
}

func issuerIndex(c *x509.Certificate, chain []*x509.Certificate) int {
	for i, p := range chain {
		if p != nil && p != c && issues(p, c) {
			return i
		}
	}
	return -1
}

// orderProblem says how the chain breaks RFC 5246's order (each
// certificate certifies the one before it), or "" when it does not.
func orderProblem(chain []*x509.Certificate) string {
	for i := 0; i+1 < len(chain); i++ {
		c := chain[i]
		if c == nil || chain[i+1] == nil || selfSigned(c) {
			continue
		}
		if issues(chain[i+1], c) {
			continue
		}
		if j := issuerIndex(c, chain); j >= 0 {
			return fmt.Sprintf("certificate #%d (%s) is followed by #%d, which did not issue it; its issuer is #%d: strict clients (older Java, some appliances) reject an out-of-order chain", i+1, certName(c), i+2, j+1)
		}
		return fmt.Sprintf("certificate #%d (%s) is followed by #%d (%s), which did not issue it", i+1, certName(c), i+2, certName(chain[i+1]))
	}
	return ""
}

// nameProblem checks the leaf against the SNI the client sent.
func nameProblem(leaf *x509.Certificate, sni string) string {
	if leaf.VerifyHostname(sni) == nil {
		return ""
	}
	names := leaf.DNSNames
	if len(names) == 0 && len(leaf.IPAddresses) == 0 {
		// A certificate with no subjectAltName: older clients match the
		// CN, and so do we, rather than flag every pre-2017 capture.
		if cn := leaf.Subject.CommonName; cn != "" && matchName(cn, sni) {
			return ""
		}
	}
	var list []string
	list = append(list, names...)
	for _, ip := range leaf.IPAddresses {
		list = append(list, ip.String())
	}
	if len(list) == 0 && leaf.Subject.CommonName != "" {
		list = append(list, "CN "+leaf.Subject.CommonName)
	}
	more := ""
	if len(list) > 5 {
		more = fmt.Sprintf(" and %d more names", len(list)-5)
		list = list[:5]
	}
	msg := fmt.Sprintf("the client asked for %q but the certificate is for %s%s", sni, strings.Join(list, ", "), more)
	if _, err := netip.ParseAddr(sni); err == nil {
		msg += " (the client put an IP address in SNI, which RFC 6066 forbids)"
	}
	return msg
}

// matchName matches host against a name that may start with "*.".
func matchName(pattern, host string) bool {
	pattern, host = strings.ToLower(strings.TrimSuffix(pattern, ".")), strings.ToLower(strings.TrimSuffix(host, "."))
	if pattern == host {
		return true
	}
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		if i := strings.IndexByte(host, '.'); i > 0 {
			return host[i+1:] == rest
		}
	}
	return false
}
