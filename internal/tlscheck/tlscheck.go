// Package tlscheck judges the certificate chain a TLS server presented,
// with crypto/x509's rules, for both places pathproof sees one: a live
// handshake (package probe) and a recorded one (package pcap/tlsparse).
// One set of codes, one answer per chain: the callers only word it.
//
// crypto/x509's rules decide the edge cases: a certificate is self-signed
// only when its own key verifies its signature (a self-issued certificate
// whose signature cannot be checked is not), and a name is covered only by
// the certificate's subjectAltName (a certificate without one covers no
// name, whatever its CN says: Go since 1.15 and browsers since 2017 ignore
// the CN).
package tlscheck

import (
	"bytes"
	"crypto/x509"
	"time"
)

// The codes of chain problems, shared by probe failure classes and pcap
// findings.
const (
	CodeSelfSigned      = "tls.self-signed"
	CodeIncompleteChain = "tls.incomplete-chain"
	CodeUnknownCA       = "tls.unknown-ca"
	CodeExpired         = "tls.expired"
	CodeNameMismatch    = "tls.name-mismatch"
	CodeWrongOrder      = "tls.wrong-order"
	CodeBadCertificate  = "tls.bad-certificate"
)

// Options say what to judge a chain against.
type Options struct {
	// Name is the host name or IP address the client asked for (the SNI);
	// "" skips the name check.
	Name string
	// At is the moment validity is judged at; the zero time skips it.
	At time.Time
}

// Finding is one problem with a chain. Which fields are set depends on
// Code.
type Finding struct {
	Code string
	// Cert is the position in the chain of the certificate concerned, 0
	// for the leaf.
	Cert int
	// Next and Issuer, for CodeWrongOrder: the position of the certificate
	// that follows Cert, and of the one that really issued Cert (-1 when
	// it is not in the chain).
	Next, Issuer int
	// NotYetValid, for CodeExpired: Cert's validity starts after At (else
	// it ended before At).
	NotYetValid bool
	// Err, for CodeNameMismatch, is crypto/x509's reason.
	Err error
}

// Check judges chain (as presented, leaf first; nil for a certificate
// crypto/x509 could not parse) from the chain alone, without a trust
// store. Findings come in this order: certificates that could not be
// parsed (CodeBadCertificate); then one of a self-signed leaf, a leaf whose
// issuer was not sent, or a chain out of order; every certificate outside
// its validity (CodeExpired); the name (CodeNameMismatch).
func Check(chain []*x509.Certificate, o Options) []Finding {
	var out []Finding
	for i, c := range chain {
		if c == nil {
			out = append(out, Finding{Code: CodeBadCertificate, Cert: i})
		}
	}
	if len(chain) == 0 || chain[0] == nil {
		return out
	}
	leaf := chain[0]
	switch {
	case SelfSigned(leaf):
		out = append(out, Finding{Code: CodeSelfSigned})
	case IssuerIndex(chain, 0) < 0:
		// The issuer may be a certificate that could not be parsed.
		if !hasNil(chain[1:]) {
			out = append(out, Finding{Code: CodeIncompleteChain})
		}
	default:
		if f, ok := orderProblem(chain); ok {
			out = append(out, f)
		}
	}
	if !o.At.IsZero() {
		for i, c := range chain {
			if c == nil {
				continue
			}
			switch {
			case o.At.After(c.NotAfter):
				out = append(out, Finding{Code: CodeExpired, Cert: i})
			case o.At.Before(c.NotBefore):
				out = append(out, Finding{Code: CodeExpired, Cert: i, NotYetValid: true})
			}
		}
	}
	if o.Name != "" {
		if err := leaf.VerifyHostname(o.Name); err != nil {
			out = append(out, Finding{Code: CodeNameMismatch, Err: err})
		}
	}
	return out
}

// SelfSigned reports whether c names itself as its issuer and its own key
// verifies its signature. (CheckSignatureFrom would refuse c as a parent
// when it is not a CA, which a self-signed leaf is not.)
func SelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// Issued reports whether parent issued child: child names parent's subject
// as its issuer and parent's key verifies child's signature.
func Issued(parent, child *x509.Certificate) bool {
	return parent != nil && child != nil && bytes.Equal(parent.RawSubject, child.RawIssuer) &&
		parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature) == nil
}

// IssuerIndex returns the position in chain of the certificate that issued
// chain[i], other than itself, or -1.
func IssuerIndex(chain []*x509.Certificate, i int) int {
	for j, p := range chain {
		if j != i && Issued(p, chain[i]) {
			return j
		}
	}
	return -1
}

// orderProblem finds the first certificate not followed by its issuer
// (RFC 5246: each certificate certifies the one before it).
func orderProblem(chain []*x509.Certificate) (Finding, bool) {
	for i := 0; i+1 < len(chain); i++ {
		c := chain[i]
		if c == nil || chain[i+1] == nil || SelfSigned(c) || Issued(chain[i+1], c) {
			continue
		}
		return Finding{Code: CodeWrongOrder, Cert: i, Next: i + 1, Issuer: IssuerIndex(chain, i)}, true
	}
	return Finding{}, false
}

func hasNil(cs []*x509.Certificate) bool {
	for _, c := range cs {
		if c == nil {
			return true
		}
	}
	return false
}
