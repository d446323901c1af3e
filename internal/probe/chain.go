package probe

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/pathproof/pathproof/internal/tlscheck"
)

// TLSReport describes the handshake and every certificate the server
// presented, with the verdict of one trust store. It is filled even when
// verification fails.
type TLSReport struct {
	Version     string `json:"version,omitempty"`
	CipherSuite string `json:"cipher_suite,omitempty"`
	ALPN        string `json:"alpn,omitempty"`
	// ServerName is the SNI sent ("" when none: an IP target without --sni).
	ServerName string `json:"server_name"`
	// VerifyName is the name checked against the certificate.
	VerifyName string `json:"verify_name"`
	// TrustStore is "system" or "file:PATH" (--ca).
	TrustStore   string     `json:"trust_store"`
	Verified     bool       `json:"verified"`
	VerifyError  string     `json:"verify_error,omitempty"`
	Certificates []CertInfo `json:"certificates"`
	// VerifiedChain lists the subjects of the path that verified, leaf
	// first, anchor last.
	VerifiedChain []string `json:"verified_chain,omitempty"`
	// Issues are chain-hygiene findings in SSL Labs' terms.
	Issues []string `json:"issues,omitempty"`
	// EarliestExpiry is the earliest NotAfter among presented certificates;
	// ChainExpiry the earliest NotAfter along the verified chain.
	EarliestExpiry time.Time `json:"earliest_expiry"`
	ChainExpiry    time.Time `json:"chain_expiry,omitzero"`
	// AIAFetched lists intermediates downloaded with --fetch-aia.
	AIAFetched []string `json:"aia_fetched,omitempty"`
}

// CertInfo is one presented certificate.
type CertInfo struct {
	Position           int       `json:"position"`
	Subject            string    `json:"subject"`
	Issuer             string    `json:"issuer"`
	Serial             string    `json:"serial"`
	NotBefore          time.Time `json:"not_before"`
	NotAfter           time.Time `json:"not_after"`
	DNSNames           []string  `json:"dns_names,omitempty"`
	IPAddresses        []string  `json:"ip_addresses,omitempty"`
	KeyType            string    `json:"key_type"`
	KeyBits            int       `json:"key_bits"`
	SignatureAlgorithm string    `json:"signature_algorithm"`
	IsCA               bool      `json:"is_ca"`
	SelfSigned         bool      `json:"self_signed"`
	SHA256             string    `json:"sha256"`
	AIAIssuers         []string  `json:"aia_issuers,omitempty"`
}

func certInfo(i int, c *x509.Certificate) CertInfo {
	sum := sha256.Sum256(c.Raw)
	ci := CertInfo{
		Position: i, Subject: c.Subject.String(), Issuer: c.Issuer.String(), Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), DNSNames: c.DNSNames,
		SignatureAlgorithm: c.SignatureAlgorithm.String(), IsCA: c.IsCA, SelfSigned: tlscheck.SelfSigned(c),
		SHA256: hex.EncodeToString(sum[:]), AIAIssuers: c.IssuingCertificateURL,
	}
	for _, ip := range c.IPAddresses {
		ci.IPAddresses = append(ci.IPAddresses, ip.String())
	}
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		ci.KeyType, ci.KeyBits = "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		ci.KeyType, ci.KeyBits = "ECDSA "+k.Curve.Params().Name, k.Curve.Params().BitSize
	case ed25519.PublicKey:
		ci.KeyType, ci.KeyBits = "Ed25519", 256
	default:
		ci.KeyType = c.PublicKeyAlgorithm.String()
	}
	return ci
}

// chainCheck is what analyzeChain needs besides the certificates.
type chainCheck struct {
	roots      *x509.CertPool // nil: the system store
	trustStore string
	name       string // host name or IP to check; "" skips the name check
	now        time.Time
	fetchAIA   bool
	client     *http.Client
}

