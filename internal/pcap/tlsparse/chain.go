package tlsparse

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/tlscheck"
)

// Diagnose judges the chain a server sent (leaf first, nil for entries that
// could not be parsed) at time at, against the name the client asked for
// (sni, may be empty). It does not consult any trust store: it reports only
// what the capture alone proves. The judgments are tlscheck's; this words
// them for a capture.
func Diagnose(chain []*x509.Certificate, sni string, at time.Time) []Problem {
	var out []Problem
	add := func(code, format string, a ...any) {
		out = append(out, Problem{Code: code, Message: fmt.Sprintf(format, a...)})
	}
	for _, f := range tlscheck.Check(chain, tlscheck.Options{Name: sni, At: at}) {
		switch f.Code {
		case tlscheck.CodeBadCertificate:
			add(f.Code, "certificate #%d of the chain could not be parsed by Go's crypto/x509 (see its error in the chain): strict clients reject it too", f.Cert+1)
		case tlscheck.CodeSelfSigned:
			add(f.Code, "the server's certificate %s is self-signed: only clients that pin or explicitly trust it will connect", certName(chain[0]))
		case tlscheck.CodeIncompleteChain:
			add(f.Code, "the server sent %s without its issuer %q: clients that do not already hold that intermediate (appliances, Java, curl, most Linux tools) fail; Windows and browsers often build the chain from their own store, so it seems to work there", certName(chain[0]), chain[0].Issuer.String())
		case tlscheck.CodeWrongOrder:
			c := chain[f.Cert]
			if f.Issuer >= 0 {
				add(f.Code, "certificate #%d (%s) is followed by #%d, which did not issue it; its issuer is #%d: strict clients (older Java, some appliances) reject an out-of-order chain", f.Cert+1, certName(c), f.Next+1, f.Issuer+1)
			} else {
				add(f.Code, "certificate #%d (%s) is followed by #%d (%s), which did not issue it", f.Cert+1, certName(c), f.Next+1, certName(chain[f.Next]))
			}
		case tlscheck.CodeExpired:
			c := chain[f.Cert]
			what := "the leaf certificate " + certName(c)
			if f.Cert > 0 {
				what = fmt.Sprintf("certificate #%d (%s)", f.Cert+1, certName(c))
			}
			if f.NotYetValid {
				add(f.Code, "%s is not valid until %s, after the capture (%s): check the clocks", what, c.NotBefore.UTC().Format(time.DateOnly), at.UTC().Format(time.DateOnly))
			} else {
				add(f.Code, "%s expired on %s, before the capture (%s)", what, c.NotAfter.UTC().Format(time.DateOnly), at.UTC().Format(time.DateOnly))
			}
		case tlscheck.CodeNameMismatch:
			add(f.Code, "%s", nameProblem(chain[0], sni, f.Err))
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

// nameProblem says which names the leaf covers, when it does not cover
// the SNI the client sent.
func nameProblem(leaf *x509.Certificate, sni string, err error) string {
	var list []string
	list = append(list, leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		list = append(list, ip.String())
	}
	var he x509.HostnameError
	if len(list) == 0 && errors.As(err, &he) {
		// crypto/x509 does not match the CN (RFC 6125 clients no longer do).
		return fmt.Sprintf("the client asked for %q but the certificate has no subjectAltName, only the subject %s: clients that follow RFC 6125 (Go since 1.15, Chrome since 58) no longer match the CN", sni, leaf.Subject)
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
