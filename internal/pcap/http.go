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
		line := firstLine(b)
		// HTTP/1.1 503 Service Unavailable
		parts := bytes.SplitN(line, []byte(" "), 3)
		if len(parts) < 2 {
			return
		}
		code, err := strconv.Atoi(string(parts[1]))
		if err != nil || code < 100 || code > 999 {
			return
		}
		reason := ""
		if len(parts) == 3 {
			reason = string(parts[2])
		}
		for i := range c.http {
			if c.http[i].Status == 0 && c.http[i].Method != "" {
				c.http[i].Status, c.http[i].Reason = code, reason
				return
			}
		}
		if len(c.http) < maxExchanges {
			c.http = append(c.http, HTTPExchange{Status: code, Reason: reason})
		}
		return
	}
	for _, m := range httpMethods {
		if !bytes.HasPrefix(b, m) {
			continue
		}
		line := firstLine(b)
		parts := bytes.SplitN(line, []byte(" "), 3)
		if len(parts) < 2 || len(c.http) >= maxExchanges {
			return
		}
		ex := HTTPExchange{Method: string(parts[0]), Path: string(parts[1])}
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