// analyzeChain fills the certificate part of rep and returns the failure
// a verifying client would hit, in this order: expired, self-signed,
// incomplete chain, unknown CA, name mismatch. The judgments are
// tlscheck's; this words them.
func analyzeChain(rep *TLSReport, certs []*x509.Certificate, cc chainCheck) *Failure {
	rep.TrustStore = cc.trustStore
	rep.VerifyName = cc.name
	rep.Certificates = []CertInfo{}
	if len(certs) == 0 {
		rep.VerifyError = "the server presented no certificate"
		return newFailure(ClassTLSHandshakeFailed, "the server presented no certificate", "empty Certificate message")
	}
	for i, c := range certs {
		rep.Certificates = append(rep.Certificates, certInfo(i, c))
		if rep.EarliestExpiry.IsZero() || c.NotAfter.Before(rep.EarliestExpiry) {
			rep.EarliestExpiry = c.NotAfter.UTC()
		}
		if i > 0 {
			if !bytes.Equal(certs[i-1].RawIssuer, c.RawSubject) {
				rep.Issues = append(rep.Issues, fmt.Sprintf("certificate #%d (%s) does not issue #%d: wrong order or unrelated certificate", i, c.Subject, i-1))
			}
			if tlscheck.SelfSigned(c) {
				rep.Issues = append(rep.Issues, fmt.Sprintf("contains anchor: #%d is a self-signed root (servers need not send it)", i))
			}
		}
	}
	leaf := certs[0]
	var fail *Failure
	var nameErr error
	for _, f := range tlscheck.Check(certs, tlscheck.Options{Name: cc.name, At: cc.now}) {
		switch f.Code {
		case tlscheck.CodeExpired:
			c := certs[f.Cert]
			if f.NotYetValid {
				rep.Issues = append(rep.Issues, fmt.Sprintf("#%d is not valid before %s", f.Cert, c.NotBefore.UTC().Format(time.RFC3339)))
				if fail == nil {
					fail = newFailure(tlscheck.CodeExpired, fmt.Sprintf("certificate #%d (%s) is not yet valid", f.Cert, c.Subject),
						fmt.Sprintf("not_before %s, now %s", c.NotBefore.UTC().Format(time.RFC3339), cc.now.UTC().Format(time.RFC3339)))
				}
				continue
			}
			rep.Issues = append(rep.Issues, fmt.Sprintf("#%d expired on %s", f.Cert, c.NotAfter.UTC().Format(time.RFC3339)))
			if fail == nil {
				fail = newFailure(tlscheck.CodeExpired, fmt.Sprintf("certificate #%d (%s) expired %s ago", f.Cert, c.Subject, cc.now.Sub(c.NotAfter).Round(time.Second)),
					fmt.Sprintf("not_after %s, now %s", c.NotAfter.UTC().Format(time.RFC3339), cc.now.UTC().Format(time.RFC3339)))
			}
		case tlscheck.CodeNameMismatch:
			nameErr = f.Err
		}
	}
	// Judge the path at a moment all presented certificates are valid, so
	// an expired certificate does not hide a trust problem behind it.
	at := cc.now
	if fail != nil {
		at = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	}
	trust := tlscheck.Trust{Roots: cc.roots}
	if cc.fetchAIA {
		trust.Fetch = func(c *x509.Certificate) []*x509.Certificate { return fetchAIA(cc.client, c) }
	}
	v := tlscheck.Verify(certs, trust, at)
	for _, f := range v.Fetched {
		rep.AIAFetched = append(rep.AIAFetched, f.Subject.String())
	}
	if v.Err != nil {
		rep.VerifyError = v.Err.Error()
		trustFail := classifyTrust(rep, certs, v, cc)
		if fail == nil {
			fail = trustFail
		}
	} else {
		if len(v.Fetched) > 0 {
			rep.Issues = append(rep.Issues, "incomplete chain: completed with intermediates fetched over AIA (--fetch-aia); clients that do not fetch AIA fail")
		}
		rep.Verified = true
		for _, c := range v.Chains[0] {
			rep.VerifiedChain = append(rep.VerifiedChain, c.Subject.String())
			if rep.ChainExpiry.IsZero() || c.NotAfter.Before(rep.ChainExpiry) {
				rep.ChainExpiry = c.NotAfter.UTC()
			}
		}
	}
	if nameErr != nil {
		rep.Verified = false
		rep.Issues = append(rep.Issues, "name mismatch: "+nameErr.Error())
		if fail == nil {
			names := append(append([]string{}, leaf.DNSNames...), rep.Certificates[0].IPAddresses...)
			ev := fmt.Sprintf("SANs: %v; subject %s", names, leaf.Subject)
			if len(names) == 0 {
				ev += " (no subjectAltName: clients that follow RFC 6125 no longer match the CN)"
			}
			fail = newFailure(tlscheck.CodeNameMismatch, fmt.Sprintf("the certificate does not cover %s", cc.name), ev)
		}
		if rep.VerifyError == "" {
			rep.VerifyError = nameErr.Error()
		}
	}
	if fail != nil {
		rep.Verified = false
	}
	return fail
}

