package tlsparse

import (
	"encoding/binary"
	"time"
)

// Caps on what one connection may make the parser hold. Certificate chains
// seen in practice are under 16 KiB; 64 KiB leaves room for long chains
// and stays small per connection.
const (
	// MaxHandshake is the largest handshake message reassembled, except
	// Certificate messages, which may reach MaxCertificateMessage: test
	// servers (and some real ones) send chains of hundreds of KiB split
	// over many records, the case tshark 4.0 misses. The buffer is freed
	// as soon as the message is complete.
	MaxHandshake          = 64 << 10
	MaxCertificateMessage = 1 << 20
	// maxRecord is the largest record body TLS allows (2^14 plus the
	// expansion allowed for compressed and encrypted records).
	maxRecord = 16384 + 2048
)

// Record content types (RFC 8446 B.1).
const (
	ctChangeCipherSpec = 20
	ctAlert            = 21
	ctHandshake        = 22
	ctApplicationData  = 23
)

// Handshake message types.
const (
	hsClientHello        = 1
	hsServerHello        = 2
	hsCertificate        = 11
	hsCertificateRequest = 13
	hsServerHelloDone    = 14
)

// dirParser holds one direction's partial record and handshake message.
type dirParser struct {
	rec       []byte // bytes of an incomplete record (header included)
	hs        []byte // bytes of an incomplete handshake message
	encrypted bool   // after ChangeCipherSpec (or TLS 1.3 ServerHello)
	stopped   bool   // nothing more to learn, or not TLS
	skipping  int    // bytes of an oversized handshake message still to skip
}

// Conn parses both directions of one connection.
type Conn struct {
	Info Info
	dir  [2]dirParser
}

// Done reports whether the parser has nothing more to learn from the
// connection, so the caller can stop feeding it.
func (c *Conn) Done() bool { return c.dir[0].stopped && c.dir[1].stopped }

// LooksLikeTLS reports whether b starts like a TLS record (handshake, alert
// or change_cipher_spec with an SSL 3.0 to TLS 1.3 record version).
func LooksLikeTLS(b []byte) bool {
	return len(b) >= 3 && (b[0] == ctHandshake || b[0] == ctAlert || b[0] == ctChangeCipherSpec) && b[1] == 3 && b[2] <= 4
}

// Feed gives the parser the next in-order bytes sent by the client
// (fromServer false) or the server, seen at time t.
func (c *Conn) Feed(fromServer bool, data []byte, t time.Time) {
	d := &c.dir[side(fromServer)]
	for len(data) > 0 && !d.stopped {
		// Complete the record header and body in d.rec, or parse records
		// straight from data when one is whole.
		var body []byte
		var typ byte
		if len(d.rec) == 0 && len(data) >= 5 {
			n := int(binary.BigEndian.Uint16(data[3:5]))
			if !c.validHeader(d, data, n) {
				return
			}
			if len(data) >= 5+n {
				typ, body = data[0], data[5:5+n]
				data = data[5+n:]
				c.record(fromServer, typ, body, t)
				continue
			}
		}
		// Slow path: accumulate into d.rec.
		need := 5
		if len(d.rec) >= 5 {
			need = 5 + int(binary.BigEndian.Uint16(d.rec[3:5]))
		}
		had := len(d.rec)
		take := min(need-len(d.rec), len(data))
		d.rec = append(d.rec, data[:take]...)
		data = data[take:]
		if had < 5 && len(d.rec) >= 5 {
			n := int(binary.BigEndian.Uint16(d.rec[3:5]))
			if !c.validHeader(d, d.rec, n) {
				return
			}
			need = 5 + n
		}
		if len(d.rec) >= 5 && len(d.rec) == need {
			typ, body = d.rec[0], d.rec[5:]
			c.record(fromServer, typ, body, t)
			d.rec = d.rec[:0]
		}
	}
}

// validHeader checks a record header; a bad one stops the direction.
func (c *Conn) validHeader(d *dirParser, h []byte, n int) bool {
	if h[0] < ctChangeCipherSpec || h[0] > ctApplicationData || h[1] != 3 || n > maxRecord {
		d.stopped = true
		d.rec = nil
		if c.Info.clientRecords+c.Info.serverRecords > 0 {
			c.Info.Notes = appendCapped(c.Info.Notes, "stream stopped looking like TLS (bad record header)")
		}
		return false
	}
	return true
}

func side(fromServer bool) int {
	if fromServer {
		return 1
	}
	return 0
}

// record handles one complete record.
func (c *Conn) record(fromServer bool, typ byte, body []byte, t time.Time) {
	d := &c.dir[side(fromServer)]
	if fromServer {
		c.Info.serverRecords++
	} else {
		c.Info.clientRecords++
	}
	switch typ {
	case ctChangeCipherSpec:
		d.encrypted = true
	case ctAlert:
		a := Alert{From: who(fromServer), Time: t}
		if d.encrypted || len(body) != 2 {
			a.Encrypted = true
		} else {
			a.Level = alertLevel(body[0])
			a.Description = alertDescription(body[1])
		}
		if len(c.Info.Alerts) < maxAlerts {
			c.Info.Alerts = append(c.Info.Alerts, a)
		}
	case ctHandshake:
		if d.encrypted {
			// Finished and later messages: nothing to read.
			d.stopped = true
			return
		}
		c.handshakeBytes(fromServer, d, body, t)
	case ctApplicationData:
		d.stopped = true
		d.encrypted = true
	}
}

// handshakeBytes reassembles handshake messages across records.
func (c *Conn) handshakeBytes(fromServer bool, d *dirParser, b []byte, t time.Time) {
	for len(b) > 0 {
		if d.skipping > 0 {
			n := min(d.skipping, len(b))
			d.skipping -= n
			b = b[n:]
			continue
		}
		if len(d.hs) == 0 && len(b) >= 4 {
			n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
			if len(b) >= 4+n {
				c.message(fromServer, b[0], b[4:4+n], t)
				b = b[4+n:]
				continue
			}
		}
		need := 4
		if len(d.hs) >= 4 {
			need = 4 + (int(d.hs[1])<<16 | int(d.hs[2])<<8 | int(d.hs[3]))
		}
		had := len(d.hs)
		take := min(need-len(d.hs), len(b))
		d.hs = append(d.hs, b[:take]...)
		b = b[take:]
		if had < 4 && len(d.hs) == 4 {
			n := int(d.hs[1])<<16 | int(d.hs[2])<<8 | int(d.hs[3])
			need = 4 + n
			limit := MaxHandshake
			if d.hs[0] == hsCertificate {
				limit = MaxCertificateMessage
			}
			if n > limit {
				c.Info.Notes = appendCapped(c.Info.Notes, "a handshake message larger than the reassembly cap was skipped")
				d.skipping = n
				d.hs = d.hs[:0]
				continue
			}
		}
		if len(d.hs) >= 4 && len(d.hs) == need {
			c.message(fromServer, d.hs[0], d.hs[4:], t)
			if cap(d.hs) > MaxHandshake {
				d.hs = nil // do not keep a large buffer for the connection's life
			} else {
				d.hs = d.hs[:0]
			}
		}
	}
}

func who(fromServer bool) string {
	if fromServer {
		return "server"
	}
	return "client"
}

// maxAlerts and maxNotes cap the lists kept per connection.
const (
	maxAlerts = 8
	maxNotes  = 8
)

func appendCapped(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	if len(s) >= maxNotes {
		return s
	}
	return append(s, v)
}
