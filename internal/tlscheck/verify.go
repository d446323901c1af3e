package tlscheck

import (
	"crypto/x509"
	"errors"
	"time"
)

// Trust is a trust store to verify chains against.
type Trust struct {
	// Roots are the trust anchors; nil means the system store.
	Roots *x509.CertPool
	// Fetch, when set, returns the issuer certificates c names in its
	// AIA extension; Verify calls it once, on the last presented
	// certificate, when no path leads to a root.
	Fetch func(c *x509.Certificate) []*x509.Certificate
}

// Verification is what Verify found.
type Verification struct {
	// Chains are the verified paths, leaf first, anchor last; nil when
	// Err is set.
	Chains [][]*x509.Certificate
	// Err is crypto/x509's reason the chain does not verify.
	Err error
	// Code says why in one code: CodeSelfSigned (the leaf is
	// self-signed), CodeIncompleteChain (no path to a root, and the
	// leaf's issuer was not sent) or CodeUnknownCA. "" when verified.
	Code string
	// Fetched are the issuers Trust.Fetch added.
	Fetched []*x509.Certificate
}

// Verify builds a path from chain[0] to a root of t through the other
// certificates of chain, as crypto/x509 does at time at. chain must not be
// empty or hold nil.
func Verify(chain []*x509.Certificate, t Trust, at time.Time) Verification {
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: t.Roots, Intermediates: inter, CurrentTime: at}
	var v Verification
	v.Chains, v.Err = leaf.Verify(opts)
	var ua x509.UnknownAuthorityError
	if v.Err != nil && errors.As(v.Err, &ua) && t.Fetch != nil && !SelfSigned(leaf) {
		if v.Fetched = t.Fetch(chain[len(chain)-1]); len(v.Fetched) > 0 {
			for _, f := range v.Fetched {
				inter.AddCert(f)
			}
			v.Chains, v.Err = leaf.Verify(opts)
		}
	}
	switch {
	case v.Err == nil:
	case SelfSigned(leaf):
		v.Code = CodeSelfSigned
	case errors.As(v.Err, &ua) && IssuerIndex(chain, 0) < 0:
		v.Code = CodeIncompleteChain
	default:
		v.Code = CodeUnknownCA
	}
	return v
}
