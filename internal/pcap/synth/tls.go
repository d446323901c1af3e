package synth

import (
	"encoding/binary"
)

// TLS message builders: just enough of TLS 1.2 to show a handshake in a
// capture (the bytes are well-formed; nothing is encrypted).

// Record wraps body in a TLS record of type typ.
func Record(typ byte, body []byte) []byte {
	out := []byte{typ, 3, 3, 0, 0}
	binary.BigEndian.PutUint16(out[3:], uint16(len(body)))
	return append(out, body...)
}

// Handshake wraps body in a handshake message header.
func Handshake(typ byte, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// ClientHello builds a TLS 1.2 ClientHello with SNI and ALPN.
func ClientHello(sni string, alpn ...string) []byte {
	b := []byte{3, 3}
	b = append(b, make([]byte, 32)...) // random
	b = append(b, 0)                   // session id
	b = append(b, 0, 4, 0xc0, 0x2f, 0xc0, 0x30)
	b = append(b, 1, 0) // compression: null
	var ext []byte
	if sni != "" {
		name := []byte(sni)
		e := u16(len(name) + 3)
		e = append(e, 0)
		e = append(e, u16(len(name))...)
		e = append(e, name...)
		ext = append(ext, 0, 0)
		ext = append(ext, u16(len(e))...)
		ext = append(ext, e...)
	}
	if len(alpn) > 0 {
		var l []byte
		for _, p := range alpn {
			l = append(l, byte(len(p)))
			l = append(l, p...)
		}
		e := append(u16(len(l)), l...)
		ext = append(ext, 0, 16)
		ext = append(ext, u16(len(e))...)
		ext = append(ext, e...)
	}
	b = append(b, u16(len(ext))...)
	b = append(b, ext...)
	return Handshake(1, b)
}

// ServerHello builds a TLS 1.2 ServerHello choosing
// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.
func ServerHello() []byte {
	b := []byte{3, 3}
	b = append(b, make([]byte, 32)...)
	b = append(b, 0, 0xc0, 0x2f, 0)
	return Handshake(2, b)
}

// Certificate builds a Certificate message carrying the DER certificates.
func Certificate(ders ...[]byte) []byte {
	var list []byte
	for _, d := range ders {
		list = append(list, u24(len(d))...)
		list = append(list, d...)
	}
	return Handshake(11, append(u24(len(list)), list...))
}

// ServerHelloDone builds the empty ServerHelloDone message.
func ServerHelloDone() []byte { return Handshake(14, nil) }

// Alert builds an alert record body.
func Alert(level, desc byte) []byte { return []byte{level, desc} }

func u16(n int) []byte { return []byte{byte(n >> 8), byte(n)} }
func u24(n int) []byte { return []byte{byte(n >> 16), byte(n >> 8), byte(n)} }
