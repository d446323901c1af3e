package tlsparse

import (
	"bytes"
	"crypto/x509"
	"encoding/binary"
	"time"
)

// helloRetryRandom marks a ServerHello that is a HelloRetryRequest (RFC 8446 4.1.3).
var helloRetryRandom = []byte{0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C}

// reader is a bounds-checked cursor over a handshake message.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() int {
	v := r.take(1)
	if v == nil {
		return 0
	}
	return int(v[0])
}

func (r *reader) u16() int {
	v := r.take(2)
	if v == nil {
		return 0
	}
	return int(binary.BigEndian.Uint16(v))
}

func (r *reader) u24() int {
	v := r.take(3)
	if v == nil {
		return 0
	}
	return int(v[0])<<16 | int(v[1])<<8 | int(v[2])
}

// message handles one complete handshake message.
func (c *Conn) message(fromServer bool, typ byte, body []byte, t time.Time) {
	switch {
	case typ == hsClientHello && !fromServer:
		c.clientHello(body)
	case typ == hsServerHello && fromServer:
		c.serverHello(body)
	case typ == hsCertificate && fromServer && !c.dir[1].encrypted:
		c.certificate(body, t)
	case typ == hsCertificateRequest && fromServer:
		c.Info.ClientCertificateRequested = true
	case typ == hsServerHelloDone && fromServer:
		// Nothing more of interest from the server until its Finished.
	}
}

func (c *Conn) clientHello(body []byte) {
	r := &reader{b: body}
	legacy := r.u16()
	r.take(32)
	r.take(r.u8())  // session id
	r.take(r.u16()) // cipher suites
	r.take(r.u8())  // compression methods
	if r.bad {
		c.Info.Notes = appendCapped(c.Info.Notes, "malformed ClientHello")
		return
	}
	c.Info.clientHello = true
	var versions []string
	if len(r.b) >= 2 {
		ext := &reader{b: r.take(r.u16())}
		for len(ext.b) >= 4 && !ext.bad {
			typ := ext.u16()
			data := &reader{b: ext.take(ext.u16())}
			switch typ {
			case 0: // server_name
				list := &reader{b: data.take(data.u16())}
				for len(list.b) > 0 && !list.bad {
					kind := list.u8()
					name := list.take(list.u16())
					if kind == 0 && !list.bad {
						c.Info.SNI = string(name)
					}
				}
			case 16: // ALPN
				list := &reader{b: data.take(data.u16())}
				c.Info.ALPN = c.Info.ALPN[:0]
				for len(list.b) > 0 && !list.bad {
					p := list.take(list.u8())
					if !list.bad && len(c.Info.ALPN) < 16 {
						c.Info.ALPN = append(c.Info.ALPN, string(p))
					}
				}
			case 43: // supported_versions
				list := &reader{b: data.take(data.u8())}
				for len(list.b) >= 2 {
					if n := VersionName(uint16(list.u16())); n != "" && len(versions) < 16 {
						versions = append(versions, n)
					}
				}
			}
		}
	}
	if len(versions) == 0 {
		versions = []string{VersionName(uint16(legacy))}
	}
	c.Info.OfferedVersions = versions
}

func (c *Conn) serverHello(body []byte) {
	r := &reader{b: body}
	legacy := r.u16()
	random := r.take(32)
	r.take(r.u8())
	cipher := r.u16()
	r.u8()
	if r.bad {
		c.Info.Notes = appendCapped(c.Info.Notes, "malformed ServerHello")
		return
	}
	version := uint16(legacy)
	if len(r.b) >= 2 {
		ext := &reader{b: r.take(r.u16())}
		for len(ext.b) >= 4 && !ext.bad {
			typ := ext.u16()
			data := &reader{b: ext.take(ext.u16())}
			switch typ {
			case 43:
				if v := data.u16(); !data.bad {
					version = uint16(v)
				}
			case 16:
				list := &reader{b: data.take(data.u16())}
				if p := list.take(list.u8()); !list.bad {
					c.Info.ALPNSelected = string(p)
				}
			}
		}
	}
	c.Info.serverHello = true
	c.Info.Version = VersionName(version)
	c.Info.Cipher = cipherName(uint16(cipher))
	if bytes.Equal(random, helloRetryRandom) {
		c.Info.Notes = appendCapped(c.Info.Notes, "server sent a HelloRetryRequest")
		return
	}
	if version == 0x0304 || version>>8 == 0x7f {
		// Everything after the ServerHello is encrypted in TLS 1.3.
		c.Info.CertificatesEncrypted = true
		c.dir[1].encrypted = true
		c.dir[1].stopped = true
	}
}

func (c *Conn) certificate(body []byte, t time.Time) {
	r := &reader{b: body}
	list := &reader{b: r.take(r.u24())}
	if r.bad {
		c.Info.Notes = appendCapped(c.Info.Notes, "malformed Certificate message")
		return
	}
	var parsed []*x509.Certificate
	for len(list.b) > 0 && !list.bad && len(c.Info.Certificates) < maxCerts {
		der := list.take(list.u24())
		if list.bad {
			c.Info.Certificates = append(c.Info.Certificates, Certificate{Error: "certificate length runs past the end of the message"})
			break
		}
		cert, err := x509.ParseCertificate(bytes.Clone(der))
		if err != nil {
			c.Info.Certificates = append(c.Info.Certificates, Certificate{Error: err.Error()})
			parsed = append(parsed, nil)
			continue
		}
		parsed = append(parsed, cert)
		c.Info.Certificates = append(c.Info.Certificates, describe(cert))
	}
	c.Info.Problems = Diagnose(parsed, c.Info.SNI, t)
}

// maxCerts caps the chain length kept per connection.
const maxCerts = 16

// maxNames caps the subjectAltNames listed per certificate.
const maxNames = 32

func describe(c *x509.Certificate) Certificate {
	out := Certificate{
		Subject:   c.Subject.String(),
		Issuer:    c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(),
		NotAfter:  c.NotAfter.UTC(),
		DNSNames:  c.DNSNames,
	}
	if len(out.DNSNames) > maxNames {
		out.DNSNamesTotal = len(out.DNSNames)
		out.DNSNames = out.DNSNames[:maxNames]
	}
	for _, ip := range c.IPAddresses {
		out.IPs = append(out.IPs, ip.String())
	}
	return out
}
