// Package tlsparse reads the clear-text part of a TLS conversation from the
// two byte streams of a TCP connection: ClientHello (SNI, offered versions,
// ALPN), ServerHello (version, cipher), the server's Certificate message
// (TLS 1.2 and earlier) and alerts. Handshake messages split across many
// records and TCP segments are reassembled, within fixed caps, and the
// certificate chain is judged with crypto/x509 at the capture's time.
//
// TLS 1.3 encrypts the Certificate message; the package says so instead of
// guessing.
package tlsparse