// classifyTrust words why the path did not verify (v.Code).
func classifyTrust(rep *TLSReport, certs []*x509.Certificate, v tlscheck.Verification, cc chainCheck) *Failure {
	leaf, last := certs[0], certs[len(certs)-1]
	var ua x509.UnknownAuthorityError
	switch v.Code {
	case tlscheck.CodeSelfSigned:
		rep.Issues = append(rep.Issues, "self-signed leaf")
		return newFailure(tlscheck.CodeSelfSigned, fmt.Sprintf("the server's certificate (%s) is self-signed and not trusted by the %s store", leaf.Subject, cc.trustStore), v.Err.Error())
	case tlscheck.CodeIncompleteChain:
		rep.Issues = append(rep.Issues, fmt.Sprintf("incomplete chain: the issuer of #0 (%s) was not sent", leaf.Issuer))
		ev := fmt.Sprintf("the server sent %s; its issuer %s is neither sent nor in the %s store", certificates(len(certs)), leaf.Issuer, cc.trustStore)
		if len(leaf.IssuingCertificateURL) > 0 {
			ev += fmt.Sprintf("; AIA names %v (not fetched without --fetch-aia)", leaf.IssuingCertificateURL)
		}
		return newFailure(tlscheck.CodeIncompleteChain, "the server sent its certificate without the intermediate(s)", ev)
	case tlscheck.CodeUnknownCA:
		if !errors.As(v.Err, &ua) {
			return newFailure(tlscheck.CodeUnknownCA, "the certificate chain does not verify", v.Err.Error())
		}
		if !tlscheck.SelfSigned(last) {
			rep.Issues = append(rep.Issues, fmt.Sprintf("the root %s (issuer of #%d) is not in the %s store", last.Issuer, len(certs)-1, cc.trustStore))
		} else {
			rep.Issues = append(rep.Issues, fmt.Sprintf("untrusted root %s sent by the server", last.Subject))
		}
		return newFailure(tlscheck.CodeUnknownCA, fmt.Sprintf("the chain does not lead to a root in the %s store", cc.trustStore), v.Err.Error())
	}
	return newFailure(tlscheck.CodeUnknownCA, "the certificate chain does not verify", v.Err.Error())
}

// fetchAIA downloads the issuer certificate(s) c names in its AIA
// extension (DER or PEM), at most one level, 1 MiB each.
func fetchAIA(client *http.Client, c *x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, u := range c.IssuingCertificateURL {
		resp, err := client.Get(u)
		if err != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			continue
		}
		if certs, err := x509.ParseCertificates(b); err == nil {
			out = append(out, certs...)
		} else if certs := parsePEMCerts(b); len(certs) > 0 {
			out = append(out, certs...)
		}
	}
	return out
}

// certificates is "1 certificate" or "n certificates".
func certificates(n int) string {
	if n == 1 {
		return "1 certificate"
	}
	return fmt.Sprintf("%d certificates", n)
}
