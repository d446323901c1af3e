package tlsparse

import (
	"crypto/tls"
	"fmt"
	"time"
)

// Info is what the clear-text handshake of one connection showed. Empty
// fields were not seen.
type Info struct {
	// SNI is the server name the client asked for (server_name extension).
	SNI string `json:"sni,omitempty"`
	// OfferedVersions are the versions the client offered, highest first
	// (supported_versions, or the ClientHello's legacy version).
	OfferedVersions []string `json:"offered_versions,omitempty"`
	// ALPN lists the protocols the client offered.
	ALPN []string `json:"alpn,omitempty"`
	// Version is the version the server chose; Cipher the cipher suite.
	Version string `json:"version,omitempty"`
	Cipher  string `json:"cipher,omitempty"`
	// ALPNSelected is the protocol the server chose.
	ALPNSelected string `json:"alpn_selected,omitempty"`
	// Certificates are the server's certificates in the order sent.
	Certificates []Certificate `json:"certificates,omitempty"`
	// CertificatesEncrypted is true for TLS 1.3, where the Certificate
	// message is encrypted and the chain cannot be read from a capture.
	CertificatesEncrypted bool `json:"certificates_encrypted,omitempty"`
	// ClientCertificateRequested is true when the server asked the client
	// for a certificate (CertificateRequest).
	ClientCertificateRequested bool `json:"client_certificate_requested,omitempty"`
	// Alerts in the order seen.
	Alerts []Alert `json:"alerts,omitempty"`
	// Problems found in the certificate chain, judged at the capture's time.
	Problems []Problem `json:"problems,omitempty"`
	// Notes are caveats: reassembly caps, unparsable certificates, a
	// stream that stopped looking like TLS.
	Notes []string `json:"notes,omitempty"`

	clientHello, serverHello     bool
	clientRecords, serverRecords int
}

// ClientHelloSeen reports whether a ClientHello was parsed.
func (i *Info) ClientHelloSeen() bool { return i.clientHello }

// ServerHelloSeen reports whether a ServerHello was parsed.
func (i *Info) ServerHelloSeen() bool { return i.serverHello }

// Certificate is one certificate of the server's chain.
type Certificate struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	DNSNames  []string  `json:"dns_names,omitempty"`
	// DNSNamesTotal is set when DNSNames was cut short: the full count.
	DNSNamesTotal int      `json:"dns_names_total,omitempty"`
	IPs           []string `json:"ip_addresses,omitempty"`
	// Error is set when the DER could not be parsed; the other fields are
	// then empty.
	Error string `json:"error,omitempty"`
}

// Alert is one TLS alert record.
type Alert struct {
	// From is "client" or "server".
	From string `json:"from"`
	// Level is "warning" or "fatal"; Description the alert's name
	// (handshake_failure, unknown_ca, ...). Both are empty when the alert
	// was encrypted.
	Level       string    `json:"level,omitempty"`
	Description string    `json:"description,omitempty"`
	Encrypted   bool      `json:"encrypted,omitempty"`
	Time        time.Time `json:"time"`
}

// Problem is one finding about the certificate chain.
type Problem struct {
	// Code is the pcap finding code (tls.self-signed, tls.incomplete-chain,
	// tls.expired, tls.name-mismatch, tls.wrong-order, tls.bad-certificate).
	Code    string `json:"code"`
	Message string `json:"message"`
}

// VersionName names a TLS protocol version number.
func VersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSL 3.0"
	case 0x0301:
		return "TLS 1.0"
	case 0x0302:
		return "TLS 1.1"
	case 0x0303:
		return "TLS 1.2"
	case 0x0304:
		return "TLS 1.3"
	}
	if v>>8 == 0x7f {
		return fmt.Sprintf("TLS 1.3 draft %d", v&0xff)
	}
	if v&0x0f0f == 0x0a0a {
		return "" // GREASE (RFC 8701): not a real version
	}
	return fmt.Sprintf("0x%04x", v)
}

// cipherNames maps the suites crypto/tls knows, secure and insecure.
var cipherNames = func() map[uint16]string {
	m := map[uint16]string{}
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		m[s.ID] = s.Name
	}
	return m
}()

func cipherName(id uint16) string {
	if n, ok := cipherNames[id]; ok {
		return n
	}
	return fmt.Sprintf("0x%04X", id)
}

func alertLevel(b byte) string {
	switch b {
	case 1:
		return "warning"
	case 2:
		return "fatal"
	}
	return fmt.Sprintf("level_%d", b)
}

// alertNames are the TLS alert descriptions (IANA TLS Alerts registry).
var alertNames = map[byte]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
	22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate",
	42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
	46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied",
	50: "decode_error", 51: "decrypt_error", 60: "export_restriction", 70: "protocol_version",
	71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
	100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension", 111: "certificate_unobtainable",
	112: "unrecognized_name", 113: "bad_certificate_status_response", 114: "bad_certificate_hash_value",
	115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
}

func alertDescription(b byte) string {
	if n, ok := alertNames[b]; ok {
		return n
	}
	return fmt.Sprintf("alert_%d", b)
}
