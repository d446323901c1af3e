package pcap

import (
	"bytes"
	"strconv"
)

// maxLine caps the request or status line and header lines read.
const maxLine = 2048

// httpChunk reads a request line (with its Host header) or a status line
// at the start of a chunk. Bodies are not reassembled: a new message on a
// keep-alive connection starts a new segment in practice.
func (c *conn) httpChunk(di int, b []byte) {
	if len(b) > 8<<10 {
		b = b[:8<<10]
	}
	if bytes.HasPrefix(b, []byte("HTTP/1.")) {
		// HTTP/1.1 503 Service Unavailable
		line := firstLine(b)
		_, rest, ok := bytes.Cut(line, []byte(" "))
		if !ok {
			return
		}
		num, reason, _ := bytes.Cut(rest, []byte(" "))
		code, err := strconv.Atoi(string(num))
		if err != nil || code < 100 || code > 999 {
			return
		}
		for i := range c.http {
			if c.http[i].Status == 0 && c.http[i].Method != "" {
				c.http[i].Status, c.http[i].Reason = code, string(reason)
				return
			}
		}
		if len(c.http) < maxExchanges {
			c.http = append(c.http, HTTPExchange{Status: code, Reason: string(reason)})
		}
		return
	}
	for i, m := range httpMethods {
		if !bytes.HasPrefix(b, m) {
			continue
		}
		if len(c.http) >= maxExchanges {
			return
		}
		line := firstLine(b)
		target, _, _ := bytes.Cut(line[len(m):], []byte(" "))
		ex := HTTPExchange{Method: methodNames[i], Path: string(target)}
		rest := b[min(len(b), len(line)+2):]
		for len(rest) > 0 {
			h := firstLine(rest)
			if len(h) == 0 {
				break
			}
			if len(h) > 5 && bytes.EqualFold(h[:5], []byte("host:")) {
				ex.Host = string(bytes.TrimSpace(h[5:]))
				break
			}
			rest = rest[min(len(rest), len(h)+2):]
		}
		c.http = append(c.http, ex)
		return
	}
}

// methodNames are httpMethods without the space, as strings shared by
// every exchange.
var methodNames = func() []string {
	out := make([]string, len(httpMethods))
	for i, m := range httpMethods {
		out[i] = string(bytes.TrimSpace(m))
	}
	return out
}()

// firstLine returns b up to its first CR or LF, capped at maxLine.
func firstLine(b []byte) []byte {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	if len(b) > maxLine {
		b = b[:maxLine]
	}
	return b
}
