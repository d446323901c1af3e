package pcap

import (
	"bytes"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/tlsparse"
)

// appProto is what one direction of a TCP connection speaks, decided from
// its first payload bytes.
type appProto uint8

const (
	appUnknown appProto = iota
	appNone             // not a protocol this package reads: stop looking
	appTLS
	appHTTP
)

// maxExchanges caps the DNS and HTTP exchanges kept per connection.
const maxExchanges = 32

// maxSniffChunks is how many unrecognised chunks a direction may start
// with before the parsers give up on it.
const maxSniffChunks = 24

// tcpPayload hands a TCP segment's payload to the application parsers.
func (c *conn) tcpPayload(p *pkt, di int, ts time.Time) {
	d := &c.d[di]
	if d.app == appNone || (len(p.payload) == 0 && p.flags&flagSYN == 0) {
		return
	}
	if d.app == appTLS && c.tls != nil && c.tls.Done() {
		d.app = appNone
		return
	}
	c.now = ts
	d.stream.push(p.seq, p.payload, p.flags&flagSYN != 0, c, di)
}

// deliver receives in-order bytes of direction di.
func (c *conn) deliver(di int, b []byte) {
	d := &c.d[di]
	if d.app == appUnknown {
		switch {
		case tlsparse.LooksLikeTLS(b):
			d.app = appTLS
			if c.tls == nil {
				c.tls = &tlsparse.Conn{}
			}
		case looksLikeHTTP(b):
			d.app = appHTTP
			if di == 1 && c.d[0].app == appTLS {
				c.tlsPlain = true
			}
		default:
			// STARTTLS (SMTP, POP3, IMAP, FTP) switches to TLS after a few
			// clear-text lines: keep looking for a handshake a while.
			d.chunks++
			if d.chunks >= maxSniffChunks {
				d.app = appNone
			}
			return
		}
	}
	switch d.app {
	case appTLS:
		c.tls.Feed(di == 1, b, c.now)
	case appHTTP:
		c.httpChunk(di, b)
	}
}

var httpMethods = [][]byte{[]byte("GET "), []byte("POST "), []byte("HEAD "), []byte("PUT "), []byte("DELETE "), []byte("OPTIONS "), []byte("PATCH "), []byte("CONNECT "), []byte("TRACE ")}

func looksLikeHTTP(b []byte) bool {
	if bytes.HasPrefix(b, []byte("HTTP/1.")) {
		return true
	}
	for _, m := range httpMethods {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	return false
}
